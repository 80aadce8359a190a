"""The only write path of the goal editor and the goal bank.

A goal saved here is checked once (`tandem.rules.goals.check_goal`, with the author's reading of
an ambiguous criterion), stored with that analysis as a record the pages read back, saved with its
short-term objectives, and audited once, in one transaction. The draft's rules are the plan
editor's: the capability to write the plan, a draft only, and the draft's lock version.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.http import Http404
from django.utils.translation import gettext as _

from tandem import audit
from tandem.access.capabilities import Cap
from tandem.access.policy import require
from tandem.accounts.models import User
from tandem.audit.catalogue import Action
from tandem.goals.models import GoalArea, GoalObjective, GoalTemplate, GradeBand
from tandem.goals.queries import staff_district_ids
from tandem.plans import actions_drafts as plan_drafts
from tandem.plans.actions_common import StaleEdit
from tandem.plans.models import EDITABLE_STATUSES, Goal, Plan
from tandem.rules.goals import MofNReading, check_goal, to_record

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


def _objectives(lines: Sequence[str]) -> list[str]:
    texts = [t.strip() for t in lines if t and t.strip()]
    if len(texts) > MAX_OBJECTIVES:
        raise ValidationError(
            {"objectives": [_("Write at most %(n)s objectives.") % {"n": MAX_OBJECTIVES}]}
        )
    return texts


def _locked_draft(plan: Plan, expected_lock_version: int | None) -> Plan:
    """The plan, locked for this transaction, if it is still a draft nobody changed since."""
    plan = Plan.objects.select_for_update(of=("self",)).select_related("student").get(pk=plan.pk)
    if plan.status not in EDITABLE_STATUSES:
        raise ValidationError(
            {"status": _("Only a draft can be edited; amend or correct an active plan instead.")}
        )
    if expected_lock_version is not None and expected_lock_version != plan.lock_version:
        raise StaleEdit(
            current_content=None, current_revision=plan.lock_version, saved_by=None, saved_at=None
        )
    return plan


def _replace_objectives(goal: Goal, texts: list[str]) -> bool:
    if list(goal.objectives.values_list("text", flat=True)) == texts:
        return False
    goal.objectives.all().delete()
    GoalObjective.objects.bulk_create(
        GoalObjective(goal=goal, text=text, order=i) for i, text in enumerate(texts, 1)
    )
    return True


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
    """Add (goal=None) or change a draft's goal: checked once, saved with its analysis, audited once.

    A criterion with two readings must be confirmed (`reading`); a criterion the checker cannot
    read is saved as written, with the checker's flag in the analysis.
    """
    require(actor, plan.student, Cap.WRITE_PLAN)
    values = _clean_goal(data, areas)
    chosen = _reading(reading)
    texts = _objectives(objectives)
    analysis = check_goal(values["text"], plaafp_need=values["plaafp_need"] or None, reading=chosen)
    if analysis.ambiguities and chosen is None:
        raise ValidationError({"reading": [_("Choose how the criterion is read before saving.")]})
    plan = _locked_draft(plan, expected_lock_version)
    if goal is not None and goal.plan_id != plan.pk:
        raise ValidationError({"public_id": _("No such item in this plan.")})
    added = goal is None
    goal = (
        Goal(plan=plan)
        if goal is None
        else Goal.objects.select_for_update(of=("self",)).get(pk=goal.pk)
    )
    changed = sorted(k for k, v in values.items() if getattr(goal, k) != v)
    for name, value in values.items():
        setattr(goal, name, value)
    goal.analysis = to_record(analysis)
    goal.full_clean(exclude=["plan"])
    goal.save()
    if _replace_objectives(goal, texts):
        changed.append("objectives")
    plan.lock_version += 1
    plan.save(update_fields=["lock_version"])
    audit.record(
        actor=actor,
        action=Action.PLAN__GOAL_ADDED if added else Action.PLAN__GOAL_CHANGED,
        student=plan.student,
        target=goal,
        detail={
            "fields": sorted(changed),
            "reading": str(chosen) if chosen and analysis.ambiguities else None,
            "objectives": len(texts),
        },
    )
    return goal


@transaction.atomic
def remove_goal(*, actor: User, goal: Goal, expected_lock_version: int | None = None) -> None:
    """Remove a draft's goal (and its objectives); refused when progress data points to it."""
    try:
        plan_drafts.remove_goal(actor=actor, goal=goal, expected_lock_version=expected_lock_version)
    except ProtectedError:
        raise ValidationError(
            {"goal": [_("Progress data was recorded for this goal, so it cannot be removed.")]}
        ) from None


# --- the bank -----------------------------------------------------------------------------------


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
    districts = staff_district_ids(actor)
    if not districts:
        raise PermissionDenied
    values = _clean_template(data)
    template = GoalTemplate(district_id=min(districts), owner=actor, **values)
    template.full_clean()
    template.save()
    audit.record(
        actor=actor,
        action=Action.GOAL_TEMPLATE__SAVED,
        district=template.district,
        target=template,
        detail={"area": values["area"]},
    )
    return template


@transaction.atomic
def delete_personal_template(*, actor: User, template: GoalTemplate) -> None:
    """Delete one of the actor's own templates; shipped and district templates stay."""
    locked = GoalTemplate.objects.select_for_update(of=("self",)).filter(pk=template.pk).first()
    if locked is None or locked.owner_id != actor.pk:
        raise Http404
    audit.record(
        actor=actor, action=Action.GOAL_TEMPLATE__DELETED, district=locked.district, target=locked
    )
    locked.delete()
