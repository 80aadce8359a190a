"""Browser tests: a real server over a freshly seeded demo database, driven by Chromium.

The server is the one `make demo` runs (gunicorn, DEBUG off, static files collected), so these
tests exercise what a district would run, not a test double.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
PASSWORD = "tandem-demo"

pytestmark = pytest.mark.browser

# The live server's environment (its database among it), for tests that build their own data
# in that database with `run_in_live_db`.
LIVE_ENV: dict[str, str] = {}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="session")
def live_url() -> Iterator[str]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"browser tests need Chromium at {CHROMIUM} (apt-get install chromium)")
    tmp = Path(tempfile.mkdtemp(prefix="tandem-browser-"))
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp / 'browser.sqlite3'}",
        "DEBUG": "false",
        "SECRET_KEY": "browser-tests-only",
        "SECURE_COOKIES": "false",
        "AXES_ENABLED": "false",
        "TWO_FACTOR_FOR_ADMINS": "false",  # as in `make demo`; test_two_factor.py enrols
        "TASKS_BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
    }
    LIVE_ENV.update(env)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "--no-input", "-v0"], env=env, check=True, cwd=ROOT)
    subprocess.run(
        [*manage, "seed_demo", "--students", "160"],
        env=env,
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )
    subprocess.run([*manage, "collectstatic", "--no-input", "-v0"], env=env, check=True, cwd=ROOT)
    port = _free_port()
    server = subprocess.Popen(
        [
            str(Path(sys.executable).parent / "gunicorn"),
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--threads",
            "4",
            "--log-level",
            "warning",
        ],
        env=env,
        cwd=ROOT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(url + "/login/", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        else:
            raise RuntimeError("the server did not start")
        yield url
    finally:
        server.terminate()
        try:
            server.wait(timeout=30)
        except subprocess.TimeoutExpired:  # a loaded machine: do not fail the run on shutdown
            server.kill()
            server.wait()


def run_in_live_db(code: str) -> str:
    """Run Python in a Django shell on the live server's database; returns what it printed."""
    assert LIVE_ENV, "the live_url fixture starts the server first"
    done = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), "shell", "-c", code],
        env=LIVE_ENV,
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout


@pytest.fixture(scope="session")
def chromium():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM,
            args=["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(chromium, live_url):
    context = chromium.new_context(base_url=live_url)
    page = context.new_page()
    yield page
    context.close()


def assert_accessible(page) -> None:
    """axe-core finds nothing at WCAG 2.1 A/AA on the current page."""
    # Evaluated, not added as a <script> tag: the Content-Security-Policy runs no inline script.
    page.evaluate(AXE.read_text(encoding="utf-8") + "\n;true")
    result = page.evaluate(
        """async () => await axe.run(document, {runOnly: {type: 'tag',
             values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}})"""
    )
    violations = [
        {"id": v["id"], "help": v["help"], "nodes": [n["target"] for n in v["nodes"]][:5]}
        for v in result["violations"]
    ]
    assert violations == [], f"{page.url}\n" + json.dumps(violations, indent=1)


def sign_in(page, email: str) -> None:
    """Sign in with the keyboard only: type, tab, type, Enter."""
    page.goto("/login/")
    page.keyboard.press("Tab")  # the skip link comes first
    page.locator("#id_username").focus()
    page.keyboard.type(email)
    page.keyboard.press("Tab")
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/login/" not in url)
