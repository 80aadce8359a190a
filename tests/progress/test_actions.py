"""Recording data: refusals naming the field, replays, group sessions, phase changes, audit."""

from __future__ import annotations

import uuid
from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from tandem.accounts.models import AuditEvent
from tandem.people.models import CaseloadAssignment
from tandem.plans.models import PlanStatus
from tandem.progress import actions
from tandem.progress.models import DataPoint, PhaseChange
from tests.conftest import START
from tests.progress.conftest import MEETING, active_iep

DAY = MEETING + timedelta(days=14)
LATER = date(2026, 3, 1)


def _record(world, goal, persona="case_manager", day=DAY, **measures):  # type: ignore[no-untyped-def]
    return actions.record_data_point(
        world.users[persona], goal, taken_on=day, measures=measures, today=LATER
    )


def _refused(field, call):  # type: ignore[no-untyped-def]
    before = DataPoint.objects.count()
    with pytest.raises(ValidationError) as info:
        call()
    assert field in info.value.message_dict, info.value.message_dict
    assert DataPoint.objects.count() == before
    return info.value.message_dict[field][0]


def test_trials_become_percent_correct_and_are_audited(world, goals) -> None:  # type: ignore[no-untyped-def]
    point, created = _record(world, goals.speech, trials_correct=9, trials_total=10)
    assert created and point.value == 90
    assert point.goal_lineage == goals.speech.lineage
    assert point.student == world.maya
    event = AuditEvent.objects.filter(action="progress.data_point_recorded").get()
    assert event.student_id == world.maya.pk


def test_rate_and_count_goals_read_their_own_measure(world, goals) -> None:  # type: ignore[no-untyped-def]
    assert _record(world, goals.reading, rate_per_minute=62)[0].value == 62
    assert _record(world, goals.behavior, count=4)[0].value == 4


def test_future_date_refused(world, goals) -> None:  # type: ignore[no-untyped-def]
    msg = _refused(
        "taken_on", lambda: _record(world, goals.speech, day=LATER + timedelta(days=1), percent=50)
    )
    assert "future" in msg


def test_before_the_plan_began_refused(world, goals) -> None:  # type: ignore[no-untyped-def]
    msg = _refused(
        "taken_on",
        lambda: _record(world, goals.speech, day=MEETING - timedelta(days=1), percent=50),
    )
    assert "before the plan began" in msg


def test_out_of_scale_refused(world, goals) -> None:  # type: ignore[no-untyped-def]
    assert "121" in _refused("percent", lambda: _record(world, goals.speech, percent=121))
    assert "7 correct is more than the 5" in _refused(
        "trials_correct", lambda: _record(world, goals.speech, trials_correct=7, trials_total=5)
    )
    _refused("trials_total", lambda: _record(world, goals.speech, trials_correct=3))
    _refused("count", lambda: _record(world, goals.behavior, count=-1))
    _refused("rate_per_minute", lambda: _record(world, goals.reading, rate_per_minute="fast"))


def test_missing_result_names_the_goal_measure(world, goals) -> None:  # type: ignore[no-untyped-def]
    _refused("rate_per_minute", lambda: _record(world, goals.reading))


def test_ended_or_superseded_plan_refused(world, goals) -> None:  # type: ignore[no-untyped-def]
    for status in (PlanStatus.ENDED, PlanStatus.SUPERSEDED):
        goals.plan.status = status
        goals.plan.save(update_fields=["status"])
        goals.speech.plan.refresh_from_db()
        msg = _refused("goal", lambda: _record(world, goals.speech, percent=50))
        assert "active plan" in msg


def test_replay_with_the_same_client_key_changes_nothing(world, goals) -> None:  # type: ignore[no-untyped-def]
    key = uuid.uuid4()
    first, created = actions.record_data_point(
        world.users["case_manager"],
        goals.speech,
        taken_on=DAY,
        measures={"percent": 60},
        client_key=key,
        today=LATER,
    )
    again, created_again = actions.record_data_point(
        world.users["case_manager"],
        goals.speech,
        taken_on=DAY,
        measures={"percent": 60},
        client_key=key,
        today=LATER,
    )
    assert created and not created_again and first.pk == again.pk
    assert DataPoint.objects.count() == 1
    assert AuditEvent.objects.filter(action="progress.data_point_recorded").count() == 1


