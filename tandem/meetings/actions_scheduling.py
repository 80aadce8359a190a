"""Meeting actions, scheduling: propose times to the invitees, move the meeting, cancel it.

Each action keeps the contract described in `actions_common`.
All need `Cap.SCHEDULE_MEETINGS`. The notice itself is sent by `actions_notices.send_notice`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tandem import audit
from tandem.access.capabilities import Cap
from tandem.access.policy import require
from tandem.accounts.models import User
from tandem.audit.catalogue import Action
from tandem.compliance import actions as deadlines
from tandem.compliance.models import DeadlineKind
from tandem.people.models import Guardian, Student
from tandem.people.relations import rights_holders

from . import rules
from .actions_common import local_day, lock_meeting, now_or_clock, refuse, staff_of, zone_of
from .actions_notices import invitee_language, queue_mails, send_notice
from .models import (
    MailKind,
    Meeting,
    MeetingInvitee,
    MeetingKind,
    MeetingMail,
    MeetingStatus,
    MeetingTimeOption,
    MemberRole,
    PlaceKind,
    Response,
)
from .queries import overlapping_invitations

MAX_TIME_OPTIONS = 3
LONGEST_MEETING = timedelta(hours=8)


@dataclass(frozen=True)
class TimeOption:
    starts_at: datetime
    ends_at: datetime


@dataclass(frozen=True)
class OutsideInvitee:
    name: str
    role: str = MemberRole.OTHER
    email: str = ""


@dataclass(frozen=True)
class Waiver:
    """The parent's agreement to a shorter notice: who, and how it was given."""

    guardian: Guardian
    note: str


def _check_times(times: Sequence[TimeOption], now: datetime) -> None:
    if not times:
        raise refuse("day_1", _("Propose at least one time."))
    if len(times) > MAX_TIME_OPTIONS:
        raise refuse("day_1", _("Propose at most three times."))
    errors: dict[str, list[str]] = {}
    for number, option in enumerate(times, start=1):
        key = f"day_{number}"
        if option.starts_at <= now:
            errors[key] = [_("This time has already passed; choose a time in the future.")]
        elif option.ends_at <= option.starts_at:
            errors[f"minutes_{number}"] = [_("The meeting must end after it starts.")]
        elif option.ends_at - option.starts_at > LONGEST_MEETING:
            errors[f"minutes_{number}"] = [_("A meeting can last at most 8 hours.")]
    if errors:
        raise ValidationError(errors)


def check_notice_time(
    student: Student, times: Sequence[TimeOption], now: datetime, waiver: Waiver | None
) -> list[rules.NoticeTiming]:
    """The notice lead time for each proposed time; too late is refused unless waived."""
    today = local_day(student, now)
    timings = []
    for number, option in enumerate(times, start=1):
        day = local_day(student, option.starts_at)
        try:
            timing = rules.notice_timing(student, day)
        except ValidationError as error:
            raise refuse(f"day_{number}", " ".join(error.messages)) from None
        except Exception as error:  # the engine refuses (no calendar, rule not in effect)
            raise refuse(
                f"day_{number}",
                _("The notice lead time cannot be checked for %(day)s: %(reason)s")
                % {"day": day.isoformat(), "reason": error},
            ) from None
        timings.append(timing)
        if today > timing.send_by:
            if waiver is None:
                message = rules.too_late_message(timing, option.starts_at)
                if timing.waivable:
                    message += " " + _(
                        "Choose a later time, or record the parent's agreement to a shorter notice."
                    )
                else:
                    message += " " + _("This state does not let the parent waive it.")
                raise refuse(f"day_{number}", message)
            if not timing.waivable:
                raise refuse(
                    "waiver_guardian",
                    _(
                        "%(state)s does not let the parent waive the notice lead time; "
                        "choose a later time."
                    )
                    % {"state": student.district.state},
                )
    return timings


def conflicts_for(
    *,
    times: Sequence[TimeOption],
    staff_ids: Sequence[int],
    guardian_ids: Sequence[int],
    exclude: Meeting | None = None,
) -> list[tuple[MeetingInvitee, TimeOption]]:
    """Other open Tandem meetings of the invitees that overlap a proposed time."""
    out = []
    for option in times:
        for invitation in overlapping_invitations(
            option.starts_at,
            option.ends_at,
            staff_ids=staff_ids,
            guardian_ids=guardian_ids,
            exclude=exclude,
        ):
            out.append((invitation, option))
    return out


# --- scheduling -------------------------------------------------------------------------------


