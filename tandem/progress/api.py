"""The progress API: GET /goals/{id}/progress and POST /goals/{id}/data-points."""

from __future__ import annotations

import uuid
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404
from ninja import Router, Schema, Status
from pydantic import Field

from tandem.access import audit
from tandem.access.policy import Need, access_student, parse_public_id
from tandem.api.schemas import ErrorOut
from tandem.plans.models import Goal
from tandem.progress import actions
from tandem.progress.models import DataPoint
from tandem.progress.queries import GoalProgress, progress_for

router = Router(tags=["progress"])


def _goal(user: Any, goal_id: str, need: Need = Need.READ) -> Goal:
    key = parse_public_id(goal_id)
    goal = (
        Goal.objects.select_related("plan__student__district", "plan__student__school")
        .filter(public_id=key)
        .first()
    )
    if goal is None:
        raise Http404
    goal.plan.student = access_student(user, goal.plan.student.public_id, need=need, action=None)
    return goal


def _point(p: DataPoint) -> dict[str, Any]:
    return {
        "id": str(p.public_id),
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
        "points": [_point(p) for p in gp.points],
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


@router.get("/goals/{goal_id}/progress", response={200: dict, 401: ErrorOut, 404: ErrorOut})
def goal_progress(request, goal_id: str):  # type: ignore[no-untyped-def]
    """Points, baseline, aim line, trend, the decision with its rule, and mastery."""
    goal = _goal(request.user, goal_id)
    audit.record(
        actor=request.user, action="progress.goal_viewed", student=goal.plan.student, target=goal
    )
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
    prompts: list[str] = []
    note: str = Field("", max_length=2000)
    client_key: uuid.UUID | None = None


@router.post(
    "/goals/{goal_id}/data-points",
    response={200: dict, 201: dict, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut, 422: ErrorOut},
)
def add_data_point(request, goal_id: str, payload: DataPointIn):  # type: ignore[no-untyped-def]
    """Record one session's result; a repeated client_key returns the stored point (200)."""
    goal = _goal(request.user, goal_id, Need.WRITE)
    measures = payload.dict(exclude={"taken_on", "note", "client_key"})
    measures = {k: v for k, v in measures.items() if v not in (None, [])}
    try:
        point, created = actions.record_data_point(
            request.user,
            goal,
            taken_on=payload.taken_on,
            measures=measures,
            note=payload.note,
            client_key=payload.client_key,
        )
    except ValidationError as exc:
        fields = {k: [str(m) for m in v] for k, v in exc.message_dict.items()}
        first = next(iter(fields.items()), ("request", ["invalid"]))
        return Status(
            422,
            {
                "error": {
                    "status": 422,
                    "code": "invalid",
                    "message": f"{first[0]}: {' '.join(first[1])}",
                    "fields": fields,
                }
            },
        )
    return Status(201 if created else 200, {**_point(point), "created": created})
