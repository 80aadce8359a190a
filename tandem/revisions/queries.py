"""Reads for revision requests: the case manager's queue, leaders' view, a student's requests.

One request is fetched through the shared gatekeeper (`access_owned` with `with_details()`);
answering it also needs `ANSWERED_BY`: the person it is routed to, or a leader.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404

from tandem.access.gatekeepers import Owner
from tandem.access.policy import parse_public_id, students_visible_to
from tandem.plans.models import Goal
from tandem.revisions.models import RevisionRequest, Status

# The request is answered by the person it is routed to (its "routed to" field), or a leader.
ANSWERED_BY = Owner("case_manager")


def with_details() -> QuerySet[RevisionRequest]:
    """Requests with what their page shows: student, plan, goal, people, meeting."""
    return RevisionRequest.objects.select_related(
        "student__school",
        "student__district",
        "plan",
        "goal",
        "requested_by",
        "case_manager",
        "resolved_by",
        "meeting",
        "notice",
        "amendment__plan",
    )


def visible_requests(user: Any) -> QuerySet[RevisionRequest]:
    """Requests about students the user may read (leaders see their schools' and districts')."""
    return RevisionRequest.objects.filter(
        student__in=students_visible_to(user).values("pk")
    ).select_related("student", "requested_by", "case_manager", "meeting")


def queue_for(user: Any, *, status: str = "", mine: bool = False) -> QuerySet[RevisionRequest]:
    rows = visible_requests(user)
    if status in Status.values:
        rows = rows.filter(status=status)
    if mine:
        rows = rows.filter(Q(case_manager=user) | Q(requested_by=user))
    return rows.order_by("status", "created_at", "id") if status == Status.OPEN else rows


def for_student(student: Any) -> QuerySet[RevisionRequest]:
    return RevisionRequest.objects.filter(student=student).select_related(
        "requested_by", "case_manager", "meeting"
    )


def goal_of(student: Any, value: object) -> Goal | None:
    """The goal of this student's plans named by `value` (a public id), else None.

    The caller has passed the gatekeeper for `student`; a goal of another student is not found.
    """
    if not value:
        return None
    try:
        key = parse_public_id(value)
    except Http404:
        return None
    return Goal.objects.select_related("plan").filter(public_id=key, plan__student=student).first()
