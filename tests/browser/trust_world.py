"""Data for the trust walks (issue 11), built in the live server's demo database.

Each walk gets students of its own, put on the demo case manager's caseload with the test
factories and brought to where the walk starts by the apps' own actions (the same builders the
app tests use), so the walks do not depend on what other browser tests did to the demo.
Run by `tests/browser/test_trust_walks.py` through `run_in_live_db`; prints one JSON object.
"""

from __future__ import annotations

import json
from datetime import timedelta
from types import SimpleNamespace
from typing import Any

from tandem.accounts.models import User
from tandem.core import clock
from tandem.people.models import (
    CaseloadAssignment,
    Guardian,
    Relationship,
    Role,
    Student,
    StudentGuardian,
    TeamMembership,
    TeamRole,
)
from tandem.plans import actions_drafts, actions_versions
from tandem.plans.models import PlanKind
from tandem.progress import actions as progress
from tandem.referrals import actions as referrals
from tandem.referrals.models import (
    AreaOfConcern,
    CaseReviewDecision,
    ConsentKind,
    ConsentMethod,
    NoticeAction,
    ReferralSource,
)
from tandem.reports import actions as reports
from tandem.reports import schedule
from tests.factories import make_student
from tests.plans.test_lifecycle import active_plan
from tests.plans.test_prefinalize import EXTENDED_TIME, SECTIONS, VAGUE_GOAL
from tests.progress.conftest import MATH_GOAL
from tests.referrals.conftest import notice_content

CASE_MANAGER = "casemanager@riverside.example"


