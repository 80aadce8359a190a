"""What a correction may change: it fixes the record, never the child's program. Spelling and
wording in narrative text, a name, a mistyped meeting date the meetings record proves; anything
else is refused with a link to amend the plan instead (`check_correction`).
"""

from __future__ import annotations

import difflib
import re
from datetime import date
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext as _

from tandem.plans.actions_common import Changes, find_item
from tandem.plans.forms_editor import specs_for
from tandem.plans.models import Accommodation, Goal, Plan, Service
from tandem.rules.goals import check_goal

# A correction fixes the record, never the child's program: spelling and wording in narrative
# text, a name, a mistyped meeting date the record proves. Everything else needs an amendment.
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


WORDING_SIMILARITY = 0.8  # below this, the text says something else: that is an amendment

# The section fields that decide the program (choices, answers, dates): never a correction.
_SECTION_TEXT_KINDS = ("text", "line")


def _numbers(text: str) -> list[str]:
    return sorted(_NUMBER.findall(text or ""))


def _wording_only(before: str, after: str) -> bool:
    """Whether `after` fixes spelling or wording in `before`: the same numbers, nearly the same
    words."""
    before, after = before or "", after or ""
    if _numbers(before) != _numbers(after):
        return False
    return difflib.SequenceMatcher(None, before, after).ratio() >= WORDING_SIMILARITY


def _criteria(text: str) -> list[dict[str, Any]]:
    """The goal checker's criteria for mastery, without where they sit in the sentence."""
    criteria = check_goal(text).to_json().get("criteria") or []
    where = ("text", "start", "end")
    return [
        {k: v for k, v in c.items() if k not in where}
        for c in criteria  # type: ignore[union-attr]
        if isinstance(c, dict)
    ]


def _amend_instead(plan: Plan, field_name: str, why: str) -> ValidationError:
    link = reverse("plan_amend", args=[plan.public_id])
    return ValidationError(
        {
            field_name: _(
                "%(why)s A correction only fixes spelling or wording, a name, or a mistyped date "
                "the record proves; this changes the child's program, so amend the plan instead "
                "(%(link)s)."
            )
            % {"why": why, "link": link}
        }
    )


def _meeting_on_record(plan: Plan, day: date) -> bool:
    """A meeting of the student's on `day` in the meetings record (held or scheduled)."""
    meeting = apps.get_model("meetings", "Meeting")
    return (
        meeting.objects.filter(student=plan.student)
        .exclude(status="cancelled")
        .filter(Q(held_at__date=day) | Q(starts_at__date=day))
        .exists()
    )


def _section_text_fields(key: str) -> set[str]:
    return {spec.name for spec in specs_for(key) if spec.kind in _SECTION_TEXT_KINDS}


def check_correction(plan: Plan, changes: Changes) -> None:
    """Refuse, naming the field and why, whatever a correction may not change."""
    if changes.add_services or changes.remove_services:
        raise _amend_instead(plan, "services", _("Adding or removing a service changes it."))
    if changes.add_accommodations or changes.remove_accommodations:
        raise _amend_instead(
            plan, "accommodations", _("Adding or removing an accommodation changes it.")
        )
    if changes.add_goals or changes.remove_goals:
        raise _amend_instead(plan, "goals", _("Adding or removing a goal changes it."))
    for name, value in changes.plan_fields.items():
        if name in ("effective_from", "effective_to") and value != getattr(plan, name):
            raise _amend_instead(
                plan, name, _("The dates the plan is in effect are part of the program.")
            )
        if (
            name == "meeting_date"
            and value != plan.meeting_date
            and (value is None or not _meeting_on_record(plan, value))
        ):
            raise ValidationError(
                {
                    "meeting_date": _(
                        "The record shows no meeting of the student's on that date; a "
                        "meeting date is corrected only to the date the meetings record "
                        "shows."
                    )
                }
            )
    sections = {s.key: s.content for s in plan.sections.all()}
    for key, content in changes.sections.items():
        before = sections.get(key) or {}
        before = before if isinstance(before, dict) else {"text": before}
        after = content if isinstance(content, dict) else {"text": content}
        text_fields = _section_text_fields(key)
        for name in sorted(set(before) | set(after)):
            old, new = before.get(name, ""), after.get(name, "")
            if old == new or (not old and not new):
                continue
            if name not in text_fields:
                raise _amend_instead(
                    plan, name, _("This answer or choice in the section is part of the program.")
                )
            if not _wording_only(str(old), str(new)):
                raise _amend_instead(
                    plan,
                    name,
                    _("The text says something else (a number, minutes or a date changed)."),
                )
    for model, updates, allowed in (
        (Service, changes.update_services, {"name": _("service")}),
        (Accommodation, changes.update_accommodations, {"text": _("accommodation")}),
        (Goal, changes.update_goals, {"text": _("goal"), "baseline": _("baseline")}),
    ):
        for public_id, data in updates.items():
            item = find_item(model, plan, public_id)
            for name, value in data.items():
                old = getattr(item, name)
                if old == value:
                    continue
                if name not in allowed:
                    raise _amend_instead(
                        plan,
                        name,
                        _("“%(field)s” is part of what the plan provides.")
                        % {"field": model._meta.get_field(name).verbose_name},
                    )
                if not _wording_only(str(old or ""), str(value or "")):
                    raise _amend_instead(
                        plan,
                        name,
                        _("The new %(what)s says something else, not the same words spelled right.")
                        % {"what": allowed[name]},
                    )
                if isinstance(item, Goal) and name == "text":
                    criteria = [_criteria(str(t)) for t in (old, value)]
                    if criteria[0] != criteria[1]:
                        raise _amend_instead(
                            plan, name, _("The goal's criterion for mastery changed.")
                        )
