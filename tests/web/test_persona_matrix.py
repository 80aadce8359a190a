"""Every student page x every persona x own/other student and district: no leak."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.access.test_policy import EXPECTED, STUDENTS

READ_PAGES = ("student", "student_history")
WRITE_PAGES = ("student_edit",)
# Who may edit a student's profile (Cap.EDIT_PROFILE): leaders and the case manager. A
# psychologist or a contractor reads the record and does their own part, not the profile.
PROFILE_EDITORS = {
    "director": {"maya", "leo", "ana"},
    "principal": {"maya", "leo"},
    "case_manager": {"maya"},
    "oak_director": {"sam", "tess"},
}


def _status(world, persona, url, method="get", data=None):
    client = world.client_for(persona)
    return getattr(client, method)(url, data or {}).status_code


@pytest.mark.parametrize("persona", EXPECTED)
@pytest.mark.parametrize("name", STUDENTS)
def test_student_pages(world, persona, name):
    student = getattr(world, name)
    readable, _ = EXPECTED[persona]
    writable = PROFILE_EDITORS.get(persona, set())
    for page in READ_PAGES:
        url = reverse(page, args=[student.public_id])
        assert _status(world, persona, url) == (200 if name in readable else 404), (
            page,
            persona,
            name,
        )
    for page in WRITE_PAGES:
        url = reverse(page, args=[student.public_id])
        expected = 200 if name in writable else (403 if name in readable else 404)
        assert _status(world, persona, url) == expected, (page, persona, name)
        post = _status(world, persona, url, "post", {"grade": "3", "home_language": "English"})
        assert post == (302 if name in writable else expected), (page, persona, name)


@pytest.mark.parametrize("name", STUDENTS)
def test_anonymous_is_sent_to_sign_in(world, name):
    student = getattr(world, name)
    for page in READ_PAGES + WRITE_PAGES:
        response = world.client_for("anonymous").get(reverse(page, args=[student.public_id]))
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_404_is_indistinguishable_from_absent(world):
    client = world.client_for("stranger")
    other = client.get(reverse("student", args=[world.maya.public_id]))
    absent = client.get(reverse("student", args=["3f2504e0-4f89-11d3-9a0c-0305e82c3301"]))
    assert other.status_code == absent.status_code == 404

    def normalise(content: bytes, public_id: object) -> bytes:
        content = content.replace(str(public_id).encode(), b"ID")
        return re.sub(rb'(csrfmiddlewaretoken" value="|X-CSRFToken": ")[^"]+', rb"\1", content)

    assert normalise(other.content, world.maya.public_id) == normalise(
        absent.content, "3f2504e0-4f89-11d3-9a0c-0305e82c3301"
    )


ACCESS_LOG = {
    # persona -> students whose access log they may read
    "director": {"maya", "leo", "ana"},
    "principal": {"maya", "leo"},
    "parent": {"maya"},
    "oak_director": {"sam", "tess"},
}


@pytest.mark.parametrize("persona", EXPECTED)
@pytest.mark.parametrize("name", STUDENTS)
def test_access_log_is_for_parents_and_leaders(world, persona, name):
    student = getattr(world, name)
    url = reverse("student_access_log", args=[student.public_id])
    readable, _ = EXPECTED[persona]
    # Someone who reads the record may know it exists: they are refused (403), not told "no such
    # student"; everyone else gets the same 404 as for a student who does not exist.
    allowed = name in ACCESS_LOG.get(persona, set())
    expected = 200 if allowed else (403 if name in readable else 404)
    assert _status(world, persona, url) == expected


@pytest.mark.parametrize("persona", EXPECTED)
def test_search_finds_only_reachable_students(world, persona):
    response = world.client_for(persona).get(reverse("student_search"), {"q": ""})
    assert response.status_code == 200
    readable, _ = EXPECTED[persona]
    for name in STUDENTS:
        student = getattr(world, name)
        assert (str(student.public_id) in response.content.decode()) == (name in readable)


def test_audit_page_only_for_district_admins(world):
    assert world.client_for("director").get(reverse("audit_log")).status_code == 200
    for persona in ("principal", "case_manager", "teacher", "parent", "contractor"):
        assert world.client_for(persona).get(reverse("audit_log")).status_code == 404
