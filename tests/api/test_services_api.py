"""The service minutes API: a student's minutes per service, and the director's mandates.

The world is tests/services/director_world.py: Maya underserved, Leo unserved, Ana served.
"""

from __future__ import annotations

import pytest

from tandem.accounts.models import AuditEvent
from tandem.api.tokens import issue_token
from tandem.core import clock
from tandem.services import director
from tandem.services.director_export import record
from tests.services.director_world import TODAY, mandates

MINUTES = "/api/v1/services/minutes"


def bearer(world, persona):  # type: ignore[no-untyped-def]
    return {"HTTP_AUTHORIZATION": "Bearer " + issue_token(actor=None, user=world.users[persona])}


@pytest.fixture(autouse=True)
def _today():  # type: ignore[no-untyped-def]
    with clock.fixed(TODAY):
        yield


@pytest.fixture
def world_mandates(world):  # type: ignore[no-untyped-def]
    return mandates(world)


def _services(world, client, persona, student):  # type: ignore[no-untyped-def]
    return client.get(f"/api/v1/students/{student.public_id}/services", **bearer(world, persona))


# --- GET /students/{id}/services ---------------------------------------------------------------


def test_a_students_minutes_per_window(world, client, world_mandates):
    response = _services(world, client, "case_manager", world.maya)
    assert response.status_code == 200
    body = response.json()
    assert body["student"] == str(world.maya.public_id)
    (speech,) = body["services"]
    assert speech["name"] == "Speech-language therapy" and speech["discipline"] == "slp"
    four = speech["windows"]["four_weeks"]
    assert (four["mandated"], four["delivered"], four["made_up"], four["owed"]) == (156, 90, 0, 30)
    assert four["missed"] == {"provider_absent": 30}
    assert four["percent"] == 58
    assert set(speech["windows"]) == {"week", "four_weeks", "year"}
    event = AuditEvent.objects.filter(action="service_minutes.viewed").latest("id")
    assert (event.student, event.channel) == (world.maya, "api")


def test_the_same_numbers_as_the_directors_rows(world, client, world_mandates):
    rows = {r.student.pk: r for r in director.mandate_rows(world.users["director"], today=TODAY)}
    for student in (world.maya, world.leo, world.ana):
        (speech,) = _services(world, client, "director", student).json()["services"]
        row = rows[student.pk]
        for key, window in (("four_weeks", row.four_weeks), ("year", row.year)):
            got = speech["windows"][key]
            totals = window.totals
            assert (got["mandated"], got["delivered"], got["made_up"], got["owed"]) == (
                totals.mandated,
                totals.delivered,
                totals.made_up,
                totals.owed,
            )


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("director", 200),
        ("principal", 200),
        ("case_manager", 200),
        ("slp", 200),
        ("parent", 200),
        ("teacher", 200),
        ("stranger", 404),
        ("oak_director", 404),
    ],
)
def test_the_student_endpoint_follows_the_policy(world, client, world_mandates, persona, status):
    response = _services(world, client, persona, world.maya)
    assert response.status_code == status
    if status == 404:
        assert response.json()["error"]["code"] == "not_found"


def test_an_unknown_or_malformed_student_is_404(world, client):
    for key in ("00000000-0000-0000-0000-000000000000", "nope"):
        response = client.get(f"/api/v1/students/{key}/services", **bearer(world, "director"))
        assert response.status_code == 404


# --- GET /services/minutes ---------------------------------------------------------------------


def test_the_directors_mandates(world, client, world_mandates):
    response = client.get(MINUTES, **bearer(world, "director"))
    assert response.status_code == 200
    body = response.json()
    by_name = {m["student"]["name"]: m for m in body["mandates"]}
    assert set(by_name) == {"Maya Lopez", "Leo Park", "Ana Reyes"}
    assert (by_name["Maya Lopez"]["status"], by_name["Leo Park"]["reason"]) == (
        "underserved",
        "no_provider",
    )
    assert by_name["Ana Reyes"]["status"] == "served"
    assert by_name["Maya Lopez"]["threshold_percent"] == 90
    assert by_name["Maya Lopez"]["year"]["owed"] == 30
    # The rows of the page and its downloads, field for field.
    rows = director.mandate_rows(world.users["director"], today=TODAY)
    assert [m["export"] for m in body["mandates"]] == [record(r) for r in rows]
    total = body["summaries"]["school"]["total"]
    assert (total["mandates"], total["served"], total["underserved"], total["unserved"]) == (
        3,
        1,
        1,
        1,
    )
    assert total["owed"] == 30
    event = AuditEvent.objects.get(action="service_minutes.exported")
    assert event.detail["format"] == "api" and event.channel == "api"


def test_filters(world, client, world_mandates):
    headers = bearer(world, "director")
    body = client.get(MINUTES, {"school": str(world.south.public_id)}, **headers).json()
    assert [m["student"]["name"] for m in body["mandates"]] == ["Ana Reyes"]
    assert body["filters"] == {"school": str(world.south.public_id)}
    body = client.get(MINUTES, {"discipline": "ot"}, **headers).json()
    assert body["mandates"] == []
    body = client.get(MINUTES, {"discipline": "slp"}, **headers).json()
    assert len(body["mandates"]) == 3


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"school": "00000000-0000-0000-0000-000000000000"}, "school"),
        ({"school": "north"}, "school"),
        ({"discipline": "astrology"}, "discipline"),
    ],
)
def test_bad_filters_are_400_naming_the_parameter(world, client, world_mandates, params, field):
    response = client.get(MINUTES, params, **bearer(world, "director"))
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["status"] == 400 and error["code"] == "invalid"
    assert list(error["fields"]) == [field]
    assert error["message"].startswith(f"{field}:")


def test_another_districts_school_is_unknown(world, client, world_mandates):
    params = {"school": str(world.north.public_id)}
    response = client.get(MINUTES, params, **bearer(world, "oak_director"))
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("persona", "names"),
    [
        ("director", {"Maya Lopez", "Leo Park", "Ana Reyes"}),
        ("principal", {"Maya Lopez", "Leo Park"}),
        ("oak_director", set()),
    ],
)
def test_leaders_see_their_own_schools(world, client, world_mandates, persona, names):
    response = client.get(MINUTES, **bearer(world, persona))
    assert response.status_code == 200
    assert {m["student"]["name"] for m in response.json()["mandates"]} == names


@pytest.mark.parametrize(
    "persona", ["case_manager", "teacher", "parent", "contractor", "slp", "stranger", "psych"]
)
def test_others_are_refused(world, client, world_mandates, persona):
    response = client.get(MINUTES, **bearer(world, persona))
    assert response.status_code in (403, 404)
    assert "mandates" not in response.json()


def test_unauthenticated(client):
    assert client.get(MINUTES).status_code == 401
