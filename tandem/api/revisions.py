"""The revisions API: GET and POST /students/{id}/revision-requests, through the access policy."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from ninja import Router, Schema, Status
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import Field

from tandem import audit
from tandem.access.capabilities import Cap
from tandem.access.policy import access_student
from tandem.access.routes import writes
from tandem.api.schemas import READ_ERRORS, WRITE_ERRORS
from tandem.audit.catalogue import Action
from tandem.core import limits
from tandem.revisions import actions
from tandem.revisions.evidence import progress_evidence
from tandem.revisions.models import RevisionRequest
from tandem.revisions.queries import for_student, goal_of

router = Router(tags=["revisions"])


class RevisionIn(Schema):
    reason: str = Field(
        ..., min_length=1, max_length=limits.NOTE, description="Why revise the plan"
    )
    proposed_change: str = Field(
        "", max_length=limits.NOTE, description="What the requester would change"
    )
    goal: str | None = Field(
        None, max_length=limits.SEARCH, description="A goal's id: its progress data is attached"
    )


class RevisionOut(Schema):
    id: UUID
    student: UUID
    status: str
    status_label: str
    source: str
    reason: str
    proposed_change: str
    goal: UUID | None
    # the goal's progress when the request was made, as the progress API gave it then
    evidence: dict[str, Any]
    created_at: datetime
    acknowledged_at: datetime | None
    resolved_at: datetime | None
    meeting: UUID | None
    outcome_note: str
    # A decline's prior written notice (its seven elements are on the notice's page and PDF);
    # the free text is kept for requests declined before notices had their elements.
    notice: UUID | None
    prior_written_notice: str
    # An amendment's answer: the plan version it made.
    amendment_version: int | None


def _out(rr: RevisionRequest) -> dict[str, Any]:
    return {
        "id": str(rr.public_id),
        "student": str(rr.student.public_id),
        "status": rr.status,
        "status_label": str(rr.get_status_display()),
        "source": rr.source,
        "reason": rr.reason,
        "proposed_change": rr.proposed_change,
        "goal": str(rr.goal.public_id) if rr.goal_id else None,
        "evidence": rr.evidence,
        "created_at": rr.created_at.isoformat(),
        "acknowledged_at": rr.acknowledged_at.isoformat() if rr.acknowledged_at else None,
        "resolved_at": rr.resolved_at.isoformat() if rr.resolved_at else None,
        "meeting": str(rr.meeting.public_id) if rr.meeting_id else None,
        "outcome_note": rr.outcome_note,
        "notice": str(rr.notice.public_id) if rr.notice_id else None,
        "prior_written_notice": rr.prior_written_notice,
        "amendment_version": rr.amendment.number if rr.amendment_id else None,
    }


def _field_errors(error: ValidationError) -> NinjaValidationError:
    items = []
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            for message in messages:
                items.append(
                    {"loc": ("body", "payload", name), "msg": message, "type": "value_error"}
                )
    else:
        for message in error.messages:
            items.append({"loc": ("body",), "msg": message, "type": "value_error"})
    return NinjaValidationError(items)


@router.get(
    "/students/{student_id}/revision-requests",
    response={200: list[RevisionOut], **READ_ERRORS},
)
def list_revision_requests(request, student_id: str):  # type: ignore[no-untyped-def]
    """The student's requests to revise the plan, newest first, with status and outcome."""
    student = access_student(request.user, student_id, action=None)
    audit.record(
        actor=request.user, action=Action.REVISION__LISTED, student=student, target=student
    )
    rows = for_student(student).select_related("student", "goal", "meeting", "notice", "amendment")
    return [_out(rr) for rr in rows]


@router.post(
    "/students/{student_id}/revision-requests",
    response={201: RevisionOut, **WRITE_ERRORS},
)
@writes(Cap.READ)  # anyone who reads the record may ask; a family asks as the family
def create_revision_request(request, student_id: str, payload: RevisionIn):  # type: ignore[no-untyped-def]
    """Ask to revise the student's plan (anyone who may read the record; a parent as the family)."""
    student = access_student(request.user, student_id, action=None)
    goal = goal_of(student, payload.goal)
    if payload.goal and goal is None:
        raise NinjaValidationError(
            [
                {
                    "loc": ("body", "payload", "goal"),
                    "msg": "No such goal in this student's plans.",
                    "type": "value_error",
                }
            ]
        )
    try:
        rr = actions.open_revision_request(
            actor=request.user,
            student=student,
            reason=payload.reason,
            proposed_change=payload.proposed_change,
            goal=goal,
            evidence=progress_evidence(goal) if goal is not None else None,
        )
    except ValidationError as error:
        raise _field_errors(error) from None
    return Status(201, _out(rr))
