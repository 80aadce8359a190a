"""Reads for the family's documents, threads and notifications (the portal uses these)."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from tandem.communication.models import ContactEntry, Delivery, Message, MessageRead, Notification


def deliveries_for_guardian(guardian: Any) -> QuerySet[Delivery]:
    """Everything sent to this guardian, newest first, with delivered and opened dates."""
    return Delivery.objects.filter(guardian=guardian).select_related("student")


def deliveries_for_student(student: Any) -> QuerySet[Delivery]:
    """Everything sent to the student's family, newest first."""
    return Delivery.objects.filter(student=student).select_related("guardian")


def unread_notifications(user: Any) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def thread(student: Any) -> QuerySet[Message]:
    """The student's messages, oldest first, with their authors and read receipts."""
    return (
        Message.objects.filter(student=student)
        .select_related("author")
        .prefetch_related(
            Prefetch(
                "reads",
                queryset=MessageRead.objects.select_related("reader").order_by("read_at"),
            )
        )
    )


def unread_messages_for(user: Any, student: Any) -> int:
    return Message.objects.filter(student=student).exclude(reads__reader=user).count()


def contacts(student: Any, *, q: str = "", method: str = "") -> QuerySet[ContactEntry]:
    rows = ContactEntry.objects.filter(student=student).select_related("staff", "follow_up_owner")
    if method:
        rows = rows.filter(method=method)
    for word in (q or "").split()[:8]:
        rows = rows.filter(
            Q(summary__icontains=word)
            | Q(follow_up__icontains=word)
            | Q(family_member__icontains=word)
            | Q(interpreter__icontains=word)
            | Q(language__icontains=word)
            | Q(staff__first_name__icontains=word)
            | Q(staff__last_name__icontains=word)
        )
    return rows


def section_counts(student: Any) -> dict[str, int]:
    return Message.objects.filter(student=student).aggregate(messages=Count("id")) | {
        "contacts": ContactEntry.objects.filter(student=student).count(),
        "deliveries": Delivery.objects.filter(student=student).count(),
    }
