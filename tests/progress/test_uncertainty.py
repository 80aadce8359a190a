"""The trend's uncertainty on the goal page: the graph's band, scores after the goal date, and
"change instruction" only when the projection's whole 95% range falls short (issue 10)."""

from __future__ import annotations

from datetime import date, timedelta
from types import SimpleNamespace

from django.urls import reverse

from tandem.progress import actions
from tandem.progress.attention import attention_state
from tandem.progress.graphs import goal_graph_svg
from tandem.progress.queries import goal_dates, progress_for
from tandem.reports.models import GoalStatus
from tandem.reports.narrative import narrative_from, status_from
from tandem.rules import progress as engine
from tests.progress.conftest import MEETING

FIRST = MEETING + timedelta(days=5)


def _add(world, goal, values, first=FIRST, today=date(2026, 6, 1)):  # type: ignore[no-untyped-def]
    for i, v in enumerate(values):
        actions.record_data_point(
            world.users["case_manager"],
            goal,
            taken_on=first + timedelta(days=7 * i),
            measures={"percent": v},
            today=today,
        )


def _fresh(goal):  # type: ignore[no-untyped-def]
    return type(goal).objects.select_related("plan__student__district").get(pk=goal.pk)


def test_goal_page_renders_with_scores_after_the_goal_date(world, goals) -> None:  # type: ignore[no-untyped-def]
    # Every score falls after the goal date (the plan's end): the baseline would come after the
    # target, so there is no aim line. The page answers 200 with "not enough data", not a 500.
    _start, target = goal_dates(goals.speech.plan)
    after = target + timedelta(days=7)
    _add(world, goals.speech, [40, 45, 50, 55, 60], first=after, today=after + timedelta(days=60))
    gp = progress_for(_fresh(goals.speech))
    assert gp.analysis is not None and gp.analysis.aim is None
    assert gp.state == "insufficient_data" and not gp.needs_attention
    response = world.client_for("case_manager").get(
        reverse("goal_progress", args=[goals.speech.public_id])
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert "Not enough data yet" in body and "<svg" in body


def test_graph_draws_and_states_the_trends_range(world, goals) -> None:  # type: ignore[no-untyped-def]
    _add(world, goals.speech, [40, 42, 41, 45, 44, 47, 46, 50, 49, 52])
    gp = progress_for(_fresh(goals.speech))
    projection = gp.analysis.projection  # type: ignore[union-attr]
    assert projection is not None and projection.low is not None and projection.high is not None
    svg = goal_graph_svg(gp)
    assert "95% range of the trend" in svg
    assert "Projection at the goal date, with its 95% range" in svg
    title = svg[svg.index("<title") : svg.index("</title>")]
    low, high = engine.fmt_number(projection.low), engine.fmt_number(projection.high)
    assert f"with a 95% range of {low}% to {high}%" in title
    page = world.client_for("case_manager").get(
        reverse("goal_progress", args=[goals.speech.public_id])
    )
    assert f"with a 95% range of {low}% to {high}%" in page.content.decode()  # the caption


def _analysis(values, baseline=10.0):  # type: ignore[no-untyped-def]
    # The aim line of tests/rules/test_progress.py: 10 at week 0 to 30 at week 20, +1 a week.
    start = date(2025, 9, 1)
    points = tuple(
        engine.Point(start + timedelta(days=7 * (i + 1)), v) for i, v in enumerate(values)
    )
    series = engine.GoalSeries(
        points, start, start + timedelta(days=140), 30, engine.Direction.INCREASE, baseline
    )
    return engine.analyze_goal(series)


# The hand-computed boundary of tests/rules/test_progress.py: a trend parallel to the aim line,
# ±1 around it each week, 6.5 short at the goal date (range ±6.83, the target inside) and 7 short
# (the whole range below the target).
WOBBLE = (1, -1, -1, 1, 1, -1, -1, 1)
ON_THE_LINE_A_LITTLE_SHORT = [3.5 + w + e for w, e in zip(range(1, 9), WOBBLE, strict=True)]
CLEARLY_BELOW = [3.0 + w + e for w, e in zip(range(1, 9), WOBBLE, strict=True)]


def test_report_and_attention_continue_when_the_shortfall_is_inside_the_range() -> None:
    analysis = _analysis(ON_THE_LINE_A_LITTLE_SHORT)
    assert analysis.projection.will_miss and not analysis.projection.clearly_misses  # type: ignore[union-attr]
    gp = SimpleNamespace(analysis=analysis, mastery=None, unit="")
    status = status_from(gp)
    assert status == GoalStatus.SUFFICIENT
    text = narrative_from(gp, name="Ana", status=status)
    assert "changing how this skill is taught" not in text
    assert "close to the pace needed" in text
    page = SimpleNamespace(needs_attention=False, decision=analysis.headline)
    assert attention_state(page) == "ok"  # type: ignore[arg-type]


def test_report_says_the_team_changes_teaching_when_clearly_below() -> None:
    analysis = _analysis(CLEARLY_BELOW)
    assert analysis.projection.clearly_misses  # type: ignore[union-attr]
    assert analysis.headline.decision is engine.DecisionKind.CHANGE_INSTRUCTION
    gp = SimpleNamespace(analysis=analysis, mastery=None, unit="")
    status = status_from(gp)
    assert status == GoalStatus.INSUFFICIENT
    assert "the team is changing how this skill is taught" in narrative_from(
        gp, name="Ana", status=status
    )


def test_attention_list_follows_the_engine_both_ways(world, goals) -> None:  # type: ignore[no-untyped-def]
    # On the goal page's own data: flat at 40% against an aim of 90% is clearly below (the whole
    # range short): attention; the same goal climbing on pace is not flagged.
    _add(world, goals.speech, [40, 41, 40, 40, 39, 41, 40, 40, 39, 40, 41])
    flat = progress_for(_fresh(goals.speech))
    assert flat.analysis.projection.clearly_misses  # type: ignore[union-attr]
    assert attention_state(flat) == "change_instruction"
    _add(world, goals.math, [40, 46, 51, 55, 61, 64, 70, 74, 80, 84, 88])
    climbing = progress_for(_fresh(goals.math))
    assert attention_state(climbing) == "ok", climbing.decision_reason
