"""A list given out as a file: the spreadsheet, and the audit events naming each student in it;
and a page of such a list (`listed`), recorded the same way.

One event per district whose students are in the file (each district's log shows it), each
naming its students (`tandem.audit.listings`), so every student's "who opened this record"
finds the download.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from django.http import HttpRequest, HttpResponse

from tandem.audit.events import record
from tandem.documents import spreadsheets

T = TypeVar("T")
FORMATS = spreadsheets.FORMATS


def wanted(request: HttpRequest) -> str | None:
    """The format asked for by `?download=csv|xlsx`, or None for the page."""
    fmt = request.GET.get("download", "")
    return fmt if fmt in FORMATS else None


def query_without_page(request: HttpRequest) -> str:
    """The list's filters as a query string, for its page links and its download links."""
    params = request.GET.copy()
    for key in ("page", "download"):
        params.pop(key, None)
    return params.urlencode()


def download(
    request: HttpRequest,
    *,
    items: Iterable[T],
    title: str,
    header: Sequence[str],
    row: Callable[[T], Sequence[object]],
    whose: Callable[[T], tuple[int | None, int | None]],
    fmt: str,
    filename: str,
    action: str,
    detail: dict[str, Any] | None = None,
) -> HttpResponse:
    """`items` as a CSV or XLSX file of `row(item)` lines; `whose(item)` is (district, student)."""
    shown: dict[int | None, list[int]] = {}

    def lines() -> Iterable[Sequence[object]]:
        for item in items:
            district_id, student_id = whose(item)
            if student_id is not None:
                shown.setdefault(district_id, []).append(student_id)
            yield row(item)

    response = spreadsheets.response(spreadsheets.Sheet(title, header, lines()), fmt, filename)
    _record(request, action, shown, {"format": fmt, **(detail or {})})
    return response


def listed(
    request: HttpRequest,
    *,
    shown: Iterable[tuple[int | None, int]],
    action: str,
    detail: dict[str, Any] | None = None,
) -> None:
    """Record a page of a list: `shown` are its (district, student) pairs, as in a download."""
    by_district: dict[int | None, list[int]] = {}
    for district_id, student_id in shown:
        by_district.setdefault(district_id, []).append(student_id)
    _record(request, action, by_district, detail or {})


def _record(
    request: HttpRequest, action: str, shown: dict[int | None, list[int]], base: dict[str, Any]
) -> None:
    filters = {k: v for k, v in request.GET.items() if k not in ("page", "download")}
    for district_id, students in sorted(shown.items(), key=lambda kv: kv[0] or 0) or [(None, [])]:
        record(
            actor=request.user,  # type: ignore[arg-type]
            action=action,
            district_id=district_id,
            detail={"filters": filters, **base, "rows": len(students)},
            students=students,
        )
