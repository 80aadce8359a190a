"""Each lifecycle step that waits for a person has a page that completes it (issue 11).

Walks referral → evaluation → eligibility as the people who do it: at every stage the referral
page names the next step, links to it for the person responsible, and that page opens for them.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from tandem.referrals import actions, queries
from tandem.referrals.models import AssessmentArea, EligibilityOutcome, ReferralStatus


def _next(referral):
    return queries.next_step(queries.referral_with_steps(referral.public_id))


def _reachable(world, referral, persona, url_name):
    """The referral page links the next step for `persona`, and its page opens for them."""
    step = _next(referral)
    assert step is not None and step.url_name == url_name, step
    client = world.client_for(persona)
    url = reverse(step.url_name, args=[step.url_arg])
    page = client.get(reverse("referral_detail", args=[referral.public_id])).content.decode()
    assert f'href="{url}"' in page, (persona, url_name)
    assert client.get(url).status_code == 200, (persona, url_name)
    return step


@pytest.mark.django_db
def test_every_waiting_step_of_an_idea_evaluation_has_its_page(
    world, cm, consent_request, riverside_calendar
):
    referral = consent_request.referral
    _reachable(world, referral, "case_manager", "consent_response")
    actions.record_consent_response(
        actor=cm, consent=consent_request, response="given", received_on=date(2025, 11, 10)
    )
    _reachable(world, referral, "case_manager", "assessment_plan")
    plan = actions.plan_assessments(actor=cm, referral=referral, created_on=date(2025, 11, 12))
    assessment = actions.add_assessment(
        actor=cm,
        plan=plan,
        area=AssessmentArea.ACADEMIC,
        evaluator=world.users["psych"].staff,
        due_on=date(2025, 12, 12),
    )
    # The evaluator completes hers from the plan's page.
    _reachable(world, referral, "psych", "assessment_plan")
    plan_page = world.client_for("psych").get(reverse("assessment_plan", args=[referral.public_id]))
    complete = reverse("assessment_complete", args=[assessment.public_id])
    assert f'href="{complete}"' in plan_page.content.decode()
    assert world.client_for("psych").get(complete).status_code == 200
    actions.complete_assessment(
        actor=world.users["psych"],
        assessment=assessment,
        completed_on=date(2025, 12, 10),
        summary="Reading well below average.",
    )
    _reachable(world, referral, "case_manager", "evaluation_report")
    actions.complete_evaluation_report(
        actor=cm, referral=referral, completed_on=date(2025, 12, 15), summary="SLD."
    )
    _reachable(world, referral, "case_manager", "eligibility_decide")
    _reachable(world, referral, "psych", "eligibility_decide")
    actions.decide_eligibility(
        actor=cm,
        referral=referral,
        decided_on=date(2026, 1, 12),
        outcome=EligibilityOutcome.IEP,
        team_present=[cm.staff, world.users["psych"].staff],
        parent_present=True,
        primary_category="specific_learning_disability",
        has_disability=True,
        adverse_effect=True,
        needs_sdi=True,
    )
    _reachable(world, referral, "case_manager", "eligibility_notice")
    notice = world.client_for("case_manager").get(
        reverse("eligibility_notice", args=[referral.public_id])
    )
    sent = reverse("eligibility_notice_sent", args=[referral.public_id])
    assert f'action="{sent}"' in notice.content.decode()
    actions.mark_eligibility_notice_sent(
        actor=cm, referral=referral, sent_on=date(2026, 1, 13), method="mail"
    )
    assert _next(referral) is None
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.ELIGIBILITY_DECIDED


@pytest.mark.django_db
def test_a_504_decided_from_existing_information_has_every_page(
    world, riverside_calendar, coordinator
):
    from tandem.referrals.models import (
        AreaOfConcern,
        CaseReviewDecision,
        ConsentKind,
        ReferralSource,
    )

    staff = coordinator.staff
    referral = actions.create_referral(
        actor=coordinator,
        student=world.leo,
        source=ReferralSource.TEACHER,
        received_on=date(2025, 9, 2),
        areas_of_concern=[AreaOfConcern.ATTENTION],
        description="Cannot sustain attention.",
    )
    _reachable(world, referral, "coordinator", "case_review")
    actions.record_case_review(
        actor=coordinator,
        referral=referral,
        decided_on=date(2025, 9, 5),
        decision=CaseReviewDecision.GATHER_504_INFORMATION,
        reason="ADHD diagnosis.",
    )
    _reachable(world, referral, "coordinator", "consent_request")
    consent = actions.request_consent(
        actor=coordinator,
        referral=referral,
        kind=ConsentKind.INITIAL_EVALUATION,
        sent_on=date(2025, 9, 5),
        method="in_person",
    )
    _reachable(world, referral, "coordinator", "consent_response")
    actions.record_consent_response(
        actor=coordinator, consent=consent, response="given", received_on=date(2025, 9, 8)
    )
    # No assessment is needed for a 504 plan: the decision itself is offered.
    step = _reachable(world, referral, "coordinator", "eligibility_decide")
    assert "existing information" in str(step.label)
    actions.decide_eligibility(
        actor=coordinator,
        referral=referral,
        decided_on=date(2025, 9, 19),
        outcome=EligibilityOutcome.SECTION_504,
        impairment="ADHD",
        major_life_activities=["concentrating"],
        substantial_limitation=True,
        no_evaluation_reason="Physician's letter and two teacher reports.",
        team_present=[staff, world.users["teacher"].staff],
        parent_present=True,
    )
    _reachable(world, referral, "coordinator", "eligibility_notice")
    actions.mark_eligibility_notice_sent(
        actor=coordinator, referral=referral, sent_on=date(2025, 9, 20), method="mail"
    )
    assert _next(referral) is None
    page = world.client_for("coordinator").get(
        reverse("referral_detail", args=[referral.public_id])
    )
    assert "this referral is closed" not in page.content.decode()
