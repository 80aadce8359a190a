"""Reads for revision requests: the case manager's queue, leaders' view, a student's requests."""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from tandem.access.policy import students_visible_to
from tandem.revisions.models import RevisionRequest, Status


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
