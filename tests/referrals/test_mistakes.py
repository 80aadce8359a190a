"""Dates in the future are refused on the field; an assessment recorded by mistake is reopened."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tandem.accounts.models import AuditEvent
from tandem.core import clock
from tandem.referrals import actions
from tandem.referrals.models import Assessment, AssessmentArea


@pytest.fixture
def assessment(world, cm, evaluating_referral):
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


def test_a_future_completion_date_is_refused_on_the_field(world, assessment):
    with pytest.raises(ValidationError) as excinfo:
        actions.complete_assessment(
            actor=world.users["psych"],
            assessment=assessment,
            completed_on=clock.today() + timedelta(days=3),
            summary="Below grade level.",
        )
    assert "completed_on" in excinfo.value.message_dict
    assessment.refresh_from_db()
    assert assessment.completed_on is None


def test_future_consent_report_and_eligibility_dates_are_refused(
    world, cm, riverside_calendar, consent_request, evaluating_referral
):
    future = clock.today() + timedelta(days=1)
    with pytest.raises(ValidationError) as excinfo:
        actions.complete_evaluation_report(
            actor=cm, referral=evaluating_referral, completed_on=future, summary="x"
        )
    assert "completed_on" in excinfo.value.message_dict
    with pytest.raises(ValidationError) as excinfo:
        actions.decide_eligibility(
            actor=cm,
            referral=evaluating_referral,
            decided_on=future,
            outcome="not_eligible",
            team_present=[world.users["case_manager"].staff],
            parent_present=True,
        )
    assert "decided_on" in excinfo.value.message_dict


def test_a_future_consent_answer_is_refused(world, cm, riverside_calendar, consent_request):
    with pytest.raises(ValidationError) as excinfo:
        actions.record_consent_response(
            actor=cm,
            consent=consent_request,
            response="given",
            received_on=clock.today() + timedelta(days=2),
        )
    assert "received_on" in excinfo.value.message_dict


def test_the_evaluator_reopens_an_assessment_recorded_by_mistake(world, assessment):
    psych = world.users["psych"]
    actions.complete_assessment(
        actor=psych, assessment=assessment, completed_on=date(2025, 11, 20), summary="Wrong child."
    )
    with pytest.raises(ValidationError) as excinfo:
        actions.reopen_assessment(actor=psych, assessment=assessment, reason="  ")
    assert "reason" in excinfo.value.message_dict
    with pytest.raises(PermissionDenied):
        actions.reopen_assessment(
            actor=world.users["teacher"], assessment=assessment, reason="Mistake."
        )
    actions.reopen_assessment(
        actor=psych, assessment=assessment, reason="Entered for the wrong child."
    )
    assessment.refresh_from_db()
    assert assessment.completed_on is None
    assert assessment.history.filter(completed_on=date(2025, 11, 20)).exists()
    event = AuditEvent.objects.get(action="assessment.reopened")
    assert event.detail["reason"] == "Entered for the wrong child."
    actions.complete_assessment(
        actor=psych, assessment=assessment, completed_on=date(2025, 11, 21), summary="Right one."
    )
    assert Assessment.objects.get().completed_on == date(2025, 11, 21)


def test_the_eligibility_notice_is_marked_sent_and_the_referral_has_no_next_step(
    world, cm, riverside_calendar, evaluating_referral
):
    from django.urls import reverse

    from tandem.referrals import queries

    actions.decide_eligibility(
        actor=cm,
        referral=evaluating_referral,
        decided_on=date(2025, 11, 20),
        outcome="section_504",
        team_present=[cm.staff],
        parent_present=True,
        impairment="ADHD",
        major_life_activities=["concentrating"],
        substantial_limitation=True,
        no_evaluation_reason="Medical documentation and teacher input.",
    )
    loaded = queries.referral_with_steps(evaluating_referral.public_id)
    assert queries.next_step(loaded).url_name == "eligibility_notice"
    url = reverse("eligibility_notice_sent", args=[evaluating_referral.public_id])
    data = {"sent_on": "2025-11-21", "method": "mail"}
    assert world.client_for("teacher").post(url, data).status_code == 403
    assert world.client_for("stranger").post(url, data).status_code == 404
    future = {"sent_on": (clock.today() + timedelta(days=1)).isoformat(), "method": "mail"}
    world.client_for("case_manager").post(url, future)
    assert queries.eligibility_of(loaded).__class__.objects.get().notice_sent_on is None
    response = world.client_for("case_manager").post(url, data)
    assert response.status_code == 302
    loaded = queries.referral_with_steps(evaluating_referral.public_id)
    assert queries.next_step(loaded) is None
    assert AuditEvent.objects.filter(action="eligibility.notice_sent").count() == 1
    page = world.client_for("case_manager").get(
        reverse("eligibility_notice", args=[evaluating_referral.public_id])
    )
    assert "Notice sent to the parent" in page.content.decode()
