"""Demo IEPs and 504 Plans in every status, with version histories (`seed_demo`).

`plan_plans` decides everything in memory from the people plan and a day: whose plan, which
story (active, amended, corrected, with last year's plan behind it, an annual review under way,
proposed, ended), every date and every word. `seed_plans` then writes it through
`tandem.plans.actions`, the same checked and audited path as the pages, acting as the demo
accounts (the case manager, the 504 coordinator, the district directors).

Who gets a plan: every student with an IEP whom a demo account works with (casemanager@'s
caseload, among them Ethan Morgan, Sofía Hernández and the caseload students in teacher@'s
Grade 3 homeroom; the psychologist's, the SLP's and the teletherapist's students), and
coordinator504@'s students with a 504 Plan. The number does not grow with `--students`.

Dates are backdated from "demo today" (`tandem.referrals.demo.demo_today`); no step is dated
after it. The same seed and day give the same plans (their public ids are random UUIDs).

`actions.py` has no step yet to send a draft to the family (proposed): it is written here, checked
and audited the same way. The ended plan exits through `tandem.plans.transitions.exit_plan`
("no longer eligible", reported to FS009 as TRAN).
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from tandem import audit
from tandem.access.capabilities import Cap
from tandem.access.policy import decision_for, require
from tandem.accounts.models import User
from tandem.audit.catalogue import Action
from tandem.core import clock
from tandem.demo import referrals as referrals_demo
from tandem.demo import world as demo
from tandem.people.models import Student
from tandem.plans import actions, transitions
from tandem.plans.models import (
    DeliveryMode,
    ExitReason,
    GroupSize,
    Per,
    Plan,
    PlanKind,
    PlanStatus,
    SectionKey,
    ServiceCategory,
)
from tandem.rules import accommodations as library
from tandem.rules.accommodations import Kind as WordingKind
from tandem.rules.accommodations import classify_wording

Log = Callable[[str], None]


class Story(StrEnum):
    ACTIVE = "active"  # finalized earlier this school year
    AMENDED = "amended"  # then amended without a meeting, with the parent's agreement
    CORRECTED = "corrected"  # then corrected (a wrong room)
    HISTORY = "history"  # last year's plan superseded by this year's annual review
    REVIEW_DRAFT = "review_draft"  # last year's plan still active, its review due soon, a draft
    REVIEW_PROPOSED = "review_proposed"  # the same, the draft sent to the family
    ENDED = "ended"  # exited special education last spring
    SECTION_504 = "section_504"
    SECTION_504_AMENDED = "section_504_amended"


# Stories of casemanager@'s other students, in order, after Ethan and Sofía.
CASELOAD_STORIES = (
    Story.REVIEW_DRAFT,
    Story.REVIEW_PROPOSED,
    Story.HISTORY,
    Story.HISTORY,
    Story.AMENDED,
    Story.AMENDED,
    Story.AMENDED,
)
OTHER_STORIES = (Story.AMENDED, Story.HISTORY, Story.REVIEW_DRAFT)

SCHOOL_DAY_MINUTES = 360


@dataclass
class PlannedPlan:
    student: int
    story: Story
    kind: str
    lead: str  # demo account that writes it (falls back to the district director)
    meeting: date
    effective_from: date
    needs: tuple[str, ...] = ()
    services: list[dict[str, Any]] = field(default_factory=list)
    accommodations: list[dict[str, Any]] = field(default_factory=list)
    goals: list[dict[str, Any]] = field(default_factory=list)
    sections: dict[str, Any] = field(default_factory=dict)
    previous_meeting: date | None = None  # last year's plan (history)
    review_meeting: date | None = None  # the annual review meeting (drafts)
    changed_on: date | None = None  # amendment, correction, review start or exit
    extra: dict[str, Any] = field(default_factory=dict)


# --- wording ----------------------------------------------------------------------------------

ACADEMIC_PROFILES = (
    ("reading", "writing"),
    ("reading",),
    ("math",),
    ("reading", "math"),
    ("writing", "executive"),
    ("behavior",),
)

PLAAFP = {
    "reading": (
        "{n} reads {wcpm} words correct per minute on grade-level passages (the grade-level "
        "benchmark is {bench}) and answers literal questions well, but loses meaning in longer "
        "texts. Decoding of multisyllable words is still effortful."
    ),
    "writing": (
        "{n} writes two or three related sentences about a prompt; ideas are good when spoken "
        "aloud, but organizing them on paper and spelling unfamiliar words slow the work down."
    ),
    "math": (
        "{n} adds and subtracts within 100 without regrouping with about 60% accuracy and is "
        "still building fluency with regrouping and with word problems."
    ),
    "executive": (
        "{n} starts tasks when an adult checks in but often loses track of multi-step "
        "assignments; about half of the work is turned in on time."
    ),
    "behavior": (
        "{n} joins class activities and has good friendships, but when frustrated may leave "
        "the group or put their head down; staff logs show three to four such moments a week."
    ),
    "language": (
        "{n} follows one-step directions reliably; two-step directions and new vocabulary "
        "need repetition. Speech is understood by familiar listeners."
    ),
    "articulation": (
        "{n} produces the /r/ sound correctly in about 45% of words in conversation, which "
        "sometimes makes speech hard for unfamiliar listeners to understand."
    ),
    "fine_motor": (
        "{n}'s handwriting is hard to read when writing for more than a few minutes; letters "
        "vary in size and spacing, and {n} tires quickly."
    ),
    "transition": (
        "{n} is starting to think about work and study after high school but has not yet "
        "explored careers in a structured way."
    ),
    "social": (
        "{n} is kind with peers but finds it hard to join a group or to handle disagreement "
        "without adult help."
    ),
}

GOALS = {
    "reading": (
        "Reading",
        "By {by}, when given a grade-level passage, {n} will read aloud at least {target} words "
        "correct per minute on 3 of 4 consecutive weekly probes, as measured by "
        "curriculum-based reading probes.",
        "{wcpm} words correct per minute on grade-level passages",
    ),
    "writing": (
        "Writing",
        "By {by}, when given a story prompt and a graphic organizer, {n} will write a paragraph "
        "of at least 5 sentences with a topic sentence and 2 supporting details, scoring 3 of 4 "
        "on the district writing rubric in 4 of 5 samples, as measured by work samples "
        "collected monthly.",
        "2 to 3 related sentences; rubric score 1 of 4",
    ),
    "math": (
        "Mathematics",
        "By {by}, when given 20 two-digit addition and subtraction problems with regrouping, "
        "{n} will solve them with 80% accuracy on 4 of 5 biweekly probes, as measured by "
        "teacher-made probes.",
        "About 60% accuracy without regrouping",
    ),
    "executive": (
        "Executive functioning",
        "By {by}, when given a multi-step assignment, {n} will break it into steps with a "
        "checklist and turn in the completed work on time for 80% of assignments over a "
        "4-week period, as measured by the planner and gradebook review.",
        "About half of assignments turned in on time",
    ),
    "behavior": (
        "Social-emotional",
        "By {by}, when frustrated during class, {n} will use a taught calming strategy or ask "
        "for a break within 2 minutes in 4 of 5 observed instances each week for 6 consecutive "
        "weeks, as measured by staff behavior logs.",
        "3 to 4 times a week leaves the group or disengages",
    ),
    "language": (
        "Language",
        "By {by}, when given two-step oral directions in class, {n} will follow them "
        "independently in 8 of 10 opportunities across 3 consecutive weeks, as measured by "
        "teacher observation checklists.",
        "Follows one-step directions; two-step directions need repetition",
    ),
    "articulation": (
        "Articulation",
        "By {by}, during structured conversation, {n} will produce the /r/ sound correctly in "
        "words and sentences with 90% accuracy in 3 consecutive sessions, as measured by "
        "speech-language pathologist data.",
        "/r/ correct in about 45% of words in conversation",
    ),
    "fine_motor": (
        "Fine motor",
        "By {by}, when given a written task, {n} will form legible letters sized within the "
        "lines with 90% accuracy in 4 of 5 writing samples, as measured by occupational "
        "therapist work-sample review.",
        "Letters vary in size and spacing after a few minutes of writing",
    ),
    "social": (
        "Social skills",
        "By {by}, during small-group activities, {n} will join the group and take turns "
        "without adult prompting in 4 of 5 observed sessions for 4 consecutive weeks, as "
        "measured by counselor observation notes.",
        "Needs adult help to join a group in most observed sessions",
    ),
    "transition": (
        "Transition",
        "By {by}, when given career interest inventories and work-based activities, {n} will "
        "complete at least 3 career exploration activities and name at least 2 jobs that match "
        "personal interests, as measured by a transition portfolio reviewed quarterly.",
        "Has not yet explored career interests in a structured way",
    ),
}

ACCOMMODATIONS = {
    "reading": ("read-aloud-directions", "text-to-speech", "audio-recorded-text", "line-reader"),
    "writing": ("speech-to-text", "word-processor", "graphic-organizer", "word-prediction"),
    "math": ("math-facts-chart", "graph-paper", "math-manipulatives", "calculator"),
    "executive": ("task-checklist", "chunked-assignments", "visual-timer", "copy-of-notes"),
    "behavior": ("calm-down-space", "frequent-breaks", "transition-warnings", "flexible-seating"),
    "language": ("repeated-directions", "visual-supports", "vocabulary-preview"),
    "articulation": ("check-in-on-understanding",),
    "fine_motor": ("adapted-writing-tools", "word-processor"),
    "social": ("preferential-seating",),
    "general": ("extended-time", "small-group", "reduced-distractions", "preferential-seating"),
}
MODIFICATIONS = {
    "reading": "simplified-passages",
    "writing": "shortened-assignments",
    "math": "fewer-problems-to-complete",
    "executive": "shortened-assignments",
    "behavior": "excused-from-parts",
}
WHEN = {
    "presentation": "During instruction and on classroom tests",
    "response": "For written work longer than a few sentences",
    "setting": "During tests and independent work",
    "timing_scheduling": "On tests and timed assignments",
    "content": "In English language arts and mathematics",
    "expectations": "On homework and classwork",
}
PROVIDED_BY = {
    "presentation": "General education teacher",
    "response": "General education teacher",
    "setting": "General education teacher and case manager",
    "timing_scheduling": "General education teacher",
    "content": "Case manager with the general education teacher",
    "expectations": "Case manager with the general education teacher",
}

# 504 Plans: impairment, the life activities it limits, and accommodations by setting.
IMPAIRMENTS_504 = (
    (
        "Attention-deficit/hyperactivity disorder (ADHD), diagnosed by the family's physician",
        ("learning", "concentrating", "thinking"),
        ("preferential-seating", "frequent-breaks", "extended-time", "separate-room"),
    ),
    (
        "Type 1 diabetes",
        ("the endocrine system", "eating", "concentrating"),
        ("health-routine-timing", "scheduled-breaks", "best-time-of-day", "multiple-sessions"),
    ),
    (
        "Anxiety disorder, documented by a licensed therapist",
        ("concentrating", "thinking", "communicating"),
        ("advance-notice-of-tests", "small-group", "calm-down-space", "familiar-adult"),
    ),
    (
        "Dyslexia, identified through a private evaluation the team reviewed",
        ("reading", "learning"),
        ("text-to-speech", "audio-recorded-text", "extended-time", "digital-text"),
    ),
    (
        "Severe food allergy (peanuts and tree nuts)",
        ("breathing", "eating"),
        ("health-routine-timing", "accessible-room", "scheduled-breaks"),
    ),
    (
        "Hearing loss in one ear",
        ("hearing", "learning"),
        ("preferential-seating", "captions", "sound-amplification", "repeated-directions"),
    ),
)

AMENDMENTS = (
    (
        "noise-reducing-headphones",
        "Added headphones for independent work after the family and teacher noticed that "
        "classroom noise was getting in the way.",
    ),
    (
        "visual-timer",
        "Added a visual timer so transitions during small-group time go more smoothly.",
    ),
    (
        "study-carrel",
        "Added a study carrel for tests, which the student asked to try.",
    ),
)

EXITS = (
    "A reevaluation found that {n} no longer needs specialized instruction to make progress "
    "in the general curriculum; the team and the family agreed to exit special education. "
    "Classroom supports continue informally."
)


def _by(day: date) -> str:
    return day.strftime("%B %Y")


def _one_year_after(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return day.replace(year=day.year + 1, day=28)


def _weekday(day: date) -> date:
    """The day itself, or the Friday before when it falls on a weekend."""
    return day - timedelta(days=max(0, day.weekday() - 4))


def _one_year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:
        return day.replace(year=day.year - 1, day=28)


def _name(s: demo.PlannedStudent) -> str:
    return s.preferred_first or s.first


def _grade(s: demo.PlannedStudent) -> str:
    code = demo.GRADE_CODES[s.grade]
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


def _accommodation(code: str) -> dict[str, Any] | None:
    item = _entry_item(code)
    if classify_wording(item["text"]).kind is WordingKind.MODIFICATION:
        return None  # the wording check would refuse it as an accommodation
    return item


def _services(
    s: demo.PlannedStudent, needs: Sequence[str], start: date, end: date, wrong_room: bool
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


def _iep_content(p: PlannedPlan, s: demo.PlannedStudent, rng: random.Random) -> None:
    n = _name(s)
    review = _one_year_after(p.meeting)
    bench = 50 + 12 * min(s.grade, 8)
    wcpm = max(20, bench - rng.randint(25, 45))
    fmt = {"n": n, "wcpm": wcpm, "bench": bench, "target": wcpm + 30, "by": _by(review)}
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
    items = [item for code in codes[:wanted] if (item := _accommodation(code)) is not None]
    academic = [need for need in p.needs if need in MODIFICATIONS]
    if academic and rng.random() < 0.3:
        items.append(_entry_item(MODIFICATIONS[academic[0]]))
    p.accommodations = items


def _transition_section(s: demo.PlannedStudent) -> dict[str, Any]:
    n = _name(s)
    return {
        "text": f"Postsecondary goals: after high school, {n} plans to attend community "
        "college and work in a field that matches the interests found in the career "
        "inventory. Transition services: career exploration in the elective period, a visit "
        "to the local community college, and help practicing job-interview skills. Course "
        "of study: college-preparatory courses with resource support. Age-appropriate "
        "transition assessments: interest inventory and student and family interviews."
    }


def _rights_section(s: demo.PlannedStudent) -> dict[str, Any]:
    return {
        "text": f"{_name(s)} and the family were told, at least one year before the age of "
        "majority, that the rights under IDEA will transfer to the student at that age."
    }


# --- planning ---------------------------------------------------------------------------------


def _this_year_meeting(anchor: date, first_day: date, k: int) -> date:
    span = max((anchor - first_day).days - 10, 14)
    return _weekday(anchor - timedelta(days=10 + (11 * k + 3) % span))


def plan_plans(plan: demo.Plan, anchor: date) -> list[PlannedPlan]:
    """Every demo plan, deterministic for the people plan's seed and `anchor`."""
    rng = random.Random(f"tandem-demo-plans-{plan.seed}")
    st = plan.students
    ds = plan.demo_students
    first_days = {d: spec.first_day for d, spec in enumerate(plan.districts)}
    family = [ds[demo.PARENT][0], ds[demo.MADRE][0]]  # Ethan Morgan, Sofía Hernández
    caseload = [i for i in ds.get(demo.CASE_MANAGER, []) if i not in family]
    rng.shuffle(caseload)
    seen = set(family) | set(caseload)
    others: list[int] = []
    for email in (demo.PSYCHOLOGIST, demo.SLP, demo.TELETHERAPIST):
        for i in ds.get(email, []):
            if i not in seen and st[i].program == "iep":
                others.append(i)
                seen.add(i)
    chosen: list[tuple[int, Story]] = [(family[0], Story.HISTORY), (family[1], Story.CORRECTED)]
    chosen += [
        (i, CASELOAD_STORIES[k] if k < len(CASELOAD_STORIES) else Story.ACTIVE)
        for k, i in enumerate(caseload)
    ]
    chosen += [
        (i, OTHER_STORIES[k] if k < len(OTHER_STORIES) else Story.ACTIVE)
        for k, i in enumerate(others)
    ]
    result: list[PlannedPlan] = []
    for k, (i, story) in enumerate(chosen):
        s = st[i]
        needs = list(rng.choice(ACADEMIC_PROFILES))
        if s.slp:
            needs.append(rng.choice(("language", "articulation")))
        if s.ot:
            needs.append("fine_motor")
        if s.psych and "behavior" not in needs:
            needs.append("social")
        if s.grade >= 8:
            needs.append("transition")
        if len(needs) < 2:
            needs.append("executive" if "executive" not in needs else "reading")
        needs = needs[:4]
        first = first_days[s.district]
        if story in (Story.REVIEW_DRAFT, Story.REVIEW_PROPOSED):
            meeting = _weekday(_one_year_before(anchor + timedelta(days=10 + 5 * (k % 3))))
        else:
            meeting = _this_year_meeting(anchor, first, k)
        p = PlannedPlan(
            student=i,
            story=story,
            kind=PlanKind.IEP,
            lead=demo.CASE_MANAGER,
            meeting=meeting,
            effective_from=min(meeting + timedelta(days=rng.randint(1, 6)), anchor),
            needs=tuple(needs),
            extra={"anchor": anchor},
        )
        end = _one_year_after(meeting) - timedelta(days=1)
        p.services = _services(s, needs, p.effective_from, end, wrong_room=story is Story.CORRECTED)
        weekly = sum(
            (x["minutes"] * x["times"]) / (4 if x["per"] == Per.MONTH else 1) for x in p.services
        )
        p.extra["inside_percent"] = max(40, 100 - round(100 * weekly / (5 * SCHOOL_DAY_MINUTES)))
        _iep_content(p, s, rng)
        if story is Story.HISTORY:
            p.previous_meeting = _weekday(_one_year_before(meeting))
        if story in (Story.REVIEW_DRAFT, Story.REVIEW_PROPOSED):
            p.changed_on = anchor - timedelta(days=2 + k % 4)
            p.review_meeting = _weekday(anchor + timedelta(days=7))
        if story in (Story.AMENDED, Story.CORRECTED) or i == family[0]:
            changed = _weekday(min(p.effective_from + timedelta(days=21 + k % 9), anchor))
            p.changed_on = max(changed, p.effective_from)
            code, reason = AMENDMENTS[k % len(AMENDMENTS)]
            p.extra["amendment"] = (_accommodation(code), reason)
        result.append(p)

    # 504 Plans for coordinator504@'s students.
    for k, i in enumerate(ds.get(demo.COORDINATOR_504, [])):
        s = st[i]
        if s.program != "504":
            continue
        impairment, activities, codes = IMPAIRMENTS_504[k % len(IMPAIRMENTS_504)]
        meeting = _this_year_meeting(anchor, first_days[s.district], k + 5)
        story = Story.SECTION_504_AMENDED if k == 1 else Story.SECTION_504
        p = PlannedPlan(
            student=i,
            story=story,
            kind=PlanKind.SECTION_504,
            lead=demo.COORDINATOR_504,
            meeting=meeting,
            effective_from=min(meeting + timedelta(days=rng.randint(1, 4)), anchor),
        )
        n = _name(s)
        p.sections = {
            SectionKey.SECTION_504_IMPAIRMENT: {
                "text": f"{impairment}. It substantially limits {', '.join(activities)}. "
                f"{n} is eligible under Section 504 and does not need special education."
            },
            SectionKey.SECTION_504_REVIEW: {
                "text": f"The team reviews this plan by {_by(_one_year_after(meeting))}, or "
                "sooner if the family or a teacher asks."
            },
            SectionKey.PARENT_PARTICIPATION: {
                "text": "Parent took part in the meeting and agreed with the accommodations."
            },
        }
        p.accommodations = [item for c in codes if (item := _accommodation(c)) is not None]
        if story is Story.SECTION_504_AMENDED:
            p.changed_on = min(p.effective_from + timedelta(days=20), anchor)
            p.extra["amendment"] = (
                _accommodation("visual-timer"),
                "Added a visual timer at the family's request after the progress check-in.",
            )
        result.append(p)

    # One ended IEP: a general education student at Riverside Elementary who exited last spring.
    taken = {r.student for r in referrals_demo.plan_referrals(plan, anchor)} | seen
    taken |= {i for f in plan.demo_families.values() for i in plan.families[f].kids}
    taken |= {i for kids in ds.values() for i in kids}
    candidates = [
        i
        for i, s in enumerate(st)
        if s.district == demo.RIVERSIDE
        and s.school == demo.RIVERSIDE_ELEMENTARY
        and s.program == ""
        and s.grade >= 2
        and i not in taken
    ]
    if candidates:
        i = candidates[rng.randrange(len(candidates))]
        s = st[i]
        meeting = _this_year_meeting(anchor, first_days[s.district], 3)
        meeting = _weekday(_one_year_before(meeting))
        p = PlannedPlan(
            student=i,
            story=Story.ENDED,
            kind=PlanKind.IEP,
            lead=demo.DIRECTOR,
            meeting=meeting,
            effective_from=meeting + timedelta(days=3),
            needs=("reading", "writing"),
        )
        last_day = plan.districts[s.district].first_day - timedelta(days=75)
        p.changed_on = _weekday(max(last_day, p.effective_from + timedelta(days=30)))
        p.services = _services(
            s, p.needs, p.effective_from, _one_year_after(meeting), wrong_room=False
        )
        p.extra["inside_percent"] = 90
        _iep_content(p, s, rng)
        result.append(p)
    return result


