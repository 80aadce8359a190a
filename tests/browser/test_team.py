"""The team page in a real browser (issue 11): the case manager opens it from the student page,
is told what is missing when adding a member with nothing chosen, then adds one with the keyboard
only; every page is axe-clean."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import assert_accessible, sign_in
from tests.browser.test_messages import submit, tab_to

pytestmark = pytest.mark.browser


def test_case_manager_adds_a_team_member_with_the_keyboard(page):
    sign_in(page, "casemanager@riverside.example")
    page.locator("main a[href^='/students/']").first.click()
    page.wait_for_selector("h2#team-heading")
    tab_to(page, "main a[href$='/team/']", limit=400)
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r".*/students/[0-9a-f-]{36}/team/$"))
    assert "team" in page.locator("h1").inner_text()
    assert_accessible(page)

    # Nothing chosen: the page says which fields, and nothing is saved.
    tab_to(page, "form[action$='/team/members/'] button[type='submit']")
    submit(page)
    summary = page.locator(".usa-alert--error")
    assert summary.is_visible() and "Person" in summary.inner_text()
    assert_accessible(page)

    tab_to(page, "#id_add-staff")
    page.keyboard.press("ArrowDown")  # the first person of the district
    chosen = page.evaluate("document.activeElement.selectedOptions[0].textContent")
    name = chosen.split(" (")[0]
    page.keyboard.press("Tab")
    page.keyboard.type("Other")  # type-ahead picks the role "Other"
    assert page.locator("#id_add-role").input_value() == "other"
    tab_to(page, "form[action$='/team/members/'] button[type='submit']")
    submit(page)
    assert "The team member was added." in page.locator("main").inner_text()
    members = page.locator("table", has=page.locator("caption", has_text="Current team members"))
    row = members.locator("tr", has_text=name)
    assert "Other" in row.first.inner_text()
    assert_accessible(page)
