"""Planning who has an IEP or a 504 Plan, with which related services, and which students each
demo login works with (the case manager's caseload, teacher@'s homeroom, the SLP's, the
psychologist's, the 504 coordinator's and the teletherapist's students): in a small world,
students are moved into special education or 504 until the numbers are met.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence

from tandem.demo.districts import OAK_VALLEY, RIVERSIDE, RIVERSIDE_ELEMENTARY, SYCAMORE_ELEMENTARY
from tandem.demo.personas import (
    CASE_MANAGER,
    CASELOAD_IN_TEACHER_HOMEROOM,
    CASELOAD_SIZE,
    COORDINATOR_504,
    COORDINATOR_504_STUDENTS,
    MADRE,
    PARENT,
    PSYCHOLOGIST,
    PSYCHOLOGIST_STUDENTS,
    SLP,
    SLP_STUDENTS,
    TELETHERAPIST,
    TELETHERAPY_STUDENTS,
)
from tandem.demo.planner import Planner
from tandem.demo.world_plan import PlannedStudent


class ProgramPlanner(Planner):
    """Plans special education and 504, and the demo logins' students."""

    def draw_services(self, s: PlannedStudent) -> None:
        rng = self.rng
        elementary = s.grade <= 5
        s.slp = rng.random() < (0.55 if elementary else 0.20)
        s.ot = rng.random() < (0.25 if elementary else 0.08)
        s.pt = rng.random() < (0.05 if elementary else 0.03)
        s.psych = rng.random() < 0.35

    def make_iep(self, s: PlannedStudent) -> None:
        s.program = "iep"
        self.draw_services(s)

    def assign_programs(self) -> None:
        rng = self.rng
        for i, s in enumerate(self.plan.students):
            if i in self.demo_family_kids:
                continue
            if rng.random() < (0.17 if s.sex == "M" else 0.095):
                self.make_iep(s)
            elif rng.random() < 0.035:
                s.program = "504"
        morgan, hernandez = (self.plan.demo_students[e] for e in (PARENT, MADRE))
        ethan, sofia = self.plan.students[morgan[0]], self.plan.students[hernandez[0]]
        self.make_iep(ethan)
        ethan.slp = ethan.psych = True
        self.make_iep(sofia)
        sofia.slp = True

    def pick(
        self,
        k: int,
        tiers: Sequence[tuple[Iterable[int], Callable[[PlannedStudent], None] | None]],
        exclude: set[int] | None = None,
    ) -> list[int]:
        """Up to `k` students, from the first tier (as they are) then the next ones, changed by
        their promote function (students are moved into special education in a small world)."""
        chosen: list[int] = []
        taken = set(exclude or ())
        for pool, promote in tiers:
            candidates = [i for i in pool if i not in taken]
            self.rng.shuffle(candidates)
            for i in candidates[: k - len(chosen)]:
                if promote is not None:
                    promote(self.plan.students[i])
                chosen.append(i)
                taken.add(i)
            if len(chosen) >= k:
                break
        return chosen

    def kids(self, schools: Iterable[int], test: Callable[[PlannedStudent], bool]) -> list[int]:
        return [i for s in schools for i in self.school_kids[s] if test(self.plan.students[i])]

    def demo_relationships(self) -> None:
        """Choose the students the demo accounts work with."""
        st = self.plan.students
        demo = self.plan.demo_students
        plain = self.demo_family_kids
        res = (RIVERSIDE_ELEMENTARY,)

        def with_service(name: str) -> Callable[[PlannedStudent], None]:
            def promote(s: PlannedStudent) -> None:
                if s.program != "iep":
                    self.make_iep(s)
                setattr(s, name, True)

            return promote

        iep = self.make_iep
        fixed = [demo[PARENT][0], demo[MADRE][0]]  # Ethan Morgan (grade 3), Sofía Hernández
        grade3 = self.pick(
            CASELOAD_IN_TEACHER_HOMEROOM - 1,
            [
                (self.kids(res, lambda s: s.grade == 3 and s.program == "iep"), None),
                (self.kids(res, lambda s: s.grade == 3 and s.program == ""), iep),
            ],
            exclude=plain,
        )
        taken = plain | set(grade3)
        others = self.pick(
            CASELOAD_SIZE - len(fixed) - len(grade3),
            [
                (self.kids(res, lambda s: s.program == "iep"), None),
                (self.kids(res, lambda s: s.program == ""), iep),
            ],
            exclude=taken,
        )
        demo[CASE_MANAGER] = fixed + grade3 + others

        def make_504(s: PlannedStudent) -> None:
            s.program = "504"

        demo[COORDINATOR_504] = self.pick(
            COORDINATOR_504_STUDENTS,
            [
                (self.kids(res, lambda s: s.program == "504"), None),
                (self.kids(res, lambda s: s.program == ""), make_504),
            ],
            exclude=plain,
        )
        demo[PSYCHOLOGIST] = self.pick(
            PSYCHOLOGIST_STUDENTS,
            [
                (self.kids(res, lambda s: s.program == "iep" and s.psych), None),
                (self.kids(res, lambda s: s.program == "iep"), with_service("psych")),
                (self.kids(res, lambda s: s.program == ""), with_service("psych")),
            ],
            exclude=plain - set(fixed),
        )
        slp: list[int] = []
        for school, k in zip(
            (RIVERSIDE_ELEMENTARY, SYCAMORE_ELEMENTARY), SLP_STUDENTS, strict=True
        ):
            if school == SYCAMORE_ELEMENTARY:
                k = sum(SLP_STUDENTS) - len(slp)
            slp += self.pick(
                k,
                [
                    (self.kids((school,), lambda s: s.program == "iep" and s.slp), None),
                    (self.kids((school,), lambda s: s.program == "iep"), with_service("slp")),
                    (self.kids((school,), lambda s: s.program == ""), with_service("slp")),
                ],
                exclude=plain - set(fixed),
            )
        demo[SLP] = slp
        tele: list[int] = []
        for district, k in zip((RIVERSIDE, OAK_VALLEY), TELETHERAPY_STUDENTS, strict=True):
            schools = [i for i, (d, _) in enumerate(self.plan.schools) if d == district]
            tele += self.pick(
                k,
                [
                    (self.kids(schools, lambda s: s.program == "iep" and s.ot), None),
                    (self.kids(schools, lambda s: s.program == "iep"), with_service("ot")),
                    (self.kids(schools, lambda s: s.program == ""), with_service("ot")),
                ],
                exclude=plain,
            )
        demo[TELETHERAPIST] = tele
        # The psychologist and SLP picks may have moved students into special education at
        # Riverside Elementary; they join other case managers' caseloads.
        assert all(st[i].program == "iep" for i in demo[CASE_MANAGER])
