"""The API refuses text over its limit, 422 naming the field, and saves nothing (issue 16)."""

from __future__ import annotations

import json

from tandem.accounts.models import AuditEvent
from tandem.core import limits
from tandem.revisions.models import RevisionRequest


def _post(client, world, body: dict):  # type: ignore[no-untyped-def, type-arg]
    client.force_login(world.users["case_manager"])
    url = f"/api/v1/students/{world.maya.public_id}/revision-requests"
    return client.post(url, json.dumps(body), content_type="application/json")


def test_an_oversize_reason_is_refused_naming_the_field(world, client):  # type: ignore[no-untyped-def]
    events = AuditEvent.objects.filter(action__startswith="revision").count()
    response = _post(client, world, {"reason": "r" * (limits.NOTE + 1)})
    assert response.status_code == 422
    error = response.json()["error"]
    assert list(error["fields"]) == ["payload.reason"]  # the body is `payload`
    assert "5000" in error["fields"]["payload.reason"][0]
    assert not RevisionRequest.objects.exists()
    assert AuditEvent.objects.filter(action__startswith="revision").count() == events


def test_exactly_the_limit_is_accepted(world, client):  # type: ignore[no-untyped-def]
    response = _post(client, world, {"reason": "r" * limits.NOTE})
    assert response.status_code == 201
    assert RevisionRequest.objects.get().reason == "r" * limits.NOTE


def test_an_oversize_goal_id_is_refused(world, client):  # type: ignore[no-untyped-def]
    response = _post(client, world, {"reason": "ok", "goal": "g" * (limits.SEARCH + 1)})
    assert response.status_code == 422
    assert list(response.json()["error"]["fields"]) == ["payload.goal"]
    assert not RevisionRequest.objects.exists()


def test_an_oversize_search_is_refused(world, client):  # type: ignore[no-untyped-def]
    client.force_login(world.users["case_manager"])
    response = client.get("/api/v1/students", {"q": "q" * (limits.SEARCH + 1)})
    assert response.status_code == 422
    assert list(response.json()["error"]["fields"]) == ["q"]
