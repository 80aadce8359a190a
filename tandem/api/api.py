"""The REST API at /api/v1/: the same access policy and audit log as the pages."""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied
from django.http import Http404
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError
from ninja.security import APIKeyCookie, HttpBearer

from tandem.api.assignments import router as assignments_router
from tandem.api.compliance import router as deadlines_router
from tandem.api.enrollments import router as enrollments_router
from tandem.api.meetings import router as meetings_router
from tandem.api.parser import MESSAGE as NUL_MESSAGE
from tandem.api.parser import NOT_AN_OBJECT, NotAnObject, NulInput, RefuseNulParser
from tandem.api.plans import router as plans_router
from tandem.api.progress import router as progress_router
from tandem.api.revisions import router as revisions_router
from tandem.api.services import router as services_router
from tandem.api.staff import router as staff_router
from tandem.api.students import router as students_router
from tandem.api.throttle import AccountRateThrottle
from tandem.api.tokens import user_for_token
from tandem.core.saving import is_lock_error, saved_during

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


# The apps' routers, mounted on the one API so they share its auth and error format.
for router in (
    students_router,
    enrollments_router,
    assignments_router,
    staff_router,
    deadlines_router,
    plans_router,
    progress_router,
    meetings_router,
    revisions_router,
    services_router,
):
    api.add_router("", router)
