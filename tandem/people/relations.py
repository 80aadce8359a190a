"""The student's people, written once: who holds educational rights, who manages the case.

Reads only (no access decision): callers have already passed the gatekeeper for the student.
"""

from __future__ import annotations

from datetime import date

from django.db.models import Q

from tandem.core import clock
from tandem.people.models import (
    CaseloadAssignment,
    Guardian,
    Relationship,
    Staff,
    Student,
    StudentGuardian,
    TeamMembership,
    TeamRole,
)
from tandem.rules.deadline_common import add_years
from tandem.rules.profiles import Rule, load_profile


def rights_holder_links(student: Student) -> list[StudentGuardian]:
    """Links to the parents who hold educational rights (300.30), primary contact first."""
    return list(
        StudentGuardian.objects.filter(student=student, educational_rights_holder=True)
        .select_related("guardian__user")
        .order_by("-primary_contact", "id")
    )


def rights_holders(student: Student) -> list[Guardian]:
    """The parents who hold educational rights, primary contact first."""
    return [link.guardian for link in rights_holder_links(student)]


def rights_holder(student: Student) -> Guardian | None:
    """The parent who receives notices: the primary contact among those holding the rights."""
    links = rights_holder_links(student)
    return links[0].guardian if links else None


def notice_recipients(student: Student) -> list[StudentGuardian]:
    """Links to everyone a notice goes to: the rights holders, then the parents whose rights
    passed to the student at the age of majority, who keep receiving notices (300.520(a)(1)(i))."""
    return list(
        StudentGuardian.objects.filter(student=student)
        .filter(Q(educational_rights_holder=True) | Q(rights_transferred_on__isnull=False))
        .select_related("guardian__user")
        .order_by("-educational_rights_holder", "-primary_contact", "id")
    )


def holds_own_rights(student: Student) -> StudentGuardian | None:
    """The student's own link once their rights passed to them at the age of majority."""
    return (
        StudentGuardian.objects.filter(
            student=student, relationship=Relationship.SELF, educational_rights_holder=True
        )
        .select_related("guardian__user")
        .first()
    )


def majority_on(student: Student) -> date | None:
    """The day the student reaches the age of majority under the district's state rules."""
    try:
        spec = load_profile(student.district.state).spec(Rule.TRANSFER_OF_RIGHTS)
    except (ValueError, LookupError):
        return None
    years = getattr(spec, "age_of_majority", None)
    return add_years(student.date_of_birth, years) if years else None


def case_managers(student: Student, *, today: date | None = None) -> list[Staff]:
    """The student's case managers today: the caseload's, else the team's case-manager role."""
    day = today or clock.today()
    staff = [
        a.staff
        for a in CaseloadAssignment.objects.active_on(day)
        .filter(student=student)
        .select_related("staff__user")
        .order_by("id")
    ]
    if not staff:
        staff = [
            m.staff
            for m in TeamMembership.objects.active_on(day)
            .filter(student=student, role=TeamRole.CASE_MANAGER)
            .select_related("staff__user")
            .order_by("id")
        ]
    return staff
