"""The records pages of this stop in a real browser, with the keyboard; every page axe-clean.

The director states why she opens records, reads the types and locations of records and the
retention schedule, and records that a student who reached the age of majority holds their own
rights; the lists she works from offer their downloads.
"""

from __future__ import annotations

import json

import pytest

from tests.browser.conftest import assert_accessible, run_in_live_db, sign_in

pytestmark = pytest.mark.browser

DIRECTOR = "director@riverside.example"

FIND = """
import json
from tandem.core import clock
from tandem.people.models import District, Student
from tandem.people.relations import holds_own_rights, majority_on
riverside = District.objects.get(slug="riverside")
adult = None
for s in Student.objects.filter(district=riverside, grade="12").order_by("id"):
    day = majority_on(s)
    if day and day <= clock.today() and holds_own_rights(s) is None and s.guardian_links.exists():
        adult = str(s.public_id)
        break
print("FOUND", json.dumps({"district": str(riverside.public_id), "adult": adult}))
"""


def _facts() -> dict[str, str | None]:
    line = next(x for x in run_in_live_db(FIND).splitlines() if x.startswith("FOUND "))
    return json.loads(line.removeprefix("FOUND "))


def _press(page, name: str) -> None:  # type: ignore[no-untyped-def]
    page.locator("main").get_by_role("button", name=name).focus()
    with page.expect_navigation():
        page.keyboard.press("Enter")
    page.wait_for_load_state()


def test_the_director_states_her_purpose_and_reads_the_records_pages(page):  # type: ignore[no-untyped-def]
    facts = _facts()
    sign_in(page, DIRECTOR)
    page.goto("/account/purpose/")
    assert_accessible(page)
    page.locator("#id_purpose").focus()
    page.keyboard.press("ArrowDown")  # the first listed reason, chosen from the keyboard
    page.locator("#id_purpose").select_option("compliance")
    _press(page, "Save")
    assert page.locator(".usa-alert--success").is_visible()
    assert page.locator("#id_purpose").input_value() == "compliance"
    for url in (
        "/records/types-and-locations/",
        "/records/retention/",
        f"/records/retention/settings/{facts['district']}/",
        "/deadlines/",
        "/students/",
        "/audit/",
    ):
        page.goto(url)
        assert page.locator("h1").first.is_visible(), url
        assert_accessible(page)
    page.goto("/students/")
    assert page.locator("main a[download]", has_text="Download as XLSX").is_visible()


def test_the_director_records_that_an_adult_student_holds_their_own_rights(page):  # type: ignore[no-untyped-def]
    facts = _facts()
    if facts["adult"] is None:
        pytest.skip("the demo has no grade 12 student past the age of majority on this date")
    sign_in(page, DIRECTOR)
    page.goto(f"/students/{facts['adult']}/rights-at-majority/")
    assert_accessible(page)
    page.locator("#id_email").focus()
    page.keyboard.type("adult.student@riverside.example")
    page.locator("#id_language").select_option("es")
    _press(page, page.locator("main button[type=submit]").inner_text())
    assert "/family-portal/" in page.url
    assert page.locator("#rights").is_visible()
    assert "holds their own rights since" in page.locator("main").inner_text()
    assert_accessible(page)
