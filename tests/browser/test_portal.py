"""The parent portal in a real browser: parent@ with the keyboard only, madre@ in Spanish.

Each parent sees their children's plans, progress and meetings, signs a consent, answers a
meeting and asks to change the plan (where those pages exist in the demo); every page is
axe-clean.
"""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.browser


def follow(page, name) -> None:
    """Move focus to a link in the main content and press Enter (no mouse)."""
    link = page.locator("main").get_by_role("link", name=name).first
    link.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state()


def choose(page, selector: str) -> None:
    """Select a radio button or tick a checkbox with the space bar."""
    page.locator(selector).focus()
    page.keyboard.press("Space")


def test_director_serves_a_family_on_paper(page):
    sign_in(page, "director@riverside.example")
    page.goto("/students/?q=Lily+Morgan")
    page.locator("main a", has_text="Morgan, Lily").first.click()
    page.wait_for_load_state()
    student = page.url.rstrip("/").rsplit("/", 1)[-1]
    page.goto(f"/students/{student}/family-portal/")
    assert "Parents and guardians" in page.locator("main").inner_text()
    assert_accessible(page)
    page.locator("main").get_by_role("link", name="Record a paper signature").first.click()
    page.wait_for_load_state()
    assert page.locator("input[name=scan]").count() == 1
    assert_accessible(page)
    pdf = page.request.get(page.locator("main a[href$='/print/']").first.get_attribute("href"))
    assert pdf.headers["content-type"] == "application/pdf"


def test_parent_signs_answers_and_asks_with_the_keyboard(page):
    sign_in(page, "parent@riverside.example")
    assert page.locator("h1").inner_text() == "My children"
    assert page.locator("main").get_by_text("1 form to sign").is_visible()
    assert_accessible(page)

    # Lily: the consent to evaluate, partly given.
    follow(page, "Open Lily's page")
    assert page.locator("h1").inner_text() == "Lily Morgan"
    assert_accessible(page)
    follow(page, "Consent to evaluate Lily")
    assert_accessible(page)
    choose(page, "input[name=decision][value=partial]")
    choose(page, "input[name=parts][value=reading]")
    choose(page, "input[name=parts][value=attention]")
    page.locator("#id_reason").focus()
    page.keyboard.type("Please leave out the social part for now.")
    page.locator("#id_typed_name").focus()
    page.keyboard.type("Jessica Morgan")
    choose(page, "#id_agree")
    page.get_by_role("button", name="Sign and send").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Your answer is signed and saved" in page.locator("main").inner_text()
    assert "I give consent to some parts only" in page.locator("main").inner_text()
    assert_accessible(page)

    # Ethan: the plan in plain words, goals with graphs, meetings, asking for a change.
    page.goto("/family/")
    follow(page, "Open Ethan's page")
    main = page.locator("main").inner_text()
    assert re.search(r"\d+ minutes, \d+ times a (week|month)", main)
    assert "Goals" in main
    assert_accessible(page)
    # The demo's annual review for Ethan waits for his parent's answer.
    respond = page.locator("main a[href*='/answer/']")
    assert respond.count(), "Ethan's upcoming meeting offers an answer link"
    child_url = page.url
    respond.first.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert_accessible(page)
    choose(page, "input[name=answer][value=accepted]")
    if page.locator("input[name=option]").count():
        choose(page, "input[name=option] >> nth=0")
    page.locator("main form button[type=submit]").first.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "We saved your answer and told the team" in page.locator("main").inner_text()
    assert_accessible(page)
    page.goto(child_url)
    follow(page, "Ask to change the plan")
    assert_accessible(page)
    page.locator("textarea[name=reason]").focus()
    page.keyboard.type("Ethan is not making progress on reading at home.")
    page.locator("main form button[type=submit]").first.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "Open: waiting for the case manager" in page.locator("main").inner_text()
    assert_accessible(page)

    page.goto("/family/")
    follow(page, "Your rights as a parent")
    assert "full state notice" in page.locator("main").inner_text()
    assert_accessible(page)


def test_madre_reads_spanish_and_signs(page):
    sign_in(page, "madre@riverside.example")
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.locator("h1").inner_text() == "Mis hijos"
    assert_accessible(page)
    mateo = page.locator("main a[href^='/family/children/']").filter(has_text="Mateo")
    mateo.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("h1").inner_text() == "Mateo Hernández"
    assert_accessible(page)
    page.locator("main a[href*='/family/consents/']").first.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert_accessible(page)
    choose(page, "input[name=decision][value=give]")
    page.locator("#id_typed_name").focus()
    page.keyboard.type("María Hernández")
    choose(page, "#id_agree")
    page.locator("main form button[type=submit]").focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert "/family/signatures/" in page.url
    assert_accessible(page)

    page.goto("/family/")
    sofia = page.locator("main a[href^='/family/children/']").filter(has_text="Sofía")
    sofia.focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    assert page.locator("html").get_attribute("lang") == "es"
    assert_accessible(page)
    page.goto("/family/rights/")
    assert "Sus derechos como padre o madre" in page.locator("h1").inner_text()
    assert_accessible(page)


def test_another_familys_child_is_not_found(page):
    sign_in(page, "parent@riverside.example")
    response = page.goto("/family/children/00000000-0000-4000-8000-000000000000/")
    assert response.status == 404
    assert_accessible(page)
