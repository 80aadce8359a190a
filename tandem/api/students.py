"""The students API: find and read students through the policy; a district administrator adds
and changes them (the roster's rules, tandem/people/actions_students.py).

GET   /students                 students you may see, searched, a page at a time
POST  /students                 add a student, enrolled at a school (409 on a known SIS id)
GET   /students/{id}            one student's record
PATCH /students/{id}            change the record; each field left out is unchanged
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.paginator import EmptyPage, Paginator
from ninja import Query, Router, Schema, Status
from pydantic import Field

from tandem import audit
from tandem.access import queries
from tandem.access.administration import districts_to_administer, student_to_administer
from tandem.access.policy import student_access
from tandem.access.routes import Scope, writes
from tandem.api import lookups
from tandem.api.refusals import conflict, invalid, named_refusals
from tandem.api.schemas import READ_ERRORS, WRITE_ERRORS, StudentDetail, StudentPage
from tandem.api.schemas_people import ConflictOut, StudentChange, StudentIn, StudentRecord
from tandem.api.students_json import detail, record, summary
from tandem.audit.catalogue import Action
from tandem.core import clock, limits
from tandem.people import actions_students
from tandem.people.actions import update_student_profile
from tandem.people.conflicts import AlreadyOnRecord

router = Router(tags=["students"])
PAGE = "api_students"


class StudentFilter(Schema):
    q: str = Field("", max_length=limits.SEARCH, description="Words of a name, or a student id")
    page: int = Field(1, ge=1)
    page_size: int = Field(25, ge=1, le=100)


@router.get("/students", response={200: StudentPage, **READ_ERRORS})
def list_students(request, filters: Query[StudentFilter]):  # type: ignore[no-untyped-def]
    """Students you may see, searched by name or id, a page at a time."""
    students = queries.search_students(request.user, filters.q, today=clock.today())
    paginator = Paginator(students, filters.page_size)
    try:
        page = paginator.page(filters.page)
    except EmptyPage:
        page = None
    if page is not None and page.object_list:  # dates of birth left: each student's log says so
        audit.record(
            actor=request.user,
            action=Action.STUDENTS__SEARCHED,
            detail={"query": filters.q, "page": filters.page},
            students=page.object_list,
        )
    return {
        "items": [summary(s) for s in page.object_list] if page else [],
        "count": paginator.count,
        "page": filters.page,
        "page_size": filters.page_size,
        "pages": paginator.num_pages,
    }


@router.get("/students/{student_id}", response={200: StudentDetail, **READ_ERRORS})
def get_student(request, student_id: str):  # type: ignore[no-untyped-def]
    """One student's record: profile, guardians, team and enrollment (404 out of reach)."""
    access = student_access(request.user, student_id)
    return detail(access, today=clock.today())


@router.post("/students", response={201: StudentRecord, 409: ConflictOut, **WRITE_ERRORS})
@writes(Scope.DISTRICT)
def create_student(request, payload: StudentIn):  # type: ignore[no-untyped-def]
    """Add a student enrolled at a school of a district you administer; a known SIS id is 409."""
    districts = districts_to_administer(request.user, page=PAGE)
    school = lookups.school_in(districts, payload.school)
    values = payload.dict(include=set(actions_students.ROSTER_FIELDS))
    try:
        student = actions_students.add_student(
            actor=request.user,
            school=school,
            sis_id=payload.sis_id,
            grade=payload.grade,
            entry_date=payload.entry_date or clock.today(),
            values=values,
        )
    except AlreadyOnRecord as error:
        return conflict(error)
    except ValidationError as error:
        raise invalid(error) from None
    return Status(201, record(student))


@router.patch("/students/{student_id}", response={200: StudentRecord, **WRITE_ERRORS})
@writes(Scope.DISTRICT)
def update_student(request, student_id: str, payload: StudentChange):  # type: ignore[no-untyped-def]
    """Change a student of a district you administer; school and grade move with an enrolment."""
    student = student_to_administer(request.user, student_id, page=PAGE)
    with named_refusals():
        student = update_student_profile(
            actor=request.user,
            student=student,
            changes=payload.dict(exclude_unset=True),
            fields=actions_students.ROSTER_FIELDS,
        )
    return record(student)
