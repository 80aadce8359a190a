"""Issue 11 in a real browser: a legal document you can trust, walked as the case manager would.

A partial consent carried into the evaluation of the agreed areas; a finalize blocked by each
pre-finalize check in turn, each problem linked to where it is fixed (IEP and 504 Plan); a
"correction" of a service's minutes refused with the way to amend; a voided data point struck
through in the graph's table; a discarded draft; issued progress reports whose PDFs say nothing of
a draft, in English and in Spanish. Every new page visited is checked with axe-core.

The data (students of the demo case manager's own, brought to where each walk starts) is built
once for the module by tests/browser/trust_world.py in the live server's database.
"""

from __future__ import annotations

import io
import json
import re
from datetime import date

import pytest
from pypdf import PdfReader

from tests.browser.conftest import assert_accessible, run_in_live_db, sign_in

pytestmark = pytest.mark.browser

CASE_MANAGER = "casemanager@riverside.example"


@pytest.fixture(scope="module")
def trust(live_url) -> dict[str, str]:  # type: ignore[no-untyped-def]
    out = run_in_live_db("from tests.browser.trust_world import main; main()")
    return json.loads(out.strip().splitlines()[-1])


@pytest.fixture
def cm(page):  # type: ignore[no-untyped-def]
    sign_in(page, CASE_MANAGER)
    return page


def visit(page) -> None:  # type: ignore[no-untyped-def]
    page.wait_for_load_state()
    assert page.get_by_text("Something went wrong").count() == 0  # the error page
    assert_accessible(page)


def click(page, locator) -> None:  # type: ignore[no-untyped-def]
    """Follow a link or press a button that loads a new page, then check that page."""
    with page.expect_navigation():
        locator.click()
    visit(page)


def tick(page, selector: str) -> None:  # type: ignore[no-untyped-def]
    """USWDS hides the box itself; a person clicks its label."""
    box_id = page.locator(selector).get_attribute("id")
    page.locator(f"label[for='{box_id}']").click()
    assert page.locator(selector).is_checked()


# --- a: a partial consent carried into the evaluation ------------------------------------------


def test_partial_consent_evaluates_the_agreed_areas_only(cm, trust) -> None:  # type: ignore[no-untyped-def]
    page = cm
    page.goto(f"/referrals/{trust['referral']}/")
    visit(page)
    click(page, page.get_by_role("link", name="Record the parent's answer"))
    tick(page, "input[name=response][value=partial]")
    page.get_by_label("Date the answer was received").fill(trust["today"])
    tick(page, "input[name=areas_agreed][value=reading]")
    assert not page.locator("input[name=areas_agreed][value=speech_language]").is_checked()
    click(page, page.get_by_role("button", name="Save answer"))
    assert page.locator(".usa-alert--error").count() == 0
    # The referral no longer waits for consent: the next step is the assessment plan.
    assert "/referrals/" in page.url
    next_step = page.locator("section[aria-labelledby=next-heading] a.usa-button")
    assert "answer" not in next_step.inner_text()
    click(page, next_step)
    assert "/assessments/" in page.url
    note = page.locator("main [role=status]", has_text="partial consent").inner_text()
    assert "Speech and language" in note  # the refused area, named as refused
    offered = page.locator("#id_area option").all_inner_texts()
    assert not any("Speech" in o for o in offered), offered
    assert any("Academic" in o for o in offered), offered
    page.select_option("#id_area", label=next(o for o in offered if "Academic" in o))
    page.select_option("#id_evaluator", index=1)
    page.get_by_label("Date the plan was made").fill(trust["today"])
    page.get_by_label("Due on").fill(trust["today"])
    click(page, page.get_by_role("button", name="Add assessment"))
    assert page.locator(".usa-alert--error").count() == 0
    rows = page.locator("main table tbody th").all_inner_texts()
    assert len(rows) == 1 and "Academic" in rows[0], rows


# --- b: a finalize blocked by each pre-finalize check in turn ----------------------------------

BLOCKED = "Finalizing is blocked until everything above is fixed."


