"""A partial consent signed in the portal carries into an evaluation of the agreed areas."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from tandem.referrals import actions, queries
from tandem.referrals.models import AssessmentArea, Deadline, DeadlineKind, ReferralStatus


def test_a_partial_consent_signed_online_starts_the_evaluation_of_the_agreed_areas(world, consent):
    response = world.client_for("parent").post(
        reverse("portal_sign", args=[consent.public_id]),
        {
            "decision": "partial",
            "typed_name": "Grace Lopez",
            "agree": "on",
            "reason": "",
            "parts": ["reading", "speech_language"],
        },
    )
    assert response.status_code == 302
    consent.refresh_from_db()
    assert consent.areas_agreed == ["reading", "speech_language"]
    assert consent.areas_refused == ["motor"]
    referral = consent.referral
    referral.refresh_from_db()
    assert referral.status == ReferralStatus.IN_EVALUATION
    assert Deadline.objects.filter(kind=DeadlineKind.INITIAL_EVALUATION).exists()
    loaded = queries.referral_with_steps(referral.public_id)
    assert queries.next_step(loaded).url_name == "assessment_plan"
    refused = queries.refused_assessment_areas(loaded)
    assert AssessmentArea.OCCUPATIONAL_THERAPY in refused
    assert AssessmentArea.PHYSICAL_THERAPY in refused
    assert AssessmentArea.SPEECH_LANGUAGE not in refused
    assert AssessmentArea.ACADEMIC not in refused
    plan = actions.plan_assessments(
        actor=world.users["director"], referral=referral, created_on=timezone.localdate()
    )
    assert plan.referral == referral
