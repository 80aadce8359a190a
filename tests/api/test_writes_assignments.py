"""The case manager and providers of a student, through the API: the team's rules, ended dated."""

from __future__ import annotations

from datetime import date

import pytest

from tandem.accounts.models import AuditEvent
from tandem.api.tokens import issue_token
from tandem.core import clock
from tandem.people.models import CaseloadAssignment, ProviderAssignment, Role, Staff, TeamMembership
from tests.api.writing import TODAY, call, error, rows
from tests.factories import make_staff


@pytest.fixture(autouse=True)
def _today():  # type: ignore[no-untyped-def]
    with clock.fixed(TODAY):
        yield


def staff_of(world, persona):  # type: ignore[no-untyped-def]
    return Staff.objects.get(user=world.users[persona])


def path(student, what: str, end: bool = False) -> str:  # type: ignore[no-untyped-def]
    return f"/students/{student.public_id}/{what}" + ("/end" if end else "")


def test_a_new_case_manager_follows_the_last_one(world, client, django_assert_num_queries):
    stranger, cara = staff_of(world, "stranger"), staff_of(world, "case_manager")
    token = issue_token(actor=None, user=world.users["director"])
    call(client, None, "GET", "/students", token=token)
    body = {"staff": str(stranger.public_id), "start_date": "2026-01-12"}
    with django_assert_num_queries(23):
        response = call(client, None, "POST", path(world.maya, "case-manager"), body, token=token)
    assert response.status_code == 201, response.json()
    assert response.json()["staff"] == str(stranger.public_id)
    previous = CaseloadAssignment.objects.get(student=world.maya, staff=cara)
    assert previous.end_date == date(2026, 1, 11)  # kept, ended the day before
    assert TeamMembership.objects.get(student=world.maya, staff=cara).end_date == date(2026, 1, 11)
    event = AuditEvent.objects.get(action="team.case_manager_assigned")
    assert (event.student, event.channel) == (world.maya, "api")
    before = rows()
    again = call(client, None, "POST", path(world.maya, "case-manager"), body, token=token)
    assert (again.status_code, again.json()["changed"]) == (200, False)
    assert rows() == before


def test_ending_a_case_manager_keeps_the_row_and_never_leaves_none(world, client):
    director = world.users["director"]
    stranger, cara = staff_of(world, "stranger"), staff_of(world, "case_manager")
    end = {"staff": str(cara.public_id), "end_date": "2026-01-14", "reason": "Left the school"}
    before = rows()
    only = call(client, director, "POST", path(world.maya, "case-manager", end=True), end)
    assert only.status_code == 422
    assert "payload.staff" in error(only)["fields"]  # the only case manager
    assert rows() == before
    # With a second case manager in place, the first's place ends and stays as history.
    TeamMembership.objects.create(staff=stranger, student=world.maya, role="case_manager",
                                  start_date=date(2025, 9, 1))  # fmt: skip
    ended = call(client, director, "POST", path(world.maya, "case-manager", end=True), end)
    assert ended.status_code == 200, ended.json()
    assert ended.json()["end_date"] == "2026-01-14"
    assert CaseloadAssignment.objects.get(student=world.maya, staff=cara).end_date == date(
        2026, 1, 14
    )
    again = call(client, director, "POST", path(world.maya, "case-manager", end=True), end)
    assert (again.status_code, again.json()["changed"]) == (200, False)


