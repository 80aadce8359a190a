"""Reading progress: a goal's data through the engine, in words people can act on.

`progress_for(goal)` is what pages, PDFs (REPORTS, PORTAL) and the API read. The numbers come
from `tandem.rules.progress.analyze_goal`; this module only gathers the data (by goal lineage, so
a goal carried into a new plan keeps its history), picks the district's settings, and words the
answer in the reader's language. `progress_for_goals` does many goals in a fixed number of queries.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.db.models import QuerySet
from django.utils.formats import date_format
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tandem.plans.models import Goal, Plan, PlanStatus
from tandem.progress.graphs import goal_graph_svg, projection_words
from tandem.progress.measures import GoalMetric, metric_for
from tandem.progress.models import DataPoint, PhaseChange
from tandem.rules import progress as engine

DECISION_LABELS: Mapping[str, Any] = {
    engine.DecisionKind.CHANGE_INSTRUCTION: gettext_lazy("Change instruction"),
    engine.DecisionKind.RAISE_GOAL: gettext_lazy("Raise the goal"),
    engine.DecisionKind.CONTINUE: gettext_lazy("Continue and keep monitoring"),
    engine.DecisionKind.INSUFFICIENT_DATA: gettext_lazy("Not enough data yet"),
}

RULE_LABELS: Mapping[str, Any] = {
    engine.Rule.FOUR_POINT: gettext_lazy("Four-point rule"),
    engine.Rule.TREND: gettext_lazy("Trend rule"),
    engine.Rule.MEDIAN_OF_LAST_THREE: gettext_lazy("Median-of-last-three rule"),
}

STATE_LABELS: Mapping[str, Any] = {
    "mastered": gettext_lazy("Mastered"),
    "change_instruction": gettext_lazy("Change instruction"),
    "raise_goal": gettext_lazy("Raise the goal"),
    "continue": gettext_lazy("On track"),
    "insufficient_data": gettext_lazy("Not enough data yet"),
    "no_target": gettext_lazy("No measurable target"),
}

# USWDS tag colours per state (classes only; the words carry the meaning).
STATE_TAGS: Mapping[str, str] = {
    "mastered": "bg-green",
    "change_instruction": "bg-secondary-dark",
    "raise_goal": "bg-primary",
    "continue": "bg-green",
    "insufficient_data": "bg-base",
    "no_target": "bg-base",
}

OPEN_STATUSES = frozenset({PlanStatus.ACTIVE})


def settings_for(district_settings: Mapping[str, Any] | None) -> engine.ProgressSettings:
    """Rule settings from the district's `settings["progress"]`, defaults otherwise.

    Keys: four_point_min_points, trend_min_points, median_min_points, trend_method ("ols" or
    "tukey"). A bad value falls back to the defaults rather than breaking every graph.
    """
    raw = dict((district_settings or {}).get("progress") or {})
    allowed = {
        "four_point_min_points": int,
        "trend_min_points": int,
        "median_min_points": int,
        "trend_method": engine.TrendMethod,
    }
    values: dict[str, Any] = {}
    for key, cast in allowed.items():
        if key in raw:
            try:
                values[key] = cast(raw[key])
            except (TypeError, ValueError):
                continue
    try:
        return engine.ProgressSettings(**values)
    except (TypeError, ValueError):
        return engine.DEFAULT_SETTINGS


def goal_dates(plan: Plan) -> tuple[date, date]:
    """When the goal's plan began and the goal date (the plan's end, else a year on)."""
    start = plan.effective_from or plan.meeting_date or plan.created_at.date()
    target = plan.effective_to or plan.annual_review_due or start + timedelta(days=365)
    if target <= start:
        target = start + timedelta(days=1)
    return start, target


def fmt(value: float | None, unit: str = "") -> str:
    if value is None:
        return "–"
    text = engine.fmt_number(value)
    if unit == "%":
        return f"{text}%"
    return f"{text} {unit}".strip() if unit else text


@dataclass(frozen=True, slots=True)
class GoalProgress:
    goal: Goal
    points: tuple[DataPoint, ...]
    phase_changes: tuple[PhaseChange, ...]
    metric: GoalMetric
    start: date
    target_on: date
    analysis: engine.Analysis | None
    mastery: engine.Mastery | None
    state: str
    decision_words: str
    decision_reason: str
    mastery_words: str
    needs_attention: bool
    attention_reason: str
    settings: engine.ProgressSettings
    rows: tuple[dict[str, Any], ...] = field(default=())
    # Points voided by mistake (not those replaced by a correction): shown, never analysed.
    voided: tuple[DataPoint, ...] = field(default=())
    # The goal page's data table: `rows` and the voided points among them, struck through.
    table_rows: tuple[dict[str, Any], ...] = field(default=())

    @property
    def decision(self) -> engine.Decision | None:
        return None if self.analysis is None else self.analysis.headline

    @property
    def rule_label(self) -> str:
        d = self.decision
        return "" if d is None else str(RULE_LABELS[d.rule])

    @property
    def state_label(self) -> str:
        return str(STATE_LABELS[self.state])

    @property
    def projection_words(self) -> str:
        """The projection at the goal date with its 95% range, as the graph draws it."""
        return projection_words(self)

    @property
    def state_tag(self) -> str:
        return STATE_TAGS[self.state]

    @property
    def unit(self) -> str:
        return self.metric.unit

    @property
    def baseline_words(self) -> str:
        b = self.analysis.baseline if self.analysis else None
        if b is None:
            return _("Not yet: the baseline is the median of the first 3 points.")
        if b.source is engine.BaselineSource.ENTERED:
            return _("%(value)s, entered") % {"value": fmt(b.value, self.unit)}
        return _("%(value)s, the median of the first %(n)s points") % {
            "value": fmt(b.value, self.unit),
            "n": b.probes,
        }

    @property
    def roi_words(self) -> str:
        a = self.analysis
        if a is None or a.trend is None:
            return _("Not yet: a trend needs at least 3 points.")
        text = _("%(slope)s per week") % {"slope": _signed(a.trend.slope)}
        if a.aim is not None:
            text += " " + _("(the aim line needs %(needed)s per week)") % {
                "needed": _signed(a.aim.needed_roi)
            }
        return text

    @property
    def trend_method_label(self) -> str:
        if self.settings.trend_method is engine.TrendMethod.TUKEY:
            return _("Tukey tri-split")
        return _("ordinary least squares")

    @property
    def target_words(self) -> str:
        if self.metric.target is None:
            return _("No measurable target was found in the goal's criterion.")
        words = _("at least %(target)s by %(date)s")
        if self.metric.direction is engine.Direction.DECREASE:
            words = _("at most %(target)s by %(date)s")
        return words % {
            "target": fmt(self.metric.target, self.unit),
            "date": date_format(self.target_on, "DATE_FORMAT"),
        }

    @property
    def graph_svg(self) -> str:
        """The graph as inline SVG, safe to place in a page or a PDF."""
        return mark_safe(goal_graph_svg(self))  # noqa: S308 - our own matplotlib output

    @property
    def family_graph_svg(self) -> str:
        """The family's graph: the weeks that have data, with readable dates."""
        return mark_safe(goal_graph_svg(self, data_span=True))  # noqa: S308 - ours, as above

    @property
    def latest(self) -> DataPoint | None:
        return self.points[-1] if self.points else None

    @property
    def latest_words(self) -> str:
        p = self.latest
        if p is None:
            return ""
        return _("%(value)s on %(date)s") % {
            "value": fmt(p.value, self.unit),
            "date": date_format(p.taken_on, "SHORT_DATE_FORMAT"),
        }


