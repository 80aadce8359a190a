"""The student's people, written once: who holds educational rights, who manages the case.

Reads only (no access decision): callers have already passed the gatekeeper for the student.
"""

from __future__ import annotations

from datetime import date

from tandem.core import clock
from tandem.people.models import (
    CaseloadAssignment,
    Guardian,
    Staff,
    Student,
    StudentGuardian,
    TeamMembership,
    TeamRole,
)


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