def test_a_provider_is_assigned_once_and_ended_with_a_date(
    world, client, django_assert_num_queries
):
    olive = staff_of(world, "contractor")
    token = issue_token(actor=None, user=world.users["director"])
    call(client, None, "GET", "/students", token=token)
    body = {"staff": str(olive.public_id), "service_area": "Occupational therapy",
            "start_date": "2026-01-12"}  # fmt: skip
    with django_assert_num_queries(14):
        made = call(client, None, "POST", path(world.leo, "providers"), body, token=token)
    assert made.status_code == 201, made.json()
    assert made.json()["service_area"] == "Occupational therapy"
    again = call(client, None, "POST", path(world.leo, "providers"), body, token=token)
    assert (again.status_code, again.json()["changed"]) == (200, False)
    assert ProviderAssignment.objects.filter(student=world.leo).count() == 1
    end = {"staff": str(olive.public_id), "service_area": "occupational therapy",
           "end_date": "2026-01-15"}  # fmt: skip
    ended = call(client, None, "POST", path(world.leo, "providers", end=True), end, token=token)
    assert ended.status_code == 200, ended.json()
    row = ProviderAssignment.objects.get(student=world.leo)
    assert row.end_date == date(2026, 1, 15)  # kept, dated
    actions = AuditEvent.objects.filter(student=world.leo, action__startswith="provider_assignment")
    assert sorted(actions.values_list("action", flat=True)) == [
        "provider_assignment.added",
        "provider_assignment.ended",
    ]


@pytest.mark.parametrize(
    ("what", "end", "body", "field"),
    [
        ("providers", False, {"staff": "OAK", "service_area": "Speech"}, "payload.staff"),
        ("providers", False, {"staff": "NOBODY", "service_area": "Speech"}, "payload.staff"),
        ("providers", False, {"staff": "OLIVE", "service_area": " "}, "payload.service_area"),
        ("providers", False, {"staff": "OLIVE", "service_area": "OT", "start_date": "2020-01-01"},
         "payload.start_date"),  # before the student enrolled
        ("providers", True, {"staff": "OLIVE", "service_area": "Speech"}, "payload.service_area"),
        ("providers", True, {"staff": "OLIVE", "service_area": "Occupational therapy",
                             "end_date": "2025-07-01"}, "payload.end_date"),
        ("case-manager", False, {"staff": "OLIVE"}, "payload.staff"),  # no case manager role
        ("case-manager", False, {"staff": "STRANGER", "start_date": "2026-06-01"},
         "payload.start_date"),
        ("case-manager", True, {"staff": "OLIVE", "reason": "Left"}, "payload.staff"),
        ("case-manager", True, {"staff": "CARA"}, "payload.reason"),
    ],
)  # fmt: skip
def test_bad_input_names_the_field_and_changes_nothing(world, client, what, end, body, field):
    oak = make_staff("slp@o.test", [(Role.PROVIDER, world.oak_valley, None)])
    people = {"OAK": oak, "OLIVE": staff_of(world, "contractor"),
              "STRANGER": staff_of(world, "stranger"),
              "CARA": staff_of(world, "case_manager")}  # fmt: skip
    ids = {k: str(v.public_id) for k, v in people.items()}
    ids["NOBODY"] = "9b3c6f9e-1111-4e4e-8888-000000000000"
    body = {k: ids.get(v, v) for k, v in body.items()}
    before = rows()
    response = call(client, world.users["director"], "POST", path(world.maya, what, end), body)
    assert response.status_code == 422, response.json()
    assert field in error(response)["fields"], error(response)
    assert rows() == before


@pytest.mark.parametrize(("what", "end"), [("case-manager", False), ("case-manager", True),
                                           ("providers", False), ("providers", True)])  # fmt: skip
def test_who_may_not_keep_the_roster_is_refused(world, client, what, end):
    body = {"staff": str(staff_of(world, "stranger").public_id)}
    body |= {"service_area": "OT"} if what == "providers" else {"reason": "Moved"} if end else {}
    before = rows()
    refusals = {"case_manager": 403, "teacher": 403, "principal": 403, "contractor": 403,
                "oak_director": 404, "uncle": 404}  # fmt: skip
    for persona, status in refusals.items():
        response = call(client, world.users[persona], "POST", path(world.maya, what, end), body)
        assert (persona, response.status_code) == (persona, status)
    read_only = call(client, world.users["director"], "POST", path(world.maya, what, end), body,
                     scope="read")  # fmt: skip
    assert read_only.status_code == 403
    assert rows() == before
