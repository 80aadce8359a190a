"""The director's page of service minutes, and its CSV and XLSX downloads (leaders only)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from tandem.access.policy import standing
from tandem.accounts.models import User
from tandem.audit.catalogue import Action
from tandem.core import clock
from tandem.services import director, director_export
from tandem.services.director_forms import DirectorFilterForm

# The page lists this many mandates that need attention; the downloads give them all.
SHOWN = 200


def _rows(request: HttpRequest) -> tuple[DirectorFilterForm, list[director.MandateRow] | None]:
    """The filter form and the filtered rows, or None when a filter is refused (400)."""
    user: User = request.user  # type: ignore[assignment]
    if not director.is_leader(user):
        raise Http404  # teachers, providers and families have no director's page
    form = DirectorFilterForm(request.GET or None, user=user)
    if form.is_bound and not form.is_valid():
        return form, None
    return form, director.mandate_rows(user, today=clock.today(), filters=form.filters())


def _context(form: DirectorFilterForm, rows: list[director.MandateRow]) -> dict[str, Any]:
    needing = director.attention(rows)
    return {
        "form": form,
        "rows": rows,
        "tables": [(by, *director.groups(rows, by)) for by in ("school", "discipline", "provider")],
        "attention": needing[:SHOWN],
        "attention_count": len(needing),
        "statuses": director.STATUSES,
        "querystring": urlencode(form.filters().as_params()),
        "today": clock.today(),
    }


@require_GET
def services_director(request: HttpRequest) -> HttpResponse:
    """Mandates served, underserved and unserved by school, discipline and provider."""
    form, rows = _rows(request)
    if rows is None:
        context = {"form": form, "rows": [], "tables": [], "attention": [], "invalid": True}
        return render(request, "services/director.html", context, status=400)
    context = _context(form, rows)
    # The page names only the students it lists as needing attention (the tables are counts).
    detail = {"rows": len(rows), "filters": form.filters().as_params()}
    user: User = request.user  # type: ignore[assignment]
    director_export.record_listed(
        user, context["attention"], action=Action.SERVICE_MINUTES__VIEWED, detail=detail
    )
    # The Medicaid export is the district's (the billing provider): its administrators only.
    context["medicaid"] = bool(standing(request.user).admin_district_ids)  # type: ignore[arg-type]
    return render(request, "services/director.html", context)


def _download(request: HttpRequest, fmt: str) -> HttpResponse:
    form, rows = _rows(request)
    if rows is None:
        message = "; ".join(f"{name}: {' '.join(errs)}" for name, errs in form.errors.items())
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
    director_export.record_export(request.user, rows, fmt=fmt, filters=form.filters())  # type: ignore[arg-type]
    name = f"service-minutes-{clock.today().isoformat()}.{fmt}"
    if fmt == "xlsx":
        return director_export.xlsx_response(rows, name)
    return director_export.csv_response(rows, name)


@require_GET
def services_director_csv(request: HttpRequest) -> HttpResponse:
    """Every mandate of the page, one row each, as CSV (audited)."""
    return _download(request, "csv")


@require_GET
def services_director_xlsx(request: HttpRequest) -> HttpResponse:
    """Every mandate of the page, one row each, as an Excel workbook (audited)."""
    return _download(request, "xlsx")
