"""The director's page of service minutes and its CSV and XLSX downloads (tests/services/director_world.py)."""

from __future__ import annotations

import csv
import io
import re
from datetime import date, time, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from tandem.accounts.models import AuditEvent
from tandem.core import clock
from tandem.people.models import CalendarClosure, SchoolCalendar
from tandem.services import director
from tandem.services.director_export import _columns, record
from tandem.services.models import MinutesTally
from tests.services.director_world import TODAY, D, log, make_slp, mandates, more_students

PAGE = reverse("services_director")
CSV = reverse("services_director_csv")
XLSX = reverse("services_director_xlsx")


@pytest.fixture
def world_mandates(world):  # type: ignore[no-untyped-def]
    return mandates(world)


@pytest.fixture(autouse=True)
def _today():  # type: ignore[no-untyped-def]
    with clock.fixed(TODAY):
        yield


def _by_student(rows):  # type: ignore[no-untyped-def]
    return {r.student.first_name: r for r in rows}


# --- the numbers -------------------------------------------------------------------------------


def test_statuses_follow_the_last_four_weeks(world, world_mandates):
    rows = _by_student(director.mandate_rows(world.users["director"], today=TODAY))
    assert set(rows) == {"Maya", "Leo", "Ana"}
    maya, leo, ana = rows["Maya"], rows["Leo"], rows["Ana"]
    four = maya.four_weeks.totals
    assert (four.mandated, four.delivered, four.made_up, four.owed) == (156, 90, 0, 30)
    assert four.percent == 58
    assert (maya.status, maya.reason, maya.providers) == (
        "underserved",
        "below_threshold",
        ["Sally Lee"],
    )
    assert maya.year.totals.owed == 30  # this week's sessions are still to come: not owed
    assert (leo.status, leo.reason, leo.providers) == ("unserved", "no_provider", [])
    assert (ana.status, ana.four_weeks.totals.delivered, ana.four_weeks.totals.mandated) == (
        "served",
        156,
        156,
    )
    assert {r.discipline for r in rows.values()} == {"slp"}


def test_the_threshold_is_the_districts_setting(world, world_mandates):
    world.riverside.settings = {"services": {"threshold_percent": 50}}
    world.riverside.save()
    rows = _by_student(director.mandate_rows(world.users["director"], today=TODAY))
    assert rows["Maya"].status == "served"  # 58% >= 50%
    assert rows["Maya"].threshold == 50


def test_the_summaries_add_up(world, world_mandates):
    rows = director.mandate_rows(world.users["director"], today=TODAY)
    schools, total = director.groups(rows, "school")
    assert [
        (g.label, g.counts["served"], g.counts["underserved"], g.counts["unserved"])
        for g in schools
    ] == [
        ("North Elementary", 0, 1, 1),
        ("South Middle", 1, 0, 0),
    ]
    assert (total.mandates, total.mandated, total.delivered, total.owed) == (
        3,
        3 * 156,
        90 + 156,
        30,
    )
    providers, _total = director.groups(rows, "provider")
    assert [(g.label, g.mandates) for g in providers] == [
        ("Sally Lee", 2),
        ("No provider assigned", 1),
    ]
    needing = director.attention(rows)
    assert [r.student.first_name for r in needing] == ["Maya", "Leo"]  # the most owed first


def test_a_principal_sees_only_their_school(world, world_mandates):
    rows = director.mandate_rows(world.users["principal"], today=TODAY)
    assert {r.student.first_name for r in rows} == {"Maya", "Leo"}


def test_queries_do_not_grow_with_students_or_sessions(world, world_mandates):
    """Counting (the first visit) and reading the kept tallies (the next ones) alike."""
    user = world.users["director"]

    def count(*, kept: bool) -> int:
        if not kept:
            MinutesTally.objects.all().delete()
        client = world.client_for("director")
        with CaptureQueriesContext(connection) as captured:
            response = client.get(PAGE)
        assert response.status_code == 200
        return len(captured)

    few, few_kept = count(kept=False), count(kept=True)
    more_students(world, world.users["slp"], 9)  # 3 -> 12 students, more sessions
    assert len(director.mandate_rows(user, today=TODAY)) == 12
    assert (count(kept=False), count(kept=True)) == (few, few_kept)
    assert few_kept < few <= 24, (few_kept, few)


