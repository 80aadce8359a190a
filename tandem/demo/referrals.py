"""Demo referrals and evaluations in every stage, some overdue (`seed_demo --referrals`).

`plan_referrals` decides everything in memory from the people plan and a day: which students,
which stage, every date. `seed_referrals` then writes it through `tandem.referrals.actions`, the
same checked and audited path as the pages, acting as the demo accounts (the case manager, the
psychologist, the 504 coordinator, the principal, the district directors). Stored deadlines are
computed by the rules engine as in real use.

Dates are backdated from "demo today": the real date when it falls in the 2026-27 school year,
else 2026-11-30. No step is dated after it. The same seed and day give the same referrals (their
public ids are the models' own random UUIDs).

A few students with an IEP also have a reevaluation story (`referrals_reevaluations.py`): their
first evaluation three years back (Riverside keeps that year's calendar, so the engine can count
its timeline), then a triennial due soon, one overdue, one waived by agreement, and a parent's
request in progress.

Every step writes to the append-only audit log, so `seed_demo --reset` refuses once these exist.

This module plans who is referred in which stage and seeds them; `referrals_cases.py` holds the
stages and concerns, `referrals_dates.py` dates each step, `referrals_writer.py` writes a
referral through the actions, `referrals_reevaluations.py` the reevaluation stories.
"""

from __future__ import annotations

import random
import time
from collections import Counter
from collections.abc import Callable
from datetime import date

from django.db import transaction
from django.utils import timezone

from tandem.demo import concerns as concerns_demo
from tandem.demo import (
    districts,
    personas,
    referrals_dates,
    referrals_reevaluations,
    referrals_writer,
    world_plan,
)
from tandem.demo.referrals_cases import CONCERNS, CONCERNS_504, PlannedReferral, Stage
from tandem.referrals.models import AreaOfConcern, Referral, ReferralSource, Track

Log = Callable[[str], None]

FALLBACK_TODAY = date(2026, 11, 30)  # demo today when the real date is outside 2026-27
YEAR_START = min(spec.first_day for spec in districts.DISTRICT_SPECS)
YEAR_END = max(spec.last_day for spec in districts.DISTRICT_SPECS)


# Stages of the students with no team yet: Riverside (spread over its four schools), Oak Valley.
RIVERSIDE_STAGES = (
    Stage.RECEIVED,
    Stage.RECEIVED,
    Stage.CONSENT_PENDING,
    Stage.CONSENT_PENDING,
    Stage.EVALUATING,
    Stage.EVALUATING,
    Stage.EVALUATING,
    Stage.EVALUATION_OVERDUE,
    Stage.EVALUATION_OVERDUE,
    Stage.ELIGIBILITY_PENDING,
    Stage.ELIGIBILITY_PENDING,
    Stage.ELIGIBLE_IEP,
    Stage.ELIGIBLE_IEP,
    Stage.IEP_MEETING_OVERDUE,
    Stage.ELIGIBLE_504,
    Stage.NOT_ELIGIBLE,
    Stage.NOT_ELIGIBLE,
    Stage.REQUEST_REFUSED,
    Stage.REQUEST_REFUSED,
    Stage.CONSENT_REFUSED,
    Stage.CONSENT_REFUSED,
)
OAK_VALLEY_STAGES = (
    Stage.RECEIVED,
    Stage.CONSENT_PENDING,
    Stage.EVALUATING,
    Stage.EVALUATION_OVERDUE,
    Stage.ELIGIBLE_IEP,
    Stage.NOT_ELIGIBLE,
    Stage.CONSENT_REFUSED,
)
# casemanager@'s caseload (Riverside Elementary) and coordinator504@'s students.
CASELOAD_STAGES = (
    Stage.EVALUATION_OVERDUE,
    Stage.ELIGIBILITY_PENDING,
    Stage.IEP_MEETING_OVERDUE,
    Stage.CONSENT_PENDING,
    Stage.EVALUATING,
)
COORDINATOR_504_STAGES = (
    Stage.ELIGIBLE_504,
    Stage.CONSENT_PENDING,
    Stage.RECEIVED,
)


def demo_today(today: date) -> date:
    """`today` when it is in the 2026-27 school year, else 2026-11-30."""
    return today if YEAR_START <= today <= YEAR_END else FALLBACK_TODAY


def _students(
    plan: world_plan.Plan, district: int, school: int | None, taken: set[int]
) -> list[int]:
    return [
        i
        for i, s in enumerate(plan.students)
        if s.district == district
        and (school is None or s.school == school)
        and s.program == ""
        and i not in taken
    ]