@transaction.atomic
def schedule_meeting(
    *,
    actor: User,
    student: Student,
    kind: str,
    times: Sequence[TimeOption],
    place_kind: str,
    place_details: str,
    invitee_keys: Sequence[str],
    outside: Sequence[OutsideInvitee] = (),
    purpose: str = "",
    plan: Any = None,
    waiver: Waiver | None = None,
    now: datetime | None = None,
) -> Meeting:
    """Propose one or more times to the invitees and send the notice (300.322).

    Refused when a time has passed, when the state's notice lead time is already missed and
    the parent has not waived it (where the state allows), or when a required member of the
    meeting type is not invited.
    """
    require(actor, student, Cap.SCHEDULE_MEETINGS)
    moment = now_or_clock(now)
    if kind not in MeetingKind.values:
        raise refuse("kind", _("Choose the type of meeting."))
    if place_kind not in PlaceKind.values:
        raise refuse("place_kind", _("Choose how people will meet."))
    if not place_details.strip():
        raise refuse(
            "place_details", _("Say where the meeting is: a room, a phone number or a link.")
        )
    times = sorted(times, key=lambda t: t.starts_at)
    _check_times(times, moment)
    if waiver is not None:
        if waiver.guardian.pk not in {g.pk for g in rights_holders(student)}:
            raise refuse("waiver_guardian", _("Only a parent holding the rights can waive this."))
        if not waiver.note.strip():
            raise refuse("waiver_note", _("Say how and when the parent agreed."))
    timings = check_notice_time(student, times, moment, waiver)
    first_day = local_day(student, times[0].starts_at)
    pool = {c.key: c for c in rules.candidates(student, kind, first_day)}
    unknown = [key for key in invitee_keys if key not in pool]
    if unknown:
        raise refuse("invitees", _("Invite people from the student's team only."))
    chosen = [pool[key] for key in dict.fromkeys(invitee_keys)]
    transition = rules.transition_applies(student, kind, first_day)
    invited_roles = {c.role for c in chosen} | {o.role for o in outside}
    # The case manager stands in as the special education teacher when both roles are listed.
    missing = rules.missing_roles(kind, transition=transition, invited_roles=invited_roles)
    if missing:
        raise refuse(
            "invitees",
            _("Invite every required member: %(roles)s is missing.")
            % {"roles": ", ".join(str(MemberRole(r).label) for r in missing)},
        )
    if plan is not None and plan.student_id != student.pk:
        raise refuse("plan", _("This plan is for another student."))
    for person in outside:
        if not person.name.strip():
            raise refuse("outside_name", _("Give the name of the person you invite."))
    meeting = Meeting(
        student=student,
        kind=kind,
        purpose=purpose.strip(),
        status=MeetingStatus.SCHEDULED if len(times) == 1 else MeetingStatus.PROPOSED,
        starts_at=times[0].starts_at,
        ends_at=times[0].ends_at,
        place_kind=place_kind,
        place_details=place_details.strip(),
        plan=plan,
        organizer=staff_of(actor),
        transition_content=transition,
        notice_due_by=datetime.combine(
            min(t.send_by for t in timings), datetime.max.time(), tzinfo=zone_of(student)
        ),
        created_by=actor,
    )
    if waiver is not None and local_day(student, moment) > min(t.send_by for t in timings):
        meeting.notice_waived_at = moment
        meeting.notice_waived_by = waiver.guardian
        meeting.notice_waiver_note = waiver.note.strip()
    meeting.full_clean(exclude=["created_by"])
    meeting.save()
    _store_notice_deadline(actor, meeting, first_day, timings)
    MeetingTimeOption.objects.bulk_create(
        MeetingTimeOption(meeting=meeting, starts_at=t.starts_at, ends_at=t.ends_at) for t in times
    )
    MeetingInvitee.objects.bulk_create(
        [
            MeetingInvitee(
                meeting=meeting,
                staff_id=c.staff_id,
                guardian_id=c.guardian_id,
                is_student=c.is_student,
                role=c.role,
                required=c.required,
            )
            for c in chosen
        ]
        + [
            MeetingInvitee(
                meeting=meeting,
                name=o.name.strip(),
                email=o.email.strip(),
                role=o.role if o.role in MemberRole.values else MemberRole.OTHER,
            )
            for o in outside
        ]
    )
    audit.record(
        actor=actor,
        action=Action.MEETING__SCHEDULED,
        student=student,
        target=meeting,
        detail={
            "kind": kind,
            "times": [t.starts_at.isoformat() for t in times],
            "invitees": len(chosen) + len(outside),
            "notice_waived": meeting.notice_waived_at is not None,
        },
    )
    send_notice(actor=actor, meeting=meeting, now=moment)
    meeting.refresh_from_db()
    return meeting


