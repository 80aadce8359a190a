"""Medicaid pages in a real browser (issue 12): the case manager records a parent's consent to
bill public insurance from the student's services page, a refused entry names its field, and the
district administrator chooses a month of the export; every page is axe-clean."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.browser


def test_case_manager_records_consent_and_the_director_chooses_a_range(page):
    sign_in(page, "casemanager@riverside.example")
    page.locator("main a[href^='/students/']").first.click()
    page.wait_for_url(re.compile(r".*/students/[0-9a-f-]{36}/$"))
    page.goto(page.url + "services/")
    assert_accessible(page)  # the minutes page, with its graphs and tables
    page.get_by_role("link", name="Consent to bill public insurance (Medicaid)").click()
    page.wait_for_url(re.compile(r".*/services/medicaid/$"))
    assert_accessible(page)

    # A Medicaid ID with a dash is refused, naming the field; nothing is recorded.
    page.locator("label[for='id_kind_0']").click()  # USWDS hides the radio behind its label
    page.locator("#id_medicaid_id").fill("AB-12")
    page.get_by_role("button", name="Record").click()
    assert "letters and digits" in page.locator(".usa-alert--error").inner_text()
    assert_accessible(page)

    page.locator("label[for='id_kind_0']").click()  # USWDS hides the radio behind its label
    page.locator("#id_medicaid_id").fill("AB12345")
    page.get_by_role("button", name="Record").click()
    page.wait_for_selector("tr[data-entry='consent']")
    assert "AB12345" in page.locator("[data-figure='medicaid_id']").inner_text()
    assert_accessible(page)

    page.context.clear_cookies()
    sign_in(page, "director@riverside.example")
    page.goto("/services/director/")
    page.get_by_role("link", name=re.compile("Medicaid export")).click()
    page.wait_for_url("**/services/medicaid/")
    assert_accessible(page)
    page.get_by_label("From").fill("2025-09-01")
    page.get_by_label("To").fill("2025-09-30")
    page.get_by_role("button", name="Choose this range").click()
    page.wait_for_selector("[data-rows]")
    assert page.get_by_role("link", name="The sessions that can be billed (CSV)").is_visible()
    assert_accessible(page)


def test_the_director_edits_the_service_settings(page):
    sign_in(page, "director@riverside.example")
    page.goto("/services/director/")
    page.get_by_role("link", name=re.compile("Service settings")).click()
    page.wait_for_url(re.compile(r".*/services/settings/[0-9a-f-]{36}/$"))
    assert_accessible(page)
    threshold = page.get_by_label(re.compile("Served when at least"))
    assert threshold.input_value() == "90"

    # A threshold over 100 is refused, naming the field; nothing is saved.
    threshold.fill("900")
    page.get_by_role("button", name="Save settings").click()
    assert "less than or equal to 100" in page.locator(".usa-alert--error").inner_text()
    assert_accessible(page)

    page.get_by_label(re.compile("Served when at least")).fill("85")
    page.get_by_role("button", name="Save settings").click()
    page.wait_for_selector(".usa-alert--success")
    assert page.get_by_label(re.compile("Served when at least")).input_value() == "85"
    # Put the district's default back for the other walks on this server.
    page.get_by_label(re.compile("Served when at least")).fill("90")
    page.get_by_role("button", name="Save settings").click()
    page.wait_for_selector(".usa-alert--success")
