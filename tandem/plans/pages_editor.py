"""What the draft editor's pages show, built from the plan and the decision on its student.

The views in `views_editor.py` fetch the plan through its gatekeeper, run an action and render
one of these contexts; nothing here writes.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.urls import reverse

from tandem.access.policy import Access
from tandem.people.models import Student
from tandem.plans import actions_common, queries, readiness
from tandem.plans import forms_editor as f
from tandem.plans.eligibility_gate import iep_refusal
from tandem.plans.models import Accommodation, Plan, PlanKind, PlanSection, SectionKey, Service
from tandem.plans.pages import base
from tandem.rules import accommodations as library

LIBRARY_RESULTS = 25


# --- starting a draft -------------------------------------------------------------------------


def new_plan_initial(student: Student, asked: str | None) -> dict[str, Any]:
    """The kind asked for (?kind=), else an IEP; a 504 Plan when the student's eligibility is
    under Section 504 only (an IEP would be refused)."""
    kind = asked if asked in PlanKind.values else PlanKind.IEP
    if kind == PlanKind.IEP and iep_refusal(student):
        kind = PlanKind.SECTION_504
    return {"kind": kind}


def new_plan(student: Student, access: Access, form: Any) -> dict[str, Any]:
    """The start page: the form, the draft already open when that was the refusal, and why an
    IEP cannot be started for a student eligible under 504 only (with the 504 Plan offered)."""
    refused = form.is_bound and bool(form.errors)
    existing = queries.open_draft(student, form.data.get("kind", "")) if refused else None
    why_not_iep = iep_refusal(student)
    return {
        "student": student,
        "access": access,
        "form": form,
        "existing": existing,
        "iep_refusal": why_not_iep,
        "iep_refused_now": refused and form.data.get("kind") == PlanKind.IEP,
        "open_504": queries.open_draft(student, PlanKind.SECTION_504) if why_not_iep else None,
    }


# --- the draft's home ---------------------------------------------------------------------------


def _section_rows(plan: Plan) -> list[dict[str, Any]]:
    saved = {s.key: s for s in PlanSection.objects.filter(plan=plan).select_related("updated_by")}
    return [
        {
            "key": key,
            "label": SectionKey(key).label,
            "section": saved.get(key),
            "filled": key in saved and not saved[key].is_empty,
        }
        for key in f.sections_for(plan.kind)
    ]


def warnings_for(item: Accommodation) -> list[str]:
    """The editor's warnings on how an accommodation is worded (never refusals)."""
    return f.wording_warnings(
        kind=item.kind,
        text=item.text,
        frequency_condition=item.frequency_condition,
        provider_role=item.provider_role,
    )


def _accommodation_rows(plan: Plan) -> list[dict[str, Any]]:
    places = dict(f.AppliesTo.choices)
    return [
        {
            "item": item,
            "places": ", ".join(str(places.get(p, p)) for p in item.applies_to or []),
            "warnings": warnings_for(item),
        }
        for item in plan.accommodations.all()
    ]


def _lre(plan: Plan, services: list[Service], content: Any) -> f.LreReading | None:
    if plan.kind != PlanKind.IEP:
        return None
    placement = content.get("placement", "") if isinstance(content, dict) else ""
    return f.compute_lre(services, district=plan.student.district, placement=placement)


def home(plan: Plan, access: Access, dates: Any, consent_form: Any = None) -> dict[str, Any]:
    """The draft's home: dates, sections, the LRE, services, accommodations, goals, and on a
    first IEP the parent's consent to the initial provision of services."""
    initial = readiness.is_initial_iep(plan)
    if initial and consent_form is None:
        consent_form = f.ServicesConsentForm(initial={"answer": "yes"})
    sections = _section_rows(plan)
    services = list(plan.services.all())
    lre = next((r["section"] for r in sections if r["key"] == SectionKey.LRE), None)
    lre_content = lre.content if lre is not None and isinstance(lre.content, dict) else {}
    return base(
        plan,
        access,
        dates=dates,
        sections=sections,
        services=services,
        accommodations=_accommodation_rows(plan),
        goals=list(plan.goals.all()),
        is_iep=plan.kind == PlanKind.IEP,
        lre=_lre(plan, services, lre_content),
        removal_explanation=lre_content.get("removal_explanation", ""),
        initial_iep=initial,
        consent_form=consent_form,
        services_consent=readiness.services_consent(plan) if initial else None,
    )


# --- sections -----------------------------------------------------------------------------------


def _section_form(plan: Plan, key: str, section: PlanSection | None) -> tuple[Any, bool]:
    """The section's form filled from what is saved (a 504 impairment from the eligibility)."""
    initial = f.initial_from_content(key, section.content if section else {})
    prefilled = False
    if key == SectionKey.SECTION_504_IMPAIRMENT and (section is None or section.is_empty):
        initial.update(queries.eligibility_504_prefill(plan.student))
        prefilled = bool(initial)
    initial["revision"] = section.revision if section else 0
    return f.SectionForm(key=key, content=initial, initial=initial), prefilled


