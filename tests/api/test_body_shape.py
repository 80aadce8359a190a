"""A body that is JSON but not an object of fields, or not JSON at all, is refused in the error
envelope and saves nothing (found by tests/api/test_schemathesis.py and the probes beside it)."""

from __future__ import annotations

import pytest

from tandem.accounts.models import AuditEvent
from tandem.revisions.models import RevisionRequest


def _post(client, world, body: str):  # type: ignore[no-untyped-def]
    client.force_login(world.users["case_manager"])
    url = f"/api/v1/students/{world.maya.public_id}/revision-requests"
    return client.post(url, body, content_type="application/json")


@pytest.mark.parametrize("body", ["[]", '"a reason"', "42", "null", '[{"reason": "x"}]'])
def test_json_that_is_not_an_object_is_422_for_the_request(world, client, body):
    events = AuditEvent.objects.count()
    response = _post(client, world, body)
    assert response.status_code == 422
    error = response.json()["error"]
    assert (error["code"], error["fields"]) == (
        "invalid",
        {"request": ["Send a JSON object of the fields."]},
    )
    assert not RevisionRequest.objects.exists()
    assert AuditEvent.objects.count() == events


def test_a_body_that_is_not_json_is_400_in_the_envelope(world, client):
    response = _post(client, world, "\x06#")
    assert response.status_code == 400
    assert response.json()["error"]["status"] == 400
    assert not RevisionRequest.objects.exists()
