"""Before the idle time-out signs a person out, the page asks "Are you still there?" (issue 16).

The server keeps the clock, so the test moves the session's last-activity stamp back in the
live database (as if 28 minutes had passed) and the page's clock forward, and then sees the
warning, answers it with the keyboard, and finds the session alive again.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import assert_accessible, run_in_live_db, sign_in

pytestmark = pytest.mark.browser

AGE_SESSION = """
import time
from django.contrib.sessions.backends.db import SessionStore
s = SessionStore(session_key={key!r})
s["tandem_session_seen"] = time.time() - {seconds}
s.save()
"""


def _session_key(page) -> str:  # type: ignore[no-untyped-def]
    return next(c["value"] for c in page.context.cookies() if c["name"] == "sessionid")


def test_the_warning_comes_before_the_time_out_and_stay_keeps_the_session(page) -> None:  # type: ignore[no-untyped-def]
    page.clock.install()
    sign_in(page, "casemanager@riverside.example")
    warning = page.locator("#idle-warning")
    assert warning.is_hidden()
    run_in_live_db(AGE_SESSION.format(key=_session_key(page), seconds=28 * 60 + 30))
    page.clock.fast_forward("28:10")
    warning.wait_for(state="visible")
    assert page.get_by_role("alertdialog", name="Are you still there?").is_visible()
    assert_accessible(page)
    focused = page.evaluate("document.activeElement.textContent.trim()")
    assert focused == "Stay signed in"
    page.keyboard.press("Enter")
    warning.wait_for(state="hidden")
    left = page.evaluate(
        """async () => (await (await fetch('/session/time/',
             {headers: {'HX-Request': 'true', 'HX-Trigger': 'idle-check'}})).json()).seconds_left"""
    )
    assert left > 29 * 60


def test_after_the_time_out_the_page_says_so_and_offers_sign_in(page) -> None:  # type: ignore[no-untyped-def]
    page.clock.install()
    sign_in(page, "casemanager@riverside.example")
    run_in_live_db(AGE_SESSION.format(key=_session_key(page), seconds=31 * 60))
    page.clock.fast_forward("28:10")
    page.locator("#idle-warning [data-signed-out]").wait_for(state="visible")
    assert page.get_by_role("link", name="Sign in again").is_visible()
    stay = page.locator("#idle-warning [data-stay]")
    assert stay.is_hidden(), stay.evaluate(
        "s => [s.hidden, getComputedStyle(s).display, document.styleSheets[1].href]"
    )
