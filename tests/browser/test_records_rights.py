"""Records rights in a real browser, with the keyboard; every page axe-clean.

parent@ asks from her child's records page to see the records; the director finds the request
on the list of open requests with its due date, and answers it; parent@ then reads the answer.
The district's list of who may open records is axe-clean for both.
"""

from __future__ import annotations

import json

import pytest

from tests.browser.conftest import assert_accessible, run_in_live_db, sign_in

pytestmark = pytest.mark.browser

FIND = """
import json
from tandem.people.models import StudentGuardian
link = StudentGuardian.objects.filter(
    guardian__user__email="parent@riverside.example", educational_rights_holder=True,
).select_related("student").first()
print(json.dumps({"student": str(link.student.public_id), "name": link.student.display_name}))
"""


def press(page, name: str) -> None:
    """Focus a button in the main content and press Enter (no mouse)."""
    page.locator("main").get_by_role("button", name=name).focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state()


@pytest.fixture
def as_user(chromium, live_url):  # type: ignore[no-untyped-def]
    contexts = []

    def open_as(email: str):  # type: ignore[no-untyped-def]
        context = chromium.new_context(base_url=live_url)
        contexts.append(context)
        page = context.new_page()
        sign_in(page, email)
        return page

    yield open_as
    for context in contexts:
        context.close()


def test_the_parent_asks_to_see_the_records_and_the_director_answers(as_user):  # type: ignore[no-untyped-def]
    child = json.loads(run_in_live_db(FIND).strip().splitlines()[-1])
    parent = as_user("parent@riverside.example")
    parent.goto(f"/students/{child['student']}/records/")
    assert_accessible(parent)
    parent.locator("main").get_by_role("link", name="Ask to see or amend the records").focus()
    with parent.expect_navigation():
        parent.keyboard.press("Enter")
    assert_accessible(parent)
    press(parent, "Send the request")  # nothing chosen: the summary names both fields
    assert "Choose whether you want to see the records" in parent.content()
    assert_accessible(parent)
    parent.locator("#id_kind_0").focus()
    parent.keyboard.press("Space")
    parent.locator("#id_details").focus()
    parent.keyboard.type("All of the 2025 evaluation, please.")
    press(parent, "Send the request")
    assert "Your request was sent" in parent.content()
    assert "Waiting for an answer" in parent.content()
    assert_accessible(parent)

    director = as_user("director@riverside.example")
    director.goto("/records/requests/")
    assert child["name"] in director.content()
    assert_accessible(director)
    director.locator("main").get_by_role("link", name=child["name"]).first.focus()
    with director.expect_navigation():
        director.keyboard.press("Enter")
    assert_accessible(director)
    director.locator("#id_outcome_0").focus()
    director.keyboard.press("Space")
    director.locator("#id_answer").focus()
    director.keyboard.type("Shown at the district office with the psychologist.")
    press(director, "Record the answer")
    assert "The answer was recorded." in director.content()
    director.goto("/records/staff/")
    assert "Who may open students" in director.content()
    assert_accessible(director)

    parent.reload()
    assert "Shown at the district office" in parent.content()
    parent.goto("/records/staff/")
    assert_accessible(parent)
