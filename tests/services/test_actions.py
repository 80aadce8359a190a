"""Logging sessions: a group in one submission, and every refusal names its field and saves nothing."""

from __future__ import annotations

from datetime import date, time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from tandem.accounts.models import AuditEvent
from tandem.core import clock
from tandem.people.models import CaseloadAssignment, TeamMembership, TeamRole
from tandem.services import actions
from tandem.services.actions import Attendee
from tandem.services.models import (
    AttendanceCode,
    Modality,
    ProviderLicence,
    ServiceSession,
    SessionAttendance,
)
from tests.conftest import START
from tests.progress.conftest import active_iep

DAY = date(2025, 9, 15)  # a Monday inside the speech service (from 2025-09-10)
TODAY = date(2025, 9, 17)


def _log(user, attendees, **overrides):  # type: ignore[no-untyped-def]
    fields = {"day": DAY, "start_time": time(9, 0), "minutes": 30}
    fields.update(overrides)
    with clock.fixed(TODAY):
        return actions.log_session(actor=user, attendees=attendees, **fields)


def _field(error: ValidationError) -> str:
    return next(iter(error.message_dict))


@pytest.fixture
def leo_speech(world, slp):  # type: ignore[no-untyped-def]
    cm = world.users["case_manager"].staff
    CaseloadAssignment.objects.create(staff=cm, student=world.leo, start_date=START)
    TeamMembership.objects.create(
        staff=slp.staff, student=world.leo, role=TeamRole.SPEECH_LANGUAGE, start_date=START
    )
    plan = active_iep(world, student=world.leo)
    return plan.services.get(name="Speech-language therapy")


def test_a_group_session_is_logged_signed_and_audited_in_one_submission(
    world, slp, speech, leo_speech
) -> None:  # type: ignore[no-untyped-def]
    ProviderLicence.objects.create(
        staff=slp.staff,
        state="CA",
        number="SP 123",
        credentials="CCC-SLP",
        expires=date(2027, 1, 31),
    )
    session = _log(
        slp,
        [
            Attendee(world.maya, speech, AttendanceCode.DELIVERED),
            Attendee(world.leo, leo_speech, AttendanceCode.STUDENT_ABSENT),
        ],
        note="Group: /r/ in sentences.",
    )
    rows = {row.student_id: row for row in session.attendance.all()}
    assert rows[world.maya.pk].minutes == 30 and rows[world.leo.pk].minutes == 0
    assert rows[world.leo.pk].lineage == leo_speech.lineage
    assert session.signed_at is not None
    assert (session.signed_licence, session.signed_credentials) == ("CA SP 123", "CCC-SLP")
    assert session.late is False  # two days after the session
    assert AuditEvent.objects.filter(action="service_session.logged").count() == 2
    assert AuditEvent.objects.filter(action="service_session.signed").count() == 2


def test_a_log_more_than_seven_days_late_is_marked(world, slp, speech) -> None:  # type: ignore[no-untyped-def]
    with clock.fixed(date(2025, 9, 30)):
        session = actions.log_session(
            actor=slp,
            day=DAY,
            start_time=time(9),
            minutes=30,
            attendees=[Attendee(world.maya, speech, AttendanceCode.DELIVERED)],
        )
    assert session.late is True


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"day": date(2025, 9, 18)}, "day"),  # tomorrow
        ({"minutes": 421}, "minutes"),  # longer than the school day
        ({"minutes_lost": 31}, "minutes_lost"),
        ({"day": date(2025, 9, 1)}, "students"),  # before the service starts: no mandate
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(world, slp, speech, overrides, field) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as refused:
        _log(slp, [Attendee(world.maya, speech, AttendanceCode.DELIVERED)], **overrides)
    assert _field(refused.value) == field
    assert not ServiceSession.objects.exists() and not SessionAttendance.objects.exists()


