"""The teacher's class sheet prints on one page (issue 13): the demo teacher's class, its rows
copied until 30 students, laid out for print on a US letter landscape page."""

from __future__ import annotations

import pytest

from tests.browser.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.browser

# The printable area of a letter page in landscape with the sheet's 0.25 in margins, in CSS px.
PAGE_WIDTH_PX = int(10.5 * 96)
PAGE_HEIGHT_PX = int(8.0 * 96)

TO_THIRTY = """() => {
  const body = document.querySelector('.tandem-sheet__table tbody');
  const rows = [...body.children];
  while (body.children.length < 30) {
    for (const row of rows) { if (body.children.length < 30) body.appendChild(row.cloneNode(true)); }
  }
  return body.children.length;
}"""


def test_the_class_sheet_prints_thirty_students_on_one_page(page):
    sign_in(page, "teacher@riverside.example")
    page.locator("a", has_text="Accommodations sheet").first.click()
    page.wait_for_load_state()
    assert page.locator("table").count() == 1
    assert_accessible(page)
    page.set_viewport_size({"width": PAGE_WIDTH_PX, "height": 700})
    page.emulate_media(media="print")
    assert page.evaluate(TO_THIRTY) == 30
    assert not page.locator("header.usa-header").is_visible()
    height = page.evaluate(
        "() => document.querySelector('.tandem-sheet').getBoundingClientRect().height"
    )
    assert height <= PAGE_HEIGHT_PX, height
