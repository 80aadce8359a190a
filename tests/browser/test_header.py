"""The header menu stays on one line at 1280 px (issue 13): no item wraps, the account links
share the line, and the unread count sits after the Notifications label, not over it."""

from __future__ import annotations

import pytest

from tests.browser.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.browser

# One line of menu: the link's own height (a label and its padding), well under two lines.
ONE_LINE_PX = 60

MEASURE = """() => {
  const header = document.querySelector('header.usa-header');
  const items = [...header.querySelectorAll('.usa-nav__primary-item > a, .tandem-account')];
  const boxes = items.map(e => e.getBoundingClientRect());
  const label = header.querySelector('a[href="/notifications/"] > span');
  const range = document.createRange();
  range.selectNodeContents(label.firstChild);
  const text = range.getBoundingClientRect();
  const badge = label.querySelector('.usa-tag');
  const b = badge ? badge.getBoundingClientRect() : null;
  return {
    header: header.getBoundingClientRect().height,
    tops: boxes.map(r => Math.round(r.top + r.height / 2)),
    heights: boxes.map(r => Math.round(r.height)),
    right: Math.max(...boxes.map(r => r.right)),
    scrollWidth: document.documentElement.scrollWidth,
    label: [text.left, text.right, text.top, text.bottom],
    badge: b ? [b.left, b.right, b.top, b.bottom] : null,
  };
}"""


@pytest.mark.parametrize("email", ["director@riverside.example", "casemanager@riverside.example"])
def test_the_menu_is_one_line_at_1280(page, email):
    page.set_viewport_size({"width": 1280, "height": 800})
    sign_in(page, email)
    page.wait_for_load_state("networkidle")  # the unread count arrives by htmx
    m = page.evaluate(MEASURE)
    assert m["header"] <= ONE_LINE_PX, m
    assert max(m["heights"]) <= ONE_LINE_PX, m  # no label wraps inside its item
    assert max(m["tops"]) - min(m["tops"]) <= 8, m  # every item on the same line
    assert m["right"] <= 1280 and m["scrollWidth"] <= 1280, m
    if m["badge"] is not None:
        left, right, top, bottom = m["label"]
        assert m["badge"][0] >= right, m  # after the label, not over it
    assert_accessible(page)
