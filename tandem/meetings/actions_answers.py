"""Meeting actions, the family's answer: accept a time, ask for another, or say they cannot come.

Each action keeps the contract described in `actions_common`.
The answer needs `Cap.ACT_AS_FAMILY` and the actor's own invitation.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from tandem import audit
from tandem.access.capabilities import Cap
from tandem.access.policy import require, standing
from tandem.accounts.models import User
from tandem.audit.catalogue import Action
from tandem.communication.notify import notify

from .actions_common import lock_meeting, now_or_clock, refuse
from .actions_scheduling import TimeOption
from .models import Meeting, MeetingInvitee, MeetingStatus, MeetingTimeOption, Response


def _guardian_invitee(actor: User, meeting: Meeting) -> MeetingInvitee:
    """The actor's own invitation, answering as the family; 403 for a parent not invited."""
    require(actor, meeting.student, Cap.ACT_AS_FAMILY)
    guardian_id = standing(actor).guardian_id
    invitee = meeting.invitees.filter(guardian_id=guardian_id).first() if guardian_id else None
    if invitee is None:
        raise PermissionDenied
    return invitee


@transaction.atomic
def respond(
    *,
    actor: User,
    meeting: Meeting,
    answer: str,
    option: MeetingTimeOption | None = None,
    proposed: Sequence[TimeOption] = (),
    note: str = "",
    now: datetime | None = None,
) -> MeetingInvitee:
    """A parent accepts a time and place, asks for another time, or says they cannot come."""
    meeting = lock_meeting(meeting)
    invitee = _guardian_invitee(actor, meeting)
    return _answer(actor, meeting, invitee, answer, option, proposed, note, now)


@transaction.atomic
def respond_by_link(
    *,
    invitee: MeetingInvitee,
    answer: str,
    option: MeetingTimeOption | None = None,
    proposed: Sequence[TimeOption] = (),
    note: str = "",
    now: datetime | None = None,
) -> MeetingInvitee:
    """The same answer from a parent without an account, through the signed link of their own
    invitation (`answer_links`: the view has read and checked it). No user acts: the audit
    names the invitation and the link."""
    meeting = lock_meeting(invitee.meeting)
    invitee = meeting.invitees.select_related("guardian").get(pk=invitee.pk)
    return _answer(None, meeting, invitee, answer, option, proposed, note, now, via_link=True)


def _answer(
    actor: User | None,
    meeting: Meeting,
    invitee: MeetingInvitee,
    answer: str,
    option: MeetingTimeOption | None,
    proposed: Sequence[TimeOption],
    note: str,
    now: datetime | None,
    *,
    via_link: bool = False,
) -> MeetingInvitee:
    moment = now_or_clock(now)
    if (
        not meeting.is_open
        or meeting.starts_at <= moment
        and meeting.status != MeetingStatus.PROPOSED
    ):
        raise refuse("answer", _("This meeting has already taken place or was cancelled."))
    if answer not in (Response.ACCEPTED, Response.PROPOSED_OTHER, Response.DECLINED):
        raise refuse("answer", _("Choose your answer."))
    invitee.proposed_times = []
    invitee.accepted_option = None
    if answer == Response.ACCEPTED:
        options = list(meeting.time_options.all())
        if option is None and len(options) == 1:
            option = options[0]
        if option is None or option.meeting_id != meeting.pk:
            raise refuse("option", _("Choose the time that works for you."))
        if option.starts_at <= moment:
            raise refuse("option", _("This time has passed. Choose another time."))
        invitee.accepted_option = option
        if meeting.status == MeetingStatus.PROPOSED:
            meeting.starts_at, meeting.ends_at = option.starts_at, option.ends_at
            meeting.status = MeetingStatus.SCHEDULED
            meeting.sequence += 1
            meeting.save(update_fields=["starts_at", "ends_at", "status", "sequence", "updated_at"])
    elif answer == Response.PROPOSED_OTHER:
        if not proposed:
            raise refuse("proposed_day", _("Tell us a day and time that works for you."))
        for option_asked in proposed:
            if option_asked.starts_at <= moment:
                raise refuse("proposed_day", _("This time has passed. Choose a later time."))
        invitee.proposed_times = [
            {"starts_at": p.starts_at.isoformat(), "ends_at": p.ends_at.isoformat()}
            for p in proposed
        ]
    invitee.response = answer
    invitee.response_note = note.strip()
    invitee.responded_at = moment
    invitee.save()
    audit.record(
        actor=actor,
        action=Action.MEETING__ANSWERED,
        student=meeting.student,
        target=meeting,
        detail={
            "answer": answer,
            "proposed": invitee.proposed_times,
            **({"via": "answer link", "invitee": invitee.pk} if via_link else {}),
        },
    )
    _tell_organizer(meeting, invitee)
    return invitee


def _tell_organizer(meeting: Meeting, invitee: MeetingInvitee) -> None:
    """Tell the organizer (notify never raises: the parent's answer is never blocked)."""
    if meeting.organizer_id is None:
        return
    notify(
        [meeting.organizer.user],
        subject=_("%(name)s answered the meeting invitation") % {"name": invitee.display_name},
        body=str(invitee.get_response_display()),
        url=reverse("meeting_detail", args=[meeting.public_id]),
        student=meeting.student,
        kind="meeting_answer",
    )
