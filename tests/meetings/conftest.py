"""Helpers for the meeting tests: a meeting for Maya scheduled by her case manager."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from tandem.meetings import actions_scheduling, rules
from tandem.meetings.models import MeetingKind, PlaceKind
from tandem.rules.calendar import federal_holidays

LA = ZoneInfo("America/Los_Angeles")


def at(days: int, hour: int = 15) -> datetime:
    """A time `days` from today at `hour` o'clock in Riverside."""
    day = timezone.localtime(timezone.now(), LA).date() + timedelta(days=days)
    return datetime(day.year, day.month, day.day, hour, 0, tzinfo=LA)


def open_day(days: int, hour: int = 15) -> datetime:
    """`at(days)`, moved on to the next weekday that is not a federal holiday: a day the
    scheduling page takes without asking to confirm a closed day."""
    moment = at(days, hour)
    while moment.weekday() >= 5 or moment.date() in federal_holidays(moment.year):
        moment += timedelta(days=1)
    return moment


def option(days: int, hour: int = 15, minutes: int = 60) -> actions_scheduling.TimeOption:
    start = at(days, hour)
    return actions_scheduling.TimeOption(start, start + timedelta(minutes=minutes))


def required_keys(student, kind=MeetingKind.ANNUAL_REVIEW, days=20):  # type: ignore[no-untyped-def]
    day = at(days).date()
    return [c.key for c in rules.candidates(student, kind, day) if c.required]


def schedule(
    world, *, kind=MeetingKind.ANNUAL_REVIEW, times=None, student=None, actor=None, **extra
):  # type: ignore[no-untyped-def]
    student = student or world.maya
    times = times or [option(20)]
    keys = extra.pop("invitee_keys", None) or required_keys(student, kind)
    return actions_scheduling.schedule_meeting(
        actor=actor or world.users["case_manager"],
        student=student,
        kind=kind,
        times=times,
        place_kind=extra.pop("place_kind", PlaceKind.IN_PERSON),
        place_details=extra.pop("place_details", "North Elementary, room 12"),
        invitee_keys=keys,
        **extra,
    )


@pytest.fixture
def meeting(world, mailoutbox):  # type: ignore[no-untyped-def]
    return schedule(world)


@pytest.fixture
def mailoutbox_clear(mailoutbox):  # type: ignore[no-untyped-def]
    mailoutbox.clear()
    return mailoutbox
