"""Who may do what with a plan, route by route (the capability matrix, docs/access.md).

Writing the plan (`Cap.WRITE_PLAN`) belongs to the case manager, the special education teacher,
the 504 coordinator and leaders. Everyone else who reads the student (a class teacher, the
psychologist on the team, a contract therapist with a provider assignment, a parent) gets 403
and nothing changes; someone with no tie to the student gets 404, as if the plan did not exist.
"""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tandem.accounts.models import AuditEvent
from tandem.plans.models import Plan, PlanKind, PlanSection, PlanVersion
from tests.plans.test_lifecycle import active_plan
from tests.plans.test_pages import SPEECH, draft_plan

READ_ONLY = ["teacher", "psych", "contractor", "parent"]
OUTSIDERS = ["stranger", "oak_director", "uncle"]


def _snapshot() -> tuple[int, ...]:
    return (
        Plan.objects.count(),
        PlanVersion.objects.count(),
        PlanSection.objects.filter(revision__gt=1).count(),
        AuditEvent.objects.filter(action__startswith="plan.").exclude(action="plan.viewed").count(),
    )


# --- starting a draft (the contract teletherapist's hole, closed) --------------------------------


def test_case_manager_starts_a_draft(world) -> None:  # type: ignore[no-untyped-def]
    url = reverse("plan_new", args=[world.maya.public_id])
    client = world.client_for("case_manager")
    assert client.get(url).status_code == 200
    response = client.post(url, {"kind": PlanKind.SECTION_504})
    assert response.status_code == 302
    assert Plan.objects.filter(student=world.maya, kind=PlanKind.SECTION_504).exists()


@pytest.mark.parametrize("persona", READ_ONLY)
def test_readers_cannot_start_a_draft(world, persona) -> None:  # type: ignore[no-untyped-def]
    url = reverse("plan_new", args=[world.maya.public_id])
    client = world.client_for(persona)
    assert client.get(url).status_code == 403
    assert client.post(url, {"kind": PlanKind.IEP}).status_code == 403
    assert not Plan.objects.exists()


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_outsiders_cannot_start_a_draft(world, persona) -> None:  # type: ignore[no-untyped-def]
    url = reverse("plan_new", args=[world.maya.public_id])
    assert world.client_for(persona).post(url, {"kind": PlanKind.IEP}).status_code == 404
    assert not Plan.objects.exists()


# --- every write of the editor ----------------------------------------------------------------


def _editor_posts(plan: Plan) -> list[tuple[str, dict[str, object]]]:
    service = plan.services.get()
    accommodation = plan.accommodations.first()
    p = plan.public_id
    return [
        (reverse("plan_edit", args=[p]), {"meeting_date": "2025-09-11"}),
        (reverse("plan_section_edit", args=[p, "plaafp"]), {"revision": 1, "text": "Changed"}),
        (reverse("plan_service_add", args=[p]), {**SPEECH, "name": "Another"}),
        (reverse("plan_service_edit", args=[p, service.public_id]), {**SPEECH, "times": 5}),
        (reverse("plan_service_remove", args=[p, service.public_id]), {}),
        (
            reverse("plan_accommodation_add", args=[p]),
            {"kind": "accommodation", "category": "setting", "text": "Quiet room"},
        ),
        (
            reverse("plan_accommodation_edit", args=[p, accommodation.public_id]),  # type: ignore[union-attr]
            {"kind": "accommodation", "category": "setting", "text": "Quiet room"},
        ),
        (reverse("plan_accommodation_remove", args=[p, accommodation.public_id]), {}),  # type: ignore[union-attr]
        (reverse("plan_finalize", args=[p]), {"effective_from": "2025-09-15"}),
    ]


def _items(plan: Plan) -> tuple[object, ...]:
    plan.refresh_from_db()
    return (
        plan.status,
        plan.meeting_date,
        plan.lock_version,
        sorted(plan.services.values_list("name", "times")),
        sorted(plan.accommodations.values_list("text", flat=True)),
        PlanSection.objects.get(plan=plan, key="plaafp").revision,
    )


