"""The referral pages: each works, an outsider gets 404, a read-only role gets 403 on writes."""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tandem.accounts.models import AuditEvent
from tandem.compliance.models import Deadline, DeadlineKind
from tandem.people.models import StaffRole, TeamMembership, TeamRole
from tandem.referrals import actions, actions_common
from tandem.referrals.models import (
    Assessment,
    AssessmentArea,
    AssessmentPlan,
    CaseReview,
    Consent,
    ConsentKind,
    DisabilityCategory,
    EligibilityDecision,
    EligibilityOutcome,
    Evidence,
    NoticeAction,
    PriorWrittenNotice,
    Referral,
    ReferralStatus,
)

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
NOTICE_FIELDS = {
    "action_described": "We will not evaluate now.",
    "reasons": "Progress with interventions.",
    "evaluation_basis": "Benchmarks.",
    "procedural_safeguards_statement": "Copy enclosed.",
    "sources_of_help": "PTI center.",
    "options_considered": "Evaluation: not yet needed.",
    "other_factors": "None.",
}


def _client(world, persona):
    return world.client_for(persona)


# --- access: every page, three personas -------------------------------------------------------


@pytest.fixture
def full_path(world, cm, media, evaluating_referral):
    """A referral with a plan, one completed assessment, a report and an IEP decision."""
    referral = evaluating_referral
    psych = world.users["psych"]
    plan = actions.plan_assessments(actor=cm, referral=referral, created_on=date(2025, 11, 12))
    assessment = actions.add_assessment(
        actor=cm,
        plan=plan,
        area=AssessmentArea.ACADEMIC,
        evaluator=psych.staff,
        due_on=date(2025, 12, 12),
    )
    actions.complete_assessment(
        actor=psych,
        assessment=assessment,
        completed_on=date(2025, 12, 10),
        summary="Reading well below average.",
    )
    actions.complete_evaluation_report(
        actor=cm, referral=referral, completed_on=date(2025, 12, 15), summary="SLD in reading."
    )
    actions.decide_eligibility(
        actor=cm,
        referral=referral,
        decided_on=date(2026, 1, 12),
        outcome=EligibilityOutcome.IEP,
        team_present=[cm.staff, psych.staff],
        parent_present=True,
        primary_category=DisabilityCategory.SPECIFIC_LEARNING_DISABILITY,
        has_disability=True,
        adverse_effect=True,
        needs_sdi=True,
    )
    evidence = actions.add_evidence(
        actor=cm,
        referral=referral,
        kind="teacher_input",
        upload=SimpleUploadedFile("note.pdf", PDF, content_type="application/pdf"),
    )
    return referral, assessment, evidence


def _read_urls(world, referral, assessment, evidence):
    notice = referral.notices.first()
    return [
        reverse("student", args=[world.maya.public_id]),
        reverse("referral_detail", args=[referral.public_id]),
        reverse("notice_detail", args=[notice.public_id]),
        reverse("notice_pdf", args=[notice.public_id]),
        reverse("assessment_plan", args=[referral.public_id]),
        reverse("eligibility_notice", args=[referral.public_id]),
        reverse("eligibility_notice_pdf", args=[referral.public_id]),
        reverse("evidence_download", args=[evidence.public_id]),
    ]


def _write_urls(world, referral, assessment):
    consent = referral.consents.first()
    return [
        reverse("referral_new", args=[world.maya.public_id]),
        reverse("case_review", args=[referral.public_id]),
        reverse("notice_new", args=[referral.public_id]),
        reverse("consent_request", args=[referral.public_id]),
        reverse("consent_response", args=[consent.public_id]),
        reverse("assessment_complete", args=[assessment.public_id]),
        reverse("evaluation_report", args=[referral.public_id]),
        reverse("eligibility_decide", args=[referral.public_id]),
    ]


