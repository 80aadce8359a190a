"""The family's answer, excusals, holding the meeting, minutes, reminders, the outbox, .ics."""

from __future__ import annotations

from datetime import date, timedelta
from unittest import mock

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.utils import formats, timezone, translation
from icalendar import Calendar

from tandem.accounts.models import AuditEvent
from tandem.meetings import (
    actions_answers,
    actions_notices,
    actions_record,
    actions_scheduling,
    notices,
    tasks,
)
from tandem.meetings.models import (
    ExcusalKind,
    MailKind,
    MailStatus,
    MeetingMail,
    MeetingStatus,
    MemberRole,
    NextStep,
    PlaceKind,
    Response,
)
from tandem.people.models import Guardian

from .conftest import at, option, schedule


def _grace():
    return Guardian.objects.get(email="parent@r.test")


def _held_outcome(meeting, *, absent=(), reason=""):  # type: ignore[no-untyped-def]
    return actions_record.Outcome(
        notes="Reviewed progress.",
        decisions="Keep the reading goal; add 30 minutes of speech.",
        parent_input="Mother says homework is hard.",
        absence_reason=reason,
        attendance={
            i.pk: actions_record.Attendance(attended=i.role not in absent, how=PlaceKind.IN_PERSON)
            for i in meeting.invitees.all()
        },
        next_steps=[
            actions_record.StepSpec(
                text="Send the draft amendment",
                due_on=date.today() + timedelta(days=30),
                owner=meeting.organizer,
            )
        ],
    )


# --- answer -----------------------------------------------------------------------------------


def test_the_parent_accepts_one_of_the_times(world):
    meeting = schedule(world, times=[option(21), option(24)])
    chosen = meeting.time_options.order_by("starts_at").last()
    invitee = actions_answers.respond(
        actor=world.users["parent"], meeting=meeting, answer=Response.ACCEPTED, option=chosen
    )
    meeting.refresh_from_db()
    assert invitee.response == Response.ACCEPTED and invitee.responded_at
    assert meeting.status == MeetingStatus.SCHEDULED
    assert meeting.starts_at == chosen.starts_at and meeting.sequence == 1
    assert AuditEvent.objects.filter(action="meeting.answered", student=world.maya).exists()


def test_the_parent_asks_for_another_time_and_the_case_manager_moves_it(world):
    meeting = schedule(world)
    asked = option(23, 17)
    actions_answers.respond(
        actor=world.users["parent"],
        meeting=meeting,
        answer=Response.PROPOSED_OTHER,
        proposed=[asked],
        note="I work until 4.",
    )
    invitee = meeting.invitees.get(guardian__isnull=False)
    assert invitee.response == Response.PROPOSED_OTHER
    assert invitee.proposed_times[0]["starts_at"] == asked.starts_at.isoformat()
    moved = actions_scheduling.reschedule(
        actor=world.users["case_manager"], meeting=meeting, time=asked
    )
    assert moved.starts_at == asked.starts_at and moved.sequence == 1
    invitee.refresh_from_db()
    assert invitee.response == Response.ACCEPTED  # the time they asked for


def test_only_the_invited_parent_answers(world):
    meeting = schedule(world)
    with pytest.raises(Http404):  # not a rights holder: the record is out of reach
        actions_answers.respond(
            actor=world.users["uncle"], meeting=meeting, answer=Response.ACCEPTED
        )
    with pytest.raises(PermissionDenied):
        actions_answers.respond(
            actor=world.users["teacher"], meeting=meeting, answer=Response.ACCEPTED
        )


def test_asking_for_a_past_time_is_refused(world):
    meeting = schedule(world)
    with pytest.raises(ValidationError) as error:
        actions_answers.respond(
            actor=world.users["parent"],
            meeting=meeting,
            answer=Response.PROPOSED_OTHER,
            proposed=[option(-2)],
        )
    assert "proposed_day" in error.value.message_dict


# --- excusal ----------------------------------------------------------------------------------


def test_excusal_needs_written_input_before_the_meeting(world):
    meeting = schedule(world)
    teacher = meeting.invitees.get(role=MemberRole.GENERAL_EDUCATION_TEACHER)
    day = at(20).date()
    with pytest.raises(ValidationError) as error:
        actions_record.record_excusal(
            actor=world.users["case_manager"],
            meeting=meeting,
            invitee=teacher,
            kind=ExcusalKind.EXCUSED,
            parent=_grace(),
            parent_agreed_on=day - timedelta(days=3),
            district_agreed_on=day + timedelta(days=1),
        )
    assert set(error.value.message_dict) == {
        "district_agreed_on",
        "member_input",
        "member_input_on",
    }
    excusal = actions_record.record_excusal(
        actor=world.users["case_manager"],
        meeting=meeting,
        invitee=teacher,
        kind=ExcusalKind.EXCUSED,
        parent=_grace(),
        parent_agreed_on=day - timedelta(days=3),
        district_agreed_on=day - timedelta(days=2),
        member_input="Maya reads at grade level in class with support.",
        member_input_on=day - timedelta(days=2),
    )
    assert excusal.invitee == teacher
    assert AuditEvent.objects.filter(action="meeting.member_excused").exists()