def problems(page) -> list[str]:  # type: ignore[no-untyped-def]
    """The check page's problems, each a link; finalizing is blocked while there are any."""
    items = page.locator("main .usa-alert--error li a").all_inner_texts()
    blocked = page.get_by_text(BLOCKED).count() == 1
    assert blocked == bool(items) and blocked != bool(
        page.get_by_role("button", name="Finalize the plan").count()
    )
    return items


def check(page, plan_id: str) -> list[str]:  # type: ignore[no-untyped-def]
    """Back to the draft, then "Check before finalizing", as the case manager goes."""
    if f"/plans/{plan_id}/edit/" not in page.url or "/edit/sections/" in page.url:
        page.goto(f"/plans/{plan_id}/edit/")
        visit(page)
    click(page, page.get_by_role("link", name="Check before finalizing"))
    return problems(page)


def follow(page, words: str) -> None:  # type: ignore[no-untyped-def]
    """Follow the problem's link to where it is fixed."""
    click(page, page.locator("main .usa-alert--error li a", has_text=words))


def save_section(page, fields: dict[str, str]) -> None:  # type: ignore[no-untyped-def]
    for label, text in fields.items():
        page.get_by_label(label).fill(text)
    # Leaving a field starts an autosave; Save waits for it, then submits.
    click(page, page.get_by_role("button", name="Save", exact=True))


def test_finalize_is_blocked_by_each_check_in_turn(cm, trust) -> None:  # type: ignore[no-untyped-def]
    page, plan_id, today = cm, trust["blocked_iep"], trust["today"]
    page.goto(f"/plans/{plan_id}/edit/")
    visit(page)
    found = check(page, plan_id)
    expected = (
        "no special education or related services",  # 300.320(a)(4)
        "measurable",  # the goal checker's own verdict, 300.320(a)(2)
        "short-term objectives",  # alternate assessment, 300.320(a)(2)(ii)
        "alternate",  # why the alternate assessment, 300.320(a)(6)(ii)
        "transition age",  # 300.320(b), at the state's age
        "consent to the initial provision of services",  # 300.300(b)
    )
    for words in expected:
        assert any(words in p for p in found), (words, found)

    # Services: the link leads to the draft's services; adding one that removes the student
    # from the regular class now asks for the explanation of removal.
    follow(page, "no special education or related services")
    assert page.url.endswith(f"/plans/{plan_id}/edit/#services")
    click(page, page.get_by_role("link", name="Add a service"))
    page.select_option("#id_category", "related")
    page.get_by_label("Service", exact=True).fill("Speech-language therapy")
    page.get_by_label("Minutes each time").fill("30")
    page.get_by_label("How many times").fill("2")
    page.select_option("#id_per", "week")
    page.get_by_label("Setting or location").fill("Speech room")
    page.get_by_label("Start date").fill(today)
    page.get_by_label("Provider role").fill("Speech-language pathologist")
    click(page, page.get_by_role("button", name="Save the service"))
    found = check(page, plan_id)
    assert not any("no special education" in p for p in found), found
    assert any("60 minutes a week" in p for p in found), found

    # The explanation of removal, on the LRE section.
    follow(page, "60 minutes a week")
    assert "/edit/sections/lre/" in page.url
    save_section(
        page,
        {
            "Explanation of removal": "Speech therapy is given in the speech room, which is quiet; "
            "Iker is in the regular class the rest of the day."
        },
    )
    found = check(page, plan_id)
    assert not any("minutes a week" in p for p in found), found

    # The goal the checker finds not measurable, and its missing objectives: the goal editor.
    follow(page, "measurable")
    assert "/goals/" in page.url
    page.get_by_label("Goal", exact=True).fill(
        "By June 2027, when given a grade-level passage, Iker will read aloud 90 words correct "
        "per minute in 3 of 4 weekly probes, as measured by curriculum-based reading probes."
    )
    page.get_by_label("Short-term objectives or benchmarks").fill(
        "By December 2026, 70 words correct per minute.\nBy March 2027, 80 words correct per minute."
    )
    click(page, page.get_by_role("button", name="Save goal"))
    found = check(page, plan_id)
    assert not any("measurable" in p or "short-term objectives" in p for p in found), found

    # Why the alternate assessment: the assessments section.
    follow(page, "alternate")
    assert "/edit/sections/assessments/" in page.url
    save_section(
        page,
        {
            "If alternate: why the student cannot take the regular state assessment, and why "
            "the alternate is appropriate": "Iker has a significant cognitive disability and is "
            "taught to the alternate standards the alternate assessment measures."
        },
    )
    found = check(page, plan_id)
    assert not any("alternate" in p for p in found), found

    # Transition at the state's age: the transition section, not "TBD".
    follow(page, "transition age")
    assert "/edit/sections/transition/" in page.url
    save_section(
        page,
        {
            "Postsecondary goal: education or training": "Iker will attend community college.",
            "Postsecondary goal: employment": "Iker will work in a library.",
            "Transition services": "Career exploration and a visit to the community college.",
        },
    )
    found = check(page, plan_id)
    assert found == [p for p in found if "consent to the initial provision of services" in p], found

    # Consent to the initial provision of services, on the draft's page.
    follow(page, "consent to the initial provision of services")
    assert page.url.endswith(f"/plans/{plan_id}/edit/#consent")
    tick(page, "input[name=answer][value=yes]")
    page.get_by_label("Date of the answer").fill(today)
    click(page, page.get_by_role("button", name="Record the parent's answer"))
    assert check(page, plan_id) == []
    assert page.get_by_text("Nothing is missing").is_visible()

    page.get_by_label("Effective from").fill(today)
    click(page, page.get_by_role("button", name="Finalize the plan"))
    assert page.url.endswith(f"/plans/{plan_id}/")
    assert page.locator(".usa-tag", has_text="Active").count()


