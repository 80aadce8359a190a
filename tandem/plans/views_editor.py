"""Writing a draft IEP or 504 Plan: thin views over `actions.py`.

Every page reaches the plan through its student's access (404 out of sight, 403 read-only) and
is audited; every write goes through an action. Sections save as the team types (htmx posts the
section's revision; a stale revision is a conflict shown side by side, never an overwrite), and
the same forms work without JavaScript.
"""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem.access.policy import Need, access_student, can, parse_public_id
from tandem.plans import actions
from tandem.plans import forms_editor as f
from tandem.plans.gate import access_plan
from tandem.plans.models import (
    Accommodation,
    Plan,
    PlanKind,
    PlanSection,
    SectionKey,
    Service,
)
from tandem.rules import accommodations as library

HTMX = "HX-Request"


def _is_htmx(request: HttpRequest) -> bool:
    return request.headers.get(HTMX) == "true"


def _writable(
    request: HttpRequest,
    plan_id: str,
    *,
    action: str | None = "plan.editor_viewed",
    detail: Any = None,
) -> tuple[Plan, Any]:
    """The plan if the user may write its student's record (404 unseen, 403 read-only)."""
    plan, student = access_plan(request.user, plan_id, action=action, detail=detail)  # type: ignore[arg-type]
    if not can(request.user, Need.WRITE, student):  # type: ignore[arg-type]
        raise PermissionDenied
    return plan, student


def _not_a_draft(request: HttpRequest, plan: Plan) -> HttpResponse | None:
    if plan.is_editable:
        return None
    messages.error(request, _("This plan is no longer a draft; amend or correct it instead."))
    return redirect("plan_detail", plan_id=plan.public_id)


def _today() -> Any:
    return timezone.localdate()


# --- starting a draft -------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def plan_new(request: HttpRequest, student_id: str) -> HttpResponse:
    student = access_student(request.user, student_id, need=Need.WRITE, action="plan.new_viewed")  # type: ignore[arg-type]
    existing = None
    if request.method == "POST":
        form = f.NewPlanForm(request.POST)
        if form.is_valid():
            kind = form.cleaned_data["kind"]
            try:
                plan = actions.create_draft(
                    actor=request.user,  # type: ignore[arg-type]
                    student=student,
                    kind=kind,
                    today=_today(),
                    meeting_date=form.cleaned_data["meeting_date"],
                )
            except ValidationError as error:
                f.add_action_errors(form, error)
                existing = Plan.objects.filter(
                    student=student, kind=kind, status__in=["draft", "proposed"]
                ).first()
            else:
                messages.success(request, _("The draft was started."))
                return redirect("plan_edit", plan_id=plan.public_id)
    else:
        kind = request.GET.get("kind")
        form = f.NewPlanForm(initial={"kind": kind if kind in PlanKind.values else PlanKind.IEP})
    return render(
        request, "plans/editor/new.html", {"student": student, "form": form, "existing": existing}
    )


# --- the draft's home ---------------------------------------------------------------------------


def _section_rows(plan: Plan) -> list[dict[str, Any]]:
    saved = {s.key: s for s in PlanSection.objects.filter(plan=plan).select_related("updated_by")}
    rows = []
    for key in f.sections_for(plan.kind):
        section = saved.get(key)
        rows.append(
            {
                "key": key,
                "label": SectionKey(key).label,
                "section": section,
                "filled": section is not None and not section.is_empty,
            }
        )
    return rows


def _accommodation_rows(plan: Plan) -> list[dict[str, Any]]:
    rows = []
    for item in plan.accommodations.all():
        rows.append(
            {
                "item": item,
                "places": ", ".join(
                    str(dict(f.AppliesTo.choices).get(p, p)) for p in item.applies_to or []
                ),
                "warnings": f.wording_warnings(
                    kind=item.kind,
                    text=item.text,
                    frequency_condition=item.frequency_condition,
                    provider_role=item.provider_role,
                ),
            }
        )
    return rows


