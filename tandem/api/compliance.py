"""The deadlines API (GET /students/{id}/deadlines, GET /deadlines), mounted on /api/v1/.

It shares the API's authentication and error format: a student out of reach is a 404, a bad
filter a 422 naming the field.
"""

from __future__ import annotations

from datetime import date
from uuid import UUID

from django.core.paginator import EmptyPage, Paginator
from django.http import Http404
from django.utils import timezone
from ninja import Query, Router, Schema
from ninja.errors import ValidationError as NinjaValidationError
from pydantic import Field

from tandem.access.policy import access_student
from tandem.api.schemas import READ_ERRORS, SchoolRef
from tandem.compliance.models import Deadline, DeadlineKind
from tandem.compliance.queries import (
    ALL,
    DeadlineFilters,
    DeadlineStatus,
    deadline_status,
    deadlines_for,
    may_track_deadlines,
    school_by_public_id,
)

router = Router(tags=["deadlines"])


class StudentRef(Schema):
    id: UUID
    name: str
    sis_id: str


class DeadlineOut(Schema):
    id: UUID
    student: StudentRef
    school: SchoolRef
    kind: DeadlineKind
    kind_label: str
    state: str
    trigger_on: date
    due_on: date
    status: DeadlineStatus
    status_label: str
    met_on: date | None
    citation: str
    explanation: str


class DeadlineList(Schema):
    items: list[DeadlineOut]


class DeadlinePage(Schema):
    items: list[DeadlineOut]
    count: int
    page: int
    page_size: int
    pages: int


class DeadlineFilter(Schema):
    status: DeadlineStatus | None = Field(None, description="Leave out for every status")
    school: UUID | None = Field(None, description="A school's id")
    kind: DeadlineKind | None = Field(None, description="The type of deadline")
    page: int = Field(1, ge=1)
    page_size: int = Field(25, ge=1, le=100)


def _out(deadline: Deadline, today: date) -> dict[str, object]:
    status = deadline_status(deadline, today)
    return {
        "id": deadline.public_id,
        "student": {
            "id": deadline.student.public_id,
            "name": deadline.student.display_name,
            "sis_id": deadline.student.sis_id,
        },
        "school": {"id": deadline.school.public_id, "name": deadline.school.name},
        "kind": deadline.kind,
        "kind_label": str(deadline.get_kind_display()),  # type: ignore[attr-defined]
        "state": deadline.state,
        "trigger_on": deadline.trigger_on,
        "due_on": deadline.due_on,
        "status": status,
        "status_label": str(status.label),
        "met_on": deadline.met_on,
        "citation": deadline.citation,
        "explanation": deadline.explanation,
    }


@router.get(
    "/students/{student_id}/deadlines",
    response={200: DeadlineList, **READ_ERRORS},
)
def student_deadlines(request, student_id: str):  # type: ignore[no-untyped-def]
    """Every stored deadline of one student, soonest first, with its status and explanation."""
    student = access_student(request.user, student_id)
    today = timezone.localdate()
    deadlines = (
        Deadline.objects.filter(student=student)
        .select_related("student", "school")
        .order_by("due_on", "id")
    )
    return {"items": [_out(d, today) for d in deadlines]}


@router.get("/deadlines", response={200: DeadlinePage, **READ_ERRORS})
def list_deadlines(request, filters: Query[DeadlineFilter]):  # type: ignore[no-untyped-def]
    """The deadlines of the students you answer for, filtered, soonest first, a page at a time."""
    if not may_track_deadlines(request.user):
        raise Http404
    today = timezone.localdate()
    school = None
    if filters.school is not None:
        school = school_by_public_id(request.user, filters.school, today=today)
        if school is None:
            raise NinjaValidationError(
                [{"loc": ("query", "school"), "msg": "Unknown school.", "type": "value_error"}]
            )
    deadlines = deadlines_for(
        request.user,
        today=today,
        filters=DeadlineFilters(
            status=filters.status or ALL,
            school=school,
            kind=filters.kind,
        ),
    )
    paginator = Paginator(deadlines, filters.page_size)
    try:
        page = paginator.page(filters.page)
    except EmptyPage:
        page = None
    return {
        "items": [_out(d, today) for d in page.object_list] if page else [],
        "count": paginator.count,
        "page": filters.page,
        "page_size": filters.page_size,
        "pages": paginator.num_pages,
    }
