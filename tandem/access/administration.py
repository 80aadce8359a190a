"""Gatekeepers for keeping a district's roster: its students, their enrolments and assignments,
and its staff (the API's roster writes, issue 15).

Who a student is, where they are enrolled and who works with them is the district's own record
keeping, as the roster import is: only an administrator of the district may change it. Reading
still comes from the policy: a student out of reach is 404, the same as absent, and one in reach
without the district's administration (a principal, a case manager, a teacher) is 403, logged as
refused. A member of staff belongs to the districts where they hold or held a role or a provider
assignment: someone with no role in any of those districts gets 404, someone with a role there
who does not administer it 403.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404

from tandem import audit
from tandem.access.policy import (
    parse_public_id,
    record_refusal,
    refuse,
    standing,
    student_access,
)
from tandem.accounts.models import User
from tandem.audit.catalogue import Action
from tandem.core import clock
from tandem.people.models import District, ProviderAssignment, Staff, StaffRole, Student

ASKED_FOR = "district_admin"


def _refused(user: User, page: str, district: District | None = None) -> PermissionDenied:
    audit.record(
        actor=user,
        action=Action.ACCESS__REFUSED,
        district=district,
        detail={"page": page, "asked_for": ASKED_FOR},
    )
    return PermissionDenied()


def districts_to_administer(user: User, *, page: str) -> list[District]:
    """The districts `user` administers today; none is a 403 (logged as refused)."""
    found = list(District.objects.filter(pk__in=standing(user).admin_district_ids).order_by("pk"))
    if not found:
        raise _refused(user, page)
    return found


def student_to_administer(user: User, student_id: object, *, page: str) -> Student:
    """The student if `user` administers their district; 404 out of reach, 403 if only read."""
    student = student_access(user, student_id, action=None).student
    if student.district_id not in standing(user).admin_district_ids:
        refuse(user, student, ASKED_FOR, page=page)
    return student


def _districts_of(staff: Staff) -> set[int]:
    """Every district the person has worked in: their roles' and assignments' (ended ones too)."""
    roles = StaffRole.objects.filter(staff=staff).values_list("district_id", flat=True)
    assigned = ProviderAssignment.objects.filter(staff=staff).values_list("district_id", flat=True)
    return set(roles.union(assigned))


def staff_to_administer(user: User, staff_id: object, *, page: str) -> tuple[Staff, set[int]]:
    """The member of staff and the districts of theirs that `user` administers (at least one).

    404 when `user` holds no role today in any district the person works in, 403 when they do
    but administer none of those districts.
    """
    key = parse_public_id(staff_id)
    staff = Staff.objects.select_related("user").filter(public_id=key).first()
    districts = _districts_of(staff) if staff is not None else set()
    mine = standing(user)
    worked_together = set(
        StaffRole.objects.active_on(clock.today())  # type: ignore[attr-defined]
        .filter(staff_id=mine.staff_id, district_id__in=districts)
        .values_list("district_id", flat=True)
    ) | (districts & mine.admin_district_ids)
    if staff is None or not worked_together:
        record_refusal(user, key, student=None, page=page)
        raise Http404
    administered = districts & mine.admin_district_ids
    if not administered:
        raise _refused(user, page)
    return staff, administered
