"""The demo's data shapes reach the decision states they are drawn for (no database)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tandem.demo.progress import shape
from tandem.progress.measures import metric_from_criteria
from tandem.rules import progress as engine

START = date(2026, 8, 17)
TARGET = date(2027, 8, 16)
PERCENT = [{"kind": "accuracy", "percent": 90}, {"kind": "consecutive", "k": 3}]
RATE = [{"kind": "rate", "value": 90, "per": "minute"}]
LATENCY = [{"kind": "latency", "seconds": 120}]


@pytest.mark.parametrize("criteria", [PERCENT, RATE, LATENCY])
@pytest.mark.parametrize(
    ("state", "expected"),
    [
        ("continue", engine.DecisionKind.CONTINUE),
        ("change_instruction", engine.DecisionKind.CHANGE_INSTRUCTION),
        ("raise_goal", engine.DecisionKind.RAISE_GOAL),
    ],
)
def test_shapes_give_their_decision(criteria, state, expected) -> None:  # type: ignore[no-untyped-def]
    metric = metric_from_criteria(criteria, None)
    dates = [START + timedelta(days=d) for d in range(3, 100) if d % 7 in (3, 6)]
    weeks = [(d - START).days / 7 for d in dates]
    values = shape(state, metric, weeks, (TARGET - START).days / 7)
    series = engine.GoalSeries(
        points=tuple(engine.Point(d, v) for d, v in zip(dates, values, strict=True)),
        start=START,
        target_on=TARGET,
        target_value=metric.target,
        direction=metric.direction,
    )
    assert engine.analyze_goal(series).headline.decision is expected


def test_mastered_shape_meets_the_criterion() -> None:
    metric = metric_from_criteria(PERCENT, None)
    dates = [START + timedelta(days=d) for d in range(3, 100) if d % 7 in (3, 6)]
    weeks = [(d - START).days / 7 for d in dates]
    values = shape("mastered", metric, weeks, 52)
    sessions = [engine.Session(d, v) for d, v in zip(dates, values, strict=True)]
    assert engine.evaluate_mastery(metric.mastery, sessions).met is True
