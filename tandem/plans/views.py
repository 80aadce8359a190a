"""Plan pages: the plan in plain words, its versions, comparisons, and the PDFs (read only)."""

from __future__ import annotations

from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.views.decorators.http import require_GET

from tandem.access.gatekeepers import access_plan
from tandem.audit.catalogue import Action
from tandem.core import clock
from tandem.documents.pdf import pdf_response, render_pdf
from tandem.plans import pages, queries
from tandem.plans.document_facts import document_facts
from tandem.plans.models import Plan, PlanVersion


@require_GET
def plan_detail(request: HttpRequest, plan_id: UUID) -> HttpResponse:
    plan, access = access_plan(request.user, plan_id)  # type: ignore[arg-type]
    context = pages.detail(plan, access, today=clock.today())
    return render(request, "plans/detail.html", context)


@require_GET
def plan_versions(request: HttpRequest, plan_id: UUID) -> HttpResponse:
    plan, access = access_plan(request.user, plan_id)  # type: ignore[arg-type]
    context = pages.base(plan, access, versions=list(queries.versions_of(plan)))
    return render(request, "plans/versions.html", context)


@require_GET
def plan_version(request: HttpRequest, plan_id: UUID, number: int) -> HttpResponse:
    plan, access = access_plan(request.user, plan_id, detail={"version": number})  # type: ignore[arg-type]
    version = pages.version_or_404(plan, number)
    context = pages.base(plan, access, **pages.document(plan, version))
    return render(request, "plans/version.html", context)


@require_GET
def plan_compare(request: HttpRequest, plan_id: UUID) -> HttpResponse:
    plan, access = access_plan(request.user, plan_id)  # type: ignore[arg-type]
    return render(request, "plans/compare.html", pages.comparison(plan, access, request.GET))


def _pdf(request: HttpRequest, plan: Plan, version: PlanVersion | None) -> HttpResponse:
    language = queries.language_for(plan.student, request.GET.get("lang"))
    with translation.override(language):
        context = {"plan": plan, "student": plan.student, **pages.document(plan, version)}
        context.update(document_facts(plan, context["doc"]), page_css=pages.pdf_footer())
        pdf = render_pdf(request, "plans/document_pdf.html", context)
    shown = context["version"]
    suffix = f"v{shown.number}" if shown is not None else "draft"
    return pdf_response(pdf, f"{plan.kind}-{plan.public_id}-{suffix}.pdf")


@require_GET
def plan_pdf(request: HttpRequest, plan_id: UUID) -> HttpResponse:
    plan, _access = access_plan(request.user, plan_id, action=Action.PLAN__PDF)  # type: ignore[arg-type]
    return _pdf(request, plan, None)


@require_GET
def plan_version_pdf(request: HttpRequest, plan_id: UUID, number: int) -> HttpResponse:
    plan, _access = access_plan(  # type: ignore[arg-type]
        request.user, plan_id, action=Action.PLAN__PDF, detail={"version": number}
    )
    return _pdf(request, plan, pages.version_or_404(plan, number))
