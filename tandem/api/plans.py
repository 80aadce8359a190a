"""The plans API (GET /students/{id}/plans, /plans/{id}, /plans/{id}/versions[/{n}])."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from ninja import Router

from tandem import audit
from tandem.access.gatekeepers import access_plan
from tandem.access.policy import access_student
from tandem.api.schemas import READ_ERRORS
from tandem.api.schemas_plans import PlanDetail, PlanSummary, VersionDetail, VersionOut
from tandem.audit.catalogue import Action
from tandem.plans import queries
from tandem.plans.models import Plan, PlanVersion

router = Router(tags=["plans"])


def _version_summary(version: PlanVersion | None) -> dict[str, Any] | None:
    if version is None:
        return None
    return {
        "number": version.number,
        "kind": version.kind,
        "created_at": version.created_at.isoformat(),
        "content_hash": version.content_hash,
    }


def _plan_summary(plan: Plan) -> dict[str, Any]:
    return {
        "id": str(plan.public_id),
        "kind": plan.kind,
        "status": plan.status,
        "meeting_date": plan.meeting_date,
        "effective_from": plan.effective_from,
        "effective_to": plan.effective_to,
        "annual_review_due": plan.annual_review_due,
        "current_version": _version_summary(plan.current_version),
    }


def _content(snapshot: dict[str, Any]) -> dict[str, Any]:
    doc = queries.readable(snapshot)
    return {
        "sections": {s["key"]: snapshot["sections"][s["key"]] for s in doc["sections"]},
        "services": [
            {k: v for k, v in s.items() if k not in ("category_label",)} for s in doc["services"]
        ],
        "accommodations": [
            {k: v for k, v in a.items() if k not in ("category_label", "places")}
            for a in doc["accommodations"]
        ],
        "modifications": [
            {k: v for k, v in a.items() if k not in ("category_label", "places")}
            for a in doc["modifications"]
        ],
        "goals": [
            {**{k: v for k, v in g.items() if k != "smart"}, "smart": g["smart"]}
            for g in doc["goals"]
        ],
    }


@router.get("/students/{student_id}/plans", response={200: list[PlanSummary], **READ_ERRORS})
def list_plans(request, student_id: str):  # type: ignore[no-untyped-def]
    """The student's IEPs and 504 Plans: kind, status, effective dates, current version."""
    student = access_student(request.user, student_id, action=None)
    audit.record(actor=request.user, action=Action.PLANS__LISTED, student=student, target=student)
    return [_plan_summary(plan) for plan in queries.plans_of_student(student)]


@router.get("/plans/{plan_id}", response={200: PlanDetail, **READ_ERRORS})
def get_plan(request, plan_id: str):  # type: ignore[no-untyped-def]
    """The full content of the plan's current version (or of its live draft)."""
    plan, _access = access_plan(request.user, plan_id)
    return {
        **_plan_summary(plan),
        "student": str(plan.student.public_id),
        "is_draft": queries.is_live_draft(plan),
        **_content(queries.current_snapshot(plan)),
    }


@router.get("/plans/{plan_id}/versions", response={200: list[VersionOut], **READ_ERRORS})
def list_versions(request, plan_id: str):  # type: ignore[no-untyped-def]
    """Every frozen version: number, kind, date, author, reason, content hash."""
    plan, _access = access_plan(request.user, plan_id)
    return [
        {
            **_version_summary(v),  # type: ignore[dict-item]
            "author": v.created_by.get_full_name() or str(v.created_by),
            "reason": v.reason,
            "amended_without_meeting": v.amended_without_meeting,
            "parent_agreement_date": v.parent_agreement_date,
        }
        for v in queries.versions_of(plan)
    ]


@router.get("/plans/{plan_id}/versions/{number}", response={200: VersionDetail, **READ_ERRORS})
def get_version(request, plan_id: str, number: int):  # type: ignore[no-untyped-def]
    """One frozen version's full content."""
    plan, _access = access_plan(request.user, plan_id, detail={"version": number})
    version = queries.version_of(plan, number)
    if version is None:
        raise Http404
    return {
        **_version_summary(version),  # type: ignore[dict-item]
        "plan": str(plan.public_id),
        "reason": version.reason,
        "author": version.created_by.get_full_name() or str(version.created_by),
        "effective_from": version.snapshot.get("plan", {}).get("effective_from"),
        "effective_to": version.snapshot.get("plan", {}).get("effective_to"),
        "annual_review_due": version.snapshot.get("plan", {}).get("annual_review_due"),
        **_content(version.snapshot),
    }
