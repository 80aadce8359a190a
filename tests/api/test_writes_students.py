"""POST /students and PATCH /students/{id}: a district administrator keeps its students."""

from __future__ import annotations

from datetime import date

import pytest

from tandem.accounts.models import AuditEvent
from tandem.api.tokens import issue_token
from tandem.core import clock
from tandem.people.models import Enrollment, Student
from tests.api.writing import TODAY, call, error, rows


@pytest.fixture(autouse=True)
def _today():  # type: ignore[no-untyped-def]
    with clock.fixed(TODAY):
        yield


def new_student(world, **changes):  # type: ignore[no-untyped-def]
    return {
        "sis_id": "NEW-1",
        "school": str(world.north.public_id),
        "grade": "2",
        "legal_first_name": "Nia",
        "legal_last_name": "Okafor",
        "date_of_birth": "2018-05-02",
        "sex": "F",
        "english_learner": True,
        "race_black": True,
        **changes,
    }


def test_district_admin_adds_a_student_enrolled_at_the_school(
    world, client, django_assert_num_queries
):
    director = world.users["director"]
    token = issue_token(actor=None, user=director)
    call(client, None, "GET", "/students", token=token)  # the token's first use: not the question
    with django_assert_num_queries(15):
        response = call(client, None, "POST", "/students", new_student(world), token=token)
    assert response.status_code == 201, response.json()
    body = response.json()
    student = Student.objects.get(public_id=body["id"])
    assert (student.sis_id, student.school, student.grade) == ("NEW-1", world.north, "2")
    assert (student.district, student.enrollment_date) == (world.riverside, TODAY)
    assert (body["english_learner"], body["race_black"], body["school"]["name"]) == (
        True,
        True,
        "North Elementary",
    )
    (stay,) = Enrollment.objects.filter(student=student)
    assert (stay.school, stay.grade, stay.entry_date, stay.exit_date) == (
        world.north,
        "2",
        TODAY,
        None,
    )
    (event,) = AuditEvent.objects.filter(action="student.added")
    assert (event.student, event.actor, event.channel) == (student, director, "api")
    # The new student is read through the policy like any other.
    read = call(client, director, "GET", f"/students/{student.public_id}")
    assert read.json()["sis_id"] == "NEW-1"


def test_a_known_sis_id_is_409_with_the_existing_id(world, client):
    body = new_student(world, sis_id=world.leo.sis_id)
    before = rows()
    response = call(client, world.users["director"], "POST", "/students", body)
    assert response.status_code == 409
    refused = error(response)
    assert refused["existing_id"] == str(world.leo.public_id)
    assert refused["code"] == "already_on_record"
    assert "payload.sis_id" in refused["fields"]
    assert rows() == before


def test_the_same_sis_id_in_another_district_is_another_student(world, client):
    body = new_student(world, sis_id=world.sam.sis_id)
    response = call(client, world.users["director"], "POST", "/students", body)
    assert response.status_code == 201
    assert Student.objects.filter(sis_id=world.sam.sis_id).count() == 2


def test_a_read_only_token_is_refused(world, client):
    before = rows()
    director = world.users["director"]
    response = call(client, director, "POST", "/students", new_student(world), scope="read")
    assert response.status_code == 403
    assert error(response)["code"] == "forbidden"
    path = f"/students/{world.maya.public_id}"
    response = call(client, director, "PATCH", path, {"state_id": "X"}, scope="read")
    assert response.status_code == 403
    assert rows() == before


@pytest.mark.parametrize("persona", ["case_manager", "teacher", "principal"])
def test_who_may_read_but_not_keep_the_roster_gets_403(world, client, persona):
    before = rows()
    user = world.users[persona]
    assert call(client, user, "POST", "/students", new_student(world)).status_code == 403
    path = f"/students/{world.maya.public_id}"
    response = call(client, user, "PATCH", path, {"legal_last_name": "Changed"})
    assert response.status_code == 403
    assert error(response)["code"] == "forbidden"
    assert rows() == before
    assert AuditEvent.objects.filter(action="access.refused", actor=user).count() == 2


