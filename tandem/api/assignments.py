"""Who works with a student, kept by a district administrator: the case manager (the team's
rules, tandem/people/team.py) and providers (tandem/people/actions_assignments.py). Nothing is
deleted: an assignment ends with a date. The same request again changes nothing (200).

POST /students/{id}/case-manager        make a member of staff the case manager from a day
POST /students/{id}/case-manager/end    end a case manager's place (never the only one's)
POST /students/{id}/providers           assign a provider in a service area
POST /students/{id}/providers/end       end a provider's assignment in a service area
"""

from __future__ import annotations

from typing import Any

from ninja import Router, Status

from tandem.access.administration import student_to_administer
from tandem.access.routes import Scope, writes
from tandem.api import lookups
from tandem.api.refusals import named_refusals
from tandem.api.schemas import WRITE_ERRORS
from tandem.api.schemas_people import (
    AssignmentRecord,
    CaseManagerEndIn,
    CaseManagerIn,
    ProviderEndIn,
    ProviderIn,
)
from tandem.core import clock
from tandem.people import actions_assignments as actions
from tandem.people.models import Student

router = Router(tags=["assignments"])
PAGE = "api_assignments"
ANSWERS = {200: AssignmentRecord, 201: AssignmentRecord, **WRITE_ERRORS}


def _out(row: Any, student: Student, changed: bool) -> dict[str, Any]:
    return {
        "student": student.public_id,
        "staff": row.staff.public_id,
        "service_area": getattr(row, "service_area", None),
        "start_date": row.start_date,
        "end_date": row.end_date,
        "changed": changed,
    }


def _made(row: Any, student: Student, changed: bool) -> Status[dict[str, Any]]:
    return Status(201 if changed else 200, _out(row, student, changed))


@router.post("/students/{student_id}/case-manager", response=ANSWERS)
@writes(Scope.DISTRICT)
def assign_case_manager(request, student_id: str, payload: CaseManagerIn):  # type: ignore[no-untyped-def]
    """Make a case manager of the district the student's case manager (201; 200 if already)."""
    student = student_to_administer(request.user, student_id, page=PAGE)
    staff = lookups.staff_named(payload.staff)
    with named_refusals():
        row, changed = actions.assign_case_manager(
            actor=request.user,
            student=student,
            staff=staff,
            start_date=payload.start_date or clock.today(),
        )
    return _made(row, student, changed)


@router.post(
    "/students/{student_id}/case-manager/end", response={200: AssignmentRecord, **WRITE_ERRORS}
)
@writes(Scope.DISTRICT)
def end_case_manager(request, student_id: str, payload: CaseManagerEndIn):  # type: ignore[no-untyped-def]
    """End a case manager's place on its last day; another case manager must follow."""
    student = student_to_administer(request.user, student_id, page=PAGE)
    staff = lookups.staff_named(payload.staff)
    with named_refusals():
        row, changed = actions.end_case_manager(
            actor=request.user,
            student=student,
            staff=staff,
            end_date=payload.end_date or clock.today(),
            reason=payload.reason,
        )
    return _out(row, student, changed)


@router.post("/students/{student_id}/providers", response=ANSWERS)
@writes(Scope.DISTRICT)
def assign_provider(request, student_id: str, payload: ProviderIn):  # type: ignore[no-untyped-def]
    """Assign a member of the district's staff to serve the student (201; 200 if already)."""
    student = student_to_administer(request.user, student_id, page=PAGE)
    staff = lookups.staff_named(payload.staff)
    with named_refusals():
        row, changed = actions.assign_provider(
            actor=request.user,
            student=student,
            staff=staff,
            service_area=payload.service_area,
            start_date=payload.start_date or clock.today(),
        )
    return _made(row, student, changed)


@router.post(
    "/students/{student_id}/providers/end", response={200: AssignmentRecord, **WRITE_ERRORS}
)
@writes(Scope.DISTRICT)
def end_provider(request, student_id: str, payload: ProviderEndIn):  # type: ignore[no-untyped-def]
    """End a provider's assignment in a service area on its last day; the row stays."""
    student = student_to_administer(request.user, student_id, page=PAGE)
    staff = lookups.staff_named(payload.staff)
    with named_refusals():
        row, changed = actions.end_provider_assignment(
            actor=request.user,
            student=student,
            staff=staff,
            service_area=payload.service_area,
            end_date=payload.end_date or clock.today(),
        )
    return _out(row, student, changed)