@pytest.mark.parametrize(
    ("persona", "read", "write"),
    [
        ("case_manager", 200, 200),
        ("psych", 200, 200),
        ("director", 200, 200),
        ("teacher", 200, 403),
        ("parent", 200, 403),
        ("stranger", 404, 404),
        ("oak_director", 404, 404),
        ("uncle", 404, 404),
    ],
)
def test_every_page_answers_by_relationship(world, full_path, persona, read, write):
    referral, assessment, evidence = full_path
    client = _client(world, persona)
    for url in _read_urls(world, referral, assessment, evidence):
        assert client.get(url).status_code == read, (persona, url)
    for url in _write_urls(world, referral, assessment):
        assert client.get(url).status_code == write, (persona, url)
        if write != 200:
            assert client.post(url, {}).status_code == write, (persona, url)


def test_a_post_to_the_assessment_plan_is_refused_to_read_only(world, full_path):
    referral, _, _ = full_path
    url = reverse("assessment_plan", args=[referral.public_id])
    assert _client(world, "teacher").post(url, {}).status_code == 403
    assert _client(world, "stranger").post(url, {}).status_code == 404


def test_anonymous_is_sent_to_sign_in(world, parent_referral):
    response = world.client_for("anonymous").get(
        reverse("referral_detail", args=[parent_referral.public_id])
    )
    assert response.status_code == 302


def test_unknown_ids_are_not_found(world):
    client = _client(world, "case_manager")
    for name in ("referral_detail", "case_review", "notice_detail", "evidence_download"):
        assert client.get(reverse(name, args=["nope"])).status_code == 404


# --- the overview section and the hub ---------------------------------------------------------


def test_overview_shows_the_referral_with_its_next_step_and_deadline(world, evaluating_referral):
    response = _client(world, "case_manager").get(reverse("student", args=[world.maya.public_id]))
    html = response.content.decode()
    assert "Referrals and evaluations" in html
    assert reverse("referral_detail", args=[evaluating_referral.public_id]) in html
    assert reverse("assessment_plan", args=[evaluating_referral.public_id]) in html
    assert "How this date was worked out" in html


def test_overview_section_queries_do_not_grow_with_referrals(world, cm, evaluating_referral):
    client = _client(world, "case_manager")
    url = reverse("student", args=[world.maya.public_id])
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for day in (3, 4, 5):
        actions.create_referral(
            actor=cm,
            student=world.maya,
            source="teacher",
            received_on=date(2025, 11, day),
            areas_of_concern=["math"],
            description="Math.",
        )
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many) == len(one)


def test_hub_query_count_is_fixed(world, full_path):
    referral, _, _ = full_path
    client = _client(world, "case_manager")
    url = reverse("referral_detail", args=[referral.public_id])
    with CaptureQueriesContext(connection) as first:
        assert client.get(url).status_code == 200
    for n in range(3):
        actions.add_evidence(
            actor=world.users["case_manager"],
            referral=referral,
            kind="observation",
            upload=SimpleUploadedFile(f"o{n}.pdf", PDF, content_type="application/pdf"),
        )
    with CaptureQueriesContext(connection) as second:
        client.get(url)
    assert len(second) == len(first) <= 20


def test_hub_shows_steps_and_next_step(world, reviewed_referral):
    html = (
        _client(world, "case_manager")
        .get(reverse("referral_detail", args=[reviewed_referral.public_id]))
        .content.decode()
    )
    assert "Case review" in html and "Prior written notice" in html
    assert reverse("consent_request", args=[reviewed_referral.public_id]) in html


# --- new referral -----------------------------------------------------------------------------


def _referral_post(**changes):
    data = {
        "source": "teacher",
        "source_name": "Ms. Ray",
        "received_on": "2025-10-20",
        "areas_of_concern": ["reading", "math"],
        "description": "Struggles to decode.",
        "evidence-TOTAL_FORMS": "3",
        "evidence-INITIAL_FORMS": "0",
        "evidence-MIN_NUM_FORMS": "0",
        "evidence-MAX_NUM_FORMS": "10",
    }
    data.update(changes)
    return data


