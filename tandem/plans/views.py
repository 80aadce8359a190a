"""Plan pages: the plan in plain words, its versions and comparisons (read only); the PDFs are
in views_pdf.py."""

from __future__ import annotations

from uuid import UUID

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from tandem.access.gatekeepers import access_plan
from tandem.core import clock
from tandem.plans import pages, queries


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
