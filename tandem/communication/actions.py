"""The only write path for the communication log, portal messages, notifications and preferences."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.access import audit
from tandem.access.models import User
from tandem.access.policy import Need, can, standing
from tandem.communication.deliveries import record_delivery
from tandem.communication.models import (
    ContactEntry,
    ContactMethod,
    Frequency,
    Message,
    MessageRead,
    Notification,
    NotificationKind,
    NotificationPreference,
)
from tandem.communication.notify import notify_localized
from tandem.people.models import Student, StudentGuardian

MAX_MESSAGE = 5000


def _require_write(actor: User, student: Student) -> None:
    if not can(actor, Need.READ, student):
        raise Http404
    if not can(actor, Need.WRITE, student):
        raise PermissionDenied


def rights_holders(student: Student) -> list[StudentGuardian]:
    return list(
        StudentGuardian.objects.filter(student=student, educational_rights_holder=True)
        .select_related("guardian__user")
        .order_by("-primary_contact", "id")
    )


def is_family(actor: User, student: Student) -> bool:
    """The actor holds educational rights for the student (and is not on staff)."""
    s = standing(actor)
    return (
        s.guardian_id is not None
        and StudentGuardian.objects.filter(
            student=student, guardian_id=s.guardian_id, educational_rights_holder=True
        ).exists()
    )


def may_message(actor: User, student: Student) -> bool:
    return is_family(actor, student) or can(actor, Need.WRITE, student)


@transaction.atomic
def add_contact(
    *,
    actor: User,
    student: Student,
    contacted_on: date,
    method: str,
    summary: str,
    family_member: str = "",
    language: str = "English",
    interpreter: str = "",
    follow_up: str = "",
    follow_up_on: date | None = None,
    follow_up_owner: User | None = None,
    staff: User | None = None,
) -> ContactEntry:
    """Add one contact with the family to the student's log."""
    _require_write(actor, student)
    errors: dict[str, list[str]] = {}
    summary = (summary or "").strip()
    if not summary:
        errors["summary"] = [_("Say what was discussed.")]
    if method not in ContactMethod.values:
        errors["method"] = [_("Choose how the family was contacted.")]
    if contacted_on is None:
        errors["contacted_on"] = [_("Enter the date of the contact.")]
    elif contacted_on > timezone.localdate():
        errors["contacted_on"] = [_("The contact cannot be in the future.")]
    if follow_up_on is not None and contacted_on is not None and follow_up_on < contacted_on:
        errors["follow_up_on"] = [_("The follow-up date is before the contact.")]
    if (follow_up_on or follow_up_owner) and not (follow_up or "").strip():
        errors["follow_up"] = [_("Describe the follow-up that is due.")]
    if follow_up_owner is not None and not can(follow_up_owner, Need.READ, student):
        errors["follow_up_owner"] = [_("The follow-up owner must be on the student's team.")]
    if errors:
        raise ValidationError(errors)
    entry = ContactEntry.objects.create(
        student=student,
        contacted_on=contacted_on,
        staff=staff or actor,
        family_member=(family_member or "").strip()[:200],
        method=method,
        language=(language or "English").strip()[:40] or "English",
        interpreter=(interpreter or "").strip()[:200],
        summary=summary,
        follow_up=(follow_up or "").strip(),
        follow_up_on=follow_up_on,
        follow_up_owner=follow_up_owner,
        created_by=actor,
    )
    audit.record(
        actor=actor,
        action="communication.contact_logged",
        student=student,
        target=entry,
        detail={"method": method},
    )
    if follow_up_owner is not None and follow_up_owner.pk != actor.pk:
        notify_localized(
            [follow_up_owner],
            render=lambda: (_("A follow-up with a family is yours"), entry.follow_up),
            url=reverse("comm_log", args=[student.public_id]),
            student=student,
            kind="other.follow_up",
        )
    return entry


def _team_users(student: Student) -> list[User]:
    """Staff who may write the student's record and have an account (the team to notify)."""
    from tandem.access.policy import students_visible_to  # noqa: F401 - same rule as the policy
    from tandem.people.models import WRITING_TEAM_ROLES, CaseloadAssignment, TeamMembership

    day = timezone.localdate()
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


@transaction.atomic
def send_message(*, actor: User, student: Student, body: str) -> Message:
    """Post a message in the student's thread and tell the other side (email via notify)."""
    if not can(actor, Need.READ, student):
        raise Http404
    family = is_family(actor, student)
    if not family and not can(actor, Need.WRITE, student):
        raise PermissionDenied
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": [_("Write a message before sending.")]})
    if len(body) > MAX_MESSAGE:
        raise ValidationError({"body": [_("Keep the message under 5,000 characters.")]})
    message = Message.objects.create(student=student, author=actor, from_family=family, body=body)
    MessageRead.objects.create(message=message, reader=actor)
    audit.record(
        actor=actor,
        action="communication.message_sent",
        student=student,
        target=message,
        detail={"from_family": family},
    )
    url = reverse("message_thread", args=[student.public_id])
    name = student.preferred_first_name or student.legal_first_name
    author = actor.get_full_name() or actor.email
    if family:
        recipients: list[Any] = _team_users(student)
    else:
        links = rights_holders(student)
        recipients = [link.guardian.user for link in links if link.guardian.user_id]
        for link in links:  # the family's documents list shows the message too
            record_delivery(
                student=student,
                guardian=link.guardian,
                kind="message",
                title=_("Message from %(author)s") % {"author": author},
                url=url,
                sent_by=actor,
            )
    notify_localized(
        [u for u in recipients if u.pk != actor.pk],
        render=lambda: (
            _("New message about %(name)s from %(author)s") % {"name": name, "author": author},
            body[:500],
        ),
        url=url,
        student=student,
        kind=NotificationKind.MESSAGE,
    )
    return message


def mark_thread_read(*, reader: User, student: Student) -> int:
    """Record read receipts for every message in the thread the reader has not read yet."""
    unread = list(
        Message.objects.filter(student=student)
        .exclude(reads__reader=reader)
        .values_list("pk", flat=True)
    )
    if unread:
        MessageRead.objects.bulk_create(
            [MessageRead(message_id=pk, reader=reader) for pk in unread], ignore_conflicts=True
        )
    return len(unread)


def mark_notifications_read(*, user: User, public_id: str | None = None) -> int:
    rows = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if public_id:
        rows = rows.filter(public_id=public_id)
    return rows.update(read_at=timezone.now())


@transaction.atomic
def save_preferences(
    *, user: User, email_enabled: bool, frequency: str, muted_kinds: list[str]
) -> NotificationPreference:
    if frequency not in Frequency.values:
        raise ValidationError({"frequency": [_("Choose how often to get email.")]})
    unknown = [k for k in muted_kinds if k not in NotificationKind.values]
    if unknown:
        raise ValidationError({"muted_kinds": [_("Unknown kind of notification.")]})
    pref, _created = NotificationPreference.objects.select_for_update(of=("self",)).get_or_create(
        user=user
    )
    pref.email_enabled = email_enabled
    pref.frequency = frequency
    pref.muted_kinds = sorted(set(muted_kinds))
    pref.save()
    return pref
