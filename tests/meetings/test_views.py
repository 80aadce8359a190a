"""The meeting pages for each persona: works for the right person, 404 outside, 403 read-only."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format

from tandem.accounts.models import AuditEvent
from tandem.meetings.models import Meeting, MeetingStatus, Response

from .conftest import at, open_day, option, required_keys, schedule


def _new_post(world, **changes):  # type: ignore[no-untyped-def]
    day = open_day(20)
    data = {
        "kind": "annual_review",
        "purpose": "Review the year.",
        "day_1": day.date().isoformat(),
        "start_1": "15:00",
        "minutes_1": "60",
        "place_kind": "in_person",
        "place_details": "Room 12",
        "invitees": required_keys(world.maya),
    }
    data.update(changes)
    return data


# --- meeting_new ------------------------------------------------------------------------------


def test_case_manager_schedules_from_the_page(world):
    client = world.client_for("case_manager")
    url = reverse("meeting_new", args=[world.maya.public_id])
    page = client.get(url + "?kind=amendment")
    assert page.status_code == 200
    assert "Grace Lopez" in page.content.decode()
    response = client.post(url, _new_post(world))
    assert response.status_code == 302, response.content.decode()[:3000]
    meeting = Meeting.objects.get()
    assert response["Location"] == reverse("meeting_detail", args=[meeting.public_id])
    assert meeting.place_details == "Room 12"
    assert meeting.starts_at == open_day(20)


@pytest.mark.parametrize("persona", ["stranger", "oak_director", "uncle"])
def test_outsiders_get_404_on_the_scheduling_page(world, persona):
    url = reverse("meeting_new", args=[world.maya.public_id])
    assert world.client_for(persona).get(url).status_code == 404


@pytest.mark.parametrize("persona", ["teacher", "parent"])
def test_read_only_roles_cannot_schedule(world, persona):
    url = reverse("meeting_new", args=[world.maya.public_id])
    client = world.client_for(persona)
    assert client.get(url).status_code == 403
    assert client.post(url, _new_post(world)).status_code == 403
    assert not Meeting.objects.exists()


def test_a_past_time_on_the_page_names_the_field(world):
    client = world.client_for("case_manager")
    url = reverse("meeting_new", args=[world.maya.public_id])
    yesterday = (timezone.localdate() - timedelta(days=1)).isoformat()
    response = client.post(url, _new_post(world, day_1=yesterday))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Nothing was saved" in text and "already passed" in text and 'href="#id_day_1"' in text
    assert not Meeting.objects.exists()


def test_a_late_notice_on_the_page(world):
    client = world.client_for("case_manager")
    url = reverse("meeting_new", args=[world.maya.public_id])
    response = client.post(url, _new_post(world, day_1=open_day(2).date().isoformat()))
    assert "too late" in response.content.decode()
    assert not Meeting.objects.exists()


def test_conflicts_are_shown_before_scheduling(world):
    schedule(world, times=[option((open_day(20).date() - at(0).date()).days)])
    client = world.client_for("case_manager")
    url = reverse("meeting_new", args=[world.maya.public_id])
    response = client.post(url, _new_post(world))
    text = response.content.decode()
    assert "Other meetings at this time" in text
    assert Meeting.objects.count() == 1
    response = client.post(url, _new_post(world, confirm_conflicts="on"))
    assert response.status_code == 302
    assert Meeting.objects.count() == 2


def test_refresh_recomputes_the_required_members(world):
    client = world.client_for("case_manager")
    url = reverse("meeting_new", args=[world.maya.public_id])
    response = client.post(url, {**_new_post(world, kind="eligibility"), "refresh": "1"})
    assert response.status_code == 200
    assert "Person who explains evaluation results" in response.content.decode()
    assert not Meeting.objects.exists()


# --- meeting_detail and its forms -------------------------------------------------------------


@pytest.mark.parametrize("persona", ["case_manager", "teacher", "principal", "director", "psych"])
def test_staff_with_a_relationship_read_the_meeting(world, persona):
    meeting = schedule(world)
    response = world.client_for(persona).get(reverse("meeting_detail", args=[meeting.public_id]))
    assert response.status_code == 200
    assert "Who is invited" in response.content.decode()
    assert AuditEvent.objects.filter(action="meeting.viewed", actor=world.users[persona]).exists()


@pytest.mark.parametrize("persona", ["stranger", "oak_director", "uncle", "anonymous"])
def test_outsiders_do_not_see_the_meeting(world, persona):
    meeting = schedule(world)
    response = world.client_for(persona).get(reverse("meeting_detail", args=[meeting.public_id]))
    assert response.status_code in (404, 302)
    if persona != "anonymous":
        assert response.status_code == 404


def test_the_parent_is_sent_to_the_answer_page(world):
    meeting = schedule(world)
    response = world.client_for("parent").get(reverse("meeting_detail", args=[meeting.public_id]))
    assert response["Location"] == reverse("meeting_respond", args=[meeting.public_id])


def test_teacher_cannot_record_or_excuse(world):
    meeting = schedule(world)
    client = world.client_for("teacher")
    for name in (
        "meeting_record",
        "meeting_excuse",
        "meeting_cancel",
        "meeting_reschedule",
        "meeting_share_minutes",
    ):
        assert client.post(reverse(name, args=[meeting.public_id]), {}).status_code == 403
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SCHEDULED


def _record_post(meeting, **changes):  # type: ignore[no-untyped-def]
    data = {
        "notes": "Talked.",
        "decisions": "Add a goal.",
        "share_minutes": "on",
        "step_text_1": "Draft the amendment",
        "step_owner_1": str(meeting.organizer_id),
        "step_due_1": (timezone.localdate() + timedelta(days=30)).isoformat(),
    }
    for i in meeting.invitees.all():
        data[f"came_{i.pk}"] = "yes"
        data[f"how_{i.pk}"] = "in_person"
    data.update(changes)
    return data


def test_case_manager_records_the_meeting_held(world):
    meeting = schedule(world)
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=timezone.now() - timedelta(hours=1), ends_at=timezone.now()
    )
    client = world.client_for("case_manager")
    page = client.get(reverse("meeting_detail", args=[meeting.public_id]))
    assert "Record the meeting" in page.content.decode()
    teacher = meeting.invitees.get(role="gened_teacher")
    response = client.post(
        reverse("meeting_record", args=[meeting.public_id]),
        _record_post(meeting, **{f"came_{teacher.pk}": "no"}),
    )
    assert response.status_code == 400
    text = response.content.decode()
    assert "without an excusal" in text and 'href="#id_absence_reason"' in text
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SCHEDULED
    response = client.post(
        reverse("meeting_record", args=[meeting.public_id]),
        _record_post(
            meeting,
            **{f"came_{teacher.pk}": "no", "absence_reason": "Sick; parent agreed to go on."},
        ),
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.HELD and meeting.minutes_shared_at
    assert meeting.next_steps.count() == 1
    page = client.get(reverse("meeting_detail", args=[meeting.public_id]))
    assert "Draft the amendment" in page.content.decode()
    pdf = client.get(reverse("meeting_minutes_pdf", args=[meeting.public_id]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")


def test_excusal_from_the_page(world):
    meeting = schedule(world)
    teacher = meeting.invitees.get(role="gened_teacher")
    grace = meeting.invitees.get(role="parent").guardian
    client = world.client_for("case_manager")
    url = reverse("meeting_excuse", args=[meeting.public_id])
    late = (at(25)).date().isoformat()
    response = client.post(
        url,
        {
            "invitee": teacher.pk,
            "kind": "excused",
            "parent": grace.pk,
            "parent_agreed_on": late,
            "district_agreed_on": late,
        },
    )
    assert response.status_code == 400
    assert "before the meeting" in response.content.decode()
    today = timezone.localdate().isoformat()
    response = client.post(
        url,
        {
            "invitee": teacher.pk,
            "kind": "excused",
            "parent": grace.pk,
            "parent_agreed_on": today,
            "district_agreed_on": today,
            "member_input": "Reading is fine in class.",
            "member_input_on": today,
        },
    )
    assert response.status_code == 302
    assert hasattr(meeting.invitees.get(pk=teacher.pk), "excusal")


def test_cancel_and_reschedule_from_the_page(world):
    meeting = schedule(world)
    client = world.client_for("case_manager")
    response = client.post(
        reverse("meeting_reschedule", args=[meeting.public_id]),
        {"day_1": at(-3).date().isoformat(), "start_1": "10:00", "minutes_1": "60"},
    )
    assert response.status_code == 400 and "already passed" in response.content.decode()
    response = client.post(
        reverse("meeting_reschedule", args=[meeting.public_id]),
        {"day_1": open_day(30).date().isoformat(), "start_1": "10:00", "minutes_1": "60"},
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.starts_at == open_day(30, 10)
    response = client.post(
        reverse("meeting_cancel", args=[meeting.public_id]), {"reason": "Moved away"}
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED


# --- meeting_respond --------------------------------------------------------------------------


def test_the_parent_answers_on_their_page(world):
    meeting = schedule(world)
    client = world.client_for("parent")
    url = reverse("meeting_respond", args=[meeting.public_id])
    page = client.get(url)
    assert page.status_code == 200
    assert "Can you come?" in page.content.decode()
    response = client.post(url, {"answer": "proposed_other"})
    assert response.status_code == 400
    assert "Tell us a day" in response.content.decode()
    response = client.post(url, {"answer": "accepted"})
    assert response.status_code == 302
    assert meeting.invitees.get(role="parent").response == Response.ACCEPTED
    staff_page = world.client_for("case_manager").get(
        reverse("meeting_detail", args=[meeting.public_id])
    )
    assert "Accepted" in staff_page.content.decode()


def test_the_answer_page_is_closed_to_others(world):
    meeting = schedule(world)
    url = reverse("meeting_respond", args=[meeting.public_id])
    assert world.client_for("uncle").get(url).status_code == 404
    assert world.client_for("stranger").get(url).status_code == 404
    assert world.client_for("teacher").post(url, {"answer": "accepted"}).status_code == 403


# --- files and the list -----------------------------------------------------------------------


def test_ics_and_notice_downloads(world):
    meeting = schedule(world)
    for persona in ("case_manager", "parent", "teacher"):
        client = world.client_for(persona)
        ics = client.get(reverse("meeting_ics", args=[meeting.public_id]))
        assert ics.status_code == 200 and ics["Content-Type"].startswith("text/calendar")
        assert b"BEGIN:VEVENT" in ics.content
    pdf = world.client_for("parent").get(
        reverse("meeting_notice_pdf", args=[meeting.public_id]) + "?lang=es"
    )
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert (
        world.client_for("stranger")
        .get(reverse("meeting_ics", args=[meeting.public_id]))
        .status_code
        == 404
    )
    # minutes exist only once the meeting is held
    assert (
        world.client_for("case_manager")
        .get(reverse("meeting_minutes_pdf", args=[meeting.public_id]))
        .status_code
        == 404
    )


def test_meeting_list_per_persona(world, django_assert_max_num_queries):
    schedule(world)
    expectations = {
        "case_manager": 1,
        "teacher": 1,
        "principal": 1,
        "director": 1,
        "parent": 1,
        "stranger": 0,
        "oak_director": 0,
    }
    for persona, count in expectations.items():
        response = world.client_for(persona).get(reverse("meeting_list"))
        assert response.status_code == 200
        assert response.context["page"].paginator.count == count, persona
    response = world.client_for("case_manager").get(reverse("meeting_list") + "?scope=past")
    assert response.context["page"].paginator.count == 0


def test_meeting_list_queries_do_not_grow(world, django_assert_max_num_queries):
    client = world.client_for("case_manager")
    schedule(world)
    with django_assert_max_num_queries(20) as captured:
        client.get(reverse("meeting_list"))
    first = len(captured)
    for days in (30, 40, 50):
        schedule(world, times=[option(days)])
    with django_assert_max_num_queries(first):
        client.get(reverse("meeting_list"))


def test_student_page_shows_the_meetings(world):
    schedule(world)
    page = world.client_for("case_manager").get(reverse("student", args=[world.maya.public_id]))
    text = page.content.decode()
    assert "meetings-heading" in text and "Annual review" in text and "Schedule a meeting" in text
    page = world.client_for("teacher").get(reverse("student", args=[world.maya.public_id]))
    assert "Schedule a meeting" not in page.content.decode()


# --- the capability matrix on every write -------------------------------------------------------

WRITES = (
    "meeting_record",
    "meeting_excuse",
    "meeting_cancel",
    "meeting_reschedule",
    "meeting_share_minutes",
)


@pytest.mark.parametrize("persona", ["stranger", "oak_director", "uncle"])
def test_outsiders_get_404_on_every_meeting_write(world, persona):
    meeting = schedule(world)
    client = world.client_for(persona)
    for name in (*WRITES, "meeting_respond"):
        response = client.post(reverse(name, args=[meeting.public_id]), {"reason": "x"})
        assert response.status_code == 404, name
    for name in ("meeting_ics", "meeting_notice_pdf"):
        assert client.get(reverse(name, args=[meeting.public_id])).status_code == 404, name
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SCHEDULED


@pytest.mark.parametrize("persona", ["parent", "contractor"])
def test_readers_without_the_capability_get_403_on_every_meeting_write(world, persona):
    meeting = schedule(world)
    client = world.client_for(persona)
    for name in WRITES:
        response = client.post(reverse(name, args=[meeting.public_id]), {"reason": "x"})
        assert response.status_code == 403, name
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SCHEDULED and not meeting.cancelled_reason


def test_a_provider_no_longer_schedules_meetings(world):
    # The contractor serves Maya (a provider tie: data and contacts); scheduling is the team's.
    url = reverse("meeting_new", args=[world.maya.public_id])
    client = world.client_for("contractor")
    assert client.get(url).status_code == 403
    assert client.post(url, _new_post(world)).status_code == 403
    assert not Meeting.objects.exists()


def test_the_psychologist_on_the_team_schedules(world):
    url = reverse("meeting_new", args=[world.maya.public_id])
    assert world.client_for("psych").get(url).status_code == 200


def test_staff_do_not_answer_as_the_family(world):
    meeting = schedule(world)
    url = reverse("meeting_respond", args=[meeting.public_id])
    response = world.client_for("case_manager").post(url, {"answer": "accepted"})
    assert response.status_code == 403
    assert meeting.invitees.get(role="parent").response == Response.PENDING


def test_share_minutes_from_the_page(world):
    meeting = schedule(world)
    client = world.client_for("case_manager")
    url = reverse("meeting_share_minutes", args=[meeting.public_id])
    response = client.post(url, follow=True)
    assert "Minutes are shared after the meeting is held" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.minutes_shared_at is None


def test_meeting_page_queries_do_not_grow_with_invitees(world, django_assert_max_num_queries):
    meeting = schedule(world)
    client = world.client_for("case_manager")
    url = reverse("meeting_detail", args=[meeting.public_id])
    with django_assert_max_num_queries(40) as captured:
        assert client.get(url).status_code == 200
    first = len(captured)
    from tandem.meetings.models import MeetingInvitee

    for n in range(5):
        MeetingInvitee.objects.create(meeting=meeting, name=f"Guest {n}", role="other")
    with django_assert_max_num_queries(first):
        assert client.get(url).status_code == 200


# --- days the school is closed --------------------------------------------------------------


def _next(weekday: int, after_days: int = 20) -> str:
    day = at(after_days)
    while day.weekday() != weekday:
        day += timedelta(days=1)
    return day.date().isoformat()


def _closure(world, name: str, days: int):  # type: ignore[no-untyped-def]
    from tandem.people.models import CalendarClosure, SchoolCalendar

    day = open_day(days).date()
    calendar = SchoolCalendar.objects.create(
        district=world.riverside,
        school_year="2026-2027",
        first_day=day - timedelta(days=200),
        last_day=day + timedelta(days=100),
    )
    CalendarClosure.objects.create(calendar=calendar, kind="break", name=name, start=day, end=day)
    return day


def test_a_weekend_day_asks_for_a_confirmation_and_saves_nothing_until_given(world):
    client = world.client_for("case_manager")
    url = reverse("meeting_new", args=[world.maya.public_id])
    saturday = _next(5)
    response = client.post(url, _new_post(world, day_1=saturday))
    text = response.content.decode()
    assert response.status_code == 200
    assert "Nothing was saved" in text and 'href="#id_day_1"' in text
    assert "is a Saturday" in text and 'name="confirm_closed_days"' in text
    assert not Meeting.objects.exists()
    response = client.post(url, _new_post(world, day_1=saturday, confirm_closed_days="on"))
    assert response.status_code == 302
    assert Meeting.objects.get().starts_at.date().isoformat() == saturday


def test_a_school_closure_is_named_and_a_second_proposed_day_is_checked_too(world):
    client = world.client_for("case_manager")
    url = reverse("meeting_new", args=[world.maya.public_id])
    closed = _closure(world, "Winter break", 24)
    data = _new_post(world, day_2=closed.isoformat(), start_2="09:00", minutes_2="60")
    response = client.post(url, data)
    text = response.content.decode()
    assert "Winter break, the school is closed" in text and 'href="#id_day_2"' in text
    assert not Meeting.objects.exists()
    # In Spanish, the closure's name is Tandem's word for it.
    user = world.users["case_manager"]
    user.preferred_language = "es"
    user.save(update_fields=["preferred_language"])
    text = client.post(url, data).content.decode()
    assert "Vacaciones de invierno" in text


def test_the_page_does_not_ask_about_an_open_school_day(world):
    client = world.client_for("case_manager")
    url = reverse("meeting_new", args=[world.maya.public_id])
    page = client.get(url).content.decode()
    assert 'name="confirm_closed_days"' not in page
    assert client.post(url, _new_post(world)).status_code == 302


def test_moving_a_meeting_to_a_sunday_asks_for_a_confirmation(world):
    meeting = schedule(world)
    client = world.client_for("case_manager")
    url = reverse("meeting_reschedule", args=[meeting.public_id])
    sunday = _next(6, 30)
    post = {"day_1": sunday, "start_1": "10:00", "minutes_1": "60"}
    response = client.post(url, post)
    assert response.status_code == 400
    text = response.content.decode()
    assert "is a Sunday" in text and 'name="confirm_closed_days"' in text
    meeting.refresh_from_db()
    assert meeting.starts_at.date().isoformat() != sunday
    response = client.post(url, {**post, "confirm_closed_days": "on"})
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.starts_at.date().isoformat() == sunday


def test_a_meeting_whose_time_has_come_offers_no_excusal_or_move(world):
    meeting = schedule(world)
    Meeting.objects.filter(pk=meeting.pk).update(
        starts_at=at(-1), ends_at=at(-1) + timedelta(hours=1)
    )
    client = world.client_for("case_manager")
    page = client.get(reverse("meeting_detail", args=[meeting.public_id])).content.decode()
    assert "Move the meeting" not in page and "Excuse a required member" not in page
    response = client.post(
        reverse("meeting_reschedule", args=[meeting.public_id]),
        {"day_1": open_day(30).date().isoformat(), "start_1": "10:00", "minutes_1": "60"},
    )
    assert response.status_code == 400
    assert "record what happened" in response.content.decode()
    meeting.refresh_from_db()
    assert meeting.starts_at == at(-1)


def test_times_the_family_asked_for_read_as_times(world):
    meeting = schedule(world)
    asked = open_day(25, 16)
    meeting.invitees.filter(guardian__isnull=False).update(
        proposed_times=[{"starts_at": asked.isoformat(), "ends_at": asked.isoformat()}]
    )
    page = world.client_for("case_manager").get(reverse("meeting_detail", args=[meeting.public_id]))
    text = page.content.decode()
    assert asked.isoformat() not in text
    assert date_format(asked, "DATETIME_FORMAT") in text


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_meeting_list_downloads_every_filtered_meeting(world, fmt):
    from tandem.web.pages import record_of_access
    from tests.downloads import read_download

    schedule(world)
    response = world.client_for("principal").get(reverse("meeting_list"), {"download": fmt})
    rows = read_download(response, fmt)
    assert rows[0][1] == "Student" and [r[1] for r in rows[1:]] == ["Maya Lopez"]
    event = AuditEvent.objects.get(action="meetings.exported")
    assert event in record_of_access(world.maya, with_refusals=False)
    nothing = world.client_for("stranger").get(reverse("meeting_list"), {"download": fmt})
    assert len(read_download(nothing, fmt)) == 1