def _signed(x: float) -> str:
    text = engine.fmt_number(x)
    return text if text.startswith("-") or text == "0" else f"+{text}"


def _series_points(
    points: Sequence[DataPoint], changes: Sequence[PhaseChange]
) -> tuple[engine.Point, ...]:
    """Engine points; the first point on or after each phase change starts a new phase."""
    change_days = sorted({c.changed_on for c in changes})
    out: list[engine.Point] = []
    pending = list(change_days)
    for p in sorted(points, key=lambda p: (p.taken_on, p.id or 0)):
        starts = False
        while pending and pending[0] <= p.taken_on:
            pending.pop(0)
            starts = True
        out.append(engine.Point(p.taken_on, float(p.value), starts))
    return tuple(out)


def _decision_reason(analysis: engine.Analysis, metric: GoalMetric) -> str:
    d = analysis.headline
    rule = RULE_LABELS[d.rule]
    if d.decision is engine.DecisionKind.INSUFFICIENT_DATA:
        need = d.points_used + d.more_points_needed
        if analysis.baseline is None:
            return _(
                "%(rule)s: the baseline needs the first 3 points, then the rule needs "
                "%(need)s more; %(more)s more needed."
            ) % {
                "rule": rule,
                "need": need - d.points_used,
                "more": d.more_points_needed,
            }
        return _("%(rule)s: %(have)s of %(need)s points; %(more)s more needed.") % {
            "rule": rule,
            "have": d.points_used,
            "need": need,
            "more": d.more_points_needed,
        }
    aim = analysis.aim
    unit = metric.unit
    if d.rule is engine.Rule.TREND and analysis.trend is not None and aim is not None:
        text = _(
            "%(rule)s: the trend is %(slope)s per week; the aim line needs %(needed)s per week."
        ) % {
            "rule": rule,
            "slope": _signed(analysis.trend.slope),
            "needed": _signed(aim.needed_roi),
        }
        projection = analysis.projection
        if projection is not None and projection.low is not None and projection.high is not None:
            text += " " + _(
                "At this trend the goal date would see %(value)s, with a 95%% range of %(low)s "
                "to %(high)s (target %(target)s)."
            ) % {
                "value": fmt(projection.value, unit),
                "low": fmt(projection.low, unit),
                "high": fmt(projection.high, unit),
                "target": fmt(projection.target_value, unit),
            }
        elif projection is not None:
            text += " " + _(
                "At this trend the goal date would see %(value)s (target %(target)s)."
            ) % {
                "value": fmt(projection.value, unit),
                "target": fmt(projection.target_value, unit),
            }
        return text + _not_clear_words(analysis, metric)
    mon = sorted(analysis.monitoring)
    if d.rule is engine.Rule.MEDIAN_OF_LAST_THREE and aim is not None and len(mon) >= 3:
        last = mon[-3:]
        median = statistics.median(p.value for p in last)
        line = aim.value_at(statistics.median(p.week for p in last))
        return _(
            "%(rule)s: the median of the last 3 points is %(median)s; the aim line is at "
            "%(line)s there."
        ) % {"rule": rule, "median": fmt(median, unit), "line": fmt(line, unit)} + _not_clear_words(
            analysis, metric
        )
    if d.rule is engine.Rule.FOUR_POINT and aim is not None:
        window = mon[-analysis.settings.four_point_window :]
        above = sum(p.value > aim.value_at(p.week) + 1e-9 for p in window)
        below = sum(p.value < aim.value_at(p.week) - 1e-9 for p in window)
        return _(
            "%(rule)s: of the last %(n)s points, %(above)s above and %(below)s below the aim line."
        ) % {
            "rule": rule,
            "n": len(window),
            "above": above,
            "below": below,
        } + _not_clear_words(analysis, metric)
    return str(rule)


