"""Demo data for the goals app, seeded by `manage.py seed_demo` after the plans.

The shipped bank comes from the data migration (every install has it); the demo adds what a
district grows on top: a district-wide template and a few personal ones.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from tandem.accounts.models import User
from tandem.demo import personas
from tandem.goals.bank import load_bank
from tandem.goals.models import GoalTemplate
from tandem.people.models import District

DISTRICT_TEMPLATES = (
    (
        "behavior",
        "any",
        "Riverside check-in/check-out point sheet",
        "{timeframe}, when using the Riverside daily point sheet, the student will earn at least "
        "{target}% of possible points on 4 of 5 days for 4 consecutive weeks, as measured by the "
        "point sheet reviewed daily by the case manager.",
        {
            "timeframe": {"hint": "When the goal is met", "sample": "By June 2027"},
            "target": {"hint": "Percent of points", "sample": "80"},
        },
    ),
)
PERSONAL_TEMPLATES = (
    (
        personas.CASE_MANAGER,
        "reading",
        "3_5",
        "My fluency goal with phrase-cued text",
        "{timeframe}, when given a phrase-cued grade-level passage, the student will read aloud "
        "at least {target} words correct per minute on 3 of 4 consecutive weekly probes, as "
        "measured by curriculum-based reading probes.",
        {
            "timeframe": {"hint": "When the goal is met", "sample": "By June 2027"},
            "target": {"hint": "Words correct per minute", "sample": "85"},
        },
    ),
    (
        personas.SLP,
        "articulation",
        "any",
        "My /r/ carryover goal",
        "{timeframe}, during a 5-minute classroom conversation, the student will produce /r/ "
        "correctly in at least 90% of opportunities on 3 consecutive sessions, as measured by "
        "speech-language pathologist tallies.",
        {"timeframe": {"hint": "When the goal is met", "sample": "By June 2027"}},
    ),
)


def seed(plan: Any, *, log: Callable[[str], None] = lambda _: None) -> None:
    """Seed this app's demo records for the demo world `plan` (a tandem.demo.world plan)."""
    load_bank()  # a no-op when the migration already loaded it
    riverside = District.objects.filter(slug=plan.districts[0].slug).first()
    if riverside is None:
        return
    for area, band, title, text, slots in DISTRICT_TEMPLATES:
        GoalTemplate.objects.get_or_create(
            district=riverside,
            owner=None,
            title=title,
            defaults={"area": area, "grade_band": band, "text": text, "slots": slots},
        )
    made = 0
    for email, area, band, title, text, slots in PERSONAL_TEMPLATES:
        user = User.objects.filter(email=email).first()
        if user is None:
            continue
        GoalTemplate.objects.get_or_create(
            district=riverside,
            owner=user,
            title=title,
            defaults={"area": area, "grade_band": band, "text": text, "slots": slots},
        )
        made += 1
    log(f"goal bank: {GoalTemplate.objects.count()} templates ({made} personal in the demo)")
