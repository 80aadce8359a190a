"""Sessions end after SESSION_IDLE_MINUTES without a request, and SESSION_COOKIE_AGE after they
began however active (issue 16). The session's own stamps are moved back instead of the clock:
the time-out reads the wall clock, as Django's session expiry does."""

from __future__ import annotations

import time

import pytest
from django.urls import reverse

from tandem.web.middleware import IdleTimeoutMiddleware as Idle


@pytest.fixture
def signed_in(world, settings):  # type: ignore[no-untyped-def]
    settings.SESSION_IDLE_MINUTES = 30
    settings.SESSION_COOKIE_AGE = 10 * 60 * 60
    client = world.client_for("case_manager")
    assert client.get(reverse("home")).status_code == 200  # the first request stamps the session
    return client


def _age(client, *, seen_ago: float, started_ago: float | None = None) -> None:  # type: ignore[no-untyped-def]
    session = client.session
    now = time.time()
    session[Idle.SEEN] = now - seen_ago
    session[Idle.STARTED] = now - (started_ago if started_ago is not None else seen_ago)
    session.save()


def test_a_request_within_the_idle_time_goes_through(signed_in):
    _age(signed_in, seen_ago=29 * 60)
    assert signed_in.get(reverse("home")).status_code == 200
    assert time.time() - signed_in.session[Idle.SEEN] < 60  # the activity moved the stamp on


def test_a_request_after_the_idle_time_goes_to_sign_in(signed_in):
    _age(signed_in, seen_ago=31 * 60)
    response = signed_in.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in signed_in.session  # signed out, not only redirected once


def test_the_absolute_limit_stays_however_active(signed_in):
    _age(signed_in, seen_ago=60, started_ago=10 * 60 * 60 + 1)
    response = signed_in.get(reverse("home"))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_a_save_after_the_idle_time_is_sent_to_sign_in_and_keeps_nothing(world, signed_in):
    _age(signed_in, seen_ago=31 * 60)
    url = reverse("student_edit", args=[world.maya.public_id])
    response = signed_in.post(url, {"grade": "4", "home_language": "English"})
    assert response.status_code == 302 and reverse("login") in response["Location"]
    world.maya.refresh_from_db()
    assert world.maya.grade != "4"


def test_the_api_answers_401_after_the_idle_time(world, signed_in):
    _age(signed_in, seen_ago=31 * 60)
    response = signed_in.get(f"/api/v1/students/{world.maya.public_id}")
    assert response.status_code == 401


def test_the_cookie_ends_with_the_idle_time(signed_in):
    assert signed_in.session.get_expiry_age() <= 30 * 60


def test_a_page_polling_by_itself_does_not_keep_the_session_alive(signed_in):
    _age(signed_in, seen_ago=20 * 60)
    before = signed_in.session[Idle.SEEN]
    poll = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TRIGGER": "poll-region"}
    assert signed_in.get(reverse("home"), **poll).status_code == 200
    assert signed_in.session[Idle.SEEN] == before  # the timer's request is not activity
    _age(signed_in, seen_ago=31 * 60)
    assert signed_in.get(reverse("home"), **poll).status_code == 302
