"""What the goal editor and the goal bank pages show: plain values in, a page's context out.

A saved goal's analysis is read from its record (checked once, when it was saved); only text
that is being written (a new goal, a template, a refused save, the live check) is checked here.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.urls import NoReverseMatch, reverse

from tandem.access.policy import Access
from tandem.accounts.models import User
from tandem.goals import checking, queries
from tandem.goals.forms import AREA_FOR_BANK, GoalForm, SaveTemplateForm
from tandem.goals.models import GoalTemplate
from tandem.plans.models import Goal, Plan, PlanKind
from tandem.rules.goals import GoalAnalysis, MofNReading, check_goal


def parse_reading(value: str | None) -> MofNReading | None:
    try:
        return MofNReading(value) if value else None
    except ValueError:
        return None


def check_context(
    text: str,
    plaafp_need: str,
    reading: str | None,
    *,
    analysis: GoalAnalysis | None = None,
    **extra: Any,
) -> dict[str, Any]:
    """The checker's fragment for `text` (checked now unless its stored analysis is given)."""
    need = plaafp_need.strip()
    if analysis is None:
        analysis = check_goal(text, plaafp_need=need or None, reading=parse_reading(reading))
    return {**checking.context_for(analysis, linked_need=bool(need)), **extra}


def only_checking(data: Mapping[str, Any]) -> bool:
    """A POST that asks for a check or applies a suggestion, without JavaScript: save nothing."""
    return "apply_fix" in data or "check" in data


def goal_form(
    plan: Plan, goal: Goal | None, *, data: Any = None, initial: Mapping[str, Any] | None = None
) -> GoalForm:
    return GoalForm(
        data,
        initial=initial,
        needs=queries.need_sentences(plan),
        current_area=goal.area if goal is not None else None,
    )


def goal_initial(plan: Plan, goal: Goal) -> dict[str, Any]:
    """The editor's fields for a saved goal, with the reading the author confirmed."""
    return {
        "area": goal.area,
        "plaafp_need": goal.plaafp_need,
        "baseline": goal.baseline,
        "text": goal.text,
        "reading": (goal.analysis or {}).get("reading") or "",
        "objectives": "\n".join(goal.objectives.values_list("text", flat=True)),
        "lock_version": plan.lock_version,
    }


def template_initial(plan: Plan, template: GoalTemplate | None, slots: dict[str, str]) -> dict:
    """The editor's fields for a new goal, filled from a bank template if one was chosen."""
    initial: dict[str, Any] = {"lock_version": plan.lock_version}
    if template is not None:
        initial["text"] = template.fill(slots)
        initial["area"] = AREA_FOR_BANK.get(template.area, "")
    return initial


def opening_check(goal: Goal | None, initial: Mapping[str, Any]) -> dict[str, Any]:
    """The check shown when the editor opens: the saved goal's stored analysis, or a fresh one."""
    if goal is not None:
        return check_context(
            goal.text, goal.plaafp_need, None, analysis=checking.stored_analysis(goal)
        )
    return check_context(initial.get("text", ""), initial.get("plaafp_need", ""), None)


def refused_check(data: Mapping[str, Any], form: GoalForm) -> dict[str, Any]:
    """The check after a refused save, with the reading's error where the choice is."""
    need = form.cleaned_data.get("plaafp_need", "") if form.is_valid() else data.get("plaafp_need")
    errors = form.errors.get("reading") or [""]
    return check_context(
        data.get("text", ""), need or "", data.get("reading"), reading_error=errors[0]
    )


def back_to_plan(plan: Plan) -> str:
    try:
        return reverse("plan_edit", args=[plan.public_id])
    except NoReverseMatch:
        return reverse("plan_detail", args=[plan.public_id])


def editor(
    *,
    plan: Plan,
    access: Access,
    goal: Goal | None,
    form: GoalForm,
    check: dict[str, Any],
) -> dict[str, Any]:
    """Everything the goal editor page shows."""
    return {
        "plan": plan,
        "student": plan.student,
        "access": access,
        "goal": goal,
        "form": form,
        "check": check,
        "alternate": queries.takes_alternate_assessment(plan),
        "is_iep": plan.kind == PlanKind.IEP,
        "back": back_to_plan(plan),
        "template_form": SaveTemplateForm(prefix="tpl") if goal is not None else None,
    }


def template_text(goal: Goal) -> tuple[str, dict[str, Any]]:
    """A goal turned into a template: its timeframe becomes a slot, its learner "the student"."""
    analysis = checking.stored_analysis(goal)
    cuts = []
    slots: dict[str, Any] = {}
    if analysis.timeframe is not None:
        cuts.append((analysis.timeframe.start, analysis.timeframe.end, "{timeframe}"))
        slots["timeframe"] = {"hint": "", "sample": analysis.timeframe.text}
    if analysis.learner is not None:
        cuts.append((analysis.learner.start, analysis.learner.end, "the student"))
    out = goal.text
    for start, end, replacement in sorted(cuts, reverse=True):
        out = out[:start] + replacement + out[end:]
    if out.startswith("the student"):
        out = "T" + out[1:]
    return out, slots


def bank_use(
    template: GoalTemplate, *, plan_id: str, slots_form: Any, filled: bool
) -> dict[str, Any]:
    return {
        "template": template,
        "form": slots_form,
        "plan_id": plan_id,
        "filled_text": template.fill(slots_form.values()) if filled else None,
        "preview": checking.highlighted(check_goal(template.text)),
    }


def visible_template(user: User, template_id: object) -> GoalTemplate | None:
    """A template the user may see (shipped, their district's, their own), or None."""
    return queries.templates_visible_to(user).filter(public_id=template_id).first()
