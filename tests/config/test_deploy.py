"""The production files agree with each other and with the settings (issue 16, "Production").

Docker may be absent where the suite runs, so the stack is checked by what it would run: the
environment deploy/compose.yaml gives the web server passes `manage.py check --deploy` with no
warning, secrets come from the files compose mounts, and logs are one JSON object per line.
"""

from __future__ import annotations

import json
import logging
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
COMPOSE = (ROOT / "deploy" / "compose.yaml").read_text()


def _compose_environment(tmp_path: Path) -> dict[str, str]:
    """The x-app environment block of compose.yaml, with its secrets as files in tmp_path."""
    block = COMPOSE.split("environment: &app-env\n", 1)[1].split("  secrets:", 1)[0]
    env = {}
    for line in block.splitlines():
        if match := re.match(r"\s+([A-Z_]+): (.+)$", line):
            value = match.group(2).strip('"').replace("${TANDEM_HOST:-localhost}", "tandem.example")
            env[match.group(1)] = value
    (tmp_path / "secret_key").write_text("k" * 20 + "x9-Q" * 10)
    (tmp_path / "database_url").write_text(f"sqlite:///{tmp_path / 'db.sqlite3'}")
    env["SECRET_KEY_FILE"] = str(tmp_path / "secret_key")
    env["DATABASE_URL_FILE"] = str(tmp_path / "database_url")
    return env


def _manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY", "DATABASE_URL")
    }
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        cwd=ROOT,
        capture_output=True,
        text=True,
    )


def test_the_compose_environment_passes_the_deploy_check(tmp_path):
    env = _compose_environment(tmp_path)
    assert env["DEBUG"] == "false" and env["SECURE_SSL_REDIRECT"] == "true"
    done = _manage(env, "check", "--deploy", "--fail-level", "WARNING")
    assert done.returncode == 0, done.stderr + done.stdout
    assert "no issues" in done.stdout


def test_a_secret_file_that_cannot_be_read_is_named(tmp_path):
    env = _compose_environment(tmp_path)
    env["DATABASE_URL_FILE"] = str(tmp_path / "missing")
    done = _manage(env, "check")
    assert done.returncode != 0
    assert "DATABASE_URL_FILE=" in done.stderr and "No such file" in done.stderr


def test_compose_secrets_are_the_files_make_up_creates():
    makefile = (ROOT / "Makefile").read_text()
    files = re.findall(r"file: \.\./(var/\w+)", COMPOSE)
    assert sorted(files) == ["var/database_url", "var/db_password", "var/secret_key"]
    up = re.search(r"^up: (.+)$", makefile, re.M)
    assert up, "make up"
    for name in files:
        assert name in makefile, name
    for service in ("db:", "web:", "worker:", "proxy:"):
        assert f"\n  {service}\n" in COMPOSE, service
    assert "/healthz" in COMPOSE and "/healthz" in (ROOT / "deploy" / "Caddyfile").read_text()


def test_the_image_runs_what_exists():
    dockerfile = (ROOT / "Dockerfile").read_text()
    for copied in re.findall(r"^COPY (?!--from)(\S+)", dockerfile, re.M):
        if copied != ".":
            assert (ROOT / copied).exists(), copied
    entrypoint = ROOT / "deploy" / "entrypoint.sh"
    assert os.access(entrypoint, os.X_OK)
    assert (
        "db_worker" in entrypoint.read_text() and "gunicorn config.wsgi" in entrypoint.read_text()
    )
    ignored = (ROOT / ".dockerignore").read_text().split()
    assert "var" in ignored and ".git" in ignored  # no secrets or history in the image


def test_json_logs_are_one_object_per_line():
    from tandem.core.logs import JsonFormatter

    try:
        raise ValueError("boom")
    except ValueError:
        record = logging.LogRecord("tandem", logging.ERROR, __file__, 1, "failed %s", ("x",), None)
        record.exc_info = sys.exc_info()
    line = JsonFormatter().format(record)
    assert "\n" not in line.replace("\\n", "")
    entry = json.loads(line)
    assert entry["message"] == "failed x" and entry["level"] == "ERROR"
    assert "ValueError: boom" in entry["exception"]


@pytest.mark.parametrize("value", ["json", "plain"])
def test_log_format_is_a_setting(tmp_path, value):
    env = {**_compose_environment(tmp_path), "LOG_FORMAT": value}
    done = _manage(env, "check")
    assert done.returncode == 0, done.stderr
