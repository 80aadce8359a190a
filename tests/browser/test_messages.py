"""Messages and revision requests in a real browser: the parent with the keyboard only; axe-clean."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.browser

MESSAGE = "Ethan read for 20 minutes tonight and then stopped, as you asked."
REASON = "The reading goal is not working at home; homework still takes too long."


def tab_to(page, selector: str, limit: int = 120) -> None:
    """Press Tab until the element matching `selector` has the focus (keyboard only)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate(
            "(s) => document.activeElement && document.activeElement.matches(s)", selector
        ):
            return
    raise AssertionError(f"could not reach {selector} with Tab")


def submit(page) -> None:
    """Press Enter on the focused button and wait for the next page."""
    with page.expect_navigation():
        page.keyboard.press("Enter")


def test_parent_messages_and_asks_for_a_revision_with_the_keyboard(chromium, live_url):
    context = chromium.new_context(base_url=live_url)
    page = context.new_page()
    sign_in(page, "parent@riverside.example")
    tab_to(page, "a[href='/notifications/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/notifications/")
    assert_accessible(page)
    tab_to(page, "main a[href*='/messages/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/messages/")
    assert "Ethan" in page.locator("h1").inner_text()
    assert_accessible(page)
    tab_to(page, "#id_body")
    page.keyboard.type(MESSAGE)
    tab_to(page, "main form button[type='submit']")
    submit(page)
    assert page.locator("main").get_by_text(MESSAGE).is_visible()
    assert_accessible(page)
    tab_to(page, "main a[href*='/revision-requests/new/']")
    page.keyboard.press("Enter")
    page.wait_for_url("**/revision-requests/new/")
    assert_accessible(page)
    # bad input first: nothing typed, the summary names the field
    tab_to(page, "main form button[type='submit']")
    submit(page)
    assert page.locator(".usa-alert--error").is_visible()
    assert_accessible(page)
    tab_to(page, "#id_reason")
    page.keyboard.type(REASON)
    page.keyboard.press("Tab")
    page.keyboard.type("More reading time at school.")
    tab_to(page, "main form button[type='submit']")
    page.keyboard.press("Enter")
    # The form's own address (/revision-requests/new/) would match a glob: wait for the request's.
    page.wait_for_url(re.compile(r".*/revision-requests/[0-9a-f-]{36}/$"))
    assert "Open: waiting for the case manager" in page.locator("main").inner_text()
    assert_accessible(page)
    context.close()

    staff = chromium.new_context(base_url=live_url)
    cm = staff.new_page()
    sign_in(cm, "casemanager@riverside.example")
    cm.goto("/revision-requests/")
    assert (
        cm.locator("main")
        .get_by_text("The reading goal is not working", exact=False)
        .first.is_visible()
    )
    assert_accessible(cm)
    with cm.expect_navigation():
        cm.locator("main a", has_text="Morgan").first.click()
    assert "Answer the request" in cm.locator("main").inner_text()
    assert_accessible(cm)
    request_url = cm.url
    cm.goto("/notifications/")
    assert cm.locator("main").get_by_text("New message about Ethan", exact=False).first.is_visible()
    assert_accessible(cm)
    with cm.expect_navigation():
        cm.locator("main a[href*='/messages/']").first.click()
    assert cm.locator("main").get_by_text(MESSAGE).is_visible()
    assert "Read by:" in cm.locator("main").inner_text()
    assert_accessible(cm)
    cm.goto(cm.url.replace("/messages/", "/communication/"))
    assert "Communication log" in cm.locator("h1").inner_text()
    assert_accessible(cm)
    # The log's table fits a 1280 px screen: its text wraps, nothing scrolls sideways.
    cm.set_viewport_size({"width": 1280, "height": 800})
    widths = cm.evaluate(
        "() => [document.querySelector('main table').getBoundingClientRect().right,"
        " document.querySelector('main').getBoundingClientRect().right,"
        " document.documentElement.scrollWidth]"
    )
    assert widths[0] <= widths[1] and widths[2] <= 1280, widths
    cm.goto(cm.url + "timeline/")
    assert MESSAGE in cm.locator("main").inner_text()  # the parent's message, with the log
    assert_accessible(cm)
    cm.goto(cm.url.replace("/communication/timeline/", "/communication/"))
    cm.goto(cm.url.replace("/communication/", "/"))
    cm.wait_for_selector("#revisions-heading")
    assert_accessible(cm)
    cm.goto("/notifications/settings/")
    assert_accessible(cm)

    # The case manager declines: prior written notice, every element (300.503(b)). Two left
    # empty first: refused, named, nothing sent.
    cm.goto(request_url)
    assert (
        "procedural safeguards"
        in cm.locator("#id_decline-procedural_safeguards_statement").input_value()
    )
    cm.fill("#id_decline-reasons", "Ethan's weekly probes rose from 48 to 61 words a minute.")
    with cm.expect_navigation():
        cm.get_by_role("button", name="Decline and send the notice").click()
    assert cm.locator(".usa-alert--error").is_visible()
    assert_accessible(cm)
    cm.fill("#id_decline-evaluation_basis", "Weekly reading probes since September.")
    cm.fill("#id_decline-options_considered", "More reading time; rejected while he grows.")
    cm.fill("#id_decline-other_factors", "Homework length is the teacher's to change.")
    with cm.expect_navigation():
        cm.get_by_role("button", name="Decline and send the notice").click()
    assert "Declined, with prior written notice" in cm.locator("main").inner_text()
    assert_accessible(cm)
    staff.close()

    # The parent finds the notice among the documents on the child's page, with the keyboard.
    context = chromium.new_context(base_url=live_url)
    page = context.new_page()
    sign_in(page, "parent@riverside.example")
    page.goto(request_url)
    assert "Declined, with prior written notice" in page.locator("main").inner_text()
    tab_to(page, "main a[href*='/notices/']")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/notices/[0-9a-f-]{36}/$"))
    text = page.locator("main").inner_text()
    assert "48 to 61 words" in text and "Weekly reading probes" in text
    assert_accessible(page)
    context.close()
