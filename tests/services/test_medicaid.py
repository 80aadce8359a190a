"""The Medicaid export's rules: units and codes by state profile, consent as it stood, reasons.

SERVICES.md section 4 is the source; the Texas case is its worked SHARS example.
"""

from __future__ import annotations

from datetime import date, time

import pytest
from django.core.exceptions import ValidationError

from tandem.people.models import CaseloadAssignment, Role, TeamMembership, TeamRole
from tandem.services import medicaid
from tandem.services import medicaid_profiles as profiles
from tandem.services.models import (
    AttendanceCode,
    MedicaidConsent,
    MedicaidEntryKind,
    Modality,
    ServiceSession,
    StudentLocation,
)
from tests.conftest import START
from tests.factories import make_staff
from tests.progress.conftest import active_iep
from tests.services.medicaid_world import billing_slp, consent, log

# --- units and codes -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("minutes", "units"),
    [(0, 0), (7, 0), (8, 1), (22, 1), (23, 2), (37, 2), (38, 3), (52, 3), (68, 5)],
)
def test_fifteen_minute_units_by_the_eight_minute_rule(minutes, units) -> None:  # type: ignore[no-untyped-def]
    assert profiles.timed_units(minutes) == units


@pytest.mark.parametrize(
    ("minutes", "code"),
    [(15, None), (16, "90832"), (37, "90832"), (38, "90834"), (52, "90834"), (53, "90837")],
)
def test_psychotherapy_codes_by_duration(minutes, code) -> None:  # type: ignore[no-untyped-def]
    assert profiles.psychotherapy_code(minutes) == code


def test_timed_units_add_up_over_the_day() -> None:
    timed = profiles.Procedure("97530", "timed")
    first = profiles.bill(timed, 10, 0, profiles.FEDERAL)
    second = profiles.bill(timed, 10, 10, profiles.FEDERAL)
    assert (first.units, second.units) == (1, 0)  # 20 minutes in the day: one unit in all


def test_profiles_by_state() -> None:
    assert profiles.profile_for("TX") is profiles.TEXAS
    assert profiles.profile_for("CA") is profiles.FEDERAL
    assert profiles.FEDERAL.procedures[("slp", False)] == profiles.Procedure("92507", "session")
    assert profiles.TEXAS.procedures[("slp", False)] == profiles.Procedure("92507", "timed")


# --- consent as it stood on a day ----------------------------------------------------------------


def _entry(kind, on, medicaid_id="", pk=0):  # type: ignore[no-untyped-def]
    return MedicaidConsent(kind=kind, on=on, medicaid_id=medicaid_id, pk=pk)


def test_consent_withdrawal_and_new_consent_by_date() -> None:
    entries = [
        _entry(MedicaidEntryKind.CONSENT, date(2025, 9, 1), "AB12", pk=1),
        _entry(MedicaidEntryKind.NOTICE, date(2025, 9, 1), pk=2),
        _entry(MedicaidEntryKind.WITHDRAWAL, date(2025, 10, 1), pk=3),
        _entry(MedicaidEntryKind.CONSENT, date(2025, 11, 1), pk=4),
        _entry(MedicaidEntryKind.MEDICAID_ID, date(2025, 12, 1), "CD34", pk=5),
    ]
    before = medicaid.status_on(entries, date(2025, 8, 31))
    assert before.consent_on is None and before.withdrawn_on is None
    assert before.medicaid_id == "CD34"  # the student's latest ID, whenever recorded
    given = medicaid.status_on(entries, date(2025, 9, 30))
    assert given.consent_on == date(2025, 9, 1) and given.notice_on == date(2025, 9, 1)
    withdrawn = medicaid.status_on(entries, date(2025, 10, 15))
    assert withdrawn.consent_on is None and withdrawn.withdrawn_on == date(2025, 10, 1)
    again = medicaid.status_on(entries, date(2025, 11, 2))
    assert again.consent_on == date(2025, 11, 1) and again.withdrawn_on is None
    assert medicaid.notice_current_on(again, date(2026, 8, 31))
    assert not medicaid.notice_current_on(again, date(2026, 9, 1))  # a year on: a new notice due


# --- the lines -----------------------------------------------------------------------------------

RANGE = (date(2025, 9, 1), date(2025, 9, 30))


def _lines(world, district=None):  # type: ignore[no-untyped-def]
    return list(medicaid.lines(district or world.riverside, *RANGE))


