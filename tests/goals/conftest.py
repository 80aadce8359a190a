"""A draft IEP for Maya with present levels, for the goal editor tests."""

from __future__ import annotations

from datetime import date

import pytest

from tandem.plans import actions_drafts
from tandem.plans.models import PlanKind

TODAY = date(2025, 9, 1)
PLAAFP = (
    "Maya is in grade 3. Maya reads 60 words correct per minute on grade-level passages and "
    "answers literal questions well. Maya adds within 100 with about 60% accuracy."
)
GUIDE_GOAL = (
    "By the end of the second quarter, the student will read a grade-level passage of 100 words "
    "and correctly answer five comprehension questions with 80% accuracy in 4 out of 5 trials, "
    "as measured by weekly teacher assessments and progress monitoring."
)
GOOD_GOAL = (
    "By June 2026, when given a grade-level passage, Maya will read aloud at least 90 words "
    "correct per minute on 3 of 4 consecutive weekly probes, as measured by curriculum-based "
    "reading probes."
)


@pytest.fixture
def draft(world):  # type: ignore[no-untyped-def]
    actor = world.users["case_manager"]
    plan = actions_drafts.create_draft(
        actor=actor, student=world.maya, kind=PlanKind.IEP, today=TODAY, meeting_date=TODAY
    )
    actions_drafts.save_section(
        actor=actor, plan=plan, key="plaafp", content={"text": PLAAFP}, expected_revision=0
    )
    return plan


@pytest.fixture
def goal(world, draft):  # type: ignore[no-untyped-def]
    return actions_drafts.add_goal(
        actor=world.users["case_manager"],
        plan=draft,
        data={
            "area": "Reading",
            "text": GOOD_GOAL,
            "baseline": "60 words correct per minute",
            "plaafp_need": "Maya reads 60 words correct per minute on grade-level passages.",
        },
    )
