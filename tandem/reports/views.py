"""Progress-report pages: a school's reports by period, one report, its PDF, and batches."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem.access import audit
from tandem.access.policy import Need, access_student, can
from tandem.reports import actions, queries, schedule
from tandem.reports.forms import (
    BatchForm,
    DraftForm,
    ReportEditForm,
    SchoolPeriodForm,
    default_period,
)
from tandem.reports.models import ProgressReport
from tandem.web.pdf import pdf_response


def _mark_opened(request: HttpRequest) -> None:
    try:
        from tandem.communication.deliveries import mark_opened
    except ImportError:  # pragma: no cover - built alongside
        return
    mark_opened(request.user, request.path)


def _school_and_period(request: HttpRequest, data: Any) -> dict[str, Any]:
    """The schools the user may pick, the chosen one, its marking periods and the chosen one."""
    schools = list(queries.schools_for(request.user))  # type: ignore[arg-type]
    by_id = {str(s.public_id): s for s in schools}
    school = by_id.get(str(data.get("school", ""))) or (schools[0] if schools else None)
    periods = queries.marking_periods_for(school) if school else []
    by_pk = {str(p.pk): p for p in periods}
    period = by_pk.get(str(data.get("period", ""))) or default_period(periods, timezone.localdate())
    return {"schools": schools, "school": school, "periods": periods, "period": period}


@login_required
@require_GET
def report_list(request: HttpRequest) -> HttpResponse:
    if not queries.is_staff_reader(request.user):  # type: ignore[arg-type]
        raise Http404
    chosen = _school_and_period(request, request.GET)
    school, period = chosen["school"], chosen["period"]
    initial = {
        "school": str(school.public_id) if school else "",
        "period": str(period.pk) if period else "",
    }
    form = SchoolPeriodForm(initial=initial, schools=chosen["schools"], periods=chosen["periods"])
    rows: list[dict[str, Any]] = []
    batch_form = batches = None
    if school is not None and period is not None:
        rows = queries.school_rows(request.user, school, period)  # type: ignore[arg-type]
        if actions.may_launch_batches(request.user, school):  # type: ignore[arg-type]
            batch_form = BatchForm(
                initial=initial, schools=chosen["schools"], periods=chosen["periods"]
            )
        batches = list(queries.batches_for(request.user, school)[:5])  # type: ignore[arg-type]
        audit.record(
            actor=request.user,  # type: ignore[arg-type]
            action="progress_report.list_viewed",
            district=school.district,
            detail={"school": school.name, "period": period.name, "students": len(rows)},
        )
    context = {
        "form": form,
        "school": school,
        "period": period,
        "rows": rows,
        "batch_form": batch_form,
        "batches": batches,
        "counts": {
            "issued": sum(1 for r in rows if r["report"] and r["report"].is_issued),
            "draft": sum(1 for r in rows if r["report"] and not r["report"].is_issued),
            "missing": sum(1 for r in rows if not r["report"]),
        },
    }
    return render(request, "reports/list.html", context)


@login_required
@require_POST
def report_batch_new(request: HttpRequest) -> HttpResponse:
    if not queries.is_staff_reader(request.user):  # type: ignore[arg-type]
        raise Http404
    chosen = _school_and_period(request, request.POST)
    form = BatchForm(request.POST, schools=chosen["schools"], periods=chosen["periods"])
    if form.is_valid():
        school, mp = chosen["school"], chosen["period"]
        if not actions.may_launch_batches(request.user, school):  # type: ignore[arg-type]
            raise PermissionDenied
        period = schedule.Period(mp.name, mp.start, mp.end, mp.report_card_date)
        try:
            batch = actions.launch_batch(
                actor=request.user,  # type: ignore[arg-type]
                school=school,
                period=period,
                mode=form.cleaned_data["mode"],
            )
        except ValidationError as error:
            form.add_action_errors(error)
        else:
            return redirect("report_batch", batch_id=batch.public_id)
    return render(request, "reports/batch_new.html", {"form": form})


@login_required
@require_GET
def report_batch(request: HttpRequest, batch_id: str) -> HttpResponse:
    batch = queries.access_batch(request.user, batch_id)  # type: ignore[arg-type]
    template = "reports/_batch_status.html" if request.htmx else "reports/batch.html"  # type: ignore[attr-defined]
    return render(request, template, {"batch": batch})


def _graphs(rows: list[Any], report: ProgressReport) -> dict[Any, Any]:
    """Live progress for a draft's goals (issued reports show what was frozen)."""
    if report.is_issued or not actions.graph_available():
        return {}
    goals = [row.goal for row in rows if row.goal is not None]
    return actions.progress_until(goals, report.period_end)


