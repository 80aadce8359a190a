"""The only write path for meetings: scheduling, notices, answers, excusals, holding, minutes.

Every action takes the acting user first and asks the capability matrix (`require`: 404 out of
reach, 403 without the capability): scheduling, notices, excusals, attendance and minutes need
`Cap.SCHEDULE_MEETINGS`; a family's answer needs `Cap.ACT_AS_FAMILY`. It validates, writes in
one transaction and records the audit event. A refusal is a ValidationError keyed by the form
field it is about, and changes nothing.
"""

from __future__ import annotations

import contextvars
import logging
import zoneinfo
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem import audit
from tandem.access.capabilities import Cap
from tandem.access.policy import require, standing
from tandem.accounts.models import User
from tandem.audit.catalogue import Action
from tandem.communication.deliveries import record_delivery
from tandem.communication.notify import notify
from tandem.compliance import actions as deadlines
from tandem.compliance.models import DeadlineKind
from tandem.core import clock
from tandem.people.models import Guardian, Staff, Student
from tandem.people.relations import rights_holders

from . import notices, rules
from .models import (
    EXCUSABLE_ROLES,
    Excusal,
    ExcusalKind,
    MailKind,
    MailStatus,
    Meeting,
    MeetingInvitee,
    MeetingKind,
    MeetingMail,
    MeetingNotice,
    MeetingStatus,
    MeetingTimeOption,
    MemberRole,
    NextStep,
    PlaceKind,
    Response,
)
from .queries import overlapping_invitations
from .tasks import deliver_meeting_mail

log = logging.getLogger(__name__)

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


@dataclass
class Attendance:
    attended: bool
    how: str = ""


@dataclass
class StepSpec:
    text: str
    due_on: date
    owner: Staff | None = None
    owner_name: str = ""


@dataclass
class Outcome:
    notes: str = ""
    decisions: str = ""
    parent_input: str = ""
    absence_reason: str = ""
    plan_version: Any = None
    eligibility: Any = None
    attendance: dict[int, Attendance] = field(default_factory=dict)  # invitee pk -> attendance
    next_steps: list[StepSpec] = field(default_factory=list)


# --- helpers ----------------------------------------------------------------------------------


def _lock(meeting: Meeting) -> Meeting:
    return (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("student__district", "student__school")
        .get(pk=meeting.pk)
    )


def _refuse(field_name: str, message: str) -> ValidationError:
    return ValidationError({field_name: [message]})


def _now(now: datetime | None) -> datetime:
    return now or clock.now()


def _local_day(student: Student, moment: datetime) -> date:
    return timezone.localtime(moment, _zone(student)).date()


def _zone(student: Student) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(student.district.time_zone)


def _staff_of(user: User) -> Staff | None:
    try:
        return user.staff  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - a user without a staff profile
        return None


