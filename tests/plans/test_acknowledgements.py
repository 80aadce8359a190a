""" "I have read this plan" (34 CFR 300.323(d)): each teacher and provider who carries the plan out
says they have read the version in effect; the case manager sees who has and who has not; a
new version (an amendment, an annual review) asks again, a correction does not."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tandem.accounts.models import AuditEvent
from tandem.audit.catalogue import Action
from tandem.core import clock
from tandem.plans import actions_common, actions_versions
from tandem.plans.acknowledgements import unread_plans
from tandem.plans.models import Plan, PlanAcknowledgement, PlanVersion
from tests.plans.test_lifecycle import active_plan

pytestmark = pytest.mark.django_db

BUTTON = "I have read this plan"


def _page(world, persona: str, plan: Plan) -> str:  # type: ignore[no-untyped-def]
    response = world.client_for(persona).get(reverse("plan_detail", args=[plan.public_id]))
    assert response.status_code == 200
    return response.content.decode()


def _acknowledge(world, persona: str, plan: Plan):  # type: ignore[no-untyped-def]
    url = reverse("plan_acknowledge", args=[plan.public_id])
    return world.client_for(persona).post(url, follow=True)


def _amend(world, plan: Plan) -> PlanVersion:  # type: ignore[no-untyped-def]
    return actions_versions.amend_plan(
        actor=world.users["case_manager"],
        plan=Plan.objects.get(pk=plan.pk),
        changes=actions_common.Changes(
            sections={"strengths": {"text": "Maya is curious, kind and a strong listener."}}
        ),
        with_meeting=True,
        parent_agreement_date=None,
        today=clock.today(),
    )


def _staff_id(world, persona: str) -> int:  # type: ignore[no-untyped-def]
    return world.users[persona].staff.pk


def test_the_class_teacher_is_asked_and_acknowledges_the_version_in_effect(world) -> None:  # type: ignore[no-untyped-def]
    plan = active_plan(world)
    page = _page(world, "teacher", plan)
    assert BUTTON in page and reverse("plan_acknowledge", args=[plan.public_id]) in page

    response = _acknowledge(world, "teacher", plan)

    assert response.status_code == 200
    reading = PlanAcknowledgement.objects.get()
    assert reading.plan == plan and reading.version == plan.current_version
    assert reading.staff_id == _staff_id(world, "teacher") and reading.acknowledged_at
    event = AuditEvent.objects.get(action=Action.PLAN__ACKNOWLEDGED)
    assert event.actor == world.users["teacher"] and event.student == world.maya
    assert event.detail["version"] == 1
    page = response.content.decode()
    assert "The plan is marked as read by you." in page
    assert BUTTON not in page and "You marked version 1 of this plan as read" in page


def test_acknowledging_twice_keeps_one_reading(world) -> None:  # type: ignore[no-untyped-def]
    plan = active_plan(world)
    _acknowledge(world, "teacher", plan)
    _acknowledge(world, "teacher", plan)
    assert PlanAcknowledgement.objects.count() == 1
    assert AuditEvent.objects.filter(action=Action.PLAN__ACKNOWLEDGED).count() == 1


def test_a_provider_acknowledges_too(world) -> None:  # type: ignore[no-untyped-def]
    plan = active_plan(world)
    assert BUTTON in _page(world, "contractor", plan)
    _acknowledge(world, "contractor", plan)
    assert PlanAcknowledgement.objects.get().staff_id == _staff_id(world, "contractor")


def test_an_outsider_gets_404_and_nothing_is_written(world) -> None:  # type: ignore[no-untyped-def]
    plan = active_plan(world)
    for persona in ("stranger", "oak_director"):
        assert _acknowledge(world, persona, plan).status_code == 404
    assert not PlanAcknowledgement.objects.exists()
    assert not AuditEvent.objects.filter(action=Action.PLAN__ACKNOWLEDGED).exists()


@pytest.mark.parametrize("persona", ["parent", "psych", "director", "case_manager"])
def test_who_does_not_carry_the_plan_out_gets_403_and_nothing_is_written(world, persona) -> None:  # type: ignore[no-untyped-def]
    plan = active_plan(world)
    assert BUTTON not in _page(world, persona, plan)
    assert _acknowledge(world, persona, plan).status_code == 403
    assert not PlanAcknowledgement.objects.exists()
    assert not AuditEvent.objects.filter(action=Action.PLAN__ACKNOWLEDGED).exists()


def test_a_draft_cannot_be_acknowledged(world) -> None:  # type: ignore[no-untyped-def]
    plan = active_plan(world)
    draft = actions_versions.start_annual_review(
        actor=world.users["case_manager"], plan=plan, today=clock.today()
    )
    assert BUTTON not in _page(world, "teacher", draft)
    response = _acknowledge(world, "teacher", draft)
    assert response.status_code == 200  # back on the plan, with the reason
    assert "Only a plan in effect can be marked as read." in response.content.decode()
    assert not PlanAcknowledgement.objects.exists()


def test_an_amendment_asks_for_a_new_acknowledgement(world) -> None:  # type: ignore[no-untyped-def]
    plan = active_plan(world)
    _acknowledge(world, "teacher", plan)
    assert unread_plans(_staff_id(world, "teacher"), [world.maya.pk]) == {}

    version = _amend(world, plan)

    assert version.number == 2
    assert BUTTON in _page(world, "teacher", plan)
    assert [
        p.pk for p in unread_plans(_staff_id(world, "teacher"), [world.maya.pk])[world.maya.pk]
    ] == [plan.pk]
    _acknowledge(world, "teacher", plan)
    assert list(PlanAcknowledgement.objects.values_list("version__number", flat=True)) == [1, 2]
    assert BUTTON not in _page(world, "teacher", plan)


def test_an_annual_review_plan_asks_for_a_new_acknowledgement(world) -> None:  # type: ignore[no-untyped-def]
    plan = active_plan(world)
    _acknowledge(world, "teacher", plan)
    today = clock.today()
    draft = actions_versions.start_annual_review(
        actor=world.users["case_manager"], plan=plan, today=today, meeting_date=today
    )
    actions_versions.finalize_plan(
        actor=world.users["case_manager"], plan=draft, effective_from=today, today=today
    )
    assert BUTTON in _page(world, "teacher", draft)
    assert unread_plans(_staff_id(world, "teacher"), [world.maya.pk])[world.maya.pk] == [draft]


def test_a_correction_keeps_the_acknowledgement(world) -> None:  # type: ignore[no-untyped-def]
    plan = active_plan(world)
    _acknowledge(world, "teacher", plan)
    speech = plan.services.get(name="Speech-language therapy")
    actions_versions.correct_plan(
        actor=world.users["case_manager"],
        plan=Plan.objects.get(pk=plan.pk),
        reason="The service's name",
        changes=actions_common.Changes(
            update_services={speech.public_id: {"name": "Speech and language therapy"}}
        ),
        today=clock.today(),
    )
    page = _page(world, "teacher", plan)
    assert BUTTON not in page and "You marked version 1 of this plan as read" in page
    assert unread_plans(_staff_id(world, "teacher"), [world.maya.pk]) == {}


def test_the_case_manager_sees_who_has_and_has_not_read_it(world) -> None:  # type: ignore[no-untyped-def]
    plan = active_plan(world)
    _acknowledge(world, "contractor", plan)
    page = _page(world, "case_manager", plan)
    assert "Read by the teachers and providers" in page
    assert "1 of 2 people who carry out this plan have read version 1." in page
    teacher = world.users["teacher"].staff
    contractor = world.users["contractor"].staff
    teacher_row = page.split(f'data-reader="{teacher.public_id}"')[1].split("</tr>")[0]
    contractor_row = page.split(f'data-reader="{contractor.public_id}"')[1].split("</tr>")[0]
    assert "Not yet" in teacher_row and "Teacher of a class the student is in" in teacher_row
    assert "Version 1, on" in contractor_row and "Assigned to serve the student" in contractor_row
    # The list is for those who write the plan: a teacher sees only their own reading.
    assert "Read by the teachers and providers" not in _page(world, "teacher", plan)


def test_the_case_manager_list_follows_a_new_version(world) -> None:  # type: ignore[no-untyped-def]
    plan = active_plan(world)
    _acknowledge(world, "contractor", plan)
    _amend(world, plan)
    assert "0 of 2 people who carry out this plan have read version 2." in _page(
        world, "case_manager", plan
    )


def test_the_teachers_roster_marks_plans_not_yet_read(world) -> None:  # type: ignore[no-untyped-def]
    plan = active_plan(world)
    client = world.client_for("teacher")
    link = reverse("plan_detail", args=[plan.public_id])
    home = client.get("/").content.decode()
    assert "IEP not yet read by you" in home and link in home
    assert home.count("data-unread-plan") == 1  # Maya only: Leo has no plan

    _acknowledge(world, "teacher", plan)

    home = client.get("/").content.decode()
    assert "not yet read by you" not in home