def test_a_504_plan_is_blocked_without_an_impairment_or_accommodations(cm, trust) -> None:  # type: ignore[no-untyped-def]
    page, plan_id = cm, trust["blocked_504"]
    page.goto(f"/plans/{plan_id}/edit/")
    visit(page)
    found = check(page, plan_id)
    assert any("does not name the impairment" in p for p in found), found
    assert any("no accommodations or services" in p for p in found), found

    follow(page, "does not name the impairment")
    assert "/edit/sections/section_504_impairment/" in page.url
    save_section(page, {"Physical or mental impairment": "ADHD, diagnosed in 2025."})
    found = check(page, plan_id)
    assert found and all("no accommodations or services" in p for p in found), found

    follow(page, "no accommodations or services")
    assert page.url.endswith(f"/plans/{plan_id}/edit/#accommodations")
    click(page, page.get_by_role("link", name="Add from the district library"))
    tailor = page.locator("section[aria-labelledby=tailor-heading]")
    tick(page, "input[name=kind][value=accommodation]")
    tailor.locator("select[name=category]").select_option("timing_scheduling")
    tailor.get_by_label("What it is, in the plan's words").fill("Extended time (1.5x) on tests")
    tick(page, "input[name=applies_to][value=tests]")
    click(page, tailor.get_by_role("button", name="Save", exact=True))
    assert check(page, plan_id) == []


# --- c: a "correction" of a service's minutes is refused, with the way to amend --------------


def test_a_correction_of_minutes_is_refused_with_the_link_to_amend(cm, trust) -> None:  # type: ignore[no-untyped-def]
    page, plan_id = cm, trust["correct"]
    page.goto(f"/plans/{plan_id}/")
    visit(page)
    click(page, page.get_by_role("link", name="Correct an error"))
    click(page, page.locator("main ul a", has_text="Speech-language therapy"))
    minutes = page.get_by_label("Minutes")
    assert minutes.input_value() == "30"
    minutes.fill("60")
    page.get_by_label("What the correction fixes").fill("A typo: 60 minutes, not 30.")
    page.get_by_role("button", name="Save the correction").click()
    visit(page)
    assert "/correct/" in page.url  # refused: still on the correction page
    assert page.get_by_text("part of what the plan provides").count()
    click(page, page.get_by_role("link", name="Amend the plan instead"))
    assert page.url.endswith(f"/plans/{plan_id}/amend/")
    page.goto(f"/plans/{plan_id}/versions/")
    visit(page)
    assert page.get_by_text("A typo: 60 minutes").count() == 0  # no corrected version


