"""The plans API: the same access policy, error format and audit log as the pages."""

from __future__ import annotations

import pytest

from tandem.accounts.models import AuditEvent
from tests.plans.test_pages import OUTSIDERS, READERS, active_plan, draft_plan


def _urls(world, plan) -> list[str]:  # type: ignore[no-untyped-def]
    return [
        f"/api/v1/students/{world.maya.public_id}/plans",
        f"/api/v1/plans/{plan.public_id}",
        f"/api/v1/plans/{plan.public_id}/versions",
        f"/api/v1/plans/{plan.public_id}/versions/1",
    ]


@pytest.mark.parametrize("persona", READERS)
def test_readers(world, persona) -> None:  # type: ignore[no-untyped-def]
    plan = active_plan(world)
    client = world.client_for(persona)
    for url in _urls(world, plan):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_outsiders_get_404_in_the_error_format(world, persona) -> None:  # type: ignore[no-untyped-def]
    plan = active_plan(world)
    client = world.client_for(persona)
    for url in _urls(world, plan):
        response = client.get(url)
        assert response.status_code == 404, url
        assert response.json()["error"]["code"] == "not_found"


def test_anonymous_is_401(world) -> None:  # type: ignore[no-untyped-def]
    plan = active_plan(world)
    response = world.client_for("anonymous").get(f"/api/v1/plans/{plan.public_id}")
    assert response.status_code == 401


def test_student_plans(world) -> None:  # type: ignore[no-untyped-def]
    plan = active_plan(world)
    data = world.client_for("case_manager").get(f"/api/v1/students/{world.maya.public_id}/plans")
    [item] = data.json()
    assert item["id"] == str(plan.public_id)
    assert (item["kind"], item["status"]) == ("iep", "active")
    assert item["effective_from"] == "2025-09-10"
    assert item["current_version"]["number"] == 2
    assert AuditEvent.objects.filter(action="plans.listed").exists()


def test_plan_content(world) -> None:  # type: ignore[no-untyped-def]
    plan = active_plan(world)
    data = world.client_for("parent").get(f"/api/v1/plans/{plan.public_id}").json()
    assert data["sections"]["plaafp"] == {"text": "Maya reads 60 words per minute."}
    [service] = data["services"]
    assert (service["name"], service["minutes"], service["times"]) == (
        "Speech-language therapy",
        30,
        3,
    )
    assert [a["text"] for a in data["accommodations"]] == ["Extended time (1.5x) on tests"]
    assert [m["kind"] for m in data["modifications"]] == ["modification"]
    assert data["goals"][0]["smart"]["ok"] is True
    assert AuditEvent.objects.filter(action="plan.viewed", student=world.maya).exists()


def test_draft_content_is_the_live_draft(world) -> None:  # type: ignore[no-untyped-def]
    plan = draft_plan(world)
    data = world.client_for("case_manager").get(f"/api/v1/plans/{plan.public_id}").json()
    assert data["is_draft"] is True and data["current_version"] is None
    assert data["services"][0]["times"] == 2


def test_versions(world) -> None:  # type: ignore[no-untyped-def]
    plan = active_plan(world)
    client = world.client_for("teacher")
    versions = client.get(f"/api/v1/plans/{plan.public_id}/versions").json()
    assert [(v["number"], v["kind"]) for v in versions] == [(1, "original"), (2, "amendment")]
    assert versions[1]["reason"] == "More speech"
    v1 = client.get(f"/api/v1/plans/{plan.public_id}/versions/1").json()
    assert v1["services"][0]["times"] == 2
    missing = client.get(f"/api/v1/plans/{plan.public_id}/versions/9")
    assert missing.status_code == 404
    assert missing.json()["error"]["code"] == "not_found"
    assert client.get("/api/v1/plans/nope").status_code == 404
