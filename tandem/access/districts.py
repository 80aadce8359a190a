"""Gatekeepers for pages about a whole district (the federal counts): which students they count.

A district-wide page answers as a student's record does. A person with no standing in the
district today (no role there, not its administrator) gets 404, the same as a district that does
not exist, so the page tells an outsider nothing. A person with a role there who holds the
capability on none of its students (a teacher, a case manager) gets 403, logged as refused.
Whoever passes sees only the students on whom they hold it: a district administrator the whole
district, a principal the students of their schools.

The leaders' lists (caseloads, plans) answer the same way without a district in the address:
`lead_reach` gives the schools the person leads and their students, 404 to someone with no
role at all (a parent), 403 to a member of staff who leads no school (a teacher).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from tandem import audit
from tandem.access.capabilities import Cap
from tandem.access.policy import (
    parse_public_id,
    record_refusal,
    schools_led_by,
    standing,
    students_led_by,
    students_with,
)
from tandem.accounts.models import User
from tandem.audit.catalogue import Action
from tandem.core import clock
from tandem.people.models import District, School, StaffRole, Student


@dataclass(frozen=True, slots=True)
class DistrictReach:
    """The district asked for, and its students the person may count in it."""

    district: District
    students: QuerySet[Student]
    whole_district: bool  # an administrator of the district, not a principal of some schools


@dataclass(frozen=True, slots=True)
class LeadReach:
    """The schools a district administrator or principal leads today, and their students."""

    schools: list[School]  # by name; a district administrator's are every school of the district
    students: QuerySet[Student]


def _refuse(user: User, district: District | None, page: str, asked_for: object) -> None:
    if user.is_authenticated:
        audit.record(
            actor=user,
            action=Action.ACCESS__REFUSED,
            district=district,
            detail={"page": page, "asked_for": str(asked_for)[:64]},
        )


def districts_reporting(user: User, *, need: Cap = Cap.FEDERAL_REPORTS) -> list[District]:
    """The districts with students on whom `user` holds `need` today (404/403 if none)."""
    today = clock.today()
    s = standing(user, today=today)
    if s.staff_id is None:
        record_refusal(user, need, student=None, page="district_reports")
        raise Http404
    students = students_with(user, need, today=today)
    found = list(District.objects.filter(pk__in=students.values("district_id")).order_by("name"))
    if not found:
        _refuse(user, None, "district_reports", need)
        raise PermissionDenied
    return found


def district_reach(
    user: User, district_id: object, *, need: Cap = Cap.FEDERAL_REPORTS, page: str
) -> DistrictReach:
    """The district and the students of it on whom `user` holds `need`; else 404 or 403."""
    today = clock.today()
    try:
        key = parse_public_id(district_id)
    except Http404:
        record_refusal(user, district_id, student=None, page=page)
        raise
    district = District.objects.filter(public_id=key).first()
    s = standing(user, today=today)
    in_district = district is not None and (
        district.pk in s.admin_district_ids
        or (
            s.staff_id is not None
            and StaffRole.objects.active_on(today)  # type: ignore[attr-defined]
            .filter(Q(staff_id=s.staff_id), Q(district=district))
            .exists()
        )
    )
    if not in_district:
        record_refusal(user, key, student=None, page=page)
        raise Http404
    assert district is not None
    students = students_with(user, need, today=today).filter(district=district)
    if not students.exists():
        _refuse(user, district, page, need)
        raise PermissionDenied
    return DistrictReach(district, students, district.pk in s.admin_district_ids)


def lead_reach(user: User, *, page: str) -> LeadReach:
    """The schools `user` leads and their students, for a leaders' list; else 404 or 403."""
    if standing(user, today=clock.today()).staff_id is None:
        record_refusal(user, page, student=None, page=page)
        raise Http404
    schools = list(schools_led_by(user).select_related("district").order_by("name", "id"))
    if not schools:
        _refuse(user, None, page, "lead_schools")
        raise PermissionDenied
    return LeadReach(schools, students_led_by(user, today=clock.today()))
