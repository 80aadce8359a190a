"""A plan as plain JSON (`snapshot_of`) and the hash that seals it (`content_hash`): what every
version of a plan freezes, and what the pages compare versions by.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from datetime import date
from typing import Any

from tandem.plans.actions_common import ACCOMMODATION_FIELDS, GOAL_FIELDS, SERVICE_FIELDS
from tandem.plans.models import Goal, Plan


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def snapshot_of(plan: Plan) -> dict[str, Any]:
    """Every section, service, accommodation and goal of the plan, as plain JSON."""
    return {
        "plan": {
            "kind": plan.kind,
            "meeting_date": _iso(plan.meeting_date),
            "effective_from": _iso(plan.effective_from),
            "effective_to": _iso(plan.effective_to),
            "annual_review_due": _iso(plan.annual_review_due),
        },
        "sections": {s.key: s.content for s in plan.sections.order_by("key")},
        "services": [
            {"lineage": str(s.lineage), **{f: _iso(getattr(s, f)) for f in SERVICE_FIELDS}}
            for s in plan.services.order_by("category", "name", "lineage")
        ],
        "accommodations": [
            {
                "lineage": str(a.lineage),
                **{
                    f: _iso(getattr(a, f)) for f in ACCOMMODATION_FIELDS if f != "responsible_staff"
                },
                "responsible_staff": a.responsible_staff_id,
            }
            for a in plan.accommodations.order_by("kind", "category", "lineage")
        ],
        "goals": [
            _goal_snapshot(g)
            for g in plan.goals.prefetch_related("objectives").order_by("area", "lineage")
        ],
    }


def _goal_snapshot(goal: Goal) -> dict[str, Any]:
    out: dict[str, Any] = {
        "lineage": str(goal.lineage),
        **{f: getattr(goal, f) for f in GOAL_FIELDS},
    }
    # Short-term objectives (tandem.goals) are frozen with their goal; a goal without any keeps
    # the shape (and the hash) it always had.
    objectives = [o.text for o in goal.objectives.all()]  # type: ignore[attr-defined]
    if objectives:
        out["objectives"] = objectives
    return out


def content_hash(snapshot: Mapping[str, Any]) -> str:
    """SHA-256 of the canonical JSON of a snapshot."""
    canonical = json.dumps(snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()