def _not_clear_words(analysis: engine.Analysis, metric: GoalMetric) -> str:
    """Why the headline rule's own "change instruction" became "continue" (the engine's gate:
    the projection's 95% range still reaches the target), or nothing."""
    d = analysis.headline
    own = next((x for x in analysis.recommendation.decisions if x.rule is d.rule), None)
    if (
        d.decision is not engine.DecisionKind.CONTINUE
        or own is None
        or own.decision is not engine.DecisionKind.CHANGE_INSTRUCTION
    ):
        return ""
    p = analysis.projection
    if p is None or p.low is None or p.high is None:
        return " " + _(
            "Not clearly below the aim line: there is no range for the trend yet, so continue."
        )
    return " " + _(
        "Not clearly below the aim line: the target %(target)s is within the 95%% range of the "
        "trend at the goal date (%(low)s to %(high)s), so continue and keep monitoring."
    ) % {
        "target": fmt(p.target_value, metric.unit),
        "low": fmt(p.low, metric.unit),
        "high": fmt(p.high, metric.unit),
    }


def _mastery_words(
    criterion: engine.MasteryCriterion | None, mastery: engine.Mastery | None, sessions: list
) -> str:
    if criterion is None or mastery is None:
        return _("Mastery cannot be judged: the goal has no measurable criterion.")
    if mastery.met is None:
        if isinstance(criterion, engine.TrialsCorrect):
            return _("Not yet known: no session with at least %(n)s trials.") % {
                "n": criterion.total
            }
        return _("Not yet known: %(have)s of %(need)s sessions; %(more)s more needed.") % {
            "have": mastery.sessions_used,
            "need": mastery.sessions_used + mastery.more_sessions_needed,
            "more": mastery.more_sessions_needed,
        }
    met = mastery.met
    scored = sorted((s.on, s.score) for s in sessions if s.score is not None)
    if isinstance(criterion, engine.TrialsCorrect):
        params = {"correct": criterion.correct, "total": criterion.total}
        if met:
            return _("met: %(correct)s of %(total)s trials correct in the latest session") % params
        return (
            _("not met: fewer than %(correct)s of %(total)s trials correct in the latest session")
            % params
        )
    level = criterion.level  # type: ignore[attr-defined]
    at_least = level.comparison is engine.Comparison.AT_LEAST
    level_text = fmt(level.value, level.unit)
    if isinstance(criterion, engine.MOfLastN):
        hits = sum(level.met_by(v) for _d, v in scored[-criterion.n :])
        params = {"hits": hits, "n": criterion.n, "level": level_text, "m": criterion.m}
        if at_least:
            if met:
                return _("met: %(hits)s of the last %(n)s sessions at or above %(level)s") % params
            return (
                _(
                    "not met: %(hits)s of the last %(n)s sessions at or above %(level)s; %(m)s needed"
                )
                % params
            )
        if met:
            return _("met: %(hits)s of the last %(n)s sessions at or below %(level)s") % params
        return (
            _("not met: %(hits)s of the last %(n)s sessions at or below %(level)s; %(m)s needed")
            % params
        )
    if isinstance(criterion, engine.Consecutive):
        params = {"k": criterion.k, "level": level_text}
        if at_least:
            if met:
                return _("met: the last %(k)s sessions in a row at or above %(level)s") % params
            return _("not met: the last %(k)s sessions are not all at or above %(level)s") % params
        if met:
            return _("met: the last %(k)s sessions in a row at or below %(level)s") % params
        return _("not met: the last %(k)s sessions are not all at or below %(level)s") % params
    if isinstance(criterion, engine.MedianOfLast):
        last = [v for _d, v in scored[-criterion.count :]]
        params = {
            "count": criterion.count,
            "median": fmt(statistics.median(last), level.unit) if last else "–",
            "level": level_text,
        }
        if at_least:
            if met:
                return (
                    _(
                        "met: the median of the last %(count)s sessions is %(median)s, at or above %(level)s"
                    )
                    % params
                )
            return (
                _(
                    "not met: the median of the last %(count)s sessions is %(median)s, below %(level)s"
                )
                % params
            )
        if met:
            return (
                _(
                    "met: the median of the last %(count)s sessions is %(median)s, at or below %(level)s"
                )
                % params
            )
        return (
            _("not met: the median of the last %(count)s sessions is %(median)s, above %(level)s")
            % params
        )
    return _("met") if met else _("not met")


