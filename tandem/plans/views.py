"""Plan pages: the plan in plain words, its versions, comparisons, and the PDFs."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET

from tandem.plans import queries
from tandem.plans.compare import compare_versions
from tandem.plans.gate import access_plan, language_for
from tandem.plans.models import Plan, PlanVersion
from tandem.web.pdf import pdf_response, render_pdf


def _document(plan: Plan, version: PlanVersion | None) -> dict[str, Any]:
    """What the page and the PDF show: a frozen version, or the plan's current content."""
    if version is not None:
        snapshot, draft = version.snapshot, False
    else:
        snapshot, draft = queries.current_snapshot(plan), queries.is_live_draft(plan)
        version = None if draft else plan.current_version
    return {"doc": queries.readable(snapshot), "version": version, "is_draft": draft}


def _version(plan: Plan, number: int) -> PlanVersion:
    version = queries.version_of(plan, number)
    if version is None:
        raise Http404
    return version


@login_required
@require_GET
def plan_detail(request: HttpRequest, plan_id: str) -> HttpResponse:
    plan, student = access_plan(request.user, plan_id)  # type: ignore[arg-type]
    context = {"plan": plan, "student": student, **_document(plan, None)}
    return render(request, "plans/detail.html", context)


@login_required
@require_GET
def plan_versions(request: HttpRequest, plan_id: str) -> HttpResponse:
    plan, student = access_plan(request.user, plan_id)  # type: ignore[arg-type]
    versions = list(queries.versions_of(plan))
    return render(
        request, "plans/versions.html", {"plan": plan, "student": student, "versions": versions}
    )


@login_required
@require_GET
def plan_version(request: HttpRequest, plan_id: str, number: int) -> HttpResponse:
    plan, student = access_plan(  # type: ignore[arg-type]
        request.user, plan_id, detail={"version": number}
    )
    version = _version(plan, number)
    context = {"plan": plan, "student": student, **_document(plan, version)}
    return render(request, "plans/version.html", context)


class CompareForm(forms.Form):
    a = forms.TypedChoiceField(label=gettext_lazy("From version"), coerce=int)
    b = forms.TypedChoiceField(label=gettext_lazy("To version"), coerce=int)

    def __init__(self, *args: Any, versions: list[PlanVersion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices = [
            (
                str(v.number),
                _("Version %(number)s (%(kind)s, %(day)s)")
                % {"number": v.number, "kind": v.get_kind_display(), "day": v.created_at.date()},
            )
            for v in versions
        ]
        for name in ("a", "b"):
            self.fields[name].choices = choices
            self.fields[name].error_messages["invalid_choice"] = _("Choose a version of this plan.")
            self.fields[name].error_messages["required"] = _("Choose a version of this plan.")


@login_required
@require_GET
def plan_compare(request: HttpRequest, plan_id: str) -> HttpResponse:
    plan, student = access_plan(request.user, plan_id)  # type: ignore[arg-type]
    versions = list(queries.versions_of(plan))
    data = request.GET if ("a" in request.GET or "b" in request.GET) else None
    if data is None and len(versions) >= 2:
        data = {"a": str(versions[-2].number), "b": str(versions[-1].number)}
    form = CompareForm(data, versions=versions)
    differences = None
    older = newer = None
    if data is not None and form.is_valid():
        by_number = {v.number: v for v in versions}
        older, newer = by_number[form.cleaned_data["a"]], by_number[form.cleaned_data["b"]]
        differences = compare_versions(older, newer)
    context = {
        "plan": plan,
        "student": student,
        "versions": versions,
        "form": form,
        "differences": differences,
        "older": older,
        "newer": newer,
    }
    return render(request, "plans/compare.html", context)


def _pdf(request: HttpRequest, plan: Plan, version: PlanVersion | None) -> HttpResponse:
    language = language_for(plan.student, request.GET.get("lang"))
    with translation.override(language):
        context = {"plan": plan, "student": plan.student, **_document(plan, version)}
        context["page_css"] = _("Page %(page)s of %(pages)s") % {
            "page": '" counter(page) "',
            "pages": '" counter(pages) "',
        }
        pdf = render_pdf(request, "plans/document_pdf.html", context)
    shown = context["version"]
    suffix = f"v{shown.number}" if shown is not None else "draft"
    return pdf_response(pdf, f"{plan.kind}-{plan.public_id}-{suffix}.pdf")


@login_required
@require_GET
def plan_pdf(request: HttpRequest, plan_id: str) -> HttpResponse:
    plan, _student = access_plan(request.user, plan_id, action="plan.pdf")  # type: ignore[arg-type]
    return _pdf(request, plan, None)


@login_required
@require_GET
def plan_version_pdf(request: HttpRequest, plan_id: str, number: int) -> HttpResponse:
    plan, _student = access_plan(  # type: ignore[arg-type]
        request.user, plan_id, action="plan.pdf", detail={"version": number}
    )
    return _pdf(request, plan, _version(plan, number))
