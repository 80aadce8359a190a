"""The federal-count pages (IDEA section 618): who may open them, what they show, what they log."""

from __future__ import annotations

from datetime import date

import django.db
import pytest
from django.test.utils import CaptureQueriesContext

from tandem.accounts.models import AuditEvent
from tandem.audit.catalogue import Action
from tandem.core import clock
from tandem.people.models import Student
from tandem.reports import federal
from tests.reports.federal_world import COUNT_DAY, TODAY, counted_student

pytestmark = pytest.mark.django_db

LEADERS = ["director", "principal"]
READ_ONLY = ["case_manager", "teacher", "psych", "stranger", "contractor"]  # roles in Riverside
OUTSIDERS = ["oak_director", "parent", "uncle"]


@pytest.fixture(autouse=True)
def _today():  # type: ignore[no-untyped-def]
    with clock.fixed(TODAY):
        yield


@pytest.fixture
def counted(world):  # type: ignore[no-untyped-def]
    actor = world.users["director"]
    born = date(2015, 4, 1)
    return {
        "north": counted_student(world.north, actor, first="Nora", born=born),
        "north2": counted_student(
            world.north, actor, first="Ned", born=born, sex="M", category="autism"
        ),  # fmt: skip
        "south": counted_student(
            world.south, actor, first="Sara", born=date(2012, 1, 1), grade="7"
        ),  # fmt: skip
        "missing": counted_student(world.north, actor, first="Mia", born=born, race_white=False),
    }


def _url(world, name: str = "federal_child_count", **query: str) -> str:  # type: ignore[no-untyped-def]
    from django.urls import reverse

    base = reverse(name, args=[world.riverside.public_id])
    return base + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def test_the_director_reads_the_child_count_and_every_number_links(world, counted) -> None:  # type: ignore[no-untyped-def]
    page = world.client_for("director").get(_url(world, day=COUNT_DAY.isoformat()))
    assert page.status_code == 200
    text = page.content.decode()
    assert "School age (FS002)" in text and "Students who cannot be counted" in text
    fs002 = next(f for f in page.context["files"] if f["code"] == "FS002")
    assert fs002["total"].count == 3  # Nora, Ned, Sara; Mia has no race recorded
    assert page.context["uncounted_total"] == 1
    by_disability = fs002["tables"][0]
    assert [(r.code, r.total.count) for r in by_disability.rows] == [("AUT", 1), ("SLD", 2)]
    assert by_disability.rows[0].total.url in text.replace("&amp;", "&")
    event = AuditEvent.objects.filter(action=Action.FEDERAL_REPORT__VIEWED).get()
    assert event.detail["counted"] == 3 and event.detail["not_counted"] == 1


def test_the_principal_sees_only_the_schools_they_lead(world, counted) -> None:  # type: ignore[no-untyped-def]
    page = world.client_for("principal").get(_url(world, day=COUNT_DAY.isoformat()))
    assert page.status_code == 200
    fs002 = next(f for f in page.context["files"] if f["code"] == "FS002")
    assert fs002["total"].count == 2  # North's Nora and Ned, not South's Sara
    assert "schools you lead" in page.content.decode()


def test_a_drill_down_lists_the_students_and_logs_each(world, counted) -> None:  # type: ignore[no-untyped-def]
    client = world.client_for("director")
    url = _url(world, "federal_students", report="child_count", day=COUNT_DAY.isoformat(),
               file="FS002", disability="SLD")  # fmt: skip
    page = client.get(url)
    assert page.status_code == 200
    listed = {row["student"].pk for row in page.context["rows"]}
    assert listed == {counted["north"].pk, counted["south"].pk}
    logged = AuditEvent.objects.filter(action=Action.FEDERAL_REPORT__STUDENT_VIEWED)
    assert set(logged.values_list("student_id", flat=True)) == listed
    why = client.get(_url(world, "federal_students", report="child_count",
                          day=COUNT_DAY.isoformat(), reason="any"))  # fmt: skip
    assert [row["student"].pk for row in why.context["rows"]] == [counted["missing"].pk]
    assert "Race and ethnicity not recorded" in why.content.decode()


