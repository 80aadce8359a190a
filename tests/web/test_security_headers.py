"""The browser is told to run only our own scripts, and /healthz tells the proxy how we are."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from tandem.web.security import POLICY

TEMPLATES = Path(__file__).resolve().parents[2] / "tandem"
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/(?:ld\+)?json)[^>]*>", re.I)
HANDLER = re.compile(r"<[^>]+\son[a-z]+\s*=", re.I)


def _templates() -> list[Path]:
    return sorted(TEMPLATES.glob("**/templates/**/*.html"))


def test_no_template_has_an_inline_script_or_handler():
    offenders = []
    for path in _templates():
        text = path.read_text(encoding="utf-8")
        if INLINE_SCRIPT.search(text) or HANDLER.search(text):
            offenders.append(str(path.relative_to(TEMPLATES)))
    assert len(_templates()) > 50
    assert offenders == []


@pytest.mark.django_db
def test_pages_and_api_carry_the_policy(world, client):
    for response in (
        client.get(reverse("login")),
        world.client_for("case_manager").get(reverse("home")),
        client.get("/api/v1/students"),
    ):
        assert response["Content-Security-Policy"] == POLICY
        assert response["X-Frame-Options"] == "DENY"
    script_rule = next(rule for rule in POLICY.split("; ") if rule.startswith("script-src"))
    assert script_rule == "script-src 'self'"


@pytest.mark.django_db
def test_healthz_answers_without_sign_in_and_shows_no_data(client):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    body = response.json()
    assert body == {
        "status": "ok",
        "database": "ok",
        "queue": {"waiting": 0, "oldest_seconds": 0, "ok": True},
    }
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
def test_healthz_is_degraded_when_the_worker_has_not_kept_up(client, settings):
    from django_tasks_db.models import DBTaskResult

    settings.HEALTH_QUEUE_MAX_SECONDS = 60
    task = DBTaskResult.objects.create(
        args_kwargs={"args": [], "kwargs": {}},
        task_path="tandem.communication.tasks.send_pending",
        backend_name="default",
        run_after=timezone.now() - timedelta(minutes=5),
    )
    DBTaskResult.objects.filter(pk=task.pk).update(
        enqueued_at=timezone.now() - timedelta(minutes=5)
    )
    response = client.get(reverse("healthz"))
    assert response.status_code == 503
    body = response.json()
    assert body["status"] == "degraded"
    assert body["queue"]["waiting"] == 1
    assert body["queue"]["oldest_seconds"] >= 299


@pytest.mark.django_db
def test_healthz_takes_only_get(client):
    assert client.post(reverse("healthz")).status_code == 405
