"""A student's enrolment, kept by a district administrator (the roster's rules,
tandem/people/actions_students.py): nothing is deleted, an enrolment ends with a date.

POST /students/{id}/enrollments       enrol at a school (and grade): the open stay ends that day;
                                      the same school and grade again changes nothing (200)
POST /students/{id}/enrollments/end   end the open enrolment; the same end again changes nothing
"""

from __future__ import annotations

from ninja import Router, Status

from tandem.access.administration import student_to_administer
from tandem.access.routes import Scope, writes
from tandem.api import lookups
from tandem.api.refusals import named_refusals
from tandem.api.schemas import WRITE_ERRORS
from tandem.api.schemas_people import EnrollmentEndIn, EnrollmentIn, EnrollmentRecord
from tandem.api.students_json import enrollment
from tandem.core import clock
from tandem.people import actions_students

router = Router(tags=["enrollments"])
PAGE = "api_enrollments"


@router.post(
    "/students/{student_id}/enrollments",
    response={200: EnrollmentRecord, 201: EnrollmentRecord, **WRITE_ERRORS},
)
@writes(Scope.DISTRICT)
def enrol_student(request, student_id: str, payload: EnrollmentIn):  # type: ignore[no-untyped-def]
    """Enrol the student at a school of their district: 201 with the new stay, 200 if unchanged."""
    student = student_to_administer(request.user, student_id, page=PAGE)
    school = lookups.school_of(student, payload.school)
    with named_refusals():
        stay, changed = actions_students.enrol_student(
            actor=request.user,
            student=student,
            school=school,
            grade=payload.grade,
            entry_date=payload.entry_date or clock.today(),
        )
    return Status(201 if changed else 200, enrollment(stay, student=student, changed=changed))


@router.post(
    "/students/{student_id}/enrollments/end", response={200: EnrollmentRecord, **WRITE_ERRORS}
)
@writes(Scope.DISTRICT)
def end_enrollment(request, student_id: str, payload: EnrollmentEndIn):  # type: ignore[no-untyped-def]
    """End the student's open enrolment on its last day; the row stays as history."""
    student = student_to_administer(request.user, student_id, page=PAGE)
    with named_refusals():
        stay, changed = actions_students.end_enrollment(
            actor=request.user,
            student=student,
            end_date=payload.end_date or clock.today(),
            reason=payload.reason,
        )
    return enrollment(stay, student=student, changed=changed)
