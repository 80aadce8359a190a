"""The REST API at /api/v1/: the same access policy and audit log as the pages."""

from __future__ import annotations

import logging
from datetime import date

from django.core.exceptions import PermissionDenied
from django.core.paginator import EmptyPage, Paginator
from django.http import Http404
from ninja import NinjaAPI, Query, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import APIKeyCookie, HttpBearer
from pydantic import Field

from tandem import audit
from tandem.access import queries
from tandem.access.policy import Access, student_access
from tandem.api.compliance import router as deadlines_router
from tandem.api.meetings import router as meetings_router
from tandem.api.parser import MESSAGE as NUL_MESSAGE
from tandem.api.parser import NOT_AN_OBJECT, NotAnObject, NulInput, RefuseNulParser
from tandem.api.plans import router as plans_router
from tandem.api.progress import router as progress_router
from tandem.api.revisions import router as revisions_router
from tandem.api.schemas import READ_ERRORS, StudentDetail, StudentPage
from tandem.api.services import router as services_router
from tandem.api.throttle import AccountRateThrottle
from tandem.api.tokens import user_for_token
from tandem.audit.catalogue import Action
from tandem.core import clock, limits
from tandem.core.saving import is_lock_error, saved_during
from tandem.people.models import Student

logger = logging.getLogger(__name__)


class BearerToken(HttpBearer):
    def authenticate(self, request, token):  # type: ignore[no-untyped-def]
        user = user_for_token(token)
        if user is not None:
            request.user = user
        return user


class SessionCookie(APIKeyCookie):
    """The browser's session, with Django's CSRF check on unsafe methods."""

    param_name = "sessionid"

    def authenticate(self, request, key):  # type: ignore[no-untyped-def]
        user = getattr(request, "user", None)
        return user if user is not None and user.is_authenticated else None


api = NinjaAPI(
    title="Tandem API",
    version="1",
    description="IEPs and 504 Plans. Every call passes the same access policy as the pages and "
    'is recorded in the audit log. Errors: {"error": {status, code, message, fields}}.',
    auth=[BearerToken(), SessionCookie(csrf=True)],
    urls_namespace="api",
    parser=RefuseNulParser(),
    throttle=[AccountRateThrottle()],
)


def _error(request, status: int, code: str, message: str, fields=None):  # type: ignore[no-untyped-def]
    return api.create_response(
        request,
        {"error": {"status": status, "code": code, "message": message, "fields": fields or {}}},
        status=status,
    )


@api.exception_handler(Http404)
def _not_found(request, exc):  # type: ignore[no-untyped-def]
    return _error(request, 404, "not_found", "Not found.")


@api.exception_handler(PermissionDenied)
def _forbidden(request, exc):  # type: ignore[no-untyped-def]
    return _error(request, 403, "forbidden", "You may read this record but not change it.")


@api.exception_handler(AuthenticationError)
def _unauthenticated(request, exc):  # type: ignore[no-untyped-def]
    return _error(request, 401, "unauthenticated", "Send 'Authorization: Bearer TOKEN' or sign in.")


@api.exception_handler(NinjaValidationError)
def _invalid(request, exc):  # type: ignore[no-untyped-def]
    fields: dict[str, list[str]] = {}
    for item in exc.errors:
        location = [
            str(part) for part in item.get("loc", ()) if part not in ("query", "body", "path")
        ]
        fields.setdefault(".".join(location) or "request", []).append(item.get("msg", "invalid"))
    return _error(request, 422, "invalid", "Some values are not valid.", fields)


@api.exception_handler(NulInput)
def _nul(request, exc):  # type: ignore[no-untyped-def]
    """NUL in a string: refused before it reaches a form or the database (422, the field named)."""
    return _error(request, 422, "invalid", "Some values are not valid.", {exc.field: [NUL_MESSAGE]})


