"""API tokens: the page where a person sees, creates and revokes their own tokens; expiry,
revocation and the read-only scope at the API; the command line; the audit events."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import uuid
from datetime import timedelta
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.utils import timezone

from tandem.accounts.models import ApiToken, AuditEvent, TokenScope
from tandem.api.actions_tokens import issue_token
from tandem.api.tokens import ReadOnlyToken, user_for_token
from tandem.audit.catalogue import WORDS, Action

pytestmark = pytest.mark.django_db

PAGE = "/account/api-tokens/"
ROOT = Path(__file__).resolve().parents[2]


def revoke_url(token: ApiToken) -> str:
    return f"{PAGE}{token.pk}/revoke/"


def bearer(raw: str) -> dict[str, str]:
    return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}


# --- the page ------------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["case_manager", "teacher", "director", "parent"])
def test_anyone_signed_in_creates_a_token_seen_once(world, persona):
    client = world.client_for(persona)
    user = world.users[persona]
    assert client.get(PAGE).status_code == 200
    response = client.post(PAGE, {"label": "reporting script", "scope": "read", "days": "30"})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    raw = response.context["new_token"]
    assert raw.startswith("tdm_") and raw in response.content.decode()
    token = ApiToken.objects.get(user=user)
    assert (token.label, token.scope) == ("reporting script", TokenScope.READ)
    assert token.expires_at - timezone.now() > timedelta(days=29, hours=23)
    assert token.expires_at - timezone.now() <= timedelta(days=30)
    assert token.digest != raw and raw not in token.digest
    # Shown once: the list shows the label and prefix, never the value again.
    page = client.get(PAGE).content.decode()
    assert "reporting script" in page and token.prefix in page and raw not in page
    assert user_for_token(raw, method="GET") == user
    event = AuditEvent.objects.get(action=Action.API_TOKEN__ISSUED)
    assert event.actor == user and event.detail["scope"] == "read"
    assert raw not in str(event.detail)


def test_the_defaults_are_read_only_and_ninety_days(world):
    client = world.client_for("case_manager")
    page = client.get(PAGE)
    form = page.context["form"]
    assert form["scope"].value() == "read" and str(form["days"].value()) == "90"
    html = page.content.decode()
    assert 'value="90" selected' in html
    assert 'value="read" checked' in html


def test_the_list_shows_every_state_and_only_ones_own(world):
    cm, teacher = world.users["case_manager"], world.users["teacher"]
    issue_token(actor=cm, user=cm, label="live one", scope="write", days=90)
    issue_token(actor=cm, user=cm, label="old one", days=30)
    ApiToken.objects.filter(label="old one").update(expires_at=timezone.now() - timedelta(days=1))
    issue_token(actor=cm, user=cm, label="dropped one")
    ApiToken.objects.filter(label="dropped one").update(revoked_at=timezone.now())
    issue_token(actor=teacher, user=teacher, label="the teacher's")
    client = world.client_for("case_manager")
    response = client.get(PAGE)
    html = response.content.decode()
    assert [t.label for t in response.context["tokens"]] == ["dropped one", "old one", "live one"]
    assert "the teacher&#x27;s" not in html and "the teacher's" not in html
    assert "Expired" in html and "Revoked on" in html and "Read and write" in html
    assert html.count("/revoke/") == 1  # only the live one can be revoked


def test_the_list_costs_the_same_queries_for_many_tokens(world, django_assert_max_num_queries):
    cm = world.users["case_manager"]
    client = world.client_for("case_manager")
    issue_token(actor=cm, user=cm, label="one")
    client.get(PAGE)
    with django_assert_max_num_queries(12) as few:
        client.get(PAGE)
    for n in range(15):
        issue_token(actor=cm, user=cm, label=f"t{n}")
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(PAGE)


@pytest.mark.parametrize(
    "data, field",
    [
        ({"label": "", "scope": "read", "days": "90"}, "label"),
        ({"label": "x" * 101, "scope": "read", "days": "90"}, "label"),
        ({"label": "ok", "scope": "admin", "days": "90"}, "scope"),
        ({"label": "ok", "scope": "read", "days": "7"}, "days"),
        ({"label": "ok", "scope": "read", "days": "forever"}, "days"),
    ],
)
def test_bad_input_names_the_field_and_creates_nothing(world, data, field):
    client = world.client_for("case_manager")
    response = client.post(PAGE, data)
    assert response.status_code == 400
    assert list(response.context["form"].errors) == [field]
    assert f'id="id_{field}-error"' in response.content.decode()
    assert not ApiToken.objects.exists()
    assert not AuditEvent.objects.filter(action=Action.API_TOKEN__ISSUED).exists()


def test_revoking_dates_the_token_and_keeps_it(world):
    cm = world.users["case_manager"]
    raw = issue_token(actor=cm, user=cm, label="script")
    token = ApiToken.objects.get()
    client = world.client_for("case_manager")
    response = client.post(revoke_url(token))
    assert response.status_code == 302 and response["Location"] == PAGE
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert user_for_token(raw, method="GET") is None
    assert Client().get("/api/v1/students", **bearer(raw)).status_code == 401
    event = AuditEvent.objects.get(action=Action.API_TOKEN__REVOKED)
    assert event.actor == cm and event.object_id == str(token.pk)
    # Again: nothing changes and nothing more is written.
    when = token.revoked_at
    assert client.post(revoke_url(token)).status_code == 302
    token.refresh_from_db()
    assert token.revoked_at == when
    assert AuditEvent.objects.filter(action=Action.API_TOKEN__REVOKED).count() == 1
    assert "Revoked on" in client.get(PAGE).content.decode()


@pytest.mark.parametrize("persona", ["teacher", "director", "parent", "oak_director"])
def test_another_persons_token_is_404(world, persona):
    cm = world.users["case_manager"]
    raw = issue_token(actor=cm, user=cm, label="mine")
    token = ApiToken.objects.get()
    response = world.client_for(persona).post(revoke_url(token))
    assert response.status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None and user_for_token(raw, method="GET") == cm
    assert not AuditEvent.objects.filter(action=Action.API_TOKEN__REVOKED).exists()
    assert world.client_for(persona).post(f"{PAGE}999999/revoke/").status_code == 404


def test_revoking_takes_a_post(world):
    cm = world.users["case_manager"]
    issue_token(actor=cm, user=cm)
    token = ApiToken.objects.get()
    assert world.client_for("case_manager").get(revoke_url(token)).status_code == 405


def test_signed_out_people_are_sent_to_sign_in(world):
    response = Client().get(PAGE)
    assert response.status_code == 302 and "/login/" in response["Location"]
    cm = world.users["case_manager"]
    issue_token(actor=cm, user=cm)
    assert Client().post(revoke_url(ApiToken.objects.get())).status_code in (302, 403)
    assert ApiToken.objects.get().revoked_at is None


# --- the API -------------------------------------------------------------------------------------


def test_a_read_only_token_reads_but_never_writes(world):
    cm = world.users["case_manager"]
    read = issue_token(actor=cm, user=cm, scope=TokenScope.READ)
    write = issue_token(actor=cm, user=cm, scope=TokenScope.WRITE)
    client = Client()
    assert client.get("/api/v1/students", **bearer(read)).status_code == 200
    url = f"/api/v1/goals/{uuid.uuid4()}/data-points"
    body = {"taken_on": "2025-09-01", "percent": 50}
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)(
            url, body, content_type="application/json", **bearer(read)
        )
        assert response.status_code in (403, 405), (method, response.status_code)
        if response.status_code == 403:
            error = response.json()["error"]
            assert error["status"] == 403 and error["code"] == "forbidden"
    response = client.post(url, body, content_type="application/json", **bearer(read))
    assert response.status_code == 403
    # The same call with a read-and-write token passes the token and meets the policy (no goal).
    response = client.post(url, body, content_type="application/json", **bearer(write))
    assert response.status_code == 404


def test_expired_and_revoked_tokens_are_refused(world):
    cm = world.users["case_manager"]
    raw = issue_token(actor=cm, user=cm, days=30)
    ApiToken.objects.update(expires_at=timezone.now() - timedelta(seconds=1))
    assert user_for_token(raw, method="GET") is None
    assert Client().get("/api/v1/students", **bearer(raw)).status_code == 401
    raw = issue_token(actor=cm, user=cm)
    ApiToken.objects.filter(revoked_at__isnull=True, expires_at__gt=timezone.now()).update(
        revoked_at=timezone.now()
    )
    assert user_for_token(raw, method="GET") is None


def test_last_use_is_recorded(world):
    cm = world.users["case_manager"]
    raw = issue_token(actor=cm, user=cm)
    assert ApiToken.objects.get().last_used_at is None
    Client().get("/api/v1/students", **bearer(raw))
    assert ApiToken.objects.get().last_used_at is not None


# --- the command line -----------------------------------------------------------------------------


def test_issue_api_token_with_its_flags(world):
    out = io.StringIO()
    call_command(
        "issue_api_token",
        "cm@r.test",
        "--label",
        "nightly",
        "--read-only",
        "--days",
        "30",
        stdout=out,
    )
    raw = out.getvalue().strip()
    token = ApiToken.objects.get()
    assert raw.startswith("tdm_") and token.label == "nightly" and token.read_only
    assert token.expires_at - timezone.now() <= timedelta(days=30)
    with pytest.raises(ReadOnlyToken):
        user_for_token(raw, method="POST")
    out = io.StringIO()
    call_command("issue_api_token", "cm@r.test", stdout=out)
    assert ApiToken.objects.latest("id").scope == TokenScope.WRITE
    with pytest.raises(CommandError, match="--days"):
        call_command("issue_api_token", "cm@r.test", "--days", "0")


def test_issue_api_token_help_names_its_flags():
    out = io.StringIO()
    with pytest.raises(SystemExit):
        call_command("issue_api_token", "--help", stdout=out)


def test_issue_api_token_runs_from_a_plain_shell(tmp_path):
    """No DEBUG: the settings read the key `make demo` writes (SECRET_KEY_FILE here)."""
    key = tmp_path / "secret_key"
    key.write_text("a-key-for-this-test-only")
    env = {k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY")}
    env.update(SECRET_KEY_FILE=str(key), DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}")
    run = subprocess.run(
        [sys.executable, "manage.py", "issue_api_token", "--help"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 0, run.stderr[-2000:]
    assert "--read-only" in run.stdout and "--days" in run.stdout and "--label" in run.stdout


def test_the_audit_words_are_plain():
    assert str(WORDS[Action.API_TOKEN__ISSUED]) and str(WORDS[Action.API_TOKEN__REVOKED])
