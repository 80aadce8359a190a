"""The leaders' lists of caseloads and plans (issue 15) in a real browser: the principal follows
the home page's links, filters with the keyboard, pages on and downloads; every page axe-clean."""

from __future__ import annotations

import csv

import pytest

from tests.browser.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.browser

PRINCIPAL = "principal@riverside.example"


def _show(page, field: str, button: str) -> None:  # type: ignore[no-untyped-def]
    """Choose the second option of a filter and send the form, from the keyboard."""
    page.locator(f"#id_{field}").focus()
    page.locator(f"#id_{field}").select_option(index=1)
    page.get_by_role("button", name=button).focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state()


def _header(page) -> list[str]:  # type: ignore[no-untyped-def]
    with page.expect_download() as info:
        page.get_by_role("link", name="Download as CSV").click()
    with open(info.value.path(), encoding="utf-8") as f:
        return next(csv.reader(f))


def test_the_principal_reads_and_downloads_the_caseloads(page):  # type: ignore[no-untyped-def]
    sign_in(page, PRINCIPAL)
    assert_accessible(page)  # the home page, with its links to both lists
    # A case manager's name on the home page opens that caseload alone.
    page.locator(
        "#managers-heading ~ table tbody a[href^='/caseloads/?case_manager=']"
    ).first.click()
    page.wait_for_load_state()
    assert page.locator("main section h2").count() == 1
    page.goto("/")
    page.get_by_role(
        "link", name="Every caseload, with each student's plan and next legal date"
    ).click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Caseloads", level=1).is_visible()
    assert page.locator("main section h2").count() > 0, "the demo's principal has case managers"
    assert page.locator("main tbody a[href^='/students/']").count() > 0
    assert_accessible(page)
    _show(page, "case_manager", "Show caseloads")
    assert "case_manager=" in page.url
    assert page.locator("main section h2").count() == 1
    assert_accessible(page)
    assert _header(page)[:3] == ["Case manager", "Email", "Student"]
    page.goto("/caseloads/?school=nowhere")
    assert page.locator(".usa-error-message").is_visible()
    assert_accessible(page)


def test_the_principal_reads_and_downloads_the_plans(page):  # type: ignore[no-untyped-def]
    sign_in(page, PRINCIPAL)
    page.get_by_role("link", name="Every plan, with its dates and next annual review").click()
    page.wait_for_load_state()
    assert page.get_by_role("heading", name="Plans", level=1).is_visible()
    assert page.locator("main tbody a[href^='/plans/']").count() > 0
    assert_accessible(page)
    _show(page, "status", "Show plans")
    assert "status=draft" in page.url
    assert_accessible(page)
    assert _header(page)[:5] == ["Student", "Student id", "School", "Kind of plan", "Status"]
    next_page = page.locator("nav.usa-pagination").get_by_role("link", name="Next")
    if next_page.count():
        next_page.first.click()
        page.wait_for_load_state()
        assert "page=2" in page.url
        assert_accessible(page)
