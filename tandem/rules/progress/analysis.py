"""One goal's whole analysis: baseline, aim line, trend, projection and recommendation."""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date

from tandem.rules.progress.decisions import (
    Decision,
    Recommendation,
    _good_side,
    _no_aim_line_recommendation,
    _no_baseline_recommendation,
    recommend,
)
from tandem.rules.progress.lines import (
    AimLine,
    Baseline,
    Projection,
    TrendLine,
    aim_line,
    determine_baseline,
    fit_trend,
    project,
    two_point_roi,
)
from tandem.rules.progress.model import (
    DEFAULT_SETTINGS,
    RULE_LABELS,
    DecisionKind,
    GoalSeries,
    Point,
    ProgressSettings,
    WeekPoint,
    weeks_since,
)
from tandem.rules.progress.wording import (
    fmt_number,
)


def _clear_change_only(
    recommendation: Recommendation, projection: Projection | None
) -> Recommendation:
    """ "Change instruction" stands only when the projection's whole 95% range misses the target.

    The headline rule (trend, else the median of the last three, else the four-point rule, in
    `settings.rules` order) decides; its "change instruction" is then checked against the trend's
    uncertainty (PROGRESS.md 1.2-1.3: a decision stands when the interval excludes the aim). A
    target still inside the range, or no projection at all, is not "clearly below the aim line":
    the headline becomes "continue" with both reasons, so every page, the attention list and the
    parent's narrative read the same answer. Each rule's own verdict stays in `decisions`.
    """
    headline = recommendation.headline
    if headline.decision is not DecisionKind.CHANGE_INSTRUCTION:
        return recommendation
    if projection is not None and projection.clearly_misses:
        return recommendation
    if projection is None:
        why = "there is no projection to the goal date to confirm it"
    elif projection.low is None or projection.high is None:
        why = "the projection to the goal date has no range yet (too few points)"
    else:
        why = (
            f"the projection's 95% range ({fmt_number(projection.low)} to "
            f"{fmt_number(projection.high)}) still reaches the target of "
            f"{fmt_number(projection.target_value)}"
        )
    reason = (
        f"{headline.reason} Not clearly below the aim line: {why}, so continue and keep monitoring."
    )
    gated = Decision(
        rule=headline.rule,
        decision=DecisionKind.CONTINUE,
        reason=reason,
        preliminary=headline.preliminary,
        points_used=headline.points_used,
        more_points_needed=headline.more_points_needed,
        method=headline.method,
    )
    others = tuple(
        d
        for d in recommendation.decisions
        if d is not headline and d.decision is not DecisionKind.INSUFFICIENT_DATA
    )
    dissent = [d for d in others if d.decision is not DecisionKind.CONTINUE]
    if dissent:
        said = "; ".join(
            f"the {RULE_LABELS[d.rule].lower()} says {d.decision.value.replace('_', ' ')}"
            for d in dissent
        )
        reason = f"{reason} Also: {said}."
    return Recommendation(gated, recommendation.decisions, not dissent, reason)


# --- the whole analysis ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BandPoint:
    """One point of the trend's 95% range, for the graph: the line is low..high at `week`."""

    week: float
    low: float
    high: float


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

    @property
    def trend_band(self) -> tuple[BandPoint, ...]:
        """The trend's 95% range from the first monitoring week to the goal date, for the graph.

        Sampled at the first and last weeks, every whole week between and the mean week (where
        the range is narrowest); it ends at the projection's range at the goal date. Empty when
        there is no trend or it has fewer than 3 points. The range widens away from the data, so
        draw it as a shaded band between the lows and the highs, not as two straight lines.
        """
        trend = self.trend
        if trend is None or not self.monitoring or trend.interval_at(self.target_week) is None:
            return ()
        first = min(p.week for p in self.monitoring)
        last = max(self.target_week, first)
        weeks = {first, last, *range(math.ceil(first), math.floor(last) + 1)}
        if first <= trend.mean_week <= last:
            weeks.add(trend.mean_week)
        band = []
        for week in sorted(weeks):
            interval = trend.interval_at(week)
            assert interval is not None
            band.append(BandPoint(float(week), *interval))
        return tuple(band)


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
    elif (aim := aim_line(baseline.week, baseline.value, target_week, goal.target_value)) is None:
        # Scores only from the goal date on (or a baseline dated at or after it): a line of no
        # length, or one running backwards. An honest "cannot decide", never a crash.
        why = (
            f"no aim line can be drawn, because the baseline ({baseline.on.isoformat()}) does "
            f"not come before the goal date ({goal.target_on.isoformat()})."
        )
        recommendation = _no_aim_line_recommendation(settings, why, len(monitoring))
        warnings.append(
            f"No aim line: the baseline ({baseline.on.isoformat()}) does not come "
            f"before the goal date ({goal.target_on.isoformat()})."
        )
    else:
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
    if trend is not None and aim is not None:
        # Without an aim line the goal date is not ahead of the data: nothing to project to.
        projection = project(
            trend,
            target_week=target_week,
            target_value=goal.target_value,
            direction=goal.direction,
        )
    recommendation = _clear_change_only(recommendation, projection)
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
