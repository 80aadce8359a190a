"""The plan's write path: drafts, optimistic saves, finalizing, amendments, corrections."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404

from tandem.accounts.models import AuditEvent
from tandem.core.models import AppendOnlyError
from tandem.plans import actions_common, actions_drafts, actions_versions, readiness, snapshots
from tandem.plans.compare import compare_versions
from tandem.plans.models import (
    Goal,
    Plan,
    PlanKind,
    PlanSection,
    PlanStatus,
    PlanVersion,
    Service,
    VersionKind,
)
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


def _draft(world, **kwargs):  # type: ignore[no-untyped-def]
    actor = world.users["case_manager"]
    return actions_drafts.create_draft(
        actor=actor,
        student=world.maya,
        kind=kwargs.get("kind", PlanKind.IEP),
        today=TODAY,
        meeting_date=kwargs.get("meeting_date", MEETING),
    )


def _ready(world):  # type: ignore[no-untyped-def]
    actor = world.users["case_manager"]
    plan = _draft(world)
    actions_drafts.save_section(
        actor=actor,
        plan=plan,
        key="plaafp",
        content={"text": "Maya reads 60 words per minute."},
        expected_revision=0,
    )
    actions_drafts.add_service(actor=actor, plan=plan, data=SPEECH)
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
    meet_finalize_requirements(actor, plan, TODAY)
    return plan


def test_whole_life_of_an_iep(world) -> None:  # type: ignore[no-untyped-def]
    actor = world.users["case_manager"]
    plan = _ready(world)
    v1 = actions_versions.finalize_plan(actor=actor, plan=plan, effective_from=MEETING, today=TODAY)
    plan.refresh_from_db()
    assert (v1.number, v1.kind) == (1, VersionKind.ORIGINAL)
    assert plan.status == PlanStatus.ACTIVE
    assert plan.current_version == v1
    assert plan.annual_review_due == date(2026, 9, 10)

    speech = plan.services.get()
    v2 = actions_versions.amend_plan(
        actor=actor,
        plan=plan,
        changes=actions_common.Changes(update_services={speech.public_id: {"times": 3}}),
        with_meeting=False,
        parent_agreement_date=date(2025, 11, 3),
        today=date(2025, 11, 3),
    )
    plan.refresh_from_db()
    assert (v2.number, v2.kind, v2.amended_without_meeting) == (2, VersionKind.AMENDMENT, True)
    assert plan.annual_review_due == date(2026, 9, 10)  # 300.324(a)(4): the date does not move
    assert v1.snapshot["services"][0]["times"] == 2  # the earlier version keeps its content

    goal = plan.goals.get()
    # A changed criterion is not a typo: refused as a correction, with the way to amend.
    with pytest.raises(ValidationError) as refused:
        actions_versions.correct_plan(
            actor=actor,
            plan=plan,
            reason="Typo in the goal",
            changes=actions_common.Changes(
                update_goals={goal.public_id: {"text": GOAL.replace("90", "95")}}
            ),
            today=date(2025, 11, 4),
        )
    assert "amend" in refused.value.message_dict["text"][0]
    v3 = actions_versions.correct_plan(
        actor=actor,
        plan=plan,
        reason="Typo in the goal",
        changes=actions_common.Changes(
            update_goals={goal.public_id: {"text": GOAL.replace("will read", "will read aloud")}}
        ),
        today=date(2025, 11, 4),
    )
    assert (v3.number, v3.kind, v3.reason) == (3, VersionKind.CORRECTION, "Typo in the goal")

    assert [str(d) for d in compare_versions(v1, v2)] == [
        "Speech-language therapy: 30 min 2x/week → 30 min 3x/week"
    ]
    goal_changes = compare_versions(v2, v3)
    assert len(goal_changes) == 1
    assert goal_changes[0].section == "Goals"
    assert "read aloud" in goal_changes[0].text


def test_amendment_without_meeting_needs_parent_agreement(world) -> None:  # type: ignore[no-untyped-def]
    actor = world.users["case_manager"]
    plan = _ready(world)
    actions_versions.finalize_plan(actor=actor, plan=plan, effective_from=MEETING, today=TODAY)
    with pytest.raises(ValidationError) as excinfo:
        actions_versions.amend_plan(
            actor=actor,
            plan=plan,
            changes=actions_common.Changes(),
            with_meeting=False,
            parent_agreement_date=None,
            today=TODAY,
        )
    assert "parent_agreement_date" in excinfo.value.message_dict
    assert PlanVersion.objects.filter(plan=plan).count() == 1


def test_stale_edit_returns_the_other_authors_text(world) -> None:  # type: ignore[no-untyped-def]
    plan = _draft(world)
    cara = world.users["case_manager"]
    actions_drafts.save_section(
        actor=cara, plan=plan, key="strengths", content={"text": "Kind"}, expected_revision=0
    )
    with pytest.raises(actions_common.StaleEdit) as excinfo:
        actions_drafts.save_section(
            actor=world.users["principal"],
            plan=plan,
            key="strengths",
            content={"text": "Curious"},
            expected_revision=0,
        )
    assert excinfo.value.current_content == {"text": "Kind"}
    assert excinfo.value.saved_by == cara
    assert excinfo.value.current_revision == 1
    assert PlanSection.objects.get(plan=plan, key="strengths").content == {"text": "Kind"}


def test_stale_lock_version_refuses_an_item_change(world) -> None:  # type: ignore[no-untyped-def]
    actor = world.users["case_manager"]
    plan = _draft(world)
    actions_drafts.add_service(actor=actor, plan=plan, data=SPEECH, expected_lock_version=0)
    with pytest.raises(actions_common.StaleEdit):
        actions_drafts.add_service(
            actor=actor, plan=plan, data={**SPEECH, "name": "OT"}, expected_lock_version=0
        )
    assert plan.services.count() == 1


def test_service_ending_before_it_starts_is_refused(world) -> None:  # type: ignore[no-untyped-def]
    plan = _draft(world)
    with pytest.raises(ValidationError) as excinfo:
        actions_drafts.add_service(
            actor=world.users["case_manager"],
            plan=plan,
            data={**SPEECH, "end_date": date(2025, 9, 1)},
        )
    assert "end_date" in excinfo.value.message_dict
    assert not Service.objects.exists()


def test_goal_analysis_saved_with_the_goal(world) -> None:  # type: ignore[no-untyped-def]
    plan = _draft(world)
    goal = actions_drafts.add_goal(
        actor=world.users["case_manager"], plan=plan, data={"area": "Reading", "text": GOAL}
    )
    assert Goal.objects.get(pk=goal.pk).analysis["smart"]["measurable"] is True


def test_second_active_plan_refused_by_the_database(world) -> None:  # type: ignore[no-untyped-def]
    actor = world.users["case_manager"]
    plan = _ready(world)
    actions_versions.finalize_plan(actor=actor, plan=plan, effective_from=MEETING, today=TODAY)
    other = Plan(student=world.maya, kind=PlanKind.IEP, status=PlanStatus.ACTIVE, created_by=actor)
    with pytest.raises(ValidationError):
        other.full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        other.save()


def test_finalizing_supersedes_the_active_plan(world) -> None:  # type: ignore[no-untyped-def]
    actor = world.users["case_manager"]
    first = _ready(world)
    actions_versions.finalize_plan(actor=actor, plan=first, effective_from=MEETING, today=TODAY)
    draft = actions_versions.start_annual_review(
        actor=actor, plan=first, today=date(2026, 8, 20), meeting_date=date(2026, 9, 1)
    )
    version = actions_versions.finalize_plan(
        actor=actor, plan=draft, effective_from=date(2026, 9, 1), today=date(2026, 9, 1)
    )
    first.refresh_from_db()
    assert first.status == PlanStatus.SUPERSEDED
    assert first.effective_to == date(2026, 8, 31)
    assert version.kind == VersionKind.ANNUAL_REVIEW
    assert Plan.objects.filter(student=world.maya, status=PlanStatus.ACTIVE).count() == 1


def test_annual_review_prefills_from_the_active_plan(world) -> None:  # type: ignore[no-untyped-def]
    actor = world.users["case_manager"]
    plan = _ready(world)
    actions_versions.finalize_plan(actor=actor, plan=plan, effective_from=MEETING, today=TODAY)
    draft = actions_versions.start_annual_review(actor=actor, plan=plan, today=date(2026, 8, 1))
    assert draft.status == PlanStatus.DRAFT
    assert draft.based_on == plan
    assert draft.sections.get(key="plaafp").content == {"text": "Maya reads 60 words per minute."}
    assert [s.name for s in draft.services.all()] == ["Speech-language therapy"]
    assert draft.goals.get().lineage == plan.goals.get().lineage
    assert draft.accommodations.count() == 1
    with pytest.raises(ValidationError):
        actions_versions.start_annual_review(actor=actor, plan=plan, today=date(2026, 8, 1))


def test_pre_finalize_lists_problems_and_blocks_finalizing(world) -> None:  # type: ignore[no-untyped-def]
    actor = world.users["case_manager"]
    world.maya.date_of_birth = date(2010, 6, 1)  # turns 16 during the plan (CA: 16)
    world.maya.save()
    plan = _draft(world)
    actions_drafts.add_service(
        actor=actor, plan=plan, data={**SPEECH, "minutes": None, "times": None, "per": ""}
    )
    actions_drafts.add_accommodation(
        actor=actor,
        plan=plan,
        data={
            "kind": "accommodation",
            "category": "presentation",
            "text": "Read aloud on reading comprehension tests",
            "applies_to": ["tests"],
        },
    )
    problems = readiness.pre_finalize_check(plan=plan, today=TODAY, effective_from=date(2025, 9, 2))
    fields = {p.field for p in problems}
    assert {"effective_from", "section:plaafp", "goals", "section:transition"} <= fields
    assert any(f.startswith("service:") for f in fields)
    assert any(f.startswith("accommodation:") for f in fields)
    assert "section:transfer_of_rights" not in fields
    with pytest.raises(readiness.PlanNotReady) as excinfo:
        actions_versions.finalize_plan(
            actor=actor, plan=plan, effective_from=date(2025, 9, 2), today=TODAY
        )
    assert excinfo.value.problems == problems
    plan.refresh_from_db()
    assert plan.status == PlanStatus.DRAFT
    assert not PlanVersion.objects.exists()


def test_versions_are_immutable_and_hash_stable(world) -> None:  # type: ignore[no-untyped-def]
    actor = world.users["case_manager"]
    version = actions_versions.finalize_plan(
        actor=actor, plan=_ready(world), effective_from=MEETING, today=TODAY
    )
    stored = PlanVersion.objects.get(pk=version.pk)
    assert snapshots.content_hash(stored.snapshot) == stored.content_hash
    assert len(stored.content_hash) == 64
    stored.reason = "edited"
    with pytest.raises(AppendOnlyError):
        stored.save()
    with pytest.raises(AppendOnlyError):
        stored.delete()
    assert PlanVersion.objects.get(pk=version.pk).reason == ""


def test_a_bulk_update_or_delete_cannot_go_round_the_guard(world) -> None:  # type: ignore[no-untyped-def]
    actor = world.users["case_manager"]
    plan = _ready(world)
    version = actions_versions.finalize_plan(
        actor=actor, plan=plan, effective_from=MEETING, today=TODAY
    )
    with pytest.raises(AppendOnlyError):
        PlanVersion.objects.filter(pk=version.pk).update(reason="edited")
    with pytest.raises(AppendOnlyError):
        plan.versions.update(content_hash="0" * 64)
    with pytest.raises(AppendOnlyError):
        PlanVersion.objects.filter(pk=version.pk).delete()
    stored = PlanVersion.objects.get(pk=version.pk)
    assert (stored.reason, stored.content_hash) == ("", version.content_hash)


def test_active_plan_is_not_edited_in_place(world) -> None:  # type: ignore[no-untyped-def]
    actor = world.users["case_manager"]
    plan = _ready(world)
    actions_versions.finalize_plan(actor=actor, plan=plan, effective_from=MEETING, today=TODAY)
    with pytest.raises(ValidationError):
        actions_drafts.save_section(
            actor=actor, plan=plan, key="plaafp", content={"text": "x"}, expected_revision=1
        )


@pytest.mark.parametrize(
    ("persona", "error"), [("teacher", PermissionDenied), ("stranger", Http404)]
)
def test_people_without_write_access_change_nothing(world, persona, error) -> None:  # type: ignore[no-untyped-def]
    plan = _ready(world)
    events = AuditEvent.objects.count()
    user = world.users[persona]
    with pytest.raises(error):
        actions_drafts.create_draft(
            actor=user, student=world.maya, kind=PlanKind.SECTION_504, today=TODAY
        )
    with pytest.raises(error):
        actions_drafts.save_section(
            actor=user, plan=plan, key="plaafp", content={"text": "x"}, expected_revision=1
        )
    with pytest.raises(error):
        actions_drafts.add_service(actor=user, plan=plan, data=SPEECH)
    with pytest.raises(error):
        actions_versions.finalize_plan(actor=user, plan=plan, effective_from=MEETING, today=TODAY)
    assert Plan.objects.count() == 1
    assert plan.services.count() == 1
    assert not PlanVersion.objects.exists()
    assert AuditEvent.objects.count() == events


def test_each_action_writes_one_audit_event(world) -> None:  # type: ignore[no-untyped-def]
    actor = world.users["case_manager"]
    plan = _ready(world)
    version = actions_versions.finalize_plan(
        actor=actor, plan=plan, effective_from=MEETING, today=TODAY
    )
    actions_logged = list(
        AuditEvent.objects.filter(student=world.maya)
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions_logged == [
        "plan.draft_created",
        "plan.section_saved",
        "plan.service_added",
        "plan.goal_added",
        "plan.accommodation_added",
        "plan.section_saved",  # special factors
        "plan.section_saved",  # progress reporting
        "plan.section_saved",  # assessments
        "plan.section_saved",  # the explanation of removal (LRE)
        "plan.services_consent_recorded",  # a first IEP: consent to start services
        "plan.finalized",
    ]
    event = AuditEvent.objects.get(action="plan.finalized")
    assert event.object_id == str(version.public_id)
    assert event.detail["hash"] == version.content_hash