def test_another_districts_admin_gets_404_and_cannot_add_to_it(world, client):
    oak = world.users["oak_director"]
    before = rows()
    path = f"/students/{world.maya.public_id}"
    response = call(client, oak, "PATCH", path, {"legal_last_name": "Changed"})
    assert response.status_code == 404
    assert error(response)["code"] == "not_found"
    # A Riverside school in the body is no school of theirs.
    response = call(client, oak, "POST", "/students", new_student(world))
    assert response.status_code == 422
    assert "payload.school" in error(response)["fields"]
    assert rows() == before


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"legal_last_name": ""}, "payload.legal_last_name"),
        ({"legal_last_name": "x" * 101}, "payload.legal_last_name"),
        ({"grade": "13"}, "payload.grade"),
        ({"sex": "Q"}, "payload.sex"),
        ({"date_of_birth": "2026-02-01"}, "payload.date_of_birth"),
        ({"entry_date": "2026-03-01"}, "payload.entry_date"),
        ({"school": "9b3c6f9e-1111-4e4e-8888-000000000000"}, "payload.school"),
        ({"nickname": "Ni"}, "payload.nickname"),
        ({"legal_first_name": "N\x00ia"}, "legal_first_name"),
    ],
)
def test_bad_input_names_the_field_and_changes_nothing(world, client, changes, field):
    before = rows()
    body = new_student(world, **changes)
    response = call(client, world.users["director"], "POST", "/students", body)
    assert response.status_code == 422, response.json()
    refused = error(response)
    assert refused["code"] == "invalid"
    assert field in refused["fields"], refused
    assert rows() == before


def test_patch_changes_only_the_fields_sent_and_keeps_who_changed_what(
    world, client, django_assert_num_queries
):
    director = world.users["director"]
    token = issue_token(actor=None, user=director)
    call(client, None, "GET", "/students", token=token)
    path = f"/students/{world.maya.public_id}"
    body = {"preferred_first_name": "Mia", "date_of_birth": "2017-03-15", "race_asian": True}
    with django_assert_num_queries(19):
        response = call(client, None, "PATCH", path, body, token=token)
    assert response.status_code == 200, response.json()
    maya = Student.objects.get(pk=world.maya.pk)
    assert (maya.preferred_first_name, maya.date_of_birth, maya.race_asian) == (
        "Mia",
        date(2017, 3, 15),
        True,
    )
    assert (maya.legal_first_name, maya.grade, maya.school) == ("Maya", "3", world.north)
    event = AuditEvent.objects.get(action="student.updated")
    assert event.student == maya
    assert event.detail["fields"]["preferred_first_name"] == ["", "Mia"]
    assert maya.history.count() >= 2  # the baseline and the change


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"legal_first_name": None}, "payload.legal_first_name"),
        ({"grade": "4"}, "payload.grade"),  # grade and school move with an enrolment
        ({"school": "x"}, "payload.school"),
        ({"date_of_birth": "2023-01-01"}, "payload.date_of_birth"),  # after enrolment
    ],
)
def test_patch_refuses_what_it_cannot_set(world, client, body, field):
    before = rows()
    path = f"/students/{world.maya.public_id}"
    response = call(client, world.users["director"], "PATCH", path, body)
    assert response.status_code == 422
    assert field in error(response)["fields"]
    assert rows() == before
    assert Student.objects.get(pk=world.maya.pk).legal_first_name == "Maya"


def test_patch_with_nothing_new_writes_nothing(world, client):
    before = rows()
    path = f"/students/{world.maya.public_id}"
    response = call(client, world.users["director"], "PATCH", path, {"legal_first_name": "Maya"})
    assert response.status_code == 200
    assert rows() == before
