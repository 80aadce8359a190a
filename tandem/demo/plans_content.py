"""Writing a planned plan's content in memory: its sections, goals, services and accommodations.

Built from the student's needs with `plans_wording.py`; the random choices come from the plan's
own generator, in the order `plans.py` calls these, so the same seed gives the same words.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date
from typing import Any

from tandem.demo import districts, world_plan
from tandem.demo.plans_dates import month_year, one_year_after
from tandem.demo.plans_stories import PlannedPlan
from tandem.demo.plans_wording import (
    ACCOMMODATIONS,
    GOALS,
    MODIFICATIONS,
    PLAAFP,
    PROVIDED_BY,
    WHEN,
)
from tandem.plans.models import DeliveryMode, GroupSize, Per, SectionKey, ServiceCategory
from tandem.rules import accommodations as library
from tandem.rules.accommodations import Kind as WordingKind
from tandem.rules.accommodations import classify_wording


def first_name(s: world_plan.PlannedStudent) -> str:
    """What the plan calls the student: the preferred first name, else the first name."""
    return s.preferred_first or s.first


def _grade(s: world_plan.PlannedStudent) -> str:
    code = districts.GRADE_CODES[s.grade]
    return "kindergarten" if code == "K" else f"grade {code}"


def _entry_item(code: str) -> dict[str, Any]:
    entry = library.get(code)
    return {
        "kind": str(entry.kind),
        "category": str(entry.category),
        "text": entry.description,
        "applies_to": sorted(str(place) for place in entry.applies_to),
        "frequency_condition": WHEN[str(entry.category)],
        "provider_role": PROVIDED_BY[str(entry.category)],
    }


def accommodation_item(code: str) -> dict[str, Any] | None:
    item = _entry_item(code)
    if classify_wording(item["text"]).kind is WordingKind.MODIFICATION:
        return None  # the wording check would refuse it as an accommodation
    return item


def planned_services(
    s: world_plan.PlannedStudent, needs: Sequence[str], start: date, end: date, wrong_room: bool
) -> list[dict[str, Any]]:
    secondary = s.grade >= 6
    dates = {"start_date": start, "end_date": end}
    result = [
        {
            "category": ServiceCategory.SPECIAL_EDUCATION,
            "name": "Specialized academic instruction",
            "minutes": 55 if secondary else 45,
            "times": 5 if secondary else 4,
            "per": Per.WEEK,
            "setting": "Learning center" if secondary else "Resource room",
            "provider_role": "Education specialist",
            "group_size": GroupSize.GROUP,
            **dates,
        }
    ]
    if "language" in needs or "articulation" in needs:
        result.append(
            {
                "category": ServiceCategory.RELATED,
                "name": "Speech-language therapy",
                "minutes": 30,
                "times": 2,
                "per": Per.WEEK,
                "setting": "Resource room" if wrong_room else "Speech room",
                "provider_role": "Speech-language pathologist",
                "group_size": GroupSize.INDIVIDUAL,
                **dates,
            }
        )
    if "fine_motor" in needs:
        result.append(
            {
                "category": ServiceCategory.RELATED,
                "name": "Occupational therapy",
                "minutes": 30,
                "times": 1,
                "per": Per.WEEK,
                "setting": "Video session from a quiet room at school, with an aide present",
                "provider_role": "Occupational therapist (BrightPath Therapy)",
                "delivery_mode": DeliveryMode.TELETHERAPY,
                "group_size": GroupSize.INDIVIDUAL,
                **dates,
            }
        )
    if "social" in needs and len(result) < 3:
        result.append(
            {
                "category": ServiceCategory.RELATED,
                "name": "Counseling services",
                "minutes": 30,
                "times": 2,
                "per": Per.MONTH,
                "setting": "Counseling office",
                "provider_role": "School psychologist",
                "group_size": GroupSize.GROUP,
                **dates,
            }
        )
    return result[:3]


def fill_iep_content(p: PlannedPlan, s: world_plan.PlannedStudent, rng: random.Random) -> None:
    n = first_name(s)
    review = one_year_after(p.meeting)
    bench = 50 + 12 * min(s.grade, 8)
    wcpm = max(20, bench - rng.randint(25, 45))
    fmt = {"n": n, "wcpm": wcpm, "bench": bench, "target": wcpm + 30, "by": month_year(review)}
    p.sections = {
        SectionKey.PLAAFP: {
            "text": f"{n} is in {_grade(s)}. "
            + " ".join(PLAAFP[need].format(**fmt) for need in p.needs)
        },
        SectionKey.STRENGTHS: {
            "text": rng.choice(
                (
                    f"{n} is curious, asks good questions and is a caring friend.",
                    f"{n} works hard when a task is interesting and loves drawing and building.",
                    f"{n} has a great memory for facts and enjoys helping classmates.",
                    f"{n} is cheerful, persistent and proud of progress.",
                )
            )
        },
        SectionKey.PARENT_CONCERNS: {
            "text": rng.choice(
                (
                    f"The family wants {n} to feel confident reading at home and at school.",
                    f"The family worries that homework takes too long and leaves {n} upset.",
                    "The family would like regular updates and ideas to practice at home.",
                    f"The family hopes {n} can make and keep friends more easily.",
                )
            )
        },
        SectionKey.SPECIAL_FACTORS: {
            "text": "Behavior that impedes learning: "
            + ("yes, addressed by the social-emotional goal." if "behavior" in p.needs else "no.")
            + " Limited English proficiency: "
            + ("yes, language needs considered." if s.english_learner else "no.")
            + " Blind or visually impaired: no. Deaf or hard of hearing: no. "
            "Assistive technology: considered"
            + ("; see the response accommodations." if "writing" in p.needs else "; not needed.")
        },
        SectionKey.PROGRESS_REPORTING: {
            "text": "Written progress on each goal is sent home with the report card each "
            "trimester, and the family may ask for an update at any time."
        },
        SectionKey.ASSESSMENTS: {
            "text": "Takes the state assessments with the accommodations marked for state "
            "assessments below, and district benchmark tests with the same accommodations."
            if s.grade >= 3
            else "Takes district benchmark tests with the accommodations below; state "
            "assessments begin in grade 3."
        },
        SectionKey.LRE: {
            "text": f"{n} is in the general education classroom for about "
            f"{p.extra['inside_percent']}% of the school day and leaves it only for the "
            "services listed. Full-time general education was considered and rejected: "
            "the goals need small-group, specialized instruction."
        },
        SectionKey.ESY: {
            "text": "Not needed: no significant loss of skills over breaks in the data reviewed."
        },
        SectionKey.PARENT_PARTICIPATION: {
            "text": "Parent attended the meeting in person and took part in writing the goals."
        },
    }
    areas = [*p.needs]
    goals = []
    for area in areas[:4]:
        label, text, baseline = GOALS[area]
        goals.append(
            {
                "area": label,
                "text": text.format(**fmt),
                "baseline": baseline.format(**fmt),
                "plaafp_need": PLAAFP[area].format(**fmt).split(".")[0] + ".",
            }
        )
    p.goals = goals
    codes: list[str] = []
    for need in p.needs:
        pool = [c for c in ACCOMMODATIONS.get(need, ()) if c not in codes]
        if pool:
            codes.append(rng.choice(pool))
    wanted = rng.randint(3, 5)  # an amendment may add one more
    general = [c for c in ACCOMMODATIONS["general"] if c not in codes]
    rng.shuffle(general)
    codes += general[: max(0, wanted - len(codes))]
    items = [item for code in codes[:wanted] if (item := accommodation_item(code)) is not None]
    academic = [need for need in p.needs if need in MODIFICATIONS]
    if academic and rng.random() < 0.3:
        items.append(_entry_item(MODIFICATIONS[academic[0]]))
    p.accommodations = items


def transition_section(s: world_plan.PlannedStudent) -> dict[str, Any]:
    n = first_name(s)
    return {
        "text": f"Postsecondary goals: after high school, {n} plans to attend community "
        "college and work in a field that matches the interests found in the career "
        "inventory. Transition services: career exploration in the elective period, a visit "
        "to the local community college, and help practicing job-interview skills. Course "
        "of study: college-preparatory courses with resource support. Age-appropriate "
        "transition assessments: interest inventory and student and family interviews."
    }


def rights_section(s: world_plan.PlannedStudent) -> dict[str, Any]:
    return {
        "text": f"{first_name(s)} and the family were told, at least one year before the age of "
        "majority, that the rights under IDEA will transfer to the student at that age."
    }