@login_required
@require_http_methods(["GET", "POST"])
def plan_edit(request: HttpRequest, plan_id: str) -> HttpResponse:
    plan, student = _writable(request, plan_id)
    if (response := _not_a_draft(request, plan)) is not None:
        return response
    dates = f.DatesForm(
        request.POST or None,
        initial={"meeting_date": plan.meeting_date, "effective_to": plan.effective_to},
    )
    if request.method == "POST" and dates.is_valid():
        try:
            actions.update_draft_dates(
                actor=request.user,  # type: ignore[arg-type]
                plan=plan,
                meeting_date=dates.cleaned_data["meeting_date"],
                effective_to=dates.cleaned_data["effective_to"],
            )
        except ValidationError as error:
            f.add_action_errors(dates, error)
        else:
            messages.success(request, _("The dates were saved."))
            return redirect("plan_edit", plan_id=plan.public_id)
    sections = _section_rows(plan)
    services = list(plan.services.all())
    lre_content = next(
        (r["section"].content for r in sections if r["key"] == SectionKey.LRE and r["section"]), {}
    )
    lre_content = lre_content if isinstance(lre_content, dict) else {}
    context = {
        "plan": plan,
        "student": student,
        "dates": dates,
        "sections": sections,
        "services": services,
        "accommodations": _accommodation_rows(plan),
        "goals": list(plan.goals.all()),
        "is_iep": plan.kind == PlanKind.IEP,
        "lre": f.compute_lre(
            services, district=student.district, placement=lre_content.get("placement", "")
        )
        if plan.kind == PlanKind.IEP
        else None,
        "removal_explanation": lre_content.get("removal_explanation", ""),
    }
    return render(request, "plans/editor/edit.html", context, status=400 if dates.errors else 200)


# --- sections ---------------------------------------------------------------------------------


def _section_key(plan: Plan, key: str) -> str:
    if key not in f.sections_for(plan.kind):
        raise Http404
    return key


def _prefill_504(student: Any) -> dict[str, Any]:
    """The impairment and life activities from the student's 504 eligibility decision, if any."""
    from tandem.referrals.models import EligibilityDecision, EligibilityOutcome

    decision = (
        EligibilityDecision.objects.filter(student=student, outcome=EligibilityOutcome.SECTION_504)
        .order_by("-decided_on", "-id")
        .first()
    )
    if decision is None:
        return {}
    return {
        "impairment": decision.impairment,
        "major_life_activities": list(decision.major_life_activities or []),
    }


def _section_context(
    request: HttpRequest, plan: Plan, student: Any, key: str, section: PlanSection | None, form: Any
) -> dict[str, Any]:
    services = list(plan.services.all()) if key == SectionKey.LRE else []
    content = section.content if section and isinstance(section.content, dict) else {}
    return {
        "plan": plan,
        "student": student,
        "key": key,
        "label": SectionKey(key).label,
        "section": section,
        "form": form,
        "revision": section.revision if section else 0,
        "storage_key": f"tandem:draft:{plan.public_id}:{key}:{request.user.pk}",
        "lre": f.compute_lre(
            services, district=student.district, placement=content.get("placement", "")
        )
        if key == SectionKey.LRE
        else None,
        "sections": [(k, SectionKey(k).label) for k in f.sections_for(plan.kind)],
    }


def _saved_status(request: HttpRequest, section: PlanSection) -> HttpResponse:
    return render(request, "plans/editor/_save_status.html", {"section": section, "saved": True})


