"""The director's service minutes in a real browser: filter, accessibility, the CSV download."""

from __future__ import annotations

import csv

import pytest

from tests.browser.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.browser


def test_director_filters_and_downloads_the_underserved_list(page):
    sign_in(page, "director@riverside.example")
    page.goto("/")
    page.get_by_role("link", name="Service minutes").first.click()
    page.wait_for_url("**/services/director/")
    assert page.get_by_role("heading", name="Service minutes", level=1).is_visible()
    assert page.get_by_role("heading", name="Underserved and unserved").is_visible()
    assert_accessible(page)

    page.get_by_role("combobox", name="Discipline").select_option("slp")
    page.get_by_role("button", name="Show").click()
    page.wait_for_url("**discipline=slp**")
    disciplines = page.locator('table[data-table="discipline"] tbody th[scope="row"]')
    assert disciplines.all_text_contents() == ["Speech-language"]
    assert_accessible(page)

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download as CSV").click()
    download = download_info.value
    assert download.suggested_filename.startswith("service-minutes-")
    with open(download.path(), encoding="utf-8") as csv_file:
        rows = list(csv.DictReader(csv_file))
    assert rows, "the demo has speech mandates in Riverside"
    assert {row["Discipline"] for row in rows} == {"Speech-language"}
    assert {row["Status"] for row in rows} <= {
        "Served",
        "Underserved",
        "Unserved",
        "No minutes due yet",
    }
    # The same count as the page says.
    count = page.locator("#mandate-count").text_content() or ""
    assert count.strip().startswith(f"{len(rows)} mandate")
