"""The plans section of the student overview, with its own data (one query)."""

from __future__ import annotations

from typing import Any

from django import template

from tandem.plans import queries

register = template.Library()


@register.inclusion_tag("plans/_section.html")
def plans_section(student: Any, user: Any) -> dict[str, Any]:
    """`student` is already access-checked by the page that includes this section."""
    return {"student": student, "plans": queries.plans_of_student(student)}
