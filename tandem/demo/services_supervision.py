"""Demo supervision of an assistant (issue 12), seeded by `services` after the SLP's sessions.

Riverside Elementary gets a speech-language pathology assistant, slpa@riverside.example (Jordan
Ellis, SLPA, California licence), supervised by Riverside's SLP (slp@riverside.example) since
the start of the school year. Jordan serves three of the SLP's Riverside Elementary students (a
supervisor's caseload, as Texas requires and California expects) with individual sessions on
Mondays and Wednesdays for the last three weeks, signed as an assistant:

- sessions more than a week old were co-signed by the SLP two days later (her licence of that
  day recorded); the last week's still await her co-signature (her "Sessions awaiting my
  co-signature" page, and "not co-signed by the supervisor" in the Medicaid export);
- the SLP recorded supervision each week: 20 minutes direct (observing Monday's first session)
  and 15 indirect (reviewing notes on Wednesday), except in the second-to-last week with
  sessions, when she only reviewed notes for 5 minutes, so the supervision page flags Jordan
  below California's rule that week.

Written through the actions the pages use (audited); does nothing when already seeded.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time, timedelta
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404

from tandem.accounts.models import User
from tandem.compliance.actions import engine_calendar
from tandem.core import clock
from tandem.demo import personas
from tandem.people.models import ProviderAssignment, Role, Staff, StaffRole
from tandem.rules import npi
from tandem.services import actions, actions_providers, actions_supervision
from tandem.services.actions import Attendee
from tandem.services.actions_providers import ProfileInput
from tandem.services.models import (
    AttendanceCode,
    Discipline,
    ProviderLicence,
    ProviderModality,
    ServiceSession,
)
from tandem.services.queries import services_to_log

WEEKS = 3  # weeks of sessions before this one
DAYS = (0, 2)  # Monday and Wednesday: the SLP's groups are on Tuesdays and Thursdays
STARTS = (time(8, 15), time(8, 45), time(9, 15))
MINUTES = 25
SKIP_FIRST = 4  # the SLP's first two pairs, whose missed sessions the demo counts as owed
RIVERSIDE_ELEMENTARY_CODE = "RES"
# The week the SLP only reviewed notes, for 5 minutes: the second-to-last finished week with
# sessions, counted in weeks held rather than on the calendar, so a closed week (Thanksgiving)
# cannot swallow it and leave the supervision page with nothing to flag.
THIN_WEEK = 2
NOTES = (
    "Articulation practice from the SLP's plan: /r/ in words; {n} of 10 correct.",
    "Carry-over of the SLP's vocabulary targets with picture cards; {n} of 10 correct.",
)


def _npi(first_nine: str) -> str:
    return first_nine + str(npi.check_digit(first_nine))


def _assistant(district: Any, school: Any, first_day: date) -> User:
    user = User.objects.create(
        username=personas.SLP_ASSISTANT,
        email=personas.SLP_ASSISTANT,
        first_name="Jordan",
        last_name="Ellis",
        password=make_password(personas.DEMO_PASSWORD),
    )
    staff = Staff.objects.create(user=user, title="Speech-Language Pathology Assistant")
    StaffRole.objects.create(
        staff=staff, district=district, school=school, role=Role.PROVIDER, start_date=first_day
    )
    return user


def _profile(director: User, assistant: User, slp: User, today: date, first_day: date) -> None:
    actions_providers.save_profile(
        actor=director,
        staff=assistant.staff,
        data=ProfileInput(
            discipline=Discipline.SLPA,
            credentials="SLPA",
            npi=_npi("124681357"),
            supervisor=slp.staff,
            supervised_since=first_day,
            modality=ProviderModality.IN_PERSON,
            weekly_capacity=900,
            time_zone="America/Los_Angeles",
            day_starts=time(7, 45),
            day_ends=time(15, 15),
            languages="English, Spanish",
        ),
    )
    ProviderLicence.objects.create(
        staff=assistant.staff,
        state="CA",
        number="SLPA 2291",
        credentials="SLPA",
        issued=date(2023, 8, 1),
        expires=date(today.year + 2, 7, 31),
    )


def _days(today: date, calendar: Any) -> list[date]:
    monday = today - timedelta(days=today.weekday())
    found = []
    for weeks_ago in range(WEEKS, -1, -1):
        for weekday in DAYS:
            day = monday - timedelta(days=7 * weeks_ago - weekday)
            if day < today and (calendar is None or calendar.is_school_day(day)):
                found.append(day)
    return found


def _sessions(assistant: User, services: list[Any], days: list[date]) -> list[ServiceSession]:
    logged = []
    for day in days:
        for n, (start, service) in enumerate(zip(STARTS, services, strict=False)):
            note = NOTES[(day.toordinal() + n) % len(NOTES)].format(n=5 + (day.toordinal() + n) % 4)
            try:
                with clock.fixed(day), transaction.atomic():
                    logged.append(
                        actions.log_session(
                            actor=assistant,
                            day=day,
                            start_time=start,
                            minutes=MINUTES,
                            attendees=[
                                Attendee(service.plan.student, service, AttendanceCode.DELIVERED)
                            ],
                            note=note,
                        )
                    )
            except (ValidationError, Http404, PermissionDenied):
                continue  # the student's service had not started that day
    return logged


def _cosign_and_supervise(
    slp: User, assistant: User, sessions: list[ServiceSession], today: date
) -> tuple[int, int]:
    """The SLP co-signs what is more than a week old, and records each week's supervision."""
    cosigned = 0
    for session in sessions:
        if session.day < today - timedelta(days=7):
            with clock.fixed(session.day + timedelta(days=2)):
                actions_supervision.cosign_sessions(actor=slp, sessions=[session])
            cosigned += 1
    weeks: dict[date, list[ServiceSession]] = {}
    for session in sessions:
        weeks.setdefault(session.day - timedelta(days=session.day.weekday()), []).append(session)
    monday = today - timedelta(days=today.weekday())
    finished = [week for week in sorted(weeks) if week < monday]  # this week's is still to come
    thin = finished[-THIN_WEEK] if len(finished) >= THIN_WEEK else None
    recorded = 0
    for week in finished:
        held = weeks[week]
        first = held[0]
        entries = [(held[-1].day, 5, "indirect", [])]
        if week != thin:
            entries = [(first.day, 20, "direct", [first]), (held[-1].day, 15, "indirect", [])]
        for day, minutes, kind, observed in entries:
            with clock.fixed(day):
                actions_supervision.record_supervision(
                    actor=slp,
                    assistant=assistant.staff,
                    day=day,
                    minutes=minutes,
                    kind=kind,
                    note="Observed the session; modelled cueing."
                    if observed
                    else "Reviewed the week's notes and plans.",
                    observed=observed,
                )
            recorded += 1
    return cosigned, recorded


