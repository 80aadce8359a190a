"""The goal editor (with the live checker) and the goal bank: thin views over actions and pages.

The editor reaches its plan or goal through the gatekeepers with `Cap.WRITE_PLAN` (404 out of
reach, 403 without the capability); the bank and the live checks are for staff members only.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem.access.capabilities import Cap
from tandem.access.gatekeepers import access_goal, access_plan
from tandem.access.policy import Access, parse_public_id
from tandem.access.routes import Scope, writes
from tandem.audit.catalogue import Action
from tandem.core.handling import run_action
from tandem.goals import actions, checking, pages, queries
from tandem.goals.forms import BANK_FOR_AREA, BankSearchForm, GoalForm, SaveTemplateForm, SlotsForm
from tandem.goals.models import GoalTemplate
from tandem.plans.actions_common import StaleEdit
from tandem.plans.models import Goal, Plan

# --- reaching the plan or the goal ---------------------------------------------------------------


def _plan(request: HttpRequest, plan_id: UUID) -> tuple[Plan, Access]:
    action = Action.PLAN__VIEWED if request.method == "GET" else None
    user = request.user
    return access_plan(user, plan_id, need=Cap.WRITE_PLAN, action=action)  # type: ignore[arg-type,no-any-return]


def _goal(request: HttpRequest, plan_id: UUID, goal_id: UUID) -> tuple[Goal, Access]:
    action = Action.PLAN__VIEWED if request.method == "GET" else None
    user = request.user
    goal, access = access_goal(user, goal_id, need=Cap.WRITE_PLAN, action=action)  # type: ignore[arg-type]
    if goal.plan.public_id != plan_id:
        raise Http404
    return goal, access


def _not_a_draft(request: HttpRequest, plan: Plan) -> HttpResponse | None:
    if plan.is_editable:
        return None
    messages.error(
        request, _("Only a draft can be edited; amend or correct an active plan instead.")
    )
    return redirect("plan_detail", plan_id=plan.public_id)


def _staff_only(request: HttpRequest) -> None:
    if not queries.staff_district_ids(request.user):  # type: ignore[arg-type]
        raise Http404


# --- the goal editor ---------------------------------------------------------------------------


@writes(Cap.WRITE_PLAN)
@require_http_methods(["GET", "POST"])
def goal_add(request: HttpRequest, plan_id: UUID) -> HttpResponse:
    plan, access = _plan(request, plan_id)
    return _not_a_draft(request, plan) or _editor(request, plan, access, None)


@writes(Cap.WRITE_PLAN)
@require_http_methods(["GET", "POST"])
def goal_edit(request: HttpRequest, plan_id: UUID, goal_id: UUID) -> HttpResponse:
    goal, access = _goal(request, plan_id, goal_id)
    return _not_a_draft(request, goal.plan) or _editor(request, goal.plan, access, goal)


def _editor(request: HttpRequest, plan: Plan, access: Access, goal: Goal | None) -> HttpResponse:
    if request.method == "GET":
        initial = _initial(request, plan, goal)
        form = pages.goal_form(plan, goal, initial=initial)
        check = pages.opening_check(goal, initial)
    elif pages.only_checking(request.POST):
        # Without JavaScript: apply a suggestion or check the goal, and save nothing.
        data = {**request.POST.dict(), "text": request.POST.get("apply_fix", request.POST["text"])}
        form = pages.goal_form(plan, goal, initial=data)
        check = pages.check_context(data["text"], data.get("plaafp_need", ""), data.get("reading"))
    else:
        form = pages.goal_form(plan, goal, data=request.POST)
        if done := _save(request, plan, goal, form):
            return done
        check = pages.refused_check(request.POST, form)
    context = pages.editor(plan=plan, access=access, goal=goal, form=form, check=check)
    return render(request, "goals/goal_form.html", context)


def _initial(request: HttpRequest, plan: Plan, goal: Goal | None) -> dict[str, Any]:
    if goal is not None:
        return pages.goal_initial(plan, goal)
    template = None
    if template_id := request.GET.get("template"):
        template = pages.visible_template(request.user, parse_public_id(template_id))  # type: ignore[arg-type]
        if template is None:
            raise Http404
    slots = {k.removeprefix("slot_"): v for k, v in request.GET.items() if k.startswith("slot_")}
    return pages.template_initial(plan, template, slots)


def _save(request: HttpRequest, plan: Plan, goal: Goal | None, form: GoalForm) -> Any:
    def save(data: dict[str, Any]) -> Goal:
        try:
            return actions.save_goal(
                actor=request.user,  # type: ignore[arg-type]
                plan=plan,
                goal=goal,
                data=data,
                areas=form.areas(),
                reading=data.get("reading"),
                objectives=form.objective_lines(),
                expected_lock_version=data.get("lock_version"),
            )
        except StaleEdit:
            raise ValidationError(
                _("Someone else changed this plan; reload and try again.")
            ) from None

    then = lambda saved: reverse("goal_edit", args=[plan.public_id, saved.public_id])  # noqa: E731
    return run_action(request, form, save, then=then, message=_("The goal was saved."))


@writes(Cap.WRITE_PLAN)
@require_http_methods(["GET", "POST"])
def goal_remove(request: HttpRequest, plan_id: UUID, goal_id: UUID) -> HttpResponse:
    goal, access = _goal(request, plan_id, goal_id)
    plan = goal.plan
    if back := _not_a_draft(request, plan):
        return back
    error = ""
    if request.method == "POST":
        try:
            actions.remove_goal(actor=request.user, goal=goal)  # type: ignore[arg-type]
        except ValidationError as e:
            error = "; ".join(e.messages)
        else:
            messages.success(request, _("The goal was removed."))
            return redirect(pages.back_to_plan(plan))
    context = {"plan": plan, "student": plan.student, "goal": goal, "access": access}
    return render(request, "goals/goal_remove.html", {**context, "error": error})


@writes(Cap.WRITE_PLAN)
@require_POST
def goal_save_template(request: HttpRequest, plan_id: UUID, goal_id: UUID) -> HttpResponse:
    """Keep a goal as the author's personal template (the student's name left out)."""
    goal, _access = _goal(request, plan_id, goal_id)
    form = SaveTemplateForm(request.POST, prefix="tpl")
    text, slots = pages.template_text(goal)
    keep = lambda data: actions.save_personal_template(  # noqa: E731
        actor=request.user,
        data={**data, "area": BANK_FOR_AREA.get(goal.area, ""), "text": text, "slots": slots},
    )
    back = reverse("goal_edit", args=[plan_id, goal.public_id])
    done = run_action(
        request, form, keep, then=back, message=_("The goal was saved as your personal template.")
    )
    for message in [str(m) for errors in form.errors.values() for m in errors]:
        messages.error(request, message)
    return done or redirect(back)


# --- the live checks (htmx) ----------------------------------------------------------------------


@writes(Scope.SELF)
@require_POST
def goal_check(request: HttpRequest) -> HttpResponse:
    """htmx: the goal text (and linked need, chosen reading) -> the checker's fragment."""
    _staff_only(request)
    applied = request.POST.get("apply_fix")
    text = applied if applied is not None else request.POST.get("text", "")
    need, reading = request.POST.get("plaafp_need", "")[:2000], request.POST.get("reading")
    check = pages.check_context(text[:4000], need, reading, applied=applied is not None)
    oob_text = None
    if applied is not None:
        form = GoalForm(initial={"text": applied}, needs=[])
        oob_text = form["text"].as_widget(attrs={"hx-swap-oob": "true"})
    return render(request, "goals/_check.html", {"check": check, "oob_text": oob_text})


