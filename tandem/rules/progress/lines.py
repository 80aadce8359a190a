"""Baseline, aim line, trend lines (OLS and Tukey), rate of improvement and projection."""

from __future__ import annotations

import math
import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from tandem.rules.progress.model import (
    BaselineSource,
    Direction,
    Point,
    TrendMethod,
    WeekPoint,
    weeks_since,
)
from tandem.rules.progress.wording import (
    _close,
    _signed,
    _values,
    fmt_number,
)

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


def aim_line(
    start_week: float, start_value: float, target_week: float, target_value: float
) -> AimLine | None:
    """The aim line, or None when it would have no length: the baseline is not before the goal
    date (scores recorded after the goal date, an entered baseline dated at or after it).

    A line needs two different weeks; drawing one backwards in time would give a slope with the
    wrong sign and a decision to match, so there is no aim line and the rules cannot decide.
    """
    if not (math.isfinite(start_week) and math.isfinite(target_week)):
        return None
    if not target_week > start_week:
        return None
    return AimLine(start_week, start_value, target_week, target_value)


# --- trend lines -------------------------------------------------------------------------------


# Two-sided 95% Student t critical values by degrees of freedom (any statistics table). Between
# rows the smaller df is used: its value is larger, so the range is never drawn too narrow.
TREND_CONFIDENCE = 0.95
_T_95: tuple[tuple[int, float], ...] = (
    (1, 12.706),
    (2, 4.303),
    (3, 3.182),
    (4, 2.776),
    (5, 2.571),
    (6, 2.447),
    (7, 2.365),
    (8, 2.306),
    (9, 2.262),
    (10, 2.228),
    (11, 2.201),
    (12, 2.179),
    (13, 2.160),
    (14, 2.145),
    (15, 2.131),
    (16, 2.120),
    (17, 2.110),
    (18, 2.101),
    (19, 2.093),
    (20, 2.086),
    (21, 2.080),
    (22, 2.074),
    (23, 2.069),
    (24, 2.064),
    (25, 2.060),
    (26, 2.056),
    (27, 2.052),
    (28, 2.048),
    (29, 2.045),
    (30, 2.042),
    (40, 2.021),
    (60, 2.000),
    (120, 1.980),
)


def t_critical(df: int) -> float:
    """The two-sided 95% Student t value for `df` degrees of freedom (table, rounded down in df)."""
    if df < 1:
        raise ValueError("a t value needs at least 1 degree of freedom")
    value = _T_95[0][1]
    for row_df, row_value in _T_95:
        if row_df > df:
            break
        value = row_value
    return value


@dataclass(frozen=True, slots=True)
class TrendLine:
    """A trend line, with what its 95% range needs: the scatter of the points around it.

    `residual_sd` is the standard error of estimate, sqrt(SSE / (n - 2)), from 3 points. For OLS
    the standard error of the line's value at week t is the textbook
    residual_sd * sqrt(1/n + (t - mean_week)^2 / sxx) and the slope's is residual_sd / sqrt(sxx)
    (PROGRESS.md 1.3). A Tukey line has no closed-form standard error; the same formulas are
    applied to the scatter around it, an approximation that keeps both methods honest about noise.
    """

    method: TrendMethod
    slope: float  # rate of improvement, units per week
    intercept: float  # value at week 0 (the goal start)
    points: int
    slope_se: float | None = None  # OLS with at least 3 points
    residual_sd: float | None = None  # from 3 points
    mean_week: float = 0.0
    sxx: float = 0.0  # sum of squared distances of the weeks from their mean

    def value_at(self, week: float) -> float:
        return self.intercept + self.slope * week

    @property
    def _t(self) -> float | None:
        if self.residual_sd is None or self.points < 3 or self.sxx <= 0:
            return None
        return t_critical(self.points - 2)

    def value_se_at(self, week: float) -> float | None:
        """The standard error of the line's value at `week`; None without 3 points."""
        if self._t is None or self.residual_sd is None:
            return None
        spread = 1 / self.points + (week - self.mean_week) ** 2 / self.sxx
        return self.residual_sd * math.sqrt(spread)

    def interval_at(self, week: float) -> tuple[float, float] | None:
        """The 95% range of the line's value at `week` (low, high); None without 3 points."""
        se, t = self.value_se_at(week), self._t
        if se is None or t is None:
            return None
        value = self.value_at(week)
        return (value - t * se, value + t * se)

    @property
    def slope_half_width(self) -> float | None:
        """Half the width of the slope's 95% range; None without 3 points."""
        t = self._t
        if t is None or self.residual_sd is None:
            return None
        return t * self.residual_sd / math.sqrt(self.sxx)


