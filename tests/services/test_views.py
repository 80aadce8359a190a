"""The service pages: logging a session (one student or a group) and a student's minutes.

Maya's speech service (from tests/progress): 30 minutes 2 times a week from Wednesday
2025-09-10. No school calendar in the test world, so every weekday is a school day and the
first week owes 3/5 of 60 = 36 minutes.
"""

from __future__ import annotations

from datetime import date, time, timedelta

import pytest
from django.urls import reverse

from tandem.accounts.models import AuditEvent
from tandem.core import clock
from tandem.people.models import CaseloadAssignment, TeamMembership, TeamRole
from tandem.services import actions
from tandem.services.actions import Attendee
from tandem.services.models import (
    AttendanceCode,
    ProviderLicence,
    ServiceSession,
    SessionAddendum,
)
from tests.conftest import START
from tests.progress.conftest import active_iep

TODAY = date(2025, 10, 1)  # a Wednesday; this week starts Monday 2025-09-29
LOG = reverse("session_log")


def _url(student) -> str:  # type: ignore[no-untyped-def]
    return reverse("student_services", args=[student.public_id])


def _log(user, day, code, service, student, start=time(9, 0)):  # type: ignore[no-untyped-def]
    with clock.fixed(TODAY):
        return actions.log_session(
            actor=user,
            day=day,
            start_time=start,
            minutes=30,
            attendees=[Attendee(student, service, code)],
            note=f"Articulation drill, {day.isoformat()}.",
        )


@pytest.fixture
def leo_speech(world, slp):  # type: ignore[no-untyped-def]
    cm = world.users["case_manager"].staff
    CaseloadAssignment.objects.create(staff=cm, student=world.leo, start_date=START)
    TeamMembership.objects.create(
        staff=slp.staff, student=world.leo, role=TeamRole.SPEECH_LANGUAGE, start_date=START
    )
    plan = active_iep(world, student=world.leo)
    return plan.services.get(name="Speech-language therapy")


@pytest.fixture
def logged(world, slp, speech):  # type: ignore[no-untyped-def]
    """Four weeks of Maya's speech: one session missed because the SLP was out."""
    for day, code in (
        (date(2025, 9, 15), AttendanceCode.DELIVERED),
        (date(2025, 9, 17), AttendanceCode.DELIVERED),
        (date(2025, 9, 22), AttendanceCode.PROVIDER_ABSENT),
        (date(2025, 9, 24), AttendanceCode.DELIVERED),
        (date(2025, 9, 29), AttendanceCode.DELIVERED),
    ):
        _log(slp, day, code, speech, world.maya)


def _figures(html: str, window: str) -> dict[str, str]:
    """The figures of one window's row, read from the page's data attributes."""
    import re

    row = re.search(rf'<tr data-window="{window}">(.*?)</tr>', html, re.S)
    assert row, window
    cells = re.findall(r'data-figure="(\w+)">(.*?)</td>', row.group(1), re.S)
    return {name: re.sub(r"<[^>]+>|\s+", " ", value).strip() for name, value in cells}


# --- the minutes page --------------------------------------------------------------------------


def test_the_minutes_page_shows_mandated_delivered_missed_and_owed(world, logged) -> None:  # type: ignore[no-untyped-def]
    with clock.fixed(TODAY):
        response = world.client_for("case_manager").get(_url(world.maya))
    assert response.status_code == 200
    html = response.content.decode()
    week = _figures(html, "week")
    assert (week["mandated"], week["owed"]) == ("60", "0")
    assert week["delivered"].startswith("30 ")
    four = _figures(html, "four_weeks")  # 36 + 60 + 60 mandated; 0 + 60 + 30 delivered
    assert four["mandated"] == "156"
    assert four["delivered"].startswith("90 ")
    assert four["missed"] == "Provider absent: 30"
    assert four["owed"] == "30"
    year = _figures(html, "year")
    assert (year["mandated"], year["owed"]) == ("216", "30")
    assert year["delivered"].startswith("120 ")
    assert "Articulation drill, 2025-09-22." in html  # the sessions are listed
    assert AuditEvent.objects.filter(action="service_minutes.viewed", student=world.maya).exists()


def test_the_student_page_links_to_services_and_minutes(world) -> None:  # type: ignore[no-untyped-def]
    response = world.client_for("teacher").get(reverse("student", args=[world.maya.public_id]))
    assert _url(world.maya) in response.content.decode()


