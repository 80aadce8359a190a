"""The compensatory ledger and makeup sessions that name the miss they make up.

Maya's speech (tests/progress): 30 minutes 2 times a week from Wednesday 2025-09-10; no school
calendar in the test world, so every weekday is a school day. The SLP was out on Monday
2025-09-22 (PROVIDER_ABSENT: 30 minutes owed); the makeup window is 5 school days, so it is due
by Monday 2025-09-29 and overdue on TODAY (Wednesday 2025-10-01) until it is made up.
"""

from __future__ import annotations

import re
import uuid
from datetime import date, time

import pytest
from django.core.exceptions import ValidationError

from tandem.accounts.models import AuditEvent
from tandem.core import clock
from tandem.services import actions, compensatory
from tandem.services.actions import Attendee
from tandem.services.models import AttendanceCode, ServiceSession, SessionAttendance
from tests.services.test_views import LOG, TODAY, _figures, _log, _url
from tests.services.test_views import leo_speech as leo_speech  # noqa: F401  (fixture)
from tests.services.test_views import logged as logged  # noqa: F401  (fixture)

MISSED_ON = date(2025, 9, 22)


def _missed(world) -> SessionAttendance:  # type: ignore[no-untyped-def]
    return SessionAttendance.objects.get(student=world.maya, session__day=MISSED_ON)


def _makeup(world, slp, speech, missed, day=date(2025, 9, 30), code=AttendanceCode.MAKEUP):  # type: ignore[no-untyped-def]
    with clock.fixed(TODAY):
        return actions.log_session(
            actor=slp,
            day=day,
            start_time=time(13, 0),
            minutes=30,
            attendees=[Attendee(world.maya, speech, code, makes_up=missed)],
        )


def _ledger_row(html: str) -> dict[str, str]:
    row = re.search(r'<tr data-entry="2025-09-22">(.*?)</tr>', html, re.S)
    assert row
    cells = re.findall(r'data-figure="(\w+)">(.*?)</td>', row.group(1), re.S)
    return {name: " ".join(re.sub(r"<[^>]+>", " ", value).split()) for name, value in cells}


def test_a_provider_caused_miss_is_owed_with_a_due_date(world, logged) -> None:  # type: ignore[no-untyped-def]
    ledger = compensatory.ledger_for_student(world.maya, today=TODAY)
    (entry,) = ledger.entries  # the student's own absences would not be here
    assert entry.missed.session.day == MISSED_ON
    assert (entry.owed, entry.made_up, entry.balance) == (30, 0, 30)
    assert entry.due == date(2025, 9, 29)  # 5 school days after the miss
    assert entry.overdue
    assert (ledger.owed, ledger.balance, ledger.overdue) == (30, 30, 30)


def test_student_absences_are_not_owed(world, slp, speech) -> None:  # type: ignore[no-untyped-def]
    _log(slp, date(2025, 9, 15), AttendanceCode.STUDENT_ABSENT, speech, world.maya)
    _log(slp, date(2025, 9, 17), AttendanceCode.STUDENT_REFUSED, speech, world.maya)
    assert compensatory.ledger_for_student(world.maya, today=TODAY).entries == []


def test_the_district_sets_the_makeup_window(world, logged) -> None:  # type: ignore[no-untyped-def]
    world.riverside.settings = {"services": {"makeup_window_school_days": 10}}
    world.riverside.save()
    world.maya.refresh_from_db()
    (entry,) = compensatory.ledger_for_student(world.maya, today=TODAY).entries
    assert entry.due == date(2025, 10, 6)
    assert not entry.overdue


def test_a_makeup_pays_the_miss_down_and_counts_toward_its_week(world, slp, speech, logged) -> None:  # type: ignore[no-untyped-def]
    session = _makeup(world, slp, speech, _missed(world))
    row = session.attendance.get()
    assert (row.code, row.minutes, row.makes_up) == (AttendanceCode.MAKEUP, 30, _missed(world))
    (entry,) = compensatory.ledger_for_student(world.maya, today=TODAY).entries
    assert (entry.made_up, entry.balance, entry.overdue) == (30, 0, False)
    assert entry.makeups == [row]
    with clock.fixed(TODAY):
        html = world.client_for("case_manager").get(_url(world.maya)).content.decode()
    four = _figures(html, "four_weeks")  # the makeup counts toward the week of 2025-09-22
    assert (four["made_up"], four["owed"]) == ("30", "0")
    ledger = _ledger_row(html)
    assert (ledger["owed"], ledger["balance"]) == ("30", "0")
    assert "Sept. 30, 2025 (30 minutes)" in ledger["made_up_by"]
    audit = AuditEvent.objects.filter(
        action="service_session.logged", object_id=str(session.public_id)
    )
    assert audit.get().detail["makes_up"] == str(_missed(world).session.public_id)


