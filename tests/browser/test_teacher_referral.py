"""A general-education teacher refers a student; the case manager accepts it (issue 11)."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.browser

TEACHER = "teacher@riverside.example"
CASE_MANAGER = "casemanager@riverside.example"
MANAGER_NAME = "Emily Chen"


def _tick(page, selector: str) -> None:
    """USWDS hides the box itself; a person clicks (or presses Space on) its label."""
    box_id = page.locator(selector).get_attribute("id")
    page.locator(f"label[for='{box_id}']").click()
    assert page.locator(selector).is_checked()


def _a_student_of_the_case_manager(page) -> str:
    """From the teacher's home: a student in class whose concern goes to the case manager."""
    hrefs = page.locator("main a[href^='/students/']").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    for href in dict.fromkeys(h for h in hrefs if re.fullmatch(r"/students/[0-9a-f-]{36}/", h)):
        page.goto(href + "concerns/new/")
        if MANAGER_NAME in page.locator("main").text_content():
            page.goto(href)
            return href
    raise AssertionError("no student of the homeroom is on the case manager's caseload")


def test_teacher_refers_and_case_manager_accepts(page):
    sign_in(page, TEACHER)
    student_url = _a_student_of_the_case_manager(page)
    name = page.locator("h1").inner_text()
    page.get_by_role("link", name="Refer this student").click()
    page.wait_for_load_state()
    assert_accessible(page)
    _tick(page, "input[name='areas_of_concern'][value='math']")
    page.get_by_label("What you have seen, and what you have tried").fill(
        "Cannot start multi-step problems alone; a worked-example card for three weeks did not help."
    )
    page.get_by_role("button", name="Send the concern").click()
    page.wait_for_url(re.compile(r"/referrals/[0-9a-f-]{36}/$"))
    referral_url = page.url
    main = page.locator("main").text_content()
    assert "Awaiting acceptance" in main and "waiting for the case manager" in main
    assert_accessible(page)

    page.context.clear_cookies()
    sign_in(page, CASE_MANAGER)
    concerns = page.locator("section[aria-labelledby='concerns-heading']")
    assert concerns.count() == 1
    review = referral_url.split("/referrals/", 1)[1]
    page.locator(f"a[href='/referrals/{review}concern/']").click()
    page.wait_for_load_state()
    assert "Cannot start multi-step problems alone" in page.locator("main").text_content()
    assert_accessible(page)
    page.get_by_role("button", name="Accept as a referral").click()
    page.wait_for_url(referral_url)
    main = page.locator("main").text_content()
    assert "Accepted as a referral by Emily Chen" in main
    assert "Review the referral and decide what to do" in main
    assert_accessible(page)
    assert student_url and name