def test_a_read_only_teacher_reads_the_minutes_but_cannot_correct(world, slp, logged) -> None:  # type: ignore[no-untyped-def]
    with clock.fixed(TODAY):
        response = world.client_for("teacher").get(_url(world.maya))
    assert response.status_code == 200
    assert "Add a correction" not in response.content.decode()
    session = ServiceSession.objects.first()
    url = reverse("session_addendum", args=[world.maya.public_id, session.public_id])
    post = world.client_for("teacher").post(url, {"reason": "x", "text": "y"})
    assert post.status_code == 403
    assert not SessionAddendum.objects.exists()


def test_outsider_gets_404_on_the_minutes_and_the_addendum(world, logged) -> None:  # type: ignore[no-untyped-def]
    stranger = world.client_for("stranger")
    assert stranger.get(_url(world.maya)).status_code == 404
    session = ServiceSession.objects.first()
    url = reverse("session_addendum", args=[world.maya.public_id, session.public_id])
    assert stranger.post(url, {"reason": "x", "text": "y"}).status_code == 404
    # A session of another student is not found through this student's page.
    assert (
        world.client_for("director")
        .get(reverse("session_addendum", args=[world.leo.public_id, session.public_id]))
        .status_code
        == 404
    )


def test_a_signed_log_is_corrected_by_an_addendum_with_its_reason(world, slp, logged) -> None:  # type: ignore[no-untyped-def]
    session = ServiceSession.objects.get(day=date(2025, 9, 22))
    url = reverse("session_addendum", args=[world.maya.public_id, session.public_id])
    client = world.client_for("slp")
    empty = client.post(url, {"reason": "", "text": "The session was moved, not missed."})
    assert empty.status_code == 400
    assert "Give the reason for the correction." in empty.content.decode()
    assert not SessionAddendum.objects.exists()
    response = client.post(url, {"reason": "Wrong code", "text": "Maya was absent, not me."})
    assert response.status_code == 302
    addendum = SessionAddendum.objects.get()
    assert addendum.reason == "Wrong code" and addendum.created_by == slp
    session.refresh_from_db()
    assert session.signed_at is not None  # the log itself is untouched
    with clock.fixed(TODAY):
        page = client.get(_url(world.maya)).content.decode()
    assert "Maya was absent, not me." in page


