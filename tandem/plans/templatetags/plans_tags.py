"""The editor's readings for the plan document: the LRE from its services, structured sections."""

from __future__ import annotations

from typing import Any

from django import template

from tandem.plans.forms_editor import compute_lre, section_rows
from tandem.plans.models import PlanKind, SectionKey

register = template.Library()


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


@register.filter
def unstopped(text: Any) -> str:
    """Text without its closing full stop, for a sentence the document goes on with (". ")."""
    return str(text or "").rstrip().rstrip(".")
