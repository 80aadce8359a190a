"""Scheduling: who must be invited, the notice lead time, times in the past, conflicts."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from tandem.accounts.models import AuditEvent
from tandem.meetings import actions_scheduling, rules
from tandem.meetings.models import (
    MailStatus,
    Meeting,
    MeetingInvitee,
    MeetingKind,
    MeetingMail,
    MeetingNotice,
    MeetingStatus,
    MemberRole,
)
from tandem.people.models import Guardian, StudentGuardian

from .conftest import at, option, required_keys, schedule


def test_required_members_of_an_annual_review(world):
    found = {
        c.role: c
        for c in rules.candidates(world.maya, MeetingKind.ANNUAL_REVIEW, at(20).date())
        if c.required
    }
    assert set(found) == {
        MemberRole.PARENT,
        MemberRole.SPECIAL_EDUCATION_TEACHER,
        MemberRole.GENERAL_EDUCATION_TEACHER,
        MemberRole.DISTRICT_REPRESENTATIVE,
    }
    assert found[MemberRole.PARENT].name == "Grace Lopez"
    assert found[MemberRole.GENERAL_EDUCATION_TEACHER].staff_id == world.users["teacher"].staff.pk
    assert found[MemberRole.DISTRICT_REPRESENTATIVE].staff_id == world.users["principal"].staff.pk


def test_an_eligibility_meeting_needs_the_evaluator_and_transition_age_the_student(world):
    roles = {
        c.role
        for c in rules.candidates(world.maya, MeetingKind.ELIGIBILITY, at(20).date())
        if c.required
    }
    assert MemberRole.EVALUATOR in roles
    assert MemberRole.STUDENT not in roles
    world.maya.date_of_birth = at(20).date().replace(year=at(20).year - 15)
    world.maya.save()
    roles = {
        c.role
        for c in rules.candidates(world.maya, MeetingKind.ANNUAL_REVIEW, at(20).date())
        if c.required
    }
    assert MemberRole.STUDENT in roles  # turns 16 while the plan is in effect (300.320(b))


def test_schedule_a_meeting_sends_the_notice(world, mailoutbox, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        meeting = schedule(world)
    assert meeting.status == MeetingStatus.SCHEDULED
    assert meeting.notice_sent_at is not None
    assert meeting.invitees.count() == 4
    notice = MeetingNotice.objects.get(meeting=meeting)
    assert notice.language == "en" and len(notice.content_hash) == 64
    # Emails went out after commit from the task: the parent's notice and staff invitations.
    kinds = sorted(MeetingMail.objects.filter(meeting=meeting).values_list("kind", flat=True))
    assert kinds.count("notice") == 1 and kinds.count("invitation") == 3
    assert not MeetingMail.objects.exclude(status=MailStatus.SENT).exists()
    parent_mail = next(m for m in mailoutbox if m.to == ["parent@r.test"])
    names = [a[0] for a in parent_mail.attachments]
    assert names == ["meeting.ics", "meeting-notice.pdf"]
    assert AuditEvent.objects.filter(action="meeting.scheduled", student=world.maya).exists()
    assert AuditEvent.objects.filter(action="meeting.notice_sent", student=world.maya).exists()


def test_several_times_are_proposed(world):
    meeting = schedule(world, times=[option(25), option(21), option(22, 9)])
    assert meeting.status == MeetingStatus.PROPOSED
    assert meeting.starts_at == option(21).starts_at
    assert meeting.time_options.count() == 3


def test_a_time_in_the_past_is_refused(world):
    with pytest.raises(ValidationError) as error:
        schedule(world, times=[option(-1)])
    assert "already passed" in str(error.value.message_dict["day_1"])
    assert not Meeting.objects.exists()


def test_a_late_notice_is_refused_without_the_parents_waiver(world):
    # Riverside follows the federal default here: 10 calendar days (district policy).
    with pytest.raises(ValidationError) as error:
        schedule(world, times=[option(3)])
    message = str(error.value.message_dict["day_1"])
    assert "too late" in message and "300.322" in message
    assert not Meeting.objects.exists() and not MeetingMail.objects.exists()


def test_a_late_notice_goes_with_the_parents_recorded_waiver(world):
    grace = Guardian.objects.get(email="parent@r.test")
    meeting = schedule(
        world,
        times=[option(3)],
        waiver=actions_scheduling.Waiver(guardian=grace, note="Agreed by phone on Monday."),
    )
    assert meeting.notice_waived_by == grace
    assert meeting.notice_waiver_note == "Agreed by phone on Monday."


def test_the_waiver_must_come_from_a_rights_holder(world):
    uncle = Guardian.objects.get(first_name="Hugo")
    with pytest.raises(ValidationError) as error:
        schedule(
            world,
            times=[option(3)],
            waiver=actions_scheduling.Waiver(guardian=uncle, note="Said yes"),
        )
    assert "waiver_guardian" in error.value.message_dict


def test_a_state_without_a_waiver_refuses_the_late_notice(world, settings):
    # NY counts 5 days and lets the parent agree; IL (10 days) does not in Tandem's data.
    world.riverside.state = "IL"
    world.riverside.save()
    grace = Guardian.objects.get(email="parent@r.test")
    world.maya.district.refresh_from_db()
    with pytest.raises(ValidationError) as error:
        schedule(
            world, times=[option(3)], waiver=actions_scheduling.Waiver(guardian=grace, note="ok")
        )
    assert "waiver_guardian" in error.value.message_dict


def test_a_required_member_must_be_invited(world):
    keys = [k for k in required_keys(world.maya) if not k.startswith("guardian")]
    with pytest.raises(ValidationError) as error:
        schedule(world, invitee_keys=keys)
    assert "Parent or guardian" in str(error.value.message_dict["invitees"])


def test_only_people_from_the_team_can_be_invited(world):
    with pytest.raises(ValidationError) as error:
        schedule(world, invitee_keys=[*required_keys(world.maya), "staff:99999:other"])
    assert "invitees" in error.value.message_dict


def test_outsiders_and_read_only_roles_cannot_schedule(world):
    with pytest.raises(Http404):
        schedule(world, actor=world.users["stranger"])
    with pytest.raises(PermissionDenied):
        schedule(world, actor=world.users["teacher"])
    with pytest.raises(PermissionDenied):
        schedule(world, actor=world.users["parent"])
    assert not Meeting.objects.exists()


def test_conflicts_with_other_meetings_of_the_invitees(world):
    first = schedule(world)
    overlapping = option(20, 15, 30)
    found = actions_scheduling.conflicts_for(
        times=[overlapping],
        staff_ids=[world.users["teacher"].staff.pk],
        guardian_ids=[],
    )
    assert [c[0].meeting for c in found] == [first]
    assert not actions_scheduling.conflicts_for(
        times=[option(20, 17)], staff_ids=[world.users["teacher"].staff.pk], guardian_ids=[]
    )


def test_the_students_own_meeting_invites_the_student_from_transition_age(world):
    world.maya.date_of_birth = at(20).date().replace(year=at(20).year - 16)
    world.maya.save()
    meeting = schedule(world, kind=MeetingKind.TRANSITION)
    assert meeting.transition_content
    assert meeting.invitees.filter(is_student=True, required=True).exists()


def test_guardians_are_invited_once(world):
    keys = required_keys(world.maya)
    meeting = schedule(world, invitee_keys=keys + keys[:1])
    assert MeetingInvitee.objects.filter(meeting=meeting, guardian__isnull=False).count() == 1
    assert StudentGuardian.objects.filter(student=world.maya).count() == 2


def test_duration_must_be_positive(world):
    start = at(20)
    with pytest.raises(ValidationError) as error:
        schedule(world, times=[actions_scheduling.TimeOption(start, start - timedelta(minutes=5))])
    assert "minutes_1" in error.value.message_dict
