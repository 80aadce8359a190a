"""Supervision of assistants: the supervisor records it, and a page measures it per period
against the state's rule (tandem.rules.supervision), flagging assistants below it.

Abby (SLPA at North, Riverside: California) held three 30-minute sessions in the week of
2025-09-22 (90 minutes) and one more with the student absent (not counted); Sally supervised
her 10 minutes directly and 10 indirectly that week. California's first 90 days ask 20%, all of
it direct: 18 and 18 minutes, so she is 8 direct minutes short. Past the first 90 days (the
default's later phase: 20%, 10% direct) 18 and 9: met.
"""

from __future__ import annotations

import re
from datetime import date, time

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from tandem.accounts.models import AuditEvent
from tandem.audit.catalogue import Action
from tandem.core import clock
from tandem.services import actions_supervision
from tandem.services import queries_supervision as q
from tandem.services.models import (
    AttendanceCode,
    ProviderProfile,
    SupervisionLog,
    SupervisionVoid,
)
from tests.services.supervision_world import TODAY, log
from tests.services.supervision_world import slpa as slpa  # noqa: F401  (fixture)

PAGE = reverse("supervision")
RECORD = reverse("supervision_record")


@pytest.fixture
def week(world, slp, slpa, speech):  # type: ignore[no-untyped-def]
    sessions = [log(slpa, date(2025, 9, d), speech, world.maya) for d in (22, 23, 24)]
    log(slpa, date(2025, 9, 25), speech, world.maya, code=AttendanceCode.STUDENT_ABSENT)
    with clock.fixed(TODAY):
        for day, kind, observed in (
            (date(2025, 9, 23), "direct", [sessions[1]]),
            (date(2025, 9, 24), "indirect", []),
        ):
            actions_supervision.record_supervision(
                actor=slp,
                assistant=slpa.staff,
                day=day,
                minutes=10,
                kind=kind,
                observed=observed,
            )
    return sessions


def _row(html: str, period: str) -> dict[str, str]:
    row = re.search(rf'<tr data-period="{period}">(.*?)</tr>', html, re.S)
    assert row, period
    cells = re.findall(r'data-figure="(\w+)">(.*?)</td>', row.group(1), re.S)
    return {name: re.sub(r"<[^>]+>|\s+", " ", value).strip() for name, value in cells}


def _page(world, persona):  # type: ignore[no-untyped-def]
    with clock.fixed(TODAY):
        return world.client_for(persona).get(PAGE)


# --- the figures ---------------------------------------------------------------------------------


def test_the_week_against_californias_first_phase(world, week) -> None:  # type: ignore[no-untyped-def]
    response = _page(world, "slp")
    html = response.content.decode()
    assert response.status_code == 200
    figures = _row(html, "2025-09-22")
    assert (figures["service"], figures["direct"], figures["indirect"], figures["total"]) == (
        "90",
        "10",
        "10",
        "20",
    )
    assert figures["required"] == "18, 18"
    assert "Below the rule" in figures["status"] and "8 direct minutes short" in figures["status"]
    assert 'data-below="true"' in html and 'data-rule="CA-slpa"' in html
    assert "Not on file: the rule" in html  # the start of supervision is unknown
    # The week in progress is shown, never flagged.
    assert _row(html, "2025-09-29")["status"] == "In progress"


def test_past_the_first_phase_the_week_is_met(world, slpa, week) -> None:  # type: ignore[no-untyped-def]
    ProviderProfile.objects.filter(staff=slpa.staff).update(supervised_since=date(2024, 1, 8))
    html = _page(world, "slp").content.decode()
    figures = _row(html, "2025-09-22")
    assert (figures["required"], figures["status"]) == ("18, 9", "Met")
    assert 'data-below="false"' in html
    assert "The default rule" in html  # California's later phase is not on file


