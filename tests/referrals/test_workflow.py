"""Referral to eligibility: the happy paths, each refusal, and who may act."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404

from tandem.accounts.models import AuditEvent
from tandem.referrals import actions
from tandem.referrals.models import (
    MAJOR_LIFE_ACTIVITIES,
    NOTICE_ELEMENTS,
    AreaOfConcern,
    AssessmentArea,
    CaseReviewDecision,
    Consent,
    ConsentKind,
    ConsentMethod,
    Deadline,
    DeadlineKind,
    DisabilityCategory,
    EligibilityOutcome,
    Evidence,
    NoticeAction,
    PriorWrittenNotice,
    Referral,
    ReferralSource,
    ReferralStatus,
    Track,
)
from tandem.rules.profiles import Rule
from tests.referrals.conftest import notice_content

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"


def _errors(excinfo: pytest.ExceptionInfo[ValidationError]) -> dict[str, str]:
    return {field: " ".join(messages) for field, messages in excinfo.value.message_dict.items()}


def _files_under(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()]


def _evaluate_and_report(world, cm, referral):
    psych = world.users["psych"].staff
    plan = actions.plan_assessments(actor=cm, referral=referral, created_on=date(2025, 11, 12))
    academic = actions.add_assessment(
        actor=cm,
        plan=plan,
        area=AssessmentArea.ACADEMIC,
        evaluator=psych,
        due_on=date(2025, 12, 12),
        instrument="WIAT-4",
    )
    speech = actions.add_assessment(
        actor=cm,
        plan=plan,
        area=AssessmentArea.SPEECH_LANGUAGE,
        evaluator=psych,
        due_on=date(2026, 1, 21),
        instrument="CELF-5",
    )
    actions.complete_assessment(
        actor=world.users["psych"],
        assessment=academic,
        completed_on=date(2025, 12, 10),
        summary="Basic reading well below average.",
        scores={"basic_reading": 78},
    )
    actions.complete_assessment(
        actor=world.users["psych"],
        assessment=speech,
        completed_on=date(2026, 1, 9),
        summary="Articulation errors on /r/ and /s/.",
    )
    return actions.complete_evaluation_report(
        actor=cm, referral=referral, completed_on=date(2026, 1, 12), summary="Findings..."
    )


def test_the_whole_iep_path_for_maya(world, cm, evaluating_referral):
    referral = evaluating_referral
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.IN_EVALUATION
    assert referral.track == Track.IEP

    evaluation = Deadline.objects.get(student=world.maya, kind=DeadlineKind.INITIAL_EVALUATION)
    # 60 days from consent received 2025-11-10, not counting the 10-school-day winter break.
    assert evaluation.due_on == date(2026, 1, 21)
    assert evaluation.trigger_on == date(2025, 11, 10)
    assert evaluation.state == "CA"
    assert evaluation.district == world.riverside and evaluation.school == world.north
    assert "Cal. Educ. Code 56344(a)" in evaluation.citation
    assert "not counting Winter break" in evaluation.explanation
    assert evaluation.met_on is None

    _evaluate_and_report(world, cm, referral)
    decision = actions.decide_eligibility(
        actor=cm,
        referral=referral,
        decided_on=date(2026, 1, 15),
        outcome=EligibilityOutcome.IEP,
        primary_category=DisabilityCategory.SPECIFIC_LEARNING_DISABILITY,
        secondary_categories=[DisabilityCategory.SPEECH_LANGUAGE_IMPAIRMENT],
        has_disability=True,
        adverse_effect=True,
        needs_sdi=True,
        team_present=[world.users["psych"].staff, world.users["case_manager"].staff],
        parent_present=True,
    )
    assert decision.edfacts_code == "SLD"
    assert decision.team_present.count() == 2
    evaluation.refresh_from_db()
    assert evaluation.met_on == date(2026, 1, 15)
    meeting = Deadline.objects.get(student=world.maya, kind=DeadlineKind.INITIAL_IEP_MEETING)
    assert meeting.trigger_on == date(2026, 1, 15)
    assert meeting.due_on == date(2026, 2, 14)
    assert meeting.source_id == str(decision.public_id)
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ELIGIBILITY_DECIDED

    actions_logged = list(
        AuditEvent.objects.filter(student=world.maya)
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions_logged == [
        "referral.created",
        "referral.case_reviewed",
        "notice.issued",
        "consent.requested",
        "consent.response_recorded",
        "evaluation.planned",
        "assessment.added",
        "assessment.added",
        "assessment.completed",
        "assessment.completed",
        "evaluation.report_completed",
        "eligibility.decided",
    ]
    last = AuditEvent.objects.filter(action="eligibility.decided").get()
    assert last.detail["edfacts_code"] == "SLD"
    assert last.actor == cm
    assert referral.history.count() >= 3


def test_504_path_rests_on_gathered_information(world):
    principal = world.users["principal"]
    referral = actions.create_referral(
        actor=principal,
        student=world.leo,
        source=ReferralSource.PHYSICIAN_ORDER,
        source_name="Dr. Ng",
        received_on=date(2025, 9, 2),
        areas_of_concern=[AreaOfConcern.HEALTH],
        description="Type 1 diabetes diagnosed in August.",
    )
    actions.record_case_review(
        actor=principal,
        referral=referral,
        decided_on=date(2025, 9, 5),
        decision=CaseReviewDecision.GATHER_504_INFORMATION,
        reason="Medical documentation of a chronic condition.",
    )
    with pytest.raises(ValidationError) as excinfo:
        actions.decide_eligibility(
            actor=principal,
            referral=referral,
            decided_on=date(2025, 9, 19),
            outcome=EligibilityOutcome.SECTION_504,
            impairment="Type 1 diabetes",
            major_life_activities=["endocrine"],
            substantial_limitation=True,
            team_present=[world.users["principal"].staff],
            parent_present=True,
        )
    assert "no_evaluation_reason" in _errors(excinfo)

    decision = actions.decide_eligibility(
        actor=principal,
        referral=referral,
        decided_on=date(2025, 9, 19),
        outcome=EligibilityOutcome.SECTION_504,
        impairment="Type 1 diabetes",
        major_life_activities=["endocrine", "concentrating"],
        substantial_limitation=True,
        no_evaluation_reason="Endocrinologist's letter, nurse's log, two teacher reports.",
        team_present=[world.users["principal"].staff],
        parent_present=True,
    )
    referral.refresh_from_db()
    assert referral.track == Track.SECTION_504
    assert referral.status == ReferralStatus.ELIGIBILITY_DECIDED
    assert decision.major_life_activities == ["endocrine", "concentrating"]
    # No initial IEP meeting for a 504 plan; its periodic reevaluation is due (504-04).
    stored = Deadline.objects.get(student=world.leo)
    assert stored.kind == DeadlineKind.SECTION_504_REEVALUATION
    assert stored.due_on == date(2028, 9, 19) and stored.citation == "34 CFR 104.35(d)"


def test_504_needs_impairment_activity_and_substantial_limitation(world, monkeypatch):
    principal = world.users["principal"]
    referral = actions.create_referral(
        actor=principal,
        student=world.leo,
        source=ReferralSource.TEACHER,
        received_on=date(2025, 9, 2),
        areas_of_concern=[AreaOfConcern.ATTENTION],
        description="Cannot sustain attention.",
    )
    actions.record_case_review(
        actor=principal,
        referral=referral,
        decided_on=date(2025, 9, 5),
        decision=CaseReviewDecision.GATHER_504_INFORMATION,
        reason="ADHD diagnosis.",
    )
    common = {
        "actor": principal,
        "referral": referral,
        "decided_on": date(2025, 9, 19),
        "outcome": EligibilityOutcome.SECTION_504,
        "no_evaluation_reason": "Physician's diagnosis and observations.",
        "team_present": [principal.staff, world.users["teacher"].staff],
        "parent_present": False,
    }
    with pytest.raises(ValidationError) as excinfo:
        actions.decide_eligibility(**common, substantial_limitation=False)
    assert set(_errors(excinfo)) == {
        "impairment",
        "major_life_activities",
        "substantial_limitation",
    }
    with pytest.raises(ValidationError) as excinfo:
        actions.decide_eligibility(
            **common,
            impairment="ADHD",
            major_life_activities=["sitting"],
            substantial_limitation=True,
        )
    assert "sitting" in _errors(excinfo)["major_life_activities"]
    # The vocabulary is open: a district may add an activity the agency rules list.
    monkeypatch.setitem(MAJOR_LIFE_ACTIVITIES, "sitting", "Sitting")
    decision = actions.decide_eligibility(
        **common, impairment="ADHD", major_life_activities=["sitting"], substantial_limitation=True
    )
    assert decision.major_life_activities == ["sitting"]


def test_iep_needs_all_three_yeses(world, cm, evaluating_referral):
    _evaluate_and_report(world, cm, evaluating_referral)
    with pytest.raises(ValidationError) as excinfo:
        actions.decide_eligibility(
            actor=cm,
            referral=evaluating_referral,
            decided_on=date(2026, 1, 15),
            outcome=EligibilityOutcome.IEP,
            primary_category=DisabilityCategory.SPECIFIC_LEARNING_DISABILITY,
            has_disability=True,
            adverse_effect=False,
            team_present=[cm.staff, world.users["psych"].staff],
            parent_present=True,
        )
    errors = _errors(excinfo)
    assert set(errors) == {"adverse_effect", "needs_sdi"}
    assert "specially designed instruction" in errors["needs_sdi"]
    assert not Deadline.objects.filter(kind=DeadlineKind.INITIAL_IEP_MEETING).exists()
    evaluating_referral.refresh_from_db()
    assert evaluating_referral.status == ReferralStatus.IN_EVALUATION


def test_eligibility_without_a_report_is_refused(world, cm, evaluating_referral):
    with pytest.raises(ValidationError) as excinfo:
        actions.decide_eligibility(
            actor=cm,
            referral=evaluating_referral,
            decided_on=date(2026, 1, 15),
            outcome=EligibilityOutcome.NOT_ELIGIBLE,
            team_present=[cm.staff],
            parent_present=True,
        )
    assert "evaluation_report" in _errors(excinfo)


def test_report_waits_for_every_assessment(world, cm, evaluating_referral):
    plan = actions.plan_assessments(
        actor=cm, referral=evaluating_referral, created_on=date(2025, 11, 12)
    )
    actions.add_assessment(
        actor=cm,
        plan=plan,
        area=AssessmentArea.ACADEMIC,
        evaluator=world.users["psych"].staff,
        due_on=date(2025, 12, 12),
    )
    with pytest.raises(ValidationError) as excinfo:
        actions.complete_evaluation_report(
            actor=cm, referral=evaluating_referral, completed_on=date(2026, 1, 12), summary="x"
        )
    assert "Academic" in _errors(excinfo)["assessments"]


def test_assessment_due_after_the_legal_deadline_is_refused(world, cm, evaluating_referral):
    plan = actions.plan_assessments(
        actor=cm, referral=evaluating_referral, created_on=date(2025, 11, 12)
    )
    with pytest.raises(ValidationError) as excinfo:
        actions.add_assessment(
            actor=cm,
            plan=plan,
            area=AssessmentArea.ACADEMIC,
            evaluator=world.users["psych"].staff,
            due_on=date(2026, 1, 22),
        )
    assert "2026-01-21" in _errors(excinfo)["due_on"]
    assert not plan.assessments.exists()


def test_consent_answer_before_the_referral_is_refused(world, cm, consent_request):
    with pytest.raises(ValidationError) as excinfo:
        actions.record_consent_response(
            actor=cm, consent=consent_request, response="given", received_on=date(2025, 10, 1)
        )
    assert "referral" in _errors(excinfo)["received_on"]
    with pytest.raises(ValidationError) as excinfo:
        actions.record_consent_response(
            actor=cm, consent=consent_request, response="given", received_on=date(2025, 10, 27)
        )
    assert "request was sent" in _errors(excinfo)["received_on"]
    consent_request.refresh_from_db()
    assert consent_request.response == "pending"
    assert not Deadline.objects.exists()


def test_consent_given_without_a_calendar_is_refused_and_nothing_changes(cm, consent_request):
    # California skips long breaks, so the count needs the school calendar.
    with pytest.raises(ValidationError) as excinfo:
        actions.record_consent_response(
            actor=cm, consent=consent_request, response="given", received_on=date(2025, 11, 10)
        )
    assert "calendar" in _errors(excinfo)["received_on"]
    consent_request.refresh_from_db()
    assert consent_request.response == "pending"
    assert consent_request.referral.status == ReferralStatus.OPEN


def test_refused_consent_closes_the_referral_with_the_reason(cm, consent_request):
    actions.record_consent_response(
        actor=cm,
        consent=consent_request,
        response="refused",
        received_on=date(2025, 11, 3),
        refused_reason="The family prefers private tutoring.",
    )
    referral = Referral.objects.get(pk=consent_request.referral_id)
    assert referral.status == ReferralStatus.CLOSED
    assert referral.closed_reason == "The family prefers private tutoring."
    assert not Deadline.objects.exists()


def test_consent_is_asked_only_after_notice_proposing_the_evaluation(world, cm, parent_referral):
    actions.record_case_review(
        actor=cm,
        referral=parent_referral,
        decided_on=date(2025, 10, 27),
        decision=CaseReviewDecision.EVALUATE_SPECIAL_EDUCATION,
        reason="Suspected SLD.",
    )
    with pytest.raises(ValidationError) as excinfo:
        actions.request_consent(
            actor=cm,
            referral=parent_referral,
            kind=ConsentKind.INITIAL_EVALUATION,
            sent_on=date(2025, 10, 28),
            method=ConsentMethod.MAIL,
        )
    assert "prior written notice" in _errors(excinfo)["sent_on"]
    assert not Consent.objects.exists()


@pytest.mark.parametrize("decision", ["no_action", "general_education_intervention"])
def test_refusing_a_parent_request_needs_prior_written_notice(world, cm, parent_referral, decision):
    with pytest.raises(ValidationError) as excinfo:
        actions.record_case_review(
            actor=cm,
            referral=parent_referral,
            decided_on=date(2025, 10, 27),
            decision=decision,
            reason="Making progress with Tier 2 support.",
        )
    assert "300.503" in _errors(excinfo)["notice"]

    actions.record_case_review(
        actor=cm,
        referral=parent_referral,
        decided_on=date(2025, 10, 27),
        decision=decision,
        reason="Making progress with Tier 2 support.",
        notice=notice_content(action_described="The district refuses to evaluate Maya."),
    )
    notice = PriorWrittenNotice.objects.get(referral=parent_referral)
    assert notice.action == NoticeAction.REFUSES
    parent_referral.refresh_from_db()
    assert parent_referral.status == ReferralStatus.CLOSED


@pytest.mark.parametrize("element", NOTICE_ELEMENTS)
def test_notice_needs_each_of_the_seven_elements(world, cm, element):
    with pytest.raises(ValidationError) as excinfo:
        actions.issue_prior_written_notice(
            actor=cm,
            student=world.maya,
            action=NoticeAction.PROPOSES,
            content=notice_content(**{element: "  "}),
            issued_on=date(2025, 10, 28),
        )
    errors = _errors(excinfo)
    assert set(errors) == {element}
    assert "300.503(b)(" in errors[element]
    assert not PriorWrittenNotice.objects.exists()
    assert not AuditEvent.objects.filter(action="notice.issued").exists()


def test_evidence_is_stored_privately_under_our_name(world, cm, parent_referral, media):
    upload = SimpleUploadedFile("../../Maya report.PDF", PDF, content_type="image/gif")
    evidence = actions.add_evidence(
        actor=cm, referral=parent_referral, kind="teacher_input", upload=upload, summary="Notes"
    )
    assert evidence.original_name == "Maya report.PDF"
    assert evidence.content_type == "application/pdf"  # sniffed, not the browser's word
    assert evidence.size == len(PDF)
    assert evidence.file.name == f"referrals/evidence/{evidence.public_id}.pdf"
    assert (media / evidence.file.name).read_bytes() == PDF
    assert AuditEvent.objects.filter(action="referral.evidence_added").count() == 1


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("setup.exe", b"MZ\x90\x00", "setup.exe is not one"),
        ("scan.pdf", PNG, "does not contain what its name says"),
        ("photo.jpg", PDF, "does not contain what its name says"),
        ("letter.docx", b"<html>", "does not contain what its name says"),
        ("notes.txt", b"\x00\x01\x02binary", "does not contain what its name says"),
        ("empty.pdf", b"", "empty"),
        ("huge.pdf", b"%PDF" + b"0" * (10 * 1024 * 1024), "limit is 10 MB"),
    ],
)
def test_a_refused_upload_stores_nothing(world, cm, parent_referral, media, name, content, message):
    before = AuditEvent.objects.count()
    with pytest.raises(ValidationError) as excinfo:
        actions.add_evidence(
            actor=cm,
            referral=parent_referral,
            kind="other",
            upload=SimpleUploadedFile(name, content),
        )
    assert message in _errors(excinfo)["file"]
    assert not Evidence.objects.exists()
    assert _files_under(media) == []
    assert AuditEvent.objects.count() == before


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("a.png", PNG),
        ("a.jpeg", b"\xff\xd8\xff\xe0JFIF"),
        ("a.docx", b"PK\x03\x04word/"),
        ("a.txt", "Notes: niña leyó bien".encode()),
    ],
)
def test_each_allowed_type_is_accepted(world, cm, parent_referral, media, name, content):
    evidence = actions.add_evidence(
        actor=cm, referral=parent_referral, kind="other", upload=SimpleUploadedFile(name, content)
    )
    assert len(_files_under(media)) == 1
    assert evidence.size == len(content)


def test_referral_validates_its_areas_of_concern(world, cm):
    with pytest.raises(ValidationError) as excinfo:
        actions.create_referral(
            actor=cm,
            student=world.maya,
            source=ReferralSource.TEACHER,
            received_on=date(2025, 10, 20),
            areas_of_concern=["reading", "astrology"],
            description="x",
        )
    assert "astrology" in _errors(excinfo)["areas_of_concern"]
    assert not Referral.objects.exists()


@pytest.mark.parametrize(
    ("persona", "refusal"), [("teacher", PermissionDenied), ("stranger", Http404)]
)
def test_read_only_and_outsiders_cannot_write(world, persona, refusal, consent_request):
    user = world.users[persona]
    before = AuditEvent.objects.count()
    with pytest.raises(refusal):
        actions.create_referral(
            actor=user,
            student=world.maya,
            source=ReferralSource.TEACHER,
            received_on=date(2025, 10, 20),
            areas_of_concern=["reading"],
            description="x",
        )
    with pytest.raises(refusal):
        actions.record_consent_response(
            actor=user,
            consent=consent_request,
            response="refused",
            received_on=date(2025, 11, 3),
            refused_reason="x",
        )
    with pytest.raises(refusal):
        actions.issue_prior_written_notice(
            actor=user,
            student=world.maya,
            action=NoticeAction.PROPOSES,
            content=notice_content(),
            issued_on=date(2025, 10, 28),
        )
    assert Referral.objects.count() == 1
    consent_request.refresh_from_db()
    assert consent_request.response == "pending"
    assert AuditEvent.objects.count() == before


def test_parent_cannot_record_their_own_consent_here(world, consent_request):
    with pytest.raises(PermissionDenied):
        actions.record_consent_response(
            actor=world.users["parent"],
            consent=consent_request,
            response="given",
            received_on=date(2025, 11, 3),
        )


def test_deadline_kinds_are_the_engine_rules():
    # Plus the district thresholds that are not engine rules (open revision requests).
    district_kinds = {DeadlineKind.REVISION_REQUEST.value}
    assert set(DeadlineKind.values) - district_kinds == {rule.value for rule in Rule}
