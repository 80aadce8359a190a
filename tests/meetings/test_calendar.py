"""The team's meetings as a month (issue 13, "Meetings": a calendar view)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from tandem.accounts.models import AuditEvent
from tests.meetings.conftest import LA, option, schedule

pytestmark = pytest.mark.django_db


def _month(meeting) -> str:  # type: ignore[no-untyped-def]
    return timezone.localtime(meeting.starts_at, LA).strftime("%Y-%m")


def test_each_persona_sees_the_meetings_of_the_month_they_may_see(world):
    meeting = schedule(world)
    url = reverse("meeting_calendar") + f"?month={_month(meeting)}"
    link = reverse("meeting_detail", args=[meeting.public_id])
    for persona, shown in (
        ("case_manager", True),
        ("teacher", True),
        ("principal", True),
        ("parent", True),
        ("stranger", False),
        ("oak_director", False),
    ):
        response = world.client_for(persona).get(url)
        assert response.status_code == 200, persona
        assert (link in response.content.decode()) is shown, persona
        assert response.context["month"].count == int(shown), persona
    assert AuditEvent.objects.filter(action="meetings.listed", detail__view="calendar").exists()


def test_the_meeting_is_on_its_local_day_at_its_local_time(world):
    meeting = schedule(world, times=[option(20, hour=17)])
    response = world.client_for("case_manager").get(
        reverse("meeting_calendar"), {"month": _month(meeting)}
    )
    local = timezone.localtime(meeting.starts_at, LA)
    (day,) = [d for week in response.context["month"].weeks for d in week if d.day == local.date()]
    assert [m for _t, m in day.meetings] == [meeting]
    assert day.meetings[0][0].hour == 17
    assert "5 p.m. Annual review" in response.content.decode()
    # A filter that leaves it out.
    other = world.client_for("case_manager").get(
        reverse("meeting_calendar"), {"month": _month(meeting), "kind": "eligibility"}
    )
    assert other.context["month"].count == 0


def test_months_move_and_a_bad_month_is_named(world):
    client = world.client_for("case_manager")
    page = client.get(reverse("meeting_calendar"), {"month": "2027-01"})
    text = page.content.decode()
    assert "January 2027" in text and "?month=2026-12" in text and "?month=2027-02" in text
    bad = client.get(reverse("meeting_calendar"), {"month": "January"})
    assert bad.status_code == 200 and bad.context["month_refused"]
    assert "Month: write it as year and month" in bad.content.decode()
    assert bad.context["month"].first == timezone.localdate().replace(day=1)


def test_the_calendar_reads_in_spanish(world):
    user = world.users["case_manager"]
    user.preferred_language = "es"
    user.save()
    page = world.client_for("case_manager").get(reverse("meeting_calendar"), {"month": "2027-01"})
    text = page.content.decode()
    assert "enero 2027" in text.lower() and "Calendario de reuniones" in text


def test_calendar_queries_do_not_grow(world, django_assert_max_num_queries):
    client = world.client_for("case_manager")
    first_meeting = schedule(world)
    url = reverse("meeting_calendar") + f"?month={_month(first_meeting)}"
    with django_assert_max_num_queries(20) as captured:
        client.get(url)
    first = len(captured)
    for days in (21, 22, 23):
        schedule(world, times=[option(days)])
    with django_assert_max_num_queries(first):
        client.get(url)
