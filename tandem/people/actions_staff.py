"""The district's roster, staff side: add a member of staff, change their details, give and end
their roles in the district and its schools.

The roster import's rules (tandem/interop/roster_users.py, roster_links.py), for one person at a
time: a person is matched by their email, so nobody gets two accounts; an email of a member of
staff who works for another district links that person (their details kept as they are), one
already on the district's staff is refused (409), one of an account that is not staff (a
parent's) is refused. Nothing is deleted: ending a role dates it. Leadership (district and
school administrators) opens every record of a school or a district, so it is given in Tandem by
a person, never by an import or an integration. The caller has passed the gatekeeper
(tandem/access/administration.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tandem import audit
from tandem.accounts.models import User
from tandem.audit.catalogue import Action
from tandem.core import clock
from tandem.people.actions_assignments import check_end
from tandem.people.conflicts import AlreadyOnRecord
from tandem.people.models import District, Role, School, Staff, StaffRole
from tandem.people.team import PLAN_AHEAD_DAYS

LEADERSHIP = frozenset({Role.DISTRICT_ADMIN, Role.SCHOOL_ADMIN})
USER_FIELDS = ("first_name", "last_name")
STAFF_FIELDS = ("title", "employer", "phone")


@dataclass(frozen=True, slots=True)
class RoleGrant:
    role: str
    district: District
    school: School | None
    start_date: date

    def as_detail(self) -> dict[str, str | None]:
        school = str(self.school.public_id) if self.school is not None else None
        return {"role": self.role, "school": school, "start_date": str(self.start_date)}


def _check_role(role: str, field: str) -> None:
    if role in LEADERSHIP:
        raise ValidationError(
            {field: _("Leadership roles are given in Tandem by a person, not by an integration.")}
        )
    if role not in Role.values:
        raise ValidationError({field: _("Choose a role.")})


def _check_grant(grant: RoleGrant, prefix: str = "") -> None:
    _check_role(grant.role, f"{prefix}role")
    if grant.school is not None and grant.school.district_id != grant.district.pk:
        raise ValidationError({f"{prefix}school": _("Choose a school of this district.")})
    limit = clock.today() + timedelta(days=PLAN_AHEAD_DAYS)
    if grant.start_date > limit:
        message = _("A start date can be planned at most %(days)s days ahead (until %(limit)s).")
        day = date_format(limit, "DATE_FORMAT")
        raise ValidationError(
            {f"{prefix}start_date": message % {"days": PLAN_AHEAD_DAYS, "limit": day}}
        )


def _lock(staff: Staff) -> Staff:
    """One change at a time per person: a role is never given twice."""
    return Staff.objects.select_for_update(of=("self",)).select_related("user").get(pk=staff.pk)


def _in_force(staff: Staff, grant: RoleGrant) -> StaffRole | None:
    return (
        StaffRole.objects.filter(
            Q(end_date__isnull=True) | Q(end_date__gte=grant.start_date),
            staff=staff,
            district=grant.district,
            school=grant.school,
            role=grant.role,
        )
        .order_by("start_date", "id")
        .first()
    )


def _matching(email: str) -> Staff | None:
    """The member of staff with this email; an account that is not staff is refused."""
    try:
        validate_email(email)
    except ValidationError as error:
        raise ValidationError({"email": error.messages}) from None
    staff = Staff.objects.select_related("user").filter(user__email__iexact=email).first()
    if staff is None and User.objects.filter(email__iexact=email).exists():
        raise ValidationError(
            {"email": _("This email belongs to an account that is not staff: it is not linked.")}
        )
    return staff


def _vanished(email: str) -> Staff:
    """The account that took the email a moment ago is gone again (never seen, but answered)."""
    raise ValidationError({"email": _("This email was just given to another account.")})


def _linked(actor: User, staff: Staff, roles: list[RoleGrant]) -> Staff:
    """The roster's rule: a person who works for another district is the same person here."""
    staff = _lock(staff)
    districts = {grant.district.pk for grant in roles}
    if StaffRole.objects.filter(staff=staff, district_id__in=districts).exists():
        raise AlreadyOnRecord(
            _("A member of staff with this email is already on record in the district."),
            existing=staff.public_id,
            field="email",
        )
    StaffRole.objects.bulk_create(_rows(staff, roles))
    audit.record(
        actor=actor,
        action=Action.STAFF__ADDED,
        district=roles[0].district,
        target=staff,
        detail={"linked": True, "roles": [grant.as_detail() for grant in roles]},
    )
    return staff


