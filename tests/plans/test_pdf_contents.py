"""What a parent reads in the IEP and 504 Plan PDFs: the text extracted from the real PDFs.

The student's identifying facts, the eligibility (disability category or impairment), the team
with roles, a participants page with a signature line each, no "Draft" on a finalized plan, and
no page that holds only a heading. The PDFs are rendered once for the module (WeasyPrint takes
about a second each) inside a transaction that is rolled back, and the tests read the texts.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass, field
from datetime import date

import pytest
import weasyprint
from django.db import transaction
from django.test import Client
from pypdf import PdfReader

from tandem.compliance.actions import ensure_deadline
from tandem.documents import pdf
from tandem.people.models import (
    CaseloadAssignment,
    Guardian,
    Relationship,
    Role,
    StudentGuardian,
    TeamMembership,
    TeamRole,
)
from tandem.plans import actions_drafts, actions_versions
from tandem.plans.models import PlanKind
from tandem.referrals.models import EligibilityDecision, Referral
from tests.factories import (
    make_district,
    make_school,
    make_staff,
    make_student,
    meet_finalize_requirements,
)

TODAY = date(2025, 9, 1)
MEETING = date(2025, 9, 10)
START = date(2025, 8, 1)
DRAFT_WORDS = ("draft", "borrador")


@dataclass
class Rendered:
    """One PDF: its pages' text, and the headings of the HTML it was made from."""

    pages: list[str]
    headings: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return "\n".join(self.pages)

    @property
    def flat(self) -> str:
        """The text with line breaks as spaces (table cells and long lines wrap)."""
        return re.sub(r"\s+", " ", self.text)


def _capture_html(monkeypatch_target: object) -> list[str]:
    seen: list[str] = []
    real = weasyprint.HTML

    def capture(*args, **kwargs):  # type: ignore[no-untyped-def]
        seen.append(kwargs["string"])
        return real(*args, **kwargs)

    monkeypatch_target.HTML = capture  # type: ignore[attr-defined]
    return seen


def _headings(html: str) -> list[str]:
    found = re.findall(r"<h[1-3][^>]*>(.*?)</h[1-3]>", html, flags=re.S)
    return [re.sub(r"\s+", " ", re.sub(r"<[^>]+>", "", h)).strip() for h in found]


def _build_iep(actor, student) -> object:  # type: ignore[no-untyped-def]
    plan = actions_drafts.create_draft(
        actor=actor, student=student, kind=PlanKind.IEP, today=TODAY, meeting_date=MEETING
    )
    for key, content in (
        ("plaafp", {"text": "Daniela reads grade-level text at 110 words per minute."}),
        (
            "transition",
            {
                "education": "Daniela will attend a community college after high school.",
                "employment": "Daniela will work part time in a library.",
                "services": "Career interest inventory and a community college visit in spring.",
            },
        ),
        ("transfer_of_rights", {"text": "Daniela and her mother were told of the transfer."}),
    ):
        actions_drafts.save_section(
            actor=actor, plan=plan, key=key, content=content, expected_revision=0
        )
    actions_drafts.add_service(
        actor=actor,
        plan=plan,
        data={
            "category": "special_education",
            "name": "Reading intervention",
            "minutes": 45,
            "times": 3,
            "per": "week",
            "setting": "Resource room",
            "start_date": MEETING,
            "end_date": date(2026, 6, 12),
            "provider_role": "Education specialist",
        },
    )
    actions_drafts.add_goal(
        actor=actor,
        plan=plan,
        data={
            "area": "Reading",
            "text": "By June 2026, Daniela will summarize a grade-level passage with 4 of 5 "
            "key ideas on 3 of 4 probes.",
        },
    )
    actions_drafts.add_accommodation(
        actor=actor,
        plan=plan,
        data={
            "kind": "accommodation",
            "category": "timing_scheduling",
            "text": "Extended time (1.5x) on tests.",
            "applies_to": ["tests"],
        },
    )
    meet_finalize_requirements(actor, plan, TODAY)
    actions_versions.finalize_plan(actor=actor, plan=plan, effective_from=MEETING, today=TODAY)
    plan.refresh_from_db()
    return plan


