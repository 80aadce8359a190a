"""What the plan actions share: the fields of services, accommodations and goals, the edit
that arrived after someone else's (StaleEdit), what an amendment or correction changes (Changes),
and the row lock and field helpers every writer of a plan uses.
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Model
from django.utils.translation import gettext as _

from tandem.accounts.models import User
from tandem.core import limits
from tandem.plans.forms_editor import specs_for
from tandem.plans.models import (
    SECTION_TEXT_LIMIT,
    Accommodation,
    Goal,
    Plan,
    PlanSection,
    SectionKey,
    Service,
)
from tandem.rules.goals import check_goal

SERVICE_FIELDS = (
    "category",
    "name",
    "minutes",
    "times",
    "per",
    "setting",
    "start_date",
    "end_date",
    "provider_role",
    "delivery_mode",
    "group_size",
)

ACCOMMODATION_FIELDS = (
    "kind",
    "category",
    "text",
    "applies_to",
    "frequency_condition",
    "provider_role",
    "responsible_staff",
)

GOAL_FIELDS = ("area", "text", "baseline", "plaafp_need")

ITEM_FIELDS: dict[type[Model], tuple[str, ...]] = {
    Service: SERVICE_FIELDS,
    Accommodation: ACCOMMODATION_FIELDS,
    Goal: GOAL_FIELDS,
}


class StaleEdit(Exception):  # noqa: N818 - the domain's word for it
    """Someone else saved first: nothing was written; here is what they saved."""

    def __init__(
        self,
        *,
        current_content: Any,
        current_revision: int,
        saved_by: User | None,
        saved_at: datetime | None,
    ) -> None:
        self.current_content = current_content
        self.current_revision = current_revision
        self.saved_by = saved_by
        self.saved_at = saved_at
        who = (saved_by.get_full_name() or saved_by.email) if saved_by else _("someone else")
        super().__init__(
            _("%(name)s saved a newer version of this while you were editing; yours was not saved.")
            % {"name": who}
        )


@dataclass(frozen=True, kw_only=True)
class Changes:
    """What an amendment or correction changes; items are addressed by their public id."""

    sections: Mapping[str, Any] = field(default_factory=dict)
    plan_fields: Mapping[str, date | None] = field(default_factory=dict)
    add_services: Sequence[Mapping[str, Any]] = ()
    update_services: Mapping[Any, Mapping[str, Any]] = field(default_factory=dict)
    remove_services: Sequence[Any] = ()
    add_accommodations: Sequence[Mapping[str, Any]] = ()
    update_accommodations: Mapping[Any, Mapping[str, Any]] = field(default_factory=dict)
    remove_accommodations: Sequence[Any] = ()
    add_goals: Sequence[Mapping[str, Any]] = ()
    update_goals: Mapping[Any, Mapping[str, Any]] = field(default_factory=dict)
    remove_goals: Sequence[Any] = ()


# --- helpers ----------------------------------------------------------------------------------


def lock_plan(plan: Plan) -> Plan:
    """The plan again, locked for this transaction, with its student."""
    return Plan.objects.select_for_update(of=("self",)).select_related("student").get(pk=plan.pk)


def set_item_fields(instance: Model, allowed: Sequence[str], data: Mapping[str, Any]) -> None:
    """Set an item's fields from `data`, refusing any not in `allowed`; a goal is re-analysed."""
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise ValidationError(
            {unknown[0]: _("This field cannot be set here: %(f)s.") % {"f": ", ".join(unknown)}}
        )
    for name, value in data.items():
        setattr(instance, name, value)
    if isinstance(instance, Goal):
        instance.analysis = check_goal(
            instance.text, plaafp_need=instance.plaafp_need or None
        ).to_json()


def save_item(instance: Model) -> None:
    """Validate and save a service, accommodation or goal of a plan."""
    instance.full_clean(exclude=["plan"])
    instance.save()


def find_item(model: type[Model], plan: Plan, public_id: Any) -> Any:
    """The plan's item of this model with this public id, or a ValidationError naming it."""
    item = model.objects.filter(plan=plan, public_id=public_id).first()  # type: ignore[attr-defined]
    if item is None:
        raise ValidationError({"public_id": _("No such item in this plan.")})
    return item


def _field_label(key: str, name: str) -> str:
    labels = {spec.name: str(spec.label) for spec in specs_for(key)}
    return labels.get(name, name.replace("_", " ").capitalize())


def _longest_text(value: Any) -> int:
    if isinstance(value, str):
        return len(value)
    if isinstance(value, Mapping):
        return max((_longest_text(v) for v in value.values()), default=0)
    if isinstance(value, list | tuple):
        return max((_longest_text(v) for v in value), default=0)
    return 0


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, Mapping):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list | tuple):
        return any(_has_nul(v) for v in value)
    return False


def _kilobytes(size: int) -> str:
    return limits.grouped(-(-size // 1000))


def check_section_size(key: str, content: Any) -> None:
    """Refuse a section that is too big or holds NUL, naming the field (or the section).

    A field longer than SECTION_TEXT_LIMIT characters, a whole section over
    limits.SECTION_BYTES, or a NUL character anywhere (PostgreSQL cannot store it, and the
    conflict form's choices arrive as JSON no form field has checked) is refused: nothing saved.
    """
    fields = content if isinstance(content, Mapping) else {"text": content}
    for name, value in fields.items():
        if _has_nul(name) or _has_nul(value):
            raise ValidationError(
                {
                    str(name).replace("\x00", ""): _(
                        "%(field)s holds a NUL character (\\u0000), which cannot be saved; "
                        "nothing was saved."
                    )
                    % {"field": _field_label(key, str(name).replace("\x00", ""))}
                }
            )
        length = _longest_text(value)
        if length > SECTION_TEXT_LIMIT:
            raise ValidationError(
                {
                    str(name): _(
                        "%(field)s is %(length)s characters long; a field of a plan section "
                        "holds at most %(limit)s. Shorten it (or attach the long report to the "
                        "student's record and summarize it here); nothing was saved."
                    )
                    % {
                        "field": _field_label(key, str(name)),
                        "length": limits.grouped(length),
                        "limit": limits.grouped(SECTION_TEXT_LIMIT),
                    }
                }
            )
    size = len(json.dumps(content, ensure_ascii=False).encode())
    if size > limits.SECTION_BYTES:
        raise ValidationError(
            _(
                "%(section)s is %(size)s KB in all; a plan section holds at most %(limit)s KB. "
                "Shorten its longest fields (or attach the long report to the student's record "
                "and summarize it here); nothing was saved."
            )
            % {
                "section": _section_label(key),
                "size": _kilobytes(size),
                "limit": limits.grouped(limits.SECTION_BYTES // 1000),
            }
        )


def _section_label(key: str) -> str:
    try:
        return str(SectionKey(key).label)
    except ValueError:
        return key


def write_section(section: PlanSection, actor: User, content: Any) -> None:
    """Set the section's new content and revision, keeping track of the author's run."""
    if section.updated_by_id != actor.pk or section.revision == 0:
        section.author_since = section.revision
    section.content = content
    section.revision += 1
    section.updated_by = actor


def one_year_after(day: date) -> date:
    """The same day a year later (28 February for 29 February)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)
