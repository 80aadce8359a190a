"""A group teletherapy session in a real browser (issue 12, done-when), and offline first.

BrightPath's teletherapist logs one teletherapy session for her students at one school (the
platform, the on-site facilitator, minutes lost to the connection), with a data point on each
student's fine-motor goal, mostly by keyboard; the same entry shows on the goals' graphs for her
and for the case manager. The log page is axe-clean in English and in Spanish, with its refusals
and its "restored" notice. What she types is kept in the browser until the server confirms the
save: a reload, an unreachable server or an error page refill the form and say so; a save
clears it; another user of the same browser never sees it.
"""

from __future__ import annotations

import re
import uuid

import pytest

from tests.browser.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.browser

TELETHERAPIST = "teletherapist@brightpath.example"
CASE_MANAGER = "casemanager@riverside.example"
LOG = "/services/log/"
LOG_POST = re.compile(r".*/services/log/(\?.*)?$")
# Riverside's elementary school: her group; all three are on the case manager's caseload.
GROUP_SCHOOL = "Riverside Elementary School"
OFFLINE_SCHOOL = "Oak Valley Elementary School"  # another district, another test's session
RESTORED = "Restored what you typed; not yet saved."


def _rows_at(page, school: str) -> list[str]:  # type: ignore[no-untyped-def]
    """The names of the students the log page offers at `school` (from each row's hint)."""
    rows = page.locator("#session-log-form tbody tr", has_text=school)
    return [
        rows.nth(i).locator("label.usa-checkbox__label").inner_text().strip()
        for i in range(rows.count())
    ]


def _tick(page, name: str) -> None:  # type: ignore[no-untyped-def]
    """Tick a student by keyboard: USWDS draws the box on the label, the input takes focus."""
    page.get_by_label(name, exact=True).focus()
    page.keyboard.press("Space")
    assert page.get_by_label(name, exact=True).is_checked()


def _type(page, selector: str, text: str) -> None:  # type: ignore[no-untyped-def]
    page.locator(selector).focus()
    page.keyboard.press("Control+A")
    page.keyboard.type(text)


def _fine_motor(page, name: str):  # type: ignore[no-untyped-def]
    # The label names the student for a screen reader: "Howard Allen, Fine motor: ...".
    return page.get_by_label(re.compile(rf"^{re.escape(name)}, Fine motor"))


def _switch_language(page, code: str, button: str) -> None:  # type: ignore[no-untyped-def]
    page.locator("#language-select").select_option(code)
    page.get_by_role("button", name=button).click()
    page.wait_for_selector(f"html[lang='{code}']")


def _no_copy_kept(page) -> bool:  # type: ignore[no-untyped-def]
    return page.evaluate(
        "() => !Object.keys(localStorage).some((k) => k.startsWith('tandem:offline:'))"
    )


def _goal_rows(page, student_href: str) -> tuple[str, object]:  # type: ignore[no-untyped-def]
    """Open the student's fine-motor goal graph from their page: (name, the data table's rows)."""
    page.goto(student_href)
    name = page.locator("h1").inner_text().strip()
    page.get_by_role("link", name="Fine motor", exact=True).first.click()
    page.wait_for_url(re.compile(r".*/goals/[0-9a-f-]{36}/progress/$"))
    assert page.locator("figure svg").count() >= 1  # the graph, with its table below
    return name, page.locator("table tbody tr")


def test_teletherapist_logs_a_group_teletherapy_session_that_feeds_the_goal_graphs(
    page, chromium, live_url
):  # type: ignore[no-untyped-def]
    sign_in(page, TELETHERAPIST)
    # Her home lists her students with their schools; the log page is one of her tools.
    links = page.locator("main table tbody tr", has_text=GROUP_SCHOOL).locator(
        "a[href^='/students/']"
    )
    student_hrefs = [links.nth(i).get_attribute("href") for i in range(links.count())]
    page.get_by_role("link", name="Log a session").first.click()
    page.wait_for_url(re.compile(r".*/services/log/$"))
    assert_accessible(page)

    group = _rows_at(page, GROUP_SCHOOL)
    assert len(group) >= 2, "the demo gives her a group at Riverside Elementary"
    assert len(student_hrefs) == len(group)
    day = page.locator("#id_day").input_value()  # the server's today, filled in
    values = {name: str(61 + 4 * i) for i, name in enumerate(group)}

    page.locator("#id_start_time").fill("10:30")
    for name in group:
        _tick(page, name)
        _fine_motor(page, name).focus()
        page.keyboard.type(values[name])
    page.locator("#id_modality").select_option("teletherapy")
    _type(page, "#id_platform", "Zoom")
    _type(page, "#id_minutes_lost", "4")
    _type(page, "#id_join_url", "https://brightpath.example/room/group-fine-motor")
    _type(page, "#id_note", "Group: letter formation on a shared whiteboard.")
    _type(page, "#id_facilitator", "Ms. Alvarez (paraeducator)")
    page.keyboard.press("Enter")  # submits from the last field

    # The success page: the log again, empty for the next session, with the server's word.
    page.wait_for_selector("text=The session was logged and signed for")
    assert f"signed for {len(group)} students" in page.locator("main").inner_text()
    assert page.locator("#offline-restored").is_hidden()
    assert not any(page.get_by_label(name, exact=True).is_checked() for name in group)
    assert _no_copy_kept(page)
    assert_accessible(page)

    # Each student's fine-motor graph has the session's point, the value typed, on its day.
    note = f"Session {day}"
    seen = {}
    for href in student_hrefs:
        name, rows = _goal_rows(page, href)
        row = rows.filter(has_text=note)
        assert row.count() == 1, f"{name}: no point from the session on {day}"
        seen[name] = row.inner_text()
        assert f"{values[name]}%" in seen[name]
    assert set(seen) == set(group)
    assert_accessible(page)

    # The case manager opens the same graphs and sees the same points.
    other = chromium.new_context(base_url=live_url)
    try:
        cm = other.new_page()
        sign_in(cm, CASE_MANAGER)
        for href in student_hrefs:
            name, rows = _goal_rows(cm, href)
            assert f"{values[name]}%" in rows.filter(has_text=note).inner_text()
        assert_accessible(cm)
    finally:
        other.close()


