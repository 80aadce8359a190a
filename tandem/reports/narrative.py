"""A goal's status for the period and a plain-language narrative, read from its progress data.

Works on PROGRESS's `GoalProgress` (`tandem.progress.queries.progress_for`): its `analysis`
(tandem.rules.progress.Analysis, or None) and `mastery` (tandem.rules.progress.Mastery, or
None). The words are Django translations, so a report drafted for a Spanish-speaking parent is
drafted in Spanish (the caller activates the parent's language). Plain Python otherwise: no
queries.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils import formats
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tandem.reports.models import GoalStatus
from tandem.rules import progress as engine


def _points(gp: Any) -> tuple[engine.Point, ...]:
    analysis = getattr(gp, "analysis", None)
    return tuple(analysis.points) if analysis is not None else ()


def status_from(gp: Any) -> str:
    """Mastered, sufficient, insufficient or not yet introduced, from the data and the rules."""
    analysis = getattr(gp, "analysis", None)
    points = _points(gp)
    if analysis is None or not points:
        return GoalStatus.NOT_INTRODUCED
    mastery = getattr(gp, "mastery", None)
    if mastery is not None and mastery.met is True:
        return GoalStatus.MASTERED
    # The engine's headline says "change instruction" only when the projection's whole 95% range
    # falls short of the target; a projection a little short, inside that range, is within the
    # scores' normal week-to-week variation and is not reported as insufficient.
    decision = analysis.headline.decision
    if decision is engine.DecisionKind.CHANGE_INSTRUCTION:
        return GoalStatus.INSUFFICIENT
    if analysis.projection is not None and analysis.projection.clearly_misses:
        return GoalStatus.INSUFFICIENT
    if decision in (engine.DecisionKind.CONTINUE, engine.DecisionKind.RAISE_GOAL):
        return GoalStatus.SUFFICIENT
    # Too few points for a rule: compare the latest score with the aim line, else the baseline.
    latest = points[-1]
    good = 1 if analysis.goal.direction is engine.Direction.INCREASE else -1
    if analysis.aim is not None:
        line = analysis.aim.value_at(engine.weeks_since(analysis.goal.start, latest.on))
        behind = good * (latest.value - line) < -1e-9
        return GoalStatus.INSUFFICIENT if behind else GoalStatus.SUFFICIENT
    return GoalStatus.SUFFICIENT


def _team_changes(analysis: Any) -> bool:
    """Say the team will change how the skill is taught only on the rules engine's decision to
    change instruction, which it gives only when the projection clearly misses the target."""
    projection = analysis.projection
    return (
        analysis.headline.decision is engine.DecisionKind.CHANGE_INSTRUCTION
        and projection is not None
        and projection.clearly_misses
    )


def _number(x: float) -> str:
    return engine.fmt_number(round(x, 1))


def _with_unit(x: float, unit: str) -> str:
    if unit == "%" or unit.startswith("/"):
        return f"{_number(x)}{unit}"
    return f"{_number(x)} {unit}".strip()


def day_words(d: date) -> str:
    # Translators: a month and day, in Django's date format syntax ("j \d\e F" in Spanish).
    return formats.date_format(d, _("F j"))


def month_words(d: date, *, near: date) -> str:
    if abs((d - near).days) > 330:
        return formats.date_format(d, _("F Y"))
    return formats.date_format(d, "F")


def _unit_of(gp: Any) -> str:
    unit = getattr(gp, "unit", "") or ""
    if not unit:
        metric = getattr(gp, "metric", None)
        unit = "%" if str(getattr(metric, "value", metric) or "") == "percent" else ""
    return str(unit)


def narrative_from(gp: Any, *, name: str, status: str) -> str:
    """Two or three sentences for a parent: where the student is, and what comes next."""
    analysis = getattr(gp, "analysis", None)
    points = _points(gp)
    unit = _unit_of(gp)
    if analysis is None or not points:
        return _(
            "Work on this goal has not started yet, so there are no scores to report for this "
            "period."
        )
    series = analysis.goal
    target = _with_unit(series.target_value, unit)
    if series.direction is engine.Direction.DECREASE:
        target = _("%(target)s or fewer") % {"target": target}
    latest = points[-1]
    common = {
        "name": name,
        "target": target,
        "when": month_words(series.target_on, near=latest.on),
        "latest": _with_unit(latest.value, unit),
        "day": day_words(latest.on),
        "count": len(points),
    }
    sentences = []
    baseline = analysis.baseline
    if baseline is None or (baseline.probes and len(points) <= baseline.probes):
        sentences.append(_("On %(day)s, %(name)s scored %(latest)s.") % common)
    else:
        params = {
            **common,
            "baseline": _with_unit(baseline.value, unit),
            "start": month_words(baseline.on, near=latest.on),
        }
        now, then = round(latest.value, 1), round(baseline.value, 1)
        change = (now > then) - (now < then)
        if change > 0:
            text = _("On %(day)s, %(name)s scored %(latest)s, up from %(baseline)s in %(start)s.")
        elif change < 0:
            text = _("On %(day)s, %(name)s scored %(latest)s, down from %(baseline)s in %(start)s.")
        else:
            text = _("On %(day)s, %(name)s scored %(latest)s, the same as in %(start)s.")
        sentences.append(text % params)

    if status == GoalStatus.MASTERED:
        sentences.append(
            _("%(name)s has met this goal: the recent scores reach the level the goal sets.")
            % common
        )
    elif status == GoalStatus.INSUFFICIENT and _team_changes(analysis):
        sentences.append(
            _(
                "At this pace %(name)s may not reach the goal of %(target)s by %(when)s, so the "
                "team is changing how this skill is taught and will keep checking."
            )
            % common
        )
    elif status == GoalStatus.INSUFFICIENT:
        sentences.append(
            _(
                "At this pace %(name)s may not reach the goal of %(target)s by %(when)s; the team "
                "will keep a close watch on the next scores."
            )
            % common
        )
    else:
        decision = analysis.headline.decision
        projection = analysis.projection
        if decision is engine.DecisionKind.RAISE_GOAL:
            sentences.append(
                _(
                    "%(name)s is ahead of the pace needed to reach the goal of %(target)s by "
                    "%(when)s; the team may suggest a more ambitious goal."
                )
                % common
            )
        elif decision is engine.DecisionKind.INSUFFICIENT_DATA:
            sentences.append(
                _(
                    "It is still early: with more scores the team will know better whether "
                    "%(name)s is on track for the goal of %(target)s by %(when)s."
                )
                % common
            )
        elif projection is not None and projection.will_miss:
            # Short at the goal date, but the target is inside the trend's 95% range.
            sentences.append(
                _(
                    "%(name)s is close to the pace needed to reach the goal of %(target)s by "
                    "%(when)s; the team will keep teaching this way and keep checking."
                )
                % common
            )
        else:
            sentences.append(
                _("%(name)s is on track to reach the goal of %(target)s by %(when)s.") % common
            )
    sentences.append(
        ngettext(
            "This report is based on %(count)s score recorded up to the end of the period.",
            "This report is based on %(count)s scores recorded up to the end of the period.",
            len(points),
        )
        % common
    )
    return " ".join(sentences)


def data_summary(gp: Any) -> dict[str, Any]:
    """The numbers the report shows and keeps for one goal (JSON-ready)."""
    analysis = getattr(gp, "analysis", None)
    points = _points(gp)
    out: dict[str, Any] = {
        "points": [[p.on.isoformat(), p.value] for p in points],
        "unit": _unit_of(gp),
    }
    if analysis is not None:
        series = analysis.goal
        out.update(
            {
                "target": series.target_value,
                "target_on": series.target_on.isoformat(),
                "direction": series.direction.value,
                "baseline": analysis.baseline.value if analysis.baseline else None,
                "decision": analysis.headline.decision.value,
                "decision_reason": analysis.headline.reason,
                "projection": analysis.projection.reason if analysis.projection else "",
            }
        )
    mastery = getattr(gp, "mastery", None)
    if mastery is not None:
        out["mastery"] = {"met": mastery.met, "reason": mastery.reason}
    words = getattr(gp, "decision_words", None) or getattr(gp, "decision", None)
    if isinstance(words, str):
        out["decision_words"] = words
    return out