def _sessions(points: Sequence[DataPoint]) -> list[engine.Session]:
    return [
        engine.Session(p.taken_on, float(p.value), p.trials_correct, p.trials_total) for p in points
    ]


def _history(point: DataPoint, by_id: Mapping[int, DataPoint]) -> list[DataPoint]:
    """The versions a corrected point replaced, newest first (those fetched)."""
    out: list[DataPoint] = []
    seen = {point.pk}
    while point.corrects_id is not None and point.corrects_id in by_id:
        point = by_id[point.corrects_id]
        if point.pk in seen:
            break
        seen.add(point.pk)
        out.append(point)
    return out


def _data_rows(
    points: Sequence[DataPoint],
    everything: Sequence[DataPoint],
    voided: Sequence[DataPoint],
    changes: Sequence[PhaseChange],
    metric: GoalMetric,
    start: date,
    analysis: engine.Analysis | None,
) -> list[dict[str, Any]]:
    """The data table: the points in force with the aim and trend there, and the voided ones."""
    aim, trend = (analysis.aim, analysis.trend) if analysis else (None, None)
    change_days = {c.changed_on for c in changes}
    by_id = {p.pk: p for p in everything if p.pk is not None}
    rows = []
    for p in points:
        week = engine.weeks_since(start, p.taken_on)
        history = _history(p, by_id) if p.corrects_id else []
        rows.append(
            {
                "point": p,
                "value": fmt(p.value, metric.unit),
                "aim": fmt(aim.value_at(week), metric.unit) if aim else "–",
                "trend": fmt(trend.value_at(week), metric.unit) if trend else "–",
                "phase_change": p.taken_on in change_days,
                "voided": False,
                "corrected": p.corrects_id is not None,
                "history": [{"point": h, "value": fmt(h.value, metric.unit)} for h in history],
            }
        )
    for p in voided:
        rows.append(
            {
                "point": p,
                "value": fmt(p.value, metric.unit),
                "aim": "–",
                "trend": "–",
                "phase_change": False,
                "voided": True,
                "corrected": False,
                "history": [],
            }
        )
    rows.sort(key=lambda r: (r["point"].taken_on, r["point"].id or 0))
    return rows