def test_the_figures_read_a_fixed_number_of_queries(
    world, slp, slpa, speech, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    for d in (15, 16, 17, 18, 19, 22, 23, 24, 25, 26):
        log(slpa, date(2025, 9, d), speech, world.maya, start=time(9, 0))
    with clock.fixed(TODAY):
        profiles = q.assistants_in_view(slp, today=TODAY)
        with django_assert_max_num_queries(6):
            (row,) = q.supervision_figures(profiles, today=TODAY)
    assert row.periods[1][0].service_minutes == 150


def test_the_page_is_audited(world, week) -> None:  # type: ignore[no-untyped-def]
    _page(world, "slp")
    (event,) = AuditEvent.objects.filter(action=Action.SUPERVISION__VIEWED)
    # The students the assistants served are named: their logs find the page.
    assert "students_listed" in event.detail


@pytest.mark.parametrize(
    ("persona", "sees"),
    [
        ("slp", True),  # the supervisor
        ("slpa", True),  # the assistant herself
        ("director", True),  # Riverside's leader: the assistant serves Riverside
        ("oak_director", False),  # another district: an empty page
        ("case_manager", False),  # no assistant of hers
    ],
)
def test_who_sees_the_assistant(world, week, persona, sees) -> None:  # type: ignore[no-untyped-def]
    response = _page(world, persona)
    assert response.status_code == 200
    assert ("Abby" in response.content.decode()) is sees


def test_a_family_gets_404(world, week) -> None:  # type: ignore[no-untyped-def]
    assert _page(world, "parent").status_code == 404


# --- recording supervision -----------------------------------------------------------------------


def _post(world, persona, data):  # type: ignore[no-untyped-def]
    with clock.fixed(TODAY):
        return world.client_for(persona).post(RECORD, data)


def _form(slpa, **over):  # type: ignore[no-untyped-def]
    return {
        "assistant": str(slpa.staff.public_id),
        "day": "2025-09-30",
        "minutes": "20",
        "kind": "direct",
        "note": "Observed a drill; modelled cueing.",
    } | over


def test_the_supervisor_records_supervision_with_a_session_observed(
    world, slp, slpa, speech
) -> None:  # type: ignore[no-untyped-def]
    session = log(slpa, date(2025, 9, 30), speech, world.maya)
    with clock.fixed(TODAY):
        form = world.client_for("slp").get(RECORD).content.decode()
    assert str(session.public_id) in form and "Maya" not in form  # sessions, never names
    response = _post(world, "slp", _form(slpa, observed=[str(session.public_id)]))
    assert response.status_code == 302
    entry = SupervisionLog.objects.get()
    assert (entry.supervisor, entry.assistant, entry.minutes, entry.kind) == (
        slp.staff,
        slpa.staff,
        20,
        "direct",
    )
    assert list(entry.observed.all()) == [session]
    event = AuditEvent.objects.get(action=Action.SUPERVISION__RECORDED)
    assert event.actor == slp and event.detail["observed"] == [str(session.public_id)]


@pytest.mark.parametrize(
    ("over", "field", "message"),
    [
        ({"day": "2025-10-02"}, "day", "The date of the supervision is in the future."),
        ({"minutes": "0"}, "minutes", ""),
        ({"kind": ""}, "kind", "Choose direct or indirect supervision."),
        ({"assistant": ""}, "assistant", "Choose the assistant you supervised."),
    ],
)
def test_bad_input_names_the_field_and_saves_nothing(
    world, slp, slpa, over, field, message
) -> None:  # type: ignore[no-untyped-def]
    response = _post(world, "slp", _form(slpa, **over))
    html = response.content.decode()
    assert response.status_code == 400
    assert f'href="#id_{field}"' in html and message in html
    assert not SupervisionLog.objects.exists()


def test_an_observed_session_of_another_day_is_refused(world, slp, slpa, speech) -> None:  # type: ignore[no-untyped-def]
    session = log(slpa, date(2025, 9, 29), speech, world.maya)
    response = _post(world, "slp", _form(slpa, observed=[str(session.public_id)]))
    assert response.status_code == 400
    assert "session on that date" in response.content.decode()
    assert not SupervisionLog.objects.exists()


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("director", 403),  # sees the figures, supervises nobody: may not record
        ("slpa", 403),  # the assistant cannot record her own supervision
        ("oak_director", 404),  # nothing of Riverside's assistants
        ("case_manager", 404),
        ("parent", 404),
    ],
)
def test_only_a_supervisor_records(world, slp, slpa, persona, status) -> None:  # type: ignore[no-untyped-def]
    response = _post(world, persona, _form(slpa))
    assert response.status_code == status
    assert not SupervisionLog.objects.exists()
    assert not AuditEvent.objects.filter(action=Action.SUPERVISION__RECORDED).exists()
    with clock.fixed(TODAY):
        assert world.client_for(persona).get(RECORD).status_code == status


def test_a_supervisor_cannot_record_for_someone_elses_assistant(world, slp, slpa) -> None:  # type: ignore[no-untyped-def]
    from tandem.people.models import Role
    from tests.factories import make_staff

    other = make_staff("slp2@r.test", [(Role.PROVIDER, world.riverside, None)], first="Otto")
    ProviderProfile.objects.create(staff=other, discipline="slp")
    helper = make_staff("slpa2@r.test", [(Role.PROVIDER, world.riverside, None)], first="Hal")
    ProviderProfile.objects.create(staff=helper, discipline="slpa", supervisor=other)
    response = _post(world, "slp", _form(slpa, assistant=str(helper.public_id)))
    assert response.status_code == 400  # not one of hers: not offered
    with clock.fixed(TODAY), pytest.raises(PermissionDenied):
        actions_supervision.record_supervision(
            actor=slp, assistant=helper, day=TODAY, minutes=10, kind="direct"
        )
    assert not SupervisionLog.objects.exists()


