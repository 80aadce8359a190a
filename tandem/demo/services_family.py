"""Demo service minutes for madre@'s daughter, and the case manager's alerts; after `services`.

Sofía Hernández (madre@riverside.example's daughter) has speech in her IEP, 30 minutes twice a
week, but Riverside's SLP serves her school's pairs on Tuesdays and Thursdays only. Here the SLP
joins Sofía's team and logs her individual sessions on Mondays and Wednesdays for the last six
weeks (from the service's start), through `actions.log_session` like any provider: the first
Monday the SLP was out (owed) and made it up that Friday (a MAKEUP naming the missed session);
the first Wednesday Sofía was absent (not owed); and the last session before today the SLP was
out again, so 30 minutes are owed with a due date still ahead. Her mother sees these figures in the
portal (in Spanish). Where the SLP's groups (services.py) already serve her, those sessions are her
figures and nothing is added.

Then the daily check runs once (`services.alerts.check_all`), so the case manager's home shows
the students below 90% of their minutes, each told once. Deterministic for a given demo today.
"""

from __future__ import annotations

import time as timer
from collections.abc import Callable
from datetime import date, time, timedelta
from typing import Any

from django.db import transaction

from tandem.accounts.models import User
from tandem.compliance.actions import engine_calendar
from tandem.core import clock
from tandem.demo import personas
from tandem.demo import referrals as referrals_demo
from tandem.people.models import Student, TeamMembership, TeamRole
from tandem.plans.models import PlanStatus, Service
from tandem.services import actions, alerts
from tandem.services.actions import Attendee
from tandem.services.models import AttendanceCode, SessionAttendance

WEEKS = 6
DAYS = (0, 2)  # Monday and Wednesday: the SLP's groups are on Tuesdays and Thursdays
START = time(10, 0)
MINUTES = 30


def _speech(student: Student) -> Service | None:
    return (
        Service.objects.filter(
            plan__student=student,
            plan__status=PlanStatus.ACTIVE,
            name__icontains="speech",
            minutes__isnull=False,
            times__isnull=False,
        )
        .select_related("plan__student__district")
        .first()
    )


def _days(monday: date, today: date, calendar: Any) -> list[date]:
    """Mondays and Wednesdays of the last WEEKS weeks before today that are school days."""
    found = []
    for weeks_ago in range(WEEKS, -1, -1):
        for weekday in DAYS:
            day = monday - timedelta(days=7 * weeks_ago - weekday)
            if day < today and (calendar is None or calendar.is_school_day(day)):
                found.append(day)
    return found


def _log(slp: User, day: date, service: Service, code: str, note: str, missed: Any = None) -> Any:
    with clock.fixed(day):
        return actions.log_session(
            actor=slp,
            day=day,
            start_time=START,
            minutes=MINUTES,
            attendees=[Attendee(service.plan.student, service, code, makes_up=missed)],
            note=note,
        )


def _sofia_sessions(slp: User, sofia: Student, service: Service, today: date) -> int:
    monday = today - timedelta(days=today.weekday())
    calendar = engine_calendar(sofia, today)
    start = service.start_date or service.plan.effective_from or today
    days = [d for d in _days(monday, today, calendar) if d >= start]
    if not days:
        return 0
    mondays = [d for d in days if d.weekday() == 0]
    made_up = mondays[0] if mondays else None  # the SLP was out; made up that Friday
    absent = next((d for d in days if d.weekday() == 2), None)  # Sofía was absent
    logged = 0
    for day in days:
        if day in (made_up, days[-1]):
            session = _log(
                slp, day, service, AttendanceCode.PROVIDER_ABSENT, "Provider out; minutes owed."
            )
            logged += 1
            friday = day + timedelta(days=4)
            school = calendar is None or calendar.is_school_day(friday)
            if day == made_up and friday < today and school:
                missed = SessionAttendance.objects.get(session=session, student=sofia)
                note = "Makeup for Monday's missed session: /s/ blends in phrases."
                _log(slp, friday, service, AttendanceCode.MAKEUP, note, missed)
                logged += 1
            continue
        if day == absent:
            _log(slp, day, service, AttendanceCode.STUDENT_ABSENT, "Sofía was absent.")
        else:
            note = f"/s/ blends in short phrases; {6 + day.toordinal() % 4} of 10 correct."
            _log(slp, day, service, AttendanceCode.DELIVERED, note)
        logged += 1
    return logged


def seed(plan: Any, *, log: Callable[[str], None] = lambda _: None) -> None:
    """Sofía's speech sessions (owed, made up, absent), then one run of the alert check."""
    started = timer.perf_counter()
    slp = User.objects.filter(email=personas.SLP).select_related("staff").first()
    sofia = Student.objects.filter(
        guardian_links__guardian__user__email=personas.MADRE, legal_first_name="Sofía"
    ).first()
    service = _speech(sofia) if sofia is not None else None
    if slp is None or getattr(slp, "staff", None) is None or sofia is None or service is None:
        log("  Sofía's service minutes: no SLP, no Sofía or no speech service in the demo")
        return
    today = referrals_demo.demo_today(clock.today())
    # Her SLP may already serve her in the school's groups (services.py): then those sessions
    # are her figures, and only the daily check is left to run, so that the case manager's home
    # carries the alerts of every student below the minutes (the check is idempotent).
    logged = 0
    with transaction.atomic():
        if not SessionAttendance.objects.filter(
            student=sofia, session__provider=slp.staff
        ).exists():
            first = service.start_date or service.plan.effective_from or today
            TeamMembership.objects.get_or_create(
                staff=slp.staff,
                student=sofia,
                role=TeamRole.SPEECH_LANGUAGE,
                defaults={"start_date": first},
            )
            logged = _sofia_sessions(slp, sofia, service, today)
        with clock.fixed(today):
            checked = alerts.check_all(today=today)
    seconds = timer.perf_counter() - started
    where = f"{logged} speech sessions for Sofía" if logged else "Sofía served in the SLP's groups"
    log(f"  {where}; {checked.opened} service alerts for the case managers ({seconds:.1f} s)")
