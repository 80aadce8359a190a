"""The only write path for the communication log, portal messages, notifications and preferences.

Access comes from the capability matrix: the contact log and the team's messages need
`Cap.LOG_CONTACTS`; a message from the family needs `Cap.ACT_AS_FAMILY` (a parent holding the
educational rights). Out of reach is a 404, in reach without the capability a 403.
"""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from tandem import audit
from tandem.access.capabilities import Cap
from tandem.access.policy import decision_for, require
from tandem.accounts.models import User
from tandem.audit.catalogue import Action
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
from tandem.communication.queries import team_users
from tandem.core import clock
from tandem.people.models import Student
from tandem.people.relations import rights_holder_links

MAX_MESSAGE = 5000


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
    require(actor, student, Cap.LOG_CONTACTS)
    errors: dict[str, list[str]] = {}
    summary = (summary or "").strip()
    if not summary:
        errors["summary"] = [_("Say what was discussed.")]
    if method not in ContactMethod.values:
        errors["method"] = [_("Choose how the family was contacted.")]
    if contacted_on is None:
        errors["contacted_on"] = [_("Enter the date of the contact.")]
    elif contacted_on > clock.today():
        errors["contacted_on"] = [_("The contact cannot be in the future.")]
    if follow_up_on is not None and contacted_on is not None and follow_up_on < contacted_on:
        errors["follow_up_on"] = [_("The follow-up date is before the contact.")]
    if (follow_up_on or follow_up_owner) and not (follow_up or "").strip():
        errors["follow_up"] = [_("Describe the follow-up that is due.")]
    if follow_up_owner is not None and not decision_for(follow_up_owner, student).has(Cap.READ):
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
        action=Action.COMMUNICATION__CONTACT_LOGGED,
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


@transaction.atomic
def complete_follow_up(*, actor: User, entry: ContactEntry) -> ContactEntry:
    """Mark a contact's follow-up done. The caller has passed the gatekeeper (LOG_CONTACTS and
    the follow-up's owner, or a leader); refused, naming the field, when there is nothing open."""
    entry = ContactEntry.objects.select_for_update(of=("self",)).get(pk=entry.pk)
    if not entry.follow_up:
        raise ValidationError({"follow_up": [_("This contact has no follow-up.")]})
    if entry.follow_up_done_at is not None:
        raise ValidationError({"follow_up": [_("This follow-up is already done.")]})
    entry.follow_up_done_at = clock.now()
    entry.follow_up_done_by = actor
    entry.save(update_fields=["follow_up_done_at", "follow_up_done_by"])
    audit.record(
        actor=actor,
        action=Action.COMMUNICATION__FOLLOW_UP_DONE,
        student=entry.student,
        target=entry,
    )
    return entry


@transaction.atomic
def send_message(*, actor: User, student: Student, body: str) -> Message:
    """Post a message in the student's thread and tell the other side (email via notify).

    The family writes as the family (`Cap.ACT_AS_FAMILY`), the team with `Cap.LOG_CONTACTS`.
    """
    family = require(actor, student, Cap.READ).has(Cap.ACT_AS_FAMILY)
    require(actor, student, Cap.ACT_AS_FAMILY if family else Cap.LOG_CONTACTS)
    body = (body or "").strip()
    if not body:
        raise ValidationError({"body": [_("Write a message before sending.")]})
    if len(body) > MAX_MESSAGE:
        raise ValidationError({"body": [_("Keep the message under 5,000 characters.")]})
    message = Message.objects.create(student=student, author=actor, from_family=family, body=body)
    MessageRead.objects.create(message=message, reader=actor)
    audit.record(
        actor=actor,
        action=Action.COMMUNICATION__MESSAGE_SENT,
        student=student,
        target=message,
        detail={"from_family": family},
    )
    url = reverse("message_thread", args=[student.public_id])
    name = student.preferred_first_name or student.legal_first_name
    author = actor.get_full_name() or actor.email
    if family:
        recipients: list[Any] = team_users(student)
    else:
        links = rights_holder_links(student)
        recipients = [link.guardian.user for link in links if link.guardian.user_id]
        for link in links:  # the family's documents list shows the message too
            # Titled in the parent's language: the list is theirs, not the writer's.
            with translation.override(link.guardian.preferred_language or "en"):
                title = _("Message from %(author)s") % {"author": author}
            record_delivery(
                student=student,
                guardian=link.guardian,
                kind="message",
                title=title,
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


def mark_notifications_read(*, user: User, public_id: UUID | None = None) -> int:
    """Mark the user's own notification (or all of them) read; returns how many changed."""
    rows = Notification.objects.filter(recipient=user, read_at__isnull=True)
    if public_id:
        rows = rows.filter(public_id=public_id)
    return rows.update(read_at=clock.now())


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