# --- writing ----------------------------------------------------------------------------------


class _Writer:
    """Resolves planned people to rows and runs the actions."""

    def __init__(self, plan: demo.Plan) -> None:
        self.plan = plan
        emails = [demo.CASE_MANAGER, demo.COORDINATOR_504, demo.DIRECTOR, demo.OAK_VALLEY_DIRECTOR]
        self.users = {u.email: u for u in User.objects.filter(email__in=emails)}
        self.directors = {
            demo.RIVERSIDE_SPEC.slug: self.users[demo.DIRECTOR],
            demo.OAK_VALLEY_SPEC.slug: self.users[demo.OAK_VALLEY_DIRECTOR],
        }

    def students(self, indexes: Sequence[int]) -> dict[int, Student]:
        planned = self.plan.students
        wanted = {
            (self.plan.districts[planned[i].district].slug, planned[i].sis_id): i for i in indexes
        }
        rows = Student.objects.filter(
            district__slug__in=demo.DEMO_SLUGS, sis_id__in=[sis for _, sis in wanted]
        ).select_related("district", "school")
        return {
            wanted[(s.district.slug, s.sis_id)]: s
            for s in rows
            if (s.district.slug, s.sis_id) in wanted
        }

    def actor(self, student: Student, email: str) -> User:
        user = self.users.get(email)
        if user is not None and decision_for(user, student).has(Cap.WRITE_PLAN):
            return user
        return self.directors[student.district.slug]

    def fill(self, actor: User, plan: Plan, p: PlannedPlan) -> None:
        for key, content in p.sections.items():
            actions.save_section(
                actor=actor, plan=plan, key=key, content=content, expected_revision=0
            )
        for data in p.services:
            actions.add_service(actor=actor, plan=plan, data=data)
        for data in p.accommodations:
            actions.add_accommodation(actor=actor, plan=plan, data=data)
        for data in p.goals:
            actions.add_goal(actor=actor, plan=plan, data=data)

    def finalize(
        self, actor: User, plan: Plan, s: demo.PlannedStudent, effective_from: date, today: date
    ) -> None:
        """Finalize, first writing the sections the pre-finalize check asks for by age and, on a
        first IEP, the parent's consent to start services."""
        plan.refresh_from_db()
        problems = actions.pre_finalize_check(plan=plan, today=today, effective_from=effective_from)
        wanted = {pr.field for pr in problems}
        extra = {
            "section:transition": (SectionKey.TRANSITION, _transition_section),
            "section:transfer_of_rights": (SectionKey.TRANSFER_OF_RIGHTS, _rights_section),
        }
        for where, (key, make) in extra.items():
            if where in wanted:
                revision = plan.sections.filter(key=key).values_list("revision", flat=True)
                actions.save_section(
                    actor=actor,
                    plan=plan,
                    key=key,
                    content=make(s),
                    expected_revision=revision[0] if revision else 0,
                )
        if "consent" in wanted:  # a first IEP: the parent consented to start services
            actions.record_services_consent(
                actor=actor, plan=plan, answer="yes", answered_on=today, today=today
            )
        actions.finalize_plan(actor=actor, plan=plan, effective_from=effective_from, today=today)

    def draft(self, actor: User, student: Student, p: PlannedPlan, meeting: date) -> Plan:
        plan = actions.create_draft(
            actor=actor, student=student, kind=p.kind, today=meeting, meeting_date=meeting
        )
        if p.kind == PlanKind.SECTION_504:
            plan = actions.update_draft_dates(
                actor=actor,
                plan=plan,
                meeting_date=meeting,
                effective_to=_one_year_after(meeting) - timedelta(days=1),
            )
        self.fill(actor, plan, p)
        return plan

    def write(self, p: PlannedPlan, student: Student) -> None:
        s = self.plan.students[p.student]
        actor = self.actor(student, p.lead)
        if p.previous_meeting is not None:
            # Last year's plan, then this year's annual review built from it.
            last = self.draft(actor, student, p, p.previous_meeting)
            start = p.previous_meeting + timedelta(days=3)
            self.finalize(actor, last, s, start, p.previous_meeting)
            last.refresh_from_db()
            review = actions.start_annual_review(
                actor=actor, plan=last, today=p.meeting - timedelta(days=14), meeting_date=p.meeting
            )
            n = _name(s)
            actions.save_section(
                actor=actor,
                plan=review,
                key=SectionKey.PLAAFP,
                content={
                    "text": p.sections[SectionKey.PLAAFP]["text"]
                    + f" Since last year's plan, {n} met one goal and made steady progress on "
                    "the others; the team updated the targets."
                },
                expected_revision=0,
            )
            self.finalize(actor, review, s, p.effective_from, p.meeting)
            plan = review
        else:
            plan = self.draft(actor, student, p, p.meeting)
            self.finalize(actor, plan, s, p.effective_from, p.meeting)
        plan.refresh_from_db()
        if "amendment" in p.extra and p.changed_on is not None:
            item, reason = p.extra["amendment"]
            if item is not None:
                actions.amend_plan(
                    actor=actor,
                    plan=plan,
                    changes=actions.Changes(add_accommodations=[item]),
                    with_meeting=p.kind == PlanKind.SECTION_504,
                    parent_agreement_date=p.changed_on,
                    today=p.changed_on,
                    reason=reason,
                )
        if p.story is Story.CORRECTED:
            lre = plan.sections.filter(key=SectionKey.LRE).first()
            if lre is not None and isinstance(lre.content, dict) and lre.content.get("text"):
                text = lre.content["text"].replace(
                    "the services listed", "the services listed (speech in the speech room)"
                )
                # A correction fixes wording only; a service's setting changes by amendment.
                actions.correct_plan(
                    actor=actor,
                    plan=plan,
                    reason="The least restrictive environment text did not say that "
                    "speech-language therapy is given in the speech room.",
                    changes=actions.Changes(
                        sections={SectionKey.LRE: {**lre.content, "text": text}}
                    ),
                    today=min((p.changed_on or p.meeting) + timedelta(days=2), p.extra["anchor"]),
                )
        if p.story in (Story.REVIEW_DRAFT, Story.REVIEW_PROPOSED) and p.changed_on:
            draft = actions.start_annual_review(
                actor=actor, plan=plan, today=p.changed_on, meeting_date=p.review_meeting
            )
            if p.story is Story.REVIEW_PROPOSED:
                _propose(actor, draft, p.changed_on)
        if p.story is Story.ENDED and p.changed_on is not None:
            transitions.exit_plan(
                actor=actor,
                plan=plan,
                reason=ExitReason.NO_LONGER_ELIGIBLE,
                exit_date=p.changed_on,
                today=p.changed_on,
                note=EXITS.format(n=_name(s)),
            )