def seed(*, slp: User, today: date, log: Callable[[str], None] = lambda _: None) -> None:
    """Jordan, the SLP's assistant: sessions, co-signatures and supervision (idempotent)."""
    if User.objects.filter(email=personas.SLP_ASSISTANT).exists():
        log("  supervision: nothing to add")
        return
    director = User.objects.filter(email=personas.DIRECTOR).first()
    with clock.fixed(today):
        services = [
            s
            for s in services_to_log(slp, today=today)
            if s.plan.student.school.code == RIVERSIDE_ELEMENTARY_CODE
        ][SKIP_FIRST : SKIP_FIRST + len(STARTS)]
    if director is None or not services:
        log("  supervision: no Riverside Elementary speech services for an assistant")
        return
    student = services[0].plan.student
    district, school = student.district, student.school
    calendar = engine_calendar(student, today)
    first_day = calendar.first_day if calendar is not None else today - timedelta(days=120)
    with transaction.atomic():
        assistant = _assistant(district, school, first_day)
        for service in services:
            ProviderAssignment.objects.create(
                staff=assistant.staff,
                student=service.plan.student,
                district=district,
                service_area="Speech-language therapy",
                start_date=first_day,
            )
        with clock.fixed(today):
            _profile(director, assistant, slp, today, first_day)
        sessions = _sessions(assistant, services, _days(today, calendar))
        cosigned, recorded = _cosign_and_supervise(slp, assistant, sessions, today)
    log(
        f"  supervision: {personas.SLP_ASSISTANT} logged {len(sessions)} sessions, "
        f"{cosigned} co-signed by the SLP, {len(sessions) - cosigned} awaiting; "
        f"{recorded} supervision entries"
    )
