"""The plan pages: the plan in plain words, versions, comparisons, and who may read them."""

from __future__ import annotations

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tandem.accounts.models import AuditEvent
from tandem.plans import actions_common, actions_drafts, actions_versions
from tandem.plans.models import PlanKind
from tests.factories import meet_finalize_requirements

TODAY = date(2025, 9, 1)
MEETING = date(2025, 9, 10)
GOAL = "By June 2026, Maya will read 90 words per minute with 95% accuracy on 3 of 4 probes."
SPEECH = {
    "category": "related",
    "name": "Speech-language therapy",
    "minutes": 30,
    "times": 2,
    "per": "week",
    "setting": "Speech room",
    "start_date": MEETING,
    "end_date": date(2026, 6, 12),
    "provider_role": "Speech-language pathologist",
}
READERS = ["case_manager", "teacher", "parent", "director", "principal", "contractor"]
OUTSIDERS = ["stranger", "oak_director", "uncle"]


def draft_plan(world, services: int = 1):  # type: ignore[no-untyped-def]
    actor = world.users["case_manager"]
    plan = actions_drafts.create_draft(
        actor=actor, student=world.maya, kind=PlanKind.IEP, today=TODAY, meeting_date=MEETING
    )
    actions_drafts.save_section(
        actor=actor,
        plan=plan,
        key="plaafp",
        content={"text": "Maya reads 60 words per minute."},
        expected_revision=0,
    )
    for n in range(services):
        name = SPEECH["name"] if n == 0 else f"Service {n}"
        actions_drafts.add_service(actor=actor, plan=plan, data={**SPEECH, "name": name})
    actions_drafts.add_goal(actor=actor, plan=plan, data={"area": "Reading", "text": GOAL})
    actions_drafts.add_accommodation(
        actor=actor,
        plan=plan,
        data={
            "kind": "accommodation",
            "category": "timing_scheduling",
            "text": "Extended time (1.5x) on tests",
            "applies_to": ["tests", "classroom"],
        },
    )
    actions_drafts.add_accommodation(
        actor=actor,
        plan=plan,
        data={
            "kind": "modification",
            "category": "content",
            "text": "Shorter reading passages at grade 2 level",
            "applies_to": ["classroom"],
        },
    )
    meet_finalize_requirements(actor, plan, TODAY)
    return plan


def active_plan(world):  # type: ignore[no-untyped-def]
    """An IEP with an original and an amendment (speech 2x → 3x a week)."""
    actor = world.users["case_manager"]
    plan = draft_plan(world)
    actions_versions.finalize_plan(actor=actor, plan=plan, effective_from=MEETING, today=TODAY)
    plan.refresh_from_db()
    speech = plan.services.get()
    actions_versions.amend_plan(
        actor=actor,
        plan=plan,
        changes=actions_common.Changes(update_services={speech.public_id: {"times": 3}}),
        with_meeting=False,
        parent_agreement_date=date(2025, 11, 3),
        today=date(2025, 11, 3),
        reason="More speech",
    )
    plan.refresh_from_db()
    return plan


def _urls(plan) -> list[str]:  # type: ignore[no-untyped-def]
    p = plan.public_id
    return [
        f"/plans/{p}/",
        f"/plans/{p}/versions/",
        f"/plans/{p}/versions/1/",
        f"/plans/{p}/compare/?a=1&b=2",
    ]


@pytest.mark.parametrize("persona", READERS)
def test_readers_see_every_page(world, persona) -> None:  # type: ignore[no-untyped-def]
    plan = active_plan(world)
    client = world.client_for(persona)
    for url in _urls(plan):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_outsiders_get_404(world, persona) -> None:  # type: ignore[no-untyped-def]
    plan = active_plan(world)
    client = world.client_for(persona)
    for url in _urls(plan):
        assert client.get(url).status_code == 404, url


def test_anonymous_is_sent_to_sign_in(world) -> None:  # type: ignore[no-untyped-def]
    plan = active_plan(world)
    assert world.client_for("anonymous").get(f"/plans/{plan.public_id}/").status_code == 302