def _scatter(points: Sequence[WeekPoint], slope: float, intercept: float) -> float | None:
    n = len(points)
    if n < 3:
        return None
    sse = math.fsum((p.value - (intercept + slope * p.week)) ** 2 for p in points)
    return math.sqrt(sse / (n - 2))


def _week_spread(points: Sequence[WeekPoint]) -> tuple[float, float]:
    mean = math.fsum(p.week for p in points) / len(points)
    return mean, math.fsum((p.week - mean) ** 2 for p in points)


def ols_trend(points: Sequence[WeekPoint]) -> TrendLine:
    """Least-squares line, with the standard error of the slope from 3 points (PROGRESS 1.3)."""
    n = len(points)
    if n < 2:
        raise ValueError("an OLS trend needs at least 2 points")
    t_mean, sxx = _week_spread(points)
    y_mean = math.fsum(p.value for p in points) / n
    if sxx <= 0:
        raise ValueError("an OLS trend needs points in at least two different weeks")
    sxy = math.fsum((p.week - t_mean) * (p.value - y_mean) for p in points)
    slope = sxy / sxx
    intercept = y_mean - slope * t_mean
    residual_sd = _scatter(points, slope, intercept)
    slope_se = None if residual_sd is None else residual_sd / math.sqrt(sxx)
    return TrendLine(TrendMethod.OLS, slope, intercept, n, slope_se, residual_sd, t_mean, sxx)


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
    intercept = y_left - slope * x_left
    mean, sxx = _week_spread(points)
    residual_sd = _scatter(points, slope, intercept)
    return TrendLine(TrendMethod.TUKEY, slope, intercept, n, None, residual_sd, mean, sxx)


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
    """The trend's value at the goal date, against the target, with its 95% range."""

    week: float
    value: float  # the trend's value at the target week
    target_value: float
    direction: Direction
    will_miss: bool  # the projected value itself falls short of the target
    reason: str
    low: float | None = None  # the 95% range of the projected value (None without 3 points)
    high: float | None = None
    clearly_misses: bool = False  # the whole 95% range falls short of the target


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
    interval = trend.interval_at(target_week)
    low, high = interval if interval is not None else (None, None)
    shown = ""
    clearly = False  # without a range (2 points) nothing is clear
    within = False
    if low is not None and high is not None:
        # The far end of the range, on the good side: does even it fall short of the target?
        best = high if direction is Direction.INCREASE else low
        clearly = (
            will_miss
            and not _close(best, target_value)
            and (best < target_value if direction is Direction.INCREASE else best > target_value)
        )
        within = will_miss and not clearly
        if not _close(low, high):
            shown = f" ({TREND_CONFIDENCE:.0%} range {fmt_number(low)} to {fmt_number(high)})"
    if within:
        verdict = (
            "it may fall short, but the target is within the range of the projection, so the "
            "shortfall is within the normal week-to-week variation of the scores"
        )
    elif will_miss:
        verdict = "the goal will not be met by the goal date"
    else:
        verdict = "on track to meet the goal by the goal date"
    reason = (
        f"At the current trend ({_signed(trend.slope)} per week, {trend.method.value.upper()}) "
        f"the projected score at the goal date is {fmt_number(value)}{shown}, {side} the target "
        f"of {fmt_number(target_value)}{goal_kind}: {verdict}."
    )
    return Projection(
        target_week, value, target_value, direction, will_miss, reason, low, high, clearly
    )
