"""notify(): in-app rows now, email after commit, preferences, digest, retries, never raising."""

from __future__ import annotations

from unittest import mock

import pytest
from django.core import mail
from django.db import transaction

from tandem.communication import tasks
from tandem.communication.models import (
    EmailAttempt,
    Frequency,
    Notification,
    NotificationPreference,
)
from tandem.communication.notify import notify
from tests.communication.backends import Flaky


def test_in_app_rows_now_and_email_only_after_commit(world, django_capture_on_commit_callbacks):
    cm = world.users["case_manager"]
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        rows = notify([cm], subject="Hello", body="Body", url="/x/", student=world.maya)
        assert len(rows) == 1
        assert Notification.objects.filter(recipient=cm, subject="Hello").exists()
        assert mail.outbox == []
    assert len(callbacks) == 1
    callbacks[0]()
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [cm.email]
    assert "Hello" in mail.outbox[0].subject
    assert "http" in mail.outbox[0].body and "/x/" in mail.outbox[0].body
    n = Notification.objects.get(recipient=cm)
    assert n.emailed_at is not None
    assert EmailAttempt.objects.filter(notification=n, succeeded=True).count() == 1


def test_rolled_back_action_sends_no_email(world, django_capture_on_commit_callbacks):
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
        transaction.atomic(),
    ):
        notify([world.users["case_manager"]], subject="Hi", body="")
        raise RuntimeError("the action failed")
    assert callbacks == []
    assert mail.outbox == []
    assert not Notification.objects.exists()


def test_accepts_staff_guardians_and_dedupes(world, django_capture_on_commit_callbacks):
    cm = world.users["case_manager"]
    guardian = world.users["parent"].guardian
    with django_capture_on_commit_callbacks(execute=True):
        rows = notify([cm, cm.staff, guardian, None], subject="S", body="B")
    assert sorted(n.recipient_id for n in rows) == sorted([cm.pk, world.users["parent"].pk])
    assert len(mail.outbox) == 2


def test_email_off_and_muted_kinds_are_respected(world, django_capture_on_commit_callbacks):
    cm, psych = world.users["case_manager"], world.users["psych"]
    NotificationPreference.objects.create(user=cm, email_enabled=False)
    NotificationPreference.objects.create(user=psych, muted_kinds=["message"])
    with django_capture_on_commit_callbacks(execute=True):
        notify([cm, psych], subject="A message", body="", kind="message")
        notify([psych], subject="A revision", body="", kind="revision.routed")
    assert Notification.objects.count() == 3  # in-app always
    assert [m.subject for m in mail.outbox] == ["Tandem: A revision"]


def test_digest_collects_into_one_email(world, django_capture_on_commit_callbacks):
    cm = world.users["case_manager"]
    NotificationPreference.objects.create(user=cm, frequency=Frequency.DIGEST)
    with django_capture_on_commit_callbacks(execute=True):
        notify([cm], subject="First", body="")
        notify([cm], subject="Second", body="", url="/second/")
    assert mail.outbox == []
    assert tasks.send_digests.call() == 1
    assert len(mail.outbox) == 1
    assert "2" in mail.outbox[0].subject
    assert "First" in mail.outbox[0].body and "Second" in mail.outbox[0].body
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()
    assert tasks.send_digests.call() == 0  # nothing waiting: nothing sent twice
    assert len(mail.outbox) == 1


def test_spanish_speakers_get_spanish_email(world, django_capture_on_commit_callbacks):
    parent = world.users["parent"]
    parent.preferred_language = "es"
    parent.save()
    with django_capture_on_commit_callbacks(execute=True):
        notify([parent], subject="X", body="")
    assert "Hola" in mail.outbox[0].body


def test_failing_mail_server_is_retried_with_backoff_and_logged(
    world, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.communication.backends.Flaky"
    Flaky.failures, Flaky.calls = 2, 0
    cm = world.users["case_manager"]
    with django_capture_on_commit_callbacks(execute=True):
        notify([cm], subject="Retry me", body="")
    attempts = list(EmailAttempt.objects.order_by("attempt"))
    assert [(a.attempt, a.succeeded) for a in attempts] == [(1, False), (2, False), (3, True)]
    assert "mail server down" in attempts[0].error
    assert attempts[0].next_try_at is not None
    assert tasks.backoff(2) == 2 * tasks.backoff(1)
    assert Notification.objects.get(recipient=cm).emailed_at is not None
    assert len(mail.outbox) == 1


def test_mail_server_down_gives_up_after_max_attempts(
    world, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = "tests.communication.backends.Down"
    with django_capture_on_commit_callbacks(execute=True):
        rows = notify([world.users["case_manager"]], subject="Never", body="")
    assert rows  # the caller got its notification
    n = Notification.objects.get()
    assert n.email_failed and n.emailed_at is None
    assert EmailAttempt.objects.filter(succeeded=False).count() == tasks.MAX_ATTEMPTS


def test_deferring_backend_gets_run_after(world):
    n = Notification.objects.create(
        recipient=world.users["case_manager"], subject="x", email_mode="immediate"
    )
    fake = mock.MagicMock()
    fake.get_backend.return_value.supports_defer = True
    tasks._retry(fake, 1, n.pk)
    kwargs = fake.using.call_args.kwargs
    assert "run_after" in kwargs
    fake.using.return_value.enqueue.assert_called_once_with(n.pk, 2)


def test_notify_never_raises_into_the_action(world, django_capture_on_commit_callbacks):
    with (
        mock.patch.object(Notification.objects, "bulk_create", side_effect=RuntimeError("db")),
        transaction.atomic(),
    ):
        assert notify([world.users["case_manager"]], subject="x", body="") == []
        # the surrounding transaction is still usable
        assert Notification.objects.count() == 0
    assert notify([], subject="x", body="") == []
    assert notify(None, subject="x", body="") == []


def test_localized_notifications_render_in_each_recipients_language(world):
    from django.utils import translation

    from tandem.communication.notify import notify_localized

    parent = world.users["parent"]
    parent.preferred_language = "es"
    parent.save()
    rows = notify_localized(
        [parent, world.users["case_manager"]],
        render=lambda: (f"lang={translation.get_language()}", ""),
    )
    subjects = {n.recipient_id: n.subject for n in rows}
    assert subjects == {parent.pk: "lang=es", world.users["case_manager"].pk: "lang=en"}


def test_digest_command_queues_the_digests(world, django_capture_on_commit_callbacks):
    from io import StringIO

    from django.core.management import call_command

    cm = world.users["case_manager"]
    NotificationPreference.objects.create(user=cm, frequency=Frequency.DIGEST)
    with django_capture_on_commit_callbacks(execute=True):
        notify([cm], subject="Waiting", body="")
    out = StringIO()
    call_command("send_notification_digests", stdout=out)
    assert "Queued" in out.getvalue()
    assert [m.to for m in mail.outbox] == [[cm.email]]


def test_text_emails_are_not_html_escaped(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        notify(
            [world.users["case_manager"]],
            subject="Request to revise Maya's plan",
            body='She said: "more reading time" & less homework.',
        )
    [message] = mail.outbox
    assert "Maya's plan" in message.subject and "&#x27;" not in message.subject
    assert '"more reading time" & less' in message.body
