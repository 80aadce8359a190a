"""Transitions: exit with FS009 codes, IEP to 504, a new school or grade; the pages for them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.urls import reverse

from tandem.access.capabilities import Cap
from tandem.access.policy import decision_for
from tandem.accounts.models import AuditEvent
from tandem.core import clock
from tandem.people.models import Enrollment, Role
from tandem.plans import actions_common, actions_drafts, actions_versions, transitions
from tandem.plans.models import (
    ExitReason,
    Plan,
    PlanEvent,
    PlanEventKind,
    PlanKind,
    PlanStatus,
    fs009_code,
)
from tests.factories import make_staff
from tests.plans.test_lifecycle import active_plan, url

pytestmark = pytest.mark.django_db

FS009 = {"GHS", "GRADALTDPL", "RC", "RMA", "D", "MKC", "DROPOUT", "TRAN"}


def test_every_exit_reason_maps_to_an_official_fs009_code() -> None:
    assert {fs009_code(r) for r in ExitReason.values} == FS009
    assert fs009_code(ExitReason.NO_LONGER_ELIGIBLE) == "TRAN"
    assert fs009_code(ExitReason.PARENT_REVOKED) == "TRAN"
    assert fs009_code("nonsense") == ""
    # The list: graduated, alternate diploma, certificate, max age, no longer eligible,
    # moved, dropped out, died, parent revoked consent.
    assert len(ExitReason.values) == 10


@pytest.mark.parametrize("reason", ExitReason.values)
def test_exit_ends_the_plan_with_its_code(world, reason) -> None:  # type: ignore[no-untyped-def]
    plan = active_plan(world)
    today = clock.today()
    ended = transitions.exit_plan(
        actor=world.users["case_manager"], plan=plan, reason=reason, exit_date=today, today=today
    )
    assert ended.status == PlanStatus.ENDED
    assert (ended.exit_reason, ended.exit_date, ended.effective_to) == (reason, today, today)
    event = PlanEvent.objects.get(plan=plan)
    assert (event.kind, event.detail["fs009"]) == (PlanEventKind.EXITED, fs009_code(reason))
    audit = AuditEvent.objects.get(action="plan.exited")
    assert audit.detail["fs009"] == fs009_code(reason)


def test_exit_refusals_name_the_field_and_change_nothing(world) -> None:  # type: ignore[no-untyped-def]
    plan = active_plan(world)
    actor = world.users["case_manager"]
    today = clock.today()
    cases = [
        ({"reason": "XYZ", "exit_date": today}, "reason"),
        ({"reason": "GHS", "exit_date": None}, "exit_date"),
        ({"reason": "GHS", "exit_date": today + timedelta(days=1)}, "exit_date"),
        ({"reason": "GHS", "exit_date": plan.effective_from - timedelta(days=1)}, "exit_date"),
    ]
    for kwargs, field in cases:
        with pytest.raises(ValidationError) as info:
            transitions.exit_plan(actor=actor, plan=plan, today=today, **kwargs)
        assert field in info.value.message_dict
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ACTIVE and not plan.exit_reason
    assert not PlanEvent.objects.exists()


def test_exit_closes_the_open_review_draft(world) -> None:  # type: ignore[no-untyped-def]
    plan = active_plan(world)
    actor = world.users["case_manager"]
    today = clock.today()
    draft = actions_versions.start_annual_review(actor=actor, plan=plan, today=today)
    transitions.exit_plan(actor=actor, plan=plan, reason="MKC", exit_date=today, today=today)
    draft.refresh_from_db()
    assert draft.status == PlanStatus.ENDED


def test_exit_needs_write_access(world) -> None:  # type: ignore[no-untyped-def]
    plan = active_plan(world)
    today = clock.today()
    with pytest.raises(PermissionDenied):
        transitions.exit_plan(
            actor=world.users["teacher"], plan=plan, reason="GHS", exit_date=today, today=today
        )
    with pytest.raises(Http404):
        transitions.exit_plan(
            actor=world.users["stranger"], plan=plan, reason="GHS", exit_date=today, today=today
        )
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ACTIVE


def test_exit_page(world) -> None:  # type: ignore[no-untyped-def]
    plan = active_plan(world)
    client = world.client_for("case_manager")
    page = client.get(url("plan_exit", plan)).content.decode()
    assert "FS009: TRAN" in page and "Parent revoked consent" in page
    refused = client.post(url("plan_exit", plan), {"reason": "", "exit_date": ""})
    assert refused.status_code == 200
    assert "Choose the basis of exit." in refused.content.decode()
    assert 'href="#id_reason"' in refused.content.decode()
    today = clock.today().isoformat()
    done = client.post(url("plan_exit", plan), {"reason": "REVOKED", "exit_date": today})
    assert done.status_code == 302
    plan.refresh_from_db()
    assert (plan.status, plan.exit_reason) == (PlanStatus.ENDED, "REVOKED")
    detail = client.get(url("plan_detail", plan)).content.decode()
    assert "reported as TRAN" in detail
    assert url("plan_exit", plan) not in detail


# --- two active plans -------------------------------------------------------------------------


def test_two_active_plans_of_a_kind_are_refused(world) -> None:  # type: ignore[no-untyped-def]
    plan = active_plan(world)
    with pytest.raises(IntegrityError), transaction.atomic():
        Plan.objects.create(
            student=plan.student,
            kind=PlanKind.IEP,
            status=PlanStatus.ACTIVE,
            created_by=world.users["case_manager"],
        )
    # Finalizing the annual review supersedes the plan in effect: still one active.
    actor = world.users["case_manager"]
    today = clock.today()
    draft = actions_versions.start_annual_review(
        actor=actor, plan=plan, today=today, meeting_date=today
    )
    actions_versions.finalize_plan(actor=actor, plan=draft, effective_from=today, today=today)
    assert Plan.objects.filter(student=plan.student, status=PlanStatus.ACTIVE).count() == 1


# --- IEP to 504 -------------------------------------------------------------------------------


def test_iep_to_504_ends_the_iep_and_starts_a_504_draft(world) -> None:  # type: ignore[no-untyped-def]
    plan = active_plan(world)
    actor = world.users["case_manager"]
    actions_versions.amend_plan(
        actor=actor,
        plan=plan,
        changes=actions_common.Changes(
            add_accommodations=[
                {
                    "kind": "modification",
                    "category": "content",
                    "text": "Shortened spelling lists",
                    "applies_to": ["classroom"],
                }
            ]
        ),
        with_meeting=True,
        parent_agreement_date=None,
        today=clock.today(),
    )
    today = clock.today()
    draft = transitions.move_iep_to_504(actor=actor, plan=plan, exit_date=today, today=today)
    plan.refresh_from_db()
    assert (plan.status, plan.exit_reason) == (PlanStatus.ENDED, ExitReason.NO_LONGER_ELIGIBLE)
    assert fs009_code(plan.exit_reason) == "TRAN"
    assert (draft.kind, draft.status) == (PlanKind.SECTION_504, PlanStatus.DRAFT)
    carried = list(draft.accommodations.values_list("text", "lineage"))
    assert carried == list(
        plan.accommodations.filter(kind="accommodation").values_list("text", "lineage")
    )
    assert not draft.accommodations.filter(kind="modification").exists()
    assert set(draft.sections.values_list("key", flat=True)) == {"strengths"}
    assert PlanEvent.objects.get(plan=plan).related_plan == draft
    assert PlanEvent.objects.get(plan=draft).kind == PlanEventKind.CREATED_FROM_IEP
    assert AuditEvent.objects.filter(action="plan.moved_to_504").count() == 1


def test_iep_to_504_refused_when_a_504_exists(world) -> None:  # type: ignore[no-untyped-def]
    plan = active_plan(world)
    actor = world.users["case_manager"]
    actions_drafts.create_draft(
        actor=actor, student=world.maya, kind="section_504", today=clock.today()
    )
    today = clock.today()
    with pytest.raises(ValidationError) as info:
        transitions.move_iep_to_504(actor=actor, plan=plan, exit_date=today, today=today)
    assert "kind" in info.value.message_dict
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ACTIVE


def test_iep_to_504_page(world) -> None:  # type: ignore[no-untyped-def]
    plan = active_plan(world)
    client = world.client_for("case_manager")
    assert "From the IEP to a 504 Plan" in client.get(url("plan_transition", plan)).content.decode()
    response = client.post(
        url("plan_transition", plan),
        {"step": "to504", "to504-exit_date": clock.today().isoformat()},
    )
    assert response.status_code == 302
    draft = Plan.objects.get(kind=PlanKind.SECTION_504)
    assert str(draft.public_id) in response["Location"]


# --- a new school or grade --------------------------------------------------------------------


def test_school_change_keeps_the_plan_and_opens_it_to_the_new_school(world) -> None:  # type: ignore[no-untyped-def]
    plan = active_plan(world)
    actor = world.users["case_manager"]
    south_principal = make_staff(
        "south@r.test", [(Role.SCHOOL_ADMIN, world.riverside, world.south)]
    ).user
    assert not decision_for(south_principal, world.maya).has(Cap.READ)
    Enrollment.objects.create(
        student=world.maya,
        school=world.north,
        grade="3",
        entry_date=plan.effective_from - timedelta(days=100),
    )
    today = clock.today()
    events = transitions.change_school(
        actor=actor, plan=plan, school=world.south, grade="6", on_date=today, today=today
    )
    plan.refresh_from_db()
    assert plan.status == PlanStatus.ACTIVE
    world.maya.refresh_from_db()
    assert (world.maya.school, world.maya.grade) == (world.south, "6")
    assert [e.kind for e in events] == [PlanEventKind.SCHOOL_CHANGE]
    assert events[0].detail["to"] == {"school": "South Middle", "grade": "6"}
    stays = list(Enrollment.objects.filter(student=world.maya).order_by("entry_date"))
    assert stays[0].exit_date == today and stays[1].school == world.south
    assert decision_for(south_principal, world.maya).has(Cap.READ)
    south_principal._tandem_standing = None  # type: ignore[attr-defined]
    client = world.client_for("case_manager")
    detail = client.get(url("plan_detail", plan)).content.decode()
    assert "Changed school" in detail and "South Middle" in detail


def test_grade_change_and_refusals(world) -> None:  # type: ignore[no-untyped-def]
    plan = active_plan(world)
    actor = world.users["case_manager"]
    today = clock.today()
    with pytest.raises(ValidationError) as info:
        transitions.change_school(
            actor=actor, plan=plan, school=world.prairie, grade="4", on_date=today, today=today
        )
    assert "school" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        transitions.change_school(
            actor=actor, plan=plan, school=world.north, grade="3", on_date=today, today=today
        )
    assert "school" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        transitions.change_school(
            actor=actor, plan=plan, school=None, grade="4", on_date=None, today=today
        )
    assert "on_date" in info.value.message_dict
    assert not PlanEvent.objects.exists()
    events = transitions.change_school(
        actor=actor, plan=plan, school=None, grade="4", on_date=today, today=today
    )
    assert events[0].kind == PlanEventKind.GRADE_CHANGE
    assert AuditEvent.objects.filter(action="student.grade_changed").count() == 1


def test_school_change_page(world) -> None:  # type: ignore[no-untyped-def]
    plan = active_plan(world)
    client = world.client_for("case_manager")
    page = client.get(url("plan_transition", plan)).content.decode()
    assert "Prairie Elementary" not in page  # only this district's schools
    refused = client.post(
        url("plan_transition", plan),
        {"step": "move", "move-school": world.north.pk, "move-grade": "3", "move-on_date": ""},
    )
    assert "Give the date of the change." in refused.content.decode()
    done = client.post(
        url("plan_transition", plan),
        {
            "step": "move",
            "move-school": world.south.pk,
            "move-grade": "6",
            "move-on_date": clock.today().isoformat(),
        },
    )
    assert done.status_code == 302
    world.maya.refresh_from_db()
    assert world.maya.school == world.south


def test_transition_page_for_teacher_is_403(world) -> None:  # type: ignore[no-untyped-def]
    plan = active_plan(world)
    client = world.client_for("teacher")
    response = client.post(
        url("plan_transition", plan),
        {
            "step": "move",
            "move-school": world.south.pk,
            "move-grade": "6",
            "move-on_date": "2025-10-01",
        },
    )
    assert response.status_code == 403
    world.maya.refresh_from_db()
    assert world.maya.school == world.north


def test_ended_plan_has_no_transition_page(world) -> None:  # type: ignore[no-untyped-def]
    plan = active_plan(world)
    today = clock.today()
    transitions.exit_plan(
        actor=world.users["case_manager"], plan=plan, reason="GHS", exit_date=today, today=today
    )
    response = world.client_for("case_manager").get(
        reverse("plan_transition", args=[plan.public_id])
    )
    assert response.status_code == 302
