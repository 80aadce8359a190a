"""The idle warning's question and answer (issue 16): how long is left, and "Stay signed in".

idle.js asks with the passive `idle-check` trigger, which must not count as activity (else the
question itself would keep every open tab signed in forever); "Stay signed in" is activity.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.web.test_idle_timeout import _age

URL = reverse("session_time")
PASSIVE = {"HTTP_HX_REQUEST": "true", "HTTP_HX_TRIGGER": "idle-check"}


@pytest.fixture
def signed_in(world, settings):  # type: ignore[no-untyped-def]
    settings.SESSION_IDLE_MINUTES = 30
    settings.SESSION_COOKIE_AGE = 10 * 60 * 60
    client = world.client_for("case_manager")
    assert client.get(reverse("home")).status_code == 200
    return client


def test_the_question_answers_what_is_left_and_does_not_count_as_activity(signed_in):
    _age(signed_in, seen_ago=28 * 60)
    for _ in range(2):
        body = signed_in.get(URL, **PASSIVE).json()
        assert body["signed_in"] is True
        assert 110 <= body["seconds_left"] <= 120


def test_stay_signed_in_restarts_the_idle_clock_but_not_the_limit(signed_in):
    _age(signed_in, seen_ago=28 * 60)
    body = signed_in.post(URL, **PASSIVE).json()
    assert 29 * 60 < body["seconds_left"] <= 30 * 60
    _age(signed_in, seen_ago=10, started_ago=10 * 60 * 60 - 100)
    assert signed_in.post(URL, **PASSIVE).json()["seconds_left"] <= 100


def test_after_the_time_out_the_answer_is_401_not_a_sign_in_page(signed_in, client):
    _age(signed_in, seen_ago=31 * 60)
    response = signed_in.get(URL, **PASSIVE)
    assert response.status_code == 401
    assert response.json() == {"signed_in": False, "seconds_left": 0}
    assert client.post(URL).status_code == 401  # never signed in: nothing to keep alive


def test_signed_in_pages_carry_the_warning_and_the_sign_in_page_does_not(signed_in, client):
    page = signed_in.get(reverse("home")).content.decode()
    assert 'id="idle-warning"' in page and 'data-seconds="1800"' in page
    assert "js/idle.js" in page
    assert 'id="idle-warning"' not in client.get(reverse("login")).content.decode()
