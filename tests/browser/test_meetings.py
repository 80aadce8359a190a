"""Meetings in a real browser: casemanager@ schedules an amendment meeting with a timely notice,
downloads the .ics, and records a meeting that took place (attendance, decisions); axe-clean."""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

import pytest

from tandem.demo.districts import RIVERSIDE_SPEC
from tandem.rules.calendar import federal_holidays
from tests.browser.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.browser


def _school_day(day: date) -> date:
    """The first day from `day` the demo's Riverside schools are open."""
    closed = {
        start + timedelta(days=n)
        for _kind, _name, start, end in RIVERSIDE_SPEC.closures
        for n in range((end - start).days + 1)
    }
    while day.weekday() >= 5 or day in closed or day in federal_holidays(day.year):
        day += timedelta(days=1)
    return day


def test_case_manager_schedules_downloads_and_records(page):
    sign_in(page, "casemanager@riverside.example")
    page.get_by_role("link", name="Meetings", exact=True).click()
    page.wait_for_load_state()
    assert_accessible(page)

    # Schedule an amendment meeting for Ethan Morgan, sixteen days out: the notice is timely.
    page.goto("/")
    page.locator("main a", has_text="Morgan, Ethan").first.click()
    page.wait_for_selector("h2#meetings-heading")
    page.locator("#meetings-heading ~ p a", has_text="Schedule a meeting").click()
    page.wait_for_selector("h1")
    assert_accessible(page)
    page.select_option("#id_kind", "amendment")
    page.get_by_role("button", name="Update the list of who must be invited").click()
    page.wait_for_load_state()
    page.fill("#id_purpose", "Talk about adding reading support.")
    page.fill("#id_start_1", "10:00")
    page.fill("#id_place_details", "Riverside Elementary, room 4")
    # A Saturday first: the page names the day and asks for a confirmation, saving nothing.
    saturday = date.today() + timedelta(days=16)
    saturday += timedelta(days=(5 - saturday.weekday()) % 7)
    page.fill("#id_day_1", saturday.isoformat())
    page.get_by_role("button", name="Schedule and send the notice").click()
    page.wait_for_load_state()
    assert "/new/" in page.url
    assert page.locator("#id_confirm_closed_days").is_visible()
    assert "The school is closed on a day you chose" in page.locator("main").inner_text()
    assert_accessible(page)
    page.fill("#id_day_1", _school_day(date.today() + timedelta(days=16)).isoformat())
    page.get_by_role("button", name="Schedule and send the notice").click()
    page.wait_for_url(lambda url: "/meetings/" in url and "/new/" not in url)
    assert page.get_by_text("The meeting is scheduled and the notice was sent").is_visible()
    assert_accessible(page)

    # The calendar invitation.
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Add to calendar (.ics)").click()
    path = download_info.value.path()
    text = Path(path).read_text(encoding="utf-8")
    assert "BEGIN:VEVENT" in text and "room 4" in text

    # Record the meeting that took place yesterday.
    page.goto("/meetings/?scope=past")
    page.locator("main table a", has_text="Amendment").first.click()
    page.wait_for_selector("#record-heading")
    for radio in page.locator("input[type=radio][value=yes]").all():
        page.locator(f"label[for='{radio.get_attribute('id')}']").click()
    for select in page.locator("select[id^=id_how_]").all():
        select.select_option("in_person")
    page.fill("#id_notes", "We looked at the behavior data.")
    page.fill("#id_decisions", "Add a check-in with the counselor each morning.")
    page.get_by_role("button", name="Save and mark the meeting held").click()
    page.wait_for_load_state()
    assert page.get_by_text("The meeting is recorded as held.").is_visible()
    assert page.locator("#minutes-heading").is_visible()
    assert_accessible(page)


def test_a_parent_without_an_account_answers_from_the_emailed_link(chromium, live_url):
    """The link in the notice's email, opened with no account, answered with the keyboard in
    Spanish; axe-clean before and after."""
    from tests.browser.conftest import run_in_live_db

    token = run_in_live_db(
        "from django.utils import timezone\n"
        "from tandem.meetings.models import Meeting, MeetingInvitee, MeetingStatus\n"
        "from tandem.meetings.answer_links import make_token\n"
        "from tandem.people.models import Guardian, StudentGuardian\n"
        "m = Meeting.objects.filter(status__in=[MeetingStatus.PROPOSED, MeetingStatus.SCHEDULED],"
        " starts_at__gt=timezone.now()).order_by('starts_at').first()\n"
        "g = Guardian.objects.create(district=m.student.district, first_name='Rosa',"
        " last_name='Abuela', email='rosa@example.com', preferred_language='es')\n"
        "StudentGuardian.objects.create(student=m.student, guardian=g, relationship='grandparent')\n"
        "i = MeetingInvitee.objects.create(meeting=m, guardian=g, role='parent')\n"
        "print('TOKEN', make_token(i))\n"
    )
    token = next(line for line in token.splitlines() if line.startswith("TOKEN ")).split()[1]
    context = chromium.new_context(base_url=live_url)
    page = context.new_page()
    page.goto(f"/meetings/answer/{token}/")
    assert page.locator("html").get_attribute("lang") == "es"
    assert "¿Puede venir?" in page.locator("main").inner_text()
    assert_accessible(page)
    page.locator("input[name='answer'][value='declined']").focus()
    page.keyboard.press("Space")
    page.locator("main form button[type='submit']").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Gracias" in page.locator("main").inner_text()
    assert_accessible(page)
    context.close()


def test_the_meetings_calendar_with_the_keyboard(page):
    """From the list to the month, on to the next month, to a meeting; axe-clean at 1280 and
    on a phone's width."""
    sign_in(page, "casemanager@riverside.example")
    page.goto("/meetings/")
    page.get_by_role("link", name="Show the meetings as a calendar").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("table.tandem-cal caption").is_visible()
    assert_accessible(page)
    page.get_by_role("link", name="Next month", exact=False).focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "month=" in page.url
    assert_accessible(page)
    page.set_viewport_size({"width": 400, "height": 800})
    assert_accessible(page)
    assert page.evaluate("document.documentElement.scrollWidth") <= 400
