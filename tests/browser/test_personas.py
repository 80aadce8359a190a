"""Every demo account signs in, lands on its own home page, and every page it visits is accessible."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.browser

HOMES = [
    ("director@riverside.example", "Schools"),
    ("principal@riverside.example", "Schools"),
    ("casemanager@riverside.example", "My caseload"),
    ("teacher@riverside.example", "My students"),
    ("slp@riverside.example", "My caseload across schools and districts"),
    ("psych@riverside.example", "Students whose team I am on"),
    ("coordinator504@riverside.example", "Students whose team I am on"),
    ("teletherapist@brightpath.example", "My caseload across schools and districts"),
    ("parent@riverside.example", "My children"),
    ("madre@riverside.example", "Mis hijos"),
    ("director@oakvalley.example", "Schools"),
]


def test_login_page_is_accessible(page):
    page.goto("/login/")
    assert_accessible(page)


@pytest.mark.parametrize(("email", "heading"), HOMES)
def test_each_account_lands_on_its_home_and_every_page_is_accessible(page, email, heading):
    sign_in(page, email)
    assert page.locator("h1, h2", has_text=heading).first.is_visible()
    assert_accessible(page)
    if email.startswith(("parent@", "madre@")):  # families land in the portal
        page.locator("main a[href^='/family/children/']").first.click()
        page.wait_for_load_state()
        assert_accessible(page)
        for link_text in ("Who opened this record", "Quién abrió este expediente"):
            link = page.get_by_role("link", name=link_text)
            if link.count():
                link.first.click()
                page.wait_for_load_state()
                assert_accessible(page)
        return
    links = page.locator("main a[href^='/students/']")
    if heading == "Schools":  # leaders open a school's students first
        links.first.click()
        page.wait_for_selector("#results")
        assert_accessible(page)
        links = page.locator("#results tbody a[href^='/students/']")
    assert links.count() > 0, "every demo account has at least one student"
    links.first.click()
    page.wait_for_selector("h2#profile-heading")
    assert_accessible(page)
    for link_text in (
        "Change history",
        "Historial de cambios",
        "Who opened this record",
        "Quién abrió este expediente",
        "Edit profile",
        "Editar perfil",
    ):
        link = page.get_by_role("link", name=link_text)
        if link.count():
            link.first.click()
            page.wait_for_load_state()
            assert_accessible(page)
            page.go_back()


def test_case_manager_searches_with_htmx_and_edits_with_field_errors(page):
    sign_in(page, "casemanager@riverside.example")
    page.get_by_role("link", name="Students").first.click()
    assert_accessible(page)
    first = page.locator("#results tbody th a").first
    last_name = first.inner_text().split(",")[0]
    page.locator("#id_q").fill(last_name)
    page.wait_for_function(
        "q => [...document.querySelectorAll('#results tbody th a')].every(a => a.textContent.includes(q))",
        arg=last_name,
    )
    page.locator("#results tbody th a").first.click()
    page.get_by_role("link", name="Edit profile").click()
    assert_accessible(page)
    page.locator("#id_home_language").fill("")
    page.get_by_role("button", name="Save").click()
    assert page.locator("#id_home_language-error").is_visible()
    assert_accessible(page)
    page.locator("#id_home_language").fill("Vietnamese")
    page.get_by_role("button", name="Save").click()
    page.wait_for_selector("text=The student's profile was saved.")
    page.get_by_role("link", name="Change history").click()
    assert page.locator("td", has_text="Vietnamese").is_visible()


def test_director_searches_the_audit_log(page):
    sign_in(page, "director@riverside.example")
    page.get_by_role("link", name="Audit log").click()
    assert_accessible(page)
    page.locator("#id_date_from").fill("2026-05-02")
    page.locator("#id_date_to").fill("2026-05-01")
    page.get_by_role("button", name="Search the log").click()
    assert page.locator("#id_date_to-error").is_visible()
    assert_accessible(page)


def test_language_switch_by_keyboard_is_remembered(page):
    sign_in(page, "teacher@riverside.example")
    page.locator("#language-select").select_option("es")
    page.get_by_role("button", name="Change language").click()
    page.wait_for_selector("html[lang='es']")
    assert page.locator("h2", has_text="Mis estudiantes").is_visible()
    assert_accessible(page)
    # Back to English for the other tests that share this account.
    page.locator("#language-select").select_option("en")
    page.get_by_role("button", name="Cambiar idioma").click()
    page.wait_for_selector("html[lang='en']")


def test_skip_link_is_the_first_stop_and_moves_focus_to_main(page):
    page.goto("/password-reset/")  # the sign-in page puts focus in the email field instead
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.textContent")
    assert re.search("Skip to main content", focused)
    page.keyboard.press("Enter")
    assert page.evaluate("document.activeElement.id") == "main-content"


def test_parent_cannot_reach_another_child(page, live_url):
    sign_in(page, "parent@riverside.example")
    response = page.goto("/students/00000000-0000-4000-8000-000000000000/")
    assert response.status == 404
    assert_accessible(page)


def test_a_contractor_reads_the_record_but_cannot_edit_the_profile_or_start_a_plan(page):
    # The BrightPath teletherapist serves the student under a contract: she reads the record she
    # needs for her sessions, and nothing on the page offers what her job does not include.
    sign_in(page, "teletherapist@brightpath.example")
    page.locator("main a[href^='/students/']").first.click()
    page.wait_for_selector("h2#profile-heading")
    student_path = re.match(r"https?://[^/]+(/students/[0-9a-f-]+/)", page.url).group(1)
    assert page.get_by_role("link", name="Edit profile").count() == 0
    assert page.get_by_role("link", name=re.compile("^Start a draft")).count() == 0
    assert_accessible(page)
    # Typing the addresses does not help: the policy refuses, and says so plainly.
    edit = page.goto(student_path + "edit/")
    assert edit.status == 403
    assert_accessible(page)
    new_plan = page.goto(student_path + "plans/new/?kind=iep")
    assert new_plan.status == 403
    token = page.context.cookies()
    csrf = next(c["value"] for c in token if c["name"] == "csrftoken")
    posted = page.request.post(
        student_path + "plans/new/",
        form={"kind": "iep"},
        headers={"X-CSRFToken": csrf, "Referer": page.url},
    )
    assert posted.status == 403
