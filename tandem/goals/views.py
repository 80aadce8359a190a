"""The goal editor (with the live checker) and the goal bank pages."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem.access import audit
from tandem.access.policy import Need, can, parse_public_id, standing
from tandem.goals import actions, checking, queries
from tandem.goals.forms import (
    AREA_FOR_BANK,
    BANK_FOR_AREA,
    BankSearchForm,
    GoalForm,
    SaveTemplateForm,
    SlotsForm,
)
from tandem.goals.models import GoalTemplate
from tandem.people.models import Student
from tandem.plans.actions import StaleEdit
from tandem.plans.gate import access_plan
from tandem.plans.models import Goal, Plan, PlanKind
from tandem.rules.goals import MofNReading, check_goal

# --- helpers ------------------------------------------------------------------------------------


def _writable_plan(
    request: HttpRequest, plan_id: str, *, action: str | None
) -> tuple[Plan, Student]:
    """The plan if the user may change its student (404 out of reach, 403 read-only)."""
    plan, student = access_plan(request.user, plan_id, action=None)  # type: ignore[arg-type]
    if not can(request.user, Need.WRITE, student):  # type: ignore[arg-type]
        raise PermissionDenied
    if action:
        audit.record(actor=request.user, action=action, student=student, target=plan)  # type: ignore[arg-type]
    return plan, student


def _goal_of(plan: Plan, goal_id: str) -> Goal:
    goal = Goal.objects.filter(plan=plan, public_id=parse_public_id(goal_id)).first()
    if goal is None:
        raise Http404
    return goal


def _back_to_plan(plan: Plan) -> str:
    try:
        return reverse("plan_edit", args=[plan.public_id])
    except NoReverseMatch:
        return reverse("plan_detail", args=[plan.public_id])


def _require_staff(request: HttpRequest) -> None:
    if not standing(request.user).is_staff_member:  # type: ignore[arg-type]
        raise Http404


def _plan_param(request: HttpRequest) -> str:
    """A plan id passed along the bank pages (only a well-formed id is kept)."""
    raw = request.GET.get("plan") or request.POST.get("plan") or ""
    try:
        return str(parse_public_id(raw)) if raw else ""
    except Http404:
        return ""


def _reading(value: str | None) -> MofNReading | None:
    try:
        return MofNReading(value) if value else None
    except ValueError:
        return None


def check_context(text: str, plaafp_need: str, reading: str | None, **extra: Any) -> dict[str, Any]:
    analysis = check_goal(text, plaafp_need=plaafp_need.strip() or None, reading=_reading(reading))
    return {**checking.context_for(analysis, linked_need=bool(plaafp_need.strip())), **extra}


# --- the goal editor ---------------------------------------------------------------------------


def _initial_for(goal: Goal | None, request: HttpRequest, user: Any) -> dict[str, Any]:
    if goal is not None:
        return {
            "area": goal.area,
            "plaafp_need": goal.plaafp_need,
            "baseline": goal.baseline,
            "text": goal.text,
            "reading": (goal.analysis or {}).get("reading", ""),
            "objectives": "\n".join(goal.objectives.values_list("text", flat=True)),
        }
    initial: dict[str, Any] = {}
    template_id = request.GET.get("template")
    if template_id:
        template = (
            queries.templates_visible_to(user)
            .filter(public_id=parse_public_id(template_id))
            .first()
        )
        if template is None:
            raise Http404
        values = {
            k.removeprefix("slot_"): v for k, v in request.GET.items() if k.startswith("slot_")
        }
        initial["text"] = template.fill(values)
        initial["area"] = AREA_FOR_BANK.get(template.area, "")
    return initial


def _editor(request: HttpRequest, plan: Plan, student: Student, goal: Goal | None) -> HttpResponse:
    needs = queries.need_sentences(plan)
    current_area = goal.area if goal is not None else None
    form: GoalForm
    saved_reading = ""
    if request.method == "POST" and ("apply_fix" in request.POST or "check" in request.POST):
        # Without JavaScript: apply a suggestion or check the goal, and save nothing.
        data = request.POST.dict()
        if "apply_fix" in request.POST:
            data["text"] = request.POST["apply_fix"]
        form = GoalForm(initial=data, needs=needs, current_area=current_area)
        check = check_context(
            data.get("text", ""), data.get("plaafp_need", ""), data.get("reading")
        )
    elif request.method == "POST":
        form = GoalForm(request.POST, needs=needs, current_area=current_area)
        reading_error = ""
        if form.is_valid():
            areas = [value for value, _label in form.fields["area"].choices if value]
            try:
                saved = actions.save_goal(
                    actor=request.user,  # type: ignore[arg-type]
                    plan=plan,
                    goal=goal,
                    data=form.cleaned_data,
                    areas=areas,
                    reading=form.cleaned_data.get("reading"),
                    objectives=form.objective_lines(),
                )
            except StaleEdit:
                form.add_error(None, _("Someone else changed this plan; reload and try again."))
            except ValidationError as error:
                form.add_action_errors(error)
            else:
                messages.success(request, _("The goal was saved."))
                return redirect("goal_edit", plan_id=plan.public_id, goal_id=saved.public_id)
        if form.errors.get("reading"):
            reading_error = form.errors["reading"][0]
        check = check_context(
            request.POST.get("text", ""),
            form.cleaned_data.get("plaafp_need", "")
            if form.is_valid()
            else request.POST.get("plaafp_need", ""),
            request.POST.get("reading"),
            reading_error=reading_error,
        )
    else:
        initial = _initial_for(goal, request, request.user)
        saved_reading = initial.get("reading", "")
        form = GoalForm(initial=initial, needs=needs, current_area=current_area)
        check = check_context(
            initial.get("text", ""), initial.get("plaafp_need", ""), saved_reading or None
        )
    context = {
        "plan": plan,
        "student": student,
        "goal": goal,
        "form": form,
        "check": check,
        "alternate": queries.takes_alternate_assessment(plan),
        "is_iep": plan.kind == PlanKind.IEP,
        "back": _back_to_plan(plan),
        "template_form": SaveTemplateForm(prefix="tpl") if goal is not None else None,
    }
    return render(request, "goals/goal_form.html", context)


def _editable_or_back(request: HttpRequest, plan: Plan) -> HttpResponse | None:
    if plan.is_editable:
        return None
    messages.error(
        request, _("Only a draft can be edited; amend or correct an active plan instead.")
    )
    return redirect("plan_detail", plan_id=plan.public_id)


@login_required
@require_http_methods(["GET", "POST"])
def goal_add(request: HttpRequest, plan_id: str) -> HttpResponse:
    plan, student = _writable_plan(
        request, plan_id, action="plan.viewed" if request.method == "GET" else None
    )
    back = _editable_or_back(request, plan)
    return back or _editor(request, plan, student, None)


@login_required
@require_http_methods(["GET", "POST"])
def goal_edit(request: HttpRequest, plan_id: str, goal_id: str) -> HttpResponse:
    plan, student = _writable_plan(
        request, plan_id, action="plan.viewed" if request.method == "GET" else None
    )
    goal = _goal_of(plan, goal_id)
    back = _editable_or_back(request, plan)
    return back or _editor(request, plan, student, goal)


@login_required
@require_http_methods(["GET", "POST"])
def goal_remove(request: HttpRequest, plan_id: str, goal_id: str) -> HttpResponse:
    plan, student = _writable_plan(
        request, plan_id, action="plan.viewed" if request.method == "GET" else None
    )
    goal = _goal_of(plan, goal_id)
    back = _editable_or_back(request, plan)
    if back:
        return back
    error = ""
    if request.method == "POST":
        try:
            actions.remove_goal(actor=request.user, goal=goal)  # type: ignore[arg-type]
        except ValidationError as e:
            error = "; ".join(e.messages)
        else:
            messages.success(request, _("The goal was removed."))
            return redirect(_back_to_plan(plan))
    return render(
        request,
        "goals/goal_remove.html",
        {"plan": plan, "student": student, "goal": goal, "error": error},
    )


@login_required
@require_POST
def goal_check(request: HttpRequest) -> HttpResponse:
    """htmx: the goal text (and linked need, chosen reading) -> the checker's fragment."""
    _require_staff(request)
    applied = request.POST.get("apply_fix")
    text = applied if applied is not None else request.POST.get("text", "")
    context = check_context(
        text[:4000],
        request.POST.get("plaafp_need", "")[:2000],
        request.POST.get("reading"),
        applied=applied is not None,
    )
    oob_text = None
    if applied is not None:
        form = GoalForm(initial={"text": applied}, needs=[])
        oob_text = form["text"].as_widget(attrs={"hx-swap-oob": "true"})
    return render(request, "goals/_check.html", {"check": context, "oob_text": oob_text})


