"""The only write path for a student's team: assign the case manager, add and end members.

Nothing is deleted: a place on the team ends with an end date (the last day on the team, as
`ActiveQuerySet.active_on` reads it) and the row stays as history. The access policy reads these
rows, so adding a member gives them the record and ending their place takes it away.

The case manager is held in two rows that the code reads side by side (the access policy, the
meeting roster, `relations.case_managers`): a `CaseloadAssignment` and a `TeamMembership` with
the role case manager. Both are written here, always together.

Dates a district expects:
- a start date may be in the past (recording a change already made, but not before the student
  enrolled) or planned up to `PLAN_AHEAD_DAYS` ahead (a handover after a break); a planned member
  gets nothing until the day comes;
- an end date is the last day on the team: never before the start, at most `PLAN_AHEAD_DAYS`
  ahead. To take access away today, end on yesterday.

The caller has passed the gatekeeper with `Cap.MANAGE_TEAM` (people sits below the access policy).
"""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tandem import audit
from tandem.accounts.models import User
from tandem.audit.catalogue import Action
from tandem.core import clock
from tandem.people.models import (
    CaseloadAssignment,
    Staff,
    Student,
    TeamMembership,
    TeamRole,
)
from tandem.people.team_queries import case_manager_candidates, district_staff

PLAN_AHEAD_DAYS = 60
REASON_MAX = 300


def _day(value: date) -> str:
    return date_format(value, "DATE_FORMAT")


def _lock(student: Student) -> Student:
    """One team change at a time per student: the duplicate and last-case-manager checks hold."""
    return Student.objects.select_for_update(of=("self",)).get(pk=student.pk)


def open_from(day: date) -> Q:
    """Rows still in force on or after `day` (open, or ending on or after it)."""
    return Q(end_date__isnull=True) | Q(end_date__gte=day)


def check_start(student: Student, start_date: date, today: date) -> None:
    """A start date: not before the student enrolled, at most PLAN_AHEAD_DAYS ahead."""
    if start_date > today + timedelta(days=PLAN_AHEAD_DAYS):
        limit = today + timedelta(days=PLAN_AHEAD_DAYS)
        raise ValidationError(
            {
                "start_date": _(
                    "A start date can be planned at most %(days)s days ahead (until %(limit)s)."
                )
                % {"days": PLAN_AHEAD_DAYS, "limit": _day(limit)}
            }
        )
    if start_date < student.enrollment_date:
        raise ValidationError(
            {
                "start_date": _("The start date cannot be before the student enrolled (%(day)s).")
                % {"day": _day(student.enrollment_date)}
            }
        )


def check_staff(student: Student, staff: Staff, today: date) -> None:
    """`staff` works in the student's district today: a role there, or an assignment."""
    if not district_staff(student.district, today=today).filter(pk=staff.pk).exists():
        raise ValidationError(
            {
                "staff": _("Choose a member of staff of %(district)s.")
                % {"district": student.district}
            }
        )


@transaction.atomic
def assign_case_manager(
    *, actor: User, student: Student, staff: Staff, start_date: date
) -> CaseloadAssignment:
    """Make `staff` the case manager from `start_date`; the current one's place ends the day before."""
    student = _lock(student)
    today = clock.today()
    if not case_manager_candidates(student.district, today=today).filter(pk=staff.pk).exists():
        raise ValidationError(
            {"staff": _("Choose someone who holds a case manager role in this district.")}
        )
    check_start(student, start_date, today)
    caseloads = list(
        CaseloadAssignment.objects.select_for_update(of=("self",))
        .filter(open_from(start_date), student=student)
        .select_related("staff")
        .order_by("id")
    )
    members = list(
        TeamMembership.objects.select_for_update(of=("self",))
        .filter(open_from(start_date), student=student, role=TeamRole.CASE_MANAGER)
        .select_related("staff")
        .order_by("id")
    )
    if any(c.staff_id == staff.pk and c.start_date <= start_date for c in caseloads):
        raise ValidationError(
            {"staff": _("%(name)s is already the case manager.") % {"name": staff}}
        )
    leaving = [r for r in (*caseloads, *members) if r.staff_id != staff.pk]
    if any(r.start_date >= start_date for r in leaving):
        first = max(r.start_date for r in leaving)
        raise ValidationError(
            {
                "start_date": _(
                    "The current case manager started on %(day)s: the new one must start after."
                )
                % {"day": _day(first)}
            }
        )
    for row in leaving:
        row.end_date = start_date - timedelta(days=1)
        row.save(update_fields=["end_date"])
    assignment = CaseloadAssignment.objects.create(
        staff=staff, student=student, start_date=start_date
    )
    if not any(m.staff_id == staff.pk for m in members):
        TeamMembership.objects.create(
            staff=staff, student=student, role=TeamRole.CASE_MANAGER, start_date=start_date
        )
    audit.record(
        actor=actor,
        action=Action.TEAM__CASE_MANAGER_ASSIGNED,
        student=student,
        target=assignment,
        detail={
            "staff": str(staff.public_id),
            "start_date": start_date.isoformat(),
            "previous": sorted({str(r.staff.public_id) for r in leaving}),
            "ended_memberships": [m.pk for m in members if m.staff_id != staff.pk],
        },
    )
    return assignment


