"""The goal editor in a real browser: a vague goal, its flags, a suggestion applied by keyboard.

The case manager opens a demo draft's goal editor, types a vague goal, sees the checker's flags
appear as they type (htmx), applies a suggested fix with the keyboard only, and saves. Every
page on the way is axe-clean.
"""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.browser

VAGUE = "Maya will improve reading skills 80% of the time."


def _open_a_draft(page) -> str:  # type: ignore[no-untyped-def]
    """The case manager's first caseload student's draft IEP (started if there is none)."""
    sign_in(page, "casemanager@riverside.example")
    page.locator("main a[href^='/students/']").first.click()
    page.wait_for_selector("h2#plans-heading")
    go_on = page.get_by_role("link", name="Continue writing the draft IEP")
    if go_on.count():
        go_on.click()
    else:
        page.get_by_role("link", name="Start a draft IEP").click()
        page.wait_for_selector("h1")
        page.get_by_role("button", name="Start the draft").click()
    page.wait_for_url(re.compile(r"/plans/[^/]+/edit/$"))
    return page.url


def test_case_manager_fixes_a_vague_goal_with_the_keyboard(page) -> None:  # type: ignore[no-untyped-def]
    draft = _open_a_draft(page)
    page.goto(draft.replace("/edit/", "/goals/new/"))
    page.wait_for_selector("h2#goal-check-heading")
    assert_accessible(page)

    page.locator("#id_area").select_option("Reading")
    page.locator("#id_text").focus()
    page.keyboard.type(VAGUE)
    check = page.locator("#goal-check")
    check.locator("[data-flag='vague_verb']").wait_for()
    assert check.locator("[data-smart='specific'][data-verdict='no']").count() == 1
    assert check.locator("[data-flag='no_timeframe']").count() == 1
    assert check.locator("mark[data-part='behavior']").count() == 1
    assert_accessible(page)

    # Apply the timeframe suggestion with the keyboard only.
    fix = check.locator("[data-flag='no_timeframe'] button[name='apply_fix']")
    expected = fix.get_attribute("value")
    assert expected and expected != VAGUE
    fix.focus()
    page.keyboard.press("Enter")
    page.wait_for_function(
        "(want) => document.getElementById('id_text').value.trim() === want", arg=expected.strip()
    )
    check.get_by_text("Suggestion applied.").wait_for(state="attached")
    page.wait_for_function(
        "() => document.activeElement && document.activeElement.id === 'id_text'"
    )
    assert check.locator("[data-flag='no_timeframe']").count() == 0
    assert check.locator("[data-smart='time_bound'][data-verdict='yes']").count() == 1
    assert_accessible(page)

    page.get_by_role("button", name="Save goal").click()
    page.wait_for_url(re.compile(r"/goals/[0-9a-f-]{36}/$"))
    assert page.get_by_text("The goal was saved.").is_visible()
    assert page.locator("#id_text").input_value().strip() == expected.strip()
    assert_accessible(page)


def test_goal_bank_search_and_use_is_accessible(page) -> None:  # type: ignore[no-untyped-def]
    sign_in(page, "casemanager@riverside.example")
    page.get_by_role("link", name="Goal bank").first.click()
    page.wait_for_selector("h1")
    assert_accessible(page)
    page.locator("#id_area").select_option("articulation")
    page.get_by_role("button", name="Search").click()
    page.wait_for_load_state()
    assert page.locator("[data-template='artic-sound-words']").count() == 1
    page.locator("[data-template='artic-sound-words'] a").click()
    page.wait_for_selector("#id_slot_timeframe")
    assert_accessible(page)
