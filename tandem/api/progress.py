"""The progress API: a goal's progress and data points; voiding and correcting a point.

GET  /goals/{id}/progress               the analysis (voided points are listed apart, never read)
GET  /goals/{id}/data-points            every point of the goal, with its status
POST /goals/{id}/data-points            record one (409 on a second point that day, unless
                                        "confirm_duplicate": true)
POST /data-points/{id}/void             void a point with a reason (kept, left out)
POST /data-points/{id}/correct          correct a point with a reason (the original kept)
"""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from ninja import Router, Schema, Status
from pydantic import Field

from tandem.access.capabilities import Cap
from tandem.access.gatekeepers import access_owned
from tandem.access.routes import writes
from tandem.api.schemas import READ_ERRORS, WRITE_ERRORS, Name, errors
from tandem.api.schemas_progress import GoalPoints, GoalProgressOut, PointOut, RecordedPoint
from tandem.audit.catalogue import Action
from tandem.core import limits
from tandem.plans.models import Goal
from tandem.progress import actions
from tandem.progress.models import DataPoint
from tandem.progress.queries import GoalProgress, goals_with_students, progress_for

router = Router(tags=["progress"])


def _goal(user: Any, goal_id: str, need: Cap, action: str | None = None) -> Goal:
    """The goal if `user` holds `need` on its student (a malformed id is not found, as absent)."""
    goal, _access = access_owned(
        user, goals_with_students(), goal_id, need=need, via="plan__student", action=action
    )
    return goal  # type: ignore[no-any-return]


def point_status(p: DataPoint) -> str:
    """active (in force), voided (a mistake undone) or superseded (replaced by a correction)."""
    if p.voided_at is None:
        return "active"
    return "superseded" if hasattr(p, "corrected_by") else "voided"


def _point(p: DataPoint, status: str | None = None) -> dict[str, Any]:
    corrects = p.corrects.public_id if p.corrects_id is not None and p.corrects else None
    return {
        "id": str(p.public_id),
        "status": status or point_status(p),
        "corrects": str(corrects) if corrects else None,
        "voided_at": p.voided_at.isoformat() if p.voided_at else None,
        "void_reason": p.void_reason or None,
        "taken_on": p.taken_on.isoformat(),
        "value": p.value,
        "trials_correct": p.trials_correct,
        "trials_total": p.trials_total,
        "score": p.score,
        "percent": p.percent,
        "rate_per_minute": p.rate_per_minute,
        "duration_seconds": p.duration_seconds,
        "count": p.count,
        "rubric_level": p.rubric_level,
        "prompts": p.prompts,
        "note": p.note,
        "client_key": str(p.client_key),
    }


def _decision(d: Any) -> dict[str, Any] | None:
    if d is None:
        return None
    return {
        "decision": d.decision.value,
        "rule": d.rule.value,
        "reason": d.reason,
        "preliminary": d.preliminary,
        "points_used": d.points_used,
        "more_points_needed": d.more_points_needed,
        "trend_method": d.method.value if d.method else None,
    }


def progress_json(gp: GoalProgress) -> dict[str, Any]:
    a = gp.analysis
    baseline = aim = trend = projection = None
    if a is not None and a.baseline is not None:
        baseline = {
            "value": a.baseline.value,
            "on": a.baseline.on.isoformat(),
            "source": a.baseline.source.value,
        }
    if a is not None and a.aim is not None:
        aim = {
            "start_week": a.aim.start_week,
            "start_value": a.aim.start_value,
            "target_week": a.aim.target_week,
            "target_value": a.aim.target_value,
            "needed_roi": a.aim.needed_roi,
        }
    if a is not None and a.trend is not None:
        trend = {
            "method": a.trend.method.value,
            "slope": a.trend.slope,
            "intercept": a.trend.intercept,
            "slope_se": a.trend.slope_se,
            "points": a.trend.points,
        }
    if a is not None and a.projection is not None:
        projection = {"value": a.projection.value, "will_miss": a.projection.will_miss}
    mastery = None
    if gp.mastery is not None:
        mastery = {
            "met": gp.mastery.met,
            "reason": gp.mastery.reason,
            "words": gp.mastery_words,
            "more_sessions_needed": gp.mastery.more_sessions_needed,
        }
    return {
        "goal": str(gp.goal.public_id),
        "lineage": str(gp.goal.lineage),
        "area": gp.goal.area,
        "metric": gp.metric.metric,
        "unit": gp.metric.unit,
        "direction": gp.metric.direction.value,
        "target": gp.metric.target,
        "start": gp.start.isoformat(),
        "target_on": gp.target_on.isoformat(),
        "state": gp.state,
        "points": [_point(p, "active") for p in gp.points],
        "voided_points": [_point(p, "voided") for p in gp.voided],
        "phase_changes": [
            {"on": c.changed_on.isoformat(), "description": c.description} for c in gp.phase_changes
        ],
        "baseline": baseline,
        "aim_line": aim,
        "trend": trend,
        "rate_of_improvement": a.trend.slope if a is not None and a.trend is not None else None,
        "projection": projection,
        "decision": _decision(gp.decision),
        "decision_words": gp.decision_words,
        "decisions": [_decision(d) for d in a.recommendation.decisions] if a else [],
        "mastery": mastery,
        "needs_attention": gp.needs_attention,
        "attention_reason": gp.attention_reason,
        "settings": {
            "four_point_min_points": gp.settings.four_point_min_points,
            "trend_min_points": gp.settings.trend_min_points,
            "median_min_points": gp.settings.median_min_points,
            "trend_method": gp.settings.trend_method.value,
        },
    }


