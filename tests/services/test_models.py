"""Signed session logs are locked; attendance and addenda are append-only."""

from __future__ import annotations

from datetime import date, time

import pytest

from tandem.core import clock
from tandem.core.models import AppendOnlyError
from tandem.services.models import (
    AttendanceCode,
    ServiceSession,
    SessionAddendum,
    SessionAttendance,
)


def _session(slp, speech, world):  # type: ignore[no-untyped-def]
    session = ServiceSession.objects.create(
        provider=slp.staff, day=date(2025, 9, 15), start_time=time(9, 0), minutes=30
    )
    SessionAttendance.objects.create(
        session=session,
        student=world.maya,
        service=speech,
        lineage=speech.lineage,
        code=AttendanceCode.DELIVERED,
        minutes=30,
    )
    return session


def test_an_unsigned_session_can_change_and_a_signed_one_cannot(world, slp, speech) -> None:  # type: ignore[no-untyped-def]
    session = _session(slp, speech, world)
    session.note = "Worked on /r/ in words."
    session.save()
    session.signed_at = clock.now()
    session.signed_licence = "CA SLP 12345"
    session.save()  # the signature itself is the last change
    session.note = "changed after signing"
    with pytest.raises(AppendOnlyError):
        session.save()
    with pytest.raises(AppendOnlyError):
        ServiceSession.objects.filter(pk=session.pk).update(minutes=45)
    with pytest.raises(AppendOnlyError):
        ServiceSession.objects.get(pk=session.pk).delete()
    SessionAddendum.objects.create(
        session=session, reason="Wrong minutes", text="The session lasted 25 minutes."
    )
    assert session.addenda.count() == 1
    session.refresh_from_db()
    assert session.note == "Worked on /r/ in words."
    assert session.minutes == 30


def test_attendance_rows_are_append_only(world, slp, speech) -> None:  # type: ignore[no-untyped-def]
    session = _session(slp, speech, world)
    row = session.attendance.get()
    assert row.lineage == speech.lineage
    row.minutes = 10
    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        SessionAttendance.objects.filter(pk=row.pk).update(minutes=10)
