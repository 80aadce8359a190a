"""GET /api/v1/students/{id}/deadlines and GET /api/v1/deadlines."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from tandem.compliance.models import DeadlineKind
from tests.compliance.conftest import make_deadline

pytestmark = pytest.mark.django_db


def test_student_deadlines(world, deadlines):
    response = world.client_for("case_manager").get(
        f"/api/v1/students/{world.maya.public_id}/deadlines"
    )
    assert response.status_code == 200
    items = response.json()["items"]
    assert [i["id"] for i in items] == [
        str(deadlines[k].public_id) for k in ("maya_met", "maya_overdue", "maya_due_14")
    ]
    overdue = items[1]
    assert overdue["status"] == "overdue"
    assert overdue["status_label"] == "Overdue"
    assert overdue["kind"] == DeadlineKind.INITIAL_EVALUATION
    assert overdue["explanation"] == deadlines["maya_overdue"].explanation
    assert overdue["school"]["name"] == "North Elementary"


@pytest.mark.parametrize("persona", ["oak_director", "stranger", "uncle"])
def test_student_deadlines_out_of_reach_is_404(world, deadlines, persona):
    response = world.client_for(persona).get(f"/api/v1/students/{world.maya.public_id}/deadlines")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "not_found"


def test_student_deadlines_of_an_unknown_id_is_404(world):
    response = world.client_for("director").get(f"/api/v1/students/{uuid.uuid4()}/deadlines")
    assert response.status_code == 404


def test_list_filters_by_status(world, deadlines):
    response = world.client_for("director").get("/api/v1/deadlines", {"status": "overdue"})
    assert response.status_code == 200
    body = response.json()
    assert body["count"] == 1
    assert body["items"][0]["id"] == str(deadlines["maya_overdue"].public_id)


def test_list_without_status_holds_every_status(world, deadlines):
    body = world.client_for("director").get("/api/v1/deadlines").json()
    assert body["count"] == 6


def test_list_filters_by_school_and_kind(world, deadlines):
    client = world.client_for("director")
    body = client.get("/api/v1/deadlines", {"school": str(world.south.public_id)}).json()
    assert [i["student"]["name"] for i in body["items"]] == ["Ana Reyes"]
    body = client.get("/api/v1/deadlines", {"kind": DeadlineKind.REEVALUATION}).json()
    assert [i["id"] for i in body["items"]] == [str(deadlines["leo_met_late"].public_id)]


def test_list_is_paged(world, today):
    for n in range(30):
        make_deadline(world.ana, due=today + timedelta(days=n))
    client = world.client_for("director")
    body = client.get("/api/v1/deadlines", {"page": 2, "page_size": 25}).json()
    assert (body["count"], body["page"], body["pages"], len(body["items"])) == (30, 2, 2, 5)
    assert client.get("/api/v1/deadlines", {"page": 9}).json()["items"] == []


def test_unknown_status_is_422_naming_the_field(world):
    response = world.client_for("director").get("/api/v1/deadlines", {"status": "soonish"})
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert "status" in error["fields"]


@pytest.mark.parametrize("school", ["not-a-uuid", "00000000-0000-4000-8000-000000000000"])
def test_unknown_school_is_422(world, school):
    response = world.client_for("director").get("/api/v1/deadlines", {"school": school})
    assert response.status_code == 422
    assert "school" in response.json()["error"]["fields"]


def test_a_school_of_another_district_looks_unknown(world, deadlines):
    response = world.client_for("director").get(
        "/api/v1/deadlines", {"school": str(world.prairie.public_id)}
    )
    assert response.status_code == 422


def test_list_scopes_to_the_caller(world, deadlines):
    body = world.client_for("oak_director").get("/api/v1/deadlines").json()
    assert {i["student"]["name"] for i in body["items"]} == {"Sam Cole", "Tess Young"}


@pytest.mark.parametrize("persona", ["teacher", "parent"])
def test_list_is_404_without_deadline_duties(world, persona):
    response = world.client_for(persona).get("/api/v1/deadlines")
    assert response.status_code == 404


def test_list_needs_sign_in(world):
    assert world.client_for("anonymous").get("/api/v1/deadlines").status_code == 401
