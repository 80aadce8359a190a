"""What `seed_demo` prints when it is done: the districts with their numbers of students,
IEPs, 504 Plans and English learners, the rows written per table, and the demo logins with the
students each one works with.
"""

from __future__ import annotations

from tandem.demo.districts import GRADE_CODES, OAK_VALLEY, RIVERSIDE, RIVERSIDE_ELEMENTARY
from tandem.demo.personas import (
    CASE_MANAGER,
    COORDINATOR_504,
    DEMO_EMAILS,
    DEMO_PASSWORD,
    DIRECTOR,
    MADRE,
    OAK_VALLEY_DIRECTOR,
    PARENT,
    PRINCIPAL,
    PSYCHOLOGIST,
    SLP,
    TEACHER,
    TELETHERAPIST,
)
from tandem.demo.world_plan import Plan, PlannedStudent
from tandem.demo.world_writer import SeedResult


def summary_lines(result: SeedResult) -> list[str]:
    plan = result.plan
    lines = [f"Seeded the demo world in {result.seconds:.1f} s (seed {plan.seed}):"]
    for d, spec in enumerate(plan.districts):
        kids = [s for s in plan.students if s.district == d]
        iep = sum(1 for s in kids if s.program == "iep")
        p504 = sum(1 for s in kids if s.program == "504")
        el = sum(1 for s in kids if s.english_learner)
        n_schools = sum(1 for dd, _ in plan.schools if dd == d)
        lines.append(
            f"  {spec.name} ({spec.slug}): {n_schools} schools, {len(kids):,} students, "
            f"{iep:,} with an IEP, {p504:,} with a 504 plan, {el:,} English learners"
        )
    for name, n in sorted(result.counts.items()):
        lines.append(f"  {n:>9,}  {name}")
    return lines


def _who(s: PlannedStudent, plan: Plan) -> str:
    return f"{s.first} {s.last} (grade {GRADE_CODES[s.grade]}, {plan.schools[s.school][1].name})"


def login_lines(plan: Plan) -> list[str]:
    demo = plan.demo_students
    st = plan.students
    res_name = plan.schools[RIVERSIDE_ELEMENTARY][1].name
    caseload = set(demo[CASE_MANAGER])
    teacher = plan.demo_staff[TEACHER]
    homeroom = [
        i
        for i, s in enumerate(st)
        if s.sections and plan.sections[s.sections[0]].teacher == teacher
    ]
    tele = [st[i] for i in demo[TELETHERAPIST]]
    morgan, hernandez = demo[PARENT], demo[MADRE]
    ethan, sofia = st[morgan[0]], st[hernandez[0]]
    rows = [
        (DIRECTOR, "district admin, Riverside Unified: every Riverside student"),
        (PRINCIPAL, f"school admin, {res_name}: every student there"),
        (
            CASE_MANAGER,
            f"case manager at {res_name}: caseload of {len(caseload)}, incl. "
            f"{ethan.first} {ethan.last} and {sofia.first} {sofia.last}",
        ),
        (
            TEACHER,
            f"grade 3 homeroom at {res_name}: {len(homeroom)} students, "
            f"{len(caseload.intersection(homeroom))} on the case manager's caseload",
        ),
        (
            SLP,
            f"speech-language pathologist on {len(demo[SLP])} teams at Riverside and Sycamore "
            "Elementary",
        ),
        (PSYCHOLOGIST, f"school psychologist on {len(demo[PSYCHOLOGIST])} teams at {res_name}"),
        (COORDINATOR_504, f"504 coordinator on {len(demo[COORDINATOR_504])} teams at {res_name}"),
        (
            TELETHERAPIST,
            f"BrightPath Therapy OT: {sum(s.district == RIVERSIDE for s in tele)} students in "
            f"Riverside, {sum(s.district == OAK_VALLEY for s in tele)} in Oak Valley",
        ),
        (PARENT, "parent of " + " and ".join(_who(st[i], plan) for i in morgan)),
        (MADRE, "madre (español) of " + " and ".join(_who(st[i], plan) for i in hernandez)),
        (
            OAK_VALLEY_DIRECTOR,
            "district admin, Oak Valley School District: every Oak Valley student",
        ),
    ]
    names = {
        email: f"{plan.staff[i].first} {plan.staff[i].last}" for email, i in plan.demo_staff.items()
    }
    for email, family in plan.demo_families.items():
        g = plan.families[family].guardians[0]
        names[email] = f"{g.first} {g.last}"
    width = max(len(e) for e in DEMO_EMAILS)
    lines = [f"Demo logins (password: {DEMO_PASSWORD})"]
    lines += [f"  {email:<{width}}  {names[email]:<16}  {text}" for email, text in rows]
    return lines