def test_a_signed_session_with_everything_on_file_is_billable(world, slp, speech) -> None:  # type: ignore[no-untyped-def]
    billing_slp(slp)
    consent(world.maya, world.users["case_manager"])
    log(slp, date(2025, 9, 15), speech, world.maya)
    log(slp, date(2025, 9, 17), speech, world.maya, modality=Modality.TELETHERAPY, platform="Zoom")
    first, tele = _lines(world)
    assert first.billable and tele.billable, (first.reasons, tele.reasons)
    assert (first.code, first.units, first.modifiers, first.place) == ("92507", 1, ["GN"], "03")
    assert (tele.modifiers, tele.place) == (["GN", "95"], "02")  # telehealth by video
    assert first.status.medicaid_id == "MC12345678"
    assert first.licence.number == "SLP1234" and first.provider.npi.startswith("123456789")
    assert (first.start, first.end) == (time(9, 0), time(9, 30))


def test_teletherapy_with_the_student_at_home_is_place_of_service_10(world, slp, speech) -> None:  # type: ignore[no-untyped-def]
    billing_slp(slp)
    consent(world.maya, world.users["case_manager"])
    log(slp, date(2025, 9, 15), speech, world.maya, modality=Modality.TELETHERAPY,
        platform="Zoom", student_location=StudentLocation.HOME)  # fmt: skip
    # In person, "at home" is not kept: Tandem bills in person as school (03).
    log(slp, date(2025, 9, 17), speech, world.maya, student_location=StudentLocation.HOME)
    home, in_person = _lines(world)
    assert (home.modifiers, home.place) == (["GN", "95"], "10")
    assert in_person.place == "03"
    assert in_person.row.session.student_location == StudentLocation.SCHOOL


def test_an_unknown_student_location_is_refused_naming_the_field(world, slp, speech) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as refused:
        log(slp, date(2025, 9, 15), speech, world.maya, modality=Modality.TELETHERAPY,
            student_location="car")  # fmt: skip
    assert "student_location" in refused.value.message_dict
    assert not ServiceSession.objects.exists()


def test_each_reason_a_session_cannot_be_billed(world, slp, speech) -> None:  # type: ignore[no-untyped-def]
    # No profile (no NPI), no licence, no consent, no Medicaid ID; an absence; an unsigned log.
    log(slp, date(2025, 9, 15), speech, world.maya)
    log(slp, date(2025, 9, 17), speech, world.maya, code=AttendanceCode.STUDENT_ABSENT)
    log(slp, date(2025, 9, 19), speech, world.maya, sign=False)
    held, absent, unsigned = _lines(world)
    assert held.reasons == [
        medicaid.NO_CONSENT,
        medicaid.NO_MEDICAID_ID,
        medicaid.NO_NPI,
        medicaid.NO_LICENCE,
    ]
    assert medicaid.NOT_HELD in absent.reasons
    assert medicaid.UNSIGNED in unsigned.reasons
    assert "No Medicaid ID" in medicaid.reason_words(held)


def test_a_withdrawal_stops_billing_from_its_date(world, slp, speech) -> None:  # type: ignore[no-untyped-def]
    billing_slp(slp)
    consent(world.maya, world.users["case_manager"])
    MedicaidConsent.objects.create(
        student=world.maya, kind=MedicaidEntryKind.WITHDRAWAL, on=date(2025, 9, 16)
    )
    log(slp, date(2025, 9, 15), speech, world.maya)
    log(slp, date(2025, 9, 17), speech, world.maya)
    before, after = _lines(world)
    assert before.billable
    assert after.reasons == [medicaid.WITHDRAWN]


def test_a_lapsed_licence_and_an_assistant_without_a_supervisor(world, slp, speech) -> None:  # type: ignore[no-untyped-def]
    billing_slp(slp)
    consent(world.maya, world.users["case_manager"])
    log(slp, date(2025, 9, 15), speech, world.maya)
    licence = slp.staff.licences.get()
    licence.expires = date(2025, 9, 14)  # lapsed the day before (the log was accepted earlier)
    licence.save()
    profile = slp.staff.provider_profile
    profile.discipline = "slpa"
    profile.save()
    (line,) = _lines(world)
    assert line.reasons == [medicaid.LAPSED_LICENCE, medicaid.NO_SUPERVISOR]


