"""The only write path of the goal editor and the goal bank.

Goals themselves are written by `tandem.plans.actions` (add_goal, update_goal, remove_goal: the
access checks, the draft lock and the audit live there); these actions wrap them in one
transaction with what the editor adds: the author's confirmed reading of an ambiguous criterion
(stored in the goal's analysis), the short-term objectives, and personal templates.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.http import Http404
from django.utils.translation import gettext as _

from tandem.access import audit
from tandem.access.models import User
from tandem.access.policy import standing
from tandem.goals.models import GoalArea, GoalObjective, GoalTemplate, GradeBand
from tandem.goals.queries import staff_district_ids
from tandem.plans import actions as plan_actions
from tandem.plans.models import Goal, Plan
from tandem.rules.goals import MofNReading, check_goal

MAX_OBJECTIVES = 10


def _clean_goal(data: Mapping[str, Any], areas: Sequence[str]) -> dict[str, Any]:
    text = (data.get("text") or "").strip()
    area = (data.get("area") or "").strip()
    if not text:
        raise ValidationError({"text": [_("Write the goal.")]})
    if area not in areas:
        raise ValidationError({"area": [_("Choose an area from the list.")]})
    return {
        "area": area,
        "text": text,
        "baseline": (data.get("baseline") or "").strip(),
        "plaafp_need": (data.get("plaafp_need") or "").strip(),
    }


def _reading(value: Any) -> MofNReading | None:
    if value in (None, ""):
        return None
    try:
        return MofNReading(value)
    except ValueError:
        raise ValidationError({"reading": [_("Choose one of the two readings.")]}) from None


@transaction.atomic
def save_goal(
    *,
    actor: User,
    plan: Plan,
    data: Mapping[str, Any],
    areas: Sequence[str],
    goal: Goal | None = None,
    reading: Any = None,
    objectives: Sequence[str] = (),
    expected_lock_version: int | None = None,
) -> Goal:
    """Add (goal=None) or change a draft's goal, with its confirmed reading and objectives.

    A criterion with two readings must be confirmed (`reading`); a criterion the checker cannot
    read is saved as written, with the checker's flag in the analysis.
    """
    values = _clean_goal(data, areas)
    chosen = _reading(reading)
    analysis = check_goal(values["text"], plaafp_need=values["plaafp_need"] or None)
    if analysis.ambiguities and chosen is None:
        raise ValidationError({"reading": [_("Choose how the criterion is read before saving.")]})
    texts = [t.strip() for t in objectives if t and t.strip()]
    if len(texts) > MAX_OBJECTIVES:
        raise ValidationError(
            {"objectives": [_("Write at most %(n)s objectives.") % {"n": MAX_OBJECTIVES}]}
        )
    if goal is None:
        goal = plan_actions.add_goal(
            actor=actor, plan=plan, data=values, expected_lock_version=expected_lock_version
        )
    else:
        if goal.plan_id != plan.pk:
            raise ValidationError({"public_id": _("No such item in this plan.")})
        goal = plan_actions.update_goal(
            actor=actor, goal=goal, data=values, expected_lock_version=expected_lock_version
        )
    goal = Goal.objects.select_for_update(of=("self",)).select_related("plan").get(pk=goal.pk)
    if analysis.ambiguities and chosen is not None:
        confirmed = check_goal(
            values["text"], plaafp_need=values["plaafp_need"] or None, reading=chosen
        )
        goal.analysis = {
            **confirmed.to_json(),
            "reading": str(chosen),
            "reading_confirmed": True,
        }
        goal.save(update_fields=["analysis"])
    before = list(goal.objectives.values_list("text", flat=True))
    if before != texts:
        goal.objectives.all().delete()
        GoalObjective.objects.bulk_create(
            GoalObjective(goal=goal, text=text, order=i) for i, text in enumerate(texts, 1)
        )
    audit.record(
        actor=actor,
        action="goal.saved",
        student=goal.plan.student,
        target=goal,
        detail={
            "reading": str(chosen) if chosen and analysis.ambiguities else None,
            "objectives": len(texts),
        },
    )
    return goal


@transaction.atomic
def remove_goal(*, actor: User, goal: Goal, expected_lock_version: int | None = None) -> None:
    """Remove a draft's goal (and its objectives); refused when progress data points to it."""
    try:
        plan_actions.remove_goal(
            actor=actor, goal=goal, expected_lock_version=expected_lock_version
        )
    except ProtectedError:
        raise ValidationError(
            {"goal": [_("Progress data was recorded for this goal, so it cannot be removed.")]}
        ) from None


# --- the bank -----------------------------------------------------------------------------------


def _require_staff(actor: User) -> None:
    if not standing(actor).is_staff_member:
        raise Http404


def _clean_template(data: Mapping[str, Any]) -> dict[str, Any]:
    title = (data.get("title") or "").strip()
    text = (data.get("text") or "").strip()
    area = data.get("area") or ""
    band = data.get("grade_band") or GradeBand.ANY
    if not title:
        raise ValidationError({"title": [_("Give the template a title.")]})
    if len(title) > 200:
        raise ValidationError({"title": [_("Keep the title under 200 characters.")]})
    if not text:
        raise ValidationError({"text": [_("The template has no text.")]})
    if area not in GoalArea.values:
        raise ValidationError({"area": [_("Choose an area from the list.")]})
    if band not in GradeBand.values:
        raise ValidationError({"grade_band": [_("Choose a grade band from the list.")]})
    slots = data.get("slots") or {}
    return {"title": title, "text": text, "area": area, "grade_band": band, "slots": slots}


@transaction.atomic
def save_personal_template(*, actor: User, data: Mapping[str, Any]) -> GoalTemplate:
    """Keep a goal as the actor's own template (visible to them only)."""
    _require_staff(actor)
    districts = staff_district_ids(actor)
    if not districts:
        raise PermissionDenied
    values = _clean_template(data)
    template = GoalTemplate(district_id=min(districts), owner=actor, **values)
    template.full_clean()
    template.save()
    audit.record(
        actor=actor,
        action="goal_template.saved",
        district=template.district,
        target=template,
        detail={"area": values["area"]},
    )
    return template


@transaction.atomic
def delete_personal_template(*, actor: User, template: GoalTemplate) -> None:
    """Delete one of the actor's own templates; shipped and district templates stay."""
    _require_staff(actor)
    locked = GoalTemplate.objects.select_for_update(of=("self",)).filter(pk=template.pk).first()
    if locked is None or locked.owner_id != actor.pk:
        raise Http404
    audit.record(
        actor=actor, action="goal_template.deleted", district=locked.district, target=locked
    )
    locked.delete()
