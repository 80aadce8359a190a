"""The only write path for progress data: checked, validated, audited, in one transaction.

Every action takes the acting user first and refuses, changing nothing, when the user may not
change the student's record (404 out of sight, 403 read-only) or when the input breaks a rule
(a ValidationError keyed by the field to fix). A data point carrying a `client_key` already
recorded is a replay of an offline entry: the stored row is returned and nothing changes.
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.http import Http404
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tandem.access import audit
from tandem.access.models import User
from tandem.access.policy import Need, can
from tandem.plans.models import Goal, PlanStatus
from tandem.progress.attention import check_attention
from tandem.progress.measures import Metric, metric_for, prompts_value
from tandem.progress.models import DataPoint, PhaseChange
from tandem.progress.queries import goal_dates
from tandem.rules.goals import PromptLevel

MEASURE_FIELDS = (
    "trials_correct",
    "trials_total",
    "score",
    "percent",
    "rate_per_minute",
    "duration_seconds",
    "count",
    "rubric_level",
    "prompts",
)
_INT_FIELDS = {"trials_correct", "trials_total", "count"}
# Generous tops: a value past them is a typo, not a score.
_TOPS = {
    "rate_per_minute": 1000.0,
    "duration_seconds": 86_400.0,
    "count": 10_000.0,
    "score": 1_000_000.0,
    "trials_total": 1000.0,
}
MAX_PROMPT_TRIALS = 100


def _require_write(actor: User, student: Any) -> None:
    if not can(actor, Need.READ, student):
        raise Http404
    if not can(actor, Need.WRITE, student):
        raise PermissionDenied


def _day(d: date) -> str:
    return date_format(d, "DATE_FORMAT")


@dataclass(frozen=True, slots=True)
class Entry:
    """One data point to record: the goal, the measures taken, a note, the browser's key."""

    goal: Goal
    measures: Mapping[str, Any]
    note: str = ""
    client_key: uuid.UUID | None = None


def _clean_measures(raw: Mapping[str, Any]) -> dict[str, Any]:
    unknown = sorted(set(raw) - set(MEASURE_FIELDS))
    if unknown:
        raise ValidationError({unknown[0]: [_("This measure is not recorded here.")]})
    out: dict[str, Any] = {}
    for name in MEASURE_FIELDS:
        value = raw.get(name)
        if name == "prompts":
            value = list(value or [])
            if len(value) > MAX_PROMPT_TRIALS:
                raise ValidationError(
                    {"prompts": [_("At most %(n)s trials a session.") % {"n": MAX_PROMPT_TRIALS}]}
                )
            valid = {p.value for p in PromptLevel}
            if any(str(p) not in valid for p in value):
                raise ValidationError({"prompts": [_("Choose a prompt level for each trial.")]})
            out[name] = [str(p) for p in value]
            continue
        if value is None or value == "":
            out[name] = None
            continue
        try:
            number = float(value)
        except (TypeError, ValueError):
            raise ValidationError({name: [_("Enter a number.")]}) from None
        if not math.isfinite(number):
            raise ValidationError({name: [_("Enter a number.")]})
        if number < 0:
            raise ValidationError({name: [_("The number cannot be negative.")]})
        if name in _INT_FIELDS:
            if number != int(number):
                raise ValidationError({name: [_("Enter a whole number.")]})
            number = int(number)
        top = _TOPS.get(name)
        if top is not None and number > top:
            raise ValidationError(
                {
                    name: [
                        _("%(value)s is past the top of the scale (%(top)s).")
                        % {"value": value, "top": int(top)}
                    ]
                }
            )
        out[name] = number
    return out


