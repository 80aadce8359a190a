"""From concern to eligibility in a real browser, keyboard-friendly pages checked with axe."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import assert_accessible, sign_in

pytestmark = pytest.mark.browser

CASE_MANAGER = "casemanager@riverside.example"
PSYCHOLOGIST = "psych@riverside.example"


def _visit(page, url: str) -> None:
    page.goto(url)
    assert_accessible(page)


def _tick(page, selector: str) -> None:
    """USWDS hides the box itself; a person clicks (or presses Space on) its label."""
    box_id = page.locator(selector).get_attribute("id")
    page.locator(f"label[for='{box_id}']").click()
    assert page.locator(selector).is_checked()


def _submit(page, name: str) -> None:
    page.get_by_role("button", name=name).click()
    page.wait_for_load_state()
    assert page.locator(".usa-alert--error").count() == 0, page.content()[:3000]
    assert_accessible(page)


def _student_without_referral(page) -> str:
    hrefs = page.locator("main a[href^='/students/']").evaluate_all(
        "links => links.map(a => a.getAttribute('href'))"
    )
    for href in dict.fromkeys(h for h in hrefs if re.fullmatch(r"/students/[0-9a-f-]{36}/", h)):
        page.goto(href)
        if page.get_by_text("No referral for this student.").count():
            assert_accessible(page)
            return href
    raise AssertionError("every caseload student already has a referral")


def test_concern_to_eligibility(page, tmp_path):
    import weasyprint

    note = tmp_path / "teacher-note.pdf"
    weasyprint.HTML(string="<p>Reading concerns noted in class.</p>").write_pdf(note)

    sign_in(page, CASE_MANAGER)
    assert_accessible(page)
    student_url = _student_without_referral(page)

    # Referral with an uploaded document.
    page.get_by_role("link", name="New referral").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.select_option("#id_source", "teacher")
    page.fill("#id_source_name", "Ms. Rivera")
    page.fill("#id_received_on", "2026-11-02")
    _tick(page, "input[name=areas_of_concern][value=reading]")
    _tick(page, "input[name=areas_of_concern][value=writing]")
    page.fill("#id_description", "Decoding is well below grade level despite small-group help.")
    page.set_input_files("#id_evidence-0-file", str(note))
    page.select_option("#id_evidence-0-kind", "teacher_input")
    page.fill("#id_evidence-0-summary", "Teacher's notes")
    _submit(page, "Save referral")
    referral_url = page.url
    assert "/referrals/" in referral_url
    assert page.get_by_role("link", name="teacher-note.pdf").count() == 1

    # Case review: evaluate.
    page.get_by_role("link", name="Review the referral and decide what to do").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.fill("#id_decided_on", "2026-11-03")
    _tick(page, "input[name=decision][value=evaluate_special_education]")
    page.fill("#id_reason", "Suspected specific learning disability in reading.")
    _submit(page, "Save case review")

    # Prior written notice proposing the evaluation.
    page.get_by_role("link", name="Give prior written notice proposing the evaluation").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.fill("#id_issued_on", "2026-11-04")
    for name, text in {
        "action_described": "We propose a full evaluation in reading and writing.",
        "reasons": "Reading is well below grade level after interventions.",
        "evaluation_basis": "Teacher notes, benchmark scores.",
        "procedural_safeguards_statement": "A copy of your rights is enclosed.",
        "sources_of_help": "Parent center, 555-0100.",
        "options_considered": "More interventions: progress is too slow.",
        "other_factors": "None.",
    }.items():
        page.fill(f"#id_{name}", text)
    _submit(page, "Save notice")
    page.goto(referral_url)

    # Consent requested and given.
    page.get_by_role("link", name="Ask the parent for consent to evaluate").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.fill("#id_sent_on", "2026-11-05")
    page.select_option("#id_method", "in_person")
    _submit(page, "Save request")
    _tick(page, "input[name=response][value=given]")
    page.fill("#id_received_on", "2026-11-16")
    _submit(page, "Save answer")
    assert page.get_by_text("How this date was worked out").count() >= 1

    # Assessment plan with the psychologist as evaluator; due date defaults to the deadline.
    page.get_by_role("link", name="Plan the assessments").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.fill("#id_planned_on", "2026-11-17")
    page.select_option("#id_area", "academic")
    webb = page.locator("#id_evaluator option", has_text="Webb").first.get_attribute("value")
    page.select_option("#id_evaluator", webb)
    assert page.input_value("#id_due_on")
    page.fill("#id_instrument", "WIAT-4")
    _submit(page, "Add assessment")
    assessment_url = page.locator("table a[href^='/assessments/']").first.get_attribute("href")

    # The psychologist completes it.
    page.context.clear_cookies()
    sign_in(page, PSYCHOLOGIST)
    _visit(page, assessment_url)
    page.fill("#id_completed_on", "2026-11-25")
    page.fill("#id_summary", "Basic reading and fluency well below average.")
    page.fill("#id_scores-0-name", "Basic reading")
    page.fill("#id_scores-0-value", "78")
    _submit(page, "Complete assessment")

    # Back as case manager: report, eligibility, notice.
    page.context.clear_cookies()
    sign_in(page, CASE_MANAGER)
    _visit(page, referral_url)
    page.get_by_role("link", name="Write the evaluation report").click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.fill("#id_completed_on", "2026-11-26")
    page.fill("#id_summary", "Findings support a specific learning disability in reading.")
    _submit(page, "Save report")

    page.get_by_role("link", name="Decide eligibility").first.click()
    page.wait_for_load_state()
    assert_accessible(page)
    page.fill("#id_decided_on", "2026-11-27")
    _tick(page, "input[name=outcome][value=iep]")
    page.select_option("#id_primary_category", "specific_learning_disability")
    _tick(page, "#id_has_disability")
    _tick(page, "#id_adverse_effect")
    _tick(page, "#id_needs_sdi")
    for box in page.locator("input[name=team_present]").all():
        page.locator(f"label[for='{box.get_attribute('id')}']").click()
    _tick(page, "#id_parent_present")
    _submit(page, "Save decision")
    assert page.get_by_role("heading", name="Eligibility decision", exact=True).count() == 1

    pdf_link = page.get_by_role("link", name="Download the notice for the parent (PDF)")
    response = page.request.get(pdf_link.get_attribute("href"))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF")

    _visit(page, student_url)
    assert page.get_by_text("Eligibility decided").count() >= 1