@login_required
@require_POST
def accommodation_check(request: HttpRequest) -> HttpResponse:
    """htmx: an accommodation's wording -> warnings about vague words ("as needed")."""
    _require_staff(request)
    text = (request.POST.get("text") or "")[:2000]
    return render(
        request,
        "goals/_accommodation_check.html",
        {"warnings": checking.accommodation_warnings(text), "text": text},
    )


@login_required
@require_POST
def goal_save_template(request: HttpRequest, plan_id: str, goal_id: str) -> HttpResponse:
    """Keep a goal as the author's personal template (the student's name left out)."""
    plan, _student = _writable_plan(request, plan_id, action=None)
    goal = _goal_of(plan, goal_id)
    form = SaveTemplateForm(request.POST, prefix="tpl")
    if not form.is_valid():
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
        return redirect("goal_edit", plan_id=plan.public_id, goal_id=goal.public_id)
    text, slots = template_text(goal.text)
    try:
        actions.save_personal_template(
            actor=request.user,  # type: ignore[arg-type]
            data={
                "title": form.cleaned_data["title"],
                "grade_band": form.cleaned_data["grade_band"],
                "area": BANK_FOR_AREA.get(goal.area, ""),
                "text": text,
                "slots": slots,
            },
        )
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
    else:
        messages.success(request, _("The goal was saved as your personal template."))
    return redirect("goal_edit", plan_id=plan.public_id, goal_id=goal.public_id)


