"""Demo data for the services app, seeded by `manage.py seed_demo` after the plans.

Riverside's SLP (slp@riverside.example) holds a California licence and has logged in-person
speech sessions twice a week since the school year began (up to today), in pairs of students
from the same school, through the same action a provider uses (`actions.log_session`, signed on
the day). One day she was out (PROVIDER_ABSENT) and one morning she was pulled to an IEP meeting
(PROVIDER_UNAVAILABLE): both are owed back as compensatory minutes, while a few students were
absent (not owed). So each student's "Services and minutes" page shows real figures and
shortfalls. Holidays and breaks of the district's calendar get no session. Deterministic for a
given demo today. Then her assistant's sessions, co-signatures and supervision
(`services_supervision`).
"""

from __future__ import annotations

import time as timer
from collections.abc import Callable
from datetime import date, time, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404

from tandem.accounts.models import User
from tandem.compliance.actions import engine_calendar
from tandem.core import clock
from tandem.demo import referrals as referrals_demo
from tandem.demo import services_providers, services_supervision
from tandem.demo import world as people_demo
from tandem.services import actions
from tandem.services.actions import Attendee
from tandem.services.models import AttendanceCode, ProviderLicence, ServiceSession
from tandem.services.queries import services_to_log

WEEKS = 16  # back to the first week of the demo's school year
DAYS = (1, 3)  # Tuesday and Thursday
FIRST_START = time(8, 15)
SLOT = 40  # minutes from one group's start to the next: 30 of therapy, 10 to change over
MINUTES = 30
OUT_SICK = (3, 3)  # (weeks ago, weekday): the SLP was out that Thursday
PULLED_AWAY = (2, 1)  # that Tuesday her first two groups clashed with an IEP meeting


def _start(slot: int) -> time:
    minutes = FIRST_START.hour * 60 + FIRST_START.minute + SLOT * slot
    return time(minutes // 60, minutes % 60)


def _code(weeks_ago: int, weekday: int, position: int) -> str:
    if (weeks_ago, weekday) == OUT_SICK:
        return AttendanceCode.PROVIDER_ABSENT
    if (weeks_ago, weekday) == PULLED_AWAY and position < 4:
        return AttendanceCode.PROVIDER_UNAVAILABLE
    if (weeks_ago * 7 + weekday + position * 5) % 17 == 0:
        return AttendanceCode.STUDENT_ABSENT
    return AttendanceCode.DELIVERED


NOTES = (
    "Articulation: /r/ in words and short phrases; {n} of 10 correct with a visual cue.",
    "Language: following two-step directions with classroom vocabulary; {n} of 10 correct.",
    "Pragmatics: turn-taking in a structured game; {n} of 10 turns without a prompt.",
)


def seed(plan: Any, *, log: Callable[[str], None] = lambda _: None) -> None:
    """The school year's logged sessions of the SLP's logged speech sessions, with one day missed and some absences."""
    services_providers.seed(log=log)  # profiles, contracts, licences, the teletherapist's day
    started = timer.perf_counter()
    slp = User.objects.filter(email=people_demo.SLP).select_related("staff").first()
    staff = getattr(slp, "staff", None)
    if slp is None or staff is None:
        log("  service sessions: no SLP in the demo")
        return
    if ServiceSession.objects.filter(provider=staff).exists():
        log("  service sessions: nothing to add")
        return
    today = referrals_demo.demo_today(clock.today())
    monday = today - timedelta(days=today.weekday())
    with clock.fixed(today):
        services = services_to_log(slp, today=today)
    if not services:
        log("  service sessions: the SLP has no speech services to log")
        return
    calendar = engine_calendar(services[0].plan.student, today)
    # Pairs of students from the same school, in the order the log page lists them.
    by_school: dict[int, list[Any]] = {}
    for service in services:
        by_school.setdefault(service.plan.student.school_id, []).append(service)
    groups = [
        line[i : i + 2]
        for _school, line in sorted(by_school.items())
        for i in range(0, len(line), 2)
    ]
    logged = skipped = 0
    with transaction.atomic():
        ProviderLicence.objects.get_or_create(
            staff=staff,
            state="CA",
            number="SP 24871",
            defaults={
                "credentials": "CCC-SLP",
                "issued": date(2016, 7, 1),
                "expires": date(today.year + 2, 1, 31),
            },
        )
        for weeks_ago in range(WEEKS, -1, -1):
            for weekday in DAYS:
                day = monday - timedelta(days=7 * weeks_ago) + timedelta(days=weekday)
                if day >= today or (calendar is not None and not calendar.is_school_day(day)):
                    continue
                for slot, group in enumerate(groups):
                    attendees = [
                        Attendee(s.plan.student, s, _code(weeks_ago, weekday, slot * 2 + k))
                        for k, s in enumerate(group)
                        if s.start_date is None or s.start_date <= day
                    ]
                    if not attendees:
                        continue
                    note = NOTES[slot % len(NOTES)].format(n=5 + (weeks_ago + slot) % 5)
                    if (weeks_ago, weekday) == OUT_SICK:
                        note = "Provider out sick; no substitute. Minutes owed."
                    elif (weeks_ago, weekday) == PULLED_AWAY and slot < 2:
                        note = "Provider pulled to an IEP meeting; session not held. Minutes owed."
                    try:
                        with clock.fixed(day), transaction.atomic():
                            actions.log_session(
                                actor=slp,
                                day=day,
                                start_time=_start(slot),
                                minutes=MINUTES,
                                attendees=attendees,
                                note=note,
                            )
                        logged += 1
                    except (ValidationError, Http404, PermissionDenied):
                        skipped += 1  # a student not yet on her list that day
    seconds = timer.perf_counter() - started
    log(f"  {logged} service sessions logged by the SLP, {skipped} skipped ({seconds:.1f} s)")
    services_supervision.seed(slp=slp, today=today, log=log)  # her assistant, co-signatures