def derive_value(goal: Goal, measures: Mapping[str, Any], metric: Any = None) -> float:
    """The number the rules read, in the goal's metric; ValidationError naming the field."""
    metric = metric or metric_for(goal)
    m = measures
    correct, total = m.get("trials_correct"), m.get("trials_total")
    if (correct is None) != (total is None):
        missing = "trials_total" if total is None else "trials_correct"
        raise ValidationError({missing: [_("Give both the trials correct and the trials given.")]})
    if total is not None:
        if total < 1:
            raise ValidationError({"trials_total": [_("At least one trial must have been given.")]})
        if correct > total:
            raise ValidationError(
                {
                    "trials_correct": [
                        _("%(correct)s correct is more than the %(total)s trials given.")
                        % {"correct": correct, "total": total}
                    ]
                }
            )
    if m.get("percent") is not None and m["percent"] > 100:
        raise ValidationError(
            {
                "percent": [
                    _("%(value)s%% is above the top of the scale (0%% to 100%%).")
                    % {"value": _num_text(m["percent"])}
                ]
            }
        )
    kind = metric.metric
    if (
        kind == Metric.RUBRIC
        and m.get("rubric_level") is not None
        and m["rubric_level"] > metric.scale_max
    ):
        raise ValidationError(
            {
                "rubric_level": [
                    _("Level %(value)s is above the top of the rubric (%(top)s).")
                    % {
                        "value": _num_text(m["rubric_level"]),
                        "top": _num_text(metric.scale_max),
                    }
                ]
            }
        )
    order: list[tuple[str, Any]] = []
    if kind == Metric.PERCENT:
        order = [("percent", None), ("trials", None)]
    elif kind == Metric.PROMPTS:
        order = [("prompts", None), ("percent", None), ("trials", None)]
    elif kind == Metric.RATE:
        order = [("rate_per_minute", None), ("score", None)]
    elif kind == Metric.DURATION:
        order = [("duration_seconds", None), ("score", None)]
    elif kind == Metric.COUNT:
        order = [("count", None), ("score", None)]
    elif kind == Metric.RUBRIC:
        order = [("rubric_level", None), ("score", None)]
    else:
        order = [("score", None), ("percent", None), ("trials", None), ("count", None)]
    for name, _unused in order:
        if name == "trials" and total is not None:
            return 100 * correct / total
        if name == "prompts" and m.get("prompts"):
            return prompts_value(m["prompts"], metric.allowed_prompt)
        if name not in ("trials", "prompts") and m.get(name) is not None:
            return float(m[name])
    first = metric.fields[0]
    raise ValidationError(
        {
            first: [
                _("Enter the result for this goal: %(what)s.") % {"what": str(metric.label).lower()}
            ]
        }
    )


def _num_text(x: float) -> str:
    from tandem.rules.progress import fmt_number

    return fmt_number(float(x))


def _check_goal_open(goal: Goal, taken_on: date, today: date) -> None:
    plan = goal.plan
    if plan.status != PlanStatus.ACTIVE:
        raise ValidationError(
            {
                "goal": [
                    _(
                        "This goal belongs to a plan that is %(status)s; data can only be recorded for an active plan."
                    )
                    % {"status": plan.get_status_display().lower()}
                ]
            }
        )
    if taken_on > today:
        raise ValidationError(
            {"taken_on": [_("%(day)s is in the future.") % {"day": _day(taken_on)}]}
        )
    start, _target = goal_dates(plan)
    if taken_on < start:
        raise ValidationError(
            {
                "taken_on": [
                    _("%(day)s is before the plan began on %(start)s.")
                    % {"day": _day(taken_on), "start": _day(start)}
                ]
            }
        )


def _existing(client_key: uuid.UUID | None) -> DataPoint | None:
    if client_key is None:
        return None
    return DataPoint.objects.filter(client_key=client_key).first()


def _build(actor: User, entry: Entry, taken_on: date, today: date) -> DataPoint:
    goal = entry.goal
    _check_goal_open(goal, taken_on, today)
    measures = _clean_measures(entry.measures)
    value = derive_value(goal, measures)
    note = (entry.note or "").strip()
    if len(note) > 2000:
        raise ValidationError({"note": [_("Keep the note under 2,000 characters.")]})
    point = DataPoint(
        goal=goal,
        goal_lineage=goal.lineage,
        student_id=goal.plan.student_id,
        taken_on=taken_on,
        value=value,
        note=note,
        recorded_by=actor,
        **measures,
    )
    if entry.client_key is not None:
        point.client_key = entry.client_key
    point.full_clean(exclude=["goal", "student", "recorded_by", "client_key"])
    return point