def test_an_assistant_bills_with_the_supervisor_named(world, slp, speech) -> None:  # type: ignore[no-untyped-def]
    from tandem.services.models import ProviderProfile, SessionCoSignature

    billing_slp(slp)
    consent(world.maya, world.users["case_manager"])
    boss = make_staff("boss@r.test", [(Role.PROVIDER, world.riverside, None)], first="Bea")
    ProviderProfile.objects.create(staff=boss, discipline="slp", npi="1245319599")
    profile = slp.staff.provider_profile
    profile.discipline, profile.supervisor = "slpa", boss
    profile.save()
    session = log(slp, date(2025, 9, 15), speech, world.maya)
    (line,) = _lines(world)
    assert line.reasons == [medicaid.NOT_COSIGNED]  # an assistant's log needs the co-signature
    SessionCoSignature.objects.create(
        session=session, supervisor=boss, signed_at=session.signed_at, licence="CA SP 1"
    )
    (line,) = _lines(world)
    assert line.billable and line.supervisor.npi == "1245319599"


def test_another_districts_sessions_never_appear(world, slp, speech) -> None:  # type: ignore[no-untyped-def]
    log(slp, date(2025, 9, 15), speech, world.maya)
    assert _lines(world, world.oak_valley) == []
    assert len(_lines(world)) == 1


def test_texas_shars_worked_example(world) -> None:  # type: ignore[no-untyped-def]
    """SERVICES.md section 4: a licensed SLP, 9:02-9:29 individual (27 min) and 13:10-13:30
    group (20 min) for one student: 92507 x 2 units and 92508 x 1 unit, with TM for the IEP."""
    oak = world.oak_valley
    cm = make_staff("cm@o.test", [(Role.CASE_MANAGER, oak, world.prairie)], first="Cy")
    slp = make_staff("slp@o.test", [(Role.PROVIDER, oak, None)], first="Sol").user
    services = {}
    for student in (world.sam, world.tess):
        CaseloadAssignment.objects.create(staff=cm, student=student, start_date=START)
        TeamMembership.objects.create(
            staff=slp.staff, student=student, role=TeamRole.SPEECH_LANGUAGE, start_date=START
        )
        saved = world.users["case_manager"]
        world.users["case_manager"] = cm.user
        try:
            plan = active_iep(world, student=student)
        finally:
            world.users["case_manager"] = saved
        services[student] = plan.services.get(name="Speech-language therapy")
        consent(student, cm.user, medicaid_id=f"TX{student.pk}")
    billing_slp(slp, state="TX")
    sam, tess = world.sam, world.tess
    day = date(2025, 9, 16)
    log(slp, day, services[sam], sam, start=time(9, 2), minutes=27)
    log(
        slp,
        day,
        services[sam],
        sam,
        start=time(13, 10),
        minutes=20,
        others=[(tess, services[tess])],
    )
    lines = [line for line in _lines(world, oak) if line.student == sam]
    assert [(line.code, line.units, line.modifiers) for line in lines] == [
        ("92507", 2, ["GN", "TM"]),
        ("92508", 1, ["GN", "TM"]),
    ]
    assert lines[1].group_size == 2


def test_the_export_reads_a_fixed_number_of_queries(
    world, slp, speech, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    billing_slp(slp)
    consent(world.maya, world.users["case_manager"])
    log(slp, date(2025, 9, 15), speech, world.maya)
    with django_assert_max_num_queries(8) as few:
        assert len(_lines(world)) == 1
    for n, day in enumerate((16, 17, 18, 19, 22, 23, 24, 25, 26, 29)):
        log(slp, date(2025, 9, day), speech, world.maya, start=time(8 + n % 3, 0))
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(_lines(world)) == 11


def test_a_late_log_is_held_until_a_correction_gives_the_reason(world, slp, speech) -> None:  # type: ignore[no-untyped-def]
    """NOTE-2 (Texas SHARS): flag late notes and hold billing until a reason is given."""
    from django.urls import reverse

    from tandem.core import clock
    from tandem.services import actions

    billing_slp(slp)
    consent(world.maya, world.users["case_manager"])
    on_time = log(slp, date(2025, 9, 15), speech, world.maya, logged_on=date(2025, 9, 22))
    late = log(slp, date(2025, 9, 17), speech, world.maya, logged_on=date(2025, 9, 25))
    assert (on_time.late, late.late) == (False, True)  # 7 days is on time, 8 is late
    first, second = _lines(world)
    assert first.billable
    assert second.reasons == [medicaid.LATE]
    assert "no reason given" in medicaid.reason_words(second)
    page = reverse("student_services", args=[world.maya.public_id])
    with clock.fixed(date(2025, 10, 1)):
        html = world.client_for("case_manager").get(page).content.decode()
        assert html.count("data-late-hold") == 1
        actions.add_addendum(
            actor=slp,
            session=late,
            reason="Entered late",
            text="The log was written on paper on the day; entered on return from leave.",
        )
        assert "data-late-hold" not in world.client_for("case_manager").get(page).content.decode()
    assert all(line.billable for line in _lines(world))