def section(
    plan: Plan, access: Access, key: str, user_id: int, form: Any = None, **more: Any
) -> dict[str, Any]:
    """One section's page: its form (the saved text, or what was refused), the LRE for its own."""
    saved = PlanSection.objects.filter(plan=plan, key=key).select_related("updated_by").first()
    prefilled = False
    if form is None:
        form, prefilled = _section_form(plan, key, saved)
    content = saved.content if saved is not None else {}
    services = list(plan.services.all()) if key == SectionKey.LRE else []
    return base(
        plan,
        access,
        key=key,
        label=SectionKey(key).label,
        section=saved,
        form=form,
        revision=saved.revision if saved else 0,
        storage_key=f"tandem:draft:{plan.public_id}:{key}:{user_id}",
        lre=_lre(plan, services, content) if key == SectionKey.LRE else None,
        sections=[(k, SectionKey(k).label) for k in f.sections_for(plan.kind)],
        prefilled=prefilled,
        **more,
    )


def conflict(key: str, mine: Any, stale: actions_common.StaleEdit) -> dict[str, Any]:
    """Both versions of a section saved by someone else meanwhile, field by field."""
    return {
        "stale": stale,
        "rows": f.conflict_rows(key, mine, stale.current_content),
        "revision": stale.current_revision,
    }


def newer_section(plan: Plan, key: str, seen: int, user_id: int) -> dict[str, Any]:
    """Whether someone saved the section since revision `seen` (the poll while it is open)."""
    newer = (
        PlanSection.objects.filter(plan=plan, key=key, revision__gt=seen)
        .select_related("updated_by")
        .only(
            "revision",
            "updated_at",
            "updated_by__first_name",
            "updated_by__last_name",
            "updated_by__email",
        )
        .first()
    )
    return {
        "plan": plan,
        "key": key,
        "newer": newer,
        "mine": newer and newer.updated_by_id == user_id,
    }


# --- services and accommodations ----------------------------------------------------------------


def service_initial(plan: Plan, service: Service | None) -> dict[str, Any]:
    if service is None:
        return {
            "lock_version": plan.lock_version,
            "start_date": plan.effective_from,
            "end_date": plan.effective_to,
        }
    return {name: getattr(service, name) for name in actions_common.SERVICE_FIELDS} | {
        "lock_version": plan.lock_version
    }


def library_search(asked: Any) -> tuple[f.LibrarySearchForm, list[Any]]:
    """The district library searched by words and category."""
    search = f.LibrarySearchForm(asked or None)
    results: list[Any] = []
    if search.is_valid() and (search.cleaned_data["q"] or search.cleaned_data["category"]):
        category = search.cleaned_data["category"] or None
        found = library.search(
            search.cleaned_data["q"], category=library.Category(category) if category else None
        )
        results = list(found)[:LIBRARY_RESULTS]
    return search, results


def _from_library(code: str) -> dict[str, Any]:
    try:
        entry = library.get(code)
    except KeyError:
        return {}
    return {
        "kind": str(entry.kind),
        "category": str(entry.category),
        "text": f"{entry.title}: {entry.description}",
        "applies_to": sorted(str(p) for p in entry.applies_to),
    }


def accommodation_initial(plan: Plan, item: Accommodation | None, code: str) -> dict[str, Any]:
    """The form's first values: the item's, or a library entry's (?code=), or a blank one."""
    if item is not None:
        initial = {name: getattr(item, name) for name in actions_common.ACCOMMODATION_FIELDS}
    else:
        initial = {"kind": "accommodation", "applies_to": ["classroom"], **_from_library(code)}
    return initial | {"lock_version": plan.lock_version}


def accommodation(
    plan: Plan, access: Access, item: Accommodation | None, form: Any, asked: Any
) -> dict[str, Any]:
    search, results = library_search(asked)
    # The saved wording's warnings; a refused form shows its errors instead.
    warnings = warnings_for(item) if item is not None and not form.is_bound else []
    return base(
        plan, access, form=form, item=item, warnings=warnings, search=search, results=results
    )


# --- finalizing ---------------------------------------------------------------------------------


def _problem_link(plan: Plan, where: str) -> str:
    edit = reverse("plan_edit", args=[plan.public_id])
    kind, _sep, ident = where.partition(":")
    if kind == "section":
        if ident in f.sections_for(plan.kind):
            return reverse("plan_section_edit", args=[plan.public_id, ident])
        return edit
    if kind == "service":
        return reverse("plan_service_edit", args=[plan.public_id, ident])
    if kind == "accommodation":
        return reverse("plan_accommodation_edit", args=[plan.public_id, ident])
    if kind == "goal":
        return reverse("goal_edit", args=[plan.public_id, ident])
    links = {
        "goals": "#goals",
        "services": "#services",
        "accommodations": "#accommodations",
        "consent": "#consent",
        "meeting_date": "#dates",
        "effective_to": "#dates",
    }
    if where == "effective_from":
        return "#id_effective_from"
    return edit + links.get(where, "")


def check_date(plan: Plan, today: date) -> date:
    """The day the check assumes the plan takes effect: the meeting if it is ahead, else today."""
    return plan.meeting_date if plan.meeting_date and plan.meeting_date > today else today


def prefinalize(
    plan: Plan, access: Access, form: Any, problems: list[readiness.Problem]
) -> dict[str, Any]:
    """What blocks finalizing, each linked to where it is fixed; the form when nothing does."""
    return base(
        plan,
        access,
        form=form,
        problems=[{"problem": p, "url": _problem_link(plan, p.field)} for p in problems],
        blocked=any(p.field != "effective_from" for p in problems),
    )
