"""Meeting actions, the record: excusals (300.321(e)), attendance and holding, next steps, minutes.

Each action keeps the contract described in `actions_common`.
All need `Cap.SCHEDULE_MEETINGS`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from tandem import audit
from tandem.access.capabilities import Cap
from tandem.access.policy import require
from tandem.accounts.models import User
from tandem.audit.catalogue import Action
from tandem.people.models import Guardian, Staff, Student
from tandem.people.relations import rights_holders

from . import notices
from .actions_common import local_day, lock_meeting, now_or_clock, refuse, zone_of
from .actions_notices import deliver_to_portal, invitee_language, queue_mails
from .models import (
    EXCUSABLE_ROLES,
    Excusal,
    ExcusalKind,
    MailKind,
    Meeting,
    MeetingInvitee,
    MeetingMail,
    MeetingStatus,
    NextStep,
    PlaceKind,
)


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


# --- excusal (300.321(e)) ---------------------------------------------------------------------


def _start_of(student: Student, day: date) -> datetime:
    return datetime.combine(day, datetime.min.time(), tzinfo=zone_of(student))


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
    meeting = lock_meeting(meeting)
    require(actor, meeting.student, Cap.SCHEDULE_MEETINGS)
    if invitee.meeting_id != meeting.pk:
        raise Http404
    if not meeting.is_open:
        raise refuse("invitee", _("Excusals are agreed before the meeting."))
    if not invitee.required or invitee.role not in EXCUSABLE_ROLES:
        raise refuse(
            "invitee",
            _(
                "Only a required team member (teacher, district representative, evaluator) can be "
                "excused."
            ),
        )
    if hasattr(invitee, "excusal"):
        raise refuse("invitee", _("This member is already excused."))
    if kind not in ExcusalKind.values:
        raise refuse("kind", _("Choose the kind of excusal."))
    if parent.pk not in {g.pk for g in rights_holders(meeting.student)}:
        raise refuse("parent", _("The agreement must come from a parent holding the rights."))
    meeting_day = local_day(meeting.student, meeting.starts_at)
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
    meeting = lock_meeting(meeting)
    require(actor, meeting.student, Cap.SCHEDULE_MEETINGS)
    moment = now_or_clock(now)
    if meeting.status not in (MeetingStatus.SCHEDULED, MeetingStatus.HELD):
        raise refuse(
            "meeting",
            _("Only a scheduled meeting can be marked held; agree on a time first."),
        )
    if meeting.starts_at > moment:
        raise refuse("meeting", _("The meeting has not started yet."))
    invitees = list(meeting.invitees.select_related("guardian", "staff__user", "excusal"))
    errors: dict[str, list[str]] = {}
    by_pk = {i.pk: i for i in invitees}
    for pk, mark in outcome.attendance.items():
        if pk not in by_pk:
            raise refuse("attendance", _("Record attendance for invited people only."))
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
        raise refuse(
            "absence_reason",
            _(
                "Required members were absent without an excusal agreed before the meeting: "
                "%(names)s. Record the reason to hold the meeting without them."
            )
            % {"names": ", ".join(f"{i.display_name} ({i.get_role_display()})" for i in unexcused)},
        )
    if not outcome.decisions.strip() and not outcome.notes.strip():
        raise refuse("decisions", _("Write the notes or the decisions of the meeting."))
    if (
        outcome.plan_version is not None
        and outcome.plan_version.plan.student_id != meeting.student_id
    ):
        raise refuse("plan_version", _("This plan version is for another student."))
    if outcome.eligibility is not None and outcome.eligibility.student_id != meeting.student_id:
        raise refuse("eligibility", _("This eligibility decision is for another student."))
    for number, step in enumerate(outcome.next_steps, start=1):
        if not step.text.strip():
            raise refuse(f"step_text_{number}", _("Describe the next step."))
        if step.owner is None and not step.owner_name.strip():
            raise refuse(f"step_owner_{number}", _("Say who does this step."))
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
    meeting = lock_meeting(meeting)
    require(actor, meeting.student, Cap.SCHEDULE_MEETINGS)
    if not step.text.strip():
        raise refuse("text", _("Describe the next step."))
    if step.owner is None and not step.owner_name.strip():
        raise refuse("owner", _("Say who does this step."))
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
    meeting = lock_meeting(meeting)
    require(actor, meeting.student, Cap.SCHEDULE_MEETINGS)
    if meeting.status != MeetingStatus.HELD:
        raise refuse("meeting", _("Minutes are shared after the meeting is held."))
    moment = now_or_clock(now)
    invitees = list(meeting.invitees.select_related("guardian", "staff__user"))
    for guardian in rights_holders(meeting.student):
        language = notices.language_of(guardian)
        deliver_to_portal(
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
                language=invitee_language(i),
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
