"""A progress report in a real browser: the case manager issues it, the Spanish-speaking mother
reads it in Spanish; every page axe-clean."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.browser


def test_case_manager_issues_and_madre_reads_it_in_spanish(chromium, live_url):
    staff = chromium.new_context(base_url=live_url)
    page = staff.new_page()
    sign_in(page, "casemanager@riverside.example")
    page.get_by_role("link", name="Progress reports").first.click()
    page.wait_for_selector("h1")
    assert_accessible(page)
    # The current period's draft for Sofía, drafted from her data by the demo.
    page.locator("main a", has_text=re.compile("report for Sofía Hernández")).first.click()
    page.wait_for_selector("#issue-heading")
    assert_accessible(page)
    assert page.locator("main [lang='es']").count() == 1  # written in the mother's language
    # Edit the first narrative, save, then issue.
    first = page.locator("main textarea").first
    first.fill("Sofía practica todos los días y ya reconoce más palabras.")
    page.get_by_role("button", name="Save the report").click()
    page.wait_for_selector("text=The report was saved.")
    page.get_by_role("button", name="Issue and send to the family").click()
    page.wait_for_selector("text=The report was issued and sent to the family.")
    assert page.locator("main textarea").count() == 0  # frozen
    assert_accessible(page)
    report_url = page.url
    staff.close()

    family = chromium.new_context(base_url=live_url)
    madre = family.new_page()
    sign_in(madre, "madre@riverside.example")
    madre.goto(report_url)
    madre.wait_for_selector("h1")
    assert madre.locator("html").get_attribute("lang") == "es"
    heading = madre.locator("h1").inner_text()
    assert "Informe de progreso" in heading and "Sofía" in heading
    body = madre.locator("main").inner_text()
    assert "Sofía practica todos los días" in body
    assert "Progreso:" in body
    assert "Descargar el PDF" in body
    assert_accessible(madre)
    pdf = madre.request.get(report_url + "pdf/")
    assert pdf.status == 200 and pdf.body().startswith(b"%PDF")
    family.close()
