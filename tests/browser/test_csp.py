"""Pages work under the Content-Security-Policy: the browser blocks nothing we wrote.

The policy runs only our own script files (tandem/web/security.py). A page that still relied on
an inline script or handler would silently lose that behaviour; the browser reports each block
as a `securitypolicyviolation` event, which this test collects on every page it visits.
"""

from __future__ import annotations

import pytest

from tests.browser.conftest import sign_in
from tests.browser.test_plan_editor import _open_a_draft

pytestmark = pytest.mark.browser

WATCH = """
window.__blocked = [];
document.addEventListener('securitypolicyviolation', (e) => {
  window.__blocked.push(e.violatedDirective + ' ' + (e.blockedURI || 'inline') + ' @ ' + e.sourceFile);
});
"""


def _blocked(page) -> list[str]:  # type: ignore[no-untyped-def]
    return page.evaluate("window.__blocked || []")  # type: ignore[no-any-return]


def _visit(page, path: str) -> list[str]:  # type: ignore[no-untyped-def]
    page.goto(path)
    page.wait_for_load_state("networkidle")
    return [f"{path}: {b}" for b in _blocked(page)]


def test_case_manager_pages_run_under_the_policy(page) -> None:  # type: ignore[no-untyped-def]
    page.add_init_script(WATCH)
    editor = _open_a_draft(page)
    blocked = _blocked(page)
    for path in ("/", "/students/", editor, editor.replace("/edit/", "/goals/new/")):
        blocked += _visit(page, path)
    section = page.locator("main a[href*='/sections/']")
    if section.count():
        blocked += _visit(page, section.first.get_attribute("href"))
        # autosave.js ran: it marks the form it watches
        assert page.locator("textarea").count()
    assert blocked == []


def test_teacher_print_button_and_api_docs_run_under_the_policy(page) -> None:  # type: ignore[no-untyped-def]
    page.add_init_script(WATCH)
    sign_in(page, "teacher@riverside.example")
    page.get_by_role("link", name="My students' plans").click()
    page.wait_for_load_state("networkidle")
    # window.print would open a dialog; count calls instead, through our script's handler
    # (ends in `true`: an expression that is a function would be called by evaluate itself)
    page.evaluate("window.__printed = 0; window.print = () => { window.__printed += 1; }; true")
    page.get_by_role("button", name="Print").click()
    assert page.evaluate("window.__printed") == 1
    blocked = _blocked(page)
    blocked += _visit(page, "/api/v1/docs")
    page.wait_for_selector("#swagger-ui .info", timeout=15000)
    assert blocked == []