@transaction.atomic
def add_team_member(
    *, actor: User, student: Student, staff: Staff, role: str, start_date: date
) -> TeamMembership:
    """Put `staff` on the student's team in `role` from `start_date` (which opens the record)."""
    student = _lock(student)
    today = clock.today()
    if role == TeamRole.CASE_MANAGER:
        raise ValidationError(
            {"role": _("Use “Assign the case manager” to change the case manager.")}
        )
    if role not in TeamRole.values:
        raise ValidationError({"role": _("Choose a role on the team.")})
    check_staff(student, staff, today)
    check_start(student, start_date, today)
    duplicate = TeamMembership.objects.filter(
        open_from(start_date), student=student, staff=staff, role=role
    )
    if duplicate.exists():
        raise ValidationError(
            {
                "staff": _("%(name)s is already on the team as %(role)s.")
                % {"name": staff, "role": TeamRole(role).label}
            }
        )
    membership = TeamMembership.objects.create(
        staff=staff, student=student, role=role, start_date=start_date
    )
    audit.record(
        actor=actor,
        action=Action.TEAM__MEMBER_ADDED,
        student=student,
        target=membership,
        detail={"staff": str(staff.public_id), "role": role, "start_date": start_date.isoformat()},
    )
    return membership


def _still_has_case_manager(student: Student, membership: TeamMembership, end_date: date) -> bool:
    """Whether someone else manages the case on the day after `end_date`."""
    after = end_date + timedelta(days=1)
    others = Q(open_from(after), student=student) & ~Q(staff_id=membership.staff_id)
    return (
        CaseloadAssignment.objects.filter(others).exists()
        or TeamMembership.objects.filter(others, role=TeamRole.CASE_MANAGER).exists()
    )


def _check_end(membership: TeamMembership, end_date: date, reason: str, today: date) -> None:
    if membership.end_date is not None:
        raise ValidationError(
            {
                "membership": _("This place on the team already ends on %(day)s.")
                % {"day": _day(membership.end_date)}
            }
        )
    if end_date < membership.start_date:
        raise ValidationError(
            {
                "end_date": _("The end date cannot be before they joined the team (%(day)s).")
                % {"day": _day(membership.start_date)}
            }
        )
    if end_date > today + timedelta(days=PLAN_AHEAD_DAYS):
        raise ValidationError(
            {
                "end_date": _("An end date can be planned at most %(days)s days ahead.")
                % {"days": PLAN_AHEAD_DAYS}
            }
        )
    if not reason.strip():
        raise ValidationError({"reason": _("Say why their place on the team ends.")})


@transaction.atomic
def end_team_member(
    *, actor: User, student: Student, membership: TeamMembership, end_date: date, reason: str
) -> TeamMembership:
    """End a place on the team on `end_date` (their last day); the row stays as history."""
    student = _lock(student)
    membership = (
        TeamMembership.objects.select_for_update(of=("self",))
        .select_related("staff")
        .get(pk=membership.pk, student=student)
    )
    _check_end(membership, end_date, reason, clock.today())
    if membership.role == TeamRole.CASE_MANAGER:
        if not _still_has_case_manager(student, membership, end_date):
            raise ValidationError(
                {
                    "membership": _(
                        "This is the student's only case manager. Assign a new case manager "
                        "instead: the current one's place then ends the day before."
                    )
                }
            )
        # The caseload row is the other half of the case manager: it ends with the role.
        CaseloadAssignment.objects.filter(
            student=student, staff_id=membership.staff_id, end_date__isnull=True
        ).update(end_date=end_date)
    membership.end_date = end_date
    membership.save(update_fields=["end_date"])
    audit.record(
        actor=actor,
        action=Action.TEAM__MEMBER_ENDED,
        student=student,
        target=membership,
        detail={
            "staff": str(membership.staff.public_id),
            "role": membership.role,
            "end_date": end_date.isoformat(),
            "reason": reason.strip()[:REASON_MAX],
        },
    )
    return membership
