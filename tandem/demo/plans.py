"""Demo IEPs and 504 Plans in every status, with version histories (`seed_demo`).

`plan_plans` decides everything in memory from the people plan and a day: whose plan, which
story (active, amended, corrected, with last year's plan behind it, an annual review under way,
proposed, ended), every date and every word. `seed_plans` then writes it through the plan
actions (`tandem.plans.actions_drafts` and `actions_versions`), the same checked and audited
path as the pages, acting as the demo accounts (the case manager, the 504 coordinator, the
district directors).

Who gets a plan: every student with an IEP whom a demo account works with (casemanager@'s
caseload, among them Ethan Morgan, Sofía Hernández and the caseload students in teacher@'s
Grade 3 homeroom; the psychologist's, the SLP's and the teletherapist's students), and
coordinator504@'s students with a 504 Plan. The number does not grow with `--students`.

Dates are backdated from "demo today" (`tandem.demo.referrals.demo_today`); no step is dated
after it. The same seed and day give the same plans (their public ids are random UUIDs).

This module plans whose plan tells which story and seeds them; `plans_stories.py` holds the
stories and the planned plan, `plans_dates.py` dates the meetings, `plans_wording.py` the fixed
text, `plans_content.py` writes each plan's sections, goals, services and accommodations in
memory, and `plans_writer.py` writes a plan through the actions.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Callable
from datetime import date, timedelta

from django.db import transaction

from tandem.core import clock
from tandem.demo import districts, personas, world_plan
from tandem.demo import referrals as referrals_demo
from tandem.demo.plans_content import (
    accommodation_item,
    fill_iep_content,
    first_name,
    planned_services,
)
from tandem.demo.plans_dates import (
    month_year,
    one_year_after,
    one_year_before,
    this_year_meeting,
    weekday_on_or_before,
)
from tandem.demo.plans_stories import PlannedPlan, Story
from tandem.demo.plans_wording import ACADEMIC_PROFILES, AMENDMENTS, IMPAIRMENTS_504
from tandem.demo.plans_writer import Writer
from tandem.plans.models import Per, Plan, PlanKind, SectionKey

Log = Callable[[str], None]


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


def plan_plans(plan: world_plan.Plan, anchor: date) -> list[PlannedPlan]:
    """Every demo plan, deterministic for the people plan's seed and `anchor`."""
    rng = random.Random(f"tandem-demo-plans-{plan.seed}")
    st = plan.students
    ds = plan.demo_students
    first_days = {d: spec.first_day for d, spec in enumerate(plan.districts)}
    family = [ds[personas.PARENT][0], ds[personas.MADRE][0]]  # Ethan Morgan, Sofía Hernández
    caseload = [i for i in ds.get(personas.CASE_MANAGER, []) if i not in family]
    rng.shuffle(caseload)
    seen = set(family) | set(caseload)
    others: list[int] = []
    for email in (personas.PSYCHOLOGIST, personas.SLP, personas.TELETHERAPIST):
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
            meeting = weekday_on_or_before(
                one_year_before(anchor + timedelta(days=10 + 5 * (k % 3)))
            )
        else:
            meeting = this_year_meeting(anchor, first, k)
        p = PlannedPlan(
            student=i,
            story=story,
            kind=PlanKind.IEP,
            lead=personas.CASE_MANAGER,
            meeting=meeting,
            effective_from=min(meeting + timedelta(days=rng.randint(1, 6)), anchor),
            needs=tuple(needs),
            extra={"anchor": anchor},
        )
        end = one_year_after(meeting) - timedelta(days=1)
        p.services = planned_services(
            s, needs, p.effective_from, end, wrong_room=story is Story.CORRECTED
        )
        weekly = sum(
            (x["minutes"] * x["times"]) / (4 if x["per"] == Per.MONTH else 1) for x in p.services
        )
        p.extra["inside_percent"] = max(40, 100 - round(100 * weekly / (5 * SCHOOL_DAY_MINUTES)))
        fill_iep_content(p, s, rng)
        if story is Story.HISTORY:
            p.previous_meeting = weekday_on_or_before(one_year_before(meeting))
        if story in (Story.REVIEW_DRAFT, Story.REVIEW_PROPOSED):
            p.changed_on = anchor - timedelta(days=2 + k % 4)
            p.review_meeting = weekday_on_or_before(anchor + timedelta(days=7))
        if story in (Story.AMENDED, Story.CORRECTED) or i == family[0]:
            changed = weekday_on_or_before(
                min(p.effective_from + timedelta(days=21 + k % 9), anchor)
            )
            p.changed_on = max(changed, p.effective_from)
            code, reason = AMENDMENTS[k % len(AMENDMENTS)]
            p.extra["amendment"] = (accommodation_item(code), reason)
        result.append(p)

    # 504 Plans for coordinator504@'s students.
    for k, i in enumerate(ds.get(personas.COORDINATOR_504, [])):
        s = st[i]
        if s.program != "504":
            continue
        impairment, activities, codes = IMPAIRMENTS_504[k % len(IMPAIRMENTS_504)]
        meeting = this_year_meeting(anchor, first_days[s.district], k + 5)
        story = Story.SECTION_504_AMENDED if k == 1 else Story.SECTION_504
        p = PlannedPlan(
            student=i,
            story=story,
            kind=PlanKind.SECTION_504,
            lead=personas.COORDINATOR_504,
            meeting=meeting,
            effective_from=min(meeting + timedelta(days=rng.randint(1, 4)), anchor),
        )
        n = first_name(s)
        p.sections = {
            SectionKey.SECTION_504_IMPAIRMENT: {
                "text": f"{impairment}. It substantially limits {', '.join(activities)}. "
                f"{n} is eligible under Section 504 and does not need special education."
            },
            SectionKey.SECTION_504_REVIEW: {
                "text": f"The team reviews this plan by {month_year(one_year_after(meeting))}, or "
                "sooner if the family or a teacher asks."
            },
            SectionKey.PARENT_PARTICIPATION: {
                "text": "Parent took part in the meeting and agreed with the accommodations."
            },
        }
        p.accommodations = [item for c in codes if (item := accommodation_item(c)) is not None]
        if story is Story.SECTION_504_AMENDED:
            p.changed_on = min(p.effective_from + timedelta(days=20), anchor)
            p.extra["amendment"] = (
                accommodation_item("visual-timer"),
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
        if s.district == districts.RIVERSIDE
        and s.school == districts.RIVERSIDE_ELEMENTARY
        and s.program == ""
        and s.grade >= 2
        and i not in taken
    ]
    if candidates:
        i = candidates[rng.randrange(len(candidates))]
        s = st[i]
        meeting = this_year_meeting(anchor, first_days[s.district], 3)
        meeting = weekday_on_or_before(one_year_before(meeting))
        p = PlannedPlan(
            student=i,
            story=Story.ENDED,
            kind=PlanKind.IEP,
            lead=personas.DIRECTOR,
            meeting=meeting,
            effective_from=meeting + timedelta(days=3),
            needs=("reading", "writing"),
        )
        last_day = plan.districts[s.district].first_day - timedelta(days=75)
        p.changed_on = weekday_on_or_before(max(last_day, p.effective_from + timedelta(days=30)))
        p.services = planned_services(
            s, p.needs, p.effective_from, one_year_after(meeting), wrong_room=False
        )
        p.extra["inside_percent"] = 90
        fill_iep_content(p, s, rng)
        result.append(p)
    return result


def seed_plans(
    plan: world_plan.Plan, *, today: date | None = None, log: Log = lambda _: None
) -> Counter[str]:
    """Write the demo plans for the seeded `plan`; nothing if the demo already has some."""
    started = time.perf_counter()
    if Plan.objects.filter(student__district__slug__in=districts.DEMO_SLUGS).exists():
        log("  the demo plans already exist; nothing to add")
        return Counter()
    anchor = referrals_demo.demo_today(today or clock.today())
    planned = plan_plans(plan, anchor)
    # The writers are the same User objects throughout, and the policy keeps its decision on
    # each student on them (`decision_for`): each action's check costs no query after the first.
    with transaction.atomic():
        writer = Writer(plan)
        students = writer.students([p.student for p in planned])
        for p in planned:
            writer.write(p, students[p.student])
    counts = Counter(
        Plan.objects.filter(student__district__slug__in=districts.DEMO_SLUGS).values_list(
            "status", flat=True
        )
    )
    log(
        f"  {sum(counts.values())} plans as of {anchor.isoformat()}: "
        + ", ".join(f"{n} {status}" for status, n in sorted(counts.items()))
        + f" ({time.perf_counter() - started:.1f} s)"
    )
    return counts
