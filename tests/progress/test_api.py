"""The progress API: the same policy, error format and audit log as the pages."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.test import Client

from tandem.accounts.models import AuditEvent
from tandem.api.tokens import issue_token
from tandem.core import clock
from tandem.progress.models import DataPoint
from tests.progress.test_pages import OUTSIDERS, READERS


def _auth(world, persona):  # type: ignore[no-untyped-def]
    return {"HTTP_AUTHORIZATION": "Bearer " + issue_token(actor=None, user=world.users[persona])}


def _day(n=1):  # type: ignore[no-untyped-def]
    return (clock.today() - timedelta(days=n)).isoformat()


def _post(world, goal, persona="case_manager", **body):  # type: ignore[no-untyped-def]
    return Client().post(
        f"/api/v1/goals/{goal.public_id}/data-points",
        body,
        content_type="application/json",
        **_auth(world, persona),
    )


@pytest.mark.parametrize("persona", READERS)
def test_readers_get_progress(world, goals, persona) -> None:  # type: ignore[no-untyped-def]
    response = Client().get(
        f"/api/v1/goals/{goals.speech.public_id}/progress", **_auth(world, persona)
    )
    assert response.status_code == 200
    data = response.json()
    assert data["metric"] == "percent" and data["target"] == 90
    assert data["decision"]["decision"] == "insufficient_data"
    assert data["decision"]["rule"] in ("trend", "median_of_last_three", "four_point")
    assert AuditEvent.objects.filter(action="progress.goal_viewed").exists()


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_outsiders_get_404(world, goals, persona) -> None:  # type: ignore[no-untyped-def]
    client = Client()
    response = client.get(
        f"/api/v1/goals/{goals.speech.public_id}/progress", **_auth(world, persona)
    )
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    response = _post(world, goals.speech, persona, taken_on=_day(), percent=50)
    assert response.status_code == 404
    assert DataPoint.objects.count() == 0


@pytest.mark.parametrize("persona", ["teacher", "parent"])
def test_read_only_get_403(world, goals, persona) -> None:  # type: ignore[no-untyped-def]
    response = _post(world, goals.speech, persona, taken_on=_day(), percent=50)
    assert response.status_code == 403 and response.json()["error"]["code"] == "forbidden"
    assert DataPoint.objects.count() == 0


def test_anonymous_is_401(world, goals) -> None:  # type: ignore[no-untyped-def]
    assert Client().get(f"/api/v1/goals/{goals.speech.public_id}/progress").status_code == 401


def test_post_and_replay(world, goals) -> None:  # type: ignore[no-untyped-def]
    key = str(uuid.uuid4())
    first = _post(
        world, goals.speech, taken_on=_day(), trials_correct=8, trials_total=10, client_key=key
    )
    assert first.status_code == 201 and first.json()["value"] == 80
    again = _post(
        world, goals.speech, taken_on=_day(), trials_correct=8, trials_total=10, client_key=key
    )
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert DataPoint.objects.count() == 1
    data = (
        Client()
        .get(f"/api/v1/goals/{goals.speech.public_id}/progress", **_auth(world, "case_manager"))
        .json()
    )
    assert [p["value"] for p in data["points"]] == [80]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"percent": 121}, "percent"),
        ({"trials_correct": 7, "trials_total": 5}, "trials_correct"),
        ({"percent": 50, "days": -3}, "taken_on"),
        ({"percent": 50, "days": 600}, "taken_on"),
        ({}, "trials_correct"),
    ],
)
def test_bad_input_names_the_field(world, goals, body, field) -> None:  # type: ignore[no-untyped-def]
    days = body.pop("days", 1)
    day = (clock.today() - timedelta(days=days)).isoformat()
    response = _post(world, goals.speech, taken_on=day, **body)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid" and field in error["fields"], error
    assert DataPoint.objects.count() == 0


def test_malformed_body_is_422(world, goals) -> None:  # type: ignore[no-untyped-def]
    response = _post(world, goals.speech, taken_on="yesterday", percent=50)
    assert response.status_code == 422 and "payload.taken_on" in response.json()["error"]["fields"]
