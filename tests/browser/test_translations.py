"""A plan translated for madre@ in a real browser, with the keyboard; every page axe-clean.

The director sees Sofía's IEP needs Spanish, requests a translation and gives it to a district
teacher who interprets; madre@ meanwhile reads the English under the notice that a translation
is coming; the interpreter translates side by side, tabbing from field to field; the director
checks and publishes it; madre@ then reads the Spanish.
"""

from __future__ import annotations

import json

import pytest

from tests.browser.conftest import assert_accessible, run_in_live_db, sign_in

pytestmark = pytest.mark.browser

FIND = """
import json
from tandem.people.models import Staff, StudentGuardian
from tandem.plans.models import Plan
link = StudentGuardian.objects.filter(
    guardian__user__email="madre@riverside.example", educational_rights_holder=True,
    student__plans__status="active",
).select_related("student").first()
plan = Plan.objects.filter(student=link.student, status="active").first()
teacher = Staff.objects.get(user__email="teacher@riverside.example")
print(json.dumps({"plan": str(plan.public_id), "student": str(link.student.public_id),
                  "teacher": str(teacher.public_id)}))
"""


def press(page, name: str) -> None:
    """Focus a button in the main content and press Enter (no mouse)."""
    page.locator("main").get_by_role("button", name=name).focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state()


@pytest.fixture
def as_user(chromium, live_url):
    contexts = []

    def open_as(email: str):
        context = chromium.new_context(base_url=live_url)
        contexts.append(context)
        page = context.new_page()
        sign_in(page, email)
        return page

    yield open_as
    for context in contexts:
        context.close()


def test_a_plan_is_translated_side_by_side_and_the_family_reads_it(page, as_user):  # type: ignore[no-untyped-def]
    ids = json.loads(run_in_live_db(FIND).strip().splitlines()[-1])
    sign_in(page, "director@riverside.example")
    page.goto(f"/plans/{ids['plan']}/")
    state = page.locator("[data-translation-state]")
    assert state.get_attribute("data-translation-state") == "needed"
    assert "Translation needed" in state.text_content()
    assert_accessible(page)
    press(page, "Request a translation")
    assert "/translations/" in page.url
    detail = page.url
    assert_accessible(page)
    page.locator("#id_translator").focus()
    page.locator("#id_translator").select_option(ids["teacher"])
    press(page, "Give it to this person")
    assert "Assigned to a translator" in page.locator("main").text_content()

    # Until it is published, madre@ reads the English, marked as English, under the notice.
    madre = as_user("madre@riverside.example")
    madre.goto(f"/family/children/{ids['student']}/")
    assert madre.locator("[data-translation-notice]").count() >= 1
    assert madre.locator("main p[lang=en]").count() >= 1
    assert_accessible(madre)

    # The interpreter: their list, then the editor, field after field with Tab.
    teacher = as_user("teacher@riverside.example")
    teacher.goto("/translations/")
    assert_accessible(teacher)
    link = teacher.locator("main a[href$='/edit/']").first
    link.focus()
    with teacher.expect_navigation():
        teacher.keyboard.press("Enter")
    assert_accessible(teacher)
    fields = teacher.locator("main textarea")
    count = fields.count()
    assert count > 0
    fields.first.focus()
    for n in range(count):
        teacher.keyboard.type(f"Párrafo {n + 1} en español.")
        teacher.keyboard.press("Tab")
    # After the last field, Tab reached the buttons: Save, then Save and send for review.
    teacher.keyboard.press("Tab")
    focused = teacher.evaluate("() => document.activeElement.textContent.trim()")
    assert focused == "Save and send for review"
    with teacher.expect_navigation():
        teacher.keyboard.press("Enter")
    assert "Translated, waiting for review" in teacher.locator("main").text_content()

    # The director checks and publishes it.
    page.goto(detail)
    press(page, "Mark reviewed")
    press(page, "Publish to the family")
    assert "Published to the family" in page.locator("main").text_content()
    assert_accessible(page)
    page.goto(f"/plans/{ids['plan']}/")
    assert page.locator("[data-translation-state]").get_attribute("data-translation-state") == (
        "published"
    )

    madre.goto(f"/family/children/{ids['student']}/")
    assert madre.locator("[data-translation-notice]").count() == 0
    text = madre.locator("main").inner_text()
    assert "en español." in text
    assert_accessible(madre)
