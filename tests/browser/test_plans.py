"""Plans in a real browser: the plan, its versions, a comparison, the teacher's page; axe-clean."""

from __future__ import annotations

import pytest

from tests.browser.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.browser


def test_case_manager_reads_a_plan_its_versions_and_a_comparison(page):
    sign_in(page, "casemanager@riverside.example")
    page.locator("main a", has_text="Morgan, Ethan").first.click()
    page.wait_for_selector("h2#profile-heading")
    page.locator("main a[href^='/plans/']").first.click()
    page.wait_for_load_state()
    assert "/plans/" in page.url
    assert_accessible(page)
    versions = page.locator("main a[href$='/versions/']")
    if versions.count():
        versions.first.click()
        page.wait_for_load_state()
        assert_accessible(page)
    page.goto(page.url.split("/versions/")[0].rstrip("/") + "/compare/")
    assert_accessible(page)


def test_teacher_sees_the_roster_accommodations(page):
    sign_in(page, "teacher@riverside.example")
    page.get_by_role("link", name="My students' plans").click()
    page.wait_for_load_state()
    assert page.locator("main").get_by_text("Accommodation", exact=False).first.is_visible()
    assert_accessible(page)