def template_text(text: str) -> tuple[str, dict[str, Any]]:
    """A goal turned into a template: its timeframe becomes a slot, its learner "the student"."""
    analysis = check_goal(text)
    cuts = []
    slots: dict[str, Any] = {}
    if analysis.timeframe is not None:
        cuts.append((analysis.timeframe.start, analysis.timeframe.end, "{timeframe}"))
        slots["timeframe"] = {"hint": "", "sample": analysis.timeframe.text}
    if analysis.learner is not None:
        cuts.append((analysis.learner.start, analysis.learner.end, "the student"))
    out = text
    for start, end, replacement in sorted(cuts, reverse=True):
        out = out[:start] + replacement + out[end:]
    if out.startswith("the student"):
        out = "T" + out[1:]
    return out, slots


# --- the goal bank ------------------------------------------------------------------------------


@login_required
@require_GET
def goal_bank(request: HttpRequest) -> HttpResponse:
    _require_staff(request)
    form = BankSearchForm(request.GET or None)
    found = GoalTemplate.objects.none()
    if form.is_bound and form.is_valid():
        found = queries.search_templates(
            request.user,  # type: ignore[arg-type]
            words=form.cleaned_data["q"],
            area=form.cleaned_data["area"],
            grade_band=form.cleaned_data["grade"],
        )
    elif not form.is_bound:
        found = queries.search_templates(request.user)  # type: ignore[arg-type]
    page = Paginator(found.select_related(None), 20).get_page(request.GET.get("page"))
    query = {k: v for k, v in request.GET.items() if k != "page"}
    context = {
        "form": form,
        "page": page,
        "plan_id": _plan_param(request),
        "query": urlencode(query),
    }
    return render(request, "goals/bank.html", context)


@login_required
@require_GET
def goal_bank_use(request: HttpRequest, template_id: str) -> HttpResponse:
    """Fill a template's slots, then continue in the goal editor (or copy the text)."""
    _require_staff(request)
    template = (
        queries.templates_visible_to(request.user)  # type: ignore[arg-type]
        .filter(public_id=parse_public_id(template_id))
        .first()
    )
    if template is None:
        raise Http404
    plan_id = _plan_param(request)
    filled = any(k.startswith("slot_") for k in request.GET)
    form = SlotsForm(request.GET if filled else None, template=template)
    context = {
        "template": template,
        "form": form,
        "plan_id": plan_id,
        "filled_text": template.fill(form.values()) if filled else None,
        "preview": checking.highlighted(check_goal(template.text)),
    }
    return render(request, "goals/bank_use.html", context)


@login_required
@require_POST
def goal_template_delete(request: HttpRequest, template_id: str) -> HttpResponse:
    _require_staff(request)
    template = GoalTemplate.objects.filter(public_id=parse_public_id(template_id)).first()
    if template is None:
        raise Http404
    actions.delete_personal_template(actor=request.user, template=template)  # type: ignore[arg-type]
    messages.success(request, _("The template was deleted."))
    return redirect("goal_bank")