@transaction.atomic
def _propose(actor: User, plan: Plan, today: date) -> Plan:
    """Send a draft to the family ahead of the meeting: it stays editable, now proposed."""
    require(actor, plan.student, Cap.WRITE_PLAN)
    plan = Plan.objects.select_for_update(of=("self",)).select_related("student").get(pk=plan.pk)
    if plan.status != PlanStatus.DRAFT:
        raise ValidationError({"status": "Only a draft can be proposed."})
    plan.status = PlanStatus.PROPOSED
    plan.full_clean()
    plan.save(update_fields=["status"])
    audit.record(
        actor=actor,
        action=Action.PLAN__PROPOSED,
        student=plan.student,
        target=plan,
        detail={"today": today.isoformat()},
    )
    return plan


def seed_plans(
    plan: demo.Plan, *, today: date | None = None, log: Log = lambda _: None
) -> Counter[str]:
    """Write the demo plans for the seeded `plan`; nothing if the demo already has some."""
    started = time.perf_counter()
    if Plan.objects.filter(student__district__slug__in=demo.DEMO_SLUGS).exists():
        log("  the demo plans already exist; nothing to add")
        return Counter()
    anchor = referrals_demo.demo_today(today or clock.today())
    planned = plan_plans(plan, anchor)
    # The writers are the same User objects throughout, and the policy keeps its decision on
    # each student on them (`decision_for`): each action's check costs no query after the first.
    with transaction.atomic():
        writer = _Writer(plan)
        students = writer.students([p.student for p in planned])
        for p in planned:
            writer.write(p, students[p.student])
    counts = Counter(
        Plan.objects.filter(student__district__slug__in=demo.DEMO_SLUGS).values_list(
            "status", flat=True
        )
    )
    log(
        f"  {sum(counts.values())} plans as of {anchor.isoformat()}: "
        + ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
        + f" ({time.perf_counter() - started:.1f} s)"
    )
    return counts
