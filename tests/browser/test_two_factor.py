"""A staff member sets up an authenticator app, signs out, and signs in with password and code;
their district administrator then resets the app from the staff page (what a lost phone needs).

The test reads the key the set-up page shows (as a person types it into an app) and computes the
codes an app would show, with django-otp's own TOTP arithmetic.
"""

from __future__ import annotations

import re
from base64 import b32decode

import pytest
from django_otp.oath import totp

from tests.browser.conftest import PASSWORD, assert_accessible, sign_in

pytestmark = pytest.mark.browser

STAFF = "coordinator504@riverside.example"
DIRECTOR = "director@riverside.example"


def app_code(secret: str, *, ahead: int = 0) -> str:
    """What the app shows (`ahead` steps later: the server accepts one step ahead)."""
    key = b32decode(re.sub(r"\s", "", secret))
    return f"{totp(key, drift=ahead):06d}"


def sign_out(page) -> None:  # type: ignore[no-untyped-def]
    page.get_by_role("button", name="Sign out").first.click()
    page.wait_for_url(lambda url: "/login/" in url)


def test_a_staff_member_enrols_and_signs_in_with_a_code(page):
    sign_in(page, STAFF)
    page.goto("/account/two-factor/")
    assert page.locator("svg[role=img]").count() == 1
    assert_accessible(page)
    secret = page.locator("#totp-secret").inner_text()
    page.locator("#id_code").fill(app_code(secret))
    page.keyboard.press("Enter")
    page.wait_for_selector("#recovery-codes")
    assert page.locator("#recovery-codes li").count() == 10
    assert_accessible(page)
    page.get_by_role("link", name="I have saved them").click()
    sign_out(page)

    # Password first, then the code, before any page.
    page.locator("#id_username").fill(STAFF)
    page.locator("#id_password").fill(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/login/verify/" in url)
    assert_accessible(page)
    page.goto("/students/")  # no way round it
    assert "/login/verify/" in page.url
    page.locator("#id_code").fill(app_code(secret, ahead=1))  # the set-up used this step's code
    page.keyboard.press("Enter")
    page.wait_for_url(lambda url: "/login/" not in url)
    assert "/students/" in page.url
    assert page.get_by_role("button", name="Sign out").count() >= 1
    sign_out(page)

    # Lost phone: the district administrator resets the app; the next sign-in needs no code.
    sign_in(page, DIRECTOR)
    page.goto("/account/two-factor/staff/")
    assert_accessible(page)
    row = page.locator("tr", has_text=STAFF)
    row.get_by_role("button").click()
    page.wait_for_selector("text=Removed the authenticator app")
    sign_out(page)
    sign_in(page, STAFF)
    assert "/login/verify/" not in page.url
