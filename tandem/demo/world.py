"""The demo world behind `manage.py seed_demo`: two districts, their schools and calendars,
students and families, staff, class rosters, caseloads, teams and provider assignments, and
eleven fixed demo logins (password `tandem-demo`).

It is built in two steps. `plan_world` decides everything in memory and touches no database:
for one number of students and one seed it always plans the same world (names, dates, SIS ids,
public ids, who is on whose caseload). `build_world` (`world_writer.py`) then writes the plan
with bulk inserts in one transaction, a few thousand students at a time, so 100,000 students
take well under three minutes on SQLite and memory stays flat.

The pieces, by job: the districts and schools (`districts.py`), the demo logins
(`personas.py`), the plan's shape (`world_plan.py`), the planner (`planner.py`) with its jobs
(`families.py`, `programs.py`, `staffing.py`), writing (`world_writer.py`), the printed summary
(`summary.py`) and `--reset` (`reset.py`).
"""

from __future__ import annotations

import time

# The `X as X` imports re-export names for the seeders that still read them from here
# (`services.py`, and the providers' demo being written beside it); the other modules import
# them from `personas` and `districts`.
from tandem.demo.districts import DEMO_SLUGS as DEMO_SLUGS
from tandem.demo.families import FamilyPlanner
from tandem.demo.personas import DIRECTOR as DIRECTOR
from tandem.demo.personas import OAK_VALLEY_DIRECTOR as OAK_VALLEY_DIRECTOR
from tandem.demo.personas import SLP as SLP
from tandem.demo.personas import TELETHERAPIST as TELETHERAPIST
from tandem.demo.programs import ProgramPlanner
from tandem.demo.staffing import StaffPlanner
from tandem.demo.world_plan import Plan
from tandem.demo.world_writer import Log, SeedResult, build_world, since

DEFAULT_STUDENTS = 600
DEFAULT_SEED = 2026
MIN_STUDENTS = 100


class WorldPlanner(FamilyPlanner, ProgramPlanner, StaffPlanner):
    """Every job of planning the demo world, in one planner sharing one random source."""


def plan_world(students: int = DEFAULT_STUDENTS, seed: int = DEFAULT_SEED) -> Plan:
    """Decide the whole demo world in memory: the same arguments always give the same plan."""
    if students < MIN_STUDENTS:
        raise ValueError(f"the demo needs at least {MIN_STUDENTS} students in Riverside")
    p = WorldPlanner(students, seed)
    p.add_schools()
    p.demo_families()
    for d, n in enumerate((students, max(60, students // 4))):
        while p.enrolled[d] < n:
            p.random_family(d, n - p.enrolled[d])
    p.assign_programs()
    p.demo_relationships()
    p.identifiers()
    p.demo_staff()
    for school in range(len(p.plan.schools)):
        p.sections_for(school)
    for school in range(len(p.plan.schools)):
        p.staff_school(school)
    return p.plan


def seed_demo(
    students: int = DEFAULT_STUDENTS, seed: int = DEFAULT_SEED, *, log: Log = lambda _: None
) -> SeedResult:
    """Plan and write the demo world (the caller checks `demo_exists()` first)."""
    started = time.perf_counter()
    log(f"Planning the demo world: {students:,} students in Riverside, seed {seed} ...")
    plan = plan_world(students, seed)
    log(f"  planned {len(plan.students):,} students, {len(plan.staff):,} staff ({since(started)})")
    result = build_world(plan, log=log)
    result.seconds = time.perf_counter() - started
    return result
