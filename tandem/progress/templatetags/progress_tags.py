"""The progress section of the student overview: each goal with its latest decision."""

from __future__ import annotations

from typing import Any

from django import template

from tandem.access.policy import Need, can
from tandem.progress.queries import goals_of_student, progress_for_goals

register = template.Library()


@register.inclusion_tag("progress/_section.html")
def progress_section(student: Any, user: Any) -> dict[str, Any]:
    """`student` is already access-checked by the page that includes this section."""
    items = progress_for_goals(goals_of_student(student))
    staff = getattr(user, "staff", None) if hasattr(user, "staff") else None
    return {
        "student": student,
        "items": items,
        "can_collect": bool(items) and staff is not None and can(user, Need.WRITE, student),
    }