# --- d: a voided data point, struck through in the graph's table ------------------------------


def test_a_voided_point_is_struck_through_in_the_table(cm, trust) -> None:  # type: ignore[no-untyped-def]
    page = cm
    page.goto(f"/goals/{trust['void_goal']}/progress/")
    visit(page)
    table = page.locator("main table").filter(
        has=page.get_by_role("link", name=re.compile("^Void"))
    )
    click(page, table.get_by_role("link", name=re.compile(r"^Void the point of .*\(5%\)")))
    assert "/void/" in page.url
    page.get_by_role("button", name="Void this point").click()  # no reason: refused
    visit(page)
    assert page.locator(".usa-error-message").count()
    page.get_by_label(re.compile("reason|why", re.I)).fill("Entered for the wrong student")
    click(page, page.get_by_role("button", name="Void this point"))
    assert page.url.endswith(f"/goals/{trust['void_goal']}/progress/")
    struck = page.locator("main table del", has_text="5%")
    assert struck.count() == 1 and struck.is_visible()
    assert page.get_by_text("voided: Entered for the wrong student").count()
    assert page.locator("main table del", has_text="55%").count() == 0  # the good point stays


# --- e: a discarded draft -----------------------------------------------------------------------


def test_a_discarded_draft_shows_as_discarded(cm, trust) -> None:  # type: ignore[no-untyped-def]
    page, plan_id = cm, trust["discard"]
    page.goto(f"/plans/{plan_id}/edit/")
    visit(page)
    click(page, page.get_by_role("link", name="Discard this draft"))
    page.get_by_role("button", name="Discard the draft").click()  # no reason: refused
    visit(page)
    assert "/discard/" in page.url and page.locator(".usa-error-message").count()
    page.get_by_label("Why is this draft discarded?").fill(
        "Started by mistake: the review is in May."
    )
    click(page, page.get_by_role("button", name="Discard the draft"))
    assert page.get_by_text("The draft was discarded.").count()
    # The student's page: the plan in effect is the one before; the draft is no longer listed.
    plans = page.locator("section[aria-labelledby='plans-heading']")
    assert plans.locator(f"a[href='/plans/{plan_id}/']").count() == 0
    page.goto(f"/plans/{plan_id}/")
    visit(page)
    status = (page.locator("main dl .usa-tag").text_content() or "").strip()
    assert status == "Discarded", status
    assert page.get_by_text("it never took effect").count()
    assert page.locator(".usa-tag", has_text="Active").count() == 0
    assert page.get_by_role("link", name="Amend").count() == 0
    assert page.get_by_role("link", name="Correct an error").count() == 0


# --- f: issued progress reports: no "Draft" in the family's PDF, the issue date on it ---------


def pdf_text(body: bytes) -> str:
    return "\n".join(p.extract_text() or "" for p in PdfReader(io.BytesIO(body)).pages)


@pytest.mark.parametrize("language", ["en", "es"])
def test_an_issued_report_pdf_has_no_draft_and_its_issue_date(cm, trust, language) -> None:  # type: ignore[no-untyped-def]
    from django.utils import formats, translation

    page = cm
    page.goto(f"/reports/{trust[f'report_{language}']}/")
    visit(page)
    assert page.get_by_role("link", name="Preview the PDF").count() == 1
    click(page, page.get_by_role("button", name="Issue and send to the family"))
    assert page.get_by_text("The report was issued and sent to the family.").count()
    link = page.get_by_role("link", name="Download the PDF")
    response = page.request.get(link.get_attribute("href"))
    assert response.ok and response.body().startswith(b"%PDF")
    text = pdf_text(response.body())
    for word in ("draft", "borrador"):
        assert word not in text.lower(), f"{word!r} in the issued PDF ({language})"
    with translation.override(language):
        issued = formats.date_format(date.fromisoformat(trust["today"]), "DATE_FORMAT")
        label = translation.gettext("Issued")
    assert label in text and issued in " ".join(text.split()), (label, issued, text[:1500])