@api.exception_handler(Exception)
def _server_error(request, exc):  # type: ignore[no-untyped-def]
    """Any other failure: the JSON envelope, never HTML or a traceback."""
    if is_lock_error(exc):
        raise exc  # the busy-database middleware runs the call again, or answers 503
    logger.exception("API error on %s %s", request.method, request.path, exc_info=exc)
    saved = bool(saved_during(request))
    message = (
        "Server error; part of the request may have been saved."
        if saved
        else ("Server error; nothing was saved.")
    )
    return _error(request, 500, "server_error", message)


@api.exception_handler(HttpError)
def _http_error(request, exc):  # type: ignore[no-untyped-def]
    if isinstance(exc.__cause__, NulInput):  # a body that parsed but holds NUL
        return _nul(request, exc.__cause__)
    if isinstance(exc.__cause__, NotAnObject):
        return _error(
            request, 422, "invalid", "Some values are not valid.", {"request": [NOT_AN_OBJECT]}
        )
    if exc.status_code == 429:
        return _error(request, 429, "too_many_requests", "Too many requests; wait and try again.")
    return _error(request, exc.status_code, "error", str(exc))


def summary(student: Student) -> dict[str, object]:
    return {
        "id": student.public_id,
        "sis_id": student.sis_id,
        "state_id": student.state_id,
        "first_name": student.first_name,
        "last_name": student.last_name,
        "legal_name": student.legal_name,
        "date_of_birth": student.date_of_birth,
        "grade": student.grade,
        "school": {"id": student.school.public_id, "name": student.school.name},
    }


def detail(access: Access, *, today: date) -> dict[str, object]:
    """One student's record as the API gives it: profile, guardians, team and enrollment.

    A parent is not given the phone and email of a guardian without educational rights (null).
    """
    student = access.student
    people = queries.overview_for(student, today=today)
    guardians = access.mark_contacts(people["guardians"])  # type: ignore[arg-type]
    return {
        **summary(student),
        "district": student.district.name,
        "enrollment_date": student.enrollment_date,
        "exit_date": student.exit_date,
        "home_language": student.home_language,
        "english_learner": student.english_learner,
        "sex": student.sex,
        "federal_race_ethnicity": student.federal_race_ethnicity,
        "guardians": [
            {
                "id": link.guardian.public_id,
                "name": str(link.guardian),
                "relationship": link.relationship,
                "educational_rights_holder": link.educational_rights_holder,
                "preferred_language": link.guardian.preferred_language,
                "email": link.guardian.email if link.contact_shown else None,  # type: ignore[attr-defined]
                "phone": link.guardian.phone if link.contact_shown else None,  # type: ignore[attr-defined]
            }
            for link in guardians
        ],
        "team": [
            {
                "name": str(member.staff),
                "role": member.role,
                "start_date": member.start_date,
                "end_date": member.end_date,
            }
            for member in people["team"]  # type: ignore[attr-defined]
        ],
        "enrollments": [
            {
                "school": {"id": e.school.public_id, "name": e.school.name},
                "grade": e.grade,
                "entry_date": e.entry_date,
                "exit_date": e.exit_date,
            }
            for e in people["enrollments"]  # type: ignore[attr-defined]
        ],
    }


class StudentFilter(Schema):
    q: str = Field("", max_length=limits.SEARCH, description="Words of a name, or a student id")
    page: int = Field(1, ge=1)
    page_size: int = Field(25, ge=1, le=100)


@api.get("/students", response={200: StudentPage, **READ_ERRORS}, tags=["students"])
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


@api.get(
    "/students/{student_id}",
    response={200: StudentDetail, **READ_ERRORS},
    tags=["students"],
)
def get_student(request, student_id: str):  # type: ignore[no-untyped-def]
    """One student's record: profile, guardians, team and enrollment (404 out of reach)."""
    access = student_access(request.user, student_id)
    return detail(access, today=clock.today())


# The apps' routers, mounted on the one API so they share its auth and error format.
for router in (
    deadlines_router,
    plans_router,
    progress_router,
    meetings_router,
    revisions_router,
    services_router,
):
    api.add_router("", router)
