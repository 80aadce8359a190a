"""The plans section of the student overview, and the editor's readings for the plan document."""

from __future__ import annotations

from typing import Any

from django import template

from tandem.access.policy import Need, can
from tandem.plans import queries
from tandem.plans.forms_editor import compute_lre, section_rows
from tandem.plans.models import EDITABLE_STATUSES, PlanKind, SectionKey

register = template.Library()


@register.inclusion_tag("plans/_section.html", takes_context=True)
def plans_section(context: Any, student: Any, user: Any) -> dict[str, Any]:
    """`student` is already access-checked by the page that includes this section."""
    plans = queries.plans_of_student(student)
    may_write = context.get("can_write")
    if may_write is None:
        may_write = bool(user and user.is_authenticated and can(user, Need.WRITE, student))
    drafting = {p.kind for p in plans if p.status in EDITABLE_STATUSES}
    startable = [(k, label) for k, label in PlanKind.choices if k not in drafting]
    return {
        "student": student,
        "plans": plans,
        "can_write": may_write,
        "startable": startable if may_write else [],
    }


@register.simple_tag
def plan_can_write(plan: Any, user: Any) -> bool:
    """Whether `user` may write the plan's student's record (the editor's buttons)."""
    return bool(user and user.is_authenticated and can(user, Need.WRITE, plan.student))


@register.simple_tag
def document_lre(doc: Any, student: Any) -> Any:
    """The least restrictive environment computed from a plan document's services (IEP only)."""
    if not doc or doc.get("kind") != PlanKind.IEP:
        return None
    placement = ""
    for section in doc.get("sections", []):
        content = section.get("content")
        if section.get("key") == SectionKey.LRE and isinstance(content, dict):
            placement = content.get("placement", "")
    return compute_lre(doc.get("services", []), district=student.district, placement=placement)


@register.simple_tag
def section_parts(section: Any) -> list[dict[str, str]]:
    """A document section as labelled parts when it is structured; [] for plain text."""
    content = section.get("content") if isinstance(section, dict) else None
    if not isinstance(content, dict) or set(content) <= {"text"}:
        return []
    return section_rows(section.get("key", ""), content)
