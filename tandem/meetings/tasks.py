"""Background work for meetings (django-tasks): the outbox of meeting emails, and reminders.

Every email is a MeetingMail row first (written in the action's transaction), so nothing is lost
when the mail server is down: a failed send stays queued with a later `next_attempt_at` and is
tried again (by a deferred task where the backend can defer, and by the sweep in any case)
until the server takes it.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.conf import settings
from django.core import mail
from django.db.models import Q
from django_tasks import task

from tandem.core import clock

from .models import MailStatus, MeetingMail
from .notices import build_email

log = logging.getLogger(__name__)

BASE_DELAY_SECONDS = 30
MAX_DELAY = timedelta(minutes=30)
# While one worker sends a row, others leave it alone for this long.
LEASE = timedelta(minutes=5)


def backoff(attempts: int) -> timedelta:
    base = getattr(settings, "MEETINGS_MAIL_RETRY_SECONDS", BASE_DELAY_SECONDS)
    return min(timedelta(seconds=base * 2 ** max(attempts - 1, 0)), MAX_DELAY)


def _claim(mail_id: int, now: datetime) -> bool:
    """Take the row for sending (an atomic conditional update, so two workers never both send)."""
    return bool(
        MeetingMail.objects.filter(pk=mail_id, status=MailStatus.QUEUED)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .update(next_attempt_at=now + LEASE)
    )


def send_one(mail_id: int, *, connection=None, now: datetime | None = None) -> str:  # type: ignore[no-untyped-def]
    """Try to send one queued email; returns "sent", "retry" or "skipped"."""
    moment = now or clock.now()
    if not _claim(mail_id, moment):
        return "skipped"
    item = MeetingMail.objects.select_related(
        "meeting__student__district", "meeting__organizer__user", "invitee__guardian"
    ).get(pk=mail_id)
    try:
        message = build_email(item)
        if connection is not None:
            message.connection = connection
        message.send()
    except Exception as error:  # noqa: BLE001 - the server is down or refused: keep it, retry
        attempts = item.attempts + 1
        MeetingMail.objects.filter(pk=mail_id).update(
            attempts=attempts,
            last_error=f"{type(error).__name__}: {error}"[:1000],
            next_attempt_at=clock.now() + backoff(attempts),
        )
        log.warning("meeting mail %s failed (attempt %s): %s", mail_id, attempts, error)
        return "retry"
    MeetingMail.objects.filter(pk=mail_id).update(
        status=MailStatus.SENT,
        attempts=item.attempts + 1,
        sent_at=clock.now(),
        last_error="",
        next_attempt_at=None,
    )
    return "sent"


@task()
def deliver_meeting_mail(mail_id: int) -> str:
    """Send one meeting email; on failure schedule the next try (deferred where supported)."""
    result = send_one(mail_id)
    if result == "retry":
        backend = deliver_meeting_mail.get_backend()
        if backend.supports_defer:
            row = MeetingMail.objects.filter(pk=mail_id).values("next_attempt_at").first()
            if row and row["next_attempt_at"]:
                deliver_meeting_mail.using(run_after=row["next_attempt_at"]).enqueue(mail_id)
    return result


def sweep_outbox(*, now: datetime | None = None, limit: int | None = None) -> dict[str, int]:
    """Try every queued email whose time has come (the safety net behind the tasks)."""
    moment = now or clock.now()
    ids = list(
        MeetingMail.objects.filter(status=MailStatus.QUEUED)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=moment))
        .order_by("id")
        .values_list("pk", flat=True)[:limit]
    )
    counts = {"sent": 0, "retry": 0, "skipped": 0}
    if not ids:
        return counts
    with mail.get_connection() as connection:
        for pk in ids:
            counts[send_one(pk, connection=connection, now=moment)] += 1
    return counts


@task()
def send_meeting_reminders(now: str | None = None) -> dict[str, int]:
    """Queue the due reminders, then sweep the outbox. `now` is ISO (tasks take JSON)."""
    # The actions enqueue this module's tasks, so the actions are imported when the task runs.
    from .actions_notices import queue_due_reminders

    moment = datetime.fromisoformat(now) if now else clock.now()
    queued = queue_due_reminders(now=moment)
    swept = sweep_outbox(now=moment)
    return {"reminders": queued, **swept}
