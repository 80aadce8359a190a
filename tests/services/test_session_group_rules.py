"""A session's group stays in one district, and teletherapy minutes lost are not counted as given."""

from __future__ import annotations

from datetime import date, time

import pytest
from django.core.exceptions import ValidationError

from tandem.core import clock
from tandem.services import actions
from tandem.services.actions import Attendee
from tandem.services.models import (
    AttendanceCode,
    Modality,
    ProviderLicence,
    ServiceSession,
    SessionAttendance,
)

DAY = date(2025, 9, 15)
TODAY = date(2025, 9, 17)


def _log(user, attendees, **overrides):  # type: ignore[no-untyped-def]
    fields = {"day": DAY, "start_time": time(9, 0), "minutes": 30}
    fields.update(overrides)
    with clock.fixed(TODAY):
        return actions.log_session(actor=user, attendees=attendees, **fields)


def test_a_group_across_two_districts_is_refused_naming_both(world, speech) -> None:  # type: ignore[no-untyped-def]
    contractor = world.users["contractor"]  # serves Maya (Riverside) and Sam (Oak Valley)
    group = [
        Attendee(world.maya, speech, AttendanceCode.DELIVERED),
        Attendee(world.sam, speech, AttendanceCode.DELIVERED),
    ]
    with pytest.raises(ValidationError) as refused:
        _log(contractor, group, modality=Modality.TELETHERAPY, platform="Zoom")
    message = refused.value.message_dict["students"][0]
    assert "Maya Lopez is in Riverside Unified" in message
    assert "Sam Cole in Oak Valley School District" in message
    assert not ServiceSession.objects.exists()


def test_teletherapy_minutes_lost_are_not_counted_as_delivered(world, speech) -> None:  # type: ignore[no-untyped-def]
    contractor = world.users["contractor"]
    ProviderLicence.objects.create(
        staff=contractor.staff, state="CA", number="CA 7", expires=date(2027, 1, 1)
    )
    maya = [Attendee(world.maya, speech, AttendanceCode.DELIVERED)]
    session = _log(contractor, maya, modality=Modality.TELETHERAPY, platform="Zoom", minutes_lost=6)
    assert session.minutes_lost == 6
    assert SessionAttendance.objects.get(session=session).minutes == 24


def test_in_person_minutes_count_in_full_and_an_absence_counts_none(world, slp, speech) -> None:  # type: ignore[no-untyped-def]
    held = _log(slp, [Attendee(world.maya, speech, AttendanceCode.DELIVERED)], minutes_lost=6)
    assert SessionAttendance.objects.get(session=held).minutes == 30
    absent = _log(
        slp,
        [Attendee(world.maya, speech, AttendanceCode.STUDENT_ABSENT)],
        start_time=time(10, 0),
    )
    assert SessionAttendance.objects.get(session=absent).minutes == 0