def test_group_session_all_or_nothing(world, goals) -> None:  # type: ignore[no-untyped-def]
    CaseloadAssignment.objects.create(
        staff=world.users["case_manager"].staff, student=world.leo, start_date=START
    )
    leo_plan = active_iep(
        world,
        student=world.leo,
        goals=(("Reading", "By June 2026, Leo will read 80 words correct per minute."),),
    )
    leo_goal = leo_plan.goals.get()
    user = world.users["case_manager"]
    with pytest.raises(ValidationError) as info:
        actions.record_session(
            user,
            taken_on=DAY,
            entries=[
                actions.Entry(goals.speech, {"percent": 50}),
                actions.Entry(leo_goal, {"rate_per_minute": 5000}),
            ],
            today=LATER,
        )
    assert "1.rate_per_minute" in info.value.message_dict
    assert DataPoint.objects.count() == 0
    saved = actions.record_session(
        user,
        taken_on=DAY,
        entries=[
            actions.Entry(goals.speech, {"percent": 50}),
            actions.Entry(leo_goal, {"rate_per_minute": 50}),
        ],
        today=LATER,
    )
    assert [c for _p, c in saved] == [True, True]
    assert set(DataPoint.objects.values_list("student_id", flat=True)) == {
        world.maya.pk,
        world.leo.pk,
    }


@pytest.mark.parametrize(
    ("persona", "error"),
    [("teacher", PermissionDenied), ("stranger", Http404), ("parent", Http404)],
)
def test_people_without_write_access_change_nothing(world, goals, persona, error) -> None:  # type: ignore[no-untyped-def]
    if persona == "parent":
        error = PermissionDenied  # the parent may read Maya's record, not change it
    with pytest.raises(error):
        _record(world, goals.speech, persona=persona, percent=50)
    assert DataPoint.objects.count() == 0


def test_phase_change_recorded_and_refusals(world, goals) -> None:  # type: ignore[no-untyped-def]
    user = world.users["case_manager"]
    change = actions.record_phase_change(
        user, goals.speech, changed_on=DAY, description="Added visual cues", today=LATER
    )
    assert change.goal_lineage == goals.speech.lineage
    with pytest.raises(ValidationError) as info:
        actions.record_phase_change(
            user, goals.speech, changed_on=DAY, description="  ", today=LATER
        )
    assert "description" in info.value.message_dict
    with pytest.raises(ValidationError) as info:
        actions.record_phase_change(
            user, goals.speech, changed_on=LATER + timedelta(days=2), description="x", today=LATER
        )
    assert "taken_on" in info.value.message_dict
    assert PhaseChange.objects.count() == 1


def test_prompt_levels_count_trials_within_the_allowed_prompt(world) -> None:  # type: ignore[no-untyped-def]
    plan = active_iep(
        world,
        goals=(
            (
                "Self-care",
                "By June 2026, Maya will wash her hands following the 5 steps with no more than "
                "verbal prompts in 4 of 5 opportunities, as measured by staff data.",
            ),
        ),
    )
    goal = plan.goals.get()
    point, _c = actions.record_data_point(
        world.users["case_manager"],
        goal,
        taken_on=DAY,
        measures={"prompts": ["independent", "verbal", "model", "verbal"]},
        today=LATER,
    )
    assert point.value == 75
    with pytest.raises(ValidationError) as info:
        actions.record_data_point(
            world.users["case_manager"],
            goal,
            taken_on=DAY,
            measures={"prompts": ["shouting"]},
            today=LATER,
        )
    assert "prompts" in info.value.message_dict


def test_an_amendment_may_remove_a_goal_that_has_data_and_the_data_stays(world, goals) -> None:  # type: ignore[no-untyped-def]
    from tandem.plans import actions_common, actions_versions

    point, _ = _record(world, goals.math, trials_correct=4, trials_total=10)
    actions_versions.amend_plan(
        actor=world.users["case_manager"],
        plan=goals.plan,
        changes=actions_common.Changes(remove_goals=[goals.math.public_id]),
        with_meeting=True,
        parent_agreement_date=None,
        today=LATER,
        reason="The team agreed the math goal is met in class.",
    )
    point.refresh_from_db()
    assert point.goal_id is None and point.goal_lineage == goals.math.lineage
