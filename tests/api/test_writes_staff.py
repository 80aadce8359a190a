"""POST /staff, PATCH /staff/{id} and their roles: a person is matched by email, roles end dated."""

from __future__ import annotations

from datetime import date

import pytest

from tandem.accounts.models import AuditEvent, User
from tandem.api.tokens import issue_token
from tandem.core import clock
from tandem.people.models import Role, Staff, StaffRole
from tests.api.writing import TODAY, call, error, rows
from tests.factories import make_staff


@pytest.fixture(autouse=True)
def _today():  # type: ignore[no-untyped-def]
    with clock.fixed(TODAY):
        yield


def new_staff(world, **changes):  # type: ignore[no-untyped-def]
    return {
        "email": "New.Teacher@R.test",
        "first_name": "Nora",
        "last_name": "Quinn",
        "title": "Resource teacher",
        "roles": [{"role": "case_manager", "school": str(world.north.public_id)}],
        **changes,
    }


def staff_of(world, persona):  # type: ignore[no-untyped-def]
    return Staff.objects.get(user=world.users[persona])


def test_district_admin_adds_a_member_of_staff_with_roles(world, client, django_assert_num_queries):
    token = issue_token(actor=None, user=world.users["director"])
    call(client, None, "GET", "/students", token=token)
    with django_assert_num_queries(17):
        response = call(client, None, "POST", "/staff", new_staff(world), token=token)
    assert response.status_code == 201, response.json()
    body = response.json()
    staff = Staff.objects.get(public_id=body["id"])
    assert (staff.user.email, staff.user.first_name, staff.title) == (
        "new.teacher@r.test",
        "Nora",
        "Resource teacher",
    )
    assert not staff.user.has_usable_password()  # they sign in by a reset link
    (role,) = StaffRole.objects.filter(staff=staff)
    assert (role.role, role.school, role.district, role.start_date) == (
        Role.CASE_MANAGER,
        world.north,
        world.riverside,
        TODAY,
    )
    assert body["roles"][0]["school"]["name"] == "North Elementary"
    (event,) = AuditEvent.objects.filter(action="staff.added")
    assert (event.district, event.channel, event.detail["linked"]) == (
        world.riverside,
        "api",
        False,
    )


def test_the_same_email_in_the_district_is_409_with_the_existing_id(world, client):
    before = rows()
    body = new_staff(world, email="CM@r.test")
    response = call(client, world.users["director"], "POST", "/staff", body)
    assert response.status_code == 409
    assert error(response)["existing_id"] == str(staff_of(world, "case_manager").public_id)
    assert "payload.email" in error(response)["fields"]
    assert rows() == before


def test_a_person_of_another_district_is_linked_not_duplicated(world, client):
    oak_teacher = make_staff("teacher@o.test", [(Role.TEACHER, world.oak_valley, world.prairie)])
    body = new_staff(world, email="teacher@o.test", first_name="Other")
    response = call(client, world.users["director"], "POST", "/staff", body)
    assert response.status_code == 200, response.json()
    answer = response.json()
    assert (answer["id"], answer["created"]) == (str(oak_teacher.public_id), False)
    assert [r["role"] for r in answer["roles"]] == ["case_manager"]  # Riverside's only
    oak_teacher.user.refresh_from_db()
    assert oak_teacher.user.first_name == "Pat"  # their details are kept
    assert User.objects.filter(email__iexact="teacher@o.test").count() == 1
    assert oak_teacher.roles.count() == 2


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"email": "not an email"}, "payload.email"),
        ({"email": "parent@r.test"}, "payload.email"),  # a parent's account
        ({"first_name": ""}, "payload.first_name"),
        ({"roles": []}, "payload.roles"),
        ({"roles": [{"role": "district_admin"}]}, "payload.roles.0.role"),
        ({"roles": [{"role": "school_admin", "school": "NORTH"}]}, "payload.roles.0.role"),
        ({"roles": [{"role": "wizard"}]}, "payload.roles.0.role"),
        ({"roles": [{"role": "teacher", "school": "PRAIRIE"}]}, "payload.roles.0.school"),
        (
            {"roles": [{"role": "teacher", "start_date": "2026-06-01"}]},
            "payload.roles.0.start_date",
        ),
        ({"phone": "1" * 31}, "payload.phone"),
        ({"title": "Aide\x00"}, "title"),
    ],
)
def test_bad_input_names_the_field_and_changes_nothing(world, client, changes, field):
    schools = {"NORTH": str(world.north.public_id), "PRAIRIE": str(world.prairie.public_id)}
    for role in changes.get("roles", []):
        role.update({k: schools.get(v, v) for k, v in role.items()})
    before = rows()
    response = call(client, world.users["director"], "POST", "/staff", new_staff(world, **changes))
    assert response.status_code == 422, response.json()
    assert field in error(response)["fields"], error(response)
    assert rows() == before