class Builder:
    def __init__(self) -> None:
        self.today = clock.today()
        self.cm = User.objects.get(email=CASE_MANAGER)
        self.staff = self.cm.staff
        self.school = self.staff.roles.filter(role=Role.CASE_MANAGER).first().school
        self.world = SimpleNamespace(users={"case_manager": self.cm})
        self.n = 0

    def student(self, first: str, last: str, **extra: Any) -> Student:
        """A student of the case manager's school, on her caseload and team."""
        self.n += 1
        start = self.today - timedelta(days=90)
        kid = make_student(
            self.school, first=first, last=last, sis_id=f"TRUST{self.n:03d}", **extra
        )
        CaseloadAssignment.objects.create(staff=self.staff, student=kid, start_date=start)
        TeamMembership.objects.create(
            staff=self.staff, student=kid, role=TeamRole.CASE_MANAGER, start_date=start
        )
        return kid

    def section(self, plan: Any, key: str, content: dict[str, Any]) -> None:
        actions_drafts.save_section(
            actor=self.cm, plan=plan, key=key, content=content, expected_revision=0
        )

    # --- a: a partial consent ------------------------------------------------------------------

    def consent_pending(self) -> str:
        """A referral in reading and speech, reviewed, noticed, consent asked: the referral."""
        kid = self.student("Paz", "Quintero")
        day = self.today - timedelta(days=14)
        referral = referrals.create_referral(
            actor=self.cm,
            student=kid,
            source=ReferralSource.PARENT,
            source_name="Marta Quintero",
            received_on=day,
            areas_of_concern=[AreaOfConcern.READING, AreaOfConcern.SPEECH_LANGUAGE],
            description="Paz struggles to decode and is hard to understand in class.",
        )
        referrals.record_case_review(
            actor=self.cm,
            referral=referral,
            decided_on=day,
            decision=CaseReviewDecision.EVALUATE_SPECIAL_EDUCATION,
            reason="Suspected SLD and speech-language impairment.",
        )
        referrals.issue_prior_written_notice(
            actor=self.cm,
            student=kid,
            referral=referral,
            action=NoticeAction.PROPOSES,
            content=notice_content(),
            issued_on=day,
        )
        referrals.request_consent(
            actor=self.cm,
            referral=referral,
            kind=ConsentKind.INITIAL_EVALUATION,
            sent_on=day,
            method=ConsentMethod.IN_PERSON,
        )
        return str(referral.public_id)

    # --- b: drafts the pre-finalize check blocks -----------------------------------------------

    def blocked_iep(self) -> str:
        """A first IEP for a 15-year-old (16 within the year: transition age in CA) with no
        services, a vague goal without objectives, an alternate assessment without a reason,
        no transition plan and no consent to services."""
        kid = self.student(
            "Iker", "Salas", grade="5", date_of_birth=self.today - timedelta(days=16 * 365 - 60)
        )
        plan = actions_drafts.create_draft(
            actor=self.cm, student=kid, kind=PlanKind.IEP, today=self.today, meeting_date=self.today
        )
        self.section(plan, "plaafp", {"text": "Iker reads 60 words per minute."})
        for key, text in SECTIONS.items():
            if key != "assessments":
                self.section(plan, key, {"text": text})
        self.section(plan, "assessments", {"state": "alternate", "state_why": ""})
        actions_drafts.add_goal(
            actor=self.cm, plan=plan, data={"area": "Reading", "text": VAGUE_GOAL}
        )
        actions_drafts.add_accommodation(actor=self.cm, plan=plan, data=EXTENDED_TIME)
        return str(plan.public_id)

    def blocked_504(self) -> str:
        """A 504 Plan that names no impairment and provides nothing."""
        kid = self.student("Noa", "Ferrer")
        plan = actions_drafts.create_draft(
            actor=self.cm, student=kid, kind=PlanKind.SECTION_504, today=self.today
        )
        self.section(plan, "section_504_impairment", {"major_life_activities": ["reading"]})
        return str(plan.public_id)

    # --- c, d, e: plans in effect and a draft --------------------------------------------------

    def active(self, first: str, last: str, **extra: Any) -> Any:
        return active_plan(self.world, student=self.student(first, last, **extra))

    def voidable_point(self) -> str:
        """An active IEP with a math goal and two data points, one of them a mistake."""
        plan = self.active("Dario", "Vidal")
        began = self.today - timedelta(days=10)
        review = actions_versions.start_annual_review(
            actor=self.cm, plan=plan, today=began, meeting_date=began
        )
        actions_drafts.add_goal(
            actor=self.cm, plan=review, data={"area": "Mathematics", "text": MATH_GOAL}
        )
        actions_versions.finalize_plan(
            actor=self.cm, plan=review, effective_from=began, today=began
        )
        review.refresh_from_db()
        goal = review.goals.get(area="Mathematics")
        for days, value in ((3, 55.0), (2, 5.0)):
            progress.record_data_point(
                self.cm,
                goal,
                taken_on=self.today - timedelta(days=days),
                measures={"percent": value},
            )
        return str(goal.public_id)

    def draft_to_discard(self) -> str:
        plan = self.active("Elsa", "Moreno")
        review = actions_versions.start_annual_review(
            actor=self.cm, plan=plan, today=self.today, meeting_date=self.today
        )
        return str(review.public_id)

    # --- f: progress reports in English and Spanish --------------------------------------------

    def report(self, first: str, last: str, language: str) -> str:
        plan = self.active(first, last)
        kid = plan.student
        guardian = Guardian.objects.create(
            district=kid.district,
            first_name="Rosa" if language == "es" else "Jane",
            last_name=last,
            preferred_language=language,
        )
        StudentGuardian.objects.create(
            student=kid, guardian=guardian, relationship=Relationship.MOTHER, primary_contact=True
        )
        goal = plan.goals.get()
        progress.record_data_point(
            self.cm, goal, taken_on=self.today - timedelta(days=2), measures=_measure(goal)
        )
        current, last_period = schedule.current_and_last(plan, self.today)
        period = current or last_period
        report = reports.draft_report(actor=self.cm, student=kid, period=period)
        return str(report.public_id)


def _measure(goal: Any) -> dict[str, float]:
    from tandem.progress.measures import METRIC_FIELDS, metric_for

    return {METRIC_FIELDS[metric_for(goal).metric][-1]: 70.0}


def build() -> dict[str, Any]:
    b = Builder()
    return {
        "today": b.today.isoformat(),
        "referral": b.consent_pending(),
        "blocked_iep": b.blocked_iep(),
        "blocked_504": b.blocked_504(),
        "correct": str(b.active("Tomas", "Bravo").public_id),
        "void_goal": b.voidable_point(),
        "discard": b.draft_to_discard(),
        "report_en": b.report("Gwen", "Adler", "en"),
        "report_es": b.report("Lucia", "Navarro", "es"),
    }


def main() -> None:
    print(json.dumps(build()))
