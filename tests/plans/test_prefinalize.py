"""The pre-finalize check catches what 34 CFR 300.320, 300.324(a)(2), 300.300(b) and, for a 504
Plan, 104.33/104.35 require, each problem linked to where it is fixed; consent to services."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from tandem.accounts.models import AuditEvent
from tandem.core import clock
from tandem.plans import actions_drafts, actions_versions, readiness
from tandem.plans.models import ConsentToServices, Plan, PlanKind, PlanStatus
from tests.factories import LRE_EXPLANATION

TODAY = date(2025, 9, 1)
MEETING = date(2025, 9, 10)
GOAL = "By June 2026, Maya will read 90 words per minute with 95% accuracy on 3 of 4 probes."
VAGUE_GOAL = "Maya will improve her reading."
SPEECH = {
    "category": "related",
    "name": "Speech-language therapy",
    "minutes": 30,
    "times": 2,
    "per": "week",
    "setting": "Speech room",
    "start_date": MEETING,
    "end_date": date(2026, 6, 12),
    "provider_role": "Speech-language pathologist",
}
SECTIONS = {
    "special_factors": "Considered: no special factors apply beyond the goals.",
    "progress_reporting": "Progress on each goal is reported with each report card.",
    "assessments": "Takes the state and district assessments with accommodations.",
}
EXTENDED_TIME = {
    "kind": "accommodation",
    "category": "timing_scheduling",
    "text": "Extended time (1.5x) on tests",
    "applies_to": ["tests", "classroom"],
}


def _actor(world):  # type: ignore[no-untyped-def]
    return world.users["case_manager"]


def _section(world, plan, key, content):  # type: ignore[no-untyped-def]
    section = plan.sections.filter(key=key).first()
    actions_drafts.save_section(
        actor=_actor(world),
        plan=plan,
        key=key,
        content=content,
        expected_revision=section.revision if section else 0,
    )


def _iep(world, *, services=True, goal=GOAL, lre=True, consent=True):  # type: ignore[no-untyped-def]
    """A first IEP for Maya, complete but for what the arguments leave out."""
    actor = _actor(world)
    plan = actions_drafts.create_draft(
        actor=actor, student=world.maya, kind=PlanKind.IEP, today=TODAY, meeting_date=MEETING
    )
    _section(world, plan, "plaafp", {"text": "Maya reads 60 words per minute."})
    for key, text in SECTIONS.items():
        _section(world, plan, key, {"text": text})
    if services:
        actions_drafts.add_service(actor=actor, plan=plan, data=SPEECH)
    actions_drafts.add_goal(actor=actor, plan=plan, data={"area": "Reading", "text": goal})
    actions_drafts.add_accommodation(actor=actor, plan=plan, data=EXTENDED_TIME)
    if lre:
        _section(world, plan, "lre", {"removal_explanation": LRE_EXPLANATION})
    if consent:
        actions_drafts.record_services_consent(
            actor=actor, plan=plan, answer="yes", answered_on=TODAY, today=TODAY
        )
    return plan


def _check(plan: Plan) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for problem in readiness.pre_finalize_check(plan=plan, today=TODAY, effective_from=MEETING):
        out.setdefault(problem.field, []).append(problem.message)
    return out


def test_a_complete_first_iep_passes(world) -> None:  # type: ignore[no-untyped-def]
    assert _check(_iep(world)) == {}


def test_sections_300_320_and_special_factors(world) -> None:  # type: ignore[no-untyped-def]
    plan = _iep(world)
    for key in SECTIONS:
        _section(world, plan, key, {"text": "TBD"})
    assert set(_check(plan)) == {f"section:{key}" for key in SECTIONS}


def test_a_service_without_start_date_or_location(world) -> None:  # type: ignore[no-untyped-def]
    plan = _iep(world, services=False)
    actions_drafts.add_service(
        actor=_actor(world), plan=plan, data={**SPEECH, "setting": "", "start_date": None}
    )
    service = plan.services.get()
    messages = " ".join(_check(plan)[f"service:{service.public_id}"])
    assert "no projected start date" in messages and "where it is given" in messages


def test_no_services_on_an_iep(world) -> None:  # type: ignore[no-untyped-def]
    problems = _check(_iep(world, services=False))
    assert list(problems) == ["services"]
    assert "no special education or related services" in problems["services"][0]


def test_a_goal_the_goal_checker_finds_not_smart(world) -> None:  # type: ignore[no-untyped-def]
    plan = _iep(world, goal=VAGUE_GOAL)
    goal = plan.goals.get()
    problems = _check(plan)
    message = problems[f"goal:{goal.public_id}"][0]
    assert "measurable" in message and "time-bound" in message


def test_removal_without_an_explanation(world) -> None:  # type: ignore[no-untyped-def]
    plan = _iep(world, lre=False)
    assert "60 minutes a week" in _check(plan)["section:lre"][0]
    _section(world, plan, "lre", {"removal_explanation": "N/A", "text": "-"})
    assert "section:lre" in _check(plan)  # a placeholder explains nothing


def test_no_removal_needs_no_explanation(world) -> None:  # type: ignore[no-untyped-def]
    plan = _iep(world, lre=False, services=False)
    actions_drafts.add_service(
        actor=_actor(world), plan=plan, data={**SPEECH, "setting": "General education classroom"}
    )
    assert "section:lre" not in _check(plan)


def test_alternate_assessment_needs_reasons_and_objectives(world) -> None:  # type: ignore[no-untyped-def]
    plan = _iep(world)
    _section(world, plan, "assessments", {"state": "alternate", "state_why": ""})
    goal = plan.goals.get()
    problems = _check(plan)
    assert len(problems["section:assessments"]) == 1
    assert "short-term objectives" in problems[f"goal:{goal.public_id}"][0]
    _section(
        world,
        plan,
        "assessments",
        {
            "state": "alternate",
            "state_why": "Maya has a significant cognitive disability; "
            "the alternate assessment measures the alternate standards she is taught.",
        },
    )
    apps.get_model("goals", "GoalObjective").objects.create(
        goal=goal, text="By December, 70 words per minute.", order=1
    )
    assert _check(plan) == {}


def test_transition_placeholder_at_the_transition_age(world) -> None:  # type: ignore[no-untyped-def]
    world.maya.date_of_birth = date(2009, 10, 1)  # 16 while the IEP is in effect
    world.maya.save()
    plan = _iep(world)
    assert "section:transition" in _check(plan)
    _section(world, plan, "transition", {"text": "TBD"})
    assert "section:transition" in _check(plan)
    _section(world, plan, "transition", {"education": "Community college", "employment": "TBD"})
    assert "section:transition" in _check(plan)
    _section(
        world,
        plan,
        "transition",
        {
            "education": "Maya will attend community college.",
            "employment": "Maya will work in child care.",
            "services": "Career exploration and a college visit.",
        },
    )
    assert "section:transition" not in _check(plan)


def test_consent_to_initial_services(world) -> None:  # type: ignore[no-untyped-def]
    actor = _actor(world)
    plan = _iep(world, consent=False)
    assert "consent" in _check(plan)
    with pytest.raises(readiness.PlanNotReady):
        actions_versions.finalize_plan(actor=actor, plan=plan, effective_from=MEETING, today=TODAY)
    actions_drafts.record_services_consent(
        actor=actor, plan=plan, answer="no", answered_on=TODAY, today=TODAY
    )
    assert "consent" in _check(plan)  # a refusal is kept, and blocks
    actions_drafts.record_services_consent(
        actor=actor, plan=plan, answer="yes", answered_on=TODAY, today=TODAY
    )
    assert _check(plan) == {}
    actions_versions.finalize_plan(actor=actor, plan=plan, effective_from=MEETING, today=TODAY)
    plan.refresh_from_db()
    # The annual review is not an initial IEP: no consent is asked on it.
    review = actions_versions.start_annual_review(
        actor=actor, plan=plan, today=TODAY, meeting_date=MEETING
    )
    assert not readiness.is_initial_iep(review)
    assert "consent" not in _check(review)
    with pytest.raises(ValidationError) as refused:
        actions_drafts.record_services_consent(
            actor=actor, plan=review, answer="yes", answered_on=TODAY, today=TODAY
        )
    assert "answer" in refused.value.message_dict


def test_consent_refuses_a_future_date(world) -> None:  # type: ignore[no-untyped-def]
    plan = _iep(world, consent=False)
    with pytest.raises(ValidationError) as refused:
        actions_drafts.record_services_consent(
            actor=_actor(world),
            plan=plan,
            answer="yes",
            answered_on=TODAY + timedelta(days=1),
            today=TODAY,
        )
    assert "answered_on" in refused.value.message_dict
    assert not ConsentToServices.objects.exists()


def test_504_equivalents(world) -> None:  # type: ignore[no-untyped-def]
    actor = _actor(world)
    plan = actions_drafts.create_draft(
        actor=actor, student=world.maya, kind=PlanKind.SECTION_504, today=TODAY
    )
    _section(world, plan, "section_504_impairment", {"major_life_activities": ["reading"]})
    problems = _check(plan)
    assert "does not name the impairment" in problems["section:section_504_impairment"][0]
    assert "no accommodations or services" in problems["accommodations"][0]
    assert "consent" not in problems and "services" not in problems
    _section(world, plan, "section_504_impairment", {"impairment": "ADHD"})
    actions_drafts.add_accommodation(actor=actor, plan=plan, data=EXTENDED_TIME)
    assert _check(plan) == {}


def test_each_problem_links_to_where_it_is_fixed(world) -> None:  # type: ignore[no-untyped-def]
    plan = _iep(world, services=False, goal=VAGUE_GOAL, lre=False, consent=False)
    goal = plan.goals.get()
    page = world.client_for("case_manager").get(reverse("plan_prefinalize", args=[plan.public_id]))
    html = page.content.decode()
    edit = reverse("plan_edit", args=[plan.public_id])
    assert f'href="{edit}#services"' in html
    assert f'href="{edit}#consent"' in html
    assert f'href="{reverse("goal_edit", args=[plan.public_id, goal.public_id])}"' in html
    assert "Nothing is missing" not in html
    assert "Finalizing is blocked" in html


# --- the consent form on the draft's page -------------------------------------------------------


def _consent_url(plan: Plan) -> str:
    return reverse("plan_services_consent", args=[plan.public_id])


def test_consent_form_by_persona(world) -> None:  # type: ignore[no-untyped-def]
    plan = _iep(world, consent=False)
    client = world.client_for("case_manager")
    page = client.get(reverse("plan_edit", args=[plan.public_id])).content.decode()
    assert 'id="consent"' in page and "Consent to start services" in page
    data = {"answer": "yes", "answered_on": "2025-09-01", "note": "Signed at the meeting"}
    for persona, status in (("teacher", 403), ("parent", 403), ("stranger", 404)):
        assert world.client_for(persona).post(_consent_url(plan), data).status_code == status
    assert not ConsentToServices.objects.exists()
    response = client.post(_consent_url(plan), data)
    assert response.status_code == 302 and response["Location"].endswith("#consent")
    consent = ConsentToServices.objects.get()
    assert (consent.answer, consent.answered_on, consent.recorded_by) == (
        "yes",
        date(2025, 9, 1),
        world.users["case_manager"],
    )
    assert AuditEvent.objects.filter(action="plan.services_consent_recorded").count() == 1
    page = client.get(reverse("plan_edit", args=[plan.public_id])).content.decode()
    assert "Recorded answer" in page


def test_consent_form_names_the_field(world) -> None:  # type: ignore[no-untyped-def]
    plan = _iep(world, consent=False)
    client = world.client_for("case_manager")
    missing = client.post(_consent_url(plan), {"answer": "yes", "answered_on": ""})
    assert missing.status_code == 400
    assert "Give the date the parent answered." in missing.content.decode()
    future = (clock.today() + timedelta(days=30)).isoformat()
    refused = client.post(_consent_url(plan), {"answer": "yes", "answered_on": future})
    assert refused.status_code == 400 and "cannot be in the future" in refused.content.decode()
    assert not ConsentToServices.objects.exists()


def test_finalized_plan_has_no_consent_form(world) -> None:  # type: ignore[no-untyped-def]
    plan = _iep(world)
    actions_versions.finalize_plan(
        actor=_actor(world), plan=plan, effective_from=MEETING, today=TODAY
    )
    assert Plan.objects.get(pk=plan.pk).status == PlanStatus.ACTIVE
    response = world.client_for("case_manager").post(
        _consent_url(plan), {"answer": "yes", "answered_on": "2025-09-01"}
    )
    assert response.status_code == 302  # back to the plan: no longer a draft
    assert ConsentToServices.objects.count() == 1