def test_new_referral_with_two_documents(world, media):
    url = reverse("referral_new", args=[world.maya.public_id])
    response = _client(world, "case_manager").post(
        url,
        _referral_post(
            **{
                "evidence-0-file": SimpleUploadedFile("a.pdf", PDF),
                "evidence-0-kind": "teacher_input",
                "evidence-0-summary": "Teacher notes",
                "evidence-1-file": SimpleUploadedFile("b.txt", b"plain notes"),
                "evidence-1-kind": "observation",
            }
        ),
    )
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("referral_detail", args=[referral.public_id])
    assert referral.areas_of_concern == ["reading", "math"]
    assert sorted(e.original_name for e in referral.evidence.all()) == ["a.pdf", "b.txt"]


@pytest.mark.parametrize(
    ("upload", "message"),
    [
        (SimpleUploadedFile("virus.exe", b"MZ"), "is not one"),
        (SimpleUploadedFile("fake.pdf", b"not a pdf"), "does not contain what its name says"),
    ],
)
def test_bad_upload_is_refused_with_a_field_message_and_nothing_stored(
    world, media, upload, message
):
    url = reverse("referral_new", args=[world.maya.public_id])
    response = _client(world, "case_manager").post(
        url, _referral_post(**{"evidence-0-file": upload, "evidence-0-kind": "other"})
    )
    assert response.status_code == 200
    assert message in response.content.decode()
    assert "Nothing was saved" in response.content.decode()
    assert not Referral.objects.exists() and not Evidence.objects.exists()
    assert not [p for p in media.rglob("*") if p.is_file()]


def test_too_large_upload_is_refused(world, media, monkeypatch):
    monkeypatch.setattr(actions_common, "MAX_UPLOAD_BYTES", 10)
    url = reverse("referral_new", args=[world.maya.public_id])
    response = _client(world, "case_manager").post(
        url,
        _referral_post(
            **{"evidence-0-file": SimpleUploadedFile("a.pdf", PDF), "evidence-0-kind": "other"}
        ),
    )
    assert "the limit is 10 MB" in response.content.decode()
    assert not Referral.objects.exists()


def test_new_referral_needs_an_area(world):
    url = reverse("referral_new", args=[world.maya.public_id])
    response = _client(world, "case_manager").post(url, _referral_post(areas_of_concern=[]))
    assert "Choose at least one area of concern." in response.content.decode()
    assert not Referral.objects.exists()


# --- case review and notice -------------------------------------------------------------------


def test_refusing_a_parent_request_needs_the_seven_elements(world, parent_referral):
    url = reverse("case_review", args=[parent_referral.public_id])
    client = _client(world, "case_manager")
    base = {
        "decided_on": "2025-10-27",
        "decision": "no_action",
        "reason": "Doing fine.",
        "language": "es",
    }
    response = client.post(url, base)
    assert response.status_code == 200
    assert "Refusing the parent&#x27;s request needs this part" in response.content.decode()
    assert not CaseReview.objects.exists()
    response = client.post(url, {**base, **NOTICE_FIELDS})
    assert response.status_code == 302
    notice = PriorWrittenNotice.objects.get()
    assert notice.action == NoticeAction.REFUSES and notice.language == "es"
    parent_referral.refresh_from_db()
    assert parent_referral.status == ReferralStatus.CLOSED


def test_review_before_the_referral_is_refused_on_the_field(world, parent_referral):
    response = _client(world, "case_manager").post(
        reverse("case_review", args=[parent_referral.public_id]),
        {"decided_on": "2025-10-01", "decision": "evaluate_special_education", "reason": "x"},
    )
    assert "cannot come before the referral" in response.content.decode()
    assert not CaseReview.objects.exists()


def test_notice_page_and_pdf(world, cm, parent_referral):
    response = _client(world, "case_manager").post(
        reverse("notice_new", args=[parent_referral.public_id]),
        {"action": "proposes", "issued_on": "2025-10-28", "language": "es", **NOTICE_FIELDS},
    )
    notice = PriorWrittenNotice.objects.get()
    assert response["Location"] == reverse("notice_detail", args=[notice.public_id])
    pdf = _client(world, "parent").get(reverse("notice_pdf", args=[notice.public_id]))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert pdf.content.startswith(b"%PDF")
    html = [t for t in pdf.templates if t.name == "referrals/notice_pdf.html"]
    assert html and pdf.context["student"] == world.maya
    # Rendered in the notice's language (Spanish here) when the catalogue has the strings.
    assert pdf.context["notice"].language == "es"


