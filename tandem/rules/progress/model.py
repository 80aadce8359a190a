"""The inputs of progress monitoring: points, settings, a goal's series, and the time axis."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from types import MappingProxyType

# --- enums -------------------------------------------------------------------------------------


class Direction(StrEnum):
    INCREASE = "increase"  # a skill to grow: WCPM, % accuracy
    DECREASE = "decrease"  # a behaviour to reduce: outbursts per day, errors


class TrendMethod(StrEnum):
    OLS = "ols"  # ordinary least squares: the vendors' and the research default
    TUKEY = "tukey"  # Tukey tri-split: what teachers draw on paper


class DecisionKind(StrEnum):
    CHANGE_INSTRUCTION = "change_instruction"
    RAISE_GOAL = "raise_goal"  # for a goal to decrease: make the goal more ambitious
    CONTINUE = "continue"
    INSUFFICIENT_DATA = "insufficient_data"


class Rule(StrEnum):
    FOUR_POINT = "four_point"
    TREND = "trend"
    MEDIAN_OF_LAST_THREE = "median_of_last_three"


class BaselineSource(StrEnum):
    ENTERED = "entered"
    MEDIAN_OF_FIRST_POINTS = "median_of_first_points"


RULE_LABELS: Mapping[Rule, str] = MappingProxyType(
    {
        Rule.FOUR_POINT: "Four-point rule",
        Rule.TREND: "Trend rule",
        Rule.MEDIAN_OF_LAST_THREE: "Median-of-last-three rule",
    }
)


# --- inputs ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True, order=True)
class Point:
    """One progress-monitoring score. `instruction_change`: instruction changed before it."""

    on: date
    value: float
    instruction_change: bool = False

    def __post_init__(self) -> None:
        if not math.isfinite(self.value):
            raise ValueError(f"point on {self.on.isoformat()}: value must be a finite number")


@dataclass(frozen=True, slots=True, order=True)
class WeekPoint:
    """A point on the time axis: weeks since the goal start, and the score."""

    week: float
    value: float


@dataclass(frozen=True, slots=True)
class ProgressSettings:
    """Per-district or per-goal settings; defaults follow PROGRESS.md 1.2-1.5."""

    four_point_min_points: int = 6  # docsbay: 6 points, not counting baseline
    four_point_window: int = 4
    trend_min_points: int = 8  # Heartland AEA: twice weekly, decide after 8 points
    median_min_points: int = 6
    trend_line_min_points: int = 3  # FastBridge draws a trend (and projects) from 3 points
    trend_method: TrendMethod = TrendMethod.OLS
    # Slope band around the needed ROI, in units per week. None: a share of |needed ROI|.
    # A floor only: the trend rule uses the larger of this and the slope's 95% range, so a slope
    # inside the scores' own week-to-week variation never decides (PROGRESS.md 1.3).
    trend_tolerance: float | None = None
    trend_relative_tolerance: float = 0.1
    # How far short of the target the projection may fall while the slope is within the band
    # ("parallel but well below"). None: a share of |target - baseline|. Also a floor: the rule
    # uses the larger of this and the 95% range of the trend's value at the goal date.
    level_tolerance: float | None = None
    level_relative_tolerance: float = 0.05
    preliminary_below: int = 10  # show "preliminary" until 10 monitoring points
    baseline_probes: int = 3
    current_phase_only: bool = True
    rules: tuple[Rule, ...] = (Rule.TREND, Rule.MEDIAN_OF_LAST_THREE, Rule.FOUR_POINT)

    def __post_init__(self) -> None:
        if self.four_point_window < 1:
            raise ValueError("four_point_window must be at least 1")
        if self.four_point_min_points < self.four_point_window:
            raise ValueError("four_point_min_points must be at least four_point_window")
        if self.median_min_points < 3:
            raise ValueError("median_min_points must be at least 3")
        if self.trend_line_min_points < 3 and self.trend_method is TrendMethod.TUKEY:
            raise ValueError("a Tukey trend line needs trend_line_min_points of at least 3")
        if self.trend_line_min_points < 2:
            raise ValueError("trend_line_min_points must be at least 2")
        if self.trend_min_points < max(3, self.trend_line_min_points):
            raise ValueError("trend_min_points must be at least 3 and trend_line_min_points")
        for name in (
            "trend_tolerance",
            "trend_relative_tolerance",
            "level_tolerance",
            "level_relative_tolerance",
        ):
            value = getattr(self, name)
            if value is not None and not (math.isfinite(value) and value >= 0):
                raise ValueError(f"{name} must be a finite number >= 0")
        if self.baseline_probes < 1:
            raise ValueError("baseline_probes must be at least 1")
        if not self.rules or len(set(self.rules)) != len(self.rules):
            raise ValueError("rules must name at least one rule, each once")


DEFAULT_SETTINGS = ProgressSettings()


@dataclass(frozen=True, slots=True)
class GoalSeries:
    """A goal's data as plain values: what `analyze_goal` reads."""

    points: tuple[Point, ...]
    start: date
    target_on: date
    target_value: float
    direction: Direction
    baseline: float | None = None  # entered baseline; None: median of the first points
    baseline_on: date | None = None  # when the entered baseline was taken; None: the start

    def __post_init__(self) -> None:
        if self.target_on <= self.start:
            raise ValueError("the target date must be after the goal start")
        if not math.isfinite(self.target_value):
            raise ValueError("the target value must be a finite number")
        if self.baseline is not None and not math.isfinite(self.baseline):
            raise ValueError("the baseline must be a finite number")
        if self.baseline is None and self.baseline_on is not None:
            raise ValueError("baseline_on needs an entered baseline")


def weeks_since(start: date, on: date) -> float:
    """Weeks from `start` to `on` as whole days / 7 (easyCBM); negative before the start."""
    return (on - start).days / 7
