"""A request refused for want of a capability is recorded as refused, never as a read; an attempt
on a student out of reach stays a 404 that names no refusal of that kind (issue 16)."""

from __future__ import annotations

import json

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from tandem.access.capabilities import Cap
from tandem.access.gatekeepers import refuse_unless
from tandem.access.policy import decision_for
from tandem.accounts.models import AuditEvent
from tandem.audit.catalogue import WORDS, Action
from tandem.plans.models import Goal, Plan, PlanKind, PlanStatus


def _actions(world, persona: str) -> list[str]:  # type: ignore[no-untyped-def]
    events = AuditEvent.objects.filter(actor=world.users[persona]).order_by("id")
    return list(events.values_list("action", flat=True))


def test_read_only_post_is_logged_refused_not_viewed(world):
    url = reverse("student_edit", args=[world.maya.public_id])
    response = world.client_for("teacher").post(url, {"grade": "4"})
    assert response.status_code == 403
    assert _actions(world, "teacher") == [Action.ACCESS__REFUSED]
    event = AuditEvent.objects.get(action=Action.ACCESS__REFUSED)
    assert event.student == world.maya
    assert event.detail["asked_for"] == "edit_profile"
    world.maya.refresh_from_db()
    assert world.maya.grade != "4"


def test_read_only_get_of_a_write_page_is_refused_too(world):
    url = reverse("student_edit", args=[world.maya.public_id])
    assert world.client_for("parent").get(url).status_code == 403
    assert _actions(world, "parent") == [Action.ACCESS__REFUSED]


def test_outsider_gets_404_without_a_refused_event(world):
    url = reverse("student_edit", args=[world.maya.public_id])
    assert world.client_for("stranger").post(url, {"grade": "4"}).status_code == 404
    assert Action.ACCESS__REFUSED not in _actions(world, "stranger")


def test_api_write_without_the_capability_is_refused(world, client):
    plan = Plan.objects.create(
        student=world.maya,
        kind=PlanKind.IEP,
        status=PlanStatus.ACTIVE,
        created_by=world.users["case_manager"],
    )
    goal = Goal.objects.create(plan=plan, area="Reading", text="Maya will read 90 wcpm.")
    client.force_login(world.users["teacher"])  # reads Maya's record, records no progress
    response = client.post(
        f"/api/v1/goals/{goal.public_id}/data-points",
        json.dumps({"taken_on": "2025-10-01", "value": 50}),
        content_type="application/json",
    )
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "forbidden"
    assert _actions(world, "teacher") == [Action.ACCESS__REFUSED]
    assert AuditEvent.objects.get(actor=world.users["teacher"]).object_id == str(goal.public_id)


def test_refusal_from_the_decision_names_the_viewer(world):
    decision = decision_for(world.users["teacher"], world.maya)
    with pytest.raises(PermissionDenied):
        refuse_unless(decision, Cap.LOG_CONTACTS)
    event = AuditEvent.objects.get(action=Action.ACCESS__REFUSED)
    assert (event.actor, event.student) == (world.users["teacher"], world.maya)


def test_families_never_see_refusals_in_the_record_of_access(world):
    world.client_for("teacher").post(reverse("student_edit", args=[world.maya.public_id]), {})
    url = reverse("student_access_log", args=[world.maya.public_id])
    parent = world.client_for("parent").get(url).content.decode()
    assert str(WORDS[Action.ACCESS__REFUSED]) not in parent
    director = world.client_for("director").get(url).content.decode()
    assert str(WORDS[Action.ACCESS__REFUSED]) in director