@pytest.mark.parametrize("persona", READ_ONLY)
def test_readers_get_403_on_every_editor_write(world, persona) -> None:  # type: ignore[no-untyped-def]
    plan = draft_plan(world)
    before = _items(plan)
    client = world.client_for(persona)
    for url, data in _editor_posts(plan):
        assert client.post(url, data).status_code == 403, url
    assert _items(plan) == before


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_outsiders_get_404_on_every_editor_write(world, persona) -> None:  # type: ignore[no-untyped-def]
    plan = draft_plan(world)
    before = _items(plan)
    client = world.client_for(persona)
    for url, data in _editor_posts(plan):
        assert client.post(url, data).status_code == 404, url
    assert _items(plan) == before


def test_case_manager_changes_the_draft(world) -> None:  # type: ignore[no-untyped-def]
    plan = draft_plan(world)
    client = world.client_for("case_manager")
    url, data = _editor_posts(plan)[1]
    assert client.post(url, data).status_code == 302
    assert PlanSection.objects.get(plan=plan, key="plaafp").content == {"text": "Changed"}


# --- the living document ------------------------------------------------------------------------

LIFECYCLE = ("plan_annual_review", "plan_amend", "plan_correct", "plan_exit", "plan_transition")


@pytest.mark.parametrize("name", LIFECYCLE)
@pytest.mark.parametrize("persona", ["psych", "contractor"])
def test_team_readers_cannot_change_an_active_plan(world, name, persona) -> None:  # type: ignore[no-untyped-def]
    plan = active_plan(world)
    url = reverse(name, kwargs={"plan_id": plan.public_id})
    client = world.client_for(persona)
    before = _snapshot()
    assert client.get(url).status_code == 403
    post = {"with_meeting": "yes", "reason": "GHS", "exit_date": "2025-09-15", "step": "to504"}
    assert client.post(url, post).status_code == 403
    assert _snapshot() == before
    page = client.get(reverse("plan_detail", kwargs={"plan_id": plan.public_id})).content.decode()
    assert url not in page


def test_the_plan_page_shows_the_contractor_no_write_button(world) -> None:  # type: ignore[no-untyped-def]
    draft = draft_plan(world)
    page = world.client_for("contractor").get(reverse("plan_detail", args=[draft.public_id]))
    assert page.status_code == 200
    assert reverse("plan_edit", args=[draft.public_id]) not in page.content.decode()


# --- school and grade: the student's profile ----------------------------------------------------


def test_a_special_education_teacher_writes_the_plan_but_not_the_school(world) -> None:  # type: ignore[no-untyped-def]
    from datetime import date

    from tandem.people.models import TeamMembership, TeamRole

    plan = active_plan(world)
    sped = world.users["stranger"]  # on Maya's team as her special education teacher
    TeamMembership.objects.create(
        staff=sped.staff,
        student=world.maya,
        role=TeamRole.SPECIAL_EDUCATION_TEACHER,
        start_date=date(2025, 8, 1),
    )
    client = world.client_for("stranger")
    url = reverse("plan_transition", kwargs={"plan_id": plan.public_id})
    page = client.get(url)
    assert page.status_code == 200
    assert 'value="move"' not in page.content.decode()
    data = {
        "step": "move",
        "move-school": world.south.pk,
        "move-grade": "6",
        "move-on_date": "2025-09-15",
    }
    assert client.post(url, data).status_code == 403
    world.maya.refresh_from_db()
    assert world.maya.school_id == world.north.pk
    case_manager = world.client_for("case_manager").get(url).content.decode()
    assert 'value="move"' in case_manager


# --- autosave: the policy once, and a fixed number of queries -----------------------------------


def test_one_autosave_decides_access_once(world) -> None:  # type: ignore[no-untyped-def]
    plan = draft_plan(world)
    client = world.client_for("case_manager")
    url = reverse("plan_section_edit", args=[plan.public_id, "plaafp"])
    client.get(url)  # the session is warm
    with CaptureQueriesContext(connection) as ctx:
        response = client.post(url, {"revision": 1, "text": "Kind"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "Saved at" in response.content.decode()
    ties = [q for q in ctx.captured_queries if 'AS "tie"' in q["sql"]]
    assert len(ties) == 1  # the decision on Maya is made once, then read from the request
    # Before: 16 (the student read twice, the section read before the action and its author
    # checked again). Now: session, user, plan with its student, the viewer's standing (3),
    # the ties, the lock on the plan and on the section, the save and the audit event.
    assert len(ctx.captured_queries) == 13, [q["sql"][:80] for q in ctx.captured_queries]