def _detail_context(
    request: HttpRequest, report: ProgressReport, student: Any, form: ReportEditForm | None
) -> dict[str, Any]:
    rows = list(
        report.goals.select_related("goal__plan__student__district").order_by("position", "id")
    )
    can_write = (
        queries.is_staff_reader(request.user)  # type: ignore[arg-type]
        and can(request.user, Need.WRITE, student)  # type: ignore[arg-type]
    )
    if form is None and can_write and not report.is_issued:
        form = ReportEditForm(rows=rows)
    progress = _graphs(rows, report)
    items = []
    bound = {b["row"].pk: b for b in form.bound_rows()} if form is not None else {}
    for row in rows:
        items.append(
            {
                "row": row,
                "gp": progress.get(row.goal_lineage),
                "graph_html": row.data.get("graph_html", "") if report.is_issued else "",
                "fields": bound.get(row.pk),
            }
        )
    return {
        "report": report,
        "student": student,
        "items": items,
        "form": form,
        "can_write": can_write,
        "is_staff": queries.is_staff_reader(request.user),  # type: ignore[arg-type]
    }


@login_required
@require_http_methods(["GET", "POST"])
def report_detail(request: HttpRequest, report_id: str) -> HttpResponse:
    if request.method == "POST":
        report, student = queries.access_report(
            request.user,  # type: ignore[arg-type]
            report_id,
            need=Need.WRITE,
            action=None,
        )
        rows = list(report.goals.order_by("position", "id"))
        form = ReportEditForm(request.POST, rows=rows)
        if form.is_valid():
            try:
                actions.save_report(
                    actor=request.user,  # type: ignore[arg-type]
                    report=report,
                    entries=form.entries(),
                )
            except ValidationError as error:
                form.add_action_errors(error)
            else:
                messages.success(request, _("The report was saved."))
                return redirect("report_detail", report_id=report.public_id)
        return render(
            request, "reports/detail.html", _detail_context(request, report, student, form)
        )
    report, student = queries.access_report(request.user, report_id)  # type: ignore[arg-type]
    if not queries.is_staff_reader(request.user):  # type: ignore[arg-type]
        _mark_opened(request)
    return render(request, "reports/detail.html", _detail_context(request, report, student, None))


@login_required
@require_POST
def report_issue(request: HttpRequest, report_id: str) -> HttpResponse:
    report, student = queries.access_report(
        request.user,  # type: ignore[arg-type]
        report_id,
        need=Need.WRITE,
        action=None,
    )
    try:
        actions.issue_report(actor=request.user, report=report)  # type: ignore[arg-type]
    except ValidationError as error:
        messages.error(
            request,
            _("The report was not issued: %(reason)s") % {"reason": " ".join(error.messages)},
        )
    else:
        messages.success(request, _("The report was issued and sent to the family."))
    return redirect("report_detail", report_id=report.public_id)


@login_required
@require_POST
def report_draft(request: HttpRequest, student_id: str) -> HttpResponse:
    student = access_student(request.user, student_id, need=Need.WRITE, action=None)  # type: ignore[arg-type]
    plan = actions.reporting_plan(student)
    periods = schedule.periods_for(plan) if plan is not None else []
    form = DraftForm(request.POST, periods=periods)
    if form.is_valid():
        try:
            report = actions.draft_report(
                actor=request.user,  # type: ignore[arg-type]
                student=student,
                period_key=form.cleaned_data["period"],
            )
        except ValidationError as error:
            form.add_action_errors(error)
        else:
            messages.success(request, _("The report was drafted from the data; review it."))
            return redirect("report_detail", report_id=report.public_id)
    return render(request, "reports/draft_new.html", {"form": form, "student": student}, status=200)


@login_required
@require_GET
def report_pdf(request: HttpRequest, report_id: str) -> HttpResponse:
    report, student = queries.access_report(
        request.user,  # type: ignore[arg-type]
        report_id,
        action="progress_report.pdf",
    )
    name = f"progress-report-{student.sis_id}-{report.period_end:%Y-%m-%d}"
    if report.is_issued:
        if not queries.is_staff_reader(request.user):  # type: ignore[arg-type]
            _mark_opened(request)
        pdf = queries.pdf_bytes(report)
        if pdf is None:  # pragma: no cover - every issued report has its PDF
            raise Http404
        return pdf_response(pdf, f"{name}.pdf")
    rows = list(report.goals.order_by("position", "id"))
    return pdf_response(actions.render_report_pdf(report, rows), f"{name}-draft.pdf")
