"""Telling the case manager when a goal needs attention: once per goal per change of state.

States: "change_instruction" (the rules say so), "will_miss" (the goal date will be missed at
the trend), "ok" (anything else). A notice goes out when a goal enters one of the first two
states from a different state; coming back to "ok" is remembered silently so a later slide is
told again.
"""

from __future__ import annotations

from typing import Any

from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from tandem.people.models import CaseloadAssignment, TeamMembership, TeamRole
from tandem.plans.models import Goal
from tandem.progress.models import AttentionNotice
from tandem.progress.queries import GoalProgress, progress_for


def attention_state(gp: GoalProgress) -> str:
    if not gp.needs_attention:
        return "ok"
    d = gp.decision
    if d is not None and d.decision.value == "change_instruction":
        return "change_instruction"
    return "will_miss"


def revision_url(goal: Goal) -> str:
    """REVISIONS' new-request page for the goal's student, with the goal as evidence; or ""."""
    try:
        base = reverse("revision_new", args=[goal.plan.student.public_id])
    except NoReverseMatch:
        return ""
    return f"{base}?goal={goal.public_id}"


def case_managers_of(student: Any) -> list[Any]:
    day = timezone.localdate()
    users = {
        a.staff.user
        for a in CaseloadAssignment.objects.active_on(day)
        .filter(student=student)
        .select_related("staff__user")
    }
    users |= {
        m.staff.user
        for m in TeamMembership.objects.active_on(day)
        .filter(student=student, role=TeamRole.CASE_MANAGER)
        .select_related("staff__user")
    }
    return sorted(users, key=lambda u: u.pk)


def check_attention(goal: Goal) -> str:
    """Compare the goal's state with the last one told; notify on a change into attention."""
    gp = progress_for(goal)
    state = attention_state(gp)
    notice = AttentionNotice.objects.filter(goal_lineage=goal.lineage).first()
    previous = notice.state if notice else "ok"
    if state == previous:
        return state
    AttentionNotice.objects.update_or_create(goal_lineage=goal.lineage, defaults={"state": state})
    if state == "ok":
        return state
    _notify(goal, gp)
    return state


def _notify(goal: Goal, gp: GoalProgress) -> None:
    try:
        from tandem.communication.notify import notify
    except ImportError:  # COMMUNICATION not installed yet
        return
    student = goal.plan.student
    recipients = case_managers_of(student)
    if not recipients:
        return
    url = reverse("goal_progress", args=[goal.public_id])
    by_language: dict[str, list[Any]] = {}
    for user in recipients:
        by_language.setdefault(getattr(user, "preferred_language", "") or "en", []).append(user)
    for language, users in by_language.items():
        with override(language):
            subject = _("%(name)s's %(area)s goal needs attention") % {
                "name": student.display_name,
                "area": goal.area,
            }
            body = _(
                "%(reason)s Decision: %(decision)s. Review the graph and consider a revision "
                "request."
            ) % {"reason": gp.attention_reason, "decision": gp.decision_words}
        notify(
            users, subject=subject, body=body, url=url, student=student, kind="progress.attention"
        )
