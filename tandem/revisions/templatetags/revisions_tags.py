from __future__ import annotations

from typing import Any

from django import template

from tandem.revisions.queries import for_student

register = template.Library()


@register.inclusion_tag("revisions/_section.html")
def revisions_section(student: Any, user: Any, can_write: bool = False) -> dict[str, Any]:
    rows = list(for_student(student)[:10])
    return {
        "student": student,
        "rows": rows,
        "open_count": sum(1 for r in rows if r.is_open),
        "can_write": can_write,
    }
