"""The only write path for progress data: checked, validated, audited, in one transaction.

Every action takes the acting user first and refuses, changing nothing, when the user does not
hold RECORD_PROGRESS on the student (404 out of sight, 403 without it) or when the input breaks a rule
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
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tandem import audit
from tandem.access.capabilities import Cap
from tandem.access.gatekeepers import DATA_POINT_CHANGER, is_owner
from tandem.access.policy import Access, require
from tandem.accounts.models import User
from tandem.audit.catalogue import Action
from tandem.core import clock, limits
from tandem.plans.models import Goal, PlanStatus
from tandem.progress.attention import check_attention
from tandem.progress.measures import Metric, metric_for, prompts_value
from tandem.progress.models import DataPoint, PhaseChange
from tandem.progress.queries import fmt, goal_dates
from tandem.rules.goals import PromptLevel
from tandem.rules.progress import fmt_number

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
MAX_REASON = 500
# Who may void or correct a point: the person who recorded it, else whoever holds MANAGE_TEAM
# (the case manager, the team's LEA representative) or leads the school or district.
CHANGED_BY = DATA_POINT_CHANGER
# The error key of a second point on the same goal and day, asked to be confirmed.
CONFIRM_DUPLICATE = "confirm_duplicate"


def _day(d: date) -> str:
    return date_format(d, "DATE_FORMAT")


@dataclass(frozen=True, slots=True)
class Entry:
    """One data point to record: the goal, the measures taken, a note, the browser's key."""

    goal: Goal
    measures: Mapping[str, Any]
    note: str = ""
    client_key: uuid.UUID | None = None
    confirm_duplicate: bool = False


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
    if len(note) > limits.SHORT_NOTE:
        raise ValidationError({"note": [_("Keep the note under 2,000 characters.")]})
    if "\x00" in note:  # the offline queue posts JSON, which no form field has checked
        raise ValidationError(
            {"note": [_("The note holds a NUL character, which cannot be kept.")]}
        )
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
    confirm_duplicate: bool = False,
    today: date | None = None,
) -> tuple[DataPoint, bool]:
    """Record one session for one goal; returns (point, created). A replay returns the stored row.

    A second point on the same goal and day is refused (key `confirm_duplicate`) unless confirmed.
    """
    points = record_session(
        actor,
        taken_on=taken_on,
        entries=[Entry(goal, measures, note, client_key, confirm_duplicate)],
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
    day = today or clock.today()
    if not entries:
        raise ValidationError({"entries": [_("Enter at least one result.")]})
    students = {}
    for entry in entries:
        student = entry.goal.plan.student
        if student.pk not in students:
            require(actor, student, Cap.RECORD_PROGRESS)
            students[student.pk] = student
    out: list[tuple[DataPoint, bool]] = []
    fresh: list[DataPoint] = []
    errors: dict[str, list[str]] = {}
    recorded = _recorded_on({e.goal.lineage for e in entries}, taken_on)
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
        same_day = recorded[point.goal_lineage]
        if same_day and not entry.confirm_duplicate:
            errors[_key(i, CONFIRM_DUPLICATE, len(entries))] = [_duplicate_message(same_day)]
            continue
        same_day.append(point)
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
            action=Action.PROGRESS__DATA_POINT_RECORDED,
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


def _recorded_on(lineages: set[uuid.UUID], day: date) -> dict[uuid.UUID, list[DataPoint]]:
    """The points in force on `day` for each goal lineage (voided ones do not count)."""
    out: dict[uuid.UUID, list[DataPoint]] = {lineage: [] for lineage in lineages}
    points = DataPoint.objects.filter(
        goal_lineage__in=lineages, taken_on=day, voided_at__isnull=True
    ).select_related("goal__plan")
    for point in points.order_by("id"):
        out[point.goal_lineage].append(point)
    return out


def _duplicate_message(same_day: Sequence[DataPoint]) -> str:
    """ "A point for <day> is already recorded (45%). Record a second one?" """
    first = same_day[0]
    unit = metric_for(first.goal).unit if first.goal is not None else ""
    values = ", ".join(fmt(p.value, unit) for p in same_day)
    return _(
        "A point for %(day)s is already recorded (%(values)s). Record a second one? "
        "Tick the box to confirm."
    ) % {"day": _day(first.taken_on), "values": values}


def is_duplicate_refusal(error: ValidationError) -> bool:
    """Whether the only thing refused is a second point on the same day (API: 409)."""
    keys = set(getattr(error, "error_dict", {}))
    return bool(keys) and all(k.rpartition(".")[2] == CONFIRM_DUPLICATE for k in keys)


# --- undoing a mistake: void and correct ----------------------------------------------------------


def _changeable(actor: User, point_id: int) -> tuple[DataPoint, Access]:
    """The point locked for change, if `actor` may change it (404 / 403 as the gatekeepers)."""
    point = (
        DataPoint.objects.select_for_update(of=("self",))
        .select_related("goal__plan__student", "student")
        .get(pk=point_id)
    )
    decision = require(actor, point.student, Cap.RECORD_PROGRESS)
    unless = CHANGED_BY.unless
    may = decision.is_leader or (unless is not None and decision.has(unless))
    if not may and not is_owner(actor, point, CHANGED_BY.field):
        raise PermissionDenied
    if point.voided_at is not None:
        raise ValidationError(
            {
                "data_point": [
                    _("This point was already voided on %(day)s; nothing was changed.")
                    % {"day": _day(point.voided_at.date())}
                ]
            }
        )
    return point, decision


def _reason(text: str | None) -> str:
    reason = (text or "").strip()
    if not reason:
        raise ValidationError({"reason": [_("Say why: the reason is kept with the record.")]})
    if len(reason) > MAX_REASON:
        raise ValidationError(
            {"reason": [_("Keep the reason under %(n)s characters.") % {"n": MAX_REASON}]}
        )
    return reason


def _void(actor: User, point: DataPoint, reason: str) -> None:
    point.voided_at = clock.now()
    point.voided_by = actor
    point.void_reason = reason
    point.save(update_fields=["voided_at", "voided_by", "void_reason"])


def _summary(point: DataPoint) -> dict[str, Any]:
    return {"taken_on": point.taken_on.isoformat(), "value": point.value, "note": point.note}


@transaction.atomic
def void_data_point(actor: User, point: DataPoint, *, reason: str) -> DataPoint:
    """Void a point recorded by mistake: kept, struck through, out of every analysis."""
    point, _decision = _changeable(actor, point.pk)
    text = _reason(reason)
    _void(actor, point, text)
    audit.record(
        actor=actor,
        action=Action.DATA_POINT__VOIDED,
        student=point.student,
        target=point.goal,
        detail={"data_point": str(point.public_id), **_summary(point), "reason": text},
    )
    if point.goal is not None:
        check_attention(point.goal)
    return point


@transaction.atomic
def correct_data_point(
    actor: User,
    point: DataPoint,
    *,
    taken_on: date,
    measures: Mapping[str, Any],
    note: str = "",
    reason: str,
    confirm_duplicate: bool = False,
    today: date | None = None,
) -> DataPoint:
    """Correct a point's date, measures or note: the original is kept (voided, with the reason)
    and the corrected point names it in `corrects`."""
    point, _decision = _changeable(actor, point.pk)
    text = _reason(reason)
    goal = point.goal
    if goal is None:
        raise ValidationError(
            {"data_point": [_("This point's goal was removed from the plan; void it instead.")]}
        )
    new = _build(actor, Entry(goal, measures, note), taken_on, today or clock.today())
    if (new.taken_on, new.value, new.note) == (point.taken_on, point.value, point.note) and all(
        getattr(new, name) == getattr(point, name) for name in MEASURE_FIELDS
    ):
        raise ValidationError(
            {"__all__": [_("Nothing was changed: change the date, the result or the note.")]}
        )
    recorded = _recorded_on({goal.lineage}, new.taken_on)[goal.lineage]
    same_day = [p for p in recorded if p.pk != point.pk]
    if same_day and not confirm_duplicate:
        raise ValidationError({CONFIRM_DUPLICATE: [_duplicate_message(same_day)]})
    _void(actor, point, text)
    new.corrects = point
    new.save()
    audit.record(
        actor=actor,
        action=Action.DATA_POINT__CORRECTED,
        student=point.student,
        target=goal,
        detail={
            "data_point": str(new.public_id),
            "corrects": str(point.public_id),
            "before": _summary(point),
            "after": _summary(new),
            "reason": text,
        },
    )
    check_attention(goal)
    return new


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
    require(actor, goal.plan.student, Cap.RECORD_PROGRESS)
    day = today or clock.today()
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
        action=Action.PROGRESS__PHASE_CHANGE_RECORDED,
        student=goal.plan.student,
        target=goal,
        detail={"changed_on": changed_on.isoformat(), "description": text},
    )
    check_attention(goal)
    return change
