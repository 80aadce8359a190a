"""The NUL character is refused in every string the API is sent, in the error envelope with the
field named: PostgreSQL cannot store it, so it would otherwise end in a 500 (issue 16)."""

from __future__ import annotations

import json

from tandem.accounts.models import AuditEvent
from tandem.revisions.models import RevisionRequest


def _post(client, world, body: str):  # type: ignore[no-untyped-def]
    client.force_login(world.users["case_manager"])
    url = f"/api/v1/students/{world.maya.public_id}/revision-requests"
    return client.post(url, body, content_type="application/json")


def test_nul_in_a_json_string_is_refused_naming_the_field(world, client):
    response = _post(client, world, json.dumps({"reason": "Homework\u0000 takes hours."}))
    assert response.status_code == 422
    error = response.json()["error"]
    assert (error["status"], error["code"]) == (422, "invalid")
    assert list(error["fields"]) == ["reason"]
    assert "NUL" in error["fields"]["reason"][0]
    assert not RevisionRequest.objects.exists()


def test_nul_deep_in_the_body_names_its_path(world, client):
    body = json.dumps({"reason": "ok", "extra": [{"note": "a\u0000b"}]})
    response = _post(client, world, body)
    assert response.status_code == 422
    assert list(response.json()["error"]["fields"]) == ["extra.0.note"]


def test_the_same_request_without_nul_is_accepted(world, client):
    response = _post(client, world, json.dumps({"reason": "Homework takes hours."}))
    assert response.status_code == 201


def test_nul_in_a_query_string_is_refused(world, client):
    client.force_login(world.users["case_manager"])
    response = client.get("/api/v1/students", {"q": "lo\x00pez"})
    assert response.status_code == 422
    assert list(response.json()["error"]["fields"]) == ["q"]
    assert not AuditEvent.objects.filter(action="students.searched").exists()


def test_malformed_json_is_still_a_plain_400(world, client):
    response = _post(client, world, "{not json")
    assert response.status_code == 400
    assert response.json()["error"]["status"] == 400


def test_nul_in_the_stated_purpose_is_dropped_not_stored(world, client):
    client.force_login(world.users["case_manager"])
    client.get(f"/api/v1/students/{world.maya.public_id}", HTTP_X_ACCESS_PURPOSE="prep\x00")
    assert AuditEvent.objects.get(action="student.viewed").purpose == "prep"
