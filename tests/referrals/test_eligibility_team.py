"""Who decided eligibility: the student's team, teachers, evaluators and others, as a group.

The people present are chosen among the student's team and case manager today, the student's
teachers, this referral's evaluators and the person recording the decision, plus other people by
name and role. A group decides (at least two people); an IDEA decision includes an evaluator who
assessed the student and the parent, present or invited (34 CFR 300.306(a)(1)); a 504 decision
may rest on existing information, decided by the 504 coordinator's group (34 CFR 104.35(c)).
"""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tandem.accounts.models import AuditEvent
from tandem.referrals import actions
from tandem.referrals.eligibility_group import Other, parse_others
from tandem.referrals.models import (
    AreaOfConcern,
    AssessmentArea,
    CaseReviewDecision,
    EligibilityDecision,
    ReferralSource,
    ReferralStatus,
)

START = date(2025, 8, 1)


@pytest.fixture
def referral_504(world, coordinator):
    """A teacher's concern about Leo, to be decided from existing information (no assessment)."""
    referral = actions.create_referral(
        actor=coordinator,
        student=world.leo,
        source=ReferralSource.TEACHER,
        source_name="Tom Lee",
        received_on=date(2025, 9, 2),
        areas_of_concern=[AreaOfConcern.ATTENTION],
        description="Cannot sustain attention; a diagnosis of ADHD from his physician.",
    )
    actions.record_case_review(
        actor=coordinator,
        referral=referral,
        decided_on=date(2025, 9, 5),
        decision=CaseReviewDecision.GATHER_504_INFORMATION,
        reason="ADHD diagnosis; gather the physician's letter and teacher reports.",
    )
    return referral


@pytest.fixture
def reported(world, cm, evaluating_referral):
    """Maya's special-education evaluation, assessed by the psychologist and reported."""
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
    actions.complete_assessment(
        actor=world.users["psych"],
        assessment=assessment,
        completed_on=date(2025, 12, 10),
        summary="Reading well below average.",
    )
    actions.complete_evaluation_report(
        actor=cm, referral=evaluating_referral, completed_on=date(2025, 12, 15), summary="SLD."
    )
    return evaluating_referral


def _url(referral):
    return reverse("eligibility_decide", args=[referral.public_id])


def _pk(world, persona):
    return world.users[persona].staff.pk


