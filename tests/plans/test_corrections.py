"""A correction fixes the record, never the child's program: wording, a name, a date the record
proves. Whatever changes services, placement, goals' criteria, accommodations or the dates of
effect is refused, naming the field and why, with the way to amend."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tandem.plans import actions_common, actions_versions
from tandem.plans.models import Plan, PlanVersion, VersionKind
from tests.plans.test_lifecycle import active_plan, page_data
from tests.plans.test_pages import GOAL

LATER = date(2025, 11, 4)


def _correct(world, plan: Plan, changes: actions_common.Changes) -> PlanVersion:  # type: ignore[no-untyped-def]
    return actions_versions.correct_plan(
        actor=world.users["case_manager"],
        plan=plan,
        reason="Fixing the record",
        changes=changes,
        today=LATER,
    )


def _refused(world, plan: Plan, changes: actions_common.Changes) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    versions = plan.versions.count()
    with pytest.raises(ValidationError) as refused:
        _correct(world, plan, changes)
    assert plan.versions.count() == versions  # nothing was written
    return refused.value.message_dict


def _speech(plan: Plan):  # type: ignore[no-untyped-def]
    return plan.services.get(name="Speech-language therapy")


@pytest.mark.parametrize(
    "field,value",
    [
        ("minutes", 60),
        ("times", 5),
        ("per", "day"),
        ("setting", "Resource room"),
        ("start_date", date(2025, 10, 1)),
        ("end_date", date(2026, 5, 1)),
    ],
)
def test_a_service_change_is_not_a_correction(world, field, value) -> None:  # type: ignore[no-untyped-def]
    plan = active_plan(world)
    speech = _speech(plan)
    errors = _refused(
        world, plan, actions_common.Changes(update_services={speech.public_id: {field: value}})
    )
    message = errors[field][0]
    assert "part of what the plan provides" in message
    assert reverse("plan_amend", args=[plan.public_id]) in message
    speech.refresh_from_db()
    assert getattr(speech, field) != value


def test_dates_of_effect_are_not_corrected(world) -> None:  # type: ignore[no-untyped-def]
    plan = active_plan(world)
    for name in ("effective_from", "effective_to"):
        errors = _refused(
            world, plan, actions_common.Changes(plan_fields={name: date(2025, 10, 1)})
        )
        assert "in effect" in errors[name][0]


def test_placement_and_lre_minutes_are_not_corrected(world) -> None:  # type: ignore[no-untyped-def]
    plan = active_plan(world)
    lre = plan.sections.get(key="lre").content
    errors = _refused(
        world, plan, actions_common.Changes(sections={"lre": {**lre, "placement": "SS"}})
    )
    assert "part of the program" in errors["placement"][0]
    # The explanation's wording may be corrected (below), never its minutes.
    more = {**lre, "removal_explanation": lre["removal_explanation"] + " 120 minutes a week."}
    errors = _refused(world, plan, actions_common.Changes(sections={"lre": more}))
    assert "number" in errors["removal_explanation"][0]


def test_goal_criteria_and_new_goals_are_not_corrected(world) -> None:  # type: ignore[no-untyped-def]
    plan = active_plan(world)
    goal = plan.goals.get()
    errors = _refused(
        world,
        plan,
        actions_common.Changes(update_goals={goal.public_id: {"text": GOAL.replace("95%", "80%")}}),
    )
    assert "text" in errors
    errors = _refused(
        world, plan, actions_common.Changes(add_goals=[{"area": "Math", "text": GOAL}])
    )
    assert "goals" in errors


def test_accommodations_are_not_corrected(world) -> None:  # type: ignore[no-untyped-def]
    plan = active_plan(world)
    item = plan.accommodations.filter(kind="accommodation").first()
    errors = _refused(
        world,
        plan,
        actions_common.Changes(
            update_accommodations={item.public_id: {"applies_to": ["classroom"]}}
        ),
    )
    assert "applies_to" in errors
    errors = _refused(
        world,
        plan,
        actions_common.Changes(
            update_accommodations={item.public_id: {"text": "A reader for all tests and quizzes"}}
        ),
    )
    assert "says something else" in errors["text"][0]


def test_wording_a_name_and_a_spelling_are_corrected(world) -> None:  # type: ignore[no-untyped-def]
    plan = active_plan(world)
    speech = _speech(plan)
    goal = plan.goals.get()
    version = _correct(
        world,
        plan,
        actions_common.Changes(
            update_services={speech.public_id: {"name": "Speech and language therapy"}},
            update_goals={goal.public_id: {"text": GOAL.replace("will read", "will read aloud")}},
        ),
    )
    assert version.kind == VersionKind.CORRECTION
    speech.refresh_from_db()
    assert speech.name == "Speech and language therapy" and speech.minutes == 30
    strengths = {"text": "Maya is curious and kind!"}
    _correct(
        world,
        Plan.objects.get(pk=plan.pk),
        actions_common.Changes(sections={"strengths": strengths}),
    )
    lre = plan.sections.get(key="lre").content
    fixed = {**lre, "removal_explanation": lre["removal_explanation"].replace("because", "since")}
    _correct(world, Plan.objects.get(pk=plan.pk), actions_common.Changes(sections={"lre": fixed}))
    assert plan.versions.filter(kind=VersionKind.CORRECTION).count() == 3


def test_the_page_refuses_minutes_with_the_link_to_amend(world) -> None:  # type: ignore[no-untyped-def]
    plan = active_plan(world)
    speech = _speech(plan)
    client = world.client_for("case_manager")
    target = f"service:{speech.public_id}"
    data = page_data(client.get(reverse("plan_correct", args=[plan.public_id]), {"target": target}))
    data.update({"fix-minutes": "60", "why-reason": "A typo: 60, not 30"})
    response = client.post(reverse("plan_correct", args=[plan.public_id]), data)
    html = response.content.decode()
    assert response.status_code == 200
    assert "part of what the plan provides" in html
    assert f'href="{reverse("plan_amend", args=[plan.public_id])}"' in html
    speech.refresh_from_db()
    assert speech.minutes == 30
