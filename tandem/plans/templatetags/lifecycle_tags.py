"""The plan page's lifecycle buttons and the plan's history (LIFECYCLE's part of detail.html)."""

from __future__ import annotations

from typing import Any

from django import template

from tandem.access.policy import Need, can
from tandem.plans.models import EDITABLE_STATUSES, Plan, PlanEventKind, PlanKind, PlanStatus
from tandem.plans.transitions import LIVE_STATUSES, history_of

register = template.Library()


@register.inclusion_tag("plans/lifecycle/_buttons.html")
def lifecycle_actions(plan: Plan, user: Any) -> dict[str, Any]:
    """`plan` is already access-checked (read) by the page that includes this."""
    may_write = bool(getattr(user, "is_authenticated", False)) and can(
        user, Need.WRITE, plan.student
    )
    active = plan.status == PlanStatus.ACTIVE
    open_draft = None
    if may_write and active:
        open_draft = (
            Plan.objects.filter(
                student_id=plan.student_id, kind=plan.kind, status__in=EDITABLE_STATUSES
            )
            .only("public_id")
            .first()
        )
    events = history_of(plan)
    return {
        "plan": plan,
        "may_write": may_write,
        "active": active,
        "open_draft": open_draft,
        "can_review": may_write and active and open_draft is None,
        "can_move": may_write and plan.status in LIVE_STATUSES,
        "is_iep": plan.kind == PlanKind.IEP,
        "events": events,
        "show_exit": bool(plan.exit_reason)
        and not any(
            e.kind in (PlanEventKind.EXITED, PlanEventKind.CONVERTED_TO_504) for e in events
        ),
    }