def _build_504(actor, student) -> object:  # type: ignore[no-untyped-def]
    plan = actions_drafts.create_draft(
        actor=actor, student=student, kind=PlanKind.SECTION_504, today=TODAY, meeting_date=MEETING
    )
    for key, content in (
        (
            "section_504_impairment",
            {"impairment": "ADHD", "major_life_activities": ["concentrating", "learning"]},
        ),
        ("section_504_review", {"review_date": "2026-09-01"}),
    ):
        actions_drafts.save_section(
            actor=actor, plan=plan, key=key, content=content, expected_revision=0
        )
    actions_drafts.add_accommodation(
        actor=actor,
        plan=plan,
        data={
            "kind": "accommodation",
            "category": "setting",
            "text": "Seat near the teacher, away from the door.",
            "applies_to": ["classroom", "tests"],
        },
    )
    actions_versions.finalize_plan(actor=actor, plan=plan, effective_from=MEETING, today=TODAY)
    plan.refresh_from_db()
    return plan


def _decide(actor, student, **facts) -> EligibilityDecision:  # type: ignore[no-untyped-def]
    referral = Referral.objects.create(
        student=student,
        source="parent",
        received_on=date(2025, 5, 1),
        areas_of_concern=["reading"],
        description="Concern",
        created_by=actor,
    )
    return EligibilityDecision.objects.create(
        referral=referral, student=student, decided_by=actor, **facts
    )


def _world() -> dict[str, object]:
    district = make_district(name="Riverside Unified", state="CA", slug="riverside")
    high = make_school(district, name="North High", code="NH", low="9", high="12")
    elementary = make_school(district, name="North Elementary", code="NE")
    cm = make_staff("cm@r.test", [(Role.CASE_MANAGER, district, None)], first="Cara", last="Jones")
    teacher = make_staff("t@r.test", [(Role.TEACHER, district, high)], first="Tom", last="Reed")
    psych = make_staff("psy@r.test", [(Role.EVALUATOR, district, None)], first="Priya", last="Shah")
    gone = make_staff("old@r.test", [(Role.PROVIDER, district, None)], first="Ed", last="Gone")
    coordinator = make_staff(
        "504@r.test", [(Role.COORDINATOR_504, district, None)], first="Ana", last="Torres"
    )
    daniela = make_student(
        high,
        first="Daniela",
        last="Ramírez",
        grade="10",
        legal_middle_name="Sofía",
        preferred_first_name="Dani",
        date_of_birth=date(2009, 5, 4),
        sis_id="S-1001",
        state_id="CA-778899",
        home_language="Spanish",
    )
    leo = make_student(elementary, first="Leo", last="Park", date_of_birth=date(2017, 3, 14))
    mother = Guardian.objects.create(
        district=district, first_name="Lucía", last_name="Ramírez", preferred_language="es"
    )
    uncle = Guardian.objects.create(district=district, first_name="Hugo", last_name="Vega")
    for student in (daniela, leo):
        StudentGuardian.objects.create(
            student=student, guardian=mother, relationship=Relationship.MOTHER
        )
    StudentGuardian.objects.create(
        student=daniela,
        guardian=uncle,
        relationship=Relationship.OTHER,
        educational_rights_holder=False,
    )
    CaseloadAssignment.objects.create(staff=cm, student=daniela, start_date=START)
    for staff, student, role, end in (
        (cm, daniela, TeamRole.CASE_MANAGER, None),
        (teacher, daniela, TeamRole.GENERAL_EDUCATION_TEACHER, None),
        (psych, daniela, TeamRole.PSYCHOLOGIST, None),
        (gone, daniela, TeamRole.OCCUPATIONAL_THERAPIST, date(2025, 8, 31)),
        (coordinator, leo, TeamRole.COORDINATOR_504, None),
        (cm, leo, TeamRole.CASE_MANAGER, None),
    ):
        TeamMembership.objects.create(
            staff=staff, student=student, role=role, start_date=START, end_date=end
        )
    actor = cm.user
    iep_decision = _decide(
        actor,
        daniela,
        decided_on=date(2025, 8, 20),
        outcome="iep",
        primary_category="specific_learning_disability",
        secondary_categories=["speech_language_impairment"],
        has_disability=True,
        adverse_effect=True,
        needs_sdi=True,
    )
    ensure_deadline(
        student=daniela, kind="reevaluation", trigger=iep_decision.decided_on, source=iep_decision
    )
    _decide(
        actor,
        leo,
        decided_on=date(2025, 8, 25),
        outcome="section_504",
        impairment="Attention-deficit/hyperactivity disorder",
        major_life_activities=["concentrating", "learning"],
        substantial_limitation=True,
    )
    return {"actor": actor, "daniela": daniela, "leo": leo}


