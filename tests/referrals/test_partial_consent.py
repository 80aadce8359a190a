"""A partial consent to evaluate: the areas agreed go ahead, the areas refused are recorded."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tandem.referrals import actions, queries
from tandem.referrals.models import (
    Assessment,
    AssessmentArea,
    Consent,
    Deadline,
    DeadlineKind,
    ReferralStatus,
)


def _answer_partially(world, consent, agreed):
    return world.client_for("case_manager").post(
        reverse("consent_response", args=[consent.public_id]),
        {"response": "partial", "received_on": "2025-11-10", "areas_agreed": agreed},
    )


def test_staff_record_a_partial_consent_and_the_evaluation_goes_ahead(
    world, riverside_calendar, consent_request
):
    response = _answer_partially(world, consent_request, ["reading"])
    assert response.status_code == 302
    consent = Consent.objects.get()
    assert consent.response == "partial"
    assert consent.areas_agreed == ["reading"]
    assert consent.areas_refused == ["speech_language"]
    assert "Speech and language" in consent.partial_note
    referral = consent.referral
    assert referral.status == ReferralStatus.IN_EVALUATION
    # The legal clock runs from the partial consent, as from a full one (300.301(c)(1)).
    assert Deadline.objects.filter(kind=DeadlineKind.INITIAL_EVALUATION).exists()
    step = queries.next_step(queries.referral_with_steps(referral.public_id))
    assert step.url_name == "assessment_plan"


def test_a_partial_consent_names_the_areas_agreed(world, riverside_calendar, consent_request):
    response = _answer_partially(world, consent_request, [])
    assert "Choose the areas of concern the parent consented" in response.content.decode()
    response = _answer_partially(world, consent_request, ["reading", "speech_language"])
    assert "record the consent as given" in response.content.decode()
    consent_request.refresh_from_db()
    assert consent_request.response == "pending"
    assert consent_request.referral.status == ReferralStatus.OPEN


def test_assessments_of_refused_areas_cannot_be_added(world, riverside_calendar, consent_request):
    cm = world.users["case_manager"]
    actions.record_consent_response(
        actor=cm,
        consent=consent_request,
        response="partial",
        received_on=date(2025, 11, 10),
        areas_agreed=["reading"],
    )
    referral = consent_request.referral
    url = reverse("assessment_plan", args=[referral.public_id])
    client = world.client_for("case_manager")
    page = client.get(url)
    offered = [code for code, _label in page.context["form"].fields["area"].choices]
    assert AssessmentArea.ACADEMIC in offered
    assert AssessmentArea.SPEECH_LANGUAGE not in offered
    assert "Speech and language" in page.content.decode()  # named as not consented to
    psych = world.users["psych"].staff
    plan = actions.plan_assessments(actor=cm, referral=referral, created_on=date(2025, 11, 12))
    with pytest.raises(ValidationError) as excinfo:
        actions.add_assessment(
            actor=cm,
            plan=plan,
            area=AssessmentArea.SPEECH_LANGUAGE,
            evaluator=psych,
            due_on=date(2025, 12, 12),
        )
    assert "area" in excinfo.value.message_dict
    actions.add_assessment(
        actor=cm,
        plan=plan,
        area=AssessmentArea.ACADEMIC,
        evaluator=psych,
        due_on=date(2025, 12, 12),
    )
    assert list(Assessment.objects.values_list("area", flat=True)) == [AssessmentArea.ACADEMIC]


# --- a 504 plan instead of the evaluation the parent asked for ---------------------------------


def test_gathering_504_information_on_a_parent_request_needs_prior_written_notice(
    world, parent_referral
):
    from tandem.referrals.models import CaseReview, NoticeAction, PriorWrittenNotice, Track
    from tests.referrals.conftest import notice_content

    cm = world.users["case_manager"]
    with pytest.raises(ValidationError) as excinfo:
        actions.record_case_review(
            actor=cm,
            referral=parent_referral,
            decided_on=date(2025, 10, 27),
            decision="gather_504_information",
            reason="Attention concerns; a 504 plan may be enough.",
        )
    assert "notice" in excinfo.value.message_dict
    assert not CaseReview.objects.exists()
    url = reverse("case_review", args=[parent_referral.public_id])
    base = {
        "decided_on": "2025-10-27",
        "decision": "gather_504_information",
        "reason": "Attention concerns; a 504 plan may be enough.",
        "language": "en",
    }
    client = world.client_for("case_manager")
    response = client.post(url, base)
    assert "Refusing the parent&#x27;s request needs this part" in response.content.decode()
    assert not CaseReview.objects.exists()
    fields = {name: value for name, value in vars(notice_content()).items() if name != "language"}
    response = client.post(url, {**base, **fields})
    assert response.status_code == 302
    notice = PriorWrittenNotice.objects.get()
    assert notice.action == NoticeAction.REFUSES
    parent_referral.refresh_from_db()
    assert parent_referral.track == Track.SECTION_504


def test_a_parent_who_asked_for_a_504_plan_needs_no_refusal_notice(world):
    from tandem.referrals.models import PriorWrittenNotice, ReferralSource, Track

    cm = world.users["case_manager"]
    referral = actions.create_referral(
        actor=cm,
        student=world.maya,
        source=ReferralSource.PARENT,
        received_on=date(2025, 10, 20),
        areas_of_concern=["attention"],
        description="The parent asks for a 504 plan for ADHD.",
        track=Track.SECTION_504,
    )
    actions.record_case_review(
        actor=cm,
        referral=referral,
        decided_on=date(2025, 10, 27),
        decision="gather_504_information",
        reason="As the parent asked.",
    )
    assert not PriorWrittenNotice.objects.exists()
