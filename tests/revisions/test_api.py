"""GET and POST /api/v1/students/{id}/revision-requests through the access policy."""

from __future__ import annotations

import json

import pytest

from tandem.accounts.models import AuditEvent
from tandem.api.tokens import issue_token
from tandem.revisions import actions
from tandem.revisions.models import RevisionRequest


def bearer(world, persona):  # type: ignore[no-untyped-def]
    return {"HTTP_AUTHORIZATION": "Bearer " + issue_token(actor=None, user=world.users[persona])}


def url(student):  # type: ignore[no-untyped-def]
    return f"/api/v1/students/{student.public_id}/revision-requests"


def post(client, world, persona, student, body):  # type: ignore[no-untyped-def]
    return client.post(
        url(student), json.dumps(body), content_type="application/json", **bearer(world, persona)
    )


def test_parent_token_files_and_lists_for_their_own_child(world, client):
    response = post(client, world, "parent", world.maya, {"reason": "Homework takes hours."})
    assert response.status_code == 201
    data = response.json()
    assert data["source"] == "parent" and data["status"] == "open"
    listed = client.get(url(world.maya), **bearer(world, "parent"))
    assert listed.status_code == 200
    assert [r["id"] for r in listed.json()] == [data["id"]]
    assert AuditEvent.objects.filter(action="revision.listed").exists()


@pytest.mark.parametrize(
    ("persona", "student"),
    [("parent", "leo"), ("uncle", "maya"), ("stranger", "maya"), ("oak_director", "maya")],
)
def test_out_of_reach_is_404_in_the_house_format(world, client, persona, student):
    target = getattr(world, student)
    got = client.get(url(target), **bearer(world, persona))
    assert got.status_code == 404
    assert got.json()["error"]["code"] == "not_found"
    made = post(client, world, persona, target, {"reason": "x"})
    assert made.status_code == 404
    assert not RevisionRequest.objects.exists()


def test_teacher_read_only_may_still_ask(world, client):
    assert (
        post(client, world, "teacher", world.maya, {"reason": "Needs breaks."}).status_code == 201
    )


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({}, "reason"),
        ({"reason": ""}, "reason"),
        ({"reason": "   "}, "reason"),
        ({"reason": "x", "goal": "nope"}, "goal"),
    ],
)
def test_bad_input_names_the_field(world, client, body, field):
    response = post(client, world, "case_manager", world.maya, body)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid" and f"payload.{field}" in error["fields"]
    assert not RevisionRequest.objects.exists()


def test_goal_attaches_evidence(world, client, maya_goal):
    response = post(
        client,
        world,
        "case_manager",
        world.maya,
        {"reason": "Flat", "goal": str(maya_goal.public_id)},
    )
    assert response.status_code == 201
    assert response.json()["goal"] == str(maya_goal.public_id)
    assert response.json()["evidence"]["goal_text"] == maya_goal.text


def test_unauthenticated_is_401(world, client):
    assert client.get(url(world.maya)).status_code == 401


def test_list_query_count_does_not_grow(world, client, django_assert_max_num_queries):
    for _ in range(12):
        actions.open_revision_request(actor=world.users["parent"], student=world.maya, reason="r")
    headers = bearer(world, "case_manager")
    with django_assert_max_num_queries(20):
        assert len(client.get(url(world.maya), **headers).json()) == 12
