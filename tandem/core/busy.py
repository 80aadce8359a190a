"""A busy database never costs a user a submission silently.

SQLite has one writer at a time; transactions begin IMMEDIATE and wait in line up to the busy
timeout (settings). A request that still meets a lock after that wait is run again when nothing
of it was kept; otherwise it is answered with 503 and a page that says plainly what was and was
not saved (tandem.core.saving keeps the count; the 500 page reads it too).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

from django.db import OperationalError, connection
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render

from tandem.core.saving import SavedWrites, is_lock_error, saved_during

RETRIES = 2


class BusyDatabaseMiddleware:
    """Tracks what each request saved; runs a view again when a lock met it before it saved."""

    def __init__(self, get_response: Callable[[Any], Any]) -> None:
        self.get_response = get_response

    def __call__(self, request: Any) -> Any:
        request._tandem_writes = SavedWrites()
        with connection.execute_wrapper(request._tandem_writes):
            return self.get_response(request)

    def process_view(
        self, request: Any, view: Callable[..., Any], args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> Any:
        for attempt in range(RETRIES + 1):
            try:
                return view(request, *args, **kwargs)
            except OperationalError as exc:
                if not is_lock_error(exc) or connection.in_atomic_block:
                    raise
                if saved_during(request) or attempt == RETRIES:
                    return busy(request)
                time.sleep(0.2 * (attempt + 1))
        return None  # not reached


def error_envelope(status: int, code: str, message: str, *, saved: bool) -> JsonResponse:
    """The API's error format, with whether anything of the request was kept."""
    body = {"status": status, "code": code, "message": message, "fields": {}, "saved": saved}
    return JsonResponse({"error": body}, status=status)


def busy(request: HttpRequest) -> HttpResponse:
    """503 when the database stayed locked past the busy timeout and the retries."""
    saved = bool(saved_during(request))
    response: HttpResponse
    if request.path.startswith("/api/"):
        message = (
            "The database is busy; part of the request may have been saved."
            if saved
            else "The database is busy; nothing was saved. Send the request again."
        )
        response = error_envelope(503, "busy", message, saved=saved)
    else:
        response = render(request, "errors/503.html", {"saved": saved}, status=503)
    response["Retry-After"] = "5"
    return response
