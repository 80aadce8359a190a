"""Telling the case manager when a goal needs attention: once per goal per change of state.

States: "change_instruction" (the rules engine's headline says so, which it does only when the
projection's whole 95% range falls short of the target: `Analysis` gates the rules' "change"),
"will_miss" (the projection clearly misses the target though the headline rule has not decided
to change: `Projection.clearly_misses`; a shortfall inside the range is not a miss), "ok"
(anything else). A notice goes out when a goal enters one of the first two
states from a different state; coming back to "ok" is remembered silently so a later slide is
told again.
"""

from __future__ import annotations

from django.urls import reverse
from django.utils.translation import gettext as _

from tandem.communication.notify import notify_localized
from tandem.people.relations import case_managers
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
    student = goal.plan.student
    recipients = case_managers(student)
    if not recipients:
        return

    def render() -> tuple[str, str]:
        subject = _("%(name)s's %(area)s goal needs attention") % {
            "name": student.display_name,
            "area": goal.area,
        }
        body = _(
            "%(reason)s Decision: %(decision)s. Review the graph and consider a revision request."
        ) % {"reason": gp.attention_reason, "decision": gp.decision_words}
        return subject, body

    notify_localized(
        recipients,
        render=render,
        url=reverse("goal_progress", args=[goal.public_id]),
        student=student,
        kind="progress.attention",
    )