def test_the_services_page_shows_the_ledger(world, logged) -> None:  # type: ignore[no-untyped-def]
    with clock.fixed(TODAY):
        response = world.client_for("case_manager").get(_url(world.maya))
    html = response.content.decode()
    row = _ledger_row(html)
    assert (row["owed"], row["made_up_by"], row["balance"]) == ("30", "—", "30")
    assert row["due"] == "Sept. 29, 2025 Overdue"
    assert 'data-total="balance"><strong>30</strong>' in html


@pytest.mark.parametrize("persona", ["case_manager", "slp", "director", "principal", "teacher"])
def test_staff_in_reach_see_the_ledger(world, logged, persona) -> None:  # type: ignore[no-untyped-def]
    with clock.fixed(TODAY):
        response = world.client_for(persona).get(_url(world.maya))
    assert response.status_code == 200
    assert "data-ledger" in response.content.decode()


def test_outsiders_do_not_see_the_ledger(world, logged) -> None:  # type: ignore[no-untyped-def]
    for persona in ("stranger", "oak_director"):
        assert world.client_for(persona).get(_url(world.maya)).status_code == 404


# --- refusals --------------------------------------------------------------------------------


def _refused(call) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    before = ServiceSession.objects.count()
    with pytest.raises(ValidationError) as refused:
        call()
    assert ServiceSession.objects.count() == before  # nothing saved
    return refused.value.message_dict


def test_a_makeup_must_name_the_miss(world, slp, speech, logged) -> None:  # type: ignore[no-untyped-def]
    errors = _refused(lambda: _makeup(world, slp, speech, None))
    assert errors == {"makeup": ["Choose the missed session this makes up for Maya."]}


def test_a_makeup_of_another_students_miss_is_refused(
    world, slp, speech, leo_speech, logged
) -> None:  # type: ignore[no-untyped-def]
    leo_session = _log(
        slp, MISSED_ON, AttendanceCode.PROVIDER_ABSENT, leo_speech, world.leo, time(11)
    )
    leo_missed = leo_session.attendance.get()
    errors = _refused(lambda: _makeup(world, slp, speech, leo_missed))
    assert errors == {"makeup": ["That missed session is not Maya's."]}


def test_a_makeup_of_another_service_is_refused(world, slp, speech, logged) -> None:  # type: ignore[no-untyped-def]
    foreign = SessionAttendance.objects.create(
        session=ServiceSession.objects.create(
            provider=slp.staff, day=date(2025, 9, 23), start_time=time(14), minutes=30
        ),
        student=world.maya,
        service=speech,
        lineage=uuid.uuid4(),  # another service line
        code=AttendanceCode.PROVIDER_ABSENT,
    )
    errors = _refused(lambda: _makeup(world, slp, speech, foreign))
    assert errors == {"makeup": ["That missed session was for another service of Maya."]}


def test_a_makeup_of_an_absence_or_a_delivered_session_is_refused(
    world, slp, speech, logged
) -> None:  # type: ignore[no-untyped-def]
    delivered = SessionAttendance.objects.get(student=world.maya, session__day=date(2025, 9, 24))
    errors = _refused(lambda: _makeup(world, slp, speech, delivered))
    assert errors == {"makeup": ["That session was not missed for a reason that is owed back."]}


def test_a_makeup_before_the_miss_is_refused(world, slp, speech, logged) -> None:  # type: ignore[no-untyped-def]
    errors = _refused(lambda: _makeup(world, slp, speech, _missed(world), day=date(2025, 9, 19)))
    assert errors == {"makeup": ["A makeup comes after the session it makes up."]}


def test_a_miss_made_up_in_full_takes_no_second_makeup(world, slp, speech, logged) -> None:  # type: ignore[no-untyped-def]
    _makeup(world, slp, speech, _missed(world))
    errors = _refused(lambda: _makeup(world, slp, speech, _missed(world), day=date(2025, 9, 26)))
    assert errors == {"makeup": ["That missed session is already made up in full."]}