@pytest.fixture(scope="module")
def pdfs(django_db_setup, django_db_blocker) -> dict[str, Rendered]:  # type: ignore[no-untyped-def]
    """IEP and 504 Plan (finalized) in English and Spanish, and an empty 504 draft."""
    real = pdf.weasyprint.HTML
    html = _capture_html(pdf.weasyprint)
    out: dict[str, Rendered] = {}
    try:
        with django_db_blocker.unblock(), transaction.atomic():
            made = _world()
            iep = _build_iep(made["actor"], made["daniela"])
            section_504 = _build_504(made["actor"], made["leo"])
            empty = actions_drafts.create_draft(
                actor=made["actor"], student=made["daniela"], kind=PlanKind.SECTION_504, today=TODAY
            )
            client = Client()
            client.force_login(made["actor"])
            for name, url in (
                ("iep", f"/plans/{iep.public_id}/versions/1/pdf/"),  # type: ignore[attr-defined]
                ("504", f"/plans/{section_504.public_id}/versions/1/pdf/"),  # type: ignore[attr-defined]
                ("draft", f"/plans/{empty.public_id}/pdf/"),
            ):
                for language in ("en", "es"):
                    response = client.get(url, {"lang": language})
                    assert response.status_code == 200, (name, language)
                    reader = PdfReader(io.BytesIO(response.content))
                    out[f"{name}-{language}"] = Rendered(
                        [page.extract_text() or "" for page in reader.pages], _headings(html[-1])
                    )
            transaction.set_rollback(True)
    finally:
        pdf.weasyprint.HTML = real
    return out


FINAL = ["iep-en", "iep-es", "504-en", "504-es"]
EVERY = [*FINAL, "draft-en", "draft-es"]


@pytest.mark.parametrize("name", FINAL)
def test_identifying_facts(pdfs, name) -> None:  # type: ignore[no-untyped-def]
    doc = pdfs[name]
    spanish = name.endswith("es")
    text = doc.flat
    assert "Riverside Unified" in text
    if name.startswith("iep"):
        assert "Daniela Sofía Ramírez" in text
        assert "Dani Ramírez" in text  # the preferred name
        assert ("4 de mayo de 2009" if spanish else "May 4, 2009") in text
        assert "S-1001" in text and "CA-778899" in text
        assert ("10.º grado" if spanish else "Grade 10") in text
        assert "North High" in text
        # The home language, as recorded; Tandem's list has its Spanish.
        assert ("Español" if spanish else "Spanish") in text
        assert ("Fecha de inicio" if spanish else "Start date") in text
        assert ("10 de septiembre de 2025" if spanish else "Sept. 10, 2025") in text
        # The annual review a year after the meeting, the triennial three years after eligibility.
        assert ("10 de septiembre de 2026" if spanish else "Sept. 10, 2026") in text
        assert "2028" in text
    else:
        assert "Leo Park" in text
        assert ("14 de marzo de 2017" if spanish else "March 14, 2017") in text
        assert "North Elementary" in text
        # The review date the team wrote in the 504 Plan's review section.
        assert ("1 de septiembre de 2026" if spanish else "Sept. 1, 2026") in text
    # The parent who holds the rights, not the relative who does not.
    assert "Lucía Ramírez" in text and ("Madre" if spanish else "Mother") in text
    assert "Hugo Vega" not in text


@pytest.mark.parametrize("name", FINAL)
def test_eligibility_category(pdfs, name) -> None:  # type: ignore[no-untyped-def]
    text, spanish = pdfs[name].flat, name.endswith("es")
    if name.startswith("iep"):
        primary = "Discapacidad específica del aprendizaje" if spanish else "Specific learning"
        secondary = "Impedimento del habla o lenguaje" if spanish else "Speech or language"
        assert primary in text and secondary in text
        assert ("20 de agosto de 2025" if spanish else "Aug. 20, 2025") in text
    else:
        assert "Attention-deficit/hyperactivity disorder" in text
        assert ("Concentrarse" if spanish else "Concentrating") in text
        assert ("25 de agosto de 2025" if spanish else "Aug. 25, 2025") in text


