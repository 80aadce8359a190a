"""Deadlines that appear and close (issue 10, item 6): a finalized plan meets the initial-IEP
meeting and stores its annual review (IEP or 504) and, where the state's transition age falls
in or after it, transition services; a scheduled meeting stores its notice's "send by" date and
sending the notice meets it. The district's deadlines page lists every one."""

from __future__ import annotations

from datetime import date

import pytest

from tandem.compliance import actions as deadlines
from tandem.compliance.models import Deadline, DeadlineKind
from tandem.plans import actions_drafts, actions_versions
from tandem.plans.models import PlanKind
from tandem.rules import deadlines as engine
from tests.factories import meet_finalize_requirements
from tests.meetings.conftest import LA, schedule
from tests.progress.conftest import MEETING, TODAY, active_iep

pytestmark = pytest.mark.django_db

# Riverside is in California: transition services are due by the day the student turns 16
# (the engine's CA profile). Maya turns 16 on 2026-12-01, after the IEP's year (2025-09-10 to
# 2026-09-10), so the date stays open for the next IEP; the pre-finalize check does not yet ask
# this IEP for transition services.
BORN = date(2010, 12, 1)


def _kinds(response) -> set[str]:  # type: ignore[no-untyped-def]
    return {d.kind for d in response.context["rows"]}


def _initial_meeting_deadline(world):  # type: ignore[no-untyped-def]
    # As the eligibility decision stores it: 30 days from the decision (34 CFR 300.323(c)(1)).
    return deadlines.compute_deadline(
        student=world.maya,
        kind=DeadlineKind.INITIAL_IEP_MEETING,
        trigger=date(2025, 8, 25),
        source=world.maya,
        field="decided_on",
    )


def test_finalizing_an_iep_meets_the_initial_meeting_and_stores_its_dates(world) -> None:  # type: ignore[no-untyped-def]
    world.maya.date_of_birth = BORN
    world.maya.save(update_fields=["date_of_birth"])
    initial = _initial_meeting_deadline(world)
    assert initial.met_on is None
    plan = active_iep(world)
    initial.refresh_from_db()
    assert initial.met_on == MEETING  # the IEP meeting held on 2025-09-10
    review = Deadline.objects.get(student=world.maya, kind=DeadlineKind.ANNUAL_REVIEW)
    assert review.source_id == str(plan.public_id) and review.met_on is None
    assert review.trigger_on == MEETING
    expected = engine.compute(engine.Rule.ANNUAL_REVIEW, engine.load_profile("CA"), MEETING).due
    assert review.due_on == expected
    transition = Deadline.objects.get(student=world.maya, kind=DeadlineKind.TRANSITION_SERVICES)
    assert transition.trigger_on == BORN and transition.met_on is None
    assert transition.due_on > plan.effective_to
    # The district's page lists both, with the initial meeting among the met.
    page = world.client_for("director").get("/deadlines/?status=all")
    assert {DeadlineKind.ANNUAL_REVIEW, DeadlineKind.TRANSITION_SERVICES} <= _kinds(page)
    open_page = world.client_for("director").get("/deadlines/")
    assert DeadlineKind.INITIAL_IEP_MEETING not in _kinds(open_page)


def test_the_next_annual_iep_meets_the_last_review_and_stores_its_own(world) -> None:  # type: ignore[no-untyped-def]
    plan = active_iep(world)
    first = Deadline.objects.get(student=world.maya, kind=DeadlineKind.ANNUAL_REVIEW)
    meeting = date(2026, 6, 1)
    draft = actions_versions.start_annual_review(
        actor=world.users["case_manager"], plan=plan, today=meeting, meeting_date=meeting
    )
    meet_finalize_requirements(world.users["case_manager"], draft, meeting)
    actions_versions.finalize_plan(
        actor=world.users["case_manager"], plan=draft, effective_from=meeting, today=meeting
    )
    first.refresh_from_db()
    assert first.met_on == meeting
    assert (
        Deadline.objects.filter(
            student=world.maya, kind=DeadlineKind.ANNUAL_REVIEW, met_on__isnull=True
        ).count()
        == 1
    )


def test_a_504_plan_stores_its_annual_review(world) -> None:  # type: ignore[no-untyped-def]
    actor = world.users["case_manager"]
    plan = actions_drafts.create_draft(
        actor=actor, student=world.maya, kind=PlanKind.SECTION_504, today=TODAY
    )
    actions_drafts.save_section(
        actor=actor,
        plan=plan,
        key="section_504_impairment",
        content={"impairment": "ADHD", "major_life_activities": ["concentrating", "learning"]},
        expected_revision=0,
    )
    actions_drafts.add_accommodation(
        actor=actor,
        plan=plan,
        data={
            "kind": "accommodation",
            "category": "timing_scheduling",
            "text": "Extended time (1.5x) on tests",
            "applies_to": ["tests", "classroom"],
        },
    )
    actions_versions.finalize_plan(actor=actor, plan=plan, effective_from=MEETING, today=TODAY)
    review = Deadline.objects.get(student=world.maya, kind=DeadlineKind.SECTION_504_ANNUAL_REVIEW)
    assert review.source_id == str(plan.public_id) and review.met_on is None
    assert not Deadline.objects.filter(kind=DeadlineKind.ANNUAL_REVIEW).exists()
    page = world.client_for("director").get("/deadlines/")
    assert DeadlineKind.SECTION_504_ANNUAL_REVIEW in _kinds(page)


def test_a_meeting_stores_its_notice_date_and_sending_meets_it(world, mailoutbox) -> None:  # type: ignore[no-untyped-def]
    meeting = schedule(world)
    notice = Deadline.objects.get(student=world.maya, kind=DeadlineKind.MEETING_NOTICE)
    assert notice.source_id == str(meeting.public_id)
    assert notice.trigger_on == meeting.starts_at.astimezone(LA).date()
    # CA: at least 10 calendar days before the meeting (the engine's lead time, 300.322(a)(1)).
    assert (notice.trigger_on - notice.due_on).days == 10
    assert notice.met_on is not None and notice.met_on <= notice.due_on  # sent on scheduling
    page = world.client_for("director").get("/deadlines/?status=all")
    assert DeadlineKind.MEETING_NOTICE in _kinds(page)
    assert "Send by" in notice.explanation