@login_required
@require_http_methods(["GET", "POST"])
def plan_section_edit(request: HttpRequest, plan_id: str, key: str) -> HttpResponse:
    plan, student = _writable(
        request,
        plan_id,
        action="plan.section_viewed" if request.method == "GET" else None,
        detail={"section": key},
    )
    key = _section_key(plan, key)
    if (response := _not_a_draft(request, plan)) is not None:
        return response
    section = PlanSection.objects.filter(plan=plan, key=key).select_related("updated_by").first()
    if request.method == "GET":
        content = section.content if section else {}
        initial = f.initial_from_content(key, content)
        prefilled = False
        if key == SectionKey.SECTION_504_IMPAIRMENT and (section is None or section.is_empty):
            initial.update(_prefill_504(student))
            prefilled = bool(initial)
        initial["revision"] = section.revision if section else 0
        form = f.SectionForm(key=key, content=initial, initial=initial)
        context = _section_context(request, plan, student, key, section, form)
        context["prefilled"] = prefilled
        return render(request, "plans/editor/section.html", context)

    htmx = _is_htmx(request)
    resolving = "resolve" in request.POST
    if resolving:
        if request.POST.get("all") == "theirs":
            messages.success(request, _("You kept their version; nothing of yours was saved."))
            return redirect(reverse("plan_section_edit", args=[plan.public_id, key]) + "?discard=1")
        content = f.resolved_content(key, request.POST)
        form = f.SectionForm(key=key, content=content, initial={**content})
        try:
            expected = int(request.POST.get("revision", ""))
        except ValueError:
            expected = -1
    else:
        form = f.SectionForm(
            request.POST, key=key, content={k: request.POST.getlist(k) for k in request.POST}
        )
        if not form.is_valid():
            if htmx:
                return render(
                    request, "plans/editor/_save_status.html", {"form": form, "saved": False}
                )
            context = _section_context(request, plan, student, key, section, form)
            return render(request, "plans/editor/section.html", context, status=400)
        content, expected = form.content(), form.cleaned_data["revision"]
    try:
        saved = actions.save_section(
            actor=request.user,  # type: ignore[arg-type]
            plan=plan,
            key=key,
            content=content,
            expected_revision=expected,
        )
    except actions.StaleEdit as stale:
        conflict = {
            "stale": stale,
            "rows": f.conflict_rows(key, content, stale.current_content),
            "revision": stale.current_revision,
        }
        if htmx:
            response = render(
                request,
                "plans/editor/_conflict.html",
                {"plan": plan, "key": key, "conflict": conflict},
            )
            response["HX-Retarget"] = "#conflict-region"
            response["HX-Reswap"] = "innerHTML"
            return response
        context = _section_context(request, plan, student, key, section, form)
        context["conflict"] = conflict
        return render(request, "plans/editor/section.html", context, status=409)
    except ValidationError as error:
        f.add_action_errors(form, error)
        if htmx:
            return render(request, "plans/editor/_save_status.html", {"form": form, "saved": False})
        context = _section_context(request, plan, student, key, section, form)
        return render(request, "plans/editor/section.html", context, status=400)
    if htmx:
        return _saved_status(request, saved)
    messages.success(
        request,
        _("Saved at %(time)s.") % {"time": timezone.localtime(saved.updated_at).strftime("%H:%M")},
    )
    return redirect(reverse("plan_section_edit", args=[plan.public_id, key]) + "?saved=1")