def build_progress(
    goal: Goal,
    points: Sequence[DataPoint],
    changes: Sequence[PhaseChange],
    settings: engine.ProgressSettings,
) -> GoalProgress:
    """The whole reading of one goal from rows already fetched (no queries).

    Voided points (a mistake undone, or a version replaced by a correction) are never read by
    the engine; those voided outright are kept in `voided` and in the table's rows.
    """
    metric = metric_for(goal)
    start, target_on = goal_dates(goal.plan)
    everything = tuple(sorted(points, key=lambda p: (p.taken_on, p.id or 0)))
    replaced = {p.corrects_id for p in everything if p.corrects_id is not None}
    points = tuple(p for p in everything if p.voided_at is None)
    voided = tuple(p for p in everything if p.voided_at is not None and p.pk not in replaced)
    changes = tuple(sorted(changes, key=lambda c: (c.changed_on, c.id or 0)))
    if points and points[0].taken_on < start:
        start = points[0].taken_on
        if target_on <= start:
            target_on = start + timedelta(days=1)
    analysis = None
    if metric.target is not None:
        series = engine.GoalSeries(
            points=_series_points(points, changes),
            start=start,
            target_on=target_on,
            target_value=metric.target,
            direction=metric.direction,
        )
        analysis = engine.analyze_goal(series, settings)
    sessions = _sessions(points)
    mastery = None
    if metric.mastery is not None:
        mastery = engine.evaluate_mastery(metric.mastery, sessions)
    mastery_words = _mastery_words(metric.mastery, mastery, sessions)

    if analysis is None:
        state, decision_words = "no_target", str(STATE_LABELS["no_target"])
        reason = _("The goal's criterion has no number the data can be checked against.")
    else:
        d = analysis.headline
        state = d.decision.value
        label = DECISION_LABELS[d.decision]
        if (
            d.decision is engine.DecisionKind.RAISE_GOAL
            and metric.direction is engine.Direction.DECREASE
        ):
            label = _("Make the goal more ambitious (a lower target)")
        if d.decision is engine.DecisionKind.INSUFFICIENT_DATA:
            decision_words = str(label)
        else:
            decision_words = _("%(decision)s (%(rule)s)") % {
                "decision": label,
                "rule": RULE_LABELS[d.rule],
            }
        reason = _decision_reason(analysis, metric)
    if mastery is not None and mastery.met:
        state = "mastered"

    attention, attention_reason = False, ""
    if analysis is not None and state != "mastered":
        d = analysis.headline
        if d.decision is engine.DecisionKind.CHANGE_INSTRUCTION:
            attention = True
            attention_reason = _("The data say to change instruction.")
        elif (
            d.decision is not engine.DecisionKind.INSUFFICIENT_DATA
            and analysis.projection is not None
            # Only a clear miss (the whole 95% range short of the target) is "will not be met".
            and analysis.projection.clearly_misses
        ):
            attention = True
            attention_reason = _("At the current trend the goal will not be met by %(date)s.") % {
                "date": date_format(target_on, "DATE_FORMAT")
            }

    table = _data_rows(points, everything, voided, changes, metric, start, analysis)
    rows = [r for r in table if not r["voided"]]
    return GoalProgress(
        goal=goal,
        points=points,
        phase_changes=changes,
        metric=metric,
        start=start,
        target_on=target_on,
        analysis=analysis,
        mastery=mastery,
        state=state,
        decision_words=decision_words,
        decision_reason=reason,
        mastery_words=mastery_words,
        needs_attention=attention,
        attention_reason=attention_reason,
        settings=settings,
        rows=tuple(rows),
        voided=voided,
        table_rows=tuple(table),
    )


