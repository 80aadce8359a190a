"""The retention schedule and the records due for review (IDEA 34 CFR 300.624, REC-11).

A district administrator sets how long each type of record is kept after the student leaves;
a principal reads it; anyone else is not shown it. Students who left with records past their
period are listed by type, with what holds them back (a hold, an open request to see or amend
the records), in a fixed number of queries.
"""

from __future__ import annotations

from datetime import date
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tandem.access.capabilities import Cap
from tandem.access.policy import students_with
from tandem.accounts.models import AuditEvent
from tandem.core import clock
from tandem.people.models import District
from tandem.records import queries_retention
from tandem.records.models import HoldKind, RecordsHold, RecordsRequest, RequestKind
from tandem.records.retention import DEFAULT_WAIT_DAYS, schedule_for
from tests.factories import make_student

pytestmark = pytest.mark.django_db
TODAY = date(2026, 3, 2)
LONG_AGO = date(2020, 6, 12)  # five years past on 2025-06-12; six on 2026-06-12


def settings_url(world: Any) -> str:
    return reverse("retention_settings", args=[world.riverside.public_id])


def good(**changes: Any) -> dict[str, Any]:
    data = {
        "years_referrals": 5,
        "years_plans": 5,
        "years_progress": 5,
        "years_service_logs": 6,
        "years_meetings": 5,
        "years_communication": 5,
        "notice_wait_days": 45,
    }
    return data | changes


def leave(student: Any, on: date = LONG_AGO) -> None:
    student.exit_date = on
    student.save()


# --- the schedule ------------------------------------------------------------------------------


def test_the_defaults_are_in_force_until_changed(world) -> None:  # type: ignore[no-untyped-def]
    schedule = schedule_for(world.riverside.settings)
    assert schedule.years["service_logs"] == 6 and schedule.years["plans"] == 5
    assert schedule.wait_days == DEFAULT_WAIT_DAYS
    page = world.client_for("director").get(settings_url(world))
    assert page.status_code == 200
    assert "2 CFR 200.334" in page.content.decode()


def test_the_administrator_changes_the_schedule_and_it_is_audited(world) -> None:  # type: ignore[no-untyped-def]
    response = world.client_for("director").post(
        settings_url(world), good(years_service_logs=7, notice_wait_days=60)
    )
    assert response.status_code == 302
    district = District.objects.get(pk=world.riverside.pk)
    schedule = schedule_for(district.settings)
    assert (schedule.years["service_logs"], schedule.wait_days) == (7, 60)
    event = AuditEvent.objects.get(action="retention_settings.changed")
    assert event.detail == {
        "years_service_logs": {"from": 6, "to": 7},
        "notice_wait_days": {"from": 45, "to": 60},
    }
    # Saving the same again changes nothing and writes nothing.
    world.client_for("director").post(
        settings_url(world), good(years_service_logs=7, notice_wait_days=60)
    )
    assert AuditEvent.objects.filter(action="retention_settings.changed").count() == 1


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"years_plans": 1}, "years_plans", "at least 3 years"),
        ({"years_plans": "five"}, "years_plans", "whole number of years"),
        ({"years_meetings": 200}, "years_meetings", "At most 75 years"),
        ({"notice_wait_days": 5}, "notice_wait_days", "at least 30 days"),
        ({"notice_wait_days": ""}, "notice_wait_days", "Give a number of days"),
    ],
)
def test_a_bad_value_is_refused_naming_the_field(world, changes, field, words) -> None:  # type: ignore[no-untyped-def]
    response = world.client_for("director").post(settings_url(world), good(**changes))
    assert response.status_code == 400
    assert words in " ".join(response.context["form"].errors[field])
    assert f'href="#id_{field}"' in response.content.decode()  # the summary names the field
    assert District.objects.get(pk=world.riverside.pk).settings == {}
    assert not AuditEvent.objects.filter(action="retention_settings.changed").exists()


def test_a_principal_reads_the_schedule_but_cannot_change_it(world) -> None:  # type: ignore[no-untyped-def]
    client = world.client_for("principal")
    assert client.get(settings_url(world)).status_code == 200
    assert client.post(settings_url(world), good(years_plans=9)).status_code == 403
    assert District.objects.get(pk=world.riverside.pk).settings == {}


@pytest.mark.parametrize("persona", ["oak_director", "case_manager", "parent", "stranger"])
def test_outsiders_get_404_on_the_schedule(world, persona) -> None:  # type: ignore[no-untyped-def]
    client = world.client_for(persona)
    assert client.get(settings_url(world)).status_code == 404
    assert client.post(settings_url(world), good(years_plans=9)).status_code == 404
    assert District.objects.get(pk=world.riverside.pk).settings == {}


# --- the records due for review ---------------------------------------------------------------


