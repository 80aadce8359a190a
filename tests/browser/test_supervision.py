"""Supervision of assistants in a real browser (issue 12): the SLP finds her assistant's sessions
awaiting her co-signature from her home page, co-signs one, records supervision (a refused entry
names its field first), and sees the minutes against California's rule; the assistant sees her
own figures. Every page is axe-clean."""

from __future__ import annotations

import pytest

from tests.browser.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.browser


def test_the_slp_cosigns_and_records_supervision(page):
    sign_in(page, "slp@riverside.example")
    page.get_by_role("link", name="Sessions awaiting my co-signature").click()
    page.wait_for_selector("h1")
    assert page.get_by_role("heading", name="Sessions awaiting your co-signature").is_visible()
    assert_accessible(page)
    rows = page.locator("tr[data-session]")
    before = rows.count()
    assert before > 0, "the demo leaves the assistant's last week awaiting the SLP"
    first = rows.first.get_attribute("data-session")
    page.locator(f"tr[data-session='{first}'] button[name='one']").click()
    page.wait_for_selector(".usa-alert--success")
    assert "1 session was co-signed." in page.locator(".usa-alert--success").inner_text()
    assert page.locator(f"tr[data-session='{first}']").count() == 0
    assert_accessible(page)

    page.get_by_role("link", name="Supervision minutes of your assistants").click()
    page.wait_for_selector("[data-assistant]")
    assert page.locator("[data-assistant] [data-flag]").count() == 1  # the thin week
    assert_accessible(page)

    page.get_by_role("link", name="Record supervision").click()
    page.wait_for_selector("#id_assistant")
    assert_accessible(page)
    page.get_by_role("button", name="Record the supervision").click()
    assert "how many minutes" in page.locator(".usa-alert--error").inner_text()
    assert_accessible(page)
    page.locator("#id_assistant").select_option(index=1)
    page.locator("#id_minutes").fill("15")
    page.locator("label[for='id_kind_1']").click()  # indirect; USWDS hides the radio
    page.locator("#id_note").fill("Reviewed this week's notes.")
    page.get_by_role("button", name="Record the supervision").click()
    page.wait_for_selector(".usa-alert--success")
    assert "Reviewed this week" in page.locator("[data-logs]").inner_text()
    # Each student the assistant served lately, with their last direct supervision (SUP-1).
    assert page.locator("[data-students] tbody tr").count() > 0
    assert_accessible(page)

    # The entry just recorded was a mistake: set aside, with the reason; it stays, marked.
    page.get_by_role("link", name="Set aside").first.click()
    page.wait_for_selector("#id_reason")
    assert_accessible(page)
    page.get_by_role("button", name="Set the entry aside").click()
    assert "Say why" in page.locator(".usa-alert--error").inner_text()
    assert_accessible(page)
    page.locator("#id_reason").fill("Recorded twice.")
    page.get_by_role("button", name="Set the entry aside").click()
    page.wait_for_selector(".usa-alert--success")
    assert "Set aside: Recorded twice." in page.locator("[data-logs]").inner_text()
    assert_accessible(page)
    page.context.clear_cookies()


def test_the_assistant_sees_her_own_supervision(page):
    sign_in(page, "slpa@riverside.example")
    page.get_by_role("link", name="Supervision of assistants").click()
    page.wait_for_selector("[data-assistant]")
    assert "Jordan Ellis" in page.locator("h2").first.inner_text()
    assert page.get_by_role("link", name="Record supervision").count() == 0
    assert_accessible(page)
    page.context.clear_cookies()
