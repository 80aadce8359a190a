"""Writing a draft in a real browser: two people on one section, a reload, an expired session.

Two browser contexts (the case manager and the director, both writers) edit the same section of
a draft; the second is warned, sees both versions, chooses, and no text is lost. Text typed and
never sent survives a reload; an expired session keeps the text and saves it after signing in.
"""

from __future__ import annotations

import re
import uuid

import pytest

from tests.browser.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.browser


def _open_a_draft(page) -> str:  # type: ignore[no-untyped-def]
    """From the case manager's caseload: the first student's draft IEP (started if needed)."""
    sign_in(page, "casemanager@riverside.example")
    page.locator("main a[href^='/students/']").first.click()
    page.wait_for_selector("h2#plans-heading")
    go_on = page.get_by_role("link", name="Continue writing the draft IEP")
    if go_on.count():
        go_on.click()
    else:
        page.get_by_role("link", name="Start a draft IEP").click()
        page.wait_for_selector("h1")
        assert_accessible(page)
        page.get_by_role("button", name="Start the draft").click()
    page.wait_for_url(re.compile(r"/plans/[^/]+/edit/$"))
    return page.url


def _type_into(page, text: str) -> None:  # type: ignore[no-untyped-def]
    box = page.locator("#id_text")
    box.click()
    page.keyboard.press("End")
    page.keyboard.press("Control+End")
    page.keyboard.type(text)


def test_two_people_edit_the_same_section_and_nothing_is_lost(live_url, chromium) -> None:  # type: ignore[no-untyped-def]
    first = chromium.new_context(base_url=live_url)
    second = chromium.new_context(base_url=live_url)
    try:
        a = first.new_page()
        home = _open_a_draft(a)
        assert_accessible(a)
        section = home + "sections/strengths/"
        b = second.new_page()
        sign_in(b, "director@riverside.example")
        b.goto(section)
        a.goto(section)
        assert_accessible(a)

        _type_into(a, " Loves chess (from the case manager).")
        a.wait_for_function(
            "() => document.getElementById('save-status').textContent.includes('Saved at')"
        )
        # The director's page was opened before that save: the poll warns before more typing.
        b.wait_for_function(
            "() => document.getElementById('poll-region').textContent.includes('saved this section')",
            timeout=25_000,
        )
        assert_accessible(b)
        _type_into(b, " Enjoys music class (from the director).")
        b.wait_for_selector("#conflict-form", timeout=10_000)
        conflict = b.locator("#conflict-region").inner_text()
        assert "Loves chess" in conflict and "Enjoys music class" in conflict
        assert_accessible(b)
        merged = b.locator("#merged-text").input_value()
        assert "Loves chess" in merged and "Enjoys music class" in merged
        b.get_by_role("button", name="Save my choices").click()
        b.wait_for_url(re.compile(r"saved=1"))
        text = b.locator("#id_text").input_value()
        assert "Loves chess" in text and "Enjoys music class" in text
        # The case manager reloads and sees both, with nothing left to restore.
        a.goto(section)
        text = a.locator("#id_text").input_value()
        assert "Loves chess" in text and "Enjoys music class" in text
    finally:
        first.close()
        second.close()


def test_text_never_sent_survives_a_reload_and_a_session_that_ended(page) -> None:  # type: ignore[no-untyped-def]
    token = uuid.uuid4().hex[:6]
    worried, updates = f"Worried about homework time {token}.", f"Asks for weekly updates {token}."
    home = _open_a_draft(page)
    section = home + "sections/parent_concerns/"
    page.goto(section)
    # The connection drops: the save cannot be sent, the text stays on this device.
    page.route(re.compile(r".*/sections/parent_concerns/$"), lambda route: route.abort())
    _type_into(page, " " + worried)
    page.wait_for_selector("#offline-banner:not([hidden])", timeout=10_000)
    page.unroute(re.compile(r".*/sections/parent_concerns/$"))
    page.reload()
    page.wait_for_selector("#restore-banner:not([hidden])")
    assert worried not in page.locator("#id_text").input_value()
    assert_accessible(page)
    page.get_by_role("button", name="Restore my unsaved text").click()
    assert worried in page.locator("#id_text").input_value()
    page.wait_for_function(
        "() => document.getElementById('save-status').textContent.includes('Saved at')"
    )
    # Saved: the copy on this device is forgotten, so a reload offers nothing back.
    page.wait_for_function(
        "() => !Object.keys(localStorage).some((k) => k.startsWith('tandem:draft:'))"
    )
    page.reload()
    assert page.locator("#restore-banner").is_hidden()
    assert worried in page.locator("#id_text").input_value()

    # The session ends while typing: the text is kept, and saved after signing in again.
    page.context.clear_cookies()
    _type_into(page, " " + updates)
    page.wait_for_selector("#session-banner:not([hidden])", timeout=10_000)
    other = page.context.new_page()
    sign_in(other, "casemanager@riverside.example")
    other.close()
    page.bring_to_front()
    page.evaluate("window.dispatchEvent(new Event('focus'))")
    page.wait_for_function(
        "() => document.getElementById('save-status').textContent.includes('Saved at')",
        timeout=15_000,
    )
    page.reload()
    assert updates in page.locator("#id_text").input_value()


def test_editor_pages_are_accessible(page) -> None:  # type: ignore[no-untyped-def]
    home = _open_a_draft(page)
    for path in ("", "sections/special_factors/", "sections/lre/", "services/new/", "check/"):
        page.goto(home + path)
        assert_accessible(page)
    page.goto(home + "accommodations/new/")
    page.locator("#id_q").fill("extended")
    page.wait_for_selector("#library-results a")
    assert_accessible(page)
    page.locator("#library-results a").first.click()
    page.wait_for_load_state()
    assert page.locator("#id_text").input_value()
    assert_accessible(page)