def test_unknown_plan_and_version_are_404(world) -> None:  # type: ignore[no-untyped-def]
    plan = active_plan(world)
    client = world.client_for("case_manager")
    assert client.get("/plans/not-a-uuid/").status_code == 404
    assert client.get(f"/plans/{plan.student.public_id}/").status_code == 404
    assert client.get(f"/plans/{plan.public_id}/versions/9/").status_code == 404


def test_plan_page_in_plain_words(world) -> None:  # type: ignore[no-untyped-def]
    plan = active_plan(world)
    page = world.client_for("parent").get(f"/plans/{plan.public_id}/").content.decode()
    assert "Speech-language therapy — 30 minutes, 3 times a week, individual, in person" in page
    assert "from 2025-09-10 to 2026-06-12" in page
    assert "Maya reads 60 words per minute." in page
    assert "Extended time (1.5x) on tests" in page
    assert "Modification · Content" in page
    assert "Accommodation · Timing and scheduling" in page
    assert "SMART: specific, measurable and time-bound." in page
    assert "Active" in page
    assert AuditEvent.objects.filter(action="plan.viewed").exists()


def test_draft_page_shows_the_live_draft(world) -> None:  # type: ignore[no-untyped-def]
    plan = draft_plan(world)
    page = world.client_for("case_manager").get(f"/plans/{plan.public_id}/").content.decode()
    assert "Draft" in page
    assert "Speech-language therapy — 30 minutes, 2 times a week" in page
    versions = world.client_for("case_manager").get(f"/plans/{plan.public_id}/versions/")
    assert "not been finalized" in versions.content.decode()


def test_versions_list_and_version_page(world) -> None:  # type: ignore[no-untyped-def]
    plan = active_plan(world)
    client = world.client_for("case_manager")
    page = client.get(f"/plans/{plan.public_id}/versions/").content.decode()
    assert "Original" in page and "Amendment" in page and "More speech" in page
    assert plan.current_version.content_hash[:12] in page
    v1 = client.get(f"/plans/{plan.public_id}/versions/1/").content.decode()
    assert "30 minutes, 2 times a week" in v1  # the frozen snapshot, not today's plan


def test_compare(world) -> None:  # type: ignore[no-untyped-def]
    plan = active_plan(world)
    client = world.client_for("teacher")
    page = client.get(f"/plans/{plan.public_id}/compare/?a=1&b=2").content.decode()
    assert "Speech-language therapy: 30 min 2x/week → 30 min 3x/week" in page
    default = client.get(f"/plans/{plan.public_id}/compare/").content.decode()
    assert "30 min 3x/week" in default


@pytest.mark.parametrize("query", ["a=1&b=7", "a=x&b=2", "a=&b=", "a=1", "b=2&a=-1"])
def test_compare_with_bad_versions_says_so(world, query) -> None:  # type: ignore[no-untyped-def]
    plan = active_plan(world)
    response = world.client_for("case_manager").get(f"/plans/{plan.public_id}/compare/?{query}")
    assert response.status_code == 200
    assert "Choose a version of this plan." in response.content.decode()


def test_overview_lists_the_plans(world) -> None:  # type: ignore[no-untyped-def]
    plan = active_plan(world)
    page = world.client_for("teacher").get(f"/students/{world.maya.public_id}/").content.decode()
    assert f"/plans/{plan.public_id}/" in page
    assert "Version 2 of" in page
    empty = world.client_for("teacher").get(f"/students/{world.leo.public_id}/").content.decode()
    assert "No IEP or 504 Plan for this student." in empty


def _queries(world, services: int) -> int:  # type: ignore[no-untyped-def]
    plan = draft_plan(world, services=services)
    client = world.client_for("case_manager")
    client.get(f"/plans/{plan.public_id}/")  # warm the session and caches
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(f"/plans/{plan.public_id}/").status_code == 200
    plan.services.all().delete()
    plan.goals.all().delete()
    plan.accommodations.all().delete()
    plan.sections.all().delete()
    plan.delete()
    return len(ctx.captured_queries)


def test_plan_page_queries_do_not_grow_with_services(world) -> None:  # type: ignore[no-untyped-def]
    assert _queries(world, 5) == _queries(world, 20)