def _store_notice_deadline(
    actor: User, meeting: Meeting, first_day: date, timings: Sequence[rules.NoticeTiming]
) -> None:
    """The notice's "send by" date in the deadlines view (300.322(b)), for the earliest time
    proposed; waived when the parent agreed to a shorter notice. Sending the notice meets it."""
    timing = min(timings, key=lambda t: t.send_by)
    deadline = deadlines.store_notice_deadline(
        student=meeting.student,
        kind=DeadlineKind.MEETING_NOTICE,
        event_on=first_day,
        send_by=timing.send_by,
        citation=timing.citation,
        explanation=timing.explanation,
        source=meeting,
        actor=actor,
    )
    if meeting.notice_waived_at is not None:
        deadlines.waive_deadline(
            deadline,
            explanation=_("The parent agreed to a shorter notice: %(note)s")
            % {"note": meeting.notice_waiver_note},
            actor=actor,
        )


@transaction.atomic
def reschedule(
    *,
    actor: User,
    meeting: Meeting,
    time: TimeOption,
    place_kind: str | None = None,
    place_details: str | None = None,
    waiver: Waiver | None = None,
    now: datetime | None = None,
) -> Meeting:
    """Move the meeting (often to the time the parent asked for) and send an updated notice."""
    meeting = lock_meeting(meeting)
    require(actor, meeting.student, Cap.SCHEDULE_MEETINGS)
    moment = now_or_clock(now)
    if not meeting.is_open:
        raise refuse("day_1", _("This meeting is over and cannot be moved."))
    if meeting.starts_at <= moment:
        raise refuse(
            "day_1",
            _(
                "This meeting's time has come: record what happened, or cancel it and "
                "schedule a new one."
            ),
        )
    _check_times([time], moment)
    # A time the parent asked for is their agreement to it (300.322(a): a mutually agreed time).
    asked = {
        p["starts_at"]
        for i in meeting.invitees.filter(guardian__isnull=False)
        for p in i.proposed_times
    }
    if waiver is None and time.starts_at.isoformat() in asked:
        guardian = meeting.invitees.filter(guardian__isnull=False).first().guardian  # type: ignore[union-attr]
        waiver = Waiver(guardian=guardian, note=_("The parent asked for this time."))
    check_notice_time(meeting.student, [time], moment, waiver)
    meeting.time_options.all().delete()
    MeetingTimeOption.objects.create(
        meeting=meeting, starts_at=time.starts_at, ends_at=time.ends_at
    )
    meeting.starts_at, meeting.ends_at = time.starts_at, time.ends_at
    if place_kind:
        meeting.place_kind = place_kind
    if place_details:
        meeting.place_details = place_details.strip()
    meeting.status = MeetingStatus.SCHEDULED
    meeting.sequence += 1
    meeting.full_clean(exclude=["created_by"])
    meeting.save()
    for invitee in meeting.invitees.all():
        proposed_here = any(
            p.get("starts_at") == time.starts_at.isoformat() for p in invitee.proposed_times
        )
        invitee.response = Response.ACCEPTED if proposed_here else Response.PENDING
        invitee.accepted_option = None
        invitee.reminded_at = None
        invitee.save(update_fields=["response", "accepted_option", "reminded_at"])
    audit.record(
        actor=actor,
        action=Action.MEETING__RESCHEDULED,
        student=meeting.student,
        target=meeting,
        detail={"starts_at": time.starts_at.isoformat()},
    )
    send_notice(actor=actor, meeting=meeting, now=moment)
    meeting.refresh_from_db()
    return meeting


@transaction.atomic
def cancel_meeting(*, actor: User, meeting: Meeting, reason: str) -> Meeting:
    meeting = lock_meeting(meeting)
    require(actor, meeting.student, Cap.SCHEDULE_MEETINGS)
    if not meeting.is_open:
        raise refuse("reason", _("Only an upcoming meeting can be cancelled."))
    if not reason.strip():
        raise refuse("reason", _("Say why the meeting is cancelled."))
    meeting.status = MeetingStatus.CANCELLED
    meeting.cancelled_reason = reason.strip()
    meeting.sequence += 1
    meeting.save(update_fields=["status", "cancelled_reason", "sequence", "updated_at"])
    queue_mails(
        [
            MeetingMail(
                meeting=meeting,
                invitee=i,
                kind=MailKind.UPDATE,
                to=i.contact_email,
                language=invitee_language(i),
            )
            for i in meeting.invitees.select_related("guardian", "staff__user")
            if i.contact_email
        ]
    )
    audit.record(
        actor=actor,
        action=Action.MEETING__CANCELLED,
        student=meeting.student,
        target=meeting,
        detail={"reason": meeting.cancelled_reason},
    )
    return meeting
