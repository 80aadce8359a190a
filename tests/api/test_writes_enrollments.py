"""POST /students/{id}/enrollments and .../end: enrolments start and end dated, never deleted."""

from __future__ import annotations

from datetime import date

import pytest

from tandem.accounts.models import AuditEvent
from tandem.api.tokens import issue_token
from tandem.core import clock
from tandem.people.models import Enrollment, Student
from tests.api.writing import TODAY, call, error, rows

FIRST_DAY = date(2025, 8, 20)


@pytest.fixture(autouse=True)
def _today():  # type: ignore[no-untyped-def]
    with clock.fixed(TODAY):
        yield


@pytest.fixture
def stay(world):  # type: ignore[no-untyped-def]
    """Maya's open enrolment at North, in grade 3."""
    return Enrollment.objects.create(
        student=world.maya, school=world.north, grade="3", entry_date=FIRST_DAY
    )


def path(student, end: bool = False) -> str:  # type: ignore[no-untyped-def]
    return f"/students/{student.public_id}/enrollments" + ("/end" if end else "")


def test_a_move_ends_the_open_stay_the_day_the_new_one_starts(
    world, client, stay, django_assert_num_queries
):
    token = issue_token(actor=None, user=world.users["director"])
    call(client, None, "GET", "/students", token=token)
    body = {"school": str(world.south.public_id), "grade": "6", "entry_date": "2026-01-12"}
    with django_assert_num_queries(16):
        response = call(client, None, "POST", path(world.maya), body, token=token)
    assert response.status_code == 201, response.json()
    answer = response.json()
    assert (answer["school"]["name"], answer["grade"], answer["changed"]) == (
        "South Middle",
        "6",
        True,
    )
    stay.refresh_from_db()
    assert (stay.exit_date, stay.exit_reason) == (date(2026, 1, 12), "Transferred to South Middle")
    maya = Student.objects.get(pk=world.maya.pk)
    assert (maya.school, maya.grade) == (world.south, "6")
    assert Enrollment.objects.filter(student=maya).count() == 2
    (event,) = AuditEvent.objects.filter(action="student.enrolled")
    assert (event.student, event.channel) == (maya, "api")
    assert event.detail["to"] == {"school": str(world.south.public_id), "grade": "6"}


def test_the_same_enrolment_again_changes_nothing(world, client, stay):
    body = {"school": str(world.north.public_id), "grade": "3"}
    before = rows()
    response = call(client, world.users["director"], "POST", path(world.maya), body)
    assert response.status_code == 200
    assert response.json()["changed"] is False
    assert response.json()["entry_date"] == str(FIRST_DAY)
    assert rows() == before


def test_ending_keeps_the_enrolment_with_its_date(world, client, stay):
    director = world.users["director"]
    body = {"end_date": "2026-01-09", "reason": "Moved out of state"}
    response = call(client, director, "POST", path(world.maya, end=True), body)
    assert response.status_code == 200, response.json()
    assert response.json()["changed"] is True
    stay.refresh_from_db()
    assert (stay.exit_date, stay.exit_reason) == (date(2026, 1, 9), "Moved out of state")
    assert Enrollment.objects.filter(student=world.maya).count() == 1  # kept
    assert (
        AuditEvent.objects.filter(action="student.enrollment_closed", student=world.maya).count()
        == 1
    )
    # The same end again is answered with the same row; another date is refused.
    before = rows()
    again = call(client, director, "POST", path(world.maya, end=True), body)
    assert (again.status_code, again.json()["changed"]) == (200, False)
    other = call(client, director, "POST", path(world.maya, end=True), {"end_date": "2026-01-10"})
    assert other.status_code == 422
    assert "payload.end_date" in error(other)["fields"]
    assert rows() == before


@pytest.mark.parametrize(
    ("end", "body", "field"),
    [
        (False, {"school": str(date.min), "grade": "3"}, "payload.school"),
        (False, {"grade": "3"}, "payload.school"),
        (False, {"school": "SCHOOL", "grade": "X"}, "payload.grade"),
        (
            False,
            {"school": "SCHOOL", "grade": "4", "entry_date": "2025-08-01"},
            "payload.entry_date",
        ),
        (
            False,
            {"school": "SCHOOL", "grade": "4", "entry_date": "2026-02-01"},
            "payload.entry_date",
        ),
        (False, {"school": "PRAIRIE", "grade": "4"}, "payload.school"),
        (True, {"end_date": "2025-08-01"}, "payload.end_date"),
        (True, {"end_date": "2026-02-01"}, "payload.end_date"),
        (True, {"reason": "x" * 101}, "payload.reason"),
        (True, {"reason": "Moved\x00"}, "reason"),
    ],
)
def test_bad_input_names_the_field_and_changes_nothing(world, client, stay, end, body, field):
    schools = {"SCHOOL": str(world.south.public_id), "PRAIRIE": str(world.prairie.public_id)}
    body = {k: schools.get(v, v) if isinstance(v, str) else v for k, v in body.items()}
    before = rows()
    response = call(client, world.users["director"], "POST", path(world.maya, end), body)
    assert response.status_code == 422, response.json()
    assert field in error(response)["fields"], error(response)
    assert rows() == before
    stay.refresh_from_db()
    assert stay.exit_date is None


@pytest.mark.parametrize("end", [False, True])
def test_who_may_not_keep_the_roster_is_refused(world, client, stay, end):
    body = {"school": str(world.south.public_id), "grade": "6"} if not end else {}
    before = rows()
    for persona, status in (("case_manager", 403), ("teacher", 403), ("principal", 403),
                            ("oak_director", 404), ("stranger", 404), ("parent", 403)):  # fmt: skip
        response = call(client, world.users[persona], "POST", path(world.maya, end), body)
        assert (persona, response.status_code) == (persona, status)
    read_only = call(
        client, world.users["director"], "POST", path(world.maya, end), body, scope="read"
    )
    assert read_only.status_code == 403
    assert rows() == before


def test_a_return_opens_a_new_stay(world, client, stay):
    director = world.users["director"]
    call(client, director, "POST", path(world.maya, end=True), {"end_date": "2025-12-19"})
    body = {"school": str(world.north.public_id), "grade": "3", "entry_date": "2026-01-12"}
    response = call(client, director, "POST", path(world.maya), body)
    assert response.status_code == 201
    stays = list(Enrollment.objects.filter(student=world.maya).order_by("entry_date"))
    assert [(s.entry_date, s.exit_date) for s in stays] == [
        (FIRST_DAY, date(2025, 12, 19)),
        (date(2026, 1, 12), None),
    ]
