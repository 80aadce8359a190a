"""An IEP rests on an IDEA eligibility: a student found eligible under 504 only gets a 504 Plan.

Starting an IEP draft (or an IEP's annual review) for a student whose latest eligibility decision
is "eligible under Section 504" is refused, naming why and offering the 504 Plan; nothing is
created. The reverse stays allowed (a student eligible under IDEA is protected by 504 too).
"""

from __future__ import annotations

import re
from datetime import date

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from tandem.accounts.models import AuditEvent
from tandem.plans import actions_drafts, actions_versions
from tandem.plans.models import Plan, PlanKind
from tandem.referrals.models import EligibilityDecision, Referral
from tests.plans.test_pages import active_plan

TODAY = date(2025, 9, 1)


def decide(world, outcome: str, on: date, student=None) -> EligibilityDecision:  # type: ignore[no-untyped-def]
    student = student or world.maya
    actor = world.users["case_manager"]
    referral = Referral.objects.create(
        student=student,
        source="parent",
        received_on=on.replace(month=1, day=5),
        areas_of_concern=["attention"],
        description="Trouble focusing",
        created_by=actor,
    )
    facts = (
        {"impairment": "ADHD", "major_life_activities": ["concentrating"]}
        if outcome == "section_504"
        else {"primary_category": "specific_learning_disability"}
    )
    return EligibilityDecision.objects.create(
        referral=referral,
        student=student,
        decided_on=on,
        outcome=outcome,
        decided_by=actor,
        **facts,
    )


def _new(world):  # type: ignore[no-untyped-def]
    return reverse("plan_new", args=[world.maya.public_id])


def test_the_action_refuses_an_iep_for_a_student_eligible_under_504_only(world) -> None:  # type: ignore[no-untyped-def]
    decide(world, "section_504", date(2025, 8, 25))
    with pytest.raises(ValidationError) as refused:
        actions_drafts.create_draft(
            actor=world.users["case_manager"], student=world.maya, kind=PlanKind.IEP, today=TODAY
        )
    message = refused.value.message_dict["kind"][0]
    assert "Section 504 only" in message and "Start a 504 Plan instead" in message
    assert "Aug. 25, 2025" in message
    assert not Plan.objects.filter(student=world.maya).exists()
    assert not AuditEvent.objects.filter(action="plan.draft_created").exists()
    # The 504 Plan the decision supports can be started.
    plan = actions_drafts.create_draft(
        actor=world.users["case_manager"],
        student=world.maya,
        kind=PlanKind.SECTION_504,
        today=TODAY,
    )
    assert plan.kind == PlanKind.SECTION_504


def test_the_page_refuses_with_400_names_why_and_offers_the_504(world) -> None:  # type: ignore[no-untyped-def]
    decide(world, "section_504", date(2025, 8, 25))
    client = world.client_for("case_manager")
    response = client.post(_new(world), {"kind": "iep", "meeting_date": "2025-09-10"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "An IEP cannot be started" in body and "Section 504 only" in body
    assert f"{_new(world)}?kind=section_504" in body  # the 504 Plan, offered
    assert "Start a 504 Plan instead" in body
    assert not Plan.objects.filter(student=world.maya).exists()
    started = client.post(_new(world), {"kind": "section_504"})
    assert started.status_code == 302
    assert Plan.objects.get(student=world.maya).kind == PlanKind.SECTION_504
    # With a 504 draft already open, the offer opens it rather than starting another.
    again = client.post(_new(world), {"kind": "iep"})
    assert again.status_code == 400
    assert "Open the 504 Plan draft already being written" in again.content.decode()


def test_the_page_says_so_before_the_form_is_sent(world) -> None:  # type: ignore[no-untyped-def]
    decide(world, "section_504", date(2025, 8, 25))
    page = world.client_for("case_manager").get(_new(world), {"kind": "iep"})
    assert page.status_code == 200
    body = page.content.decode()
    assert "An IEP cannot be started" in body
    # The 504 Plan is the kind chosen in the form.
    radios = {
        re.search(r'value="(\w+)"', tag).group(1): "checked" in tag  # type: ignore[union-attr]
        for tag in re.findall(r'<input[^>]*type="radio"[^>]*>', body)
    }
    assert radios == {"iep": False, "section_504": True}


def test_the_latest_decision_counts(world) -> None:  # type: ignore[no-untyped-def]
    decide(world, "iep", date(2023, 3, 1))
    decide(world, "section_504", date(2025, 8, 25))  # a reevaluation found 504 only
    with pytest.raises(ValidationError):
        actions_drafts.create_draft(
            actor=world.users["case_manager"], student=world.maya, kind=PlanKind.IEP, today=TODAY
        )
    decide(world, "iep", date(2025, 9, 1))  # and a later one found IDEA eligibility again
    plan = actions_drafts.create_draft(
        actor=world.users["case_manager"], student=world.maya, kind=PlanKind.IEP, today=TODAY
    )
    assert plan.kind == PlanKind.IEP


def test_no_decision_on_record_or_idea_eligibility_allows_either_kind(world) -> None:  # type: ignore[no-untyped-def]
    actor = world.users["case_manager"]
    actions_drafts.create_draft(actor=actor, student=world.maya, kind=PlanKind.IEP, today=TODAY)
    decide(world, "iep", date(2025, 8, 25))
    # The reverse stays allowed: an IDEA-eligible student is protected by 504 too.
    plan = actions_drafts.create_draft(
        actor=actor, student=world.maya, kind=PlanKind.SECTION_504, today=TODAY
    )
    assert plan.kind == PlanKind.SECTION_504


def test_an_ieps_annual_review_is_refused_after_a_504_only_finding(world) -> None:  # type: ignore[no-untyped-def]
    plan = active_plan(world)
    decide(world, "section_504", date(2025, 12, 1))
    drafts = Plan.objects.filter(student=world.maya).count()
    with pytest.raises(ValidationError) as refused:
        actions_versions.start_annual_review(
            actor=world.users["case_manager"], plan=plan, today=TODAY
        )
    assert "Move the IEP to a 504 Plan instead" in refused.value.message_dict["kind"][0]
    assert Plan.objects.filter(student=world.maya).count() == drafts


@pytest.mark.parametrize("persona,status", [("teacher", 403), ("parent", 403), ("stranger", 404)])
def test_others_cannot_start_either_kind(world, persona, status) -> None:  # type: ignore[no-untyped-def]
    decide(world, "section_504", date(2025, 8, 25))
    client = world.client_for(persona)
    assert client.post(_new(world), {"kind": "section_504"}).status_code == status
    assert client.post(_new(world), {"kind": "iep"}).status_code == status
    assert not Plan.objects.filter(student=world.maya).exists()