def test_the_parent_cannot_be_excused_and_agreement_is_from_a_rights_holder(world):
    meeting = schedule(world)
    parent = meeting.invitees.get(role=MemberRole.PARENT)
    with pytest.raises(ValidationError):
        actions_record.record_excusal(
            actor=world.users["case_manager"],
            meeting=meeting,
            invitee=parent,
            kind=ExcusalKind.NOT_NEEDED,
            parent=_grace(),
            parent_agreed_on=date.today(),
            district_agreed_on=date.today(),
        )
    teacher = meeting.invitees.get(role=MemberRole.GENERAL_EDUCATION_TEACHER)
    with pytest.raises(ValidationError) as error:
        actions_record.record_excusal(
            actor=world.users["case_manager"],
            meeting=meeting,
            invitee=teacher,
            kind=ExcusalKind.NOT_NEEDED,
            parent=Guardian.objects.get(first_name="Hugo"),
            parent_agreed_on=date.today(),
            district_agreed_on=date.today(),
        )
    assert "parent" in error.value.message_dict


# --- holding the meeting ----------------------------------------------------------------------


def _start(meeting):  # type: ignore[no-untyped-def]
    return meeting.starts_at + timedelta(minutes=65)


def test_a_meeting_in_the_future_cannot_be_marked_held(world):
    meeting = schedule(world)
    with pytest.raises(ValidationError) as error:
        actions_record.mark_held(
            actor=world.users["case_manager"], meeting=meeting, outcome=_held_outcome(meeting)
        )
    assert "not started" in str(error.value)


def test_an_unexcused_absent_required_member_needs_a_reason(world):
    meeting = schedule(world)
    outcome = _held_outcome(meeting, absent={MemberRole.GENERAL_EDUCATION_TEACHER})
    with pytest.raises(ValidationError) as error:
        actions_record.mark_held(
            actor=world.users["case_manager"], meeting=meeting, outcome=outcome, now=_start(meeting)
        )
    assert "Tom Lee" in str(error.value.message_dict["absence_reason"])
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.SCHEDULED
    outcome.absence_reason = "Teacher out sick; parent asked to go ahead."
    held = actions_record.mark_held(
        actor=world.users["case_manager"], meeting=meeting, outcome=outcome, now=_start(meeting)
    )
    assert held.status == MeetingStatus.HELD and held.absence_reason


def test_an_excused_member_may_be_absent(world):
    meeting = schedule(world)
    teacher = meeting.invitees.get(role=MemberRole.GENERAL_EDUCATION_TEACHER)
    actions_record.record_excusal(
        actor=world.users["case_manager"],
        meeting=meeting,
        invitee=teacher,
        kind=ExcusalKind.NOT_NEEDED,
        parent=_grace(),
        parent_agreed_on=date.today(),
        district_agreed_on=date.today(),
    )
    outcome = _held_outcome(meeting, absent={MemberRole.GENERAL_EDUCATION_TEACHER})
    held = actions_record.mark_held(
        actor=world.users["case_manager"], meeting=meeting, outcome=outcome, now=_start(meeting)
    )
    assert held.status == MeetingStatus.HELD and held.absence_reason == ""


