"""Email for notifications, sent in the background (django-tasks), retried with backoff."""

from __future__ import annotations

import logging
from datetime import timedelta

from django.conf import settings
from django.core import mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django_tasks import task

from tandem.communication.models import EmailAttempt, Frequency, Notification
from tandem.core import clock

log = logging.getLogger(__name__)

MAX_ATTEMPTS = 5
BASE_DELAY_SECONDS = 60  # 1, 2, 4, 8 minutes between tries


def backoff(attempt: int) -> timedelta:
    return timedelta(seconds=BASE_DELAY_SECONDS * 2 ** max(attempt - 1, 0))


def absolute(url: str) -> str:
    if not url or url.startswith(("http://", "https://")):
        return url
    return settings.SITE_URL.rstrip("/") + url


def _retry(func, attempt: int, *args) -> None:  # type: ignore[no-untyped-def]
    """Enqueue the next try later when the backend can defer, right away otherwise."""
    backend = func.get_backend()
    if backend.supports_defer:
        func.using(run_after=clock.now() + backoff(attempt)).enqueue(*args, attempt + 1)
    else:
        func.enqueue(*args, attempt + 1)


@task()
def send_notification_email(notification_id: int, attempt: int = 1) -> str:
    """Email one notification; on failure log the attempt and try again later (up to 5 tries)."""
    n = Notification.objects.select_related("recipient").filter(pk=notification_id).first()
    if n is None or n.emailed_at is not None or not n.recipient.email:
        return "skipped"
    user = n.recipient
    context = {
        "n": n,
        "user": user,
        "link": absolute(n.url),
        "settings_link": absolute(reverse("notification_settings")),
    }
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        subject = " ".join(
            render_to_string("communication/email/notification_subject.txt", context).split()
        )
        body = render_to_string("communication/email/notification.txt", context)
    try:
        mail.EmailMessage(subject=subject, body=body, to=[user.email]).send()
    except Exception as exc:  # noqa: BLE001 - the mail server is down: log, retry later
        retry = attempt < MAX_ATTEMPTS
        EmailAttempt.objects.create(
            recipient=user,
            notification=n,
            attempt=attempt,
            succeeded=False,
            error=f"{type(exc).__name__}: {exc}"[:2000],
            next_try_at=clock.now() + backoff(attempt) if retry else None,
        )
        log.warning("email for notification %s failed (try %s): %s", n.pk, attempt, exc)
        if retry:
            _retry(send_notification_email, attempt, notification_id)
        else:
            Notification.objects.filter(pk=n.pk).update(email_failed=True)
        return "failed"
    EmailAttempt.objects.create(recipient=user, notification=n, attempt=attempt, succeeded=True)
    Notification.objects.filter(pk=n.pk).update(emailed_at=clock.now(), email_failed=False)
    return "sent"


@task()
def send_digest(user_id: int, attempt: int = 1) -> int:
    """Email one user's waiting digest notifications in a single message; retried like the rest."""
    pending = list(
        Notification.objects.select_related("recipient", "student")
        .filter(recipient_id=user_id, email_mode=Frequency.DIGEST, emailed_at__isnull=True)
        .order_by("created_at", "id")
    )
    if not pending or not pending[0].recipient.email:
        return 0
    user = pending[0].recipient
    context = {
        "user": user,
        "notifications": [(n, absolute(n.url)) for n in pending],
        "count": len(pending),
        "link": absolute(reverse("notifications")),
        "settings_link": absolute(reverse("notification_settings")),
    }
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        subject = " ".join(
            render_to_string("communication/email/digest_subject.txt", context).split()
        )
        body = render_to_string("communication/email/digest.txt", context)
    try:
        mail.EmailMessage(subject=subject, body=body, to=[user.email]).send()
    except Exception as exc:  # noqa: BLE001
        retry = attempt < MAX_ATTEMPTS
        EmailAttempt.objects.create(
            recipient=user,
            digest_size=len(pending),
            attempt=attempt,
            succeeded=False,
            error=f"{type(exc).__name__}: {exc}"[:2000],
            next_try_at=clock.now() + backoff(attempt) if retry else None,
        )
        log.warning("digest for user %s failed (try %s): %s", user_id, attempt, exc)
        if retry:
            _retry(send_digest, attempt, user_id)
        return 0
    EmailAttempt.objects.create(
        recipient=user, digest_size=len(pending), attempt=attempt, succeeded=True
    )
    Notification.objects.filter(pk__in=[n.pk for n in pending]).update(emailed_at=clock.now())
    return len(pending)


@task()
def send_digests() -> int:
    """The daily job: queue one digest per user with notifications waiting. Returns users queued."""
    user_ids = sorted(
        set(
            Notification.objects.filter(
                email_mode=Frequency.DIGEST, emailed_at__isnull=True
            ).values_list("recipient_id", flat=True)
        )
    )
    for user_id in user_ids:
        send_digest.enqueue(user_id)
    return len(user_ids)
