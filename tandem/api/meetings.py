"""The meetings API: GET /students/{id}/meetings, through the access policy."""

from __future__ import annotations

from datetime import datetime
from typing import Any
from uuid import UUID

from ninja import Router, Schema

from tandem import audit
from tandem.access.policy import access_student
from tandem.api.schemas import READ_ERRORS
from tandem.audit.catalogue import Action
from tandem.meetings.models import Meeting
from tandem.meetings.queries import meetings_for_student, upcoming_for_student

router = Router(tags=["meetings"])


class TimeOptionOut(Schema):
    starts_at: datetime
    ends_at: datetime


class InviteeOut(Schema):
    name: str
    role: str
    required: bool
    response: str
    attended: bool | None
    attended_how: str | None


class MeetingOut(Schema):
    id: UUID
    kind: str
    status: str
    purpose: str
    starts_at: datetime
    ends_at: datetime
    place_kind: str
    place_details: str
    time_options: list[TimeOptionOut]
    notice_sent_at: datetime | None
    transition_content: bool
    held_at: datetime | None
    invitees: list[InviteeOut]


def meeting_summary(meeting: Meeting) -> dict[str, Any]:
    return {
        "id": str(meeting.public_id),
        "kind": meeting.kind,
        "status": meeting.status,
        "purpose": meeting.purpose,
        "starts_at": meeting.starts_at.isoformat(),
        "ends_at": meeting.ends_at.isoformat(),
        "place_kind": meeting.place_kind,
        "place_details": meeting.place_details,
        "time_options": [
            {"starts_at": o.starts_at.isoformat(), "ends_at": o.ends_at.isoformat()}
            for o in meeting.time_options.all()
        ],
        "notice_sent_at": meeting.notice_sent_at.isoformat() if meeting.notice_sent_at else None,
        "transition_content": meeting.transition_content,
        "held_at": meeting.held_at.isoformat() if meeting.held_at else None,
        "invitees": [
            {
                "name": i.display_name,
                "role": i.role,
                "required": i.required,
                "response": i.response,
                "attended": i.attended,
                "attended_how": i.attended_how or None,
            }
            for i in meeting.invitees.all()
        ],
    }


@router.get(
    "/students/{student_id}/meetings",
    response={200: list[MeetingOut], **READ_ERRORS},
)
def list_meetings(request, student_id: str, upcoming: bool = False):  # type: ignore[no-untyped-def]
    """The student's meetings: type, status, time and place, invitees and their answers."""
    student = access_student(request.user, student_id, action=None)
    meetings = upcoming_for_student(student) if upcoming else meetings_for_student(student)
    audit.record(
        actor=request.user,
        action=Action.MEETINGS__LISTED,
        student=student,
        target=student,
        detail={"count": len(meetings)},
    )
    return [meeting_summary(m) for m in meetings]
