"""The students API: the same access policy, the same audit log, one error format."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from tandem.accounts.models import AuditEvent
from tandem.api.tokens import issue_token
from tests.access.test_policy import EXPECTED, STUDENTS


def bearer(world, persona):
    return {"HTTP_AUTHORIZATION": "Bearer " + issue_token(actor=None, user=world.users[persona])}


@pytest.mark.parametrize("persona", EXPECTED)
@pytest.mark.parametrize("name", STUDENTS)
def test_detail_follows_the_policy(world, client, persona, name):
    student = getattr(world, name)
    response = client.get(f"/api/v1/students/{student.public_id}", **bearer(world, persona))
    readable, _ = EXPECTED[persona]
    if name in readable:
        assert response.status_code == 200
        body = response.json()
        assert body["id"] == str(student.public_id)
        assert body["sis_id"] == student.sis_id
    else:
        assert response.status_code == 404
        assert response.json() == {
            "error": {"status": 404, "code": "not_found", "message": "Not found.", "fields": {}}
        }


@pytest.mark.parametrize("persona", EXPECTED)
def test_list_returns_only_reachable_students(world, client, persona):
    response = client.get("/api/v1/students", **bearer(world, persona))
    assert response.status_code == 200
    ids = {item["id"] for item in response.json()["items"]}
    readable, _ = EXPECTED[persona]
    assert ids == {str(getattr(world, n).public_id) for n in readable}


def test_detail_read_is_audited_with_purpose(world, client):
    headers = bearer(world, "case_manager") | {"HTTP_X_ACCESS_PURPOSE": "IEP meeting prep"}
    client.get(f"/api/v1/students/{world.maya.public_id}", **headers)
    event = AuditEvent.objects.filter(action="student.viewed").latest("id")
    assert (event.student, event.channel, event.purpose) == (world.maya, "api", "IEP meeting prep")
    assert event.ip == "127.0.0.1"


def test_search_by_name_and_id_with_paging(world, client):
    headers = bearer(world, "director")
    body = client.get("/api/v1/students", {"q": "lopez"}, **headers).json()
    assert [i["first_name"] for i in body["items"]] == ["Maya"]
    body = client.get("/api/v1/students", {"q": world.leo.sis_id}, **headers).json()
    assert [i["first_name"] for i in body["items"]] == ["Leo"]
    body = client.get("/api/v1/students", {"page_size": 2, "page": 2}, **headers).json()
    assert (body["count"], body["pages"], body["page"], len(body["items"])) == (3, 2, 2, 1)
    body = client.get("/api/v1/students", {"page": 9}, **headers).json()
    assert body["items"] == []


@pytest.mark.parametrize(
    ("params", "field"),
    [({"page": 0}, "page"), ({"page_size": 1000}, "page_size"), ({"page": "x"}, "page")],
)
def test_bad_query_names_the_field(world, client, params, field):
    response = client.get("/api/v1/students", params, **bearer(world, "director"))
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid"
    assert field in error["fields"]


def test_no_token_or_a_bad_token_is_401(world, client):
    for headers in (
        {},
        {"HTTP_AUTHORIZATION": "Bearer tdm_nope"},
        {"HTTP_AUTHORIZATION": "Basic x"},
    ):
        response = client.get("/api/v1/students", **headers)
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "unauthenticated"


def test_revoked_and_expired_tokens_are_refused(world, client):
    from django.utils import timezone

    from tandem.accounts.models import ApiToken

    raw = issue_token(actor=None, user=world.users["director"])
    ApiToken.objects.update(revoked_at=timezone.now())
    assert client.get("/api/v1/students", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401
    raw = issue_token(actor=None, user=world.users["director"])
    ApiToken.objects.filter(revoked_at__isnull=True).update(expires_at=timezone.now())
    assert client.get("/api/v1/students", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 401


def test_session_auth_works_for_the_browser(world):
    client = world.client_for("teacher")
    response = client.get(f"/api/v1/students/{world.leo.public_id}")
    assert response.status_code == 200


def test_issue_api_token_command(world, capsys):
    call_command("issue_api_token", "cm@r.test")
    token = capsys.readouterr().out.strip()
    assert token.startswith("tdm_")
    from django.test import Client

    response = Client().get("/api/v1/students", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 200


def test_issue_api_token_unknown_email(world):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="EMAIL"):
        call_command("issue_api_token", "nobody@nowhere.test")


def test_openapi_and_docs_are_served(client):
    spec = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/students" in spec["paths"]
    assert "/api/v1/students/{student_id}" in spec["paths"]
    assert client.get("/api/v1/docs").status_code == 200


def test_list_query_count_does_not_grow_with_rows(world, client, django_assert_max_num_queries):
    from tests.factories import make_student

    headers = bearer(world, "director")
    client.get("/api/v1/students", **headers)
    for i in range(20):
        make_student(world.north, first=f"Extra{i}", last="Student")
    with django_assert_max_num_queries(8):
        response = client.get("/api/v1/students", {"page_size": 100}, **headers)
    assert len(response.json()["items"]) == 23


def test_docs_load_nothing_from_a_cdn(client):
    html = client.get("/api/v1/docs").content.decode()
    assert "cdn." not in html and "https://" not in html


def test_outsider_and_malformed_ids_get_the_404_envelope_and_are_logged(world, client):
    headers = bearer(world, "stranger")
    response = client.get(f"/api/v1/students/{world.maya.public_id}", **headers)
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
    assert AuditEvent.objects.filter(action="access.denied", student=world.maya).exists()
    response = client.get("/api/v1/students/not-an-id", **headers)
    assert response.status_code == 404 and response.json()["error"]["code"] == "not_found"