def _check_times(times: Sequence[TimeOption], now: datetime) -> None:
    if not times:
        raise _refuse("day_1", _("Propose at least one time."))
    if len(times) > MAX_TIME_OPTIONS:
        raise _refuse("day_1", _("Propose at most three times."))
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
    today = _local_day(student, now)
    timings = []
    for number, option in enumerate(times, start=1):
        day = _local_day(student, option.starts_at)
        try:
            timing = rules.notice_timing(student, day)
        except ValidationError as error:
            raise _refuse(f"day_{number}", " ".join(error.messages)) from None
        except Exception as error:  # the engine refuses (no calendar, rule not in effect)
            raise _refuse(
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
                raise _refuse(f"day_{number}", message)
            if not timing.waivable:
                raise _refuse(
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
    moment = _now(now)
    if kind not in MeetingKind.values:
        raise _refuse("kind", _("Choose the type of meeting."))
    if place_kind not in PlaceKind.values:
        raise _refuse("place_kind", _("Choose how people will meet."))
    if not place_details.strip():
        raise _refuse(
            "place_details", _("Say where the meeting is: a room, a phone number or a link.")
        )
    times = sorted(times, key=lambda t: t.starts_at)
    _check_times(times, moment)
    if waiver is not None:
        if waiver.guardian.pk not in {g.pk for g in rights_holders(student)}:
            raise _refuse("waiver_guardian", _("Only a parent holding the rights can waive this."))
        if not waiver.note.strip():
            raise _refuse("waiver_note", _("Say how and when the parent agreed."))
    timings = check_notice_time(student, times, moment, waiver)
    first_day = _local_day(student, times[0].starts_at)
    pool = {c.key: c for c in rules.candidates(student, kind, first_day)}
    unknown = [key for key in invitee_keys if key not in pool]
    if unknown:
        raise _refuse("invitees", _("Invite people from the student's team only."))
    chosen = [pool[key] for key in dict.fromkeys(invitee_keys)]
    transition = rules.transition_applies(student, kind, first_day)
    invited_roles = {c.role for c in chosen} | {o.role for o in outside}
    # The case manager stands in as the special education teacher when both roles are listed.
    missing = rules.missing_roles(kind, transition=transition, invited_roles=invited_roles)
    if missing:
        raise _refuse(
            "invitees",
            _("Invite every required member: %(roles)s is missing.")
            % {"roles": ", ".join(str(MemberRole(r).label) for r in missing)},
        )
    if plan is not None and plan.student_id != student.pk:
        raise _refuse("plan", _("This plan is for another student."))
    for person in outside:
        if not person.name.strip():
            raise _refuse("outside_name", _("Give the name of the person you invite."))
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
        organizer=_staff_of(actor),
        transition_content=transition,
        notice_due_by=datetime.combine(
            min(t.send_by for t in timings), datetime.max.time(), tzinfo=_zone(student)
        ),
        created_by=actor,
    )
    if waiver is not None and _local_day(student, moment) > min(t.send_by for t in timings):
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
def send_notice(
    *, actor: User, meeting: Meeting, now: datetime | None = None
) -> list[MeetingNotice]:
    """The notice to each parent in their language (portal + email with PDF and .ics), and an
    invitation with the .ics to every other invitee with an email address."""
    meeting = _lock(meeting)
    require(actor, meeting.student, Cap.SCHEDULE_MEETINGS)
    if not meeting.is_open:
        raise _refuse("meeting", _("This meeting is over; no notice can be sent."))
    moment = _now(now)
    sent = []
    mails = []
    invitees = list(meeting.invitees.select_related("guardian", "staff__user"))
    by_guardian = {i.guardian_id: i for i in invitees if i.guardian_id}
    for guardian in rights_holders(meeting.student):
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
        _deliver(
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
        on=_local_day(meeting.student, moment),
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


def _deliver(**kwargs: Any) -> None:
    """Record a document in the family's portal, never failing the action."""
    try:
        with transaction.atomic():
            record_delivery(**kwargs)
    except Exception:  # noqa: BLE001 - the portal list must not block the meeting
        log.exception("record_delivery failed")


# --- the family's answer ----------------------------------------------------------------------


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
    meeting = _lock(meeting)
    invitee = _guardian_invitee(actor, meeting)
    moment = _now(now)
    if (
        not meeting.is_open
        or meeting.starts_at <= moment
        and meeting.status != MeetingStatus.PROPOSED
    ):
        raise _refuse("answer", _("This meeting has already taken place or was cancelled."))
    if answer not in (Response.ACCEPTED, Response.PROPOSED_OTHER, Response.DECLINED):
        raise _refuse("answer", _("Choose your answer."))
    invitee.proposed_times = []
    invitee.accepted_option = None
    if answer == Response.ACCEPTED:
        options = list(meeting.time_options.all())
        if option is None and len(options) == 1:
            option = options[0]
        if option is None or option.meeting_id != meeting.pk:
            raise _refuse("option", _("Choose the time that works for you."))
        if option.starts_at <= moment:
            raise _refuse("option", _("This time has passed. Choose another time."))
        invitee.accepted_option = option
        if meeting.status == MeetingStatus.PROPOSED:
            meeting.starts_at, meeting.ends_at = option.starts_at, option.ends_at
            meeting.status = MeetingStatus.SCHEDULED
            meeting.sequence += 1
            meeting.save(update_fields=["starts_at", "ends_at", "status", "sequence", "updated_at"])
    elif answer == Response.PROPOSED_OTHER:
        if not proposed:
            raise _refuse("proposed_day", _("Tell us a day and time that works for you."))
        for option_asked in proposed:
            if option_asked.starts_at <= moment:
                raise _refuse("proposed_day", _("This time has passed. Choose a later time."))
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
        detail={"answer": answer, "proposed": invitee.proposed_times},
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
    meeting = _lock(meeting)
    require(actor, meeting.student, Cap.SCHEDULE_MEETINGS)
    moment = _now(now)
    if not meeting.is_open:
        raise _refuse("day_1", _("This meeting is over and cannot be moved."))
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
    meeting = _lock(meeting)
    require(actor, meeting.student, Cap.SCHEDULE_MEETINGS)
    if not meeting.is_open:
        raise _refuse("reason", _("Only an upcoming meeting can be cancelled."))
    if not reason.strip():
        raise _refuse("reason", _("Say why the meeting is cancelled."))
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
                language=_language_for_invitee(i),
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


def _language_for_invitee(invitee: MeetingInvitee) -> str:
    if invitee.guardian_id:
        return invitee.guardian.preferred_language or "en"
    if invitee.staff_id:
        return invitee.staff.user.preferred_language or "en"
    return "en"


# --- excusal (300.321(e)) ---------------------------------------------------------------------


def _start_of(student: Student, day: date) -> datetime:
    return datetime.combine(day, datetime.min.time(), tzinfo=_zone(student))


@transaction.atomic
def record_excusal(
    *,
    actor: User,
    meeting: Meeting,
    invitee: MeetingInvitee,
    kind: str,
    parent: Guardian,
    parent_agreed_on: date,
    district_agreed_on: date,
    member_input: str = "",
    member_input_on: date | None = None,
) -> Excusal:
    """A required member need not attend: written agreement of parent and district, and for an
    area that is discussed, the member's written input, all before the meeting."""
    meeting = _lock(meeting)
    require(actor, meeting.student, Cap.SCHEDULE_MEETINGS)
    if invitee.meeting_id != meeting.pk:
        raise Http404
    if not meeting.is_open:
        raise _refuse("invitee", _("Excusals are agreed before the meeting."))
    if not invitee.required or invitee.role not in EXCUSABLE_ROLES:
        raise _refuse(
            "invitee",
            _(
                "Only a required team member (teacher, district representative, evaluator) can be "
                "excused."
            ),
        )
    if hasattr(invitee, "excusal"):
        raise _refuse("invitee", _("This member is already excused."))
    if kind not in ExcusalKind.values:
        raise _refuse("kind", _("Choose the kind of excusal."))
    if parent.pk not in {g.pk for g in rights_holders(meeting.student)}:
        raise _refuse("parent", _("The agreement must come from a parent holding the rights."))
    meeting_day = _local_day(meeting.student, meeting.starts_at)
    errors: dict[str, list[str]] = {}
    if parent_agreed_on > meeting_day:
        errors["parent_agreed_on"] = [_("The parent must agree in writing before the meeting.")]
    if district_agreed_on > meeting_day:
        errors["district_agreed_on"] = [_("The district must agree in writing before the meeting.")]
    if kind == ExcusalKind.EXCUSED:
        if not member_input.strip():
            errors["member_input"] = [
                _("Add the member's written input: their area is discussed at the meeting.")
            ]
        if member_input_on is None:
            errors["member_input_on"] = [_("Give the date the written input was sent.")]
        elif member_input_on > meeting_day:
            errors["member_input_on"] = [
                _("The written input must reach the parent and the team before the meeting.")
            ]
    if errors:
        raise ValidationError(errors)
    excusal = Excusal.objects.create(
        invitee=invitee,
        kind=kind,
        parent=parent,
        parent_agreed_on=_start_of(meeting.student, parent_agreed_on),
        district_agreed_on=_start_of(meeting.student, district_agreed_on),
        district_agreed_by=actor,
        member_input=member_input.strip(),
        member_input_on=_start_of(meeting.student, member_input_on) if member_input_on else None,
        recorded_by=actor,
    )
    audit.record(
        actor=actor,
        action=Action.MEETING__MEMBER_EXCUSED,
        student=meeting.student,
        target=meeting,
        detail={"member": invitee.display_name, "role": invitee.role, "kind": kind},
    )
    return excusal


# --- at and after the meeting -----------------------------------------------------------------


@transaction.atomic
def mark_held(
    *,
    actor: User,
    meeting: Meeting,
    outcome: Outcome,
    share_minutes_now: bool = False,
    now: datetime | None = None,
) -> Meeting:
    """Record attendance, notes, decisions and next steps, and mark the meeting held.

    Refused while the meeting has not started, and when a required member was absent without
    an excusal agreed before the meeting unless a reason is recorded (300.321(e); 300.322(d)
    for a parent: the attempts to get them there).
    """
    meeting = _lock(meeting)
    require(actor, meeting.student, Cap.SCHEDULE_MEETINGS)
    moment = _now(now)
    if meeting.status not in (MeetingStatus.SCHEDULED, MeetingStatus.HELD):
        raise _refuse(
            "meeting",
            _("Only a scheduled meeting can be marked held; agree on a time first."),
        )
    if meeting.starts_at > moment:
        raise _refuse("meeting", _("The meeting has not started yet."))
    invitees = list(meeting.invitees.select_related("guardian", "staff__user", "excusal"))
    errors: dict[str, list[str]] = {}
    by_pk = {i.pk: i for i in invitees}
    for pk, mark in outcome.attendance.items():
        if pk not in by_pk:
            raise _refuse("attendance", _("Record attendance for invited people only."))
        if mark.attended and mark.how not in PlaceKind.values:
            errors[f"how_{pk}"] = [
                _("Say how %(name)s took part.") % {"name": by_pk[pk].display_name}
            ]
    missing_mark = [i for i in invitees if i.pk not in outcome.attendance]
    if missing_mark:
        errors["attendance"] = [
            _("Say whether each person came: %(names)s.")
            % {"names": ", ".join(i.display_name for i in missing_mark)}
        ]
    if errors:
        raise ValidationError(errors)
    unexcused = [
        i
        for i in invitees
        if i.required and not outcome.attendance[i.pk].attended and not hasattr(i, "excusal")
    ]
    if unexcused and not outcome.absence_reason.strip():
        raise _refuse(
            "absence_reason",
            _(
                "Required members were absent without an excusal agreed before the meeting: "
                "%(names)s. Record the reason to hold the meeting without them."
            )
            % {"names": ", ".join(f"{i.display_name} ({i.get_role_display()})" for i in unexcused)},
        )
    if not outcome.decisions.strip() and not outcome.notes.strip():
        raise _refuse("decisions", _("Write the notes or the decisions of the meeting."))
    if (
        outcome.plan_version is not None
        and outcome.plan_version.plan.student_id != meeting.student_id
    ):
        raise _refuse("plan_version", _("This plan version is for another student."))
    if outcome.eligibility is not None and outcome.eligibility.student_id != meeting.student_id:
        raise _refuse("eligibility", _("This eligibility decision is for another student."))
    for number, step in enumerate(outcome.next_steps, start=1):
        if not step.text.strip():
            raise _refuse(f"step_text_{number}", _("Describe the next step."))
        if step.owner is None and not step.owner_name.strip():
            raise _refuse(f"step_owner_{number}", _("Say who does this step."))
    for invitee in invitees:
        mark = outcome.attendance[invitee.pk]
        invitee.attended = mark.attended
        invitee.attended_how = mark.how if mark.attended else ""
        invitee.save(update_fields=["attended", "attended_how"])
    meeting.status = MeetingStatus.HELD
    meeting.held_at = meeting.held_at or moment
    meeting.held_by = actor
    meeting.notes = outcome.notes.strip()
    meeting.decisions = outcome.decisions.strip()
    meeting.parent_input = outcome.parent_input.strip()
    meeting.absence_reason = outcome.absence_reason.strip() if unexcused else ""
    meeting.changed_plan_version = outcome.plan_version
    meeting.changed_eligibility = outcome.eligibility
    meeting.save()
    NextStep.objects.bulk_create(
        NextStep(
            meeting=meeting,
            text=s.text.strip(),
            owner=s.owner,
            owner_name=s.owner_name.strip(),
            due_on=s.due_on,
        )
        for s in outcome.next_steps
    )
    audit.record(
        actor=actor,
        action=Action.MEETING__HELD,
        student=meeting.student,
        target=meeting,
        detail={
            "present": [i.display_name for i in invitees if outcome.attendance[i.pk].attended],
            "absent_unexcused": [i.display_name for i in unexcused],
            "next_steps": len(outcome.next_steps),
            "plan_version": str(outcome.plan_version.public_id) if outcome.plan_version else "",
        },
    )
    if share_minutes_now:
        share_minutes(actor=actor, meeting=meeting, now=moment)
        meeting.refresh_from_db()
    return meeting


@transaction.atomic
def add_next_step(*, actor: User, meeting: Meeting, step: StepSpec) -> NextStep:
    meeting = _lock(meeting)
    require(actor, meeting.student, Cap.SCHEDULE_MEETINGS)
    if not step.text.strip():
        raise _refuse("text", _("Describe the next step."))
    if step.owner is None and not step.owner_name.strip():
        raise _refuse("owner", _("Say who does this step."))
    created = NextStep.objects.create(
        meeting=meeting,
        text=step.text.strip(),
        owner=step.owner,
        owner_name=step.owner_name.strip(),
        due_on=step.due_on,
    )
    audit.record(
        actor=actor,
        action=Action.MEETING__NEXT_STEP_ADDED,
        student=meeting.student,
        target=meeting,
        detail={"text": created.text, "due_on": str(step.due_on)},
    )
    return created


@transaction.atomic
def share_minutes(*, actor: User, meeting: Meeting, now: datetime | None = None) -> Meeting:
    """Send the minutes to the team and the parent (portal delivery + email)."""
    meeting = _lock(meeting)
    require(actor, meeting.student, Cap.SCHEDULE_MEETINGS)
    if meeting.status != MeetingStatus.HELD:
        raise _refuse("meeting", _("Minutes are shared after the meeting is held."))
    moment = _now(now)
    invitees = list(meeting.invitees.select_related("guardian", "staff__user"))
    for guardian in rights_holders(meeting.student):
        language = notices.language_of(guardian)
        _deliver(
            student=meeting.student,
            guardian=guardian,
            kind="meeting_minutes",
            title=notices.minutes_title(meeting, language),
            url=reverse("meeting_minutes_pdf", args=[meeting.public_id]) + f"?lang={language}",
            document_hash=notices.minutes_hash(meeting, language),
            sent_by=actor,
        )
    queue_mails(
        [
            MeetingMail(
                meeting=meeting,
                invitee=i,
                kind=MailKind.MINUTES,
                to=i.contact_email,
                language=_language_for_invitee(i),
            )
            for i in invitees
            if i.contact_email
        ]
    )
    meeting.minutes_shared_at = moment
    meeting.save(update_fields=["minutes_shared_at", "updated_at"])
    audit.record(
        actor=actor,
        action=Action.MEETING__MINUTES_SHARED,
        student=meeting.student,
        target=meeting,
        detail={"recipients": sum(1 for i in invitees if i.contact_email)},
    )
    return meeting


# --- reminders --------------------------------------------------------------------------------

REMINDER_BEFORE = timedelta(days=2)


def queue_due_reminders(*, now: datetime | None = None) -> int:
    """Queue a reminder to each invitee of a meeting starting within two days (once each)."""
    moment = _now(now)
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
                        language=_language_for_invitee(invitee),
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
