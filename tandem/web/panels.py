"""The student page's panels: an ordered list, each a template and the data it shows.

The web app sits above every product app, so it imports their query functions directly; no app
registers itself. A panel's `build(student, access, today, viewer)` reads its data in a fixed
number of queries (however many plans, goals or meetings the student has) and never asks the
policy again: what the viewer may do comes from the one decision, `access`, which the templates
read as `access.can.<capability>`. A panel shows only when the decision holds what it `needs`.

The referrals section still takes its flags (`section_can_write`, `can_reevaluate`) from here;
each is the one capability its buttons need.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from typing import Any

from tandem.access import queries as people_queries
from tandem.access.capabilities import Cap, Tie
from tandem.access.policy import Access
from tandem.accounts.models import User
from tandem.communication.queries import section_figures
from tandem.people.models import Student
from tandem.plans.models import EDITABLE_STATUSES, PlanKind
from tandem.plans.queries import plans_of_student
from tandem.progress.queries import goals_of_student, progress_for_goals
from tandem.referrals import queries as referral_queries
from tandem.referrals.models import EligibilityOutcome, ReferralStatus
from tandem.reports import schedule
from tandem.reports.actions import reporting_plan
from tandem.reports.forms import DraftForm
from tandem.reports.models import ProgressReport
from tandem.reports.queries import reports_of_student
from tandem.revisions.queries import for_student

Build = Callable[[Student, Access, date, User], dict[str, Any]]


@dataclass(frozen=True, slots=True)
class Panel:
    """One block of the student page."""

    name: str
    template: str
    build: Build
    needs: Cap = Cap.READ


@dataclass(frozen=True, slots=True)
class Shown:
    """A panel ready to render: its template and its own context."""

    name: str
    template: str
    context: dict[str, Any]


def _profile(student: Student, access: Access, today: date, viewer: User) -> dict[str, Any]:
    return {"age": student.age_on(today)}


def _plans(student: Student, access: Access, today: date, viewer: User) -> dict[str, Any]:
    plans = plans_of_student(student)
    drafting = {p.kind for p in plans if p.status in EDITABLE_STATUSES}
    startable = [(kind, label) for kind, label in PlanKind.choices if kind not in drafting]
    return {"plans": plans, "startable": startable if access.has(Cap.WRITE_PLAN) else []}


def _progress(student: Student, access: Access, today: date, viewer: User) -> dict[str, Any]:
    return {"items": progress_for_goals(goals_of_student(student))}


def _draft_form(student: Student, reports: list[ProgressReport], today: date) -> Any:
    """The form to draft the next progress report, when a period of the IEP is still open."""
    plan = reporting_plan(student)
    if plan is None:
        return None
    taken = {(r.period_start, r.period_end) for r in reports if r.is_issued}
    periods = [p for p in schedule.periods_for(plan) if (p.start, p.end) not in taken]
    if not periods:
        return None
    current, _last = schedule.current_and_last(plan, today)
    return DraftForm(initial={"period": current.key} if current in periods else {}, periods=periods)


def _reports(student: Student, access: Access, today: date, viewer: User) -> dict[str, Any]:
    staff = bool(access.ties - {Tie.RIGHTS_HOLDER})  # the family sees issued reports only
    reports = reports_of_student(student, include_drafts=staff)
    drafting = staff and access.has(Cap.ISSUE_REPORTS)
    return {
        "reports": reports,
        "draft_form": _draft_form(student, reports, today) if drafting else None,
    }


def _meetings(student: Student, access: Access, today: date, viewer: User) -> dict[str, Any]:
    return {}


def _revisions(student: Student, access: Access, today: date, viewer: User) -> dict[str, Any]:
    return {"rows": list(for_student(student)[:10])}


def _communication(student: Student, access: Access, today: date, viewer: User) -> dict[str, Any]:
    return {"f": section_figures(student, viewer)}


def _family_portal(student: Student, access: Access, today: date, viewer: User) -> dict[str, Any]:
    return {}


def _referrals(student: Student, access: Access, today: date, viewer: User) -> dict[str, Any]:
    referrals = referral_queries.referrals_of_student(student)
    # The decisions come with the referrals: no query unless the student was found eligible.
    decisions = [d for r in referrals if (d := referral_queries.eligibility_of(r)) is not None]
    decision = max(decisions, key=lambda d: (d.decided_on, d.pk), default=None)
    eligible = decision is not None and decision.outcome != EligibilityOutcome.NOT_ELIGIBLE
    reevaluation_open = any(
        r.is_reevaluation and r.status in (ReferralStatus.OPEN, ReferralStatus.IN_EVALUATION)
        for r in referrals
    )
    return {
        "section_can_write": access.has(Cap.START_REFERRAL),
        # A teacher's way in (the concern goes to the case manager); who may open a referral
        # themselves has the "New referral" button instead.
        "can_raise_concern": access.has(Cap.RAISE_CONCERN) and not access.has(Cap.START_REFERRAL),
        "reevaluation_due": referral_queries.reevaluation_due(student) if decisions else None,
        "reevaluation_open": reevaluation_open,
        "can_reevaluate": eligible and not reevaluation_open and access.has(Cap.RUN_EVALUATION),
        "items": [
            {
                "referral": referral,
                "next": referral_queries.next_step(referral),
                "deadline": referral_queries.legal_deadline(referral),
            }
            for referral in referrals
        ],
    }


def _people(student: Student, access: Access, today: date, viewer: User) -> dict[str, Any]:
    people = people_queries.overview_for(student, today=today)
    access.mark_contacts(people["guardians"])  # type: ignore[arg-type]
    return people


PANELS: tuple[Panel, ...] = (
    Panel("profile", "students/_profile.html", _profile),
    Panel("plans", "plans/_section.html", _plans),
    Panel("progress", "progress/_section.html", _progress),
    Panel("reports", "reports/_section.html", _reports),
    Panel("meetings", "meetings/_student_section.html", _meetings),
    Panel("revisions", "revisions/_section.html", _revisions),
    Panel("communication", "communication/_section.html", _communication),
    Panel("family_portal", "portal/_student_section.html", _family_portal),
    Panel("referrals", "referrals/_section.html", _referrals),
    Panel("people", "students/_people.html", _people),
)


def panels_for(access: Access, *, today: date, viewer: User) -> list[Shown]:
    """The panels `access` lets the viewer see, in page order, each with its data."""
    student = access.student
    return [
        Shown(panel.name, panel.template, panel.build(student, access, today, viewer))
        for panel in PANELS
        if access.has(panel.needs)
    ]
