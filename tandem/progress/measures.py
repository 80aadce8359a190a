"""What a goal is measured in: its metric, target, direction, scale and mastery criterion.

Read from the goal checker's structured criteria (`plans.Goal.analysis`, written by
`tandem.rules.goals.check_goal`), mapped onto the progress engine's mastery criteria as
`tandem/rules/progress.py` documents. Plain Python; no queries.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext_lazy as _

from tandem.rules import progress as engine
from tandem.rules.goals import DEFAULT_PROMPT_HIERARCHY, PromptLevel, check_goal


class Metric:
    PERCENT = "percent"  # percent correct, from trials or entered
    RATE = "rate"  # per minute
    DURATION = "duration"  # seconds
    COUNT = "count"  # occurrences, errors, items
    RUBRIC = "rubric"  # rubric level
    PROMPTS = "prompts"  # percent of trials at or below the allowed prompt level
    SCORE = "score"  # any other number


# The measures a data point may carry, by metric: what the collection form offers first.
METRIC_FIELDS: Mapping[str, tuple[str, ...]] = {
    Metric.PERCENT: ("trials_correct", "trials_total", "percent"),
    Metric.RATE: ("rate_per_minute",),
    Metric.DURATION: ("duration_seconds",),
    Metric.COUNT: ("count",),
    Metric.RUBRIC: ("rubric_level",),
    Metric.PROMPTS: ("prompts", "trials_correct", "trials_total"),
    Metric.SCORE: ("score",),
}

METRIC_LABELS: Mapping[str, Any] = {
    Metric.PERCENT: _("Percent correct"),
    Metric.RATE: _("Per minute"),
    Metric.DURATION: _("Seconds"),
    Metric.COUNT: _("Count"),
    Metric.RUBRIC: _("Rubric level"),
    Metric.PROMPTS: _("Percent of trials at the allowed prompt level"),
    Metric.SCORE: _("Score"),
}

PROMPT_LABELS: Mapping[str, Any] = {
    PromptLevel.INDEPENDENT: _("Independent"),
    PromptLevel.GESTURAL: _("Gestural"),
    PromptLevel.VERBAL: _("Verbal"),
    PromptLevel.MODEL: _("Model"),
    PromptLevel.PARTIAL_PHYSICAL: _("Partial physical"),
    PromptLevel.FULL_PHYSICAL: _("Full physical"),
}

UNIT_SHORT = {
    Metric.PERCENT: "%",
    Metric.PROMPTS: "%",
    Metric.RATE: "/min",
    Metric.DURATION: "s",
}


@dataclass(frozen=True, slots=True)
class GoalMetric:
    metric: str
    target: float | None
    direction: engine.Direction
    scale_min: float
    scale_max: float
    mastery: engine.MasteryCriterion | None
    allowed_prompt: str | None = None  # for PROMPTS: the most intrusive prompt that counts
    mofn_items: bool = False  # "4 of 5" read as 4 correct of 5 items

    @property
    def unit(self) -> str:
        return UNIT_SHORT.get(self.metric, "")

    @property
    def label(self) -> Any:
        return METRIC_LABELS[self.metric]

    @property
    def fields(self) -> tuple[str, ...]:
        return METRIC_FIELDS[self.metric]


def criteria_of(goal: Any) -> tuple[list[dict[str, Any]], str | None]:
    """The goal's criterion atoms and direction: the stored reading, else a fresh one."""
    analysis = goal.analysis or {}
    if "criteria" not in analysis:
        analysis = check_goal(goal.text).to_json()
    return list(analysis.get("criteria") or []), analysis.get("direction")


def _first(criteria: Sequence[Mapping[str, Any]], kind: str) -> Mapping[str, Any] | None:
    return next((c for c in criteria if c.get("kind") == kind), None)


