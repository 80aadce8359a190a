"""Meeting actions that reach people: the notice, the email outbox, portal deliveries, reminders.

Each action keeps the contract described in `actions_common`.
Sending a notice needs `Cap.SCHEDULE_MEETINGS`; reminders are queued by the scheduled task.
"""

from __future__ import annotations

import contextvars
import logging
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime, timedelta
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from tandem import audit
from tandem.access.capabilities import Cap
from tandem.access.policy import require
from tandem.accounts.models import User
from tandem.audit.catalogue import Action
from tandem.communication.deliveries import record_delivery
from tandem.compliance import actions as deadlines
from tandem.compliance.models import DeadlineKind
from tandem.core import clock
from tandem.people.relations import notice_recipients

from . import notices
from .actions_common import local_day, lock_meeting, now_or_clock, refuse
from .models import (
    MailKind,
    MailStatus,
    Meeting,
    MeetingInvitee,
    MeetingMail,
    MeetingNotice,
    MeetingStatus,
    Response,
)
from .tasks import deliver_meeting_mail

log = logging.getLogger(__name__)


@transaction.atomic
def send_notice(
    *, actor: User, meeting: Meeting, now: datetime | None = None
) -> list[MeetingNotice]:
    """The notice to each parent in their language (portal + email with PDF and .ics), and an
    invitation with the .ics to every other invitee with an email address."""
    meeting = lock_meeting(meeting)
    require(actor, meeting.student, Cap.SCHEDULE_MEETINGS)
    if not meeting.is_open:
        raise refuse("meeting", _("This meeting is over; no notice can be sent."))
    moment = now_or_clock(now)
    sent = []
    mails = []
    invitees = list(meeting.invitees.select_related("guardian", "staff__user"))
    by_guardian = {i.guardian_id: i for i in invitees if i.guardian_id}
    # The parents whose rights passed to the student at the age of majority are sent the notice
    # too (300.520(a)(1)(i)), by email or on paper: their portal no longer opens the record.
    for link in notice_recipients(meeting.student):
        guardian = link.guardian
        language = notices.language_of(guardian)
        content_hash = notices.notice_hash(meeting, language)
        notice = MeetingNotice.objects.create(
            meeting=meeting,
            guardian=guardian,
            language=language,
            content_hash=content_hash,
            sent_by=actor,
        )
        sent.append(notice)
        if link.educational_rights_holder:
            deliver_to_portal(
                student=meeting.student,
                guardian=guardian,
                kind="meeting_notice",
                title=notices.notice_title(meeting, language),
                url=reverse("meeting_notice_pdf", args=[meeting.public_id]) + f"?lang={language}",
                document_hash=content_hash,
                sent_by=actor,
            )
        if guardian.email:
            mails.append(
                MeetingMail(
                    meeting=meeting,
                    invitee=by_guardian.get(guardian.pk),
                    notice=notice,
                    kind=MailKind.NOTICE,
                    to=guardian.email,
                    language=language,
                )
            )
    for invitee in invitees:
        if invitee.guardian_id:
            continue
        address = invitee.contact_email
        if address:
            language = (invitee.staff.user.preferred_language if invitee.staff_id else "en") or "en"
            mails.append(
                MeetingMail(
                    meeting=meeting,
                    invitee=invitee,
                    kind=MailKind.INVITATION,
                    to=address,
                    language=language,
                )
            )
    meeting.notice_sent_at = moment
    meeting.save(update_fields=["notice_sent_at", "updated_at"])
    deadlines.meet_deadlines(
        kinds=[DeadlineKind.MEETING_NOTICE],
        source=meeting,
        on=local_day(meeting.student, moment),
        actor=actor,
    )
    queue_mails(mails)
    audit.record(
        actor=actor,
        action=Action.MEETING__NOTICE_SENT,
        student=meeting.student,
        target=meeting,
        detail={
            "notices": [{"language": n.language, "hash": n.content_hash} for n in sent],
            "emails": len(mails),
        },
    )
    return sent


_QUIET: contextvars.ContextVar[bool] = contextvars.ContextVar("meetings_quiet", default=False)


@contextmanager
def history_only() -> Iterator[None]:
    """Record emails as already sent instead of sending them (the demo seeds history)."""
    token = _QUIET.set(True)
    try:
        yield
    finally:
        _QUIET.reset(token)


def queue_mails(mails: list[MeetingMail]) -> list[MeetingMail]:
    """Store the emails and send them from a background task once the transaction commits."""
    if not mails:
        return []
    if _QUIET.get():
        for item in mails:
            item.status, item.sent_at, item.attempts = MailStatus.SENT, clock.now(), 1
        return MeetingMail.objects.bulk_create(mails)
    created = MeetingMail.objects.bulk_create(mails)
    ids = [m.pk for m in created if m.pk] or list(
        MeetingMail.objects.filter(meeting=mails[0].meeting)
        .order_by("-id")[: len(mails)]
        .values_list("pk", flat=True)
    )

    def enqueue() -> None:
        for pk in ids:
            try:
                deliver_meeting_mail.enqueue(pk)
            except Exception:  # noqa: BLE001 - the outbox keeps it; the sweep sends it later
                log.exception("could not enqueue meeting mail %s", pk)

    transaction.on_commit(enqueue)
    return created


def deliver_to_portal(**kwargs: Any) -> None:
    """Record a document in the family's portal, never failing the action."""
    try:
        with transaction.atomic():
            record_delivery(**kwargs)
    except Exception:  # noqa: BLE001 - the portal list must not block the meeting
        log.exception("record_delivery failed")


def invitee_language(invitee: MeetingInvitee) -> str:
    if invitee.guardian_id:
        return invitee.guardian.preferred_language or "en"
    if invitee.staff_id:
        return invitee.staff.user.preferred_language or "en"
    return "en"


REMINDER_BEFORE = timedelta(days=2)


def queue_due_reminders(*, now: datetime | None = None) -> int:
    """Queue a reminder to each invitee of a meeting starting within two days (once each)."""
    moment = now_or_clock(now)
    count = 0
    with transaction.atomic():
        due = list(
            MeetingInvitee.objects.select_for_update(of=("self",))
            .filter(
                meeting__status=MeetingStatus.SCHEDULED,
                meeting__starts_at__gt=moment,
                meeting__starts_at__lte=moment + REMINDER_BEFORE,
                reminded_at__isnull=True,
            )
            .exclude(response=Response.DECLINED)
            .select_related("meeting", "guardian", "staff__user")
        )
        mails = []
        for invitee in due:
            invitee.reminded_at = moment
            if invitee.contact_email:
                mails.append(
                    MeetingMail(
                        meeting=invitee.meeting,
                        invitee=invitee,
                        kind=MailKind.REMINDER,
                        to=invitee.contact_email,
                        language=invitee_language(invitee),
                    )
                )
        MeetingInvitee.objects.bulk_update(due, ["reminded_at"])
        queue_mails(mails)
        count = len(mails)
        for meeting_id in {i.meeting_id for i in due}:
            meeting = next(i.meeting for i in due if i.meeting_id == meeting_id)
            audit.record(
                actor=None,
                action=Action.MEETING__REMINDERS_SENT,
                student=meeting.student,
                target=meeting,
                detail={"count": sum(1 for i in due if i.meeting_id == meeting_id)},
            )
    return count