@writes(Scope.SELF)
@require_POST
def accommodation_check(request: HttpRequest) -> HttpResponse:
    """htmx: an accommodation's wording -> warnings about vague words ("as needed")."""
    _staff_only(request)
    text = (request.POST.get("text") or "")[:2000]
    warnings = checking.accommodation_warnings(text)
    return render(request, "goals/_accommodation_check.html", {"warnings": warnings, "text": text})


# --- the goal bank ------------------------------------------------------------------------------


def _plan_param(request: HttpRequest) -> str:
    """A plan id passed along the bank pages (only a well-formed id is kept)."""
    raw = request.GET.get("plan") or request.POST.get("plan") or ""
    try:
        return str(parse_public_id(raw)) if raw else ""
    except Http404:
        return ""


@require_GET
def goal_bank(request: HttpRequest) -> HttpResponse:
    _staff_only(request)
    form = BankSearchForm(request.GET or None)
    found = GoalTemplate.objects.none()
    if not form.is_bound or form.is_valid():
        words = form.cleaned_data if form.is_bound else {"q": "", "area": "", "grade": ""}
        found = queries.search_templates(
            request.user,  # type: ignore[arg-type]
            words=words["q"],
            area=words["area"],
            grade_band=words["grade"],
        )
    page = Paginator(found.select_related(None), 20).get_page(request.GET.get("page"))
    query = urlencode({k: v for k, v in request.GET.items() if k != "page"})
    context = {"form": form, "page": page, "plan_id": _plan_param(request), "query": query}
    return render(request, "goals/bank.html", context)


@require_GET
def goal_bank_use(request: HttpRequest, template_id: UUID) -> HttpResponse:
    """Fill a template's slots, then continue in the goal editor (or copy the text)."""
    _staff_only(request)
    template = pages.visible_template(request.user, template_id)  # type: ignore[arg-type]
    if template is None:
        raise Http404
    filled = any(k.startswith("slot_") for k in request.GET)
    form = SlotsForm(request.GET if filled else None, template=template)
    context = pages.bank_use(template, plan_id=_plan_param(request), slots_form=form, filled=filled)
    return render(request, "goals/bank_use.html", context)


@writes(Scope.SELF)
@require_POST
def goal_template_delete(request: HttpRequest, template_id: UUID) -> HttpResponse:
    """Delete one of the author's own templates (anyone else's is not found)."""
    template = GoalTemplate.objects.filter(public_id=template_id).first()
    if template is None:
        raise Http404
    actions.delete_personal_template(actor=request.user, template=template)  # type: ignore[arg-type]
    messages.success(request, _("The template was deleted."))
    return redirect("goal_bank")
