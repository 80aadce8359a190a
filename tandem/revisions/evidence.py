"""Evidence attached to a request: the goal's progress data, when it can be computed."""

from __future__ import annotations

import logging
from typing import Any

from tandem.progress.queries import progress_for

log = logging.getLogger(__name__)


def progress_evidence(goal: Any) -> dict[str, Any]:
    """A JSON snapshot of the goal's progress (points, decision, mastery); {} if unavailable."""
    evidence: dict[str, Any] = {
        "goal": str(goal.public_id),
        "goal_area": goal.area,
        "goal_text": goal.text,
    }
    try:
        gp = progress_for(goal)
    except Exception:  # noqa: BLE001 - no measure or no data to analyse: keep the goal only
        log.exception("progress evidence unavailable for goal %s", goal.pk)
        return evidence
    points = []
    for row in getattr(gp, "rows", ())[-30:]:
        point = row.get("point")
        points.append(
            {
                "taken_on": str(getattr(point, "taken_on", "")),
                "value": str(row.get("value", "")),
                "aim": str(row.get("aim", "")),
                "trend": str(row.get("trend", "")),
            }
        )
    evidence.update(
        {
            "points": points,
            "decision": str(getattr(gp, "decision_words", "") or ""),
            "decision_reason": str(getattr(gp, "decision_reason", "") or ""),
            "mastery": str(getattr(gp, "mastery_words", "") or ""),
            "needs_attention": bool(getattr(gp, "needs_attention", False)),
            "attention_reason": str(getattr(gp, "attention_reason", "") or ""),
        }
    )
    return evidence
