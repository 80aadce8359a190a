"""Progress monitoring: baseline, aim line, trend line, decision rules, mastery and summaries.

Pure Python (standard library only), no clock and no database: plain values in, answers with
their reasons out. The science, with sources, is in PROGRESS.md section 1:

* 1.0 time axis in weeks since the goal start (whole days / 7); baseline = median of 3 probes;
  aim line from (baseline week, baseline) to (target week, target value).
* 1.1 four-point rule and median of the last three points; 1.2 trend-line rule with a
  tolerance band (AIMSweb) and projection to the goal date; 1.3 OLS (default) and Tukey
  tri-split trend lines; 1.4 rate of improvement; 1.5 minimum points and the preliminary badge.
* 1.7 mastery against criterion-referenced goals.

Conventions chosen here (each configurable in `ProgressSettings` or documented where used):

* A derived baseline uses the first three points as baseline probes. Those probes then do not
  count as monitoring points ("at least 6 data points, not counting baseline"); an entered
  baseline leaves every point a monitoring point.
* A point with `instruction_change=True` starts a new phase: the rules and the trend use only
  the points from the latest change on, and count their minimum again, while the aim line stays.
* A point within 1e-9 of the aim line is "on the line" and counts as neither above nor below.
* For a goal to decrease a behaviour every rule is mirrored; `RAISE_GOAL` then means "make the
  goal more ambitious" (a lower target).
* Headline: the first rule in `ProgressSettings.rules` (default trend, median of the last
  three, four-point) that can decide. Ties between disagreeing rules are resolved by that
  order, never by a vote, because trend and median rules are more accurate than data-point
  rules (Van Norman & Christ, PROGRESS.md 1.1). When no rule can decide, the headline is the
  "not enough data" answer of the rule that needs the fewest more points.

Mapping of the goal checker's criterion atoms (tandem/rules/goals.py) onto mastery criteria:

* accuracy percent X  -> `Threshold(X, unit="%")`
* m_of_n (m, n) with a percent, reading (i) -> `MOfLastN(Threshold(X, unit="%"), m=m, n=n)`;
  reading (ii), m correct of n items -> `TrialsCorrect(correct=m, total=n)`
* consecutive (k, sessions) -> `Consecutive(level, k=k)` (windows in sessions, not days)
* rate N -> `MedianOfLast(Threshold(N, unit="wcpm"))`
* error_limit N, duration max, frequency ceiling, prompt_level (district ordinal, lower is less
  intrusive) -> `Threshold(N, Comparison.AT_MOST, unit=...)` inside any of the windows above
* duration min, frequency floor, rubric score S -> `Threshold(S, Comparison.AT_LEAST, ...)`
* several atoms on one goal -> evaluate each against its own series, then `all_met(...)`.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from types import MappingProxyType
from typing import Protocol

# Values this close to the aim line or a threshold count as on it (floating-point noise).
_EPS = 1e-9


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
    trend_tolerance: float | None = None
    trend_relative_tolerance: float = 0.1
    # How far short of the target the projection may fall while the slope is within the band
    # ("parallel but well below"). None: a share of |target - baseline|.
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


# --- number and date wording -------------------------------------------------------------------

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def fmt_number(x: float) -> str:
    """A number as people write it: 12, 2.75, 0.29 (at most two decimals, no "-0")."""
    if not math.isfinite(x):
        return str(x)
    r = round(x, 2)
    if r == 0:
        return "0"
    if r == int(r):
        return str(int(r))
    return f"{r:.2f}".rstrip("0")


def _signed(x: float) -> str:
    text = fmt_number(x)
    return text if text.startswith("-") or text == "0" else f"+{text}"


def _with_unit(x: float, unit: str) -> str:
    if not unit:
        return fmt_number(x)
    if unit == "%":
        return f"{fmt_number(x)}%"
    return f"{fmt_number(x)} {unit}"


def _values(xs: Iterable[float]) -> str:
    return ", ".join(fmt_number(x) for x in xs)


def _month_day(d: date) -> str:
    return f"{_MONTHS[d.month - 1]} {d.day}"


def _month(d: date, *, near: date) -> str:
    # The year only when the month alone could mean another school year.
    if abs((d - near).days) > 330:
        return f"{_MONTHS[d.month - 1]} {d.year}"
    return _MONTHS[d.month - 1]


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=_EPS, abs_tol=_EPS)


def weeks_since(start: date, on: date) -> float:
    """Weeks from `start` to `on` as whole days / 7 (easyCBM); negative before the start."""
    return (on - start).days / 7


# --- baseline and aim line ---------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Baseline:
    value: float
    week: float
    on: date
    source: BaselineSource
    probes: int  # how many of the first points it used (0 when entered)
    reason: str


def determine_baseline(
    points: Sequence[Point],
    *,
    start: date,
    entered: float | None = None,
    entered_on: date | None = None,
    probes: int = 3,
) -> Baseline | None:
    """The entered baseline, else the median of the first `probes` points; None if too few."""
    if entered is not None:
        on = entered_on or start
        return Baseline(
            value=entered,
            week=weeks_since(start, on),
            on=on,
            source=BaselineSource.ENTERED,
            probes=0,
            reason=f"Baseline {fmt_number(entered)}: entered for the goal, as of {on.isoformat()}.",
        )
    first = sorted(points)[:probes]
    if len(first) < probes:
        return None
    days = statistics.median((p.on - start).days for p in first)
    value = statistics.median(p.value for p in first)
    return Baseline(
        value=value,
        week=days / 7,
        on=start + timedelta(days=math.floor(days)),
        source=BaselineSource.MEDIAN_OF_FIRST_POINTS,
        probes=probes,
        reason=(
            f"Baseline {fmt_number(value)}: the median of the first {probes} points "
            f"({_values(p.value for p in first)})."
        ),
    )


@dataclass(frozen=True, slots=True)
class AimLine:
    """The goal line from (baseline week, baseline) to (target week, target value)."""

    start_week: float
    start_value: float
    target_week: float
    target_value: float

    def __post_init__(self) -> None:
        if not self.target_week > self.start_week:
            raise ValueError(
                f"the baseline (week {fmt_number(self.start_week)}) must come before "
                f"the target date (week {fmt_number(self.target_week)})"
            )

    @property
    def needed_roi(self) -> float:
        """Units per week the student must gain (negative for a goal to decrease)."""
        return (self.target_value - self.start_value) / (self.target_week - self.start_week)

    def value_at(self, week: float) -> float:
        return self.start_value + self.needed_roi * (week - self.start_week)


# --- trend lines -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TrendLine:
    method: TrendMethod
    slope: float  # rate of improvement, units per week
    intercept: float  # value at week 0 (the goal start)
    points: int
    slope_se: float | None = None  # OLS with at least 3 points

    def value_at(self, week: float) -> float:
        return self.intercept + self.slope * week


def ols_trend(points: Sequence[WeekPoint]) -> TrendLine:
    """Least-squares line, with the standard error of the slope from 3 points (PROGRESS 1.3)."""
    n = len(points)
    if n < 2:
        raise ValueError("an OLS trend needs at least 2 points")
    t_mean = math.fsum(p.week for p in points) / n
    y_mean = math.fsum(p.value for p in points) / n
    sxx = math.fsum((p.week - t_mean) ** 2 for p in points)
    if sxx <= 0:
        raise ValueError("an OLS trend needs points in at least two different weeks")
    sxy = math.fsum((p.week - t_mean) * (p.value - y_mean) for p in points)
    slope = sxy / sxx
    intercept = y_mean - slope * t_mean
    slope_se = None
    if n >= 3:
        sse = math.fsum((p.value - (intercept + slope * p.week)) ** 2 for p in points)
        slope_se = math.sqrt(sse / (n - 2)) / math.sqrt(sxx)
    return TrendLine(TrendMethod.OLS, slope, intercept, n, slope_se)


def tukey_sections(n: int) -> tuple[int, int, int]:
    """Section sizes: 3k -> (k, k, k); 3k+1 -> (k, k+1, k); 3k+2 -> (k+1, k, k+1)."""
    k, r = divmod(n, 3)
    if r == 0:
        return (k, k, k)
    if r == 1:
        return (k, k + 1, k)
    return (k + 1, k, k + 1)


def tukey_trend(points: Sequence[WeekPoint]) -> TrendLine:
    """Line through (median week, median score) of the first and last thirds, in time order."""
    n = len(points)
    if n < 3:
        raise ValueError("a Tukey trend needs at least 3 points")
    ordered = sorted(points)
    left_n, _, right_n = tukey_sections(n)
    left, right = ordered[:left_n], ordered[n - right_n :]
    x_left = statistics.median(p.week for p in left)
    y_left = statistics.median(p.value for p in left)
    x_right = statistics.median(p.week for p in right)
    y_right = statistics.median(p.value for p in right)
    if x_right == x_left:
        raise ValueError("a Tukey trend needs its outer thirds in different weeks")
    slope = (y_right - y_left) / (x_right - x_left)
    # Through the left point, as drawn by hand (the handout), not the resistant-line average.
    return TrendLine(TrendMethod.TUKEY, slope, y_left - slope * x_left, n)


def fit_trend(points: Sequence[WeekPoint], method: TrendMethod = TrendMethod.OLS) -> TrendLine:
    """The trend line by `method`; ValueError when the points cannot carry one."""
    if method is TrendMethod.TUKEY:
        return tukey_trend(points)
    return ols_trend(points)


def two_point_roi(points: Sequence[WeekPoint]) -> float | None:
    """(last - first) / weeks between them (ion's "simple" ROI); None without two weeks."""
    if len(points) < 2:
        return None
    ordered = sorted(points)
    first, last = ordered[0], ordered[-1]
    if last.week == first.week:
        return None
    return (last.value - first.value) / (last.week - first.week)


# --- projection --------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Projection:
    week: float
    value: float  # the trend's value at the target week
    target_value: float
    direction: Direction
    will_miss: bool
    reason: str


def project(
    trend: TrendLine, *, target_week: float, target_value: float, direction: Direction
) -> Projection:
    """Will the goal be missed at the current trend? Direction-aware; on target is not a miss."""
    value = trend.value_at(target_week)
    if _close(value, target_value):
        will_miss = False
    elif direction is Direction.INCREASE:
        will_miss = value < target_value
    else:
        will_miss = value > target_value
    side = "below" if value < target_value else "above"
    if _close(value, target_value):
        side = "at"
    goal_kind = "" if direction is Direction.INCREASE else " on a goal to decrease"
    verdict = (
        "the goal will not be met by the goal date"
        if will_miss
        else "on track to meet the goal by the goal date"
    )
    reason = (
        f"At the current trend ({_signed(trend.slope)} per week, {trend.method.value.upper()}) "
        f"the projected score at the goal date is {fmt_number(value)}, {side} the target of "
        f"{fmt_number(target_value)}{goal_kind}: {verdict}."
    )
    return Projection(target_week, value, target_value, direction, will_miss, reason)


# --- decision rules ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Decision:
    rule: Rule
    decision: DecisionKind
    reason: str
    preliminary: bool  # fewer monitoring points than settings.preliminary_below
    points_used: int
    more_points_needed: int = 0
    method: TrendMethod | None = None  # the trend method, for the trend rule


def _since(phase_start: date | None) -> str:
    if phase_start is None:
        return ""
    return f" since the instruction change on {phase_start.isoformat()}"


def _insufficient(
    rule: Rule,
    have: int,
    need: int,
    phase_start: date | None,
    method: TrendMethod | None = None,
) -> Decision:
    more = need - have
    return Decision(
        rule=rule,
        decision=DecisionKind.INSUFFICIENT_DATA,
        reason=(
            f"{RULE_LABELS[rule]}: not enough data yet{_since(phase_start)}: "
            f"{have} of {need} points; {more} more needed."
        ),
        preliminary=True,
        points_used=have,
        more_points_needed=more,
        method=method,
    )


def _side(value: float, line: float) -> int:
    """+1 above the line, -1 below, 0 on it."""
    if _close(value, line):
        return 0
    return 1 if value > line else -1


def _good_side(direction: Direction) -> int:
    return 1 if direction is Direction.INCREASE else -1


def _action_words(kind: DecisionKind, direction: Direction) -> str:
    if kind is DecisionKind.CHANGE_INSTRUCTION:
        return "change instruction"
    if kind is DecisionKind.RAISE_GOAL:
        if direction is Direction.INCREASE:
            return "raise the goal"
        return "make the goal more ambitious (a lower target)"
    return "continue and keep monitoring"


def _goal_kind(direction: Direction) -> str:
    return "" if direction is Direction.INCREASE else " on a goal to decrease"


def _from_side(side: int, direction: Direction) -> DecisionKind:
    if side == 0:
        return DecisionKind.CONTINUE
    if side == _good_side(direction):
        return DecisionKind.RAISE_GOAL
    return DecisionKind.CHANGE_INSTRUCTION


def four_point_rule(
    points: Sequence[WeekPoint],
    aim: AimLine,
    direction: Direction,
    settings: ProgressSettings = DEFAULT_SETTINGS,
    *,
    phase_start: date | None = None,
) -> Decision:
    """The last 4 monitoring points against the aim line (NCII four-point analysis)."""
    rule, n = Rule.FOUR_POINT, len(points)
    if n < settings.four_point_min_points:
        return _insufficient(rule, n, settings.four_point_min_points, phase_start)
    last = sorted(points)[-settings.four_point_window :]
    sides = [_side(p.value, aim.value_at(p.week)) for p in last]
    values, aims = _values(p.value for p in last), _values(aim.value_at(p.week) for p in last)
    count = len(last)
    if all(s == -1 for s in sides) or all(s == 1 for s in sides):
        kind = _from_side(sides[0], direction)
        where = "below" if sides[0] == -1 else "above"
        reason = (
            f"Four-point rule: the last {count} points ({values}) are all {where} the aim line "
            f"({aims}){_goal_kind(direction)}; {_action_words(kind, direction)}."
        )
    else:
        kind = DecisionKind.CONTINUE
        tally = [
            f"{sides.count(side)} {word}"
            for side, word in ((1, "above"), (-1, "below"), (0, "on"))
            if sides.count(side)
        ]
        spread = tally[0] if len(tally) == 1 else ", ".join(tally[:-1]) + f" and {tally[-1]}"
        reason = (
            f"Four-point rule: of the last {count} points ({values}), {spread} the aim line "
            f"({aims}); {_action_words(kind, direction)}."
        )
    return Decision(rule, kind, reason, n < settings.preliminary_below, n)


def median_of_last_three_rule(
    points: Sequence[WeekPoint],
    aim: AimLine,
    direction: Direction,
    settings: ProgressSettings = DEFAULT_SETTINGS,
    *,
    phase_start: date | None = None,
) -> Decision:
    """Median of the 3 latest points against the aim line at their median week (NCII)."""
    rule, n = Rule.MEDIAN_OF_LAST_THREE, len(points)
    if n < settings.median_min_points:
        return _insufficient(rule, n, settings.median_min_points, phase_start)
    last = sorted(points)[-3:]
    median = statistics.median(p.value for p in last)
    week = statistics.median(p.week for p in last)
    line = aim.value_at(week)
    side = _side(median, line)
    kind = _from_side(side, direction)
    where = {1: "above", -1: "below", 0: "on"}[side]
    shown = _values(p.value for p in last)
    reason = (
        f"Median-of-last-three rule: the median of the last 3 points ({shown}) "
        f"is {fmt_number(median)}, {where} the aim line value of {fmt_number(line)} at week "
        f"{fmt_number(week)}{_goal_kind(direction)}; {_action_words(kind, direction)}."
    )
    return Decision(rule, kind, reason, n < settings.preliminary_below, n)


def trend_rule(
    points: Sequence[WeekPoint],
    aim: AimLine,
    direction: Direction,
    settings: ProgressSettings = DEFAULT_SETTINGS,
    *,
    phase_start: date | None = None,
) -> Decision:
    """Trend slope against the needed ROI within a tolerance, then the projection (NCRTI)."""
    rule, n, method = Rule.TREND, len(points), settings.trend_method
    if n < settings.trend_min_points:
        return _insufficient(rule, n, settings.trend_min_points, phase_start, method)
    try:
        trend = fit_trend(points, method)
    except ValueError as exc:
        return Decision(
            rule,
            DecisionKind.INSUFFICIENT_DATA,
            f"Trend rule: no trend line can be drawn ({exc}).",
            True,
            n,
            1,
            method,
        )
    roi = aim.needed_roi
    tolerance = settings.trend_tolerance
    if tolerance is None:
        tolerance = settings.trend_relative_tolerance * abs(roi)
    level_tolerance = settings.level_tolerance
    if level_tolerance is None:
        level_tolerance = settings.level_relative_tolerance * abs(
            aim.target_value - aim.start_value
        )
    good = _good_side(direction)
    ahead_by = good * (trend.slope - roi)  # > 0: progressing faster than needed
    projection = project(
        trend, target_week=aim.target_week, target_value=aim.target_value, direction=direction
    )
    short_by = good * (aim.target_value - projection.value)  # > 0: falls short of the target
    se = "" if trend.slope_se is None else f" (standard error {fmt_number(trend.slope_se)})"
    trend_text = f"the trend ({method.value.upper()}) is {_signed(trend.slope)} per week{se}"
    needed = f"the {_signed(roi)} per week the aim line needs (tolerance ±{fmt_number(tolerance)})"
    if ahead_by < -tolerance and not _close(ahead_by, -tolerance):
        kind = DecisionKind.CHANGE_INSTRUCTION
        comparison = f"{trend_text}, short of {needed}"
    elif ahead_by > tolerance and not _close(ahead_by, tolerance):
        kind = DecisionKind.RAISE_GOAL
        comparison = f"{trend_text}, ahead of {needed}"
    elif short_by > level_tolerance and not _close(short_by, level_tolerance):
        kind = DecisionKind.CHANGE_INSTRUCTION
        comparison = (
            f"{trend_text}, in line with {needed}, but the line runs well short of the target: "
            f"the projection misses it by {fmt_number(short_by)}, more than the level "
            f"tolerance of {fmt_number(level_tolerance)}"
        )
    else:
        kind = DecisionKind.CONTINUE
        comparison = f"{trend_text}, in line with {needed}"
    reason = (
        f"Trend rule: {comparison}{_goal_kind(direction)}; {_action_words(kind, direction)}. "
        f"{projection.reason}"
    )
    return Decision(rule, kind, reason, n < settings.preliminary_below, n, 0, method)


_RULE_FUNCTIONS = {
    Rule.FOUR_POINT: four_point_rule,
    Rule.TREND: trend_rule,
    Rule.MEDIAN_OF_LAST_THREE: median_of_last_three_rule,
}


@dataclass(frozen=True, slots=True)
class Recommendation:
    headline: Decision
    decisions: tuple[Decision, ...]  # in the order of settings.rules
    agree: bool  # every rule that could decide gave the same answer
    reason: str


def _combine(decisions: tuple[Decision, ...]) -> Recommendation:
    decided = [d for d in decisions if d.decision is not DecisionKind.INSUFFICIENT_DATA]
    if not decided:
        headline = min(decisions, key=lambda d: d.more_points_needed)  # min is stable
        return Recommendation(headline, decisions, True, headline.reason)
    headline = decided[0]
    dissent = [d for d in decided if d.decision is not headline.decision]
    reason = headline.reason
    if dissent:
        others = "; ".join(
            f"the {RULE_LABELS[d.rule].lower()} says {d.decision.value.replace('_', ' ')}"
            for d in dissent
        )
        reason = (
            f"{reason} The {RULE_LABELS[headline.rule].lower()} is preferred (trend and median "
            f"rules are more accurate than data-point rules); {others}."
        )
    return Recommendation(headline, decisions, not dissent, reason)


def recommend(
    points: Sequence[WeekPoint],
    aim: AimLine,
    direction: Direction,
    settings: ProgressSettings = DEFAULT_SETTINGS,
    *,
    phase_start: date | None = None,
) -> Recommendation:
    """Run the configured rules; the headline is the first in `settings.rules` able to decide."""
    decisions = tuple(
        _RULE_FUNCTIONS[rule](points, aim, direction, settings, phase_start=phase_start)
        for rule in settings.rules
    )
    return _combine(decisions)


def _no_baseline_recommendation(have: int, settings: ProgressSettings) -> Recommendation:
    probes = settings.baseline_probes
    minimum = {
        Rule.FOUR_POINT: settings.four_point_min_points,
        Rule.TREND: settings.trend_min_points,
        Rule.MEDIAN_OF_LAST_THREE: settings.median_min_points,
    }
    decisions = tuple(
        Decision(
            rule=rule,
            decision=DecisionKind.INSUFFICIENT_DATA,
            reason=(
                f"{RULE_LABELS[rule]}: not enough data yet: the baseline is the median of the "
                f"first {probes} points ({have} so far), then the rule needs "
                f"{minimum[rule]} more; {probes - have + minimum[rule]} more needed."
            ),
            preliminary=True,
            points_used=0,
            more_points_needed=probes - have + minimum[rule],
            method=settings.trend_method if rule is Rule.TREND else None,
        )
        for rule in settings.rules
    )
    return _combine(decisions)


# --- the whole analysis ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Analysis:
    goal: GoalSeries
    settings: ProgressSettings
    points: tuple[Point, ...]  # every point, by date
    monitoring: tuple[WeekPoint, ...]  # the points the rules and the trend use
    phase_start: date | None  # the latest instruction change the monitoring points start at
    target_week: float
    baseline: Baseline | None
    aim: AimLine | None
    trend: TrendLine | None
    two_point_roi: float | None
    projection: Projection | None
    recommendation: Recommendation
    warnings: tuple[str, ...]

    @property
    def headline(self) -> Decision:
        return self.recommendation.headline

    @property
    def preliminary(self) -> bool:
        return len(self.monitoring) < self.settings.preliminary_below


def analyze_goal(goal: GoalSeries, settings: ProgressSettings = DEFAULT_SETTINGS) -> Analysis:
    """Baseline, aim line, trend, projection and the rules' recommendation for one goal."""
    points = tuple(sorted(goal.points))
    target_week = weeks_since(goal.start, goal.target_on)
    baseline = determine_baseline(
        points,
        start=goal.start,
        entered=goal.baseline,
        entered_on=goal.baseline_on,
        probes=settings.baseline_probes,
    )
    first = baseline.probes if baseline is not None else len(points)
    phase_start = None
    if settings.current_phase_only:
        changes = [i for i, p in enumerate(points) if p.instruction_change and i >= first]
        if changes:
            first = changes[-1]
            phase_start = points[first].on
    monitoring = tuple(WeekPoint(weeks_since(goal.start, p.on), p.value) for p in points[first:])

    aim = trend = projection = None
    warnings: list[str] = []
    if baseline is None:
        recommendation = _no_baseline_recommendation(len(points), settings)
    else:
        aim = AimLine(baseline.week, baseline.value, target_week, goal.target_value)
        recommendation = recommend(
            monitoring, aim, goal.direction, settings, phase_start=phase_start
        )
        wrong_way = _good_side(goal.direction) * (goal.target_value - baseline.value) < 0
        if wrong_way:
            warnings.append(
                f"The target {fmt_number(goal.target_value)} is on the wrong side of the "
                f"baseline {fmt_number(baseline.value)} for a goal to {goal.direction.value}."
            )
    if len(monitoring) >= settings.trend_line_min_points:
        try:
            trend = fit_trend(monitoring, settings.trend_method)
        except ValueError as exc:
            warnings.append(f"No trend line: {exc}.")
    if trend is not None:
        projection = project(
            trend,
            target_week=target_week,
            target_value=goal.target_value,
            direction=goal.direction,
        )
    return Analysis(
        goal=goal,
        settings=settings,
        points=points,
        monitoring=monitoring,
        phase_start=phase_start,
        target_week=target_week,
        baseline=baseline,
        aim=aim,
        trend=trend,
        two_point_roi=two_point_roi(monitoring),
        projection=projection,
        recommendation=recommendation,
        warnings=tuple(warnings),
    )


# --- mastery (PROGRESS.md 1.7) -----------------------------------------------------------------


class Comparison(StrEnum):
    AT_LEAST = "at_least"  # accuracy, rate, rubric score, minimum duration
    AT_MOST = "at_most"  # errors, maximum duration, frequency ceiling, prompt level


@dataclass(frozen=True, slots=True)
class Threshold:
    """The level one session must reach, e.g. at least 80%, at most 2 errors."""

    value: float
    comparison: Comparison = Comparison.AT_LEAST
    unit: str = ""  # "%", "wcpm", "errors": wording only

    def met_by(self, score: float) -> bool:
        if _close(score, self.value):
            return True
        if self.comparison is Comparison.AT_LEAST:
            return score > self.value
        return score < self.value

    def describe(self) -> str:
        words = "at or above" if self.comparison is Comparison.AT_LEAST else "at or below"
        return f"{words} {_with_unit(self.value, self.unit)}"


@dataclass(frozen=True, slots=True)
class Session:
    """One session's result: a score, or trials correct of trials given, or both."""

    on: date
    value: float | None = None
    trials_correct: int | None = None
    trials_total: int | None = None

    @property
    def score(self) -> float | None:
        """The value; else percent correct from the trials; None when neither is known."""
        if self.value is not None:
            return self.value
        if self.trials_correct is not None and self.trials_total:
            return 100 * self.trials_correct / self.trials_total
        return None


@dataclass(frozen=True, slots=True)
class Mastery:
    met: bool | None  # None: not enough sessions to say
    reason: str
    sessions_used: int
    more_sessions_needed: int = 0


class MasteryCriterion(Protocol):
    def evaluate(self, sessions: Iterable[Session]) -> Mastery: ...

    def describe(self) -> str: ...


def _scored(sessions: Iterable[Session]) -> list[tuple[date, float]]:
    """Scored sessions by date (same-day ties by score), so input order never matters."""
    return sorted((s.on, s.score) for s in sessions if s.score is not None)


def _not_enough(have: int, need: int) -> Mastery:
    more = need - have
    return Mastery(None, f"not enough sessions: {have} of {need}; {more} more needed", have, more)


@dataclass(frozen=True, slots=True)
class LatestLevel:
    """The latest session meets the level."""

    level: Threshold

    def describe(self) -> str:
        return f"the latest session {self.level.describe()}"

    def evaluate(self, sessions: Iterable[Session]) -> Mastery:
        scored = _scored(sessions)
        if not scored:
            return _not_enough(0, 1)
        on, score = scored[-1]
        met = self.level.met_by(score)
        text = _with_unit(score, self.level.unit)
        verb = "is" if met else "is not"
        word = "met" if met else "not met"
        return Mastery(
            met,
            f"{word}: the latest session ({text}, {on.isoformat()}) {verb} {self.level.describe()}",
            1,
        )


@dataclass(frozen=True, slots=True)
class MOfLastN:
    """At least `m` of the last `n` sessions meet the level ("80% in 4 of 5", reading i)."""

    level: Threshold
    m: int
    n: int

    def __post_init__(self) -> None:
        if not 1 <= self.m <= self.n:
            raise ValueError("need 1 <= m <= n")

    def describe(self) -> str:
        return f"{self.m} of the last {self.n} sessions {self.level.describe()}"

    def evaluate(self, sessions: Iterable[Session]) -> Mastery:
        scored = _scored(sessions)
        if len(scored) < self.n:
            return _not_enough(len(scored), self.n)
        hits = sum(self.level.met_by(score) for _, score in scored[-self.n :])
        met = hits >= self.m
        tail = "" if met else f"; {self.m} needed"
        word = "met" if met else "not met"
        return Mastery(
            met,
            f"{word}: {hits} of the last {self.n} sessions {self.level.describe()}{tail}",
            self.n,
        )


@dataclass(frozen=True, slots=True)
class Consecutive:
    """The last `k` sessions all meet the level ("across 3 consecutive sessions")."""

    level: Threshold
    k: int

    def __post_init__(self) -> None:
        if self.k < 1:
            raise ValueError("k must be at least 1")

    def describe(self) -> str:
        return f"{self.k} consecutive sessions {self.level.describe()}"

    def evaluate(self, sessions: Iterable[Session]) -> Mastery:
        scored = _scored(sessions)
        if len(scored) < self.k:
            return _not_enough(len(scored), self.k)
        last = [score for _, score in scored[-self.k :]]
        run = 0
        for score in reversed(last):
            if not self.level.met_by(score):
                break
            run += 1
        shown = ", ".join(_with_unit(s, self.level.unit) for s in last)
        if run == self.k:
            reason = f"met: the last {self.k} sessions ({shown}) are all {self.level.describe()}"
        else:
            reason = (
                f"not met: the last {self.k} sessions ({shown}) are not all "
                f"{self.level.describe()}; the current run is {run}"
            )
        return Mastery(run == self.k, reason, self.k)


@dataclass(frozen=True, slots=True)
class MedianOfLast:
    """The median of the last `count` sessions meets the level (rate goals: WCPM)."""

    level: Threshold
    count: int = 3

    def __post_init__(self) -> None:
        if self.count < 1:
            raise ValueError("count must be at least 1")

    def describe(self) -> str:
        return f"the median of the last {self.count} sessions {self.level.describe()}"

    def evaluate(self, sessions: Iterable[Session]) -> Mastery:
        scored = _scored(sessions)
        if len(scored) < self.count:
            return _not_enough(len(scored), self.count)
        last = [score for _, score in scored[-self.count :]]
        median = statistics.median(last)
        met = self.level.met_by(median)
        word, verb = ("met", "") if met else ("not met", "not ")
        return Mastery(
            met,
            f"{word}: the median of the last {self.count} sessions ({_values(last)}) is "
            f"{_with_unit(median, self.level.unit)}, {verb}{self.level.describe()}",
            self.count,
        )


@dataclass(frozen=True, slots=True)
class TrialsCorrect:
    """The latest session with trial counts has `correct` of `total` right (reading ii).

    A session of more trials meets it at the same share (8 of 10 for 4 of 5); a session of
    fewer trials than `total` cannot show it, so the answer is None.
    """

    correct: int
    total: int

    def __post_init__(self) -> None:
        if not 0 <= self.correct <= self.total or self.total < 1:
            raise ValueError("need 0 <= correct <= total and total >= 1")

    def describe(self) -> str:
        return f"{self.correct} of {self.total} trials correct"

    def evaluate(self, sessions: Iterable[Session]) -> Mastery:
        counted = sorted(
            (s.on, s.trials_correct, s.trials_total)
            for s in sessions
            if s.trials_correct is not None and s.trials_total
        )
        if not counted:
            return Mastery(None, "not enough sessions: no session with trial counts yet", 0, 1)
        on, right, given = counted[-1]
        when = on.isoformat()
        if given < self.total:
            return Mastery(
                None,
                f"not enough trials: {right} of {given} on {when}; the criterion counts "
                f"{self.total} trials",
                1,
                1,
            )
        # Cross-multiplied so 8 of 10 meets 4 of 5 without float rounding.
        met = right * self.total >= self.correct * given
        word = "met" if met else "not met"
        return Mastery(
            met,
            f"{word}: {right} of {given} trials correct on {when} "
            f"(at least {self.correct} of {self.total} needed)",
            1,
        )


def evaluate_mastery(criterion: MasteryCriterion, sessions: Iterable[Session]) -> Mastery:
    """Evaluate one criterion; sessions may come in any order."""
    return criterion.evaluate(sessions)


def all_met(results: Iterable[Mastery]) -> Mastery:
    """Three-valued AND of several criteria: any False -> False, else any None -> None."""
    items = list(results)
    if not items:
        raise ValueError("all_met needs at least one result")
    if any(r.met is False for r in items):
        met: bool | None = False
    elif any(r.met is None for r in items):
        met = None
    else:
        met = True
    return Mastery(
        met,
        "; ".join(r.reason for r in items),
        max(r.sessions_used for r in items),
        max(r.more_sessions_needed for r in items),
    )


# --- data-point validation ---------------------------------------------------------------------


class PointRejected(ValueError):
    """A data point that cannot be recorded: the field to fix and why."""

    def __init__(self, field: str, message: str, code: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
        self.code = code


def validate_point(
    value: float,
    *,
    scale_min: float,
    scale_max: float,
    on: date,
    goal_start: date,
    today: date,
    trials_correct: int | None = None,
    trials_total: int | None = None,
    unit: str = "",
) -> None:
    """Refuse a point dated in the future or before the goal, off its scale, or 7 of 5."""
    if scale_min > scale_max:
        raise ValueError("scale_min must not exceed scale_max")
    if on > today:
        raise PointRejected(
            "on", f"{on.isoformat()} is in the future (today is {today.isoformat()}).", "future"
        )
    if on < goal_start:
        raise PointRejected(
            "on",
            f"{on.isoformat()} is before the goal began on {goal_start.isoformat()}.",
            "before_goal_start",
        )
    if not math.isfinite(value):
        raise PointRejected("value", "The score must be a number.", "not_a_number")
    scale = f"{_with_unit(scale_min, unit)} to {_with_unit(scale_max, unit)}"
    if value > scale_max:
        raise PointRejected(
            "value",
            f"{_with_unit(value, unit)} is above the top of the scale ({scale}).",
            "above_scale",
        )
    if value < scale_min:
        raise PointRejected(
            "value",
            f"{_with_unit(value, unit)} is below the bottom of the scale ({scale}).",
            "below_scale",
        )
    if (trials_correct is None) != (trials_total is None):
        missing = "trials_total" if trials_total is None else "trials_correct"
        raise PointRejected(
            missing, "Give both the trials correct and the trials given.", "trials_incomplete"
        )
    if trials_correct is not None and trials_total is not None:
        if trials_total < 1:
            raise PointRejected(
                "trials_total", "At least one trial must have been given.", "no_trials"
            )
        if trials_correct < 0:
            raise PointRejected(
                "trials_correct", "Trials correct cannot be negative.", "negative_trials"
            )
        if trials_correct > trials_total:
            raise PointRejected(
                "trials_correct",
                f"{trials_correct} correct is more than the {trials_total} trials given.",
                "more_correct_than_given",
            )


# --- plain-language narrative ------------------------------------------------------------------


class Pronoun(StrEnum):
    SHE = "she"
    HE = "he"
    THEY = "they"


_PRONOUN_FORMS: Mapping[Pronoun, tuple[str, str, str]] = MappingProxyType(
    {
        Pronoun.SHE: ("she", "her", "is"),
        Pronoun.HE: ("he", "his", "is"),
        Pronoun.THEY: ("they", "their", "are"),
    }
)

# English templates, keyed for the Django layer to translate. Parameters are plain strings.
NARRATIVE_TEMPLATES: Mapping[str, str] = MappingProxyType(
    {
        "progress.no_data": (
            "No scores have been recorded yet for {name}'s goal of {target} by {target_when}."
        ),
        "progress.latest": "{name} {verb} {latest} on {latest_date}.",
        "progress.latest_up": (
            "{name} {verb} {latest} on {latest_date}, up from {baseline} in {baseline_when}."
        ),
        "progress.latest_down": (
            "{name} {verb} {latest} on {latest_date}, down from {baseline} in {baseline_when}."
        ),
        "progress.latest_same": (
            "{name} {verb} {latest} on {latest_date}, the same as in {baseline_when}."
        ),
        "progress.on_track": (
            "At this rate {subject} {be} on track to meet {possessive} goal of {target} "
            "by {target_when}."
        ),
        "progress.on_track_so_far": (
            "So far {subject} {be} on track to meet {possessive} goal of {target} by {target_when}."
        ),
        "progress.watching": (
            "The team will keep a close watch to see whether {subject} can meet {possessive} "
            "goal of {target} by {target_when}."
        ),
        "progress.ahead": (
            "{Subject} {be} ahead of the pace needed to meet {possessive} goal of {target} "
            "by {target_when}, so the team may set a more ambitious goal."
        ),
        "progress.behind": (
            "{Subject} {be} behind the pace needed to meet {possessive} goal of {target} "
            "by {target_when}, so the team plans to change how {subject} {be} taught."
        ),
        "progress.too_early": (
            "It is too early to tell whether {subject} will meet {possessive} goal of {target} "
            "by {target_when}."
        ),
        "progress.early_estimate": (
            "These results are early and may change as more scores come in."
        ),
    }
)


@dataclass(frozen=True, slots=True)
class Sentence:
    key: str  # a NARRATIVE_TEMPLATES key
    params: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    text: str = ""  # the English rendering


@dataclass(frozen=True, slots=True)
class Narrative:
    sentences: tuple[Sentence, ...]
    text: str


def _sentence(key: str, params: dict[str, str]) -> Sentence:
    return Sentence(key, MappingProxyType(params), NARRATIVE_TEMPLATES[key].format(**params))


def narrate(
    analysis: Analysis,
    *,
    name: str,
    pronoun: Pronoun = Pronoun.THEY,
    verb: str = "scored",
    unit: str = "",
) -> Narrative:
    """One to three plain sentences for a parent: latest score, change, and what comes next.

    `verb` and `unit` word the score: verb="read", unit="words correctly per minute".
    """
    goal = analysis.goal
    subject, possessive, be = _PRONOUN_FORMS[pronoun]
    points = analysis.points
    near = points[-1].on if points else goal.start
    # Whole numbers or one decimal for parents; the unit once, in the first sentence.
    short_unit = "%" if unit == "%" else ""
    target = _with_unit(round(goal.target_value, 1), short_unit)
    if goal.direction is Direction.DECREASE:
        target = f"{target} or fewer"
    common = {
        "name": name,
        "subject": subject,
        "Subject": subject.capitalize(),
        "possessive": possessive,
        "be": be,
        "target": target,
        "target_when": _month(goal.target_on, near=near),
        "target_on": goal.target_on.isoformat(),
    }
    if not points:
        sentence = _sentence("progress.no_data", common)
        return Narrative((sentence,), sentence.text)

    latest = points[-1]
    first = {
        "name": name,
        "verb": verb,
        "latest": _with_unit(round(latest.value, 1), unit),
        "latest_date": _month_day(latest.on),
        "latest_on": latest.on.isoformat(),
    }
    baseline = analysis.baseline
    if baseline is None or (baseline.probes and len(points) <= baseline.probes):
        key = "progress.latest"
    else:
        first["baseline"] = _with_unit(round(baseline.value, 1), short_unit)
        first["baseline_when"] = _month(baseline.on, near=latest.on)
        first["baseline_on"] = baseline.on.isoformat()
        change = _side(round(latest.value, 1), round(baseline.value, 1))
        key = {1: "progress.latest_up", -1: "progress.latest_down", 0: "progress.latest_same"}[
            change
        ]
    sentences = [_sentence(key, first)]

    headline = analysis.headline
    projection = analysis.projection
    if headline.decision is DecisionKind.INSUFFICIENT_DATA:
        status = "progress.too_early"
    elif headline.decision is DecisionKind.RAISE_GOAL:
        status = "progress.ahead"
    elif headline.decision is DecisionKind.CHANGE_INSTRUCTION:
        status = "progress.behind"
    elif projection is None:
        status = "progress.on_track_so_far"
    elif projection.will_miss:
        status = "progress.watching"
    else:
        status = "progress.on_track"
    sentences.append(_sentence(status, common))
    if headline.decision is not DecisionKind.INSUFFICIENT_DATA and headline.preliminary:
        sentences.append(_sentence("progress.early_estimate", {}))
    return Narrative(tuple(sentences), " ".join(s.text for s in sentences))
