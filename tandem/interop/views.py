"""The district administrator's roster page: upload a OneRoster zip, read its dry run, apply it."""

from __future__ import annotations

import io
from uuid import UUID

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tandem import audit
from tandem.access.policy import districts_administered_by
from tandem.access.routes import Scope, writes
from tandem.audit.catalogue import Action
from tandem.core.handling import run_action
from tandem.interop import actions, queries
from tandem.interop.forms import ApplyForm, EdfiUploadForm, UploadForm
from tandem.interop.models import RosterImport, Standard
from tandem.interop.oneroster import write_problems


def _districts(request: HttpRequest):  # type: ignore[no-untyped-def]
    districts = districts_administered_by(request.user)  # type: ignore[arg-type]
    if not districts.exists():
        raise Http404  # only a district's administrators bring its roster in
    return districts


def _import(request: HttpRequest, import_id: UUID) -> RosterImport:
    return get_object_or_404(queries.imports_for(_districts(request)), public_id=import_id)


def _url(record: RosterImport) -> str:
    return reverse("roster_import", args=[record.public_id])


def _status(request: HttpRequest, record: RosterImport) -> HttpResponse:
    """The polled part of the page while a check or an application runs; once it has finished,
    the whole page is reloaded (HX-Refresh) to show the counts and the problems."""
    response = render(request, "interop/_status.html", {"record": record})
    if not record.is_running:
        response["HX-Refresh"] = "true"
    return response


@writes(Scope.DISTRICT)
@require_http_methods(["GET", "POST"])
def roster_imports(request: HttpRequest) -> HttpResponse:
    districts = _districts(request)
    form = UploadForm(request.POST or None, request.FILES or None, districts=districts)
    check = lambda data: actions.check_upload(  # noqa: E731
        district=data["district"], actor=request.user, upload=data["archive"],  # type: ignore[arg-type]
        name=data["archive"].name,
    )  # fmt: skip
    message = _("The file is being checked. Nothing changes until you apply it.")
    if done := run_action(request, form, check, then=_url, message=message):
        return done
    context = {"form": form, "imports": queries.imports_for(districts, Standard.ONEROSTER)[:50]}
    return render(request, "interop/imports.html", context)


@writes(Scope.DISTRICT)
@require_http_methods(["GET", "POST"])
def edfi_imports(request: HttpRequest) -> HttpResponse:
    """The district's earlier special-education and 504 records, from an Ed-Fi export."""
    districts = _districts(request)
    form = EdfiUploadForm(request.POST or None, request.FILES or None, districts=districts)
    check = lambda data: actions.check_upload(  # noqa: E731
        district=data["district"], actor=request.user, upload=data["archive"],  # type: ignore[arg-type]
        name=data["archive"].name, standard=Standard.EDFI,
    )  # fmt: skip
    message = _("The records are being checked. Nothing changes until you apply them.")
    if done := run_action(request, form, check, then=_url, message=message):
        return done
    context = {"form": form, "imports": queries.imports_for(districts, Standard.EDFI)[:50],
               "districts": districts.order_by("name")}  # fmt: skip
    return render(request, "interop/edfi_imports.html", context)


@require_GET
def roster_import(request: HttpRequest, import_id: UUID) -> HttpResponse:
    record = _import(request, import_id)
    if request.htmx:  # type: ignore[attr-defined]
        return _status(request, record)
    record.refresh_from_db(fields=["problems"])
    context = {
        "record": record,
        "counts": queries.count_rows(record),
        "problems": queries.shown_problems(record),
        "form": ApplyForm(),
    }
    return render(request, "interop/import.html", context)


@writes(Scope.DISTRICT)
@require_http_methods(["POST"])
def roster_import_apply(request: HttpRequest, import_id: UUID) -> HttpResponse:
    record = _import(request, import_id)
    form = ApplyForm(request.POST)
    apply = lambda _data: actions.apply_upload(record=record, actor=request.user)  # type: ignore[arg-type]  # noqa: E731
    message = _("The roster is being applied: all of it, or nothing.")
    if done := run_action(request, form, apply, then=_url, message=message):
        return done
    context = {"record": record, "counts": queries.count_rows(record), "form": form,
               "problems": queries.shown_problems(record)}  # fmt: skip
    return render(request, "interop/import.html", context, status=400)


@require_GET
def roster_import_problems(request: HttpRequest, import_id: UUID) -> HttpResponse:
    record = _import(request, import_id)
    record.refresh_from_db(fields=["problems"])
    audit.record(actor=request.user, action=Action.ROSTER__PROBLEMS_DOWNLOADED,  # type: ignore[arg-type]
                 district=record.district, target=record)  # fmt: skip
    out = io.StringIO()
    write_problems(out, record.problems)
    response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
    name = f"roster-problems-{record.uploaded_at:%Y%m%d-%H%M}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
