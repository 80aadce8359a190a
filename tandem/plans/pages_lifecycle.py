"""What the living document's pages show: annual review, amendment, correction, transitions.

Built from the plan (already through its gatekeeper), the decision on its student and the
page's forms; the views in `views_lifecycle.py` only fetch, act and render.
"""

from __future__ import annotations

from typing import Any

from django.urls import reverse
from django.utils.translation import gettext as _

from tandem.access.policy import Access
from tandem.plans import queries
from tandem.plans.forms_lifecycle import Amendment
from tandem.plans.models import (
    AccommodationKind,
    Goal,
    Plan,
    PlanKind,
    PlanStatus,
    SectionKey,
    Service,
)
from tandem.plans.pages import base

SHORT = 90


def draft_url(draft: Plan) -> str:
    """Where a new draft is written."""
    return reverse("plan_edit", kwargs={"plan_id": draft.public_id})


def detail_url(plan: Plan) -> str:
    return reverse("plan_detail", kwargs={"plan_id": plan.public_id})


def annual_review(plan: Plan, access: Access, form: Any) -> dict[str, Any]:
    """What the new draft starts from, or the draft already under way."""
    draft = queries.open_draft(plan.student, plan.kind)
    counts = {
        "sections": plan.sections.count(),
        "services": plan.services.count(),
        "accommodations": plan.accommodations.count(),
        "goals": plan.goals.count(),
    }
    return base(
        plan,
        access,
        form=form,
        existing_draft=draft,
        existing_draft_url=draft_url(draft) if draft else "",
        counts=counts,
    )


# --- amendment ----------------------------------------------------------------------------------


def _short(text: str) -> str:
    return text if len(text) <= SHORT else text[: SHORT - 1] + "…"


def describe_service(s: Service) -> str:
    names = ("name", "minutes", "times", "per", "group_size", "delivery_mode")
    return queries.describe_service({n: getattr(s, n) for n in (*names, "start_date", "end_date")})


def describe_text(item: Any) -> str:
    return _short(getattr(item, "text", ""))


def describe_goal(g: Goal) -> str:
    return f"{g.area}: {describe_text(g)}"


def _rows(formset: Any, describe: Any, problems: dict[str, list[str]]) -> list[dict[str, Any]]:
    rows = []
    for form in formset.forms:
        existing = form.instance.pk is not None
        anchor = f"{formset.prefix}-{form.prefix}"
        rows.append(
            {
                "form": form,
                "existing": existing,
                "title": describe(form.instance) if existing else "",
                "anchor": anchor,
                "problems": problems.get(anchor, []),
                "open": bool(form.errors or anchor in problems)
                or (not existing and form.has_changed()),
            }
        )
    return rows


def amend(plan: Plan, access: Access, amendment: Amendment) -> dict[str, Any]:
    """The whole plan in one form: sections, then each service, accommodation and goal."""
    form, sets, problems = amendment.form, amendment.formsets, amendment.row_problems
    return base(
        plan,
        access,
        form=form,
        section_fields=[form[name] for name in form.fields if name.startswith("section__")],
        services=sets["service"],
        service_rows=_rows(sets["service"], describe_service, problems),
        accommodations=sets["accommodation"],
        accommodation_rows=_rows(sets["accommodation"], describe_text, problems),
        goals=sets["goal"],
        goal_rows=_rows(sets["goal"], describe_goal, problems),
        placed=amendment.placed,
        is_iep=plan.kind == PlanKind.IEP,
    )


# --- correction ---------------------------------------------------------------------------------


def targets(plan: Plan) -> list[dict[str, str]]:
    """Everything that can be corrected, in the document's order."""
    saved = {s.key for s in plan.sections.all()}
    out = [{"value": "dates", "label": _("Plan dates (meeting, effective from and to)")}]
    out += [
        {"value": f"section:{key}", "label": _("Section: %(name)s") % {"name": label}}
        for key, label in SectionKey.choices
        if key in saved
    ]
    out += [
        {"value": f"service:{s.public_id}", "label": _("Service: %(name)s") % {"name": s.name}}
        for s in plan.services.order_by("category", "name", "id")
    ]
    for a in plan.accommodations.order_by("kind", "category", "id"):
        modification = a.kind == AccommodationKind.MODIFICATION
        label = _("Modification: %(text)s") if modification else _("Accommodation: %(text)s")
        out.append(
            {"value": f"accommodation:{a.public_id}", "label": label % {"text": describe_text(a)}}
        )
    out += [
        {"value": f"goal:{g.public_id}", "label": _("Goal: %(text)s") % {"text": describe_goal(g)}}
        for g in plan.goals.order_by("id")
    ]
    return out


def correction(plan: Plan, access: Access, target: str, **forms: Any) -> dict[str, Any]:
    """The list of what can be corrected; with a target, its form and the reason's."""
    listed = targets(plan)
    label = next((t["label"] for t in listed if t["value"] == target), "")
    return base(plan, access, targets=listed, target=target, target_label=label, **forms)


# --- transitions --------------------------------------------------------------------------------


def may_move_to_504(plan: Plan) -> bool:
    return plan.kind == PlanKind.IEP and plan.status == PlanStatus.ACTIVE


def transition(
    plan: Plan, access: Access, move: Any, to504: Any, step: str | None
) -> dict[str, Any]:
    """A school or grade change (for those who edit the profile) and, for an IEP, a 504 Plan."""
    shown = to504 if may_move_to_504(plan) else None
    return base(plan, access, move=move, to504=shown, step=step)