def test_the_session_log_page_is_axe_clean_in_spanish(page):  # type: ignore[no-untyped-def]
    sign_in(page, TELETHERAPIST)
    page.goto(LOG)
    _switch_language(page, "es", "Change language")
    try:
        page.goto(LOG)
        assert page.locator("h1").inner_text() == "Registrar una sesión"
        assert_accessible(page)
        # A refusal: nothing chosen; the summary and the fields say so, still axe-clean.
        page.locator("#id_note").fill("Nota de prueba")
        page.locator("#session-log-form button[type='submit']").click()
        page.wait_for_selector(".usa-alert--error")
        assert page.locator("#offline-restored").is_visible()  # not saved: kept, and said
        assert_accessible(page)
        page.goto(LOG)  # the notice after a reload, in Spanish
        assert page.locator("#offline-restored").is_visible()
        assert page.locator("#id_note").input_value() == "Nota de prueba"
        assert_accessible(page)
        page.locator("#offline-discard").click()
        page.wait_for_load_state()
        assert page.locator("#offline-restored").is_hidden()
        assert page.locator("#id_note").input_value() == ""
        assert _no_copy_kept(page)
    finally:
        # The choice is remembered on the account: back to English for the other tests.
        _switch_language(page, "en", "Cambiar idioma")


def test_what_was_typed_is_kept_until_the_server_confirms_the_save(page):  # type: ignore[no-untyped-def]
    sign_in(page, TELETHERAPIST)
    page.goto(LOG)
    assert page.locator("#offline-restored").is_hidden()
    student = _rows_at(page, OFFLINE_SCHOOL)[0]
    note = f"Fine-motor warm-up, offline check {uuid.uuid4().hex[:6]}."
    _tick(page, student)
    page.locator("#id_start_time").fill("11:45")
    page.locator("#id_modality").select_option("teletherapy")
    _type(page, "#id_platform", "Zoom")
    _type(page, "#id_note", note)

    def kept() -> None:
        notice = page.locator("#offline-restored")
        assert notice.is_visible() and RESTORED in notice.inner_text()
        assert page.locator("#id_note").input_value() == note
        assert page.get_by_label(student, exact=True).is_checked()
        assert page.locator("#id_start_time").input_value() == "11:45"
        assert page.locator("#id_modality").input_value() == "teletherapy"

    # An accidental reload.
    page.reload()
    kept()
    assert_accessible(page)

    # The server cannot be reached: the browser shows its own error; the page, opened again,
    # is refilled.
    page.route(
        LOG_POST,
        lambda route: route.abort() if route.request.method == "POST" else route.continue_(),
    )
    page.get_by_role("button", name="Save and sign").click()
    page.wait_for_load_state()
    page.unroute(LOG_POST)
    page.goto(LOG)
    kept()

    # An error page from the server (a 500 from a proxy or a crash): the same.
    page.route(
        LOG_POST,
        lambda route: (
            route.fulfill(status=500, body="Server Error", content_type="text/plain")
            if route.request.method == "POST"
            else route.continue_()
        ),
    )
    page.get_by_role("button", name="Save and sign").click()
    page.wait_for_load_state()
    page.unroute(LOG_POST)
    page.goto(LOG)
    kept()

    # Another person signing in on this browser is not offered it: kept per user.
    page.context.clear_cookies()
    sign_in(page, "slp@riverside.example")
    page.goto(LOG)
    assert page.locator("#offline-restored").is_hidden()
    assert page.locator("#id_note").input_value() == ""
    page.context.clear_cookies()
    sign_in(page, TELETHERAPIST)
    page.goto(LOG)
    kept()

    # Saved: the server's confirmation clears the copy, so a reload restores nothing.
    page.get_by_role("button", name="Save and sign").click()
    page.wait_for_selector("text=The session was logged and signed for 1 student.")
    assert page.locator("#offline-restored").is_hidden()
    assert _no_copy_kept(page)
    assert "saved=" not in page.url  # the confirmation is not left in the address
    page.reload()
    assert page.locator("#offline-restored").is_hidden()
    assert page.locator("#id_note").input_value() == ""
    assert not page.get_by_label(student, exact=True).is_checked()