@router.get("/goals/{goal_id}/progress", response={200: GoalProgressOut, **READ_ERRORS})
def goal_progress(request, goal_id: str):  # type: ignore[no-untyped-def]
    """Points, baseline, aim line, trend, the decision with its rule, and mastery."""
    goal = _goal(request.user, goal_id, Cap.READ, action=Action.PROGRESS__GOAL_VIEWED)
    return progress_json(progress_for(goal))


class DataPointIn(Schema):
    taken_on: date
    trials_correct: int | None = Field(None, ge=0)
    trials_total: int | None = Field(None, ge=0)
    score: float | None = None
    percent: float | None = None
    rate_per_minute: float | None = None
    duration_seconds: float | None = None
    count: int | None = Field(None, ge=0)
    rubric_level: float | None = None
    prompts: list[Name] = []
    note: str = Field("", max_length=limits.SHORT_NOTE)
    client_key: uuid.UUID | None = None
    confirm_duplicate: bool = False


class VoidIn(Schema):
    reason: str = Field("", max_length=limits.SHORT_NOTE)


class CorrectionIn(DataPointIn):
    reason: str = Field("", max_length=limits.SHORT_NOTE)


def _refused(exc: ValidationError) -> Status:
    """422 naming the field; 409 when the only refusal is a second point on the same day."""
    fields = {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
    first = next(iter(fields.items()), ("request", ["invalid"]))
    status, code = (409, "duplicate") if actions.is_duplicate_refusal(exc) else (422, "invalid")
    return Status(
        status,
        {
            "error": {
                "status": status,
                "code": code,
                "message": f"{first[0]}: {' '.join(first[1])}",
                "fields": fields,
            }
        },
    )


def _measures(payload: DataPointIn) -> dict[str, Any]:
    skip = {"taken_on", "note", "client_key", "confirm_duplicate", "reason"}
    measures = payload.dict(exclude=skip)
    return {k: v for k, v in measures.items() if v not in (None, [])}


def _changeable_point(user: Any, point_id: str) -> DataPoint:
    """A point in force, for its recorder, the case manager or a leader (404 / 403)."""
    points = DataPoint.objects.filter(voided_at__isnull=True).select_related(
        "goal__plan__student__district", "student"
    )
    point, _access = access_owned(
        user, points, point_id, need=Cap.RECORD_PROGRESS, via="student", owner=actions.CHANGED_BY
    )
    return point  # type: ignore[no-any-return]


@router.get(
    "/goals/{goal_id}/data-points",
    response={200: GoalPoints, **READ_ERRORS},
)
def list_data_points(request, goal_id: str):  # type: ignore[no-untyped-def]
    """Every point recorded for the goal (its lineage), voided and superseded ones included."""
    goal = _goal(request.user, goal_id, Cap.READ, action=Action.PROGRESS__GOAL_VIEWED)
    points = (
        DataPoint.objects.filter(goal_lineage=goal.lineage)
        .select_related("corrects", "corrected_by")
        .order_by("taken_on", "id")
    )
    return {"goal": str(goal.public_id), "points": [_point(p) for p in points]}


@router.post(
    "/goals/{goal_id}/data-points",
    response={200: RecordedPoint, 201: RecordedPoint, **WRITE_ERRORS, **errors(409)},
)
@writes(Cap.RECORD_PROGRESS)
def add_data_point(request, goal_id: str, payload: DataPointIn):  # type: ignore[no-untyped-def]
    """Record one session's result; a repeated client_key returns the stored point (200)."""
    goal = _goal(request.user, goal_id, Cap.RECORD_PROGRESS)
    try:
        point, created = actions.record_data_point(
            request.user,
            goal,
            taken_on=payload.taken_on,
            measures=_measures(payload),
            note=payload.note,
            client_key=payload.client_key,
            confirm_duplicate=payload.confirm_duplicate,
        )
    except ValidationError as exc:
        return _refused(exc)
    return Status(201 if created else 200, {**_point(point), "created": created})


@router.post(
    "/data-points/{point_id}/void",
    response={200: PointOut, **WRITE_ERRORS},
)
@writes(Cap.RECORD_PROGRESS)
def void_data_point(request, point_id: str, payload: VoidIn):  # type: ignore[no-untyped-def]
    """Void a point recorded by mistake, with the reason: kept, listed as voided, left out."""
    point = _changeable_point(request.user, point_id)
    try:
        point = actions.void_data_point(request.user, point, reason=payload.reason)
    except ValidationError as exc:
        return _refused(exc)
    return _point(point, "voided")


@router.post(
    "/data-points/{point_id}/correct",
    response={201: PointOut, **WRITE_ERRORS, **errors(409)},
)
@writes(Cap.RECORD_PROGRESS)
def correct_data_point(request, point_id: str, payload: CorrectionIn):  # type: ignore[no-untyped-def]
    """Correct a point with the reason: the original is kept (superseded), the new one names it."""
    point = _changeable_point(request.user, point_id)
    try:
        new = actions.correct_data_point(
            request.user,
            point,
            taken_on=payload.taken_on,
            measures=_measures(payload),
            note=payload.note,
            reason=payload.reason,
            confirm_duplicate=payload.confirm_duplicate,
        )
    except ValidationError as exc:
        return _refused(exc)
    return Status(201, _point(new, "active"))
