"""The draft editor's three fixes: no conflict with your own save, discarding a draft, and a
size limit on every free-text field of a section (issues 11 and 16)."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tandem.accounts.models import AuditEvent
from tandem.plans import actions_common, actions_drafts, actions_versions, queries
from tandem.plans.models import (
    SECTION_TEXT_LIMIT,
    Plan,
    PlanEvent,
    PlanKind,
    PlanSection,
    PlanStatus,
)
from tests.plans.test_pages import TODAY, active_plan, draft_plan

HX = {"HTTP_HX_REQUEST": "true"}


def _url(name: str, plan: Plan, *args: object) -> str:
    return reverse(name, args=[plan.public_id, *args])


def _section(plan: Plan, key: str = "plaafp") -> PlanSection:
    return PlanSection.objects.get(plan=plan, key=key)


# --- 1. a Save made stale by your own autosave is not a conflict ------------------------------


def test_save_behind_your_own_autosave_is_saved_not_a_conflict(world) -> None:  # type: ignore[no-untyped-def]
    plan = draft_plan(world)  # plaafp at revision 1, by the case manager
    client = world.client_for("case_manager")
    url = _url("plan_section_edit", plan, "plaafp")
    # The autosave (htmx) lands first with revision 1 ...
    autosave = client.post(
        url, {"revision": 1, "text": "Maya reads 60 words per minute. She"}, **HX
    )
    assert "Saved at" in autosave.content.decode()
    assert _section(plan).revision == 2
    # ... then the Save pressed while it was in flight, still carrying revision 1.
    newest = "Maya reads 60 words per minute. She likes comics."
    response = client.post(url, {"revision": 1, "text": newest})
    assert response.status_code == 302 and "saved=1" in response["Location"]
    section = _section(plan)
    assert section.content == {"text": newest} and section.revision == 3
    assert section.updated_by == world.users["case_manager"]
    # The same through htmx: 200 and saved, never the conflict panel.
    response = client.post(url, {"revision": 2, "text": newest + " More."}, **HX)
    assert response.status_code == 200 and "HX-Retarget" not in response
    assert _section(plan).content == {"text": newest + " More."}
    saved = AuditEvent.objects.filter(action="plan.section_saved").order_by("-id").first()
    assert saved is not None and saved.detail["based_on_own"] == 2


def test_another_persons_save_is_still_a_conflict_with_both_versions(world) -> None:  # type: ignore[no-untyped-def]
    plan = draft_plan(world)
    actions_drafts.save_section(
        actor=world.users["principal"],
        plan=plan,
        key="plaafp",
        content={"text": "Testing in October: average reasoning."},
        expected_revision=1,
    )
    client = world.client_for("case_manager")
    url = _url("plan_section_edit", plan, "plaafp")
    response = client.post(url, {"revision": 1, "text": "She likes comics."})
    body = response.content.decode()
    assert response.status_code == 409
    assert "Someone else saved this section" in body and "Paul" in body
    assert "She likes comics." in body and "average reasoning" in body
    assert _section(plan).content == {"text": "Testing in October: average reasoning."}


def test_own_run_ends_where_someone_else_saved(world) -> None:  # type: ignore[no-untyped-def]
    plan = draft_plan(world)
    manager, principal = world.users["case_manager"], world.users["principal"]
    actions_drafts.save_section(
        actor=principal, plan=plan, key="plaafp", content={"text": "P"}, expected_revision=1
    )
    for seen in (2, 3):  # the case manager saves twice over the principal's revision
        actions_drafts.save_section(
            actor=manager,
            plan=plan,
            key="plaafp",
            content={"text": f"M{seen}"},
            expected_revision=seen,
        )
    # Based on revision 2 (the principal's, which the case manager had seen): own saves since.
    actions_drafts.save_section(
        actor=manager, plan=plan, key="plaafp", content={"text": "M again"}, expected_revision=2
    )
    assert _section(plan).content == {"text": "M again"}
    # Based on revision 1: the principal's save came after it, so a conflict, nothing written.
    with pytest.raises(actions_common.StaleEdit) as stale:
        actions_drafts.save_section(
            actor=manager, plan=plan, key="plaafp", content={"text": "Old"}, expected_revision=1
        )
    assert stale.value.current_content == {"text": "M again"}
    # And the principal, whose revision the case manager moved on from, gets a conflict too.
    with pytest.raises(actions_common.StaleEdit):
        actions_drafts.save_section(
            actor=principal, plan=plan, key="plaafp", content={"text": "P2"}, expected_revision=2
        )
    assert _section(plan).content == {"text": "M again"}


# --- 2. discarding a draft --------------------------------------------------------------------


def test_case_manager_discards_a_draft_with_a_reason(world) -> None:  # type: ignore[no-untyped-def]
    plan = draft_plan(world)
    client = world.client_for("case_manager")
    home = client.get(_url("plan_edit", plan)).content.decode()
    assert _url("plan_discard", plan) in home
    page = client.get(_url("plan_discard", plan))
    assert page.status_code == 200 and "Discard the draft" in page.content.decode()
    # Without a reason: refused, naming the field, nothing changed.
    refused = client.post(_url("plan_discard", plan), {"reason": "  "})
    assert (
        refused.status_code == 400 and "Say why the draft is discarded." in refused.content.decode()
    )
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.DRAFT
    response = client.post(_url("plan_discard", plan), {"reason": "Started as the wrong kind"})
    assert response.status_code == 302
    assert response["Location"] == reverse("student", args=[world.maya.public_id])
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DISCARDED
    # Kept, with its content, its history and the audit trail.
    assert plan.sections.exists() and plan.services.exists() and plan.goals.exists()
    event = PlanEvent.objects.get(plan=plan, kind="discarded")
    assert (
        event.note == "Started as the wrong kind"
        and event.recorded_by == world.users["case_manager"]
    )
    audit = AuditEvent.objects.get(action="plan.draft_discarded")
    assert audit.detail["reason"] == "Started as the wrong kind"
    assert audit.detail["services"] == 1 and audit.detail["goals"] == 1
    # Gone from the student's plans (page and API), and a new draft can be started.
    assert plan not in queries.plans_of_student(world.maya)
    student_page = client.get(reverse("student", args=[world.maya.public_id])).content.decode()
    assert f"/plans/{plan.public_id}/" not in student_page
    api = client.get(f"/api/v1/students/{world.maya.public_id}/plans")
    assert api.status_code == 200 and str(plan.public_id) not in api.content.decode()
    new = client.post(reverse("plan_new", args=[world.maya.public_id]), {"kind": "iep"})
    assert new.status_code == 302
    assert Plan.objects.filter(student=world.maya, kind=PlanKind.IEP, status="draft").count() == 1
    # The discarded draft can no longer be edited; its page still says it was only a draft.
    again = client.get(_url("plan_edit", plan))
    assert again.status_code == 302
    detail = client.get(reverse("plan_detail", args=[plan.public_id]))
    assert detail.status_code == 200
    body = detail.content.decode()
    assert "Discarded" in body and "This draft was discarded; it never took effect." in body
    assert "This is the draft being written" not in body and "Never in effect" in body


@pytest.mark.parametrize("persona,status", [("stranger", 404), ("oak_director", 404)])
def test_outsiders_get_404_on_discard(world, persona, status) -> None:  # type: ignore[no-untyped-def]
    plan = draft_plan(world)
    client = world.client_for(persona)
    assert client.get(_url("plan_discard", plan)).status_code == status
    assert client.post(_url("plan_discard", plan), {"reason": "x"}).status_code == status
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.DRAFT


@pytest.mark.parametrize("persona", ["teacher", "parent"])
def test_read_only_personas_get_403_on_discard(world, persona) -> None:  # type: ignore[no-untyped-def]
    plan = draft_plan(world)
    client = world.client_for(persona)
    assert client.get(_url("plan_discard", plan)).status_code == 403
    assert client.post(_url("plan_discard", plan), {"reason": "x"}).status_code == 403
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.DRAFT
    assert not AuditEvent.objects.filter(action="plan.draft_discarded").exists()


def test_a_finalized_plan_is_never_discarded(world) -> None:  # type: ignore[no-untyped-def]
    plan = active_plan(world)
    client = world.client_for("case_manager")
    response = client.post(_url("plan_discard", plan), {"reason": "Oops"}, follow=True)
    body = response.content.decode()
    assert "Only a draft can be discarded" in body and "legal record" in body
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.ACTIVE
    with pytest.raises(ValidationError) as refused:
        actions_drafts.discard_draft(plan=plan, actor=world.users["case_manager"], reason="Oops")
    assert "status" in refused.value.message_dict
    assert "Only a draft can be discarded" in refused.value.message_dict["status"][0]
    assert not AuditEvent.objects.filter(action="plan.draft_discarded").exists()


# --- 3. the size limit on a section's free text -----------------------------------------------


def test_section_text_over_the_limit_is_refused_naming_the_field(world) -> None:  # type: ignore[no-untyped-def]
    plan = draft_plan(world)
    manager = world.users["case_manager"]
    too_long = "a" * (SECTION_TEXT_LIMIT + 1)
    with pytest.raises(ValidationError) as refused:
        actions_drafts.save_section(
            actor=manager,
            plan=plan,
            key="plaafp",
            content={"text": "fine", "effect": too_long},
            expected_revision=1,
        )
    message = refused.value.message_dict["effect"][0]
    assert "How the disability affects" in message and f"{SECTION_TEXT_LIMIT:,}" in message
    assert _section(plan).revision == 1 and _section(plan).content == {
        "text": "Maya reads 60 words per minute."
    }
    # Exactly the limit is fine.
    actions_drafts.save_section(
        actor=manager,
        plan=plan,
        key="plaafp",
        content={"text": "a" * SECTION_TEXT_LIMIT},
        expected_revision=1,
    )
    assert _section(plan).revision == 2


def test_section_text_over_the_limit_through_the_editor(world) -> None:  # type: ignore[no-untyped-def]
    plan = draft_plan(world)
    client = world.client_for("case_manager")
    url = _url("plan_section_edit", plan, "transition")
    too_long = "b" * (SECTION_TEXT_LIMIT + 5)
    # Autosave (htmx): "Not saved" with the field and the limit.
    response = client.post(url, {"revision": 0, "education": too_long}, **HX)
    body = response.content.decode()
    assert "Not saved" in body and "Postsecondary goal: education or training" in body
    assert f"{SECTION_TEXT_LIMIT:,}" in body
    # Without JavaScript: the page again, 400, the error on the field.
    response = client.post(url, {"revision": 0, "education": too_long, "employment": "Vet"})
    assert response.status_code == 400 and f"{SECTION_TEXT_LIMIT:,}" in response.content.decode()
    assert not PlanSection.objects.filter(plan=plan, key="transition").exists()


def test_amendment_with_an_oversized_section_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    plan = active_plan(world)
    versions = plan.versions.count()
    with pytest.raises(ValidationError) as refused:
        actions_versions.amend_plan(
            actor=world.users["case_manager"],
            plan=plan,
            changes=actions_common.Changes(
                sections={"strengths": {"text": "c" * (SECTION_TEXT_LIMIT + 1)}}
            ),
            with_meeting=True,
            parent_agreement_date=None,
            today=date(2025, 12, 1),
        )
    assert "text" in refused.value.message_dict
    assert plan.versions.count() == versions
    assert not PlanSection.objects.filter(plan=plan, key="strengths").exists()


def test_today_default_for_discard(world) -> None:  # type: ignore[no-untyped-def]
    plan = draft_plan(world)
    actions_drafts.discard_draft(
        plan=plan, actor=world.users["case_manager"], reason="Duplicate", today=TODAY
    )
    assert PlanEvent.objects.get(plan=plan).happened_on == TODAY