# --- the kept tallies (tandem/services/tallies.py) ---------------------------------------------


def _figures_of(rows):  # type: ignore[no-untyped-def]
    return {
        (r.student.first_name, r.service.name): (
            r.status,
            r.four_weeks.totals,
            r.year.totals,
            r.four_weeks.missed,
            r.year.missed,
        )
        for r in rows
    }


def test_kept_tallies_give_the_figures_a_count_gives(world, world_mandates):
    user = world.users["director"]
    counted = _figures_of(director.mandate_rows(user, today=TODAY))
    assert MinutesTally.objects.count() == 3
    assert _figures_of(director.mandate_rows(user, today=TODAY)) == counted


def test_a_session_logged_after_the_count_is_counted_on_the_next_visit(world, world_mandates):
    user = world.users["director"]
    before = _by_student(director.mandate_rows(user, today=TODAY))["Maya"]
    ana = MinutesTally.objects.get(student=world.ana).pk
    log(world.users["slp"], world_mandates.maya, world.maya, [(date(2025, 9, 26), D)])
    after = _by_student(director.mandate_rows(user, today=TODAY))["Maya"]
    assert after.four_weeks.totals.delivered == before.four_weeks.totals.delivered + 30
    # Only Maya was counted again: Ana's tally stands as it was.
    assert MinutesTally.objects.get(student=world.ana).pk == ana


def test_another_day_counts_again(world, world_mandates):
    user = world.users["director"]
    director.mandate_rows(user, today=TODAY)
    later = TODAY + timedelta(days=7)
    with clock.fixed(later):
        rows = director.mandate_rows(user, today=later)
    assert set(MinutesTally.objects.values_list("counted_on", flat=True)) == {later}
    # A week on, the last four weeks are those from 8 September, not from 1 September.
    assert _by_student(rows)["Maya"].four_weeks.start == date(2025, 9, 8)


def test_a_changed_calendar_counts_again(world, world_mandates):
    user = world.users["director"]
    maya = _by_student(director.mandate_rows(user, today=TODAY))["Maya"]
    assert maya.four_weeks.totals.mandated == 156
    calendar = SchoolCalendar.objects.create(
        district=world.riverside,
        school_year="2025-2026",
        first_day=date(2025, 8, 18),
        last_day=date(2026, 6, 5),
    )
    CalendarClosure.objects.create(
        calendar=calendar, kind="break", name="Fire", start=date(2025, 9, 15), end=date(2025, 9, 19)
    )
    again = _by_student(director.mandate_rows(user, today=TODAY))["Maya"]
    assert again.four_weeks.totals.mandated < maya.four_weeks.totals.mandated


# --- the page ----------------------------------------------------------------------------------


def _figures(html: str, table: str, group: str) -> dict[str, str]:
    block = re.search(rf'data-table="{table}">(.*?)</table>', html, re.S)
    assert block, table
    row = re.search(rf'<tr data-group="{re.escape(group)}">(.*?)</tr>', block.group(1), re.S)
    assert row, group
    cells = re.findall(r'data-figure="(\w+)">(.*?)</td>', row.group(1), re.S)
    return {k: " ".join(re.sub(r"<[^>]+>", " ", v).split()) for k, v in cells}


def test_director_page(world, world_mandates):
    response = world.client_for("director").get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    north = _figures(html, "school", str(world.north.public_id))
    assert north == {
        "mandates": "2",
        "served": "0",
        "underserved": "1",
        "unserved": "1",
        "not_due": "0",
        "minutes": "90 / 312 (29%)",
        "owed": "30",
    }
    total = _figures(html, "discipline", "total")
    assert total["mandates"] == "3" and total["owed"] == "30"
    assert "<caption>" in html
    attention = re.search(r'data-table="attention">(.*?)</table>', html, re.S).group(1)
    assert "Maya Lopez" in attention and "Leo Park" in attention and "Ana Reyes" not in attention
    assert "No provider assigned" in attention
    assert "90 / 156" in attention
    assert 'href="/services/director.csv"' in html


