"""An SLP assistant at North (Riverside, CA) supervised by the SLP, both serving Maya's speech.

Maya's active IEP (tests/progress): speech 30 minutes 2 times a week from 2025-09-10. The SLP
(`slp`, Sally, from tests/progress) holds a California licence and CCC-SLP; the assistant
(`slpa`, Abby) is on Maya's team for speech and signs her own sessions, which then await
Sally's co-signature.
"""

from __future__ import annotations

from datetime import date, time

import pytest

from tandem.core import clock
from tandem.people.models import Role, TeamMembership, TeamRole
from tandem.services import actions
from tandem.services.actions import Attendee
from tandem.services.models import AttendanceCode, ProviderLicence, ProviderProfile
from tests.conftest import START
from tests.factories import make_staff

TODAY = date(2025, 10, 1)  # a Wednesday


@pytest.fixture
def slpa(world, slp):  # type: ignore[no-untyped-def]
    """The assistant, supervised by the SLP; both with profiles and California licences."""
    ProviderProfile.objects.create(staff=slp.staff, discipline="slp", credentials="CCC-SLP")
    ProviderLicence.objects.create(
        staff=slp.staff,
        state="CA",
        number="SP 24871",
        credentials="CCC-SLP",
        issued=date(2016, 7, 1),
        expires=date(2027, 1, 31),
    )
    staff = make_staff("slpa@r.test", [(Role.PROVIDER, world.riverside, world.north)], first="Abby")
    TeamMembership.objects.create(
        staff=staff, student=world.maya, role=TeamRole.SPEECH_LANGUAGE, start_date=START
    )
    ProviderProfile.objects.create(
        staff=staff, discipline="slpa", credentials="SLPA", supervisor=slp.staff
    )
    ProviderLicence.objects.create(
        staff=staff,
        state="CA",
        number="SLPA 1001",
        credentials="SLPA",
        issued=date(2024, 8, 1),
        expires=date(2027, 1, 31),
    )
    world.users["slpa"] = staff.user
    return staff.user


def log(user, day, service, student, *, start=time(9, 0), minutes=30, code=None, today=TODAY):  # type: ignore[no-untyped-def]
    with clock.fixed(today):
        return actions.log_session(
            actor=user,
            day=day,
            start_time=start,
            minutes=minutes,
            attendees=[Attendee(student, service, code or AttendanceCode.DELIVERED)],
            note=f"Articulation drill, {day.isoformat()}.",
        )
