"""Reads for the family's documents, threads and notifications (the portal uses these)."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.db.models import Count, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from tandem.access.policy import students_visible_to
from tandem.accounts.models import User
from tandem.communication.models import (
    ContactEntry,
    ContactMethod,
    Delivery,
    Message,
    MessageRead,
    Notification,
)
from tandem.core import clock
from tandem.people.models import WRITING_TEAM_ROLES, CaseloadAssignment, Student, TeamMembership


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


def notifications_for(user: Any, *, unread_only: bool = False) -> QuerySet[Notification]:
    """The user's own notifications, newest first."""
    rows = Notification.objects.filter(recipient=user).select_related("student")
    return rows.filter(read_at__isnull=True) if unread_only else rows


def team_users(student: Student, *, today: date | None = None) -> list[User]:
    """The staff who work the student's case and have an account: the team a family writes to.

    The caseload's case managers and the team members in a writing role, today.
    """
    day = today or clock.today()
    users: dict[int, User] = {}
    for a in (
        CaseloadAssignment.objects.active_on(day)
        .filter(student=student)
        .select_related("staff__user")
    ):
        if a.staff.user_id:
            users[a.staff.user_id] = a.staff.user
    for m in (
        TeamMembership.objects.active_on(day)
        .filter(student=student, role__in=WRITING_TEAM_ROLES)
        .select_related("staff__user")
    ):
        if m.staff.user_id:
            users.setdefault(m.staff.user_id, m.staff.user)
    return list(users.values())


def follow_up_owners(student: Student) -> list[User]:
    """Who may own a follow-up in the contact log, by name."""
    return sorted(team_users(student), key=lambda u: (u.last_name, u.first_name))


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


def _count(qs: Any) -> Any:
    return Coalesce(
        Subquery(
            qs.order_by().values("student_id").annotate(n=Count("id")).values("n")[:1],
            output_field=IntegerField(),
        ),
        0,
    )


def section_figures(student: Any, user: Any) -> dict[str, Any]:
    """Unread messages, the last contact and the family's documents, in one query."""
    contact = ContactEntry.objects.filter(student=OuterRef("pk")).order_by("-contacted_on", "-id")
    row = (
        Student.objects.filter(pk=student.pk)
        .annotate(
            unread=_count(
                Message.objects.filter(student=OuterRef("pk")).exclude(reads__reader=user)
            ),
            last_contact_on=Subquery(contact.values("contacted_on")[:1]),
            last_contact_method=Subquery(contact.values("method")[:1]),
            sent=_count(Delivery.objects.filter(student=OuterRef("pk"))),
            unopened=_count(Delivery.objects.filter(student=OuterRef("pk"), opened_at=None)),
        )
        .values("unread", "last_contact_on", "last_contact_method", "sent", "unopened")
        .first()
    ) or {}
    method = row.get("last_contact_method")
    row["last_contact_label"] = ContactMethod(method).label if method else ""
    return row


def open_follow_ups(user: Any, *, limit: int = 50) -> list[ContactEntry]:
    """The follow-ups with families `user` owns and has not marked done, soonest due first
    (those without a date last), for students still in their reach."""
    return list(
        ContactEntry.objects.filter(follow_up_owner=user, follow_up_done_at__isnull=True)
        .exclude(follow_up="")
        .filter(student__in=students_visible_to(user))
        .select_related("student")
        .order_by(F("follow_up_on").asc(nulls_last=True), "id")[:limit]
    )
