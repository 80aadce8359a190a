"""A session is refused, with its field named, when the provider's licence does not cover the
student's state or has lapsed; a teletherapy session keeps its https join link and facilitator."""

from __future__ import annotations

from datetime import date, time

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tandem.core import clock
from tandem.services import actions
from tandem.services.actions import Attendee
from tandem.services.models import AttendanceCode, Modality, ProviderLicence, ServiceSession

DAY = date(2025, 9, 15)
TODAY = date(2025, 9, 17)


def _log(user, attendees, **overrides):  # type: ignore[no-untyped-def]
    fields = {"day": DAY, "start_time": time(9, 0), "minutes": 30}
    fields.update(overrides)
    with clock.fixed(TODAY):
        return actions.log_session(actor=user, attendees=attendees, **fields)


def _refused_field(user, attendees, **overrides) -> str:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as refused:
        _log(user, attendees, **overrides)
    assert not ServiceSession.objects.exists()
    return next(iter(refused.value.message_dict))


def test_a_licence_in_another_state_only_refuses_an_in_person_session(world, speech) -> None:  # type: ignore[no-untyped-def]
    contractor = world.users["contractor"]
    ProviderLicence.objects.create(
        staff=contractor.staff, state="TX", number="TX 9", expires=date(2027, 1, 1)
    )
    maya = [Attendee(world.maya, speech, AttendanceCode.DELIVERED)]  # Riverside, CA
    assert _refused_field(contractor, maya) == "students"


def test_a_lapsed_licence_refuses_in_person_and_teletherapy(world, speech) -> None:  # type: ignore[no-untyped-def]
    contractor = world.users["contractor"]
    ProviderLicence.objects.create(
        staff=contractor.staff, state="CA", number="CA 1", expires=date(2025, 9, 14)
    )
    maya = [Attendee(world.maya, speech, AttendanceCode.DELIVERED)]
    assert _refused_field(contractor, maya) == "day"
    assert _refused_field(contractor, maya, modality=Modality.TELETHERAPY) == "modality"
    # Licensed through the session's day: logged.
    ProviderLicence.objects.create(staff=contractor.staff, state="CA", number="CA 2", expires=DAY)
    assert _log(contractor, maya).signed_licence == "CA CA 2"


def test_a_district_employee_with_no_licence_recorded_still_logs(world, slp, speech) -> None:  # type: ignore[no-untyped-def]
    session = _log(slp, [Attendee(world.maya, speech, AttendanceCode.DELIVERED)])
    assert session.signed_licence == ""


def test_a_teletherapy_session_keeps_its_https_link_and_facilitator(world, speech) -> None:  # type: ignore[no-untyped-def]
    contractor = world.users["contractor"]
    ProviderLicence.objects.create(
        staff=contractor.staff, state="CA", number="CA 3", expires=date(2027, 1, 1)
    )
    maya = [Attendee(world.maya, speech, AttendanceCode.DELIVERED)]
    tele = {"modality": Modality.TELETHERAPY, "platform": "Zoom"}
    for bad in ("http://meet.example/x", "meet.example/x", "https://"):
        assert _refused_field(contractor, maya, join_url=bad, **tele) == "join_url"
    session = _log(
        contractor, maya, join_url="https://meet.example/x", facilitator="Ms. Aide", **tele
    )
    assert (session.join_url, session.facilitator) == ("https://meet.example/x", "Ms. Aide")


def test_the_log_page_names_the_join_link_when_it_is_not_https(world, slp, speech) -> None:  # type: ignore[no-untyped-def]
    client = world.client_for("slp")
    data = {
        "day": DAY.isoformat(),
        "start_time": "09:00",
        "minutes": "30",
        "modality": Modality.TELETHERAPY,
        "join_url": "http://meet.example/x",
        "students": [str(speech.public_id)],
        f"code_{speech.public_id}": AttendanceCode.DELIVERED,
    }
    with clock.fixed(TODAY):
        page = client.get(reverse("session_log"))
        response = client.post(reverse("session_log"), data)
    assert 'name="join_url"' in page.content.decode()
    assert response.status_code == 400
    assert "join_url" in response.context["form"].errors
    assert not ServiceSession.objects.exists()


def test_sessions_clash_in_absolute_time_across_time_zones(world, speech) -> None:  # type: ignore[no-untyped-def]
    """Sam's 9:00 in Texas is 7:00 in California: Maya at 9:00 there is no clash, 7:15 is."""
    world.oak_valley.time_zone = "America/Chicago"
    world.oak_valley.save()
    contractor = world.users["contractor"]
    session = ServiceSession.objects.create(
        created_by=contractor,
        provider=contractor.staff,
        day=DAY,
        start_time=time(9, 0),
        minutes=30,
        modality=Modality.TELETHERAPY,
    )
    session.attendance.create(
        student=world.sam,
        service=speech,
        lineage=speech.lineage,
        code=AttendanceCode.DELIVERED,
        minutes=30,
    )
    pacific = world.riverside.time_zone
    assert actions._overlapping(contractor.staff, DAY, time(9, 0), 30, pacific) is None
    assert actions._overlapping(contractor.staff, DAY, time(7, 15), 30, pacific) == session