@pytest.mark.parametrize("persona", ["case_manager", "teacher", "principal", "parent"])
def test_who_may_not_keep_the_roster_gets_403(world, client, persona):
    before = rows()
    user = world.users[persona]
    assert call(client, user, "POST", "/staff", new_staff(world)).status_code == 403
    path = f"/staff/{staff_of(world, 'teacher').public_id}"
    expected = 404 if persona == "parent" else 403  # a parent has no place among the staff
    assert call(client, user, "PATCH", path, {"title": "Head"}).status_code == expected
    assert rows() == before


def test_read_token_and_another_district_are_refused(world, client):
    before = rows()
    path = f"/staff/{staff_of(world, 'teacher').public_id}"
    director, oak = world.users["director"], world.users["oak_director"]
    assert call(client, director, "PATCH", path, {"title": "Head"}, scope="read").status_code == 403
    response = call(client, oak, "PATCH", path, {"title": "Head"})
    assert (response.status_code, error(response)["code"]) == (404, "not_found")
    assert call(client, oak, "POST", path + "/roles", {"role": "teacher"}).status_code == 404
    assert rows() == before


def test_patch_changes_only_what_is_sent(world, client, django_assert_num_queries):
    teacher = staff_of(world, "teacher")
    token = issue_token(actor=None, user=world.users["director"])
    call(client, None, "GET", "/students", token=token)
    body = {"last_name": "Brown", "phone": "555-0100"}
    with django_assert_num_queries(14):
        response = call(client, None, "PATCH", f"/staff/{teacher.public_id}", body, token=token)
    assert response.status_code == 200, response.json()
    teacher.refresh_from_db()
    teacher.user.refresh_from_db()
    assert (teacher.user.first_name, teacher.user.last_name, teacher.phone) == (
        "Tom",
        "Brown",
        "555-0100",
    )
    event = AuditEvent.objects.get(action="staff.updated")
    assert event.detail["fields"]["last_name"] == ["Lee", "Brown"]
    refused = call(
        client, None, "PATCH", f"/staff/{teacher.public_id}", {"email": "x@r.test"}, token=token
    )
    assert refused.status_code == 422
    assert "payload.email" in error(refused)["fields"]


def test_roles_are_given_once_and_ended_with_a_date(world, client):
    teacher = staff_of(world, "teacher")
    director = world.users["director"]
    base = f"/staff/{teacher.public_id}/roles"
    body = {
        "role": "case_manager",
        "school": str(world.south.public_id),
        "start_date": "2026-01-05",
    }
    given = call(client, director, "POST", base, body)
    assert (given.status_code, given.json()["changed"]) == (201, True)
    again = call(client, director, "POST", base, body)
    assert (again.status_code, again.json()["changed"]) == (200, False)
    assert teacher.roles.filter(role=Role.CASE_MANAGER).count() == 1
    end = {"role": "case_manager", "school": str(world.south.public_id), "end_date": "2026-01-20"}
    ended = call(client, director, "POST", base + "/end", end)
    assert ended.status_code == 200, ended.json()
    role = teacher.roles.get(role=Role.CASE_MANAGER)
    assert role.end_date == date(2026, 1, 20)  # kept, dated
    assert call(client, director, "POST", base + "/end", end).json()["changed"] is False
    assert AuditEvent.objects.filter(action="staff_role.granted").count() == 1
    assert AuditEvent.objects.filter(action="staff_role.ended").count() == 1
    leadership = call(client, director, "POST", base + "/end", {"role": "district_admin"})
    assert "payload.role" in error(leadership)["fields"]
    none = call(client, director, "POST", base + "/end", {"role": "provider"})
    assert (none.status_code, list(error(none)["fields"])) == (422, ["payload.role"])