@pytest.mark.parametrize("name", FINAL)
def test_team_with_roles(pdfs, name) -> None:  # type: ignore[no-untyped-def]
    doc, spanish = pdfs[name], name.endswith("es")
    lines = doc.text.splitlines()
    case_manager = "Administrador del caso" if spanish else "Case manager"
    expected = (
        [
            ("Cara Jones", case_manager),
            ("Tom Reed", "Maestro de educación general" if spanish else "General education"),
            ("Priya Shah", "Psicólogo escolar" if spanish else "School psychologist"),
        ]
        if name.startswith("iep")
        else [("Ana Torres", "Coordinador" if spanish else "504 coordinator")]
    )
    for person, role in expected:
        assert any(person in line and role in line for line in lines), (person, role)
    # A team member whose membership ended before the meeting is not on this plan's team.
    assert "Ed Gone" not in doc.text
    # The case manager is listed once (before the signature page) though caseload and team
    # both say so.
    assert "\n".join(doc.pages[:-1]).count("Cara Jones") == 1


@pytest.mark.parametrize("name", FINAL)
def test_participants_page_with_a_signature_line_each(pdfs, name) -> None:  # type: ignore[no-untyped-def]
    doc, spanish = pdfs[name], name.endswith("es")
    last = re.sub(r"\s+", " ", doc.pages[-1])
    assert ("Firma" if spanish else "Signature") in last
    assert ("Fecha" if spanish else "Date") in last
    parent = "Padre, madre o tutor" if spanish else "Parent or guardian"
    assert "Lucía Ramírez" in last and parent in last
    if name.startswith("iep"):
        for person in ("Cara Jones", "Tom Reed", "Priya Shah"):
            assert person in last
        # Sixteen during the plan: the student takes part in transition planning and signs.
        assert "Daniela Sofía Ramírez" in last
        assert ("Estudiante" if spanish else "Student") in last
    else:
        assert "Ana Torres" in last
        assert "Leo Park" not in last  # eight years old: the parent signs


@pytest.mark.parametrize("name", FINAL)
def test_no_draft_word_on_a_finalized_plan(pdfs, name) -> None:  # type: ignore[no-untyped-def]
    text = pdfs[name].text.lower()
    for word in DRAFT_WORDS:
        assert word not in text, f"{word!r} in the finalized {name}"


@pytest.mark.parametrize("name", ["draft-en", "draft-es"])
def test_a_draft_says_so(pdfs, name) -> None:  # type: ignore[no-untyped-def]
    word = "Borrador" if name.endswith("es") else "Draft"
    assert all(word in page for page in pdfs[name].pages)


def body_of(page: str, headings: list[str]) -> str:
    """What a page says besides its headings and the running header and footer."""
    rest = re.sub(r"\s+", " ", page)
    for running in ("Riverside Unified", "Borrador", "Draft"):
        rest = rest.replace(running, " ")
    rest = re.sub(r"(Page|Página) \d+ (of|de) \d+", " ", rest)
    rest = re.sub(r"(Version|Versión) \d+ \([^)]*\) (of|del) [\d-]+", " ", rest)
    for heading in sorted({h for h in headings if h}, key=len, reverse=True):
        rest = rest.replace(heading, " ")
    return re.sub(r"[\s•]", "", rest)


def test_the_check_finds_a_page_with_only_a_heading() -> None:
    page = "Riverside Unified Version 1 (Original) of 2026-12-05\nMeasurable annual\ngoals\nPage 3 of 4"
    assert body_of(page, ["Measurable annual goals"]) == ""


@pytest.mark.parametrize("name", EVERY)
def test_no_page_holds_only_a_heading(pdfs, name) -> None:  # type: ignore[no-untyped-def]
    doc = pdfs[name]
    for number, page in enumerate(doc.pages, start=1):
        assert len(body_of(page, doc.headings)) > 20, f"page {number} of {name}: {page!r}"


def test_empty_sections_say_so_in_one_line_or_are_left_out(pdfs) -> None:  # type: ignore[no-untyped-def]
    doc = pdfs["draft-en"]
    text = doc.flat
    # The impairment a 504 Plan rests on is required: said to be unwritten, in one line.
    assert "Impairment and major life activities None written." in text
    # Optional parts of a 504 Plan with nothing in them are left out.
    for absent in ("Measurable annual goals", "Services", "Modifications", "Strengths"):
        assert absent not in doc.headings
    assert len(doc.pages) <= 3
    # The student's IDEA three-year reevaluation is not this 504 Plan's reevaluation.
    assert "Reevaluation due" not in text and "2028" not in text