def progress_for_goals(goals: Iterable[Goal]) -> list[GoalProgress]:
    """Many goals in three queries (goals should come with plan__student__district)."""
    goals = list(goals)
    if not goals:
        return []
    lineages = {g.lineage for g in goals}
    by_lineage: dict[Any, list[DataPoint]] = defaultdict(list)
    for p in DataPoint.objects.filter(goal_lineage__in=lineages).order_by("taken_on", "id"):
        by_lineage[p.goal_lineage].append(p)
    changes: dict[Any, list[PhaseChange]] = defaultdict(list)
    for c in PhaseChange.objects.filter(goal_lineage__in=lineages).order_by("changed_on", "id"):
        changes[c.goal_lineage].append(c)
    settings_cache: dict[int, engine.ProgressSettings] = {}
    out = []
    for goal in goals:
        district = goal.plan.student.district
        if district.pk not in settings_cache:
            settings_cache[district.pk] = settings_for(district.settings)
        out.append(
            build_progress(
                goal, by_lineage[goal.lineage], changes[goal.lineage], settings_cache[district.pk]
            )
        )
    return out


def progress_for(goal: Goal) -> GoalProgress:
    """One goal's progress: points, baseline, aim and trend lines, decision, mastery."""
    return progress_for_goals([goal])[0]


def goals_with_students() -> QuerySet[Goal]:
    """Goals with what their pages read: the student, the student's school and district."""
    return Goal.objects.select_related("plan__student__district", "plan__student__school")


def goals_of_student(student: Any) -> list[Goal]:
    """The goals of the student's active plans (one query)."""
    return list(
        Goal.objects.filter(plan__student=student, plan__status=PlanStatus.ACTIVE)
        .select_related("plan__student__district")
        .order_by("plan__kind", "id")
    )