def test_only_students_who_left_past_the_period_are_due(world) -> None:  # type: ignore[no-untyped-def]
    leave(world.maya)  # 2020: past five years, not yet six
    leave(world.ana, date(2024, 6, 1))  # left, but within the period
    with clock.fixed(TODAY):
        page = world.client_for("director").get(reverse("retention_due"))
    assert page.status_code == 200
    rows = page.context["rows"]
    assert [r.student for r in rows] == [world.maya]
    due = {t.kind for t in rows[0].due}
    # Service logs are kept six years; the record of disclosures goes with the last of them.
    assert "service_logs" not in due and "records_log" not in due
    assert {"referrals", "plans", "communication"} <= due
    text = page.content.decode()
    assert "Maya" in text and "Ana Reyes" not in text and "Leo Park" not in text
    assert AuditEvent.objects.filter(action="retention_due.viewed", student=world.maya).exists()


def test_a_student_who_left_special_education_counts_from_the_plans_exit(world) -> None:  # type: ignore[no-untyped-def]
    from tandem.plans.models import Plan, PlanKind, PlanStatus

    Plan.objects.create(
        student=world.leo,
        kind=PlanKind.IEP,
        status=PlanStatus.ENDED,
        exit_reason="NLE",
        exit_date=date(2019, 6, 1),
        created_by=world.users["case_manager"],
    )
    with clock.fixed(TODAY):
        rows = queries_retention.due_for_review(
            students_with(world.users["director"], Cap.DESTROY_RECORDS), today=TODAY
        )
    assert [(r.student, r.exited_on) for r in rows] == [(world.leo, date(2019, 6, 1))]


def test_holds_are_shown_beside_the_records(world) -> None:  # type: ignore[no-untyped-def]
    leave(world.maya)
    RecordsHold.objects.create(
        student=world.maya,
        kind=HoldKind.LITIGATION,
        reason="Case 24-0193, Lopez v. Riverside",
        placed_by=world.users["director"],
        placed_on=TODAY,
    )
    RecordsRequest.objects.create(
        student=world.maya,
        kind=RequestKind.AMEND,
        details="The 2019 evaluation is wrong.",
        requested_by="Grace Lopez",
        requested_on=TODAY,
        recorded_by=world.users["director"],
        due_on=TODAY,
    )
    with clock.fixed(TODAY):
        page = world.client_for("director").get(reverse("retention_due"))
    text = page.content.decode()
    assert "Case 24-0193" in text and "The 2019 evaluation is wrong." in text
    assert page.context["summary"]["held"] == 1


def test_the_due_list_query_count_does_not_grow_with_students(world) -> None:  # type: ignore[no-untyped-def]
    director = world.users["director"]

    def count() -> int:
        students = students_with(director, Cap.DESTROY_RECORDS)
        with CaptureQueriesContext(connection) as captured:
            rows = queries_retention.due_for_review(students, today=TODAY)
        assert rows
        return len(captured)

    leave(world.maya)
    few = count()
    for n in range(6):
        student = make_student(world.north, first=f"Kid{n}", last="Gone")
        leave(student)
        RecordsHold.objects.create(
            student=student,
            kind=HoldKind.AUDIT,
            reason="Audit",
            placed_by=director,
            placed_on=TODAY,
        )
    assert count() == few


@pytest.mark.parametrize("persona", ["principal", "case_manager", "parent", "oak_director"])
def test_the_due_list_is_the_district_administrators(world, persona) -> None:  # type: ignore[no-untyped-def]
    leave(world.maya)
    with clock.fixed(TODAY):
        page = world.client_for(persona).get(reverse("retention_due"))
    assert page.status_code == 404 or "Maya" not in page.content.decode()


# --- the types and locations of records (300.616) ---------------------------------------------


def test_the_parent_reads_the_types_and_locations_with_the_districts_own_places(world) -> None:  # type: ignore[no-untyped-def]
    world.client_for("director").post(
        settings_url(world),
        good(other_locations="Cumulative folder: the school office\n\nNurse's notes: health room"),
    )
    page = world.client_for("parent").get(reverse("records_types"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Service session logs (Medicaid billing records)" in html and "6 years" in html
    assert "<strong>Cumulative folder</strong>: the school office" in html
    assert "Nurse&#x27;s notes" in html


def test_the_types_list_refuses_a_long_line_naming_it(world) -> None:  # type: ignore[no-untyped-def]
    response = world.client_for("director").post(
        settings_url(world), good(other_locations="ok\n" + "x" * 301)
    )
    assert response.status_code == 400
    assert "Line 2" in " ".join(response.context["form"].errors["other_locations"])


@pytest.mark.parametrize(("persona", "status"), [("teacher", 404), ("oak_director", 200)])
def test_the_types_list_is_for_leaders_and_parents(world, persona, status) -> None:  # type: ignore[no-untyped-def]
    response = world.client_for(persona).get(reverse("records_types"))
    assert response.status_code == status
    if status == 200:  # Oak Valley's director reads Oak Valley's list, not Riverside's
        assert world.riverside.name not in response.content.decode()