def _rows(staff: Staff, roles: list[RoleGrant]) -> list[StaffRole]:
    return [
        StaffRole(
            staff=staff, district=g.district, school=g.school, role=g.role, start_date=g.start_date
        )
        for g in roles
    ]


@transaction.atomic
def add_staff(
    *, actor: User, email: str, names: dict[str, str], details: dict[str, str],
    roles: list[RoleGrant],
) -> tuple[Staff, bool]:  # fmt: skip
    """Add a member of staff with their roles: True for a new account, False for a person of
    another district linked (their details kept); one already on the district's staff is 409."""
    for index, grant in enumerate(roles):
        _check_grant(grant, prefix=f"roles.{index}.")
    if (staff := _matching(email)) is not None:
        return _linked(actor, staff, roles), False
    try:
        with transaction.atomic():
            user = User.objects.create_user(email=email, password=None, **names)
    except IntegrityError:  # the same email, added a moment ago: matched as it would be now
        return _linked(actor, _matching(email) or _vanished(email), roles), False
    staff = Staff.objects.create(user=user, **details)
    StaffRole.objects.bulk_create(_rows(staff, roles))
    audit.record(
        actor=actor,
        action=Action.STAFF__ADDED,
        district=roles[0].district,
        target=staff,
        detail={"linked": False, "roles": [grant.as_detail() for grant in roles]},
    )
    return staff, True


@transaction.atomic
def update_staff(*, actor: User, staff: Staff, district_id: int, changes: dict[str, Any]) -> Staff:
    """Change a person's name or staff details; the audit keeps each field's old and new value."""
    staff = _lock(staff)
    changed: dict[str, list[str]] = {}
    for name, value in changes.items():
        if name not in USER_FIELDS + STAFF_FIELDS:
            raise ValidationError({name: _("This field cannot be changed here.")})
        owner = staff.user if name in USER_FIELDS else staff
        if getattr(owner, name) != value:
            changed[name] = [getattr(owner, name), value]
            setattr(owner, name, value)
    if not changed:
        return staff
    if changed.keys() & set(USER_FIELDS):
        staff.user.save(update_fields=list(USER_FIELDS))
    if changed.keys() & set(STAFF_FIELDS):
        staff.save(update_fields=list(STAFF_FIELDS))
    audit.record(actor=actor, action=Action.STAFF__UPDATED, district_id=district_id,
                 target=staff,
                 detail={"fields": changed})  # fmt: skip
    return staff


@transaction.atomic
def grant_role(*, actor: User, staff: Staff, grant: RoleGrant) -> tuple[StaffRole, bool]:
    """Give the person a role from `grant.start_date`; the same role in force already is kept
    (False: nothing was written)."""
    _check_grant(grant)
    staff = _lock(staff)
    if (existing := _in_force(staff, grant)) is not None:
        return existing, False
    (row,) = StaffRole.objects.bulk_create(_rows(staff, [grant]))
    audit.record(actor=actor, action=Action.STAFF_ROLE__GRANTED, district=grant.district,
                 target=staff, detail=grant.as_detail())  # fmt: skip
    return row, True


@transaction.atomic
def end_role(
    *, actor: User, staff: Staff, role: str, district: District, school: School | None,
    end_date: date,
) -> tuple[StaffRole, bool]:  # fmt: skip
    """End the person's open `role` (in `district`, at `school` or district-wide) on `end_date`,
    their last day in it; the row stays as history. The same end again changes nothing (False)."""
    _check_role(role, "role")
    staff = _lock(staff)
    rows = StaffRole.objects.filter(
        staff=staff, district=district, school=school, role=role
    ).order_by("-start_date", "-id")
    row = next((r for r in rows if r.end_date is None), None)
    if row is None:
        if (done := next((r for r in rows if r.end_date == end_date), None)) is not None:
            return done, False
        message = _("%(name)s holds no such role in force.")
        raise ValidationError({"role": message % {"name": staff}})
    check_end(row.start_date, end_date)
    row.end_date = end_date
    row.save(update_fields=["end_date"])
    where = str(school.public_id) if school is not None else None
    audit.record(actor=actor, action=Action.STAFF_ROLE__ENDED, district=district, target=staff,
                 detail={"role": role, "school": where, "end_date": str(end_date)})  # fmt: skip
    return row, True