def test_filters(world, world_mandates):
    client = world.client_for("director")
    html = client.get(PAGE, {"school": str(world.south.public_id)}).content.decode()
    assert "Ana Reyes" not in html  # served: not in the attention list
    assert _figures(html, "school", str(world.south.public_id))["served"] == "1"
    assert str(world.north.public_id) not in re.search(
        r'data-table="school">(.*?)</table>', html, re.S
    ).group(1)
    html = client.get(PAGE, {"discipline": "ot"}).content.decode()
    assert "No mandates match." in html
    assert (
        f"school={world.north.public_id}"
        in client.get(PAGE, {"school": str(world.north.public_id)}).content.decode()
    )


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"school": "00000000-0000-0000-0000-000000000000"}, "school"),
        ({"school": "not-a-school"}, "school"),
        ({"discipline": "astrology"}, "discipline"),
    ],
)
@pytest.mark.parametrize("url", [PAGE, CSV, XLSX])
def test_bad_filters_are_400_naming_the_parameter(world, world_mandates, params, field, url):
    response = world.client_for("director").get(url, params)
    assert response.status_code == 400
    body = response.content.decode()
    if url == PAGE:
        assert f'id="id_{field}-error"' in body
    else:
        assert body.startswith(f"{field}:")
    assert not AuditEvent.objects.filter(action="service_minutes.exported").exists()


def test_another_districts_school_is_unknown(world, world_mandates):
    response = world.client_for("oak_director").get(PAGE, {"school": str(world.north.public_id)})
    assert response.status_code == 400


@pytest.mark.parametrize(
    ("persona", "students"),
    [
        ("director", {"Maya Lopez", "Leo Park"}),
        ("principal", {"Maya Lopez", "Leo Park"}),
        ("oak_director", set()),
    ],
)
def test_leaders_see_their_own_schools(world, world_mandates, persona, students):
    response = world.client_for(persona).get(PAGE)
    assert response.status_code == 200
    html = response.content.decode()
    for name in ("Maya Lopez", "Leo Park", "Ana Reyes"):
        assert (name in html) == (name in students), name
    if persona == "principal":
        assert "South Middle" not in html


@pytest.mark.parametrize(
    "persona", ["case_manager", "teacher", "parent", "contractor", "psych", "stranger", "slp"]
)
@pytest.mark.parametrize("url", [PAGE, CSV, XLSX])
def test_everyone_else_gets_404(world, world_mandates, persona, url):
    assert world.client_for(persona).get(url).status_code == 404


def test_anonymous_is_sent_to_sign_in(world):
    assert world.client_for("anonymous").get(PAGE).status_code == 302


# --- the downloads: the same numbers -----------------------------------------------------------


def _expected(world, persona="director"):  # type: ignore[no-untyped-def]
    rows = director.mandate_rows(world.users[persona], today=TODAY)
    return [[record(r)[k] for k, _label in _columns()] for r in rows]


def test_csv_has_the_page_numbers_and_is_audited(world, world_mandates):
    response = world.client_for("director").get(CSV)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    lines = list(csv.reader(io.StringIO(response.content.decode())))
    assert lines[0][0] == "Student" and len(lines) == 4
    expected = [["" if v is None else str(v) for v in line] for line in _expected(world)]
    assert lines[1:] == expected
    maya = next(line for line in lines if line[0] == "Maya Lopez")
    header = lines[0]
    assert maya[header.index("Mandated, last 4 weeks")] == "156"
    assert maya[header.index("Delivered, last 4 weeks")] == "90"
    assert maya[header.index("Owed (compensatory), year to date")] == "30"
    assert maya[header.index("Status")] == "Underserved"
    event = AuditEvent.objects.get(action="service_minutes.exported")
    assert event.district_id == world.riverside.pk
    assert event.detail["rows"] == 3 and event.detail["format"] == "csv"


