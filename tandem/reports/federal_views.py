"""The district's IDEA section 618 counts: child count and exiting, their CSV, and the students
behind each count. Read only; the district and its students come from tandem.access.districts."""

from __future__ import annotations

from uuid import UUID

from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from tandem.access.districts import DistrictReach, district_reach, districts_reporting
from tandem.accounts.models import User
from tandem.core import clock
from tandem.reports import child_count as cc
from tandem.reports import federal
from tandem.reports.federal_forms import CountDateForm, SchoolYearForm


def _report(request: HttpRequest, reach: DistrictReach, kind: str) -> federal.Report | None:
    """The report asked for in the query string, its default when none is given; None if the
    date or year given is refused (the form says why)."""
    today, data = clock.today(), request.GET
    if kind == federal.CHILD_COUNT:
        form = CountDateForm(data if "day" in data else None, today=today)
        if not form.is_bound:
            return federal.Report(kind, day=cc.default_count_date(reach.district, today))
        return federal.Report(kind, day=form.cleaned_data["day"]) if form.is_valid() else None
    form_y = SchoolYearForm(data if "year" in data else None, today=today)
    if not form_y.is_bound:
        return federal.Report(kind, year=cc.default_exit_year(today))
    return federal.Report(kind, year=form_y.cleaned_data["year"]) if form_y.is_valid() else None


def _form(request: HttpRequest, report: federal.Report | None, kind: str) -> object:
    today = clock.today()
    if kind == federal.CHILD_COUNT:
        initial = {"day": report.day} if report else None
        return CountDateForm(
            request.GET if "day" in request.GET else None, initial=initial, today=today
        )
    initial_y = {"year": report.year} if report else None
    return SchoolYearForm(
        request.GET if "year" in request.GET else None, initial=initial_y, today=today
    )


def _page(request: HttpRequest, district_id: UUID, kind: str) -> HttpResponse:
    user: User = request.user  # type: ignore[assignment]
    reach = district_reach(user, district_id, page=f"federal_{kind}")
    report = _report(request, reach, kind)
    context = {"form": _form(request, report, kind), "kind": kind, "district": reach.district}
    if report is None:
        return render(request, "reports/federal_report.html", context, status=400)
    result = report.run(reach)
    federal.record_view(user, reach.district, report, result)
    context.update(federal.report_context(reach, report, result))
    return render(request, "reports/federal_report.html", context)


@require_GET
def federal_reports(request: HttpRequest) -> HttpResponse:
    """The districts whose counts the person may see; with one, straight to its child count."""
    districts = districts_reporting(request.user)  # type: ignore[arg-type]
    if len(districts) == 1:
        return redirect(reverse("federal_child_count", args=[districts[0].public_id]))
    return render(request, "reports/federal_districts.html", {"districts": districts})


@require_GET
def federal_child_count(request: HttpRequest, district_id: UUID) -> HttpResponse:
    return _page(request, district_id, federal.CHILD_COUNT)


@require_GET
def federal_exiting(request: HttpRequest, district_id: UUID) -> HttpResponse:
    return _page(request, district_id, federal.EXITING)


def _csv(request: HttpRequest, district_id: UUID, kind: str) -> HttpResponseBase:
    user: User = request.user  # type: ignore[assignment]
    reach = district_reach(user, district_id, page=f"federal_{kind}_csv")
    report = _report(request, reach, kind)
    if report is None:
        form = _form(request, None, kind)
        message = "; ".join(" ".join(e) for e in form.errors.values())  # type: ignore[attr-defined]
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
    return federal.csv_response(user, reach, report)


@require_GET
def federal_child_count_csv(request: HttpRequest, district_id: UUID) -> HttpResponseBase:
    return _csv(request, district_id, federal.CHILD_COUNT)


@require_GET
def federal_exiting_csv(request: HttpRequest, district_id: UUID) -> HttpResponseBase:
    return _csv(request, district_id, federal.EXITING)


@require_GET
def federal_students(request: HttpRequest, district_id: UUID) -> HttpResponse:
    """The students behind one count, or those not counted with why (each listed is audited)."""
    user: User = request.user  # type: ignore[assignment]
    reach = district_reach(user, district_id, page="federal_students")
    kind = federal.EXITING if request.GET.get("report") == federal.EXITING else federal.CHILD_COUNT
    report = _report(request, reach, kind)
    if report is None:
        context = {"form": _form(request, None, kind), "district": reach.district, "kind": kind}
        return render(request, "reports/federal_report.html", context, status=400)
    result = report.run(reach)
    context = federal.students_context(user, reach, report, result, request.GET)
    return render(request, "reports/federal_students.html", context)