def test_a_makeup_link_with_another_code_is_refused(world, slp, speech, logged) -> None:  # type: ignore[no-untyped-def]
    errors = _refused(
        lambda: _makeup(world, slp, speech, _missed(world), code=AttendanceCode.STUDENT_ABSENT)
    )
    assert errors == {"makeup": ["A makeup for Maya is logged as Makeup."]}


# --- the log page ----------------------------------------------------------------------------


def _post(world, persona, speech, **fields):  # type: ignore[no-untyped-def]
    data = {
        "day": "2025-09-30",
        "start_time": "13:00",
        "minutes": "30",
        "modality": "in_person",
        "students": [str(speech.public_id)],
        f"code_{speech.public_id}": AttendanceCode.DELIVERED,
    }
    data.update(fields)
    with clock.fixed(TODAY):
        return world.client_for(persona).post(LOG, data)


def test_the_log_page_offers_the_students_owed_misses(world, slp, speech, logged) -> None:  # type: ignore[no-untyped-def]
    with clock.fixed(TODAY):
        html = world.client_for("slp").get(LOG).content.decode()
    missed = _missed(world).session.public_id
    assert f'name="makeup_{speech.public_id}"' in html
    assert f'value="{missed}">2025-09-22, Provider absent: 30 of 30 minutes still owed' in html


def test_the_provider_logs_a_makeup_from_the_log_page(world, slp, speech, logged) -> None:  # type: ignore[no-untyped-def]
    missed = _missed(world)
    response = _post(
        world, "slp", speech, **{f"makeup_{speech.public_id}": str(missed.session.public_id)}
    )
    assert response.status_code == 302
    row = SessionAttendance.objects.get(session__day=date(2025, 9, 30))
    assert (row.code, row.makes_up) == (AttendanceCode.MAKEUP, missed)  # Delivered -> Makeup
    with clock.fixed(TODAY):
        html = world.client_for("slp").get(LOG).content.decode()
    assert f'name="makeup_{speech.public_id}"' not in html  # nothing left to make up


def test_a_makeup_not_offered_is_refused_naming_the_field(world, slp, speech, logged) -> None:  # type: ignore[no-untyped-def]
    delivered = ServiceSession.objects.get(day=date(2025, 9, 24))
    response = _post(
        world, "slp", speech, **{f"makeup_{speech.public_id}": str(delivered.public_id)}
    )
    assert response.status_code == 400
    assert "Makes up for Maya Lopez</a>: Select a valid choice." in response.content.decode()
    assert not ServiceSession.objects.filter(day=date(2025, 9, 30)).exists()


def test_makeup_code_without_a_miss_is_refused_on_the_page(world, slp, speech, logged) -> None:  # type: ignore[no-untyped-def]
    response = _post(world, "slp", speech, **{f"code_{speech.public_id}": AttendanceCode.MAKEUP})
    assert response.status_code == 400
    html = response.content.decode()
    assert "Makes up for Maya Lopez</a>: Choose the missed session this makes up for Maya." in html
    assert not ServiceSession.objects.filter(day=date(2025, 9, 30)).exists()


def test_a_read_only_teacher_cannot_log_a_makeup(world, slp, speech, logged) -> None:  # type: ignore[no-untyped-def]
    missed = _missed(world)
    response = _post(
        world, "teacher", speech, **{f"makeup_{speech.public_id}": str(missed.session.public_id)}
    )
    assert response.status_code == 403
    assert not SessionAttendance.objects.filter(makes_up__isnull=False).exists()


def test_a_parent_cannot_log_a_makeup(world, slp, speech, logged) -> None:  # type: ignore[no-untyped-def]
    missed = _missed(world)
    response = _post(
        world, "parent", speech, **{f"makeup_{speech.public_id}": str(missed.session.public_id)}
    )
    assert response.status_code == 404
    assert not SessionAttendance.objects.filter(makes_up__isnull=False).exists()


def test_settings_fall_back_to_the_defaults() -> None:
    assert compensatory.settings_for(None) == compensatory.ServiceSettings()
    bad = {"services": {"threshold_percent": "lots", "absence_count": -1, "absence_days": 14}}
    assert compensatory.settings_for(bad) == compensatory.ServiceSettings(absence_days=14)