def test_notice_missing_an_element_is_refused(world, parent_referral):
    fields = {**NOTICE_FIELDS, "other_factors": ""}
    response = _client(world, "case_manager").post(
        reverse("notice_new", args=[parent_referral.public_id]),
        {"action": "proposes", "issued_on": "2025-10-28", "language": "en", **fields},
    )
    assert response.status_code == 200
    assert not PriorWrittenNotice.objects.exists()


# --- consent ----------------------------------------------------------------------------------


def test_consent_request_then_answer_with_signed_form(
    world, media, riverside_calendar, reviewed_referral
):
    client = _client(world, "case_manager")
    response = client.post(
        reverse("consent_request", args=[reviewed_referral.public_id]),
        {"kind": ConsentKind.INITIAL_EVALUATION, "sent_on": "2025-10-28", "method": "mail"},
    )
    consent = Consent.objects.get()
    assert response["Location"] == reverse("consent_response", args=[consent.public_id])
    response = client.post(
        reverse("consent_response", args=[consent.public_id]),
        {
            "response": "given",
            "received_on": "2025-11-10",
            "document": SimpleUploadedFile("signed.pdf", PDF),
        },
    )
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.response == "given" and consent.document
    download = _client(world, "teacher").get(reverse("consent_document", args=[consent.public_id]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    assert AuditEvent.objects.filter(action="evidence.downloaded").count() == 1
    assert (
        _client(world, "stranger")
        .get(reverse("consent_document", args=[consent.public_id]))
        .status_code
        == 404
    )


def test_consent_before_the_notice_is_refused(world, cm, parent_referral):
    actions.record_case_review(
        actor=cm,
        referral=parent_referral,
        decided_on=date(2025, 10, 27),
        decision="evaluate_special_education",
        reason="Suspected SLD.",
    )
    response = _client(world, "case_manager").post(
        reverse("consent_request", args=[parent_referral.public_id]),
        {"kind": ConsentKind.INITIAL_EVALUATION, "sent_on": "2025-10-28", "method": "mail"},
    )
    assert "Issue prior written notice" in response.content.decode()
    assert not Consent.objects.exists()


def test_refused_consent_needs_a_reason(world, consent_request):
    response = _client(world, "case_manager").post(
        reverse("consent_response", args=[consent_request.public_id]),
        {"response": "refused", "received_on": "2025-11-10"},
    )
    assert "Record the reason the parent gave" in response.content.decode()
    consent_request.refresh_from_db()
    assert consent_request.response == "pending"


# --- evaluation -------------------------------------------------------------------------------


def test_assessment_plan_defaults_to_the_deadline_and_adds_the_evaluator_to_the_team(
    world, evaluating_referral
):
    url = reverse("assessment_plan", args=[evaluating_referral.public_id])
    client = _client(world, "case_manager")
    form = client.get(url).context["form"]
    deadline = client.get(url).context["deadline"]
    assert form.initial["due_on"] == deadline.due_on
    contractor = world.users["contractor"].staff
    TeamMembership.objects.filter(staff=contractor).delete()
    response = client.post(
        url,
        {
            "planned_on": "2025-11-12",
            "area": AssessmentArea.OCCUPATIONAL_THERAPY,
            "evaluator": contractor.pk,
            "due_on": deadline.due_on.isoformat(),
            "instrument": "BOT-2",
        },
    )
    assert response.status_code == 302
    membership = TeamMembership.objects.get(staff=contractor, student=world.maya)
    assert membership.role == TeamRole.OCCUPATIONAL_THERAPIST and membership.end_date is None


def test_assessment_due_after_the_legal_deadline_is_refused(world, evaluating_referral):
    url = reverse("assessment_plan", args=[evaluating_referral.public_id])
    response = _client(world, "case_manager").post(
        url,
        {
            "planned_on": "2025-11-12",
            "area": AssessmentArea.ACADEMIC,
            "evaluator": world.users["psych"].staff.pk,
            "due_on": "2026-06-01",
        },
    )
    assert "would miss it" in response.content.decode()
    assert not Assessment.objects.exists() and not AssessmentPlan.objects.exists()


def test_an_evaluator_from_another_district_is_not_offered(world, evaluating_referral):
    url = reverse("assessment_plan", args=[evaluating_referral.public_id])
    form = _client(world, "case_manager").get(url).context["form"]
    offered = set(form.fields["evaluator"].queryset)
    assert world.users["psych"].staff in offered
    assert world.users["oak_director"].staff not in offered


def test_psychologist_without_prior_access_can_complete_an_assigned_assessment(
    world, cm, evaluating_referral
):
    psych = world.users["psych"]
    TeamMembership.objects.filter(staff=psych.staff).delete()
    # Nor a role in the student's school (a district-wide evaluator finds every student there):
    # they evaluate in another school of the district.
    StaffRole.objects.filter(staff=psych.staff).update(school=world.south)
    url = reverse("referral_detail", args=[evaluating_referral.public_id])
    assert _client(world, "psych").get(url).status_code == 404
    plan = actions.plan_assessments(
        actor=cm, referral=evaluating_referral, created_on=date(2025, 11, 12)
    )
    assessment = actions.add_assessment(
        actor=cm,
        plan=plan,
        area=AssessmentArea.COGNITIVE_PSYCHOLOGICAL,
        evaluator=psych.staff,
        due_on=date(2025, 12, 12),
    )
    assert TeamMembership.objects.get(staff=psych.staff).role == TeamRole.PSYCHOLOGIST
    response = _client(world, "psych").post(
        reverse("assessment_complete", args=[assessment.public_id]),
        {
            "instrument": "WISC-V",
            "completed_on": "2025-12-01",
            "summary": "Average cognitive ability.",
            "scores-TOTAL_FORMS": "2",
            "scores-INITIAL_FORMS": "0",
            "scores-MIN_NUM_FORMS": "0",
            "scores-MAX_NUM_FORMS": "20",
            "scores-0-name": "FSIQ",
            "scores-0-value": "98",
        },
    )
    assert response.status_code == 302
    assessment.refresh_from_db()
    assert assessment.completed_on == date(2025, 12, 1)
    assert assessment.scores == {"FSIQ": "98"} and assessment.instrument == "WISC-V"


def test_score_without_value_is_refused(world, cm, evaluating_referral):
    plan = actions.plan_assessments(
        actor=cm, referral=evaluating_referral, created_on=date(2025, 11, 12)
    )
    assessment = actions.add_assessment(
        actor=cm,
        plan=plan,
        area=AssessmentArea.ACADEMIC,
        evaluator=world.users["psych"].staff,
        due_on=date(2025, 12, 12),
    )
    response = _client(world, "psych").post(
        reverse("assessment_complete", args=[assessment.public_id]),
        {
            "completed_on": "2025-12-01",
            "summary": "x",
            "scores-TOTAL_FORMS": "1",
            "scores-INITIAL_FORMS": "0",
            "scores-0-name": "FSIQ",
        },
    )
    assert "Give both the name and the value" in response.content.decode()
    assessment.refresh_from_db()
    assert assessment.completed_on is None


def test_report_before_assessments_are_done_is_refused(world, evaluating_referral):
    response = _client(world, "case_manager").post(
        reverse("evaluation_report", args=[evaluating_referral.public_id]),
        {"completed_on": "2025-12-15", "summary": "x"},
    )
    assert "Plan and complete the assessments first." in response.content.decode()


def test_eligibility_iep_needs_the_three_questions(world, cm, full_path):
    # A second referral at the report stage, decided through the page.
    referral, _, _ = full_path
    EligibilityDecision.objects.all().delete()
    Referral.objects.filter(pk=referral.pk).update(status=ReferralStatus.IN_EVALUATION)
    url = reverse("eligibility_decide", args=[referral.public_id])
    client = _client(world, "case_manager")
    base = {
        "decided_on": "2026-01-12",
        "outcome": "iep",
        "primary_category": "specific_learning_disability",
        "team_present": [cm.staff.pk, world.users["psych"].staff.pk],
        "parent_present": "on",
    }
    response = client.post(url, base)
    assert response.status_code == 400
    assert "must find a disability" in response.content.decode()
    assert not EligibilityDecision.objects.exists()
    response = client.post(
        url, {**base, "has_disability": "on", "adverse_effect": "on", "needs_sdi": "on"}
    )
    assert response.status_code == 302
    assert EligibilityDecision.objects.get().primary_category == "specific_learning_disability"


def test_eligibility_notice_pdf_is_in_the_parents_language(world, full_path):
    referral, _, _ = full_path
    guardian = world.maya.guardian_links.get(primary_contact=True).guardian
    guardian.preferred_language = "es"
    guardian.save()
    response = _client(world, "case_manager").get(
        reverse("eligibility_notice_pdf", args=[referral.public_id])
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert response.content.startswith(b"%PDF")
    assert response.context["language"] == "es"
    assert response.context["student"].display_name == world.maya.display_name


# --- the notice's own deadline (300.503(a): a reasonable time before the action) -------------


def _notice_with_action_on(world, referral, *, action: str, action_on: str):
    return _client(world, "case_manager").post(
        reverse("notice_new", args=[referral.public_id]),
        {
            "action": action,
            "issued_on": "2025-10-28",
            "proposed_action_on": action_on,
            "language": "en",
            **NOTICE_FIELDS,
        },
    )


def test_a_proposal_puts_its_send_by_date_in_the_deadlines_met_on_the_notice(
    world, cm, parent_referral
):
    _notice_with_action_on(world, parent_referral, action="proposes", action_on="2025-11-10")
    notice = PriorWrittenNotice.objects.get()
    assert notice.proposed_action_on == date(2025, 11, 10)
    deadline = Deadline.objects.get(kind=DeadlineKind.PRIOR_WRITTEN_NOTICE)
    # Federal default, inherited by California: 10 calendar days before the action (policy, not
    # law: 300.503(a) says "a reasonable time"): Nov 10 - 10 days = Oct 31; sent Oct 28, on time.
    assert deadline.due_on == date(2025, 10, 31)
    assert deadline.met_on == date(2025, 10, 28)
    assert "300.503" in deadline.citation
    page = _client(world, "case_manager").get(reverse("notice_detail", args=[notice.public_id]))
    assert "The proposed action takes effect on" in page.content.decode()


def test_a_notice_sent_too_close_to_the_action_is_met_late(world, cm, parent_referral):
    _notice_with_action_on(world, parent_referral, action="proposes", action_on="2025-11-03")
    deadline = Deadline.objects.get(kind=DeadlineKind.PRIOR_WRITTEN_NOTICE)
    assert deadline.due_on == date(2025, 10, 24)  # Nov 3 - 10 calendar days
    assert deadline.met_on == date(2025, 10, 28) and deadline.met_on > deadline.due_on


def test_a_refusal_announces_no_action_and_has_no_send_by_date(world, cm, parent_referral):
    _notice_with_action_on(world, parent_referral, action="refuses", action_on="2025-11-10")
    assert PriorWrittenNotice.objects.get().proposed_action_on is None
    assert not Deadline.objects.filter(kind=DeadlineKind.PRIOR_WRITTEN_NOTICE).exists()


def test_a_spanish_reader_gets_the_deadline_in_spanish_and_the_working_marked_english(
    world, evaluating_referral
):
    user = world.users["case_manager"]
    user.preferred_language = "es"
    user.save(update_fields=["preferred_language"])
    response = _client(world, "case_manager").get(
        reverse("referral_detail", args=[evaluating_referral.public_id])
    )
    html = response.content.decode()
    assert "Esta fecha se cuenta desde el día en que la escuela recibió" in html
    # The engine's English prose is only inside a lang="en" paragraph under its Spanish notice.
    assert "Tandem escribe el cálculo completo solo en inglés" in html
    assert re.search(r'<p lang="en">[^<]*after consent received', html)


def test_every_deadline_kind_says_what_it_is_counted_from():
    from tandem.compliance.models import DeadlineKind
    from tandem.compliance.words import COUNTED_FROM

    assert set(COUNTED_FROM) == set(DeadlineKind.values)
