"""What a signed IEP or 504 Plan carries besides its content: who the student is, the
eligibility the plan rests on, the team with their roles, and the people who sign it.

Read from the record as it stood on the plan's date (its meeting, else the day it took effect,
else today for a draft): the school and grade of the enrollment open that day, the eligibility
decided on or before it, the team members active on it. Reads only; the caller has passed the
plan's gatekeeper. A fixed number of queries whatever the size of the team.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from tandem.compliance.models import Deadline, DeadlineBasis, DeadlineKind
from tandem.core import clock
from tandem.people.models import (
    CaseloadAssignment,
    Enrollment,
    Grade,
    StudentGuardian,
    TeamMembership,
    TeamRole,
)
from tandem.plans.models import Plan, PlanKind
from tandem.referrals.models import (
    MAJOR_LIFE_ACTIVITIES,
    DisabilityCategory,
    EligibilityDecision,
    EligibilityOutcome,
)
from tandem.rules import deadlines as engine
from tandem.rules.profiles import Rule, load_profile


@dataclass(frozen=True)
class Participant:
    """One line of the participants page: who, in what role."""

    name: str
    role: str


def as_date(value: Any) -> date | None:
    """A snapshot's date (ISO text) or a date, as a date; None when absent or unreadable."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value)) if value else None
    except ValueError:
        return None


def plan_day(plan: Plan, doc: Mapping[str, Any]) -> date:
    """The day the document speaks of: its meeting, else its start, else today (a draft)."""
    for value in (doc.get("meeting_date"), doc.get("effective_from"), plan.meeting_date):
        if day := as_date(value):
            return day
    return clock.today()


def review_due(plan: Plan, doc: Mapping[str, Any]) -> date | None:
    """The annual review date: the document's, else the one counted for the plan when it was
    finalized (a 504 Plan's review is a district rule, stored as the plan's deadline)."""
    if day := as_date(doc.get("annual_review_due")):
        return day
    deadline = (
        Deadline.objects.filter(
            student_id=plan.student_id,
            kind__in=(DeadlineKind.ANNUAL_REVIEW, DeadlineKind.SECTION_504_ANNUAL_REVIEW),
            source_type=Plan._meta.label_lower,
            source_id=str(plan.public_id),
        )
        .order_by("-id")
        .first()
    )
    return deadline.due_on if deadline else None


def _reevaluation_due(plan: Plan) -> Deadline | None:
    """The next reevaluation of the plan's law: IDEA's three-year one for an IEP (300.303),
    the periodic one for a 504 Plan (104.35(d))."""
    kind = (
        DeadlineKind.REEVALUATION
        if plan.kind == PlanKind.IEP
        else DeadlineKind.SECTION_504_REEVALUATION
    )
    return (
        Deadline.objects.filter(
            student_id=plan.student_id,
            kind=kind,
            met_on__isnull=True,
            status_basis=DeadlineBasis.DUE,
        )
        .order_by("due_on", "id")
        .first()
    )


def _enrollment_on(plan: Plan, day: date) -> Enrollment | None:
    return (
        Enrollment.objects.filter(student_id=plan.student_id, entry_date__lte=day)
        .filter(Q(exit_date__isnull=True) | Q(exit_date__gte=day))
        .select_related("school")
        .order_by("-entry_date", "-id")
        .first()
    )


def _guardians(plan: Plan) -> list[dict[str, Any]]:
    links = (
        StudentGuardian.objects.filter(student_id=plan.student_id, educational_rights_holder=True)
        .select_related("guardian")
        .order_by("-primary_contact", "id")
    )
    return [
        {
            "name": str(link.guardian),
            "relationship": link.get_relationship_display(),
            "language": link.guardian.get_preferred_language_display(),
        }
        for link in links
    ]