def test_the_csv_matches_the_tables_and_is_audited(world, counted) -> None:  # type: ignore[no-untyped-def]
    response = world.client_for("director").get(
        _url(world, "federal_child_count_csv", day=COUNT_DAY.isoformat())
    )
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    lines = federal.read_csv(b"".join(response.streaming_content).decode())
    total = next(r for r in lines if r["file"] == "FS002" and r["category_set"] == "TOT")
    assert total["count"] == "3" and total["reporting_period"] == "2025-10-01"
    sld = [r for r in lines if r["category_set"] == "ST2" and r["disability"] == "SLD"]
    assert sum(int(r["count"]) for r in sld) == 2
    assert all(r["environment"] == "RC80" for r in sld)  # speech twice a week: 97% inside
    event = AuditEvent.objects.filter(action=Action.FEDERAL_REPORT__EXPORTED).get()
    assert event.district_id == world.riverside.pk and event.detail["day"] == "2025-10-01"


def test_the_exiting_page_and_csv(world, counted) -> None:  # type: ignore[no-untyped-def]
    actor = world.users["director"]
    counted_student(world.north, actor, first="Gus", born=date(2007, 2, 2), grade="12",
                    status="ended", start=date(2024, 9, 1), end=date(2025, 6, 5),
                    exit_reason="GHS", exit_date=date(2025, 6, 5))  # fmt: skip
    client = world.client_for("director")
    page = client.get(_url(world, "federal_exiting", year="2024"))
    assert page.status_code == 200
    fs009 = page.context["files"][0]
    assert fs009["code"] == "FS009" and fs009["total"].count == 1
    response = client.get(_url(world, "federal_exiting_csv", year="2024"))
    lines = federal.read_csv(b"".join(response.streaming_content).decode())
    assert {r["basis_of_exit"] for r in lines if r["category_set"] == "ST3"} == {"GHS"}


@pytest.mark.parametrize(
    ("day", "message"),
    [
        ("2025-09-30", "between October 1 and December 1"),
        ("2026-10-07", "has not come yet"),
        ("not-a-date", "Enter the count date like"),
    ],
)
def test_a_refused_count_date_is_named(world, counted, day, message) -> None:  # type: ignore[no-untyped-def]
    page = world.client_for("director").get(_url(world, day=day))
    assert page.status_code == 400
    assert message in page.content.decode() and 'href="#id_day"' in page.content.decode()
    assert not AuditEvent.objects.filter(action=Action.FEDERAL_REPORT__VIEWED).exists()


@pytest.mark.parametrize("persona", READ_ONLY)
def test_roles_without_the_capability_get_403_and_nothing_is_written(
    world, counted, persona
) -> None:  # type: ignore[no-untyped-def]
    client = world.client_for(persona)
    before = AuditEvent.objects.exclude(action=Action.ACCESS__REFUSED).count()
    for name in ("federal_child_count", "federal_child_count_csv", "federal_exiting",
                 "federal_students"):  # fmt: skip
        assert client.get(_url(world, name)).status_code == 403
    assert client.get("/reports/federal/").status_code == 403
    assert AuditEvent.objects.exclude(action=Action.ACCESS__REFUSED).count() == before


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_outsiders_get_404(world, counted, persona) -> None:  # type: ignore[no-untyped-def]
    client = world.client_for(persona)
    for name in ("federal_child_count", "federal_child_count_csv", "federal_exiting",
                 "federal_students"):  # fmt: skip
        assert client.get(_url(world, name)).status_code == 404
    assert not AuditEvent.objects.filter(action__startswith="federal_report.").exists()


def test_the_landing_page_leads_to_the_district(world, counted) -> None:  # type: ignore[no-untyped-def]
    response = world.client_for("director").get("/reports/federal/")
    assert response.status_code == 302 and str(world.riverside.public_id) in response["Location"]
    assert world.client_for("parent").get("/reports/federal/").status_code == 404
    listing = world.client_for("director").get("/reports/")
    assert "/reports/federal/" in listing.content.decode()


def test_the_page_takes_a_fixed_number_of_queries(world, counted) -> None:  # type: ignore[no-untyped-def]
    client = world.client_for("director")
    url = _url(world, day=COUNT_DAY.isoformat())
    client.get(url)  # warm the session
    with CaptureQueriesContext(django.db.connection) as small:
        client.get(url)
    actor = world.users["director"]
    for n in range(6):
        counted_student(world.south, actor, first=f"More{n}", born=date(2010, 1, n + 1),
                        grade="8", category="autism" if n % 2 else "intellectual_disability")  # fmt: skip
    with CaptureQueriesContext(django.db.connection) as large:
        client.get(url)
    assert len(small) == len(large) == 14
    assert Student.objects.count() > 10