@login_required
@require_GET
def plan_section_status(request: HttpRequest, plan_id: str, key: str) -> HttpResponse:
    """Polled while a section is open: has someone saved it since the revision on the page?"""
    plan, _student = _writable(request, plan_id, action=None)
    key = _section_key(plan, key)
    try:
        seen = int(request.GET.get("revision", "0"))
    except ValueError:
        seen = 0
    section = (
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
    return render(
        request,
        "plans/editor/_poll.html",
        {
            "plan": plan,
            "key": key,
            "newer": section,
            "mine": section and section.updated_by_id == request.user.pk,
        },
    )


# --- services ---------------------------------------------------------------------------------


def _item(model: Any, plan: Plan, item_id: str) -> Any:
    try:
        key = parse_public_id(item_id)
    except Http404:
        raise
    item = model.objects.filter(plan=plan, public_id=key).first()
    if item is None:
        raise Http404
    return item


def _service_initial(service: Service | None, plan: Plan) -> dict[str, Any]:
    if service is None:
        return {
            "lock_version": plan.lock_version,
            "start_date": plan.effective_from,
            "end_date": plan.effective_to,
        }
    return {name: getattr(service, name) for name in actions.SERVICE_FIELDS} | {
        "lock_version": plan.lock_version
    }


def _service_page(request: HttpRequest, plan_id: str, item_id: str | None) -> HttpResponse:
    plan, student = _writable(request, plan_id, detail={"service": item_id} if item_id else None)
    if (response := _not_a_draft(request, plan)) is not None:
        return response
    service = _item(Service, plan, item_id) if item_id else None
    if request.method == "POST":
        form = f.ServiceForm(request.POST)
        if form.is_valid():
            expected = form.cleaned_data.get("lock_version")
            try:
                if service is None:
                    actions.add_service(
                        actor=request.user,  # type: ignore[arg-type]
                        plan=plan,
                        data=form.data_for_action(),
                        expected_lock_version=expected,
                    )
                else:
                    actions.update_service(
                        actor=request.user,  # type: ignore[arg-type]
                        service=service,
                        data=form.data_for_action(),
                        expected_lock_version=expected,
                    )
            except actions.StaleEdit:
                form.add_error(None, _stale_items_message())
            except ValidationError as error:
                f.add_action_errors(form, error)
            else:
                messages.success(request, _("The service was saved."))
                return redirect(reverse("plan_edit", args=[plan.public_id]) + "#services")
    else:
        form = f.ServiceForm(initial=_service_initial(service, plan))
    return render(
        request,
        "plans/editor/service_form.html",
        {"plan": plan, "student": student, "form": form, "service": service},
        status=400 if form.errors else 200,
    )


def _stale_items_message() -> str:
    return _(
        "Someone else changed this draft's services, accommodations or goals while you were "
        "editing; nothing was saved. Your entries are still below: check the draft, then save again."
    )


@login_required
@require_http_methods(["GET", "POST"])
def service_add(request: HttpRequest, plan_id: str) -> HttpResponse:
    return _service_page(request, plan_id, None)


@login_required
@require_http_methods(["GET", "POST"])
def service_edit(request: HttpRequest, plan_id: str, item_id: str) -> HttpResponse:
    return _service_page(request, plan_id, item_id)


def _remove(request: HttpRequest, plan_id: str, item_id: str, model: Any) -> HttpResponse:
    plan, _student = _writable(request, plan_id, action=None)
    if (response := _not_a_draft(request, plan)) is not None:
        return response
    item = _item(model, plan, item_id)
    form = f.RemoveForm(request.POST)
    expected = form.cleaned_data.get("lock_version") if form.is_valid() else None
    anchor = "#services" if model is Service else "#accommodations"
    try:
        if model is Service:
            actions.remove_service(actor=request.user, service=item, expected_lock_version=expected)  # type: ignore[arg-type]
        else:
            actions.remove_accommodation(
                actor=request.user,  # type: ignore[arg-type]
                accommodation=item,
                expected_lock_version=expected,
            )
    except actions.StaleEdit:
        messages.error(request, _stale_items_message())
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Removed."))
    return redirect(reverse("plan_edit", args=[plan.public_id]) + anchor)


@login_required
@require_POST
def service_remove(request: HttpRequest, plan_id: str, item_id: str) -> HttpResponse:
    return _remove(request, plan_id, item_id, Service)


# --- accommodations ---------------------------------------------------------------------------


def _library_results(request: HttpRequest, plan: Plan) -> tuple[Any, list[Any]]:
    search = f.LibrarySearchForm(request.GET or None)
    results: list[Any] = []
    if search.is_valid() and (search.cleaned_data["q"] or search.cleaned_data["category"]):
        category = search.cleaned_data["category"] or None
        results = list(
            library.search(
                search.cleaned_data["q"],
                category=library.Category(category) if category else None,
            )
        )[:25]
    return search, results


def _from_library(code: str, plan: Plan) -> dict[str, Any]:
    try:
        entry = library.get(code)
    except KeyError:
        return {}
    places = sorted(str(p) for p in entry.applies_to)
    return {
        "kind": str(entry.kind),
        "category": str(entry.category),
        "text": f"{entry.title}: {entry.description}",
        "applies_to": places,
    }


def _accommodation_page(request: HttpRequest, plan_id: str, item_id: str | None) -> HttpResponse:
    plan, student = _writable(
        request, plan_id, detail={"accommodation": item_id} if item_id else None
    )
    if (response := _not_a_draft(request, plan)) is not None:
        return response
    item = _item(Accommodation, plan, item_id) if item_id else None
    warnings: list[str] = []
    if request.method == "POST":
        form = f.AccommodationForm(request.POST, plan_kind=plan.kind)
        if form.is_valid():
            data = form.data_for_action()
            try:
                if item is None:
                    saved = actions.add_accommodation(
                        actor=request.user,  # type: ignore[arg-type]
                        plan=plan,
                        data=data,
                        expected_lock_version=form.cleaned_data.get("lock_version"),
                    )
                else:
                    saved = actions.update_accommodation(
                        actor=request.user,  # type: ignore[arg-type]
                        accommodation=item,
                        data=data,
                        expected_lock_version=form.cleaned_data.get("lock_version"),
                    )
            except actions.StaleEdit:
                form.add_error(None, _stale_items_message())
            except ValidationError as error:
                f.add_action_errors(form, error)
            else:
                warnings = f.wording_warnings(
                    kind=saved.kind,
                    text=saved.text,
                    frequency_condition=saved.frequency_condition,
                    provider_role=saved.provider_role,
                )
                if warnings:
                    messages.warning(request, _("Saved, with a warning on its wording."))
                    return redirect(
                        "plan_accommodation_edit", plan_id=plan.public_id, item_id=saved.public_id
                    )
                messages.success(request, _("The accommodation was saved."))
                return redirect(reverse("plan_edit", args=[plan.public_id]) + "#accommodations")
    else:
        if item is not None:
            initial = {name: getattr(item, name) for name in actions.ACCOMMODATION_FIELDS}
            warnings = f.wording_warnings(
                kind=item.kind,
                text=item.text,
                frequency_condition=item.frequency_condition,
                provider_role=item.provider_role,
            )
        else:
            initial = {"kind": "accommodation", "applies_to": ["classroom"]}
            initial.update(_from_library(request.GET.get("code", ""), plan))
        initial["lock_version"] = plan.lock_version
        form = f.AccommodationForm(initial=initial, plan_kind=plan.kind)
    search, results = _library_results(request, plan)
    return render(
        request,
        "plans/editor/accommodation_form.html",
        {
            "plan": plan,
            "student": student,
            "form": form,
            "item": item,
            "warnings": warnings,
            "search": search,
            "results": results,
        },
        status=400 if form.errors else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def accommodation_add(request: HttpRequest, plan_id: str) -> HttpResponse:
    return _accommodation_page(request, plan_id, None)


@login_required
@require_http_methods(["GET", "POST"])
def accommodation_edit(request: HttpRequest, plan_id: str, item_id: str) -> HttpResponse:
    return _accommodation_page(request, plan_id, item_id)


@login_required
@require_POST
def accommodation_remove(request: HttpRequest, plan_id: str, item_id: str) -> HttpResponse:
    return _remove(request, plan_id, item_id, Accommodation)


@login_required
@require_GET
def accommodation_library(request: HttpRequest, plan_id: str) -> HttpResponse:
    """The district library searched by words and category (an htmx fragment)."""
    plan, _student = _writable(request, plan_id, action=None)
    search, results = _library_results(request, plan)
    return render(
        request,
        "plans/editor/_library_results.html",
        {"plan": plan, "search": search, "results": results},
    )


# --- finalizing -------------------------------------------------------------------------------


def _problem_link(plan: Plan, field: str) -> str:
    edit = reverse("plan_edit", args=[plan.public_id])
    if field.startswith("section:"):
        key = field.split(":", 1)[1]
        if key in f.sections_for(plan.kind):
            return reverse("plan_section_edit", args=[plan.public_id, key])
        return edit
    if field.startswith("service:"):
        return reverse("plan_service_edit", args=[plan.public_id, field.split(":", 1)[1]])
    if field.startswith("accommodation:"):
        return reverse("plan_accommodation_edit", args=[plan.public_id, field.split(":", 1)[1]])
    if field == "goals":
        return edit + "#goals"
    if field in ("meeting_date", "effective_to"):
        return edit + "#dates"
    if field == "effective_from":
        return "#id_effective_from"
    return edit


def _prefinalize(
    request: HttpRequest, plan: Plan, student: Any, form: Any, problems: Any
) -> HttpResponse:
    rows = [{"problem": p, "url": _problem_link(plan, p.field)} for p in problems]
    return render(
        request,
        "plans/editor/prefinalize.html",
        {
            "plan": plan,
            "student": student,
            "form": form,
            "problems": rows,
            "blocked": any(p.field != "effective_from" for p in problems),
        },
        status=400 if form.is_bound and (form.errors or problems) else 200,
    )


@login_required
@require_GET
def plan_prefinalize(request: HttpRequest, plan_id: str) -> HttpResponse:
    plan, student = _writable(request, plan_id, action="plan.prefinalize_viewed")
    if (response := _not_a_draft(request, plan)) is not None:
        return response
    today = _today()
    form = f.FinalizeForm(initial={"effective_from": plan.meeting_date or today})
    effective = plan.meeting_date if plan.meeting_date and plan.meeting_date > today else today
    problems = actions.pre_finalize_check(plan=plan, today=today, effective_from=effective)
    return _prefinalize(request, plan, student, form, problems)


@login_required
@require_POST
def plan_finalize(request: HttpRequest, plan_id: str) -> HttpResponse:
    plan, student = _writable(request, plan_id, action=None)
    if (response := _not_a_draft(request, plan)) is not None:
        return response
    form = f.FinalizeForm(request.POST)
    problems: list[Any] = []
    if form.is_valid():
        try:
            version = actions.finalize_plan(
                actor=request.user,  # type: ignore[arg-type]
                plan=plan,
                effective_from=form.cleaned_data["effective_from"],
                today=_today(),
            )
        except actions.PlanNotReady as error:
            problems = error.problems
        except ValidationError as error:
            f.add_action_errors(form, error)
        else:
            messages.success(
                request,
                _("The plan was finalized as version %(number)s.") % {"number": version.number},
            )
            return redirect("plan_detail", plan_id=plan.public_id)
    return _prefinalize(request, plan, student, form, problems)