@transaction.atomic
def record_data_point(
    actor: User,
    goal: Goal,
    *,
    taken_on: date,
    measures: Mapping[str, Any],
    note: str = "",
    client_key: uuid.UUID | None = None,
    today: date | None = None,
) -> tuple[DataPoint, bool]:
    """Record one session for one goal; returns (point, created). A replay returns the stored row."""
    points = record_session(
        actor,
        taken_on=taken_on,
        entries=[Entry(goal, measures, note, client_key)],
        today=today,
    )
    return points[0]


@transaction.atomic
def record_session(
    actor: User,
    *,
    taken_on: date,
    entries: Sequence[Entry],
    today: date | None = None,
) -> list[tuple[DataPoint, bool]]:
    """Record a session for one student or a group at once: all entries or none.

    Errors are keyed "<index>.<field>" when there are several entries, "<field>" for one.
    """
    day = today or timezone.localdate()
    if not entries:
        raise ValidationError({"entries": [_("Enter at least one result.")]})
    students = {}
    for entry in entries:
        student = entry.goal.plan.student
        if student.pk not in students:
            _require_write(actor, student)
            students[student.pk] = student
    out: list[tuple[DataPoint, bool]] = []
    fresh: list[DataPoint] = []
    errors: dict[str, list[str]] = {}
    for i, entry in enumerate(entries):
        existing = _existing(entry.client_key)
        if existing is not None:
            if existing.goal_lineage != entry.goal.lineage:
                errors[_key(i, "client_key", len(entries))] = [
                    _("This entry key was already used for another goal.")
                ]
            out.append((existing, False))
            continue
        try:
            point = _build(actor, entry, taken_on, day)
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                errors[_key(i, field, len(entries))] = messages
            continue
        fresh.append(point)
        out.append((point, True))
    if errors:
        raise ValidationError(errors)
    for point in fresh:
        try:
            with transaction.atomic():
                point.save()
        except IntegrityError:
            # A replay racing the first post: the other request stored it.
            stored = DataPoint.objects.get(client_key=point.client_key)
            index = next(i for i, (p, _c) in enumerate(out) if p is point)
            out[index] = (stored, False)
            continue
        audit.record(
            actor=actor,
            action="progress.data_point_recorded",
            student=students[point.student_id],
            target=point.goal,
            detail={
                "data_point": str(point.public_id),
                "taken_on": point.taken_on.isoformat(),
                "value": point.value,
            },
        )
    for goal in {p.goal_id: p.goal for p, created in out if created}.values():
        check_attention(goal)
    return out


def _key(index: int, field: str, count: int) -> str:
    return field if count == 1 else f"{index}.{field}"


@transaction.atomic
def record_phase_change(
    actor: User,
    goal: Goal,
    *,
    changed_on: date,
    description: str,
    today: date | None = None,
) -> PhaseChange:
    """Note that instruction changed: a line on the graph, and the rules start counting again."""
    _require_write(actor, goal.plan.student)
    day = today or timezone.localdate()
    _check_goal_open(goal, changed_on, day)
    text = (description or "").strip()
    if not text:
        raise ValidationError({"description": [_("Say what changed in instruction.")]})
    if len(text) > 300:
        raise ValidationError({"description": [_("Keep it under 300 characters.")]})
    change = PhaseChange(
        goal=goal,
        goal_lineage=goal.lineage,
        student_id=goal.plan.student_id,
        changed_on=changed_on,
        description=text,
        recorded_by=actor,
    )
    change.full_clean(exclude=["goal", "student", "recorded_by"])
    change.save()
    audit.record(
        actor=actor,
        action="progress.phase_change_recorded",
        student=goal.plan.student,
        target=goal,
        detail={"changed_on": changed_on.isoformat(), "description": text},
    )
    check_attention(goal)
    return change
