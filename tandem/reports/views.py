"""Progress-report pages: a school's reports by period, one report, its PDF, and batches."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem.access.capabilities import Cap
from tandem.access.gatekeepers import access_owned
from tandem.access.policy import student_access
from tandem.access.routes import Scope, writes
from tandem.audit.catalogue import Action
from tandem.communication.deliveries import mark_opened
from tandem.core import clock
from tandem.core.handling import run_action
from tandem.documents.pdf import pdf_response
from tandem.reports import actions, pages, queries
from tandem.reports.forms import BatchForm, DraftForm


def _detail_url(report: object) -> str:
    return reverse("report_detail", args=[report.public_id])  # type: ignore[attr-defined]


def _opened_by_family(request: HttpRequest) -> None:
    """A parent opened what was delivered to the portal: the delivery is marked opened."""
    if not queries.is_staff_reader(request.user):  # type: ignore[arg-type]
        mark_opened(request.user, request.path)


@require_GET
def report_list(request: HttpRequest) -> HttpResponse:
    if not queries.is_staff_reader(request.user):  # type: ignore[arg-type]
        raise Http404  # a family reads its reports in the portal
    context = pages.list_context(request.user, request.GET, clock.today())  # type: ignore[arg-type]
    return render(request, "reports/list.html", context)


@writes(Scope.DISTRICT)
@require_POST
def report_batch_new(request: HttpRequest) -> HttpResponse:
    if not queries.is_staff_reader(request.user):  # type: ignore[arg-type]
        raise Http404
    chosen = pages.school_and_period(request.user, request.POST, clock.today())  # type: ignore[arg-type]
    form = BatchForm(request.POST, schools=chosen.schools, periods=chosen.periods)
    launch = lambda data: actions.launch_batch(  # noqa: E731
        actor=request.user, school=chosen.school, period=chosen.as_period(), mode=data["mode"]
    )
    then = lambda batch: reverse("report_batch", args=[batch.public_id])  # noqa: E731
    if done := run_action(request, form, launch, then=then):
        return done
    return render(request, "reports/batch_new.html", {"form": form})


@require_GET
def report_batch(request: HttpRequest, batch_id: UUID) -> HttpResponse:
    batch = get_object_or_404(queries.batches_visible_to(request.user), public_id=batch_id)  # type: ignore[arg-type]
    template = "reports/_batch_status.html" if request.htmx else "reports/batch.html"  # type: ignore[attr-defined]
    return render(request, template, {"batch": batch})


@writes(Cap.RECORD_PROGRESS)
@require_http_methods(["GET", "POST"])
def report_detail(request: HttpRequest, report_id: UUID) -> HttpResponse:
    user, posting = request.user, request.method == "POST"
    report, access = access_owned(
        user,  # type: ignore[arg-type]
        queries.reports_readable_by(user),  # type: ignore[arg-type]
        report_id,
        need=Cap.RECORD_PROGRESS if posting else Cap.READ,
        action=None if posting else Action.PROGRESS_REPORT__VIEWED,
    )
    form = pages.edit_form(report, access, request.POST if posting else None)
    save = lambda _data: actions.save_report(actor=user, report=report, entries=form.entries())  # noqa: E731
    message = _("The report was saved.")
    if posting and (done := run_action(request, form, save, message=message, then=_detail_url)):
        return done
    if not posting:
        _opened_by_family(request)
    context = pages.detail_context(user, report, access, form)  # type: ignore[arg-type]
    return render(request, "reports/detail.html", context)


@writes(Cap.ISSUE_REPORTS)
@require_POST
def report_issue(request: HttpRequest, report_id: UUID) -> HttpResponse:
    user = request.user
    reports = queries.reports_readable_by(user)  # type: ignore[arg-type]
    report, _access = access_owned(user, reports, report_id, need=Cap.ISSUE_REPORTS)  # type: ignore[arg-type]
    try:
        actions.issue_report(actor=user, report=report)  # type: ignore[arg-type]
    except ValidationError as error:
        reason = " ".join(error.messages)
        messages.error(request, _("The report was not issued: %(reason)s") % {"reason": reason})
    else:
        messages.success(request, _("The report was issued and sent to the family."))
    return redirect(_detail_url(report))


@writes(Cap.ISSUE_REPORTS)
@require_POST
def report_draft(request: HttpRequest, student_id: UUID) -> HttpResponse:
    access = student_access(request.user, student_id, need=Cap.ISSUE_REPORTS, action=None)  # type: ignore[arg-type]
    form = DraftForm(request.POST, periods=pages.draft_periods(access.student))
    draft = lambda data: actions.draft_report(  # noqa: E731
        actor=request.user, student=access.student, period_key=data["period"]
    )
    message = _("The report was drafted from the data; review it.")
    if done := run_action(request, form, draft, message=message, then=_detail_url):
        return done
    context = {"form": form, "student": access.student, "access": access}
    return render(request, "reports/draft_new.html", context)


@require_GET
def report_pdf(request: HttpRequest, report_id: UUID) -> HttpResponse:
    user = request.user
    reports = queries.reports_readable_by(user)  # type: ignore[arg-type]
    report, access = access_owned(user, reports, report_id, action=Action.PROGRESS_REPORT__PDF)  # type: ignore[arg-type]
    name = f"progress-report-{access.student.sis_id}-{report.period_end:%Y-%m-%d}"
    if not report.is_issued:
        rows = list(report.goals.order_by("position", "id"))
        return pdf_response(actions.render_report_pdf(report, rows), f"{name}-draft.pdf")
    _opened_by_family(request)
    pdf = queries.pdf_bytes(report)
    if pdf is None:  # pragma: no cover - every issued report has its PDF
        raise Http404
    return pdf_response(pdf, f"{name}.pdf")
