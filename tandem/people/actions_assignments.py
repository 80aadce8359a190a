"""The district's roster, assignments: a student's case manager and providers.

The case manager follows the team's rules (tandem/people/team.py: the caseload row and the place
on the team written together, the previous case manager's place ending the day before, the only
case manager never ended); this module adds that the same request again keeps what is in force,
so an integration may send it twice. A provider assignment is a member of the district's staff
(an employee, or a contractor with a role there) serving the student in one service area, with
the team's date rules. Nothing is deleted: ending an assignment dates it. The caller has passed
the gatekeeper (tandem/access/administration.py).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tandem import audit
from tandem.accounts.models import User
from tandem.audit.catalogue import Action
from tandem.core import clock
from tandem.people import team
from tandem.people.models import (
    CaseloadAssignment,
    ProviderAssignment,
    Staff,
    Student,
    TeamMembership,
    TeamRole,
)

Assignment = CaseloadAssignment | TeamMembership
STAFF = {"membership": "staff"}


def _lock(student: Student) -> Student:
    return (
        Student.objects.select_for_update(of=("self",))
        .select_related("district")
        .get(pk=student.pk)
    )


@transaction.atomic
def assign_case_manager(
    *, actor: User, student: Student, staff: Staff, start_date: date
) -> tuple[CaseloadAssignment, bool]:
    """Make `staff` the case manager from `start_date` (the team's rules); the same case manager
    in force that day already is kept (False: nothing was written)."""
    student = _lock(student)
    current = (
        CaseloadAssignment.objects.filter(
            team.open_from(start_date), student=student, staff=staff, start_date__lte=start_date
        )
        .order_by("id")
        .first()
    )
    if current is not None:
        return current, False
    made = team.assign_case_manager(
        actor=actor, student=student, staff=staff, start_date=start_date
    )
    return made, True


@transaction.atomic
def end_case_manager(
    *, actor: User, student: Student, staff: Staff, end_date: date, reason: str
) -> tuple[Assignment, bool]:
    """End `staff`'s place as case manager on `end_date` (the team's rules: never the only one);
    the same end again changes nothing (False)."""
    student = _lock(student)
    place = TeamMembership.objects.filter(
        student=student, staff=staff, role=TeamRole.CASE_MANAGER, end_date__isnull=True
    ).first()
    caseload = CaseloadAssignment.objects.filter(student=student, staff=staff).order_by("-id")
    if place is None:
        if (done := caseload.filter(end_date=end_date).first()) is not None:
            return done, False
        raise ValidationError(
            {"staff": _("%(name)s is not the student's case manager.") % {"name": staff}}
        )
    try:
        ended = team.end_team_member(
            actor=actor, student=student, membership=place, end_date=end_date, reason=reason
        )
    except ValidationError as error:  # the team names the place on the team; the caller, staff
        named = error.message_dict
        raise ValidationError({STAFF.get(k, k): v for k, v in named.items()}) from None
    return caseload.filter(end_date=end_date).first() or ended, True


def _in_force(
    student: Student, staff: Staff, service_area: str, day: date
) -> ProviderAssignment | None:
    return (
        ProviderAssignment.objects.filter(
            team.open_from(day), student=student, staff=staff, service_area__iexact=service_area
        )
        .order_by("start_date", "id")
        .first()
    )


def _audit(actor: User, action: Action, row: ProviderAssignment, **detail: object) -> None:
    """One event naming the student (the row's student and staff are those the caller holds)."""
    student, staff = row.student, row.staff
    audit.record(actor=actor, action=action, student=student, target=student,
                 detail={"staff": str(staff.public_id), "service_area": row.service_area,
                         **detail})  # fmt: skip


@transaction.atomic
def assign_provider(
    *, actor: User, student: Student, staff: Staff, service_area: str, start_date: date
) -> tuple[ProviderAssignment, bool]:
    """Assign `staff` to serve the student in `service_area` from `start_date`; the same
    assignment in force already is kept (False: nothing was written)."""
    student = _lock(student)
    service_area = service_area.strip()
    if not service_area:
        raise ValidationError({"service_area": _("Name the service area.")})
    if (existing := _in_force(student, staff, service_area, start_date)) is not None:
        return existing, False
    today = clock.today()
    team.check_staff(student, staff, today)
    team.check_start(student, start_date, today)
    row = ProviderAssignment.objects.create(
        staff=staff, student=student, district=student.district,
        service_area=service_area, start_date=start_date,
    )  # fmt: skip
    _audit(actor, Action.PROVIDER_ASSIGNMENT__ADDED, row, start_date=str(start_date))
    return row, True


def check_end(start_date: date, end_date: date) -> None:
    """An end date is the last day: not before the start, at most the team's days ahead."""
    if end_date < start_date:
        day = date_format(start_date, "DATE_FORMAT")
        message = _("The end date cannot be before the start date (%(day)s).")
        raise ValidationError({"end_date": message % {"day": day}})
    if end_date > clock.today() + timedelta(days=team.PLAN_AHEAD_DAYS):
        message = _("An end date can be planned at most %(days)s days ahead.")
        raise ValidationError({"end_date": message % {"days": team.PLAN_AHEAD_DAYS}})


@transaction.atomic
def end_provider_assignment(
    *, actor: User, student: Student, staff: Staff, service_area: str, end_date: date
) -> tuple[ProviderAssignment, bool]:
    """End `staff`'s open assignment in `service_area` on `end_date`, their last day; the row
    stays as history. The same end again changes nothing (False)."""
    student = _lock(student)
    rows = ProviderAssignment.objects.filter(
        student=student, staff=staff, service_area__iexact=service_area.strip()
    ).order_by("-start_date", "-id")
    row = next((r for r in rows if r.end_date is None), None)
    if row is None:
        if (done := next((r for r in rows if r.end_date == end_date), None)) is not None:
            return done, False
        message = _("%(name)s has no assignment in force in this service area.")
        raise ValidationError({"service_area": message % {"name": staff}})
    check_end(row.start_date, end_date)
    row.student, row.staff, row.end_date = student, staff, end_date
    row.save(update_fields=["end_date"])
    _audit(actor, Action.PROVIDER_ASSIGNMENT__ENDED, row, end_date=str(end_date))
    return row, True