def _num(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        x = float(value)
    except (TypeError, ValueError):
        return None
    return x if math.isfinite(x) else None


def metric_for(goal: Any) -> GoalMetric:
    """The goal's metric, target and mastery criterion, from its structured criteria."""
    criteria, direction_text = criteria_of(goal)
    return metric_from_criteria(criteria, direction_text)


def metric_from_criteria(  # noqa: C901 - one branch per criterion kind, read top to bottom
    criteria: Sequence[Mapping[str, Any]], direction_text: str | None
) -> GoalMetric:
    inc, dec = engine.Direction.INCREASE, engine.Direction.DECREASE
    direction = dec if direction_text == "decrease" else inc
    metric, target, low, high = Metric.SCORE, None, 0.0, 1_000_000.0
    allowed_prompt = None
    mofn = _first(criteria, "m_of_n")
    mofn_items = bool(mofn and mofn.get("reading") == "items")

    rate = _first(criteria, "rate")
    accuracy = _first(criteria, "accuracy")
    interval = _first(criteria, "interval_percent")
    duration = _first(criteria, "duration")
    latency = _first(criteria, "latency")
    reduction = _first(criteria, "reduction")
    frequency = _first(criteria, "frequency")
    errors = _first(criteria, "error_limit")
    rubric = _first(criteria, "rubric")
    prompt = _first(criteria, "prompt_level")
    items = _first(criteria, "item_count")
    to_target = _first(criteria, "baseline_to_target")

    if rate is not None:
        metric, target, high = Metric.RATE, _num(rate.get("value")), 1000.0
    elif accuracy is not None:
        metric, target, high = Metric.PERCENT, _num(accuracy.get("percent")), 100.0
    elif interval is not None:
        metric, target, high = Metric.PERCENT, _num(interval.get("percent")), 100.0
        if interval.get("comparator") == "max":
            direction = dec
    elif rubric is not None:
        metric, target = Metric.RUBRIC, _num(rubric.get("score"))
        high = _num(rubric.get("out_of")) or max(4.0, target or 0)
    elif reduction is not None:
        metric, direction, high = Metric.COUNT, dec, 10_000.0
        target = _num(reduction.get("target"))
        base, cut = _num(reduction.get("baseline")), _num(reduction.get("percent"))
        if target is None and base is not None and cut is not None:
            target = base * (1 - cut / 100)
    elif duration is not None:
        metric, target, high = Metric.DURATION, _num(duration.get("seconds")), 86_400.0
        direction = dec if duration.get("comparator") == "max" else inc
    elif latency is not None:
        metric, target, direction, high = (
            Metric.DURATION,
            _num(latency.get("seconds")),
            dec,
            86_400.0,
        )
    elif prompt is not None:
        metric, target, high = Metric.PROMPTS, 80.0, 100.0
        allowed_prompt = prompt.get("level") or PromptLevel.INDEPENDENT.value
        if mofn and _num(mofn.get("n")):
            target = 100 * float(mofn["m"]) / float(mofn["n"])
    elif mofn is not None and _num(mofn.get("n")):
        metric, high = Metric.PERCENT, 100.0
        target = 100 * float(mofn["m"]) / float(mofn["n"])
    elif frequency is not None:
        metric, target, high = Metric.COUNT, _num(frequency.get("count")), 10_000.0
        direction = dec if frequency.get("comparator") == "max" else inc
    elif errors is not None:
        metric, direction, high = Metric.COUNT, dec, 10_000.0
        target = _num(errors.get("max_errors"))
    elif items is not None:
        metric, target = Metric.COUNT, _num(items.get("count"))
        high = _num(items.get("of")) or 10_000.0
    elif to_target is not None:
        metric, target = Metric.SCORE, _num(to_target.get("target"))
        if to_target.get("percent") is not None and target is None:
            metric, high, target = Metric.PERCENT, 100.0, _num(to_target.get("percent"))

    if prompt is not None and metric != Metric.PROMPTS:
        allowed_prompt = prompt.get("level")
    mastery = _mastery(criteria, metric, target, direction, mofn_items)
    return GoalMetric(
        metric=metric,
        target=target,
        direction=direction,
        scale_min=low,
        scale_max=high,
        mastery=mastery,
        allowed_prompt=allowed_prompt,
        mofn_items=mofn_items,
    )


def _mastery(
    criteria: Sequence[Mapping[str, Any]],
    metric: str,
    target: float | None,
    direction: engine.Direction,
    mofn_items: bool,
) -> engine.MasteryCriterion | None:
    if target is None:
        return None
    comparison = (
        engine.Comparison.AT_MOST
        if direction is engine.Direction.DECREASE
        else engine.Comparison.AT_LEAST
    )
    level = engine.Threshold(target, comparison, unit=UNIT_SHORT.get(metric, ""))
    mofn = _first(criteria, "m_of_n")
    consecutive = _first(criteria, "consecutive")
    if mofn is not None and metric == Metric.PERCENT and mofn_items:
        m, n = int(mofn["m"]), int(mofn["n"])
        if 0 <= m <= n and n >= 1:
            return engine.TrialsCorrect(correct=m, total=n)
    if mofn is not None and not mofn_items and metric not in (Metric.PROMPTS,):
        m, n = int(mofn.get("m") or 0), int(mofn.get("n") or 0)
        if 1 <= m <= n:
            return engine.MOfLastN(level, m=m, n=n)
    if consecutive is not None:
        k = int(consecutive.get("k") or 0)
        if k >= 1:
            return engine.Consecutive(level, k=k)
    return engine.MedianOfLast(level, count=3)


def prompts_value(prompts: Sequence[str], allowed: str | None) -> float:
    """Percent of trials at or below the allowed prompt level (the district ordinal)."""
    ceiling = PromptLevel(allowed or PromptLevel.INDEPENDENT)
    order = DEFAULT_PROMPT_HIERARCHY
    within = sum(order.index(PromptLevel(p)) <= order.index(ceiling) for p in prompts)
    return 100 * within / len(prompts)
