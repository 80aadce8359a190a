"""Demo meetings, seeded by `manage.py seed_demo` after the plans.

Through the same checked and audited actions as the pages, acting as casemanager@: for Ethan
Morgan (parent@riverside.example's son) an upcoming annual review with two times offered, and a
held amendment meeting with attendance, decisions, next steps and minutes shared; for Sofía
Hernández (madre@riverside.example's daughter) an upcoming annual review awaiting her answer;
an amendment meeting that took place yesterday and waits to be recorded; a few more upcoming
meetings on the case manager's caseload. Emails are recorded as history,
not sent. Times are counted from now, so the upcoming ones stay upcoming.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db import transaction
from django.utils import timezone

from tandem.accounts.models import User
from tandem.core import clock
from tandem.meetings import actions_notices, actions_record, actions_scheduling, rules
from tandem.meetings.models import Meeting, MeetingKind, MemberRole, PlaceKind
from tandem.people.models import Staff, Student
from tandem.plans.models import Plan

CASE_MANAGER = "casemanager@riverside.example"


def _at(student: Student, days: int, hour: int, now: datetime) -> datetime:
    zone = ZoneInfo(student.district.time_zone)
    day = timezone.localtime(now, zone).date() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=zone)


def _slot(student: Student, days: int, hour: int, now: datetime) -> actions_scheduling.TimeOption:
    start = _at(student, days, hour, now)
    return actions_scheduling.TimeOption(start, start + timedelta(hours=1))


def _child_of(email: str, first: str) -> Student | None:
    return (
        Student.objects.filter(
            guardian_links__guardian__user__email=email,
            guardian_links__educational_rights_holder=True,
            legal_first_name=first,
        )
        .select_related("district", "school")
        .first()
    )


def _schedule(
    actor: User, student: Student, kind: str, times, now: datetime, **extra: Any
) -> Meeting:  # type: ignore[no-untyped-def]
    day = timezone.localtime(times[0].starts_at, ZoneInfo(student.district.time_zone)).date()
    candidates = rules.candidates(student, kind, day)
    keys = [c.key for c in candidates if c.required]
    roles = {c.role for c in candidates if c.required}
    missing = rules.missing_roles(
        kind, transition=rules.transition_applies(student, kind, day), invited_roles=roles
    )
    outside = [
        actions_scheduling.OutsideInvitee(name=str(MemberRole(r).label), role=r) for r in missing
    ]
    return actions_scheduling.schedule_meeting(
        actor=actor,
        student=student,
        kind=kind,
        times=times,
        place_kind=extra.pop("place_kind", PlaceKind.IN_PERSON),
        place_details=extra.pop(
            "place_details", f"{student.school.name}, {student.school.address}".strip(", ")
        ),
        invitee_keys=keys,
        outside=outside,
        now=now,
        **extra,
    )


def seed(plan: Any, *, log: Callable[[str], None] = lambda _: None) -> None:
    """Seed this app's demo records for the demo world `plan` (a tandem.demo.world plan)."""
    staff = Staff.objects.filter(user__email=CASE_MANAGER).select_related("user").first()
    if staff is None:
        log("meetings: no casemanager@ account; skipped")
        return
    actor = staff.user
    now = clock.now()
    made = 0
    with transaction.atomic(), actions_notices.history_only():
        ethan = _child_of("parent@riverside.example", "Ethan")
        if ethan is not None:
            _schedule(
                actor,
                ethan,
                MeetingKind.ANNUAL_REVIEW,
                [_slot(ethan, 21, 15, now), _slot(ethan, 23, 8, now)],
                now,
                purpose="Review Ethan's progress this year and write next year's IEP.",
            )
            made += 1
            # A meeting held five weeks ago, scheduled with a timely notice before it.
            before = now - timedelta(days=50)
            held = _schedule(
                actor,
                ethan,
                MeetingKind.AMENDMENT,
                [_slot(ethan, 15, 15, before)],
                before,
                purpose="Talk about more reading support.",
                plan=Plan.objects.active_for(ethan),
            )
            invitees = list(held.invitees.all())
            after = held.starts_at + timedelta(hours=1)
            actions_record.mark_held(
                actor=actor,
                meeting=held,
                now=after,
                share_minutes_now=True,
                outcome=actions_record.Outcome(
                    notes="The team looked at Ethan's reading data from the last six weeks.",
                    decisions="Add 30 minutes a week of small-group reading. Keep the other "
                    "services as they are.",
                    parent_input="Ms. Morgan says Ethan reads more at home when he picks the book.",
                    attendance={
                        i.pk: actions_record.Attendance(
                            attended=True,
                            how=PlaceKind.PHONE
                            if i.role == MemberRole.PARENT
                            else PlaceKind.IN_PERSON,
                        )
                        for i in invitees
                    },
                    next_steps=[
                        actions_record.StepSpec(
                            text="Send the amended IEP to the family",
                            due_on=(after + timedelta(days=7)).date(),
                            owner=staff,
                        ),
                        actions_record.StepSpec(
                            text="Read with Ethan 15 minutes each evening",
                            due_on=(after + timedelta(days=30)).date(),
                            owner_name="Jessica Morgan",
                        ),
                    ],
                ),
            )
            made += 1
        sofia = _child_of("madre@riverside.example", "Sofía")
        if sofia is not None:
            _schedule(
                actor,
                sofia,
                MeetingKind.ANNUAL_REVIEW,
                [_slot(sofia, 18, 16, now)],
                now,
                purpose="Revisar el progreso de Sofía y escribir el IEP del próximo año.",
            )
            made += 1
        others = (
            Student.objects.filter(case_managers__staff=staff, case_managers__end_date__isnull=True)
            .exclude(pk__in=[s.pk for s in (ethan, sofia) if s is not None])
            .select_related("district", "school")
            .order_by("legal_last_name", "legal_first_name", "id")[:3]
        )
        others = list(others)
        if others:
            # Took place yesterday; the case manager has not recorded it yet.
            student = others[0]
            before = now - timedelta(days=21)
            try:
                _schedule(
                    actor,
                    student,
                    MeetingKind.AMENDMENT,
                    [_slot(student, 20, 10, before)],
                    before,
                    purpose="Talk about the behavior plan.",
                )
                made += 1
            except Exception as error:  # noqa: BLE001
                log(f"meetings: skipped {student}: {error}")
        for offset, student in enumerate(others):
            video = (
                {
                    "place_kind": PlaceKind.VIDEO,
                    "place_details": "https://meet.riverside.example/iep",
                }
                if offset == 1
                else {}
            )
            try:
                _schedule(
                    actor,
                    student,
                    MeetingKind.ANNUAL_REVIEW,
                    [_slot(student, 12 + 3 * offset, 14, now)],
                    now,
                    **video,
                )
            except Exception as error:  # noqa: BLE001 - a demo student without a full team
                log(f"meetings: skipped {student}: {error}")
                continue
            made += 1
    log(f"meetings: {made} meetings")