def test_the_minutes_page_does_not_grow_with_sessions(
    world, slp, speech, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    _log(slp, date(2025, 9, 15), AttendanceCode.DELIVERED, speech, world.maya)
    client = world.client_for("case_manager")
    client.get(_url(world.maya))  # sessions and caches warm, as on any later visit
    # 14, plus the compensatory ledger (its rows, the calendar's 2) and the open alerts.
    with clock.fixed(TODAY), django_assert_max_num_queries(18) as few:
        client.get(_url(world.maya))
    day = date(2025, 9, 16)
    for n in range(12):
        code = AttendanceCode.PROVIDER_ABSENT if n % 4 == 0 else AttendanceCode.DELIVERED
        _log(slp, day + timedelta(days=n // 4 * 7), code, speech, world.maya, time(8 + n % 4))
    session = ServiceSession.objects.first()
    with clock.fixed(TODAY):
        actions.add_addendum(actor=slp, session=session, reason="Typo", text="Fixed.")
    with clock.fixed(TODAY), django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(_url(world.maya))
    assert response.status_code == 200


# --- the log page ------------------------------------------------------------------------------


def _post(world, persona, services, **fields):  # type: ignore[no-untyped-def]
    data = {
        "day": "2025-09-30",
        "start_time": "10:00",
        "minutes": "30",
        "modality": "in_person",
        "note": "Group: /r/ in sentences.",
        "students": [str(s.public_id) for s, _code in services],
    }
    for service, code in services:
        data[f"code_{service.public_id}"] = code
    data.update(fields)
    with clock.fixed(TODAY):
        return world.client_for(persona).post(LOG, data)


def test_a_teletherapy_session_with_the_student_at_home_says_so(world, slp, speech) -> None:  # type: ignore[no-untyped-def]
    ProviderLicence.objects.create(
        staff=slp.staff, state="CA", number="CA 7", expires=date(2027, 9, 1)
    )
    response = _post(
        world, "slp", [(speech, AttendanceCode.DELIVERED)],
        modality="teletherapy", platform="Zoom", student_location="home",
    )  # fmt: skip
    assert response.status_code == 302, response.context["form"].errors
    assert ServiceSession.objects.get().student_location == "home"


def test_an_unknown_student_location_is_refused_on_the_page(world, slp, speech) -> None:  # type: ignore[no-untyped-def]
    response = _post(
        world, "slp", [(speech, AttendanceCode.DELIVERED)],
        modality="teletherapy", student_location="car",
    )  # fmt: skip
    assert response.status_code == 400
    assert "student_location" in response.context["form"].errors
    assert not ServiceSession.objects.exists()


def test_the_log_page_offers_the_providers_students_and_services(
    world, slp, speech, leo_speech
) -> None:  # type: ignore[no-untyped-def]
    with clock.fixed(TODAY):
        response = world.client_for("slp").get(LOG)
    assert response.status_code == 200
    html = response.content.decode()
    assert str(speech.public_id) in html and str(leo_speech.public_id) in html
    assert "Specialized" not in html  # not the SLP's service


def test_a_provider_logs_a_group_session_of_two_in_one_submission(
    world, slp, speech, leo_speech
) -> None:  # type: ignore[no-untyped-def]
    response = _post(
        world,
        "slp",
        [(speech, AttendanceCode.DELIVERED), (leo_speech, AttendanceCode.STUDENT_ABSENT)],
    )
    assert response.status_code == 302
    session = ServiceSession.objects.get()
    assert (session.day, session.minutes, session.provider) == (
        date(2025, 9, 30),
        30,
        slp.staff,
    )
    rows = {row.student_id: (row.code, row.minutes) for row in session.attendance.all()}
    assert rows == {
        world.maya.pk: (AttendanceCode.DELIVERED, 30),
        world.leo.pk: (AttendanceCode.STUDENT_ABSENT, 0),
    }
    assert AuditEvent.objects.filter(action="service_session.logged").count() == 2


@pytest.mark.parametrize(
    ("fields", "label", "message"),
    [
        ({"day": "2025-10-02"}, "Session date", "The session date is in the future."),
        ({"minutes": ""}, "Minutes", "Enter how many minutes the session lasted."),
        ({"minutes": "600"}, "Minutes", "Minutes must be between 1 and 420"),
        ({"students": []}, "Students", "Choose at least one student."),
        ({"start_time": "9 o'clock"}, "Start time", "Enter a time like 09:30."),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(
    world, slp, speech, fields, label, message
) -> None:  # type: ignore[no-untyped-def]
    response = _post(world, "slp", [(speech, AttendanceCode.DELIVERED)], **fields)
    assert response.status_code == 400
    html = response.content.decode()
    assert f"{label}</a>: {message}" in html
    assert not ServiceSession.objects.exists()
    assert not AuditEvent.objects.filter(action__startswith="service_session.").exists()


def test_an_overlapping_session_is_refused_naming_the_other(world, slp, speech) -> None:  # type: ignore[no-untyped-def]
    _log(slp, date(2025, 9, 30), AttendanceCode.DELIVERED, speech, world.maya, time(9, 45))
    response = _post(world, "slp", [(speech, AttendanceCode.DELIVERED)])
    assert response.status_code == 400
    assert "Start time</a>: You already have a session at that time: 2025-09-30 at 09:45" in (
        response.content.decode()
    )
    assert ServiceSession.objects.count() == 1


def test_a_student_ticked_without_a_code_is_named(world, slp, speech) -> None:  # type: ignore[no-untyped-def]
    response = _post(world, "slp", [(speech, "")])
    assert response.status_code == 400
    assert "Choose an attendance code for Maya Lopez." in response.content.decode()
    assert not ServiceSession.objects.exists()


def test_outsider_posting_a_student_out_of_reach_gets_404(world, slp, speech) -> None:  # type: ignore[no-untyped-def]
    assert _post(world, "stranger", [(speech, AttendanceCode.DELIVERED)]).status_code == 404
    assert not ServiceSession.objects.exists()


def test_a_family_has_no_log_page(world) -> None:  # type: ignore[no-untyped-def]
    assert world.client_for("parent").get(LOG).status_code == 404


def test_a_read_only_teacher_gets_403_when_logging(world, slp, speech) -> None:  # type: ignore[no-untyped-def]
    assert _post(world, "teacher", [(speech, AttendanceCode.DELIVERED)]).status_code == 403
    assert not ServiceSession.objects.exists()
