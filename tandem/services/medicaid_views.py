"""Medicaid pages: a student's consent to bill public insurance, and the district's export."""

from __future__ import annotations

from urllib.parse import urlencode
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tandem import audit
from tandem.access.capabilities import Cap
from tandem.access.policy import districts_administered_by, student_access
from tandem.access.routes import writes
from tandem.accounts.models import User
from tandem.audit.catalogue import Action
from tandem.core import clock
from tandem.core.handling import run_action
from tandem.people.models import District
from tandem.services import actions_medicaid, medicaid, medicaid_export
from tandem.services.medicaid_forms import MedicaidEntryForm, MedicaidExportForm
from tandem.services.medicaid_profiles import profile_for


@writes(Cap.EDIT_PROFILE)
@require_http_methods(["GET", "POST"])
def medicaid_consent(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """The student's consent to bill public insurance, yearly notices and Medicaid ID."""
    user: User = request.user  # type: ignore[assignment]
    posting = request.method == "POST"  # the write is audited by the action
    action = None if posting else Action.MEDICAID_CONSENT__VIEWED
    access = student_access(user, public_id, need=Cap.EDIT_PROFILE, action=action)
    student, today = access.student, clock.today()
    form = MedicaidEntryForm(request.POST if posting else None, initial={"on": today})
    if done := run_action(
        request,
        form,
        lambda data: actions_medicaid.record_entry(actor=user, student=student, **data),
        then=reverse("medicaid_consent", args=[student.public_id]),
        message=_("Recorded. Earlier entries are kept as they were."),
    ):
        return done
    entries = medicaid.entries_of(student)
    context = {"student": student, "access": access, "form": form, "entries": entries[::-1]}
    status = context["status"] = medicaid.status_on(entries, today)
    context["notice_current"] = medicaid.notice_current_on(status, today)
    return render(
        request, "services/medicaid_consent.html", context, status=400 if posting else 200
    )


def _districts(request: HttpRequest) -> list[District]:
    """The districts the user administers; anyone else is refused (403), and that is logged."""
    user: User = request.user  # type: ignore[assignment]
    districts = list(districts_administered_by(user).order_by("name", "id"))
    if not districts:
        if user.is_authenticated:
            detail = {"page": "medicaid_export", "asked_for": "district_leader"}
            audit.record(actor=user, action=Action.ACCESS__REFUSED, detail=detail)
        raise PermissionDenied
    return districts


@require_GET
def medicaid_export_page(request: HttpRequest) -> HttpResponse:
    """Choose a range; download the billable sessions and those that cannot be billed."""
    districts = _districts(request)
    form = MedicaidExportForm(request.GET or None, districts=districts)
    context: dict[str, object] = {"form": form, "districts": districts}
    if form.is_bound and not form.is_valid():
        return render(request, "services/medicaid_export.html", context, status=400)
    if form.is_bound:
        data = form.cleaned_data
        district = data["district"]
        context.update(
            chosen=district,
            profile=profile_for(district.state),
            rows=medicaid.attendance_in(district, data["start"], data["end"]).count(),
            querystring=urlencode(
                {"district": str(district.public_id), "start": data["start"], "end": data["end"]}
            ),
        )
    return render(request, "services/medicaid_export.html", context)


def _download(request: HttpRequest, which: str) -> HttpResponse:
    form = MedicaidExportForm(request.GET, districts=_districts(request))
    if not form.is_valid():
        message = "; ".join(f"{name}: {' '.join(errs)}" for name, errs in form.errors.items())
        return HttpResponse(message, status=400, content_type="text/plain; charset=utf-8")
    data = form.cleaned_data
    user: User = request.user  # type: ignore[assignment]
    return medicaid_export.csv_response(
        user, data["district"], data["start"], data["end"], which=which
    )


@require_GET
def medicaid_export_csv(request: HttpRequest) -> HttpResponse:
    """The billable sessions of the range, one line per student per session (streamed CSV)."""
    return _download(request, medicaid_export.BILLABLE)


@require_GET
def medicaid_unbillable_csv(request: HttpRequest) -> HttpResponse:
    """The sessions of the range that cannot be billed, each with why (streamed CSV)."""
    return _download(request, medicaid_export.UNBILLABLE)
