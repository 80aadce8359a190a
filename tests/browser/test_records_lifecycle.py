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
        "/caseloads/",
        "/plans/",
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


LEFT = """
import json
from datetime import date
from tandem.people.models import District, Guardian, Relationship, Student, StudentGuardian
riverside = District.objects.get(slug="riverside")
student = (
    Student.objects.filter(district=riverside, guardian_links__guardian__user__isnull=False)
    .exclude(plans__isnull=False).order_by("-id").first()
)
student.exit_date = date(2015, 6, 12)  # left long ago: every type is past its period
student.save()
father, _ = Guardian.objects.get_or_create(
    district=riverside, first_name="Paper", last_name="Parent",
    defaults={"preferred_language": "es", "address": "1 Mill Rd"},
)
StudentGuardian.objects.get_or_create(
    student=student, guardian=father, defaults={"relationship": Relationship.FATHER}
)
print("FOUND", json.dumps({"student": str(student.public_id)}))
"""


def test_the_director_serves_the_destruction_notice_on_paper(page):  # type: ignore[no-untyped-def]
    line = next(x for x in run_in_live_db(LEFT).splitlines() if x.startswith("FOUND "))
    student = json.loads(line.removeprefix("FOUND "))["student"]
    sign_in(page, DIRECTOR)
    page.goto(f"/students/{student}/records/retention/")
    assert_accessible(page)
    page.locator("input[name=record_types][value=communication]").focus()
    page.keyboard.press("Space")
    _press(page, "Send the notice to the parents")
    assert page.locator("#paper-heading").is_visible()
    assert_accessible(page)
    link = page.locator("main a", has_text="Print the notice").first
    pdf = page.request.get(link.get_attribute("href"))
    assert pdf.ok and pdf.headers["content-type"] == "application/pdf"
    page.locator("#id_guardian").select_option(label="Paper Parent")
    page.locator("input[name=answer][value=copy]").focus()
    page.keyboard.press("Space")
    page.locator("#id_received_on").fill(page.evaluate("new Date().toISOString().slice(0, 10)"))
    _press(page, "Record the answer")
    assert page.locator(".usa-alert--success").is_visible()
    assert "Send me a copy first" in page.locator("main").inner_text()
    assert_accessible(page)
