"""Progress in a real browser: the SLP records data, sees the decision change; offline queue;
a point recorded by mistake voided and shown struck through; axe."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.browser

NOT_YET = "Not enough data yet"


def _decision(page) -> str:  # type: ignore[no-untyped-def]
    return page.locator("dt:text-is('Decision') + dd").first.inner_text().strip()


def _fill_low_result(page) -> None:  # type: ignore[no-untyped-def]
    form = page.locator("form:has(input[name='form'][value='point'])")
    if form.get_by_label("Trials correct").count():
        form.get_by_label("Trials correct").fill("1")
        form.get_by_label("Trials given").fill("10")
    else:
        form.locator("input[type='number']").first.fill("0")
    _save_result(page)


def _save_result(page) -> None:  # type: ignore[no-untyped-def]
    """Save the goal page's result; confirm a second point for the day when asked."""
    form = page.locator("form:has(input[name='form'][value='point'])")
    form.get_by_role("button", name="Save result").click()
    page.wait_for_load_state()
    form = page.locator("form:has(input[name='form'][value='point'])")
    confirm = form.get_by_label("Yes, record a second point for this day")
    if confirm.count():
        # USWDS draws the box on the label; the input itself is visually hidden.
        form.locator("label[for='id_point-confirm_duplicate']").click()
        assert confirm.is_checked()
        form.get_by_role("button", name="Save result").click()
        page.wait_for_load_state()


def test_slp_records_data_and_sees_the_decision_change(page):  # type: ignore[no-untyped-def]
    sign_in(page, "slp@riverside.example")
    page.goto("/progress/collect/")
    page.wait_for_selector("h1")
    assert page.locator("#collect-form fieldset[data-goal]").count() > 0
    assert_accessible(page)

    # The SLP's goals still waiting for enough data; the one with the most points is closest.
    rows = page.locator("#collect-form fieldset[data-goal]", has_text=NOT_YET)
    links = [
        rows.nth(i).get_by_role("link", name="Graph and decision").get_attribute("href")
        for i in range(rows.count())
    ]
    assert links, "the demo gives the SLP goals without enough data yet"
    best, most = links[0], -1
    for href in links:
        page.goto(href)
        count = page.locator("table tbody tr").count()
        if count > most:
            best, most = href, count
    page.goto(best)
    assert _decision(page) == NOT_YET
    assert_accessible(page)
    for _ in range(8):
        _fill_low_result(page)
        if _decision(page) != NOT_YET:
            break
    decided = _decision(page)
    assert decided != NOT_YET and "rule" in decided
    assert page.locator("figure svg").count() == 1
    assert_accessible(page)


def test_collect_page_keeps_entries_offline_and_sends_them_later(page):  # type: ignore[no-untyped-def]
    sign_in(page, "slp@riverside.example")
    page.goto("/progress/collect/")
    # The last row: the first test records today on another goal, and a second point for the
    # same day needs a confirmation the offline queue cannot give.
    row = page.locator("#collect-form fieldset[data-goal]").last
    goal_href = row.get_by_role("link", name="Graph and decision").get_attribute("href")
    first_number = row.locator("input[type='number']").first
    page.context.set_offline(True)
    first_number.fill("1")
    if row.get_by_label("Trials given").count():
        row.get_by_label("Trials given").fill("10")
    page.get_by_role("button", name="Save results").click()
    status = page.locator("#collect-status-text")
    status.wait_for(state="visible")
    page.wait_for_function(
        "() => document.getElementById('collect-status-text').textContent.includes('No connection')"
    )
    queued = page.evaluate("JSON.parse(localStorage.getItem('tandem.progress.queue')).length")
    assert queued == 1
    page.context.set_offline(False)
    page.evaluate("window.dispatchEvent(new Event('online'))")
    page.wait_for_function(
        "() => document.getElementById('collect-status-text').textContent.includes('Saved')"
    )
    assert page.evaluate("JSON.parse(localStorage.getItem('tandem.progress.queue')).length") == 0
    assert_accessible(page)
    page.goto(goal_href)
    assert page.locator("table tbody tr").count() >= 1


def test_a_point_recorded_by_mistake_is_voided_and_struck_through(page):  # type: ignore[no-untyped-def]
    sign_in(page, "slp@riverside.example")
    page.goto("/progress/collect/")
    row = page.locator("#collect-form fieldset[data-goal]").first
    page.goto(row.get_by_role("link", name="Graph and decision").get_attribute("href"))
    form = page.locator("form:has(input[name='form'][value='point'])")
    if form.get_by_label("Trials correct").count():
        form.get_by_label("Trials correct").fill("3")
        form.get_by_label("Trials given").fill("10")
    else:
        form.locator("input[type='number']").first.fill("3")
    form.get_by_label("Note").fill("entered by mistake in the browser test")
    _save_result(page)
    mine = page.locator("table tbody tr", has_text="entered by mistake in the browser test")
    assert mine.count() == 1
    mine.get_by_role("link", name=re.compile("^Void")).click()
    page.wait_for_selector("h1:text-is('Void a data point')")
    assert_accessible(page)

    # The reason is required: the error names the field and nothing changes.
    page.get_by_role("button", name="Void this point").click()
    page.wait_for_load_state()
    assert page.locator(".usa-error-message").first.inner_text().startswith("Say why")
    page.get_by_label("Why is this point void?").fill("Recorded for the wrong student")
    page.get_by_role("button", name="Void this point").click()
    page.wait_for_load_state()

    voided = page.locator("table tbody tr.tandem-voided", has_text="Recorded for the wrong student")
    assert voided.count() == 1
    assert voided.locator("del").count() >= 2  # the date and the value, struck through
    assert "voided: Recorded for the wrong student" in voided.inner_text()
    assert voided.get_by_role("link", name=re.compile("^Void")).count() == 0
    assert_accessible(page)
