"""A plan's PDF: a kept one at once; a small one made in the request; a large one made by the
worker while the reader sees a page that says so (and checks again), or says plainly that it
failed and offers to try again.

The access policy is the one gate (`access_plan`); "plan.pdf" is recorded when a PDF is served.
"""

from __future__ import annotations

import hashlib
import logging
import time
from typing import Any
from uuid import UUID

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_POST

from tandem import audit
from tandem.access.capabilities import Cap
from tandem.access.gatekeepers import access_plan
from tandem.access.policy import Access
from tandem.access.routes import writes
from tandem.audit.catalogue import Action
from tandem.documents.pdf import html_to_pdf, pdf_response
from tandem.documents.storage import document_storage
from tandem.plans import actions_pdf, pages, pdf_document, queries
from tandem.plans.models import PdfFailure, PdfStatus, Plan, PlanPdf, PlanVersion

log = logging.getLogger(__name__)

# htmx stops polling when the answer's status is 286 (its documented "stop polling" code).
STOP_POLLING = 286


def _stored(row: PlanPdf | None) -> bytes | None:
    """The kept file, if it is there and is what was written; else the row is queued again."""
    if row is None or row.status != PdfStatus.READY:
        return None
    try:
        with document_storage().open(row.file.name, "rb") as handle:
            pdf = handle.read()
    except OSError:
        pdf = b""
    if hashlib.sha256(pdf).hexdigest() == row.sha256:
        return pdf
    log.warning("plan PDF %s: the kept file is missing or changed; made again", row.pk)
    actions_pdf.requeue(row=row)
    return None


def _urls(plan: Plan, version: PlanVersion | None, language: str) -> dict[str, str]:
    if version is None:
        here = reverse("plan_pdf", args=[plan.public_id])
        retry = reverse("plan_pdf_retry", args=[plan.public_id])
    else:
        here = reverse("plan_version_pdf", args=[plan.public_id, version.number])
        retry = reverse("plan_version_pdf_retry", args=[plan.public_id, version.number])
    return {"check_url": f"{here}?{urlencode({'lang': language})}", "retry_url": retry}


def _status(
    request: HttpRequest,
    plan: Plan,
    access: Access,
    version: PlanVersion | None,
    row: PlanPdf,
    language: str,
) -> HttpResponse:
    ready = row.status == PdfStatus.READY and document_storage().exists(row.file.name)
    context: dict[str, Any] = {
        "plan": plan,
        "student": plan.student,
        "row": row,
        "language": language,
        "pending": row.status in (PdfStatus.QUEUED, PdfStatus.RENDERING),
        "ready": ready,
        "failed": row.status == PdfStatus.FAILED,
        "timed_out": row.failure == PdfFailure.TIMED_OUT,
        "limit_seconds": settings.PDF_RENDER_SECONDS,
        "may_retry": access.has(Cap.WRITE_PLAN),
        **_urls(plan, version, language),
    }
    if request.htmx:  # type: ignore[attr-defined]
        # The polled region holds no part of the record: nothing to log.
        status = 200 if context["pending"] else STOP_POLLING
        return render(request, "plans/_pdf_status.html", context, status=status)
    audit.record(
        actor=request.user,  # type: ignore[arg-type]
        action=Action.PLAN__VIEWED,
        student=plan.student,
        target=plan,
        detail={"pdf": row.status, "language": language},
    )
    return render(
        request, "plans/pdf_status.html", context, status=202 if context["pending"] else 200
    )


def _pdf(
    request: HttpRequest, plan: Plan, access: Access, version: PlanVersion | None
) -> HttpResponse:
    language = queries.language_for(plan.student, request.GET.get("lang"))
    target = pdf_document.target_for(plan, version)
    row = PlanPdf.objects.filter(plan=plan, key=target.key, language=language).first()
    pdf = _stored(row)
    if pdf is None and target.is_small and not request.htmx:  # type: ignore[attr-defined]
        started = time.monotonic()
        pdf = html_to_pdf(pdf_document.html_for(plan, target, language))
        if target.version is not None:
            actions_pdf.keep_inline(
                plan=plan,
                target=target,
                language=language,
                pdf=pdf,
                seconds=time.monotonic() - started,
            )
    if pdf is None or request.htmx:  # type: ignore[attr-defined]
        row = actions_pdf.request_render(plan=plan, target=target, language=language)
        return _status(request, plan, access, version, row, language)
    audit.record(
        actor=request.user,  # type: ignore[arg-type]
        action=Action.PLAN__PDF,
        student=plan.student,
        target=plan,
        detail={"version": version.number} if version is not None else None,
    )
    return pdf_response(pdf, pdf_document.filename_for(plan, target))


@require_GET
def plan_pdf(request: HttpRequest, plan_id: UUID) -> HttpResponse:
    plan, access = access_plan(request.user, plan_id, action=None)  # type: ignore[arg-type]
    return _pdf(request, plan, access, None)


@require_GET
def plan_version_pdf(request: HttpRequest, plan_id: UUID, number: int) -> HttpResponse:
    plan, access = access_plan(request.user, plan_id, action=None)  # type: ignore[arg-type]
    return _pdf(request, plan, access, pages.version_or_404(plan, number))


def _retry(request: HttpRequest, plan: Plan, version: PlanVersion | None) -> HttpResponse:
    language = queries.language_for(plan.student, request.POST.get("lang"))
    target = pdf_document.target_for(plan, version)
    row = PlanPdf.objects.filter(plan=plan, key=target.key, language=language).first()
    if row is not None:
        actions_pdf.retry_plan_pdf(actor=request.user, plan=plan, row=row)  # type: ignore[arg-type]
    return redirect(_urls(plan, version, language)["check_url"])


@writes(Cap.WRITE_PLAN)
@require_POST
def plan_pdf_retry(request: HttpRequest, plan_id: UUID) -> HttpResponse:
    plan, _access = access_plan(request.user, plan_id, need=Cap.WRITE_PLAN, action=None)  # type: ignore[arg-type]
    return _retry(request, plan, None)


@writes(Cap.WRITE_PLAN)
@require_POST
def plan_version_pdf_retry(request: HttpRequest, plan_id: UUID, number: int) -> HttpResponse:
    plan, _access = access_plan(request.user, plan_id, need=Cap.WRITE_PLAN, action=None)  # type: ignore[arg-type]
    return _retry(request, plan, pages.version_or_404(plan, number))