def plan_referrals(plan: world_plan.Plan, anchor: date) -> list[PlannedReferral]:
    """Every demo referral, deterministic for the people plan's seed and `anchor`."""
    rng = random.Random(f"tandem-demo-referrals-{plan.seed}")
    family_kids = {i for f in plan.demo_families.values() for i in plan.families[f].kids}
    taken = family_kids | {i for kids in plan.demo_students.values() for i in kids}
    # (student, stage, lead account, track) in order.
    chosen: list[tuple[int, Stage, str, str]] = []
    caseload = [
        i for i in plan.demo_students.get(personas.CASE_MANAGER, []) if i not in family_kids
    ]
    rng.shuffle(caseload)
    for i, stage in zip(caseload, CASELOAD_STAGES, strict=False):
        chosen.append((i, stage, personas.CASE_MANAGER, Track.UNDECIDED))
    used = {i for i, *_ in chosen}
    coordinated = [
        i
        for i in plan.demo_students.get(personas.COORDINATOR_504, [])
        if i not in family_kids and i not in used
    ]
    rng.shuffle(coordinated)
    for i, stage in zip(coordinated, COORDINATOR_504_STAGES, strict=False):
        chosen.append((i, stage, personas.COORDINATOR_504, Track.SECTION_504))
    riverside_schools = [n for n, (d, _) in enumerate(plan.schools) if d == districts.RIVERSIDE]
    pools = {n: _students(plan, districts.RIVERSIDE, n, taken) for n in riverside_schools}
    for pool in pools.values():
        rng.shuffle(pool)
    for k, stage in enumerate(RIVERSIDE_STAGES):
        school = riverside_schools[k % len(riverside_schools)]
        if not pools[school]:
            continue
        lead = personas.PRINCIPAL if school == districts.RIVERSIDE_ELEMENTARY else personas.DIRECTOR
        chosen.append((pools[school].pop(), stage, lead, Track.UNDECIDED))
    oak = _students(plan, districts.OAK_VALLEY, None, taken)
    rng.shuffle(oak)
    for i, stage in zip(oak, OAK_VALLEY_STAGES, strict=False):
        chosen.append((i, stage, personas.OAK_VALLEY_DIRECTOR, Track.UNDECIDED))

    guardians = _guardian_names(plan, {i for i, *_ in chosen})
    dates = {d: referrals_dates.Dates(spec, anchor) for d, spec in enumerate(plan.districts)}
    result = []
    nth: Counter[Stage] = Counter()
    for i, stage, lead, track in chosen:
        student = plan.students[i]
        if track == Track.SECTION_504:
            areas, description, impairment, activities = rng.choice(CONCERNS_504)
            category = ""
            source = rng.choice((ReferralSource.PHYSICIAN_ORDER, ReferralSource.PARENT))
        else:
            areas, description, category, impairment = rng.choice(CONCERNS)
            activities = (
                ("learning", "reading") if AreaOfConcern.READING in areas else ("learning",)
            )
            source = ReferralSource.PARENT if rng.random() < 0.35 else ReferralSource.TEACHER
        if stage is Stage.REQUEST_REFUSED:
            source = ReferralSource.PARENT
        source_name = {
            ReferralSource.PARENT: guardians.get(i, "Parent"),
            ReferralSource.TEACHER: f"Grade {districts.GRADE_CODES[student.grade]} teacher",
            ReferralSource.PHYSICIAN_ORDER: "Dr. " + rng.choice(("Ng", "Patel", "Alvarez")),
        }[source]
        r = PlannedReferral(
            student=i,
            stage=stage,
            lead=lead,
            source=source,
            source_name=source_name,
            areas=tuple(areas),
            description=description,
            category=category,
            impairment=impairment,
            activities=tuple(activities),
            received=anchor,
            track=track,
        )
        # Referrals in the same stage land on different days.
        j = (2 * nth[stage] + rng.randint(0, 1)) % 5
        nth[stage] += 1
        referrals_dates.set_dates(r, dates[student.district], rng, j)
        result.append(r)
    return result


def _guardian_names(plan: world_plan.Plan, students: set[int]) -> dict[int, str]:
    names = {}
    for family in plan.families:
        for i in family.kids:
            if i in students and family.guardians:
                g = family.guardians[0]
                names[i] = f"{g.first} {g.last}"
    return names


def seed_referrals(
    plan: world_plan.Plan, *, today: date | None = None, log: Log = lambda _: None
) -> Counter[str]:
    """Write the demo referrals for the seeded `plan`; nothing if the demo already has some."""
    started = time.perf_counter()
    if Referral.objects.filter(student__district__slug__in=districts.DEMO_SLUGS).exists():
        log("  the demo referrals already exist; nothing to add")
        return Counter()
    anchor = demo_today(today or timezone.localdate())
    planned = plan_referrals(plan, anchor)
    with transaction.atomic():
        writer = referrals_writer.Writer(plan)
        students = writer.students([r.student for r in planned])
        for r in planned:
            writer.write(r, students[r.student])
        again = referrals_reevaluations.plan_reevaluations(plan, anchor, planned)
        if again:
            referrals_reevaluations.historic_calendar(districts.RIVERSIDE_SPEC, anchor)
            students = writer.students([r.student for r in again])
            for r2 in again:
                referrals_reevaluations.write_reevaluation(writer, r2, students[r2.student])
        concerns_demo.seed_concern(anchor, log=log)  # a teacher's concern, still waiting
    counts = Counter(str(r.stage) for r in planned)
    counts.update(str(r2.stage) for r2 in again)
    log(
        f"  {len(planned) + len(again)} referrals as of {anchor.isoformat()}: "
        + ", ".join(f"{n} {stage}" for stage, n in counts.items())
        + f" ({time.perf_counter() - started:.1f} s)"
    )
    return counts
