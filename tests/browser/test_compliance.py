"""The director's deadlines page in a real browser: filter, explanation, CSV, accessibility."""

from __future__ import annotations

import pytest

from tests.browser.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.browser


def test_director_filters_overdue_and_downloads_csv(page):
    sign_in(page, "director@riverside.example")
    page.goto("/deadlines/")
    assert page.get_by_role("heading", name="Deadlines", level=1).is_visible()
    assert_accessible(page)
    page.get_by_label("Status").select_option("overdue")
    page.get_by_role("button", name="Show deadlines").click()
    page.wait_for_url("**status=overdue**")
    tags = page.locator("tbody .tandem-deadline-status")
    # text_content, not inner_text: USWDS tags are upper-cased by CSS.
    texts = [text.strip() for text in tags.all_text_contents()]
    assert texts and all(text == "Overdue" for text in texts), texts
    assert_accessible(page)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download as CSV").click()
    download = download_info.value
    assert download.suggested_filename.startswith("deadlines-")
    with open(download.path(), encoding="utf-8") as csv_file:
        header = csv_file.readline()
    assert header.startswith("Student,SIS id,School,Type,Due on,Status")


def test_director_opens_an_explanation(page):
    sign_in(page, "director@riverside.example")
    page.goto("/deadlines/?status=all")
    summaries = page.locator("tbody details summary")
    if summaries.count() == 0:
        pytest.skip("the demo database stores no deadlines yet (seed_demo)")
    details = page.locator("tbody details").first
    summaries.first.click()
    assert details.get_attribute("open") is not None
    assert details.locator("p").first.is_visible()
    assert_accessible(page)
