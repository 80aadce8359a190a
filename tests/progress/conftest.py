"""An active IEP for Maya with goals of several kinds, and a speech-language pathologist."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pytest

from tandem.people.models import Role, TeamMembership, TeamRole
from tandem.plans import actions_drafts, actions_versions
from tandem.plans.models import Goal, PlanKind
from tests.conftest import START
from tests.factories import make_staff, meet_finalize_requirements

TODAY = date(2025, 9, 1)
MEETING = date(2025, 9, 10)
SPEECH_GOAL = (
    "By June 2026, during structured conversation, Maya will produce the /r/ sound correctly "
    "in words and sentences with 90% accuracy in 3 consecutive sessions, as measured by "
    "speech-language pathologist data."
)
READING_GOAL = (
    "By June 2026, when given a grade-level passage, Maya will read aloud at least 90 words "
    "correct per minute, as measured by weekly curriculum-based reading probes."
)
BEHAVIOR_GOAL = (
    "By June 2026, Maya will reduce leaving the group without permission from 5 per day to "
    "1 per day, as measured by staff behavior logs."
)
MATH_GOAL = (
    "By June 2026, when given 20 two-digit addition problems, Maya will solve them with 80% "
    "accuracy in 4 out of 5 trials, as measured by weekly teacher assessments."
)


@dataclass
class Goals:
    plan: Any
    speech: Goal
    reading: Goal
    behavior: Goal
    math: Goal
    start: date


def active_iep(world, student=None, goals=None):  # type: ignore[no-untyped-def]
    actor = world.users["case_manager"]
    student = student or world.maya
    plan = actions_drafts.create_draft(
        actor=actor, student=student, kind=PlanKind.IEP, today=TODAY, meeting_date=MEETING
    )
    actions_drafts.save_section(
        actor=actor,
        plan=plan,
        key="plaafp",
        content={"text": "Maya reads 60 words per minute."},
        expected_revision=0,
    )
    actions_drafts.add_service(
        actor=actor,
        plan=plan,
        data={
            "category": "related",
            "name": "Speech-language therapy",
            "minutes": 30,
            "times": 2,
            "per": "week",
            "setting": "Speech room",
            "start_date": MEETING,
            "end_date": date(2026, 6, 12),
            "provider_role": "Speech-language pathologist",
        },
    )
    for area, text in goals or (
        ("Articulation", SPEECH_GOAL),
        ("Reading", READING_GOAL),
        ("Social-emotional", BEHAVIOR_GOAL),
        ("Mathematics", MATH_GOAL),
    ):
        actions_drafts.add_goal(actor=actor, plan=plan, data={"area": area, "text": text})
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
    meet_finalize_requirements(actor, plan, TODAY)
    actions_versions.finalize_plan(actor=actor, plan=plan, effective_from=MEETING, today=TODAY)
    plan.refresh_from_db()
    return plan


@pytest.fixture
def goals(world) -> Goals:  # type: ignore[no-untyped-def]
    plan = active_iep(world)
    by_area = {g.area: g for g in plan.goals.select_related("plan__student__district")}
    return Goals(
        plan=plan,
        speech=by_area["Articulation"],
        reading=by_area["Reading"],
        behavior=by_area["Social-emotional"],
        math=by_area["Mathematics"],
        start=MEETING,
    )


@pytest.fixture
def slp(world):  # type: ignore[no-untyped-def]
    staff = make_staff("slp@r.test", [(Role.PROVIDER, world.riverside, None)], first="Sally")
    TeamMembership.objects.create(
        staff=staff, student=world.maya, role=TeamRole.SPEECH_LANGUAGE, start_date=START
    )
    world.users["slp"] = staff.user
    return staff.user


def weekly(start: date, values, weeks: int = 1):  # type: ignore[no-untyped-def]
    """(date, value) pairs one week apart from `start`."""
    return [(start + timedelta(days=7 * weeks * i), v) for i, v in enumerate(values)]