def identification(plan: Plan, doc: Mapping[str, Any], day: date) -> dict[str, Any]:
    """The student's identifying facts and the plan's dates, for the document's first block."""
    student = plan.student
    enrollment = _enrollment_on(plan, day)
    grade = enrollment.grade if enrollment else student.grade
    legal_short = f"{student.legal_first_name} {student.legal_last_name}"
    reevaluation = _reevaluation_due(plan)
    return {
        "legal_name": student.legal_name,
        "preferred_name": student.display_name if student.display_name != legal_short else "",
        "date_of_birth": student.date_of_birth,
        "student_id": student.sis_id,
        "state_id": student.state_id,
        "grade": Grade(grade).label if grade in Grade.values else grade,
        "school": (enrollment.school if enrollment else student.school).name,
        "district": student.district.name,
        "home_language": student.home_language,
        "guardians": _guardians(plan),
        "kind": PlanKind(plan.kind).label,
        "meeting_date": as_date(doc.get("meeting_date")),
        "start": as_date(doc.get("effective_from")),
        "end": as_date(doc.get("effective_to")),
        "review_due": review_due(plan, doc),
        "reevaluation_due": reevaluation.due_on if reevaluation else None,
    }


def _decision(plan: Plan, day: date) -> EligibilityDecision | None:
    """The eligibility the plan rests on: the newest of its kind decided by the plan's date (a
    decision made after the plan is not what it rests on)."""
    outcome = (
        EligibilityOutcome.IEP if plan.kind == PlanKind.IEP else EligibilityOutcome.SECTION_504
    )
    return (
        EligibilityDecision.objects.filter(
            student_id=plan.student_id, outcome=outcome, decided_on__lte=day
        )
        .order_by("-decided_on", "-id")
        .first()
    )


def _category(code: str) -> str:
    return str(DisabilityCategory(code).label) if code in DisabilityCategory.values else code


def eligibility(plan: Plan, day: date) -> dict[str, Any] | None:
    """The disability category (IEP: primary and secondary under IDEA) or the impairment and
    the major life activities it limits (504), with the date of the determination."""
    decision = _decision(plan, day)
    if decision is None:
        return None
    activities = [
        str(MAJOR_LIFE_ACTIVITIES.get(code, code)) for code in decision.major_life_activities or []
    ]
    return {
        "decided_on": decision.decided_on,
        "primary": _category(decision.primary_category) if decision.primary_category else "",
        "secondary": [_category(c) for c in decision.secondary_categories or []],
        "impairment": decision.impairment,
        "activities": activities,
    }


def team(plan: Plan, day: date) -> list[Participant]:
    """The case manager(s) and the team members active on the plan's date, each once per role."""
    caseload = (
        CaseloadAssignment.objects.active_on(day)
        .filter(student_id=plan.student_id)
        .select_related("staff__user")
        .order_by("id")
    )
    members = (
        TeamMembership.objects.active_on(day)
        .filter(student_id=plan.student_id)
        .select_related("staff__user")
        .order_by("id")
    )
    case_manager = str(TeamRole.CASE_MANAGER.label)
    rows = [Participant(a.staff.user.get_full_name(), case_manager) for a in caseload]
    rows += [Participant(m.staff.user.get_full_name(), m.get_role_display()) for m in members]
    seen: set[Participant] = set()
    ordered = []
    for row in rows:
        if row not in seen:
            seen.add(row)
            ordered.append(row)
    return ordered


def transition_age(plan: Plan, day: date, end: date | None) -> bool:
    """Whether the student reaches the state's transition age while the plan is in effect:
    then the student is invited (300.321(b)) and signs too."""
    student = plan.student
    last_day = end or day + timedelta(days=365)
    try:
        profile = load_profile(student.district.state)
        dob = student.date_of_birth
        due = engine.compute(Rule.TRANSITION_SERVICES, profile, dob, dob=dob).due
    except (ValueError, LookupError):
        return student.age_on(last_day) >= 16
    return due is not None and due <= last_day


def participants(
    plan: Plan, ident: Mapping[str, Any], day: date, members: list[Participant]
) -> list[Participant]:
    """Who signs: the parents who hold the rights, the student at transition age, the team."""
    parent = _("Parent or guardian")
    rows = [Participant(g["name"], f"{parent} ({g['relationship']})") for g in ident["guardians"]]
    if transition_age(plan, day, ident["end"]):
        rows.append(Participant(ident["legal_name"], _("Student")))
    return rows + members


def document_facts(plan: Plan, doc: Mapping[str, Any]) -> dict[str, Any]:
    """Everything above, for the document's template, in the active language."""
    day = plan_day(plan, doc)
    ident = identification(plan, doc, day)
    members = team(plan, day)
    return {
        "ident": ident,
        "eligibility": eligibility(plan, day),
        "team": members,
        "participants": participants(plan, ident, day, members),
        "is_iep": plan.kind == PlanKind.IEP,
    }