def test_held_meeting_records_attendance_steps_and_shares_minutes(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = schedule(world)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        held = actions_record.mark_held(
            actor=world.users["case_manager"],
            meeting=meeting,
            outcome=_held_outcome(meeting),
            share_minutes_now=True,
            now=_start(meeting),
        )
    assert held.minutes_shared_at is not None
    assert NextStep.objects.filter(meeting=meeting).count() == 1
    assert all(i.attended for i in meeting.invitees.all())
    minutes = [m for m in mailoutbox if "minutes" in m.subject.lower()]
    assert len(minutes) == 4
    from tandem.communication.models import Delivery

    assert Delivery.objects.filter(student=world.maya, kind="meeting_minutes").count() == 1
    assert Delivery.objects.filter(student=world.maya, kind="meeting_notice").count() == 1


def test_attendance_must_cover_everyone(world):
    meeting = schedule(world)
    outcome = _held_outcome(meeting)
    outcome.attendance.pop(next(iter(outcome.attendance)))
    with pytest.raises(ValidationError) as error:
        actions_record.mark_held(
            actor=world.users["case_manager"], meeting=meeting, outcome=outcome, now=_start(meeting)
        )
    assert "attendance" in error.value.message_dict


# --- documents --------------------------------------------------------------------------------


def test_ics_lists_every_invitee(world):
    meeting = schedule(world)
    cal = Calendar.from_ical(notices.meeting_ics(meeting))
    event = cal.walk("VEVENT")[0]
    assert str(event["uid"]) == f"{meeting.public_id}@tandem"
    assert event.decoded("dtstart") == meeting.starts_at
    assert "North Elementary, room 12" in str(event["location"])
    attendees = [str(a).lower() for a in event.get("attendee")]
    assert "mailto:parent@r.test" in attendees and "mailto:teacher@r.test" in attendees
    assert str(cal["method"]) == "REQUEST"
    assert str(event["organizer"]).lower() == "mailto:cm@r.test"


def test_the_notice_is_in_the_parents_language(world):
    grace = _grace()
    grace.preferred_language = "es"
    grace.save()
    staff = world.users["case_manager"].staff
    staff.phone = "(555) 010-2040"
    staff.save()
    meeting = schedule(world)
    notice = meeting.notices.get()
    assert notice.language == "es"
    html = notices.notice_html(meeting, "es")
    assert '<html lang="es">' in html
    with translation.override("es"):
        assert translation.gettext("Your rights") in html
        assert translation.gettext("Who will be there") in html
    # Dates are written the Spanish way.
    assert " de " in html
    assert "Tom Lee" in html and "Grace Lopez" in html
    # Its date, and whom to call: the organizer, with a phone (theirs, else the school's).
    sent = timezone.localtime(meeting.notice_sent_at, notices.zone_of(meeting)).date()
    with translation.override("es"):
        assert f"Fecha de este aviso: {formats.date_format(sent, 'DATE_FORMAT')}" in html
    organizer = meeting.organizer
    assert f"Llame o escriba a {organizer.user.get_full_name()}" in html
    assert "(555) 010-2040" in html
    assert organizer.user.email in html
    pdf = notices.pdf_of(html)
    assert pdf.startswith(b"%PDF")


def test_transition_content_in_the_notice(world):
    world.maya.date_of_birth = at(20).date().replace(year=at(20).year - 16)
    world.maya.save()
    meeting = schedule(world, kind="annual_review")
    assert meeting.transition_content
    assert "after high school" in notices.notice_html(meeting, "en")


# --- reminders and the outbox -----------------------------------------------------------------


def test_reminders_go_once_shortly_before_the_meeting(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    meeting = schedule(world)
    mailoutbox.clear()
    early = meeting.starts_at - timedelta(days=5)
    assert actions_notices.queue_due_reminders(now=early) == 0
    soon = meeting.starts_at - timedelta(days=1)
    with django_capture_on_commit_callbacks(execute=True):
        assert actions_notices.queue_due_reminders(now=soon) == 4
    assert actions_notices.queue_due_reminders(now=soon) == 0
    assert len([m for m in mailoutbox if m.subject.startswith("Reminder")]) == 4


def test_mail_is_kept_and_retried_while_the_server_is_down(
    world, mailoutbox, django_capture_on_commit_callbacks
):
    down = mock.patch("django.core.mail.EmailMessage.send", side_effect=OSError("server down"))
    with down, django_capture_on_commit_callbacks(execute=True):
        meeting = schedule(world)
    queued = MeetingMail.objects.filter(meeting=meeting)
    assert queued.count() == 4 and all(m.status == MailStatus.QUEUED for m in queued)
    assert all(m.attempts == 1 and "server down" in m.last_error for m in queued)
    assert not mailoutbox
    # Not yet time to retry.
    assert tasks.sweep_outbox()["sent"] == 0
    later = timezone.now() + timedelta(minutes=5)
    counts = tasks.sweep_outbox(now=later)
    assert counts["sent"] == 4
    assert all(m.status == MailStatus.SENT for m in MeetingMail.objects.filter(meeting=meeting))
    assert len(mailoutbox) == 4


def test_cancel_tells_the_invitees(world, django_capture_on_commit_callbacks):
    meeting = schedule(world)
    with pytest.raises(ValidationError):
        actions_scheduling.cancel_meeting(
            actor=world.users["case_manager"], meeting=meeting, reason=" "
        )
    with django_capture_on_commit_callbacks(execute=True):
        actions_scheduling.cancel_meeting(
            actor=world.users["case_manager"], meeting=meeting, reason="Snow day"
        )
    meeting.refresh_from_db()
    assert meeting.status == MeetingStatus.CANCELLED
    assert MeetingMail.objects.filter(meeting=meeting, kind=MailKind.UPDATE).count() == 4
    cal = Calendar.from_ical(notices.meeting_ics(meeting))
    assert str(cal["method"]) == "CANCEL"