def test_xlsx_has_the_same_rows(world, world_mandates):
    response = world.client_for("director").get(XLSX, {"discipline": "slp"})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    sheet = book.active
    values = [list(r) for r in sheet.iter_rows(values_only=True)]
    assert values[0][0] == "Student"
    # An empty cell reads back as None.
    assert values[1:] == [
        [None if v in ("", None) else v for v in line] for line in _expected(world)
    ]
    event = AuditEvent.objects.get(action="service_minutes.exported")
    listed = event.detail.pop("students_listed")
    assert event.detail == {"rows": 3, "format": "xlsx", "filters": {"discipline": "slp"}}
    assert listed["count"] == len({row[1] for row in _expected(world)})  # each student named


def test_a_formula_in_a_name_is_quoted(world, world_mandates):
    world.leo.preferred_first_name = "=HYPERLINK(1)"
    world.leo.save()
    lines = world.client_for("director").get(CSV).content.decode()
    assert "'=HYPERLINK(1) Park" in lines


def test_the_leaders_home_links_the_page(world):
    html = world.client_for("director").get("/").content.decode()
    assert f'href="{PAGE}"' in html
    assert f'href="{PAGE}"' not in world.client_for("case_manager").get("/").content.decode()


def test_empty_world(world):
    make_slp(world)
    response = world.client_for("director").get(PAGE)
    assert response.status_code == 200
    assert "No mandates match." in response.content.decode()


@pytest.mark.parametrize("persona", ["director", "principal", "oak_director"])
def test_leader_students_are_within_the_policy(world, world_mandates, persona):
    from tandem.access.capabilities import Cap
    from tandem.access.policy import students_with

    user = world.users[persona]
    mine = set(director.leader_students(user).values_list("pk", flat=True))
    assert mine  # each leader leads a school with students
    assert mine <= set(students_with(user, Cap.READ, today=TODAY).values_list("pk", flat=True))


def test_the_director_counts_as_the_students_own_page(world, world_mandates):
    """Sessions added up by week in the database give the figures each row gives on the
    student's page: a makeup in the week of the session it replaces, a partial session's lost
    minutes, an absence."""
    from tandem.services import actions
    from tandem.services.actions import Attendee
    from tandem.services.models import AttendanceCode, SessionAttendance
    from tandem.services.queries import minutes_for_student

    slp, maya = world.users["slp"], world.maya
    missed = SessionAttendance.objects.get(student=maya, code=AttendanceCode.PROVIDER_ABSENT)
    for day, attendee in (
        (date(2025, 9, 26), Attendee(maya, world_mandates.maya, "makeup", makes_up=missed)),
        (date(2025, 9, 29), Attendee(maya, world_mandates.maya, "delivered_partial", minutes=20)),
        (date(2025, 9, 10), Attendee(maya, world_mandates.maya, "student_absent")),
    ):
        actions.log_session(
            actor=slp,
            day=day,
            start_time=time(13, 0),
            minutes=30,
            attendees=[attendee],
            note="Drill.",
        )
    row = _by_student(director.mandate_rows(world.users["director"], today=TODAY))["Maya"]
    (own,) = minutes_for_student(maya, today=TODAY)
    by_key = {w.key: w for w in own.windows}
    assert row.four_weeks.totals == by_key["four_weeks"].totals
    assert row.year.totals == by_key["year"].totals
    assert row.four_weeks.totals.made_up == 30
    assert row.four_weeks.missed == by_key["four_weeks"].missed


def test_the_page_names_the_students_it_lists_in_the_log(world, world_mandates):
    from tandem.accounts.models import AuditEvent
    from tandem.audit.catalogue import Action
    from tandem.web.pages import record_of_access

    world.client_for("director").get(PAGE)
    event = AuditEvent.objects.filter(action=Action.SERVICE_MINUTES__VIEWED).latest("id")
    assert event.detail["students_listed"]["count"] == 2
    assert event in record_of_access(world.maya, with_refusals=False)
    assert event in record_of_access(world.leo, with_refusals=False)
    assert event not in record_of_access(world.ana, with_refusals=False)