def _504(world, **changes):
    data = {
        "decided_on": "2025-09-19",
        "outcome": "section_504",
        "impairment": "ADHD",
        "major_life_activities": ["concentrating"],
        "substantial_limitation": "on",
        "no_evaluation_reason": "Physician's letter and two teacher reports.",
        "team_present": [_pk(world, "coordinator"), _pk(world, "teacher")],
        "others_present": "Mia Park, mother\nDr. Ann Lee, pediatrician",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def _iep(world, **changes):
    data = {
        "decided_on": "2026-01-12",
        "outcome": "iep",
        "primary_category": "specific_learning_disability",
        "has_disability": "on",
        "adverse_effect": "on",
        "needs_sdi": "on",
        "team_present": [_pk(world, "case_manager"), _pk(world, "psych")],
        "parent_present": "on",
    }
    data.update(changes)
    return {k: v for k, v in data.items() if v is not None}


def _nothing_decided(referral):
    referral.refresh_from_db()
    assert not EligibilityDecision.objects.exists()
    assert not AuditEvent.objects.filter(action="eligibility.decided").exists()
    assert referral.status != ReferralStatus.ELIGIBILITY_DECIDED


# --- who is offered ---------------------------------------------------------------------------


def test_the_504_coordinator_is_offered_the_teacher_not_only_evaluators(world, referral_504):
    page = world.client_for("coordinator").get(_url(referral_504))
    assert page.status_code == 200
    field = page.context["form"].fields["team_present"]
    offered = {staff.user.email: field.label_from_instance(staff) for staff in field.queryset}
    assert set(offered) == {"coordinator@r.test", "teacher@r.test"}
    assert "classroom teacher" in offered["teacher@r.test"]
    assert "504 coordinator" in offered["coordinator@r.test"]
    body = page.content.decode()
    assert 'name="others_present"' in body and 'for="id_others_present"' in body


def test_the_team_case_manager_evaluators_and_teachers_are_offered(world, reported):
    page = world.client_for("case_manager").get(_url(reported))
    field = page.context["form"].fields["team_present"]
    offered = {staff.user.email: field.label_from_instance(staff) for staff in field.queryset}
    assert set(offered) == {"cm@r.test", "psych@r.test", "teacher@r.test"}
    assert "case manager" in offered["cm@r.test"].lower()
    assert (
        "evaluator: Academic" in offered["psych@r.test"] or "evaluator" in offered["psych@r.test"]
    )
    assert "stranger@r.test" not in offered


# --- a 504 decision without assessments -------------------------------------------------------


def test_a_504_decision_from_existing_information_by_the_coordinators_group(
    world, referral_504, coordinator
):
    client = world.client_for("coordinator")
    response = client.post(_url(referral_504), _504(world))
    assert response.status_code == 302
    decision = EligibilityDecision.objects.get()
    assert set(decision.team_present.values_list("user__email", flat=True)) == {
        "coordinator@r.test",
        "teacher@r.test",
    }
    assert decision.parent_present is False
    event = AuditEvent.objects.get(action="eligibility.decided")
    assert event.actor == coordinator
    assert event.detail["others_present"] == [
        {"name": "Mia Park", "role": "mother"},
        {"name": "Dr. Ann Lee", "role": "pediatrician"},
    ]
    assert len(event.detail["team_present"]) == 2
    notice = client.get(reverse("eligibility_notice", args=[referral_504.public_id]))
    body = notice.content.decode()
    assert "Mia Park (mother)" in body and "Dr. Ann Lee (pediatrician)" in body


def test_one_person_alone_does_not_decide(world, referral_504):
    response = world.client_for("coordinator").post(
        _url(referral_504),
        _504(world, team_present=[_pk(world, "coordinator")], others_present=""),
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    assert "at least two people" in errors["team_present"][0]
    assert 'id="id_team_present-error"' in response.content.decode()
    _nothing_decided(referral_504)


def test_an_other_person_needs_a_name_and_a_role(world, referral_504):
    response = world.client_for("coordinator").post(
        _url(referral_504), _504(world, others_present="Mia Park, mother\nthe neighbour")
    )
    assert response.status_code == 400
    assert "Line 2" in response.context["form"].errors["others_present"][0]
    _nothing_decided(referral_504)


def test_staff_with_no_tie_to_the_student_cannot_be_named(world, referral_504):
    response = world.client_for("coordinator").post(
        _url(referral_504),
        _504(world, team_present=[_pk(world, "coordinator"), _pk(world, "stranger")]),
    )
    assert response.status_code == 400
    assert "team_present" in response.context["form"].errors
    _nothing_decided(referral_504)
    # The action refuses it too, whoever calls it.
    with pytest.raises(ValidationError) as excinfo:
        actions.decide_eligibility(
            actor=world.users["coordinator"],
            referral=referral_504,
            decided_on=date(2025, 9, 19),
            outcome="section_504",
            impairment="ADHD",
            major_life_activities=["concentrating"],
            substantial_limitation=True,
            no_evaluation_reason="Physician's letter.",
            team_present=[world.users["coordinator"].staff, world.users["stranger"].staff],
            parent_present=True,
        )
    assert "Sid" in excinfo.value.message_dict["team_present"][0]
    _nothing_decided(referral_504)


# --- an IDEA decision -------------------------------------------------------------------------


def test_an_idea_decision_needs_an_evaluator_who_assessed(world, reported):
    response = world.client_for("case_manager").post(
        _url(reported),
        _iep(world, team_present=[_pk(world, "case_manager"), _pk(world, "teacher")]),
    )
    assert response.status_code == 400
    assert "evaluator who assessed" in response.context["form"].errors["team_present"][0]
    _nothing_decided(reported)


def test_an_idea_decision_needs_the_parent_present_or_invited(world, reported):
    client = world.client_for("case_manager")
    response = client.post(_url(reported), _iep(world, parent_present=None))
    assert response.status_code == 400
    assert "The parent is a member" in response.context["form"].errors["parent_present"][0]
    _nothing_decided(reported)
    response = client.post(_url(reported), _iep(world, parent_present=None, parent_invited="on"))
    assert response.status_code == 302
    event = AuditEvent.objects.get(action="eligibility.decided")
    assert event.detail["parent_invited"] is True and event.detail["parent_present"] is False
    notice = client.get(reverse("eligibility_notice", args=[reported.public_id]))
    assert "A parent was invited and did not come." in notice.content.decode()


def test_every_refusal_is_given_at_once(world, reported):
    response = world.client_for("case_manager").post(
        _url(reported),
        _iep(world, needs_sdi=None, team_present=[_pk(world, "case_manager")], parent_present=None),
    )
    assert response.status_code == 400
    assert {"needs_sdi", "team_present"} <= set(response.context["form"].errors)
    _nothing_decided(reported)


def test_others_are_parsed_on_the_last_comma():
    assert parse_others("Lee, Ann, pediatrician\n\n  Mia Park , mother ") == [
        Other("Lee, Ann", "pediatrician"),
        Other("Mia Park", "mother"),
    ]
    with pytest.raises(ValidationError):
        parse_others("no role here")


# --- personas ---------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["case_manager", "psych", "principal", "director"])
def test_who_runs_the_evaluation_records_it(world, reported, persona):
    client = world.client_for(persona)
    assert client.get(_url(reported)).status_code == 200
    assert client.post(_url(reported), _iep(world)).status_code == 302
    assert EligibilityDecision.objects.get().decided_by == world.users[persona]


@pytest.mark.parametrize("persona", ["teacher", "parent", "contractor"])
def test_a_read_only_tie_is_refused(world, reported, persona):
    client = world.client_for(persona)
    assert client.get(_url(reported)).status_code == 403
    assert client.post(_url(reported), _iep(world)).status_code == 403
    _nothing_decided(reported)


@pytest.mark.parametrize("persona", ["stranger", "oak_director"])
def test_an_outsider_finds_nothing(world, reported, persona):
    client = world.client_for(persona)
    assert client.get(_url(reported)).status_code == 404
    assert client.post(_url(reported), _iep(world)).status_code == 404
    _nothing_decided(reported)


def test_the_page_reads_in_a_fixed_number_of_queries(
    world, reported, django_assert_max_num_queries
):
    with django_assert_max_num_queries(40):
        assert world.client_for("case_manager").get(_url(reported)).status_code == 200
