"""The district's staff, kept by a district administrator (the roster's rules,
tandem/people/actions_staff.py): a person is matched by email, roles end with a date.

POST  /staff                     add a member of staff with their roles (201); a person of
                                 another district is linked (200); one already on staff is 409
PATCH /staff/{id}                change their name or details; each field left out is unchanged
POST  /staff/{id}/roles          give a role in the district or one of its schools
POST  /staff/{id}/roles/end      end a role on its last day
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.core.exceptions import ValidationError
from ninja import Router, Status

from tandem.access.administration import districts_to_administer, staff_to_administer
from tandem.access.routes import Scope, writes
from tandem.api import lookups
from tandem.api.refusals import conflict, invalid, named_refusals
from tandem.api.schemas import WRITE_ERRORS
from tandem.api.schemas_people import (
    ConflictOut,
    RoleEndIn,
    RoleIn,
    StaffChange,
    StaffIn,
    StaffRecord,
    StaffRoleRecord,
)
from tandem.core import clock
from tandem.people import actions_staff
from tandem.people.conflicts import AlreadyOnRecord
from tandem.people.models import Staff, StaffRole

router = Router(tags=["staff"])
PAGE = "api_staff"


def _role(row: StaffRole) -> dict[str, Any]:
    school = row.school
    return {
        "role": row.role,
        "district": row.district.public_id,
        "school": {"id": school.public_id, "name": school.name} if school else None,
        "start_date": row.start_date,
        "end_date": row.end_date,
    }


def _record(staff: Staff, district_ids: Collection[int], *, created: bool) -> dict[str, Any]:
    """The person, with their roles (ended ones too) in the districts the caller administers."""
    roles = (
        StaffRole.objects.filter(staff=staff, district_id__in=district_ids)
        .select_related("district", "school")
        .order_by("start_date", "id")
    )
    user = staff.user
    return {
        "id": staff.public_id,
        "email": user.email,
        "first_name": user.first_name,
        "last_name": user.last_name,
        "title": staff.title,
        "employer": staff.employer,
        "phone": staff.phone,
        "roles": [_role(row) for row in roles],
        "created": created,
    }


@router.post("/staff", response={200: StaffRecord, 201: StaffRecord, 409: ConflictOut,
                                 **WRITE_ERRORS})  # fmt: skip
@writes(Scope.DISTRICT)
def create_staff(request, payload: StaffIn):  # type: ignore[no-untyped-def]
    """Add a member of staff with their roles in districts you administer."""
    districts = districts_to_administer(request.user, page=PAGE)
    today = clock.today()
    grants = [lookups.grant_of(role, districts, today=today, prefix=f"roles.{index}.")
              for index, role in enumerate(payload.roles)]  # fmt: skip
    try:
        staff, created = actions_staff.add_staff(
            actor=request.user,
            email=payload.email.strip().lower(),
            names={"first_name": payload.first_name, "last_name": payload.last_name},
            details={"title": payload.title, "employer": payload.employer, "phone": payload.phone},
            roles=grants,
        )
    except AlreadyOnRecord as error:
        return conflict(error)
    except ValidationError as error:
        raise invalid(error) from None
    body = _record(staff, [d.pk for d in districts], created=created)
    return Status(201 if created else 200, body)


@router.patch("/staff/{staff_id}", response={200: StaffRecord, **WRITE_ERRORS})
@writes(Scope.DISTRICT)
def update_staff(request, staff_id: str, payload: StaffChange):  # type: ignore[no-untyped-def]
    """Change the name or details of a member of staff of a district you administer."""
    staff, district_ids = staff_to_administer(request.user, staff_id, page=PAGE)
    district = min(district_ids)
    with named_refusals():
        staff = actions_staff.update_staff(
            actor=request.user,
            staff=staff,
            district_id=district,
            changes=payload.dict(exclude_unset=True),
        )
    return _record(staff, district_ids, created=False)


@router.post("/staff/{staff_id}/roles", response={200: StaffRoleRecord, 201: StaffRoleRecord,
                                                  **WRITE_ERRORS})  # fmt: skip
@writes(Scope.DISTRICT)
def grant_role(request, staff_id: str, payload: RoleIn):  # type: ignore[no-untyped-def]
    """Give a role in a district you administer (201); the same role in force already is 200."""
    staff, _ids = staff_to_administer(request.user, staff_id, page=PAGE)
    districts = districts_to_administer(request.user, page=PAGE)
    grant = lookups.grant_of(payload, districts, today=clock.today())
    with named_refusals():
        row, changed = actions_staff.grant_role(actor=request.user, staff=staff, grant=grant)
    body = {**_role(row), "staff": staff.public_id, "changed": changed}
    return Status(201 if changed else 200, body)


@router.post("/staff/{staff_id}/roles/end", response={200: StaffRoleRecord, **WRITE_ERRORS})
@writes(Scope.DISTRICT)
def end_role(request, staff_id: str, payload: RoleEndIn):  # type: ignore[no-untyped-def]
    """End a role on its last day; the row stays as history."""
    staff, _ids = staff_to_administer(request.user, staff_id, page=PAGE)
    districts = districts_to_administer(request.user, page=PAGE)
    district, school = lookups.place_of(payload, districts)
    with named_refusals():
        row, changed = actions_staff.end_role(
            actor=request.user, staff=staff, role=payload.role, district=district,
            school=school, end_date=payload.end_date or clock.today(),
        )  # fmt: skip
    return {**_role(row), "staff": staff.public_id, "changed": changed}
