"""The one access policy: who may see and change which student's record (COMPLIANCE.md §7).

A legitimate educational interest comes from a relationship that is in force today (a caseload,
team membership, a class roster, a provider assignment, school or district leadership,
guardianship as an educational-rights holder), never from a role alone. Every page and endpoint
fetches student data through `students_visible_to` or `access_student`; a record out of reach is
a 404, the same answer as a record that does not exist.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils import timezone

from tandem.access import audit
from tandem.access.models import User
from tandem.people.models import (
    WRITING_TEAM_ROLES,
    CaseloadAssignment,
    ClassEnrollment,
    District,
    ProviderAssignment,
    Role,
    School,
    StaffRole,
    Student,
    StudentGuardian,
    TeamMembership,
)


class Need(StrEnum):
    READ = "read"
    WRITE = "write"


@dataclass(frozen=True, slots=True)
class Standing:
    """What a user holds today, computed once per request: roles, not yet relationships."""

    staff_id: int | None
    guardian_id: int | None
    admin_district_ids: frozenset[int]
    admin_school_ids: frozenset[int]
    roles: frozenset[str]

    @property
    def is_staff_member(self) -> bool:
        return self.staff_id is not None


def _today() -> date:
    return timezone.localdate()


def standing(user: User, *, today: date | None = None) -> Standing:
    """The user's roles in force today (cached on the user object for the request)."""
    day = today or _today()
    cached = getattr(user, "_tandem_standing", None)
    if cached is not None and cached[0] == day:
        return cached[1]
    staff_id = guardian_id = None
    districts: set[int] = set()
    schools: set[int] = set()
    roles: set[str] = set()
    if user.is_authenticated and user.is_active:
        staff = getattr(user, "staff", None) if _has_related(user, "staff") else None
        if staff is not None:
            staff_id = staff.pk
            for role, district_id, school_id in (
                StaffRole.objects.active_on(day)
                .filter(staff=staff)
                .values_list("role", "district_id", "school_id")
            ):
                roles.add(role)
                if role == Role.DISTRICT_ADMIN:
                    districts.add(district_id)
                elif role == Role.SCHOOL_ADMIN and school_id is not None:
                    schools.add(school_id)
        guardian = getattr(user, "guardian", None) if _has_related(user, "guardian") else None
        if guardian is not None:
            guardian_id = guardian.pk
    result = Standing(
        staff_id=staff_id,
        guardian_id=guardian_id,
        admin_district_ids=frozenset(districts),
        admin_school_ids=frozenset(schools),
        roles=frozenset(roles),
    )
    user._tandem_standing = (day, result)  # type: ignore[attr-defined]
    return result


def _has_related(user: User, name: str) -> bool:
    try:
        getattr(user, name)
    except Exception:  # RelatedObjectDoesNotExist
        return False
    return True


def _relationship_filter(user: User, need: Need, day: date) -> Q | None:
    s = standing(user, today=day)
    parts: list[Q] = []
    if s.admin_district_ids:
        parts.append(Q(district_id__in=s.admin_district_ids))
    if s.admin_school_ids:
        parts.append(Q(school_id__in=s.admin_school_ids))
    if s.staff_id is not None:
        parts.append(
            Q(
                pk__in=CaseloadAssignment.objects.active_on(day)
                .filter(staff_id=s.staff_id)
                .values("student_id")
            )
        )
        team = TeamMembership.objects.active_on(day).filter(staff_id=s.staff_id)
        if need is Need.WRITE:
            team = team.filter(role__in=WRITING_TEAM_ROLES)
        parts.append(Q(pk__in=team.values("student_id")))
        parts.append(
            Q(
                pk__in=ProviderAssignment.objects.active_on(day)
                .filter(staff_id=s.staff_id)
                .values("student_id")
            )
        )
        if need is Need.READ:
            # 300.323(d): teachers responsible for implementing the plan see their students.
            roster = (
                ClassEnrollment.objects.active_on(day)
                .filter(
                    section__teacher_id=s.staff_id,
                    section__start_date__lte=day,
                )
                .filter(Q(section__end_date__isnull=True) | Q(section__end_date__gte=day))
            )
            parts.append(Q(pk__in=roster.values("student_id")))
    if s.guardian_id is not None and need is Need.READ:
        parts.append(
            Q(
                pk__in=StudentGuardian.objects.filter(
                    guardian_id=s.guardian_id, educational_rights_holder=True
                ).values("student_id")
            )
        )
    if not parts:
        return None
    combined = parts[0]
    for part in parts[1:]:
        combined |= part
    return combined


def students_visible_to(
    user: User, *, need: Need = Need.READ, today: date | None = None
) -> QuerySet[Student]:
    """Every student `user` may read (or change, with Need.WRITE) today."""
    day = today or _today()
    condition = _relationship_filter(user, need, day)
    if condition is None:
        return Student.objects.none()
    return Student.objects.filter(condition)


def can(user: User, need: Need, student: Student, *, today: date | None = None) -> bool:
    """Whether `user` holds `need` on `student` today."""
    return students_visible_to(user, need=need, today=today).filter(pk=student.pk).exists()


def parse_public_id(value: object) -> uuid.UUID:
    """A public id from a URL; anything malformed is simply not found."""
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError):
        raise Http404 from None


def access_student(
    user: User,
    public_id: object,
    *,
    need: Need = Need.READ,
    action: str | None = "student.viewed",
    purpose: str | None = None,
) -> Student:
    """Return the student if `user` holds `need` on them, recording the access; otherwise 404/403."""
    key = parse_public_id(public_id)
    student = (
        students_visible_to(user).select_related("school", "district").filter(public_id=key).first()
    )
    if student is None:
        raise Http404
    if need is Need.WRITE and not can(user, Need.WRITE, student):
        raise PermissionDenied
    if action:
        audit.record(actor=user, action=action, student=student, target=student, purpose=purpose)
    return student


def districts_administered_by(user: User) -> QuerySet[District]:
    return District.objects.filter(pk__in=standing(user).admin_district_ids)


def schools_led_by(user: User) -> QuerySet[School]:
    """Schools the user leads: as a principal, or every school of a district they administer."""
    s = standing(user)
    return School.objects.filter(
        Q(pk__in=s.admin_school_ids) | Q(district_id__in=s.admin_district_ids)
    )
