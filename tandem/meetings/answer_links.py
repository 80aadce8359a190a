"""A signed, expiring link that lets a parent without an account answer a meeting invitation.

The notice (300.322(b)) goes to every parent holding rights, by email when the district has
their address; a parent who never made a portal account could read it but not answer it. The
email now carries a link naming their own invitation, signed with the site's secret key
(`django.core.signing`), that opens one page: the meeting as the notice gives it and the answer
form. It expires after `LINK_DAYS` days and stops working once the meeting is over, cancelled,
or the parent no longer holds the rights; it opens nothing else of the record.
"""

from __future__ import annotations

from django.core import signing

from tandem.people.models import StudentGuardian

from .models import MeetingInvitee

SALT = "tandem.meetings.answer-link"
LINK_DAYS = 60


class LinkExpired(Exception):  # noqa: N818 - the words a parent reads
    """The link was genuine but is too old: the school sends a new one on request. It carries
    what the page needs to say so in the parent's language, with the school's phone."""

    def __init__(self, invitee: MeetingInvitee | None) -> None:
        super().__init__("answer link expired")
        self.invitee = invitee


def make_token(invitee: MeetingInvitee) -> str:
    return signing.dumps({"i": invitee.pk, "m": str(invitee.meeting.public_id)}, salt=SALT)


def invitee_for(token: str) -> MeetingInvitee | None:
    """The parent's invitation the token names, or None for a token that is not ours (or names
    an invitation that is no longer a rights-holding parent's). Raises LinkExpired."""
    try:
        data = signing.loads(token, salt=SALT, max_age=LINK_DAYS * 24 * 3600)
    except signing.SignatureExpired as expired:
        # Genuine, only old: whose it was (read again without the age check) tells the page
        # which language and which school's phone to show.
        raise LinkExpired(_named(signing.loads(token, salt=SALT))) from expired
    except signing.BadSignature:
        return None
    invitee = _named(data)
    if invitee is None:
        return None
    holds_rights = StudentGuardian.objects.filter(
        student_id=invitee.meeting.student_id,
        guardian_id=invitee.guardian_id,
        educational_rights_holder=True,
    ).exists()
    return invitee if holds_rights else None


def _named(data: object) -> MeetingInvitee | None:
    if not isinstance(data, dict):
        return None
    return (
        MeetingInvitee.objects.select_related(
            "meeting__student__district", "meeting__student__school", "guardian"
        )
        .filter(pk=data.get("i"), meeting__public_id=data.get("m"), guardian__isnull=False)
        .first()
    )
