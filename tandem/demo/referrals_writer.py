"""Writing a planned demo referral through `tandem.referrals.actions`, one dated step at a time.

The writer resolves planned people to rows and acts as the demo account that may change the
student's record (else the district director), as a user of the pages would.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import timedelta

from tandem.access.capabilities import Cap
from tandem.access.policy import can
from tandem.accounts.models import User
from tandem.demo import districts, personas, world_plan
from tandem.demo.referrals_cases import (
    EVALUATOR_KEY,
    INSTRUMENTS,
    SUMMARIES,
    PlannedReferral,
    Stage,
)
from tandem.people.models import Role, Staff, StaffRole, Student
from tandem.referrals import actions
from tandem.referrals.actions import NoticeContent
from tandem.referrals.models import (
    CaseReviewDecision,
    ConsentKind,
    ConsentResponse,
    EligibilityOutcome,
    NoticeAction,
    Referral,
    Track,
)

# The evaluation a proposal announces starts two weeks after its notice: time to consent.
PROPOSED_ACTION_AFTER = timedelta(days=14)


def notice_proposing(first: str) -> NoticeContent:
    return NoticeContent(
        action_described=f"The district proposes a full initial evaluation of {first}.",
        reasons="The concerns in the referral persist despite general education interventions.",
        evaluation_basis="The referral, teacher input, intervention data, classroom observation.",
        procedural_safeguards_statement="You have protections under IDEA; a copy is enclosed.",
        sources_of_help="Parent Training and Information Center, (800) 555-0100.",
        options_considered="Continued interventions alone: rejected, progress is too slow.",
        other_factors="None.",
    )


def _notice_refusing_evaluation(first: str) -> NoticeContent:
    return NoticeContent(
        action_described=f"The district refuses the request to evaluate {first} now.",
        reasons="Grades and benchmark scores are at grade level; intervention has just begun.",
        evaluation_basis="Report cards, benchmark assessments, teacher input, attendance.",
        procedural_safeguards_statement="You have protections under IDEA; a copy is enclosed.",
        sources_of_help="Parent Training and Information Center, (800) 555-0100.",
        options_considered="An evaluation now: rejected until six weeks of intervention data.",
        other_factors="The team meets again in six weeks to review progress.",
    )


def _notice_not_eligible(first: str) -> NoticeContent:
    return NoticeContent(
        action_described=f"The district refuses to identify {first} as a child with a disability.",
        reasons="The evaluation found no disability that needs specially designed instruction.",
        evaluation_basis="The evaluation report and each assessment in it.",
        procedural_safeguards_statement="You have protections under IDEA; a copy is enclosed.",
        sources_of_help="Parent Training and Information Center, (800) 555-0100.",
        options_considered="Eligibility under IDEA: rejected, the criteria are not met.",
        other_factors="General education supports continue; the team may consider a 504 plan.",
    )


class Writer:
    """Resolves planned people to rows and runs the actions."""

    def __init__(self, plan: world_plan.Plan) -> None:
        self.plan = plan
        emails = [
            personas.CASE_MANAGER,
            personas.PSYCHOLOGIST,
            personas.SLP,
            personas.COORDINATOR_504,
            personas.PRINCIPAL,
            personas.DIRECTOR,
            personas.OAK_VALLEY_DIRECTOR,
        ]
        self.users = {
            u.email: u for u in User.objects.filter(email__in=emails).select_related("staff")
        }
        self.directors = {
            districts.RIVERSIDE_SPEC.slug: self.users[personas.DIRECTOR],
            districts.OAK_VALLEY_SPEC.slug: self.users[personas.OAK_VALLEY_DIRECTOR],
        }
        self._evaluators: dict[int, dict[str, Staff]] = {}
        self._can: dict[tuple[int, int], bool] = {}

    def students(self, indexes: Sequence[int]) -> dict[int, Student]:
        planned = self.plan.students
        wanted = {
            (self.plan.districts[planned[i].district].slug, planned[i].sis_id): i for i in indexes
        }
        rows = Student.objects.filter(
            district__slug__in=districts.DEMO_SLUGS, sis_id__in=[sis for _, sis in wanted]
        ).select_related("district", "school")
        return {
            wanted[(s.district.slug, s.sis_id)]: s
            for s in rows
            if (s.district.slug, s.sis_id) in wanted
        }

    def may_write(self, user: User, student: Student) -> bool:
        key = (user.pk, student.pk)
        if key not in self._can:
            self._can[key] = can(user, Cap.RUN_EVALUATION, student)
        return self._can[key]

    def actor(self, student: Student, *emails: str) -> User:
        """The first of `emails` who may change the student's record, else the director."""
        for email in emails:
            user = self.users.get(email)
            if user is not None and self.may_write(user, student):
                return user
        return self.directors[student.district.slug]

    def evaluators(self, student: Student, lead: User) -> dict[str, Staff]:
        school = student.school_id
        if school not in self._evaluators:
            roles = list(
                StaffRole.objects.filter(school_id=school)
                .select_related("staff")
                .order_by("staff_id")
            )
            demo_staff = {u.staff.pk for u in self.users.values() if hasattr(u, "staff")}

            def first(role: str, title: str = "") -> Staff | None:
                fits = [
                    r.staff
                    for r in roles
                    if r.role == role and (not title or r.staff.title == title)
                ]
                fits.sort(key=lambda s: (s.pk not in demo_staff, s.pk))  # demo accounts first
                return fits[0] if fits else None

            psych = first(Role.EVALUATOR) or lead.staff
            self._evaluators[school] = {
                "psych": psych,
                "academic": first(Role.CASE_MANAGER) or psych,
                "speech": first(Role.PROVIDER, "Speech-Language Pathologist") or psych,
            }
        return self._evaluators[school]

    def write(self, r: PlannedReferral, student: Student) -> Referral:
        """Take the referral through its stage with the actions, one dated step at a time."""
        planned = self.plan.students[r.student]
        first = planned.preferred_first or planned.first
        lead = self.actor(student, r.lead)
        psych = self.actor(student, personas.PSYCHOLOGIST, r.lead)
        referral = actions.create_referral(
            actor=lead,
            student=student,
            source=r.source,
            source_name=r.source_name,
            received_on=r.received,
            areas_of_concern=r.areas,
            description=r.description,
            track=Track.SECTION_504 if r.track == Track.SECTION_504 else Track.UNDECIDED,
        )
        if r.review is None:
            return referral
        if r.stage is Stage.REQUEST_REFUSED:
            actions.record_case_review(
                actor=lead,
                referral=referral,
                decided_on=r.review,
                decision=CaseReviewDecision.GENERAL_EDUCATION_INTERVENTION,
                reason="Six weeks of targeted intervention first; the team reviews the data then.",
                notice=_notice_refusing_evaluation(first),
            )
            return referral
        section_504 = r.track == Track.SECTION_504
        actions.record_case_review(
            actor=lead,
            referral=referral,
            decided_on=r.review,
            decision=CaseReviewDecision.GATHER_504_INFORMATION
            if section_504
            else CaseReviewDecision.EVALUATE_SPECIAL_EDUCATION,
            reason="Gather medical and school information for a 504 plan."
            if section_504
            else "Suspected disability in the areas of concern; evaluate in each of them.",
        )
        if r.notice is not None:
            actions.issue_prior_written_notice(
                actor=lead,
                student=student,
                referral=referral,
                action=NoticeAction.PROPOSES,
                content=notice_proposing(first),
                issued_on=r.notice,
                proposed_action_on=r.notice + PROPOSED_ACTION_AFTER,
            )
        if r.consent_sent is not None:
            consent = actions.request_consent(
                actor=lead,
                referral=referral,
                kind=ConsentKind.INITIAL_EVALUATION,
                sent_on=r.consent_sent,
                method=r.method,
            )
            if r.consent_answer is not None:
                refused = r.stage is Stage.CONSENT_REFUSED
                actions.record_consent_response(
                    actor=lead,
                    consent=consent,
                    response=ConsentResponse.REFUSED if refused else ConsentResponse.GIVEN,
                    received_on=r.consent_answer,
                    refused_reason="The parent prefers to wait and see how the year goes."
                    if refused
                    else "",
                )
        evaluators: list[Staff] = []
        if r.plan_on is not None:
            assessment_plan = actions.plan_assessments(
                actor=lead, referral=referral, created_on=r.plan_on
            )
            staff = self.evaluators(student, lead)
            for a in r.assessments:
                evaluator = staff[EVALUATOR_KEY.get(a.area, "psych")]
                evaluators.append(evaluator)
                assessment = actions.add_assessment(
                    actor=lead,
                    plan=assessment_plan,
                    area=a.area,
                    evaluator=evaluator,
                    due_on=a.due,
                    instrument=INSTRUMENTS[a.area],
                )
                if a.completed is not None:
                    by = psych if evaluator.user_id == psych.pk else lead
                    actions.complete_assessment(
                        actor=by,
                        assessment=assessment,
                        completed_on=a.completed,
                        summary=SUMMARIES[a.area],
                    )
        if r.report is not None:
            actions.complete_evaluation_report(
                actor=lead,
                referral=referral,
                completed_on=r.report,
                summary="Findings in each area assessed; see the assessments for scores.",
            )
        if r.decided is not None:
            self.decide(r, referral, lead, evaluators)
        return referral

    def decide(
        self, r: PlannedReferral, referral: Referral, lead: User, evaluators: list[Staff]
    ) -> None:
        assert r.decided is not None
        team = sorted({s.pk: s for s in [lead.staff, *evaluators]}.values(), key=lambda s: s.pk)
        common = {
            "actor": lead,
            "referral": referral,
            "decided_on": r.decided,
            "team_present": team,
            "parent_present": r.decided.day % 4 != 0,
            "parent_invited": True,  # when absent, the parent had been invited (300.306(a)(1))
        }
        if r.stage is Stage.ELIGIBLE_504:
            actions.decide_eligibility(
                **common,
                outcome=EligibilityOutcome.SECTION_504,
                impairment=r.impairment,
                major_life_activities=r.activities,
                substantial_limitation=True,
                no_evaluation_reason=""
                if r.report
                else "Physician's letter, the nurse's log and two teacher reports.",
            )
        elif r.stage is Stage.NOT_ELIGIBLE:
            actions.decide_eligibility(
                **common,
                outcome=EligibilityOutcome.NOT_ELIGIBLE,
                has_disability=False,
                adverse_effect=False,
                needs_sdi=False,
            )
            actions.issue_prior_written_notice(
                actor=lead,
                student=referral.student,
                referral=referral,
                action=NoticeAction.REFUSES,
                content=_notice_not_eligible(self.plan.students[r.student].first),
                issued_on=r.decided,
            )
        else:
            actions.decide_eligibility(
                **common,
                outcome=EligibilityOutcome.IEP,
                primary_category=r.category,
                has_disability=True,
                adverse_effect=True,
                needs_sdi=True,
            )
