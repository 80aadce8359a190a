"""The living document in a real browser, as casemanager@: last year's IEP to an annual review
draft, finalized, amended, corrected, compared; axe-clean on every page visited.

Prints (-s) how many form submissions and fields the annual review took, for the closing note.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

import pytest

from tests.browser.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.browser

SKIP_NAMES = ("Morgan", "Hernández")  # the family's children: other tests read their plans


@dataclass
class Tally:
    """Form submissions and fields touched, per stage."""

    stages: dict[str, list[int]] = field(default_factory=dict)
    stage: str = ""

    def start(self, name: str) -> None:
        self.stage = name
        self.stages.setdefault(name, [0, 0])

    def field(self, n: int = 1) -> None:
        self.stages[self.stage][1] += n

    def submit(self) -> None:
        self.stages[self.stage][0] += 1


def visit(page, tally: Tally | None = None) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_load_state()
    assert_accessible(page)


def find_student_with_active_iep(page) -> str:  # type: ignore[no-untyped-def]
    """The plan page of a caseload student whose IEP is active with no draft under way."""
    page.goto("/")
    hrefs = []
    for link in page.locator("main a[href^='/students/']").all():
        href = link.get_attribute("href") or ""
        text = link.inner_text()
        if (
            re.fullmatch(r"/students/[0-9a-f-]{36}/", href)
            and not any(n in text for n in SKIP_NAMES)
            and href not in hrefs
        ):
            hrefs.append(href)
    for href in hrefs:
        page.goto(href)
        section = page.locator("section[aria-labelledby='plans-heading']")
        if not section.count():
            continue
        tags = [t.strip() for t in section.locator(".usa-tag").all_text_contents()]
        if "Active" in tags and "Draft" not in tags and "Proposed" not in tags:
            row = section.locator("tr", has=page.locator(".usa-tag", has_text="Active")).first
            if "IEP" in (row.text_content() or ""):
                return row.locator("a[href^='/plans/']").first.get_attribute("href") or ""
    raise AssertionError("no caseload student with an active IEP and no draft")


def test_annual_review_finalize_amend_correct_compare(page):  # type: ignore[no-untyped-def]
    today = date.today().isoformat()
    tally = Tally()
    sign_in(page, "casemanager@riverside.example")
    plan_url = find_student_with_active_iep(page)
    page.goto(plan_url)
    visit(page)

    # --- annual review: from last year's plan to a draft ready for the meeting ---------------
    tally.start("annual review")
    page.get_by_role("link", name="Start the annual review").click()
    visit(page)
    page.get_by_label("Date of the annual review meeting").fill(today)
    tally.field()
    page.get_by_role("button", name="Start the draft").click()
    tally.submit()
    page.wait_for_load_state()
    assert "/edit/" in page.url or "/plans/" in page.url
    draft_url = page.url
    visit(page)
    draft_id = re.search(r"/plans/([0-9a-f-]{36})/", draft_url).group(1)  # type: ignore[union-attr]

    # The team edits what changed: this year's present levels.
    page.goto(f"/plans/{draft_id}/edit/sections/plaafp/")
    visit(page)
    present = page.get_by_label("Present levels of academic achievement and functional performance")
    present.fill(present.input_value() + " This year the student met the reading goal.")
    tally.field()
    # Leaving the field starts an autosave; Save waits for it, then submits: wait for that page.
    with page.expect_navigation():
        page.get_by_role("button", name="Save", exact=True).click()
    tally.submit()
    visit(page)

    page.goto(f"/plans/{draft_id}/edit/check/")
    visit(page)
    assert page.get_by_text("Nothing is missing").is_visible()
    review = tally.stages["annual review"]

    # --- finalize at the meeting -------------------------------------------------------------
    tally.start("finalize")
    page.get_by_label("Effective from").fill(today)
    tally.field()
    page.get_by_role("button", name="Finalize the plan").click()
    tally.submit()
    page.wait_for_url(f"**/plans/{draft_id}/")
    visit(page)
    assert page.locator(".usa-tag", has_text="Active").count()

    # --- amend without a meeting -------------------------------------------------------------
    tally.start("amend")
    page.get_by_role("link", name="Amend").click()
    visit(page)
    page.locator("label[for=id_with_meeting_1]").click()
    page.get_by_label("Date of the parent's written agreement").fill(today)
    page.get_by_label("What changes and why").fill("One more session a week, agreed by phone.")
    page.locator("#services-services-0 summary").click()
    times = page.locator("#id_services-0-times")
    old_times = int(times.input_value())
    times.fill(str(old_times + 1))
    tally.field(4)
    page.get_by_role("button", name="Save the amendment").click()
    tally.submit()
    page.wait_for_url(f"**/plans/{draft_id}/")
    visit(page)
    assert page.get_by_text("The plan was amended").is_visible()

    # --- correct a typo ----------------------------------------------------------------------
    tally.start("correct")
    page.get_by_role("link", name="Correct an error").click()
    visit(page)
    page.locator("main a", has_text="Goal:").first.click()
    page.wait_for_load_state()
    visit(page)
    goal = page.locator("#id_fix-text")
    text = goal.input_value()
    goal.fill(
        text.replace("By ", "By the end of ", 1) if text.startswith("By ") else f"By June, {text}"
    )
    page.get_by_label("What the correction fixes").fill("A word was missing in the goal.")
    tally.field(2)
    page.get_by_role("button", name="Save the correction").click()
    tally.submit()
    page.wait_for_url(f"**/plans/{draft_id}/")
    visit(page)
    assert page.get_by_text("Corrected: version 3").is_visible()

    # --- compare versions in plain words -----------------------------------------------------
    page.get_by_role("link", name="Compare versions").first.click()
    visit(page)
    assert page.get_by_role("heading", name="From version 2 to version 3").is_visible()
    assert page.locator("main li", has_text="Goal (").count()
    page.select_option("#id_a", "1")
    page.select_option("#id_b", "2")
    page.get_by_role("button", name="Compare", exact=True).click()
    page.wait_for_load_state()
    visit(page)
    # Which service comes first depends on which caseload student is picked (other browser
    # tests change the demo first); its frequency may be per day, week or month.
    change = page.locator("main li", has_text=re.compile(rf"{old_times}x/\w+ → ")).first
    assert re.search(rf"{old_times}x/(\w+) → .*{old_times + 1}x/\1", change.inner_text())

    page.goto(f"/plans/{draft_id}/versions/")
    visit(page)
    assert page.get_by_text("A word was missing in the goal.").is_visible()

    print(
        "\nAnnual review, last year's plan to a draft ready for the meeting: "
        f"{review[0]} form submissions, {review[1]} fields touched"
    )
    for name, (subs, fields) in tally.stages.items():
        print(f"  {name}: {subs} submissions, {fields} fields")
