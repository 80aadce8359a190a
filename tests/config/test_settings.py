"""Settings refuse malformed environment values at start-up, naming the variable."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def start(env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    clean = {
        k: v for k, v in os.environ.items() if k not in ("DEBUG", "SECRET_KEY", "DATABASE_URL")
    }
    return subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; print(settings.DEBUG)",
        ],
        env={
            **clean,
            "DJANGO_SETTINGS_MODULE": "config.settings",
            "SECRET_KEY_FILE": str(ROOT / "var" / "no-such-key"),
            **env,
        },
        cwd=ROOT,
        capture_output=True,
        text=True,
    )


@pytest.mark.parametrize(
    ("env", "named"),
    [
        ({"SECRET_KEY": "x", "DEBUG": "yes"}, "DEBUG='yes'"),
        ({"SECRET_KEY": "x", "EMAIL_PORT": "abc"}, "EMAIL_PORT='abc'"),
        ({"SECRET_KEY": "x", "SESSION_COOKIE_AGE": "10"}, "SESSION_COOKIE_AGE='10'"),
        ({"SECRET_KEY": "x", "SESSION_IDLE_MINUTES": "0"}, "SESSION_IDLE_MINUTES='0'"),
        ({"SECRET_KEY": "x", "LOG_LEVEL": "LOUD"}, "LOG_LEVEL='LOUD'"),
        ({"SECRET_KEY": "x", "TASKS_BACKEND": "nope"}, "TASKS_BACKEND='nope'"),
        ({}, "SECRET_KEY is required"),
    ],
)
def test_malformed_values_stop_start_up_naming_the_variable(env, named):
    result = start(env)
    assert result.returncode != 0
    assert named in result.stderr


def test_the_demo_key_file_is_read_when_no_key_is_set(tmp_path):
    # `make demo` writes var/secret_key; a manage.py command from a plain shell must then start.
    key = tmp_path / "secret_key"
    key.write_text("k" * 50 + "\n")
    result = start({"SECRET_KEY_FILE": str(key)})
    assert result.returncode == 0, result.stderr


def test_debug_is_off_by_default():
    result = start({"SECRET_KEY": "x"})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "False"


def test_no_stack_trace_with_debug_off(world, client, settings):
    from django.urls import path

    def broken(request):
        raise RuntimeError("secret internals")

    settings.DEBUG = False
    settings.ROOT_URLCONF = type(
        "urls",
        (),
        {
            "urlpatterns": [path("boom/", broken)],
            "handler500": "tandem.web.views.errors.server_error",
        },
    )
    client.raise_request_exception = False
    response = client.get("/boom/")
    assert response.status_code == 500
    body = response.content.decode()
    assert "secret internals" not in body and "Traceback" not in body
    assert "Something went wrong" in body
