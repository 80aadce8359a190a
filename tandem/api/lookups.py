"""The rows a roster write's body names by id (a school, a member of staff, a district), looked
up within the districts the caller administers. One out of reach is refused as a bad value of
that field (422), the same as one that does not exist."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Protocol
from uuid import UUID

from django.utils.translation import gettext as _

from tandem.api.refusals import field_error, not_in_district
from tandem.people.actions_staff import RoleGrant
from tandem.people.models import District, School, Staff, Student


def school_in(districts: Sequence[District], public_id: UUID, *, field: str = "school") -> School:
    school = (
        School.objects.select_related("district")
        .filter(public_id=public_id, district__in=districts)
        .first()
    )
    if school is None:
        raise not_in_district(field)
    return school


def school_of(student: Student, public_id: UUID) -> School:
    """A school of the student's own district."""
    return school_in([student.district], public_id)


def staff_named(public_id: UUID, *, field: str = "staff") -> Staff:
    """The member of staff; whether they work in the district is the action's rule to check."""
    staff = Staff.objects.select_related("user").filter(public_id=public_id).first()
    if staff is None:
        raise field_error(field, _("No member of staff with this id."))
    return staff


class Placed(Protocol):
    @property
    def school(self) -> UUID | None: ...
    @property
    def district(self) -> UUID | None: ...


def place_of(
    body: Placed, districts: Sequence[District], *, prefix: str = ""
) -> tuple[District, School | None]:
    """Where a role is held: the school's district, else the district named, else the only one
    the caller administers."""
    if body.school is not None:
        school = school_in(districts, body.school, field=f"{prefix}school")
        return school.district, school
    found = [d for d in districts if body.district in (None, d.public_id)]
    if body.district is not None and not found:
        raise field_error(f"{prefix}district", _("No such district among those you administer."))
    if len(found) != 1:
        raise field_error(
            f"{prefix}district", _("Name the district: you administer more than one.")
        )
    return found[0], None


class Granted(Placed, Protocol):
    @property
    def role(self) -> str: ...
    @property
    def start_date(self) -> date | None: ...


def grant_of(
    body: Granted, districts: Sequence[District], *, today: date, prefix: str = ""
) -> RoleGrant:
    district, school = place_of(body, districts, prefix=prefix)
    return RoleGrant(body.role, district, school, body.start_date or today)
