"""Demo reevaluations: a first evaluation three years back, then a triennial or a parent's request.

A few Riverside students with an IEP (none in a demo referral or family): a triennial due soon,
one overdue, one waived by agreement, and a parent's request in progress. Riverside keeps that
year's calendar, so the engine can count the first evaluation's timeline.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

from tandem.compliance import actions as deadlines
from tandem.compliance.models import DeadlineKind
from tandem.demo import districts, personas, referrals_writer, world_plan
from tandem.demo.referrals_cases import CONCERNS, INSTRUMENTS, SUMMARIES, PlannedReferral
from tandem.people.models import District, SchoolCalendar, Student
from tandem.referrals import actions, queries, reevaluations
from tandem.referrals.models import (
    AssessmentArea,
    CaseReviewDecision,
    ConsentKind,
    ConsentMethod,
    ConsentResponse,
    EligibilityOutcome,
    NoticeAction,
    ReevaluationKind,
    ReferralSource,
)


class ReevaluationStage(StrEnum):
    TRIENNIAL_DUE_SOON = "triennial_due_soon"
    TRIENNIAL_OVERDUE = "triennial_overdue"
    TRIENNIAL_WAIVED = "triennial_waived"
    PARENT_REQUEST = "parent_request"


# Days from "demo today minus three years" to the first eligibility decision.
REEVALUATION_OFFSETS = {
    ReevaluationStage.TRIENNIAL_DUE_SOON: 20,
    ReevaluationStage.TRIENNIAL_OVERDUE: -15,
    ReevaluationStage.TRIENNIAL_WAIVED: 40,
    ReevaluationStage.PARENT_REQUEST: 60,
}
_YEARS_BACK = 3


@dataclass(frozen=True)
class PlannedReevaluation:
    student: int
    stage: ReevaluationStage
    decided: date  # the first eligibility decision (IEP)
    today: date  # demo today
    areas: tuple[str, ...]
    description: str
    category: str


def _years_back(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year - years)
    except ValueError:  # 29 February
        return day.replace(year=day.year - years, day=28)


def plan_reevaluations(
    plan: world_plan.Plan, anchor: date, referrals: Sequence[PlannedReferral]
) -> list[PlannedReevaluation]:
    """Four Riverside students with an IEP, none of them in a demo referral or family."""
    rng = random.Random(f"tandem-demo-reevaluations-{plan.seed}")
    family_kids = {i for f in plan.demo_families.values() for i in plan.families[f].kids}
    taken = family_kids | {r.student for r in referrals}
    caseload = [
        i
        for i in plan.demo_students.get(personas.CASE_MANAGER, [])
        if i not in taken and plan.students[i].program == "iep"
    ]
    others = [
        i
        for i, s in enumerate(plan.students)
        if s.district == districts.RIVERSIDE
        and s.school == districts.RIVERSIDE_ELEMENTARY
        and s.program == "iep"
        and i not in taken
        and i not in caseload
        and not any(i in kids for kids in plan.demo_students.values())
    ]
    rng.shuffle(caseload)
    rng.shuffle(others)
    base = _years_back(anchor, _YEARS_BACK)
    result = []
    for i, stage in zip([*caseload, *others], ReevaluationStage, strict=False):
        areas, description, category, _impairment = rng.choice(CONCERNS)
        result.append(
            PlannedReevaluation(
                student=i,
                stage=stage,
                decided=base + timedelta(days=REEVALUATION_OFFSETS[stage]),
                today=anchor,
                areas=tuple(areas),
                description=description,
                category=category,
            )
        )
    return result


def historic_calendar(spec: districts.DistrictSpec, anchor: date) -> None:
    """The district's calendar of the school year three years back (no closures recorded)."""
    start = _years_back(anchor, _YEARS_BACK) - timedelta(days=60)
    year = start.year if start >= spec.first_day_in(start.year) else start.year - 1
    for y in (year, year + 1):
        first = spec.first_day_in(y)
        SchoolCalendar.objects.get_or_create(
            district=District.objects.get(slug=spec.slug),
            school=None,
            school_year=f"{y}-{y + 1}",
            defaults={
                "first_day": first,
                "last_day": spec.last_day.replace(year=y + 1),
                "next_first_day": spec.first_day_in(y + 1),
            },
        )


