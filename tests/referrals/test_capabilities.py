"""Referrals on capabilities (issue 14): the holes the matrix closed, and what stays open.

Under the first policy's one level of writing, any tie that could change the record could take
every step of a referral. Now the evaluation's steps need RUN_EVALUATION, an assessment's
results are its evaluator's (or whoever runs the evaluation), and opening a referral with its
documents needs START_REFERRAL.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from tandem.people.models import Role, TeamMembership, TeamRole
from tandem.referrals import actions
from tandem.referrals.models import (
    Assessment,
    AssessmentArea,
    CaseReview,
    Consent,
    ConsentResponse,
    Evidence,
    Referral,
)
from tests.factories import make_staff

PDF = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n"


@pytest.fixture
def slp(world):
    """A speech-language pathologist on Maya's team: records assessments, runs no evaluation."""
    staff = make_staff("slp@r.test", [(Role.PROVIDER, world.riverside, world.north)], first="Sol")
    TeamMembership.objects.create(
        staff=staff, student=world.maya, role=TeamRole.SPEECH_LANGUAGE, start_date=date(2025, 8, 1)
    )
    world.users["slp"] = staff.user
    return staff.user


@pytest.fixture
def planned(world, cm, evaluating_referral):
    """The psychologist's academic assessment on Maya's evaluation, not yet complete."""
    plan = actions.plan_assessments(
        actor=cm, referral=evaluating_referral, created_on=date(2025, 11, 12)
    )
    return actions.add_assessment(
        actor=cm,
        plan=plan,
        area=AssessmentArea.ACADEMIC,
        evaluator=world.users["psych"].staff,
        due_on=date(2025, 12, 12),
    )


def _result(day: str = "2025-12-01") -> dict[str, str]:
    return {
        "completed_on": day,
        "summary": "Reading well below average.",
        "instrument": "WJ-IV",
        "scores-TOTAL_FORMS": "0",
        "scores-INITIAL_FORMS": "0",
    }


@pytest.mark.parametrize("persona", ["contractor", "slp"])
def test_a_provider_or_service_member_no_longer_runs_the_evaluation(
    world, slp, reviewed_referral, consent_request, persona
):
    """Hole closed: the provider's tie and a service role on the team were writers under the
    first policy, so they could review a referral, give notice and record consent."""
    client = world.client_for(persona)
    referral = reviewed_referral
    urls = [
        reverse("case_review", args=[referral.public_id]),
        reverse("notice_new", args=[referral.public_id]),
        reverse("consent_request", args=[referral.public_id]),
        reverse("consent_response", args=[consent_request.public_id]),
        reverse("consent_attempts", args=[consent_request.public_id]),
        reverse("evaluation_report", args=[referral.public_id]),
        reverse("reevaluation_new", args=[world.maya.public_id]),
    ]
    for url in urls:
        assert client.get(url).status_code == 403, url
        assert (
            client.post(url, {"received_on": "2025-11-10", "response": "given"}).status_code == 403
        )
    consent_request.refresh_from_db()
    assert consent_request.response == ConsentResponse.PENDING
    assert client.get(reverse("referral_detail", args=[referral.public_id])).status_code == 200
    with pytest.raises(PermissionDenied):
        actions.request_consent(
            actor=world.users[persona],
            referral=referral,
            kind="initial_evaluation",
            sent_on=date(2025, 10, 29),
            method="in_person",
        )
    assert Consent.objects.filter(referral=referral).count() == 1


def test_the_case_manager_still_runs_it(world, cm, parent_referral):
    url = reverse("case_review", args=[parent_referral.public_id])
    assert world.client_for("case_manager").get(url).status_code == 200
    assert not CaseReview.objects.exists()


def test_only_its_evaluator_records_an_assessment(world, slp, planned):
    """Hole closed: anyone who could change the record could record another's results."""
    url = reverse("assessment_complete", args=[planned.public_id])
    other = world.client_for("slp")
    page = other.get(url)
    assert page.status_code == 200 and "Complete assessment" not in page.content.decode()
    assert other.post(url, _result()).status_code == 403
    with pytest.raises(PermissionDenied):
        actions.complete_assessment(
            actor=slp, assessment=planned, completed_on=date(2025, 12, 1), summary="Mine."
        )
    assert Assessment.objects.get(pk=planned.pk).completed_on is None
    # Its evaluator does; so would whoever runs the evaluation.
    response = world.client_for("psych").post(url, _result())
    assert response.status_code == 302
    assert Assessment.objects.get(pk=planned.pk).completed_on == date(2025, 12, 1)


def test_the_case_manager_records_on_the_evaluators_behalf(world, planned):
    url = reverse("assessment_complete", args=[planned.public_id])
    assert world.client_for("case_manager").post(url, _result()).status_code == 302


def test_an_academic_evaluator_placed_as_special_education_teacher_records_their_own(
    world, cm, evaluating_referral
):
    """Kept: a teacher assigned the academic assessment joins the team as the special education
    teacher, which now holds RECORD_ASSESSMENT for their own assessments."""
    teacher = world.users["teacher"]
    plan = actions.plan_assessments(
        actor=cm, referral=evaluating_referral, created_on=date(2025, 11, 12)
    )
    assessment = actions.add_assessment(
        actor=cm,
        plan=plan,
        area=AssessmentArea.ACADEMIC,
        evaluator=teacher.staff,
        due_on=date(2025, 12, 12),
    )
    assert TeamMembership.objects.filter(
        staff=teacher.staff, student=world.maya, role=TeamRole.SPECIAL_EDUCATION_TEACHER
    ).exists()
    url = reverse("assessment_complete", args=[assessment.public_id])
    assert world.client_for("teacher").post(url, _result()).status_code == 302


def test_a_school_evaluator_opens_a_referral_with_its_documents(world, media):
    """Child find: the evaluator of Leo's school starts a referral; its documents go with it
    (they were refused under the first policy's writing level, which the tie did not have)."""
    url = reverse("referral_new", args=[world.leo.public_id])
    data = {
        "source": "teacher",
        "source_name": "Tom",
        "received_on": "2025-10-20",
        "areas_of_concern": ["reading"],
        "description": "Leo reads well below his class.",
        "evidence-TOTAL_FORMS": "1",
        "evidence-INITIAL_FORMS": "0",
        "evidence-0-kind": "teacher_input",
        "evidence-0-summary": "Benchmarks.",
        "evidence-0-file": SimpleUploadedFile("note.pdf", PDF, content_type="application/pdf"),
    }
    response = world.client_for("psych").post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    referral = Referral.objects.get(student=world.leo)
    assert Evidence.objects.filter(referral=referral).count() == 1


def test_a_read_only_tie_cannot_open_a_referral(world):
    url = reverse("referral_new", args=[world.maya.public_id])
    assert world.client_for("parent").post(url, {}).status_code == 403
    assert world.client_for("stranger").post(url, {}).status_code == 404
    assert not Referral.objects.exists()
