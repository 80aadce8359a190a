"""Gatekeepers for the family pages: a guardian reaches only the children whose rights they hold.

Anything else is a 404, the same answer as a child who does not exist, and the attempt is written
to the audit log as "access.denied". A relative who is on file but does not hold educational
rights is told so plainly (403) instead.

A student who holds their own rights after the transfer at the age of majority (34 CFR 300.520)
is served the same way: the school links their account through a Guardian row that holds the
educational rights for their own record (there is no separate student account).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from tandem.access import audit
from tandem.access.models import User
from tandem.access.policy import Need, access_student, parse_public_id, standing
from tandem.people.models import Student, StudentGuardian


class NotRightsHolder(PermissionDenied):
    """The user is on file for the child but does not hold educational rights."""

    def __init__(self, student: Student) -> None:
        super().__init__()
        self.student = student


def rights_link(user: User, student: Student) -> StudentGuardian | None:
    """The user's link to `student` as an educational-rights holder, if they have one."""
    if not user.is_authenticated or standing(user).guardian_id is None:
        return None
    return (
        StudentGuardian.objects.select_related("guardian")
        .filter(student=student, guardian__user=user, educational_rights_holder=True)
        .first()
    )


def deny(user: User, public_id: object, *, reason: str, student: Student | None = None) -> None:
    """Record a refused attempt to open a child's record (the student, if it exists)."""
    if student is None:
        try:
            key = parse_public_id(public_id)
        except Http404:
            key = None
        student = Student.objects.filter(public_id=key).first() if key else None
    audit.record(
        actor=user,
        action="access.denied",
        student=student,
        target=student,
        detail={"page": "portal", "reason": reason, "asked_for": str(public_id)[:64]},
    )


def family_student(user: User, public_id: object, *, action: str | None) -> Student:
    """The child if `user` holds educational rights for them; otherwise 404 (or 403), audited."""
    key = parse_public_id(public_id)
    student = Student.objects.select_related("school", "district").filter(public_id=key).first()
    link = rights_link(user, student) if student is not None else None
    if link is None:
        on_file = (
            student is not None
            and user.is_authenticated
            and StudentGuardian.objects.filter(student=student, guardian__user=user).exists()
        )
        deny(
            user,
            public_id,
            reason="not_rights_holder" if on_file else "not_their_child",
            student=student,
        )
        if on_file:
            raise NotRightsHolder(student)  # type: ignore[arg-type]
        raise Http404
    return access_student(user, key, need=Need.READ, action=action)
