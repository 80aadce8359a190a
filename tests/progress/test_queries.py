"""The engine adapter: a goal's data through tandem.rules.progress, worded for people."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from tandem.progress import actions
from tandem.progress.measures import Metric, metric_for
from tandem.progress.queries import progress_for, progress_for_goals, settings_for
from tandem.rules import progress as engine
from tests.progress.conftest import MEETING

FIRST = MEETING + timedelta(days=5)
LATER = date(2026, 6, 1)


def _points(world, goal, values, measure="percent", offset=0):  # type: ignore[no-untyped-def]
    for i, v in enumerate(values, start=offset):
        actions.record_data_point(
            world.users["case_manager"],
            goal,
            taken_on=FIRST + timedelta(days=7 * i),
            measures={measure: v},
            today=LATER,
        )


def _aim_values(n, start=40.0, target=90.0, weeks=52.0):  # type: ignore[no-untyped-def]
    slope = (target - start) / weeks
    return [round(start + slope * i, 1) for i in range(n)]


def test_metrics_follow_the_goal_criterion(goals) -> None:  # type: ignore[no-untyped-def]
    speech = metric_for(goals.speech)
    assert (speech.metric, speech.target) == (Metric.PERCENT, 90)
    assert isinstance(speech.mastery, engine.Consecutive)
    reading = metric_for(goals.reading)
    assert (reading.metric, reading.target) == (Metric.RATE, 90)
    behavior = metric_for(goals.behavior)
    assert behavior.direction is engine.Direction.DECREASE and behavior.target == 1
    math = metric_for(goals.math)
    assert isinstance(math.mastery, engine.MOfLastN) and (math.mastery.m, math.mastery.n) == (4, 5)


def test_not_enough_data_until_enough_points(world, goals) -> None:  # type: ignore[no-untyped-def]
    gp = progress_for(goals.speech)
    assert gp.state == "insufficient_data" and gp.points == ()
    _points(world, goals.speech, [40, 42, 41, 44])
    gp = progress_for(goals.speech)
    assert gp.state == "insufficient_data"
    assert gp.decision_words == "Not enough data yet"
    assert "more needed" in gp.decision_reason
    assert not gp.needs_attention


def test_flat_data_say_change_instruction_and_need_attention(world, goals) -> None:  # type: ignore[no-untyped-def]
    _points(world, goals.speech, [40, 41, 40, 40, 39, 41, 40, 40, 39, 40, 41, 40])
    gp = progress_for(goals.speech)
    assert gp.state == "change_instruction"
    assert gp.decision_words == "Change instruction (Trend rule)"
    assert gp.needs_attention and gp.attention_reason
    assert gp.analysis.baseline.value == 40


def test_fast_growth_says_raise_the_goal(world, goals) -> None:  # type: ignore[no-untyped-def]
    _points(world, goals.speech, [40, 41, 42, 50, 55, 60, 66, 70, 75, 80, 82, 85])
    gp = progress_for(goals.speech)
    assert gp.state == "raise_goal" and not gp.needs_attention
    assert "Trend rule" in gp.decision_words


def test_on_the_aim_line_says_continue(world, goals) -> None:  # type: ignore[no-untyped-def]
    _points(world, goals.speech, _aim_values(12))
    gp = progress_for(goals.speech)
    assert gp.state == "continue", gp.decision_reason
    assert gp.state_label == "On track"


def test_mastery_words_and_state(world, goals) -> None:  # type: ignore[no-untyped-def]
    _points(world, goals.math, [50, 60, 70, 85, 90, 70, 85, 90])
    gp = progress_for(goals.math)
    assert gp.mastery.met is True
    assert gp.mastery_words == "met: 4 of the last 5 sessions at or above 80%"
    assert gp.state == "mastered" and not gp.needs_attention


def test_goal_to_decrease_is_mirrored(world, goals) -> None:  # type: ignore[no-untyped-def]
    # Ten weeks flat at 5 a day against an aim of 1 a day by next September: the point rules
    # (median of the last three, four-point) say change, but seven monitoring points projected
    # 45 weeks ahead give a 95% range of -8 to 15.3, which holds the target: not yet clear.
    _points(world, goals.behavior, [5, 5, 5, 5, 6, 5, 5, 6, 5, 5], measure="count")
    gp = progress_for(goals.behavior)
    assert gp.state == "continue"
    assert "Not clearly below the aim line" in gp.decision_reason
    # Ten weeks more of the same: the trend rule decides, its range (3.1 to 7) is all above 1.
    _points(world, goals.behavior, [5, 5, 5, 5, 6, 5, 5, 6, 5, 5], measure="count", offset=10)
    gp = progress_for(goals.behavior)
    assert gp.state == "change_instruction"
    _points(world, goals.reading, [40, 42, 41], measure="rate_per_minute")
    assert progress_for(goals.reading).state == "insufficient_data"


def test_phase_change_restarts_the_rules(world, goals) -> None:  # type: ignore[no-untyped-def]
    _points(world, goals.speech, [40, 41, 40, 40, 39, 41, 40, 40, 39, 40, 41, 40])
    actions.record_phase_change(
        world.users["case_manager"],
        goals.speech,
        changed_on=FIRST + timedelta(days=7 * 9),
        description="Added visual cues",
        today=LATER,
    )
    gp = progress_for(goals.speech)
    assert gp.analysis.phase_start == FIRST + timedelta(days=7 * 9)
    assert gp.state == "insufficient_data"
    assert any(row["phase_change"] for row in gp.rows)


def test_district_settings_pick_rules_and_method(world, goals) -> None:  # type: ignore[no-untyped-def]
    world.riverside.settings = {"progress": {"trend_min_points": 4, "trend_method": "tukey"}}
    world.riverside.save()
    goals.speech.plan.student.district.refresh_from_db()
    # Nine points after the baseline: enough for the trend's 95% range at the goal date to stay
    # clear of the target (with four, a flat line a year out is honestly "not yet clear").
    _points(world, goals.speech, [40, 41, 40, 40, 39, 41, 40, 40, 39, 40, 41, 40])
    gp = progress_for(goals.speech)
    assert gp.settings.trend_method is engine.TrendMethod.TUKEY
    assert gp.state == "change_instruction"
    assert settings_for({"progress": {"trend_min_points": "nonsense"}}) == engine.DEFAULT_SETTINGS
    assert settings_for({"progress": {"trend_min_points": 1}}) == engine.DEFAULT_SETTINGS


def test_data_follow_the_goal_lineage(world, goals) -> None:  # type: ignore[no-untyped-def]
    _points(world, goals.speech, [40, 41, 40])
    goals.speech.pk = None
    goals.speech.public_id = None
    # A copy in another plan keeps the lineage: progress reads the same points.
    copy = type(goals.speech)(
        plan=goals.plan, lineage=goals.speech.lineage, area="Articulation", text=goals.speech.text
    )
    copy.save()
    assert len(progress_for(copy).points) == 3


def test_many_goals_in_a_fixed_number_of_queries(
    world, goals, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    _points(world, goals.speech, [40, 41, 40, 44])
    _points(world, goals.reading, [40, 41, 40, 44], measure="rate_per_minute")
    many = list(goals.plan.goals.select_related("plan__student__district"))
    with django_assert_max_num_queries(2):
        results = progress_for_goals(many)
    assert len(results) == 4


@pytest.mark.parametrize("method", ["ols", "tukey"])
def test_graph_is_deterministic_and_labelled(world, goals, method) -> None:  # type: ignore[no-untyped-def]
    from tandem.progress.graphs import goal_graph_svg

    world.riverside.settings = {"progress": {"trend_method": method}}
    world.riverside.save()
    _points(world, goals.speech, [40, 41, 40, 40, 39, 41, 40, 40, 39, 40, 41, 40])
    actions.record_phase_change(
        world.users["case_manager"],
        goals.speech,
        changed_on=FIRST + timedelta(days=7 * 5),
        description="Added visual cues",
        today=LATER,
    )
    goal = (
        type(goals.speech).objects.select_related("plan__student__district").get(pk=goals.speech.pk)
    )
    a, b = goal_graph_svg(progress_for(goal)), goal_graph_svg(progress_for(goal))
    assert a == b
    assert a.startswith("<svg") and "<title" in a
    for words in (
        "Progress on the Articulation goal",
        "Aim line",
        "Trend line",
        "Instruction changed",
        "Goal date",
        "Date",
    ):
        assert words in a


def test_the_familys_graph_spans_the_data_with_dates_in_words(world, goals) -> None:  # type: ignore[no-untyped-def]
    from django.utils import translation
    from django.utils.formats import date_format

    _points(world, goals.speech, [40, 41, 40, 44])  # four weekly points
    goal = (
        type(goals.speech).objects.select_related("plan__student__district").get(pk=goals.speech.pk)
    )
    progress = progress_for(goal)
    ticks = re.compile(r"<text [^>]*>([^<]+)</text>")
    staff = ticks.findall(progress.graph_svg)
    family = ticks.findall(progress.family_graph_svg)
    # The staff graph runs to the goal date a year on, a tick a month ("11/25").
    assert sum(bool(re.fullmatch(r"\d\d/\d\d", t)) for t in staff) >= 10
    # The family's runs over the four weeks of data, each tick a day in words.
    assert not any(re.fullmatch(r"\d\d/\d\d", t) for t in family)
    month = date_format(FIRST, "F")
    assert any(month in t for t in family), family
    with translation.override("es"):
        spanish = ticks.findall(progress_for(goal).family_graph_svg)
        assert any(" de " in t for t in spanish), spanish
