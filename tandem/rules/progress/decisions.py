"""The decision rules (four-point, median of the last three, trend) and their combination."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from tandem.rules.progress.lines import (
    AimLine,
    fit_trend,
    project,
)
from tandem.rules.progress.model import (
    DEFAULT_SETTINGS,
    RULE_LABELS,
    DecisionKind,
    Direction,
    ProgressSettings,
    Rule,
    TrendMethod,
    WeekPoint,
)
from tandem.rules.progress.wording import (
    _close,
    _signed,
    _values,
    fmt_number,
)

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
    """Median of the 3 latest points against the aim line at their median week (NCII).

    The week judged is the median of the three points' weeks, i.e. the week of the middle point
    (weekly probes: the week before the latest). PROGRESS.md 1.1 leaves "that week" open; the
    middle point's week is where a median of three scores belongs in time, so the score and the
    aim line are compared at the same moment.
    """
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
        f"{fmt_number(week)}{_goal_kind(direction)}; {_action_words(kind, direction)}. "
        "The rule is judged at the week of the middle point (the median of the three weeks)."
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
    """Trend against the aim line (NCRTI): a change only when the trend is clearly below it.

    Two comparisons, each with a band that is the larger of a set tolerance and the 95% range
    the scores themselves give (PROGRESS.md 1.2-1.3: the decision stands only when the
    SE_b-based interval excludes the needed ROI):

    1. the slope against the needed ROI: band = max(tolerance, t * SE of the slope);
    2. if the slope is in line, the projection at the goal date against the target:
       band = max(level tolerance, t * SE of the line's value at the goal date).

    A slope or projection inside its band is within the measure's normal week-to-week
    variation: "continue", however the point estimate falls. t is the two-sided 95% Student t
    for n - 2 degrees of freedom.
    """
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
    slope_range = trend.slope_half_width or 0.0
    slope_band = max(tolerance, slope_range)
    level_range = 0.0
    if projection.low is not None and projection.high is not None:
        level_range = (projection.high - projection.low) / 2
    level_band = max(level_tolerance, level_range)

    se = "" if trend.slope_se is None else f" (standard error {fmt_number(trend.slope_se)})"
    trend_text = f"the trend ({method.value.upper()}) is {_signed(trend.slope)} per week{se}"
    if slope_range > tolerance and not _close(slope_range, tolerance):
        band_text = (
            f"±{fmt_number(slope_band)}: the slope's 95% range, wider than the tolerance of "
            f"±{fmt_number(tolerance)}"
        )
    else:
        band_text = f"tolerance ±{fmt_number(tolerance)}"
    needed = f"the {_signed(roi)} per week the aim line needs ({band_text})"
    level_wide = level_range > level_tolerance and not _close(level_range, level_tolerance)
    if ahead_by < -slope_band and not _close(ahead_by, -slope_band):
        kind = DecisionKind.CHANGE_INSTRUCTION
        comparison = f"{trend_text}, short of {needed}"
    elif ahead_by > slope_band and not _close(ahead_by, slope_band):
        kind = DecisionKind.RAISE_GOAL
        comparison = f"{trend_text}, ahead of {needed}"
    elif short_by > level_band and not _close(short_by, level_band):
        kind = DecisionKind.CHANGE_INSTRUCTION
        allowed = (
            f"more than its 95% range (±{fmt_number(level_band)}) and the level tolerance "
            f"({fmt_number(level_tolerance)})"
            if level_wide
            else f"more than the level tolerance of {fmt_number(level_tolerance)}"
        )
        comparison = (
            f"{trend_text}, in line with {needed}, but the line runs well short of the target: "
            f"the projection misses it by {fmt_number(short_by)}, {allowed}"
        )
    else:
        kind = DecisionKind.CONTINUE
        comparison = f"{trend_text}, in line with {needed}"
        if short_by > 0 and not _close(short_by, 0):
            within = (
                f"within its 95% range (±{fmt_number(level_band)})"
                if level_wide
                else f"within the level tolerance of {fmt_number(level_tolerance)}"
            )
            comparison += (
                f"; the projection falls short of the target by {fmt_number(short_by)}, "
                f"{within}: not clearly below the aim line"
            )
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


def _no_aim_line_recommendation(settings: ProgressSettings, why: str, have: int) -> Recommendation:
    """Every rule compares points with the aim line; without one, none can decide.

    More points would not help (the line is missing because of the dates), so no rule asks for
    a number of them: the answer is "not enough data" with the reason, never an error.
    """
    decisions = tuple(
        Decision(
            rule=rule,
            decision=DecisionKind.INSUFFICIENT_DATA,
            reason=f"{RULE_LABELS[rule]}: not enough data for a decision: {why}",
            preliminary=True,
            points_used=have,
            more_points_needed=0,
            method=settings.trend_method if rule is Rule.TREND else None,
        )
        for rule in settings.rules
    )
    return _combine(decisions)
