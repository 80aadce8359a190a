"""The page that reopens an assessment recorded by mistake: who may, when, with a reason, audited.

Who: the assessment's evaluator, or whoever runs the evaluation (RUN_EVALUATION), or a leader
(the owner rule `ASSESSMENT_REOPENER` in the access policy). When: while the evaluation runs and
before its report is written. Nothing is deleted: the field history keeps the results.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from tandem.accounts.models import AuditEvent
from tandem.referrals import actions
from tandem.referrals.models import Assessment, AssessmentArea


@pytest.fixture
def plan(cm, evaluating_referral):
    return actions.plan_assessments(
        actor=cm, referral=evaluating_referral, created_on=date(2025, 11, 12)
    )


def _done(world, plan, *, area, evaluator):
    staff = world.users[evaluator].staff
    assessment = actions.add_assessment(
        actor=world.users["case_manager"],
        plan=plan,
        area=area,
        evaluator=staff,
        due_on=date(2025, 12, 12),
    )
    return actions.complete_assessment(
        actor=world.users[evaluator],
        assessment=assessment,
        completed_on=date(2025, 11, 20),
        summary="Recorded for the wrong child.",
        scores={"basic_reading": 78},
    )


@pytest.fixture
def academic(world, plan):
    """The psychologist's assessment (a team psychologist also runs the evaluation)."""
    return _done(world, plan, area=AssessmentArea.ACADEMIC, evaluator="psych")


@pytest.fixture
def motor(world, plan):
    """The contracted OT's assessment: she records assessments but does not run the evaluation."""
    return _done(world, plan, area=AssessmentArea.OCCUPATIONAL_THERAPY, evaluator="contractor")


def _url(assessment):
    return reverse("assessment_reopen", args=[assessment.public_id])


def _reopened(assessment):
    assessment.refresh_from_db()
    return assessment.completed_on is None


@pytest.mark.parametrize("persona", ["psych", "case_manager", "principal", "director"])
def test_the_evaluator_and_who_runs_the_evaluation_reopen_it(world, academic, persona):
    client = world.client_for(persona)
    page = client.get(_url(academic))
    assert page.status_code == 200
    assert "Reopen the assessment" in page.content.decode()
    response = client.post(_url(academic), {"reason": "Entered for the wrong child."})
    assert response.status_code == 302
    assert response["Location"] == reverse("assessment_complete", args=[academic.public_id])
    assert _reopened(academic)
    # Nothing is deleted: the results are in the history, the reason in the audit trail.
    assert academic.summary == "Recorded for the wrong child."
    assert academic.history.filter(completed_on=date(2025, 11, 20)).exists()
    event = AuditEvent.objects.get(action="assessment.reopened")
    assert event.actor == world.users[persona]
    assert event.student_id == world.maya.pk
    assert event.detail["reason"] == "Entered for the wrong child."
    assert event.detail["was_completed_on"] == "2025-11-20"


def test_the_assessment_page_offers_it_and_shows_what_was_reopened(world, academic):
    client = world.client_for("psych")
    page = client.get(reverse("assessment_complete", args=[academic.public_id])).content.decode()
    assert _url(academic) in page
    client.post(_url(academic), {"reason": "Entered for the wrong child."})
    page = client.get(reverse("assessment_complete", args=[academic.public_id])).content.decode()
    assert 'id="reopened-heading"' in page
    assert "Entered for the wrong child." in page
    assert "Recorded for the wrong child." in page  # what had been recorded, kept
    assert "Complete assessment" in page  # the results can be entered again


def test_an_evaluator_without_the_lead_reopens_only_her_own(world, academic, motor):
    ot = world.client_for("contractor")
    assert ot.post(_url(motor), {"reason": "Wrong date and scores."}).status_code == 302
    assert _reopened(motor)
    # The psychologist's assessment is not hers: refused, and not offered on its page.
    assert ot.get(_url(academic)).status_code == 403
    assert ot.post(_url(academic), {"reason": "Mistake."}).status_code == 403
    assert not _reopened(academic)
    page = ot.get(reverse("assessment_complete", args=[academic.public_id])).content.decode()
    assert _url(academic) not in page


@pytest.mark.parametrize(("persona", "status"), [("teacher", 403), ("parent", 403)])
def test_a_read_only_tie_is_refused(world, academic, persona, status):
    client = world.client_for(persona)
    assert client.get(_url(academic)).status_code == status
    assert client.post(_url(academic), {"reason": "Mistake."}).status_code == status
    assert not _reopened(academic)
    assert not AuditEvent.objects.filter(action="assessment.reopened").exists()


@pytest.mark.parametrize("persona", ["stranger", "oak_director"])
def test_an_outsider_finds_nothing(world, academic, persona):
    client = world.client_for(persona)
    assert client.get(_url(academic)).status_code == 404
    assert client.post(_url(academic), {"reason": "Mistake."}).status_code == 404
    assert client.get(reverse("assessment_reopen", args=["not-an-id"])).status_code == 404
    assert not _reopened(academic)


def test_a_blank_reason_is_refused_on_the_field_and_nothing_changes(world, academic):
    response = world.client_for("psych").post(_url(academic), {"reason": "   "})
    assert response.status_code == 400
    assert response.context["form"].errors["reason"] == ["Say why the assessment is reopened."]
    body = response.content.decode()
    assert 'id="id_reason-error"' in body
    assert not _reopened(academic)
    assert not AuditEvent.objects.filter(action="assessment.reopened").exists()


def test_once_the_report_is_written_the_page_says_why_it_cannot(world, cm, academic):
    actions.complete_evaluation_report(
        actor=cm,
        referral=academic.plan.referral,
        completed_on=date(2025, 11, 25),
        summary="Findings.",
    )
    client = world.client_for("psych")
    page = client.get(_url(academic)).content.decode()
    assert "The evaluation report is written" in page
    assert "<textarea" not in page
    offer = client.get(reverse("assessment_complete", args=[academic.public_id]))
    assert _url(academic) not in offer.content.decode()
    response = client.post(_url(academic), {"reason": "Too late."})
    assert response.status_code == 400
    assert "The evaluation report is written" in response.content.decode()
    assert not _reopened(academic)
    assert not AuditEvent.objects.filter(action="assessment.reopened").exists()


def test_an_open_assessment_has_nothing_to_reopen(world, academic):
    world.client_for("psych").post(_url(academic), {"reason": "Wrong child."})
    response = world.client_for("psych").post(_url(academic), {"reason": "Again."})
    assert response.status_code == 400
    assert "there is nothing to reopen" in response.content.decode()
    assert AuditEvent.objects.filter(action="assessment.reopened").count() == 1
    assert Assessment.objects.get(pk=academic.pk).completed_on is None


def test_the_page_reads_in_a_fixed_number_of_queries(
    world, academic, django_assert_max_num_queries
):
    client = world.client_for("psych")
    with django_assert_max_num_queries(30):
        assert client.get(_url(academic)).status_code == 200
