"""The one way to tell people something: in-app rows now, email from a task after commit."""

from __future__ import annotations

import logging
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import translation

from tandem.communication.models import Frequency, Notification, NotificationPreference
from tandem.communication.tasks import send_notification_email

log = logging.getLogger(__name__)


def _user_of(recipient: Any) -> Any:
    """A User from a User, a Staff or a Guardian (a guardian without an account has none)."""
    if recipient is None:
        return None
    if hasattr(recipient, "is_authenticated") and hasattr(recipient, "email"):
        return recipient
    return getattr(recipient, "user", None)


def preference_for(user: Any) -> NotificationPreference:
    pref = NotificationPreference.objects.filter(user=user).first()
    return pref or NotificationPreference(user=user)


def notify(
    recipients: Iterable[Any] | Any,
    *,
    subject: str,
    body: str,
    url: str = "",
    student: Any = None,
    kind: str = "",
) -> list[Notification]:
    """Notify users (or staff / guardians with accounts): never raises into the caller.

    Each recipient gets one in-app Notification. Those who want email for this kind get it from a
    background task enqueued after the surrounding transaction commits (right away), or in the
    daily digest (`send_digests`). Returns the notifications created ([] on any failure).
    """
    try:
        if (
            recipients is None
            or not isinstance(recipients, Iterable)
            or isinstance(recipients, str)
        ):
            recipients = [recipients]
        users: dict[int, Any] = {}
        for r in recipients:
            user = _user_of(r)
            if user is not None and getattr(user, "pk", None) and user.is_active:
                users.setdefault(user.pk, user)
        if not users:
            return []
        prefs = {
            p.user_id: p for p in NotificationPreference.objects.filter(user_id__in=list(users))
        }
        rows = []
        for user_id, user in users.items():
            pref = prefs.get(user_id) or NotificationPreference(user_id=user_id)
            mode = ""
            if user.email and pref.wants_email(kind):
                mode = pref.frequency or Frequency.IMMEDIATE
            rows.append(
                Notification(
                    recipient_id=user_id,
                    kind=(kind or "")[:60],
                    subject=str(subject)[:300],
                    body=str(body),
                    url=str(url or "")[:500],
                    student=student,
                    email_mode=mode,
                )
            )
        with transaction.atomic():  # a savepoint: a failure here leaves the caller's work intact
            created = Notification.objects.bulk_create(rows)
        immediate = [n.pk for n in created if n.email_mode == Frequency.IMMEDIATE and n.pk]
        if not immediate and any(n.email_mode == Frequency.IMMEDIATE for n in created):
            # Backends without RETURNING: look the rows up again.
            immediate = list(
                Notification.objects.filter(
                    recipient_id__in=list(users),
                    subject=str(subject)[:300],
                    emailed_at=None,
                    email_mode=Frequency.IMMEDIATE,
                ).values_list("pk", flat=True)
            )
        if immediate:
            transaction.on_commit(lambda ids=tuple(immediate): _enqueue_emails(ids))
        return created
    except Exception:  # noqa: BLE001 - notifications never break the action that caused them
        log.exception("notify failed (subject=%r)", subject)
        return []


def _enqueue_emails(ids: tuple[int, ...]) -> None:
    for pk in ids:
        try:
            send_notification_email.enqueue(pk)
        except Exception:  # noqa: BLE001
            log.exception("could not enqueue the email for notification %s", pk)


def notify_localized(
    recipients: Iterable[Any],
    *,
    render: Any,
    url: str = "",
    student: Any = None,
    kind: str = "",
) -> list[Notification]:
    """Like `notify`, with `render() -> (subject, body)` called in each recipient's language."""
    groups: dict[str, list[Any]] = {}
    for r in recipients:
        user = _user_of(r)
        if user is not None:
            lang = getattr(user, "preferred_language", "") or settings.LANGUAGE_CODE
            groups.setdefault(lang, []).append(user)
    created: list[Notification] = []
    for lang, users in groups.items():
        try:
            with translation.override(lang):
                subject, body = render()
                subject, body = str(subject), str(body)
        except Exception:  # noqa: BLE001
            log.exception("could not render a notification")
            continue
        created += notify(users, subject=subject, body=body, url=url, student=student, kind=kind)
    return created
