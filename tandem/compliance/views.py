"""The deadlines page and its CSV export: every legal date the user answers for, at a glance."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem import audit
from tandem.accounts.models import User
from tandem.audit import downloads
from tandem.audit.catalogue import Action
from tandem.compliance.forms import DeadlineFilterForm
from tandem.compliance.models import Deadline
from tandem.compliance.queries import (
    DeadlineFilters,
    case_managers_of,
    deadline_status,
    deadlines_for,
    may_track_deadlines,
    with_status,
)
from tandem.people.models import District

PAGE_SIZE = 50


def _require_tracker(user: User) -> None:
    # Teachers, providers and parents have no deadlines page: absent, not forbidden.
    if not may_track_deadlines(user):
        raise Http404


def _filtered(request):  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    form = DeadlineFilterForm(request.GET or None, user=request.user, today=today)
    if form.is_bound and not form.is_valid():
        return form, Deadline.objects.none(), None, today
    filters = form.filters() if form.is_bound else DeadlineFilters()
    return form, deadlines_for(request.user, today=today, filters=filters), filters, today


@login_required
def deadline_list(request):  # type: ignore[no-untyped-def]
    _require_tracker(request.user)
    form, deadlines, _filters, today = _filtered(request)
    page = Paginator(deadlines, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = with_status(page.object_list, today)
    _record_listed(request, Action.DEADLINES__LISTED, [(d.district_id, d.student_id) for d in rows])
    params = request.GET.copy()
    params.pop("page", None)
    return render(
        request,
        "compliance/deadlines.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "today": today,
            "querystring": params.urlencode(),
        },
    )


def _csv_header() -> list[str]:
    return [
        _("Student"),
        _("SIS id"),
        _("School"),
        _("Type"),
        _("Due on"),
        _("Status"),
        _("Counted from"),
        _("Met on"),
        _("Case manager"),
        _("Citation"),
        _("Explanation"),
    ]


def _csv_row(deadline: Deadline, today: date) -> list[str]:
    return [
        str(deadline.student.display_name),
        str(deadline.student.sis_id),
        str(deadline.school.name),
        str(deadline.get_kind_display()),
        deadline.due_on.isoformat(),
        str(deadline_status(deadline, today).label),
        deadline.trigger_on.isoformat(),
        deadline.met_on.isoformat() if deadline.met_on else "",
        str(", ".join(str(s) for s in case_managers_of(deadline))),
        str(deadline.citation),
        str(deadline.explanation),
    ]


@login_required
def deadline_export(request, fmt: str = "csv"):  # type: ignore[no-untyped-def]
    _require_tracker(request.user)
    _form, deadlines, _filters, today = _filtered(request)
    return downloads.download(
        request,
        items=deadlines.iterator(chunk_size=2000),
        title=_("Deadlines"),
        header=_csv_header(),
        row=lambda deadline: _csv_row(deadline, today),
        whose=lambda deadline: (deadline.district_id, deadline.student_id),
        fmt=fmt,
        filename=f"deadlines-{today.isoformat()}",
        action=Action.DEADLINES__EXPORTED,
    )


def _record_listed(request: HttpRequest, action: Action, shown: list[tuple[int, int]]) -> None:
    """One event per district whose students were shown (each district's log shows it),
    naming every student (district, student) so that each student's record of access finds it."""
    filters = {key: value for key, value in request.GET.items() if key != "page"}
    detail = {"rows": len(shown), "filters": filters}
    by_district: dict[int | None, list[int]] = {}
    for district_id, student_id in shown:
        by_district.setdefault(district_id, []).append(student_id)
    for district_id, ids in sorted(by_district.items()) or [(None, [])]:
        audit.record(
            actor=request.user,  # type: ignore[arg-type]
            action=action,
            district=District(pk=district_id) if district_id else None,
            detail=detail,
            students=ids,
        )