def test_the_provider_already_in_a_session_is_refused_naming_it(world, slp, speech) -> None:  # type: ignore[no-untyped-def]
    _log(slp, [Attendee(world.maya, speech, AttendanceCode.DELIVERED)])
    with pytest.raises(ValidationError) as refused:
        _log(
            slp,
            [Attendee(world.maya, speech, AttendanceCode.DELIVERED)],
            start_time=time(9, 15),
        )
    assert _field(refused.value) == "start_time"
    assert "09:00" in refused.value.message_dict["start_time"][0]
    assert ServiceSession.objects.count() == 1


def test_a_group_with_one_student_without_a_mandate_saves_nothing(world, slp, speech) -> None:  # type: ignore[no-untyped-def]
    TeamMembership.objects.create(
        staff=slp.staff, student=world.leo, role=TeamRole.SPEECH_LANGUAGE, start_date=START
    )
    # Leo has no plan: Maya's service line is not his.
    with pytest.raises(ValidationError) as refused:
        _log(
            slp,
            [
                Attendee(world.maya, speech, AttendanceCode.DELIVERED),
                Attendee(world.leo, speech, AttendanceCode.DELIVERED),
            ],
        )
    assert _field(refused.value) == "students"
    assert "Leo" in refused.value.message_dict["students"][0]
    assert not ServiceSession.objects.exists()


def test_a_student_outside_the_assignment_is_not_found(world, slp, speech) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(Http404):
        _log(slp, [Attendee(world.ana, speech, AttendanceCode.DELIVERED)])
    assert not ServiceSession.objects.exists()


def test_a_roster_teacher_cannot_log(world, speech) -> None:  # type: ignore[no-untyped-def]
    teacher = world.users["teacher"]
    with pytest.raises(PermissionDenied):
        _log(teacher, [Attendee(world.maya, speech, AttendanceCode.DELIVERED)])


def test_teletherapy_needs_a_licence_in_the_students_state(world, speech) -> None:  # type: ignore[no-untyped-def]
    contractor = world.users["contractor"]  # assigned to Maya (Riverside, CA)
    ProviderLicence.objects.create(
        staff=contractor.staff, state="TX", number="TX 9", expires=date(2027, 1, 1)
    )
    with pytest.raises(ValidationError) as refused:
        _log(
            contractor,
            [Attendee(world.maya, speech, AttendanceCode.DELIVERED)],
            modality=Modality.TELETHERAPY,
            platform="Zoom",
        )
    assert _field(refused.value) == "modality"
    # A CA licence that lapsed before the session refuses too, with the date named.
    ProviderLicence.objects.create(
        staff=contractor.staff, state="CA", number="CA 1", expires=date(2025, 9, 1)
    )
    with pytest.raises(ValidationError) as refused:
        _log(contractor, [Attendee(world.maya, speech, AttendanceCode.DELIVERED)])
    assert _field(refused.value) == "day"
    ProviderLicence.objects.create(
        staff=contractor.staff, state="CA", number="CA 2", expires=date(2027, 9, 1)
    )
    session = _log(
        contractor,
        [Attendee(world.maya, speech, AttendanceCode.TECH_FAILURE)],
        modality=Modality.TELETHERAPY,
        platform="Zoom",
        minutes_lost=12,
    )
    assert session.signed_licence == "CA CA 2"
    assert session.attendance.get().minutes == 18  # 30 less the 12 lost


def test_an_addendum_corrects_a_signed_log_with_a_reason(world, slp, speech) -> None:  # type: ignore[no-untyped-def]
    session = _log(slp, [Attendee(world.maya, speech, AttendanceCode.DELIVERED)])
    with pytest.raises(ValidationError) as refused:
        actions.add_addendum(actor=slp, session=session, reason=" ", text="25 minutes")
    assert _field(refused.value) == "reason"
    actions.add_addendum(actor=slp, session=session, reason="Wrong minutes", text="25 minutes")
    assert session.addenda.count() == 1
    assert AuditEvent.objects.filter(action="service_session.addendum_added").count() == 1
