"""The progress-reports section of the student overview, with its own data (two queries)."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils import timezone

from tandem.reports import actions, queries, schedule
from tandem.reports.forms import DraftForm

register = template.Library()


@register.inclusion_tag("reports/_section.html")
def reports_section(student: Any, user: Any, can_write: bool = False) -> dict[str, Any]:
    """`student` is already access-checked by the page that includes this section."""
    staff = queries.is_staff_reader(user)
    reports = queries.reports_of_student(student, include_drafts=staff)
    draft_form = None
    if staff and can_write:
        plan = actions.reporting_plan(student)
        if plan is not None:
            taken = {(r.period_start, r.period_end) for r in reports if r.is_issued}
            periods = [p for p in schedule.periods_for(plan) if (p.start, p.end) not in taken]
            if periods:
                current, _last = schedule.current_and_last(plan, timezone.localdate())
                initial = {"period": current.key} if current in periods else {}
                draft_form = DraftForm(initial=initial, periods=periods)
    return {"student": student, "reports": reports, "draft_form": draft_form}