# --- setting an entry aside ----------------------------------------------------------------------


def _void_url(entry: SupervisionLog) -> str:
    return reverse("supervision_void", args=[entry.public_id])


def test_the_supervisor_sets_an_entry_aside_and_it_no_longer_counts(world, week) -> None:  # type: ignore[no-untyped-def]
    direct = SupervisionLog.objects.get(kind="direct")
    assert _void_url(direct) in _page(world, "slp").content.decode()  # offered on her own entry
    with clock.fixed(TODAY):
        page = world.client_for("slp").get(_void_url(direct))
        assert page.status_code == 200
        response = world.client_for("slp").post(
            _void_url(direct), {"reason": "Recorded for the wrong week."}
        )
    assert response.status_code == 302
    html = _page(world, "slp").content.decode()
    figures = _row(html, "2025-09-22")
    assert (figures["direct"], figures["indirect"], figures["total"]) == ("0", "10", "10")
    assert "Set aside: Recorded for the wrong week." in html  # still on file, marked
    assert SupervisionLog.objects.count() == 2
    event = AuditEvent.objects.get(action=Action.SUPERVISION__VOIDED)
    assert event.actor == world.users["slp"] and event.detail["minutes"] == 10
    # Set aside once: the page for it is gone, and the action refuses a second time.
    with clock.fixed(TODAY):
        assert world.client_for("slp").get(_void_url(direct)).status_code == 404
        with pytest.raises(ValidationError):
            actions_supervision.void_supervision(actor=world.users["slp"], log=direct, reason="x")


def test_a_void_needs_a_reason_and_changes_nothing_without_one(world, week) -> None:  # type: ignore[no-untyped-def]
    direct = SupervisionLog.objects.get(kind="direct")
    with clock.fixed(TODAY):
        response = world.client_for("slp").post(_void_url(direct), {"reason": "  "})
    assert response.status_code == 400
    assert 'href="#id_reason"' in response.content.decode()
    assert "Say why the entry is set aside." in response.content.decode()
    assert not SupervisionVoid.objects.exists()
    assert not AuditEvent.objects.filter(action=Action.SUPERVISION__VOIDED).exists()


@pytest.mark.parametrize(
    "persona", ["slpa", "director", "oak_director", "case_manager", "parent", "stranger"]
)
def test_only_the_supervisor_who_recorded_it_may_set_it_aside(world, week, persona) -> None:  # type: ignore[no-untyped-def]
    direct = SupervisionLog.objects.get(kind="direct")
    with clock.fixed(TODAY):
        client = world.client_for(persona)
        assert client.get(_void_url(direct)).status_code == 404
        assert client.post(_void_url(direct), {"reason": "No."}).status_code == 404
    assert not SupervisionVoid.objects.exists()
    with clock.fixed(TODAY), pytest.raises(PermissionDenied):
        actions_supervision.void_supervision(
            actor=world.users["director"], log=direct, reason="No."
        )


# --- each student's direct supervision (SUP-1) ---------------------------------------------------


def test_each_student_of_an_slpa_shows_their_last_direct_supervision(world, week) -> None:  # type: ignore[no-untyped-def]
    html = _page(world, "slp").content.decode()
    table = re.search(r"<table[^>]*data-students>(.*?)</table>", html, re.S)
    assert table, "the students' table"
    text = re.sub(r"<[^>]+>|\s+", " ", table.group(1))
    assert "Maya Lopez" in text
    assert "Sept. 22, 2025" in text and "Sept. 23, 2025" in text  # first session, observed
    assert "Nov. 22, 2025" in text and "Overdue" not in text  # 60 days after the observation


def test_a_student_never_observed_directly_is_overdue_after_60_days(world, slp, week) -> None:  # type: ignore[no-untyped-def]
    direct = SupervisionLog.objects.get(kind="direct")
    with clock.fixed(TODAY):
        actions_supervision.void_supervision(actor=slp, log=direct, reason="Wrong assistant.")
        profiles = q.assistants_in_view(slp, today=TODAY)
    later = date(2025, 11, 22)
    (entry,) = q.students_supervised(profiles, slp, today=later)[profiles[0].staff_id]
    assert entry.student == world.maya and entry.last_observed is None
    assert (entry.first_session, entry.due, entry.overdue) == (
        date(2025, 9, 22),
        date(2025, 11, 21),
        True,
    )
    # Served no more in the last 60 days: no longer listed.
    assert q.students_supervised(profiles, slp, today=date(2025, 12, 1)) == {}


def test_the_students_table_reads_a_fixed_number_of_queries(
    world, slp, slpa, week, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    with clock.fixed(TODAY):
        profiles = q.assistants_in_view(slp, today=TODAY)
        with django_assert_max_num_queries(4):
            found = q.students_supervised(profiles, slp, today=TODAY)
    assert len(found[slpa.staff.pk]) == 1