def write_reevaluation(
    writer: referrals_writer.Writer, r: PlannedReevaluation, student: Student
) -> None:
    """The first evaluation through the actions, then the reevaluation story of its stage."""
    lead = writer.actor(student, personas.CASE_MANAGER)
    first = writer.plan.students[r.student].preferred_first or writer.plan.students[r.student].first
    received = r.decided - timedelta(days=38)
    referral = actions.create_referral(
        actor=lead,
        student=student,
        source=ReferralSource.TEACHER,
        source_name="Classroom teacher",
        received_on=received,
        areas_of_concern=r.areas,
        description=r.description,
    )
    actions.record_case_review(
        actor=lead,
        referral=referral,
        decided_on=received + timedelta(days=5),
        decision=CaseReviewDecision.EVALUATE_SPECIAL_EDUCATION,
        reason="Suspected disability in the areas of concern; evaluate in each of them.",
    )
    sent = received + timedelta(days=6)
    actions.issue_prior_written_notice(
        actor=lead,
        student=student,
        referral=referral,
        action=NoticeAction.PROPOSES,
        content=referrals_writer.notice_proposing(first),
        issued_on=sent,
        proposed_action_on=sent + referrals_writer.PROPOSED_ACTION_AFTER,
    )
    consent = actions.request_consent(
        actor=lead,
        referral=referral,
        kind=ConsentKind.INITIAL_EVALUATION,
        sent_on=sent,
        method=ConsentMethod.IN_PERSON,
    )
    actions.record_consent_response(
        actor=lead,
        consent=consent,
        response=ConsentResponse.GIVEN,
        received_on=sent + timedelta(days=7),
    )
    plan_on = sent + timedelta(days=9)
    evaluation = actions.plan_assessments(actor=lead, referral=referral, created_on=plan_on)
    evaluator = writer.evaluators(student, lead)["psych"]
    area = AssessmentArea.ACADEMIC
    assessment = actions.add_assessment(
        actor=lead,
        plan=evaluation,
        area=area,
        evaluator=evaluator,
        due_on=plan_on + timedelta(days=20),
        instrument=INSTRUMENTS[area],
    )
    actions.complete_assessment(
        actor=lead,
        assessment=assessment,
        completed_on=plan_on + timedelta(days=18),
        summary=SUMMARIES[area],
    )
    actions.complete_evaluation_report(
        actor=lead,
        referral=referral,
        completed_on=plan_on + timedelta(days=20),
        summary="Findings in each area assessed; see the assessments for scores.",
    )
    actions.decide_eligibility(
        actor=lead,
        referral=referral,
        decided_on=r.decided,
        outcome=EligibilityOutcome.IEP,
        team_present=sorted({lead.staff, evaluator}, key=lambda s: s.pk),
        parent_present=True,
        primary_category=r.category,
        has_disability=True,
        adverse_effect=True,
        needs_sdi=True,
    )
    # The IEP meeting was held in time; Tandem's IEP pages record that, and they are not in the
    # demo yet, so the demo marks it met here.
    deadlines.meet_deadlines(
        student=student,
        kinds=[DeadlineKind.INITIAL_IEP_MEETING],
        on=r.decided + timedelta(days=21),
        actor=lead,
    )
    anchor = r.today
    guardian = queries.rights_holder(student)
    parent = f"{guardian.first_name} {guardian.last_name}" if guardian else "Parent"
    if r.stage is ReevaluationStage.TRIENNIAL_WAIVED:
        due = queries.reevaluation_due(student)
        assert due is not None
        reevaluations.waive_reevaluation(
            actor=lead,
            deadline=due,
            agreement=reevaluations.Agreement(
                parent_name=parent,
                parent_agreed_on=anchor - timedelta(days=12),
                district_name=lead.get_full_name() or lead.email,
                district_agreed_on=anchor - timedelta(days=10),
                note="Recent progress data and classroom work show the current needs clearly.",
            ),
        )
    elif r.stage is ReevaluationStage.PARENT_REQUEST:
        requested = anchor - timedelta(days=12)
        reevaluation = reevaluations.start_reevaluation(
            actor=lead,
            student=student,
            kind=ReevaluationKind.PARENT_REQUEST,
            requested_on=requested,
            requested_by=parent,
            areas_of_concern=r.areas,
            description="The parent asks for a reevaluation: new concerns at home and school.",
        )
        actions.issue_prior_written_notice(
            actor=lead,
            student=student,
            referral=reevaluation,
            action=NoticeAction.PROPOSES,
            content=referrals_writer.notice_proposing(first),
            issued_on=requested + timedelta(days=2),
        )
        consent = actions.request_consent(
            actor=lead,
            referral=reevaluation,
            kind=ConsentKind.REEVALUATION,
            sent_on=requested + timedelta(days=2),
            method=ConsentMethod.MAIL,
        )
        reevaluations.record_consent_attempt(
            actor=lead,
            consent=consent,
            attempted_on=requested + timedelta(days=8),
            method=ConsentMethod.PHONE,
            note="Called the home number; left a message about the consent form.",
        )
