"""GET /api/v1/students/{id}/meetings: through the access policy; a parent reaches only their own."""

from __future__ import annotations

import pytest

from tandem.accounts.models import AuditEvent
from tandem.api.tokens import issue_token

from .conftest import option, schedule


def _auth(world, persona):  # type: ignore[no-untyped-def]
    return {"HTTP_AUTHORIZATION": "Bearer " + issue_token(actor=None, user=world.users[persona])}


def _url(student):  # type: ignore[no-untyped-def]
    return f"/api/v1/students/{student.public_id}/meetings"


@pytest.mark.parametrize("persona", ["case_manager", "parent", "teacher", "director"])
def test_people_with_a_relationship_list_the_meetings(world, client, persona):
    meeting = schedule(world)
    response = client.get(_url(world.maya), **_auth(world, persona))
    assert response.status_code == 200
    body = response.json()
    assert [m["id"] for m in body] == [str(meeting.public_id)]
    assert body[0]["kind"] == "annual_review" and len(body[0]["invitees"]) == 4
    assert {i["role"] for i in body[0]["invitees"]} >= {"parent", "gened_teacher"}
    assert AuditEvent.objects.filter(action="meetings.listed", actor=world.users[persona]).exists()


@pytest.mark.parametrize("persona", ["uncle", "stranger", "oak_director"])
def test_others_get_404(world, client, persona):
    schedule(world)
    response = client.get(_url(world.maya), **_auth(world, persona))
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_a_parent_cannot_reach_another_child(world, client):
    response = client.get(_url(world.leo), **_auth(world, "parent"))
    assert response.status_code == 404


def test_upcoming_filter_and_no_token(world, client, django_assert_max_num_queries):
    schedule(world)
    schedule(world, times=[option(40)])
    with django_assert_max_num_queries(25):
        response = client.get(_url(world.maya) + "?upcoming=true", **_auth(world, "case_manager"))
    assert len(response.json()) == 2
    assert client.get(_url(world.maya)).status_code == 401
