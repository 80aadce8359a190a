"""Planning the demo staff, class sections and teams: the demo logins' staff records, each
school's homerooms (elementary) or four core classes a day (secondary) with their teachers, and
the case managers, providers, psychologists, 504 coordinators and administrators on each
student's team.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from datetime import date

from tandem.accounts.models import Language
from tandem.demo.districts import DISTRICT_SPECS, RIVERSIDE_ELEMENTARY, SYCAMORE_ELEMENTARY
from tandem.demo.personas import (
    CASE_MANAGER,
    COORDINATOR_504,
    DEMO_STAFF,
    PRINCIPAL,
    PSYCHOLOGIST,
    SLP,
    TEACHER,
    TELETHERAPIST,
)
from tandem.demo.planner import Planner
from tandem.demo.world_plan import PlannedSection, PlannedStaff
from tandem.people.models import Role, TeamRole

# Secondary courses by grade: (English, mathematics, science, social studies).
COURSES = {
    6: ("English 6", "Math 6", "Science 6", "World History 6"),
    7: ("English 7", "Math 7", "Life Science", "World History 7"),
    8: ("English 8", "Math 8", "Physical Science", "U.S. History 8"),
    9: ("English 9", "Algebra I", "Biology", "World Geography"),
    10: ("English 10", "Geometry", "Chemistry", "World History"),
    11: ("English 11", "Algebra II", "Physics", "U.S. History"),
    12: ("English 12", "Precalculus", "Environmental Science", "Government and Economics"),
}
SUBJECTS = ("English", "Mathematics", "Science", "Social Studies")
PERIODS_PER_DAY = 6
SECTIONS_PER_TEACHER = 5
CLASS_SIZE = 24  # elementary homerooms
SECONDARY_CLASS_SIZE = 28


def _spread(items: Sequence[int], staff: Sequence[int]) -> list[int]:
    """Contiguous, even blocks of `items` for each of `staff` (in order)."""
    n, k = len(items), len(staff)
    return [staff[p * k // n] for p in range(n)] if k else []


class StaffPlanner(Planner):
    """Plans staff, class sections and teams."""

    def add_staff(
        self,
        district: int,
        school: int | None,
        role: str,
        title: str,
        *,
        email: str = "",
        first: str = "",
        last: str = "",
        employer: str = "",
        language: str = Language.ENGLISH,
    ) -> int:
        rng = self.rng
        spec = DISTRICT_SPECS[district]
        if not first:
            heritage = "es" if rng.random() < spec.staff_spanish_share else "en"
            sex = "F" if rng.random() < 0.72 else "M"
            first, last = self.first_name(heritage, sex), self.last_name(heritage)
        email = email or self.work_email(first, last, spec.domain)
        start = date(rng.randint(1998, 2025), 8, 1)  # hired before this school year
        staff = PlannedStaff(
            first=first,
            last=last,
            email=email,
            title=title,
            roles=[(district, school, role)],
            start=start,
            employer=employer,
            phone=self.phone(district),
            language=language,
        )
        self.plan.staff.append(staff)
        return len(self.plan.staff) - 1

    def demo_staff(self) -> None:
        for email, first, last, title, roles, employer in DEMO_STAFF:
            (district, school, role), *more = roles
            n = self.add_staff(
                district,
                school,
                role,
                title,
                email=email,
                first=first,
                last=last,
                employer=employer,
            )
            self.plan.staff[n].roles += more
            if employer:
                self.plan.staff[n].phone = "(888) 555-0199"
            self.plan.demo_staff[email] = n

    def sections_for(self, school: int) -> None:
        """Homerooms (elementary) or four core classes a day (secondary), and each student's."""
        d, spec = self.plan.schools[school]
        st = self.plan.students
        by_grade: dict[int, list[int]] = {g: [] for g in range(spec.low, spec.high + 1)}
        for i in self.school_kids[school]:
            by_grade[st[i].grade].append(i)
        if spec.high <= 5:
            for grade, kids in by_grade.items():
                if school == RIVERSIDE_ELEMENTARY and grade == 3:
                    # teacher@'s homeroom (the first) holds the case manager's grade 3 students.
                    first = set(self.plan.demo_students[CASE_MANAGER])
                    kids.sort(key=lambda i: i not in first)
                label = "Kindergarten" if grade == 0 else f"Grade {grade}"
                teachers = []
                for n in range(max(1, math.ceil(len(kids) / CLASS_SIZE))):
                    if school == RIVERSIDE_ELEMENTARY and grade == 3 and n == 0:
                        teacher = self.plan.demo_staff[TEACHER]
                    else:
                        teacher = self.add_staff(d, school, Role.TEACHER, f"{label} Teacher")
                    self.plan.sections.append(
                        PlannedSection(
                            school,
                            teacher,
                            f"{label} - {self.plan.staff[teacher].last}",
                            "Homeroom",
                            "",
                        )
                    )
                    teachers.append(len(self.plan.sections) - 1)
                for i, section in zip(kids, _spread(kids, teachers), strict=True):
                    st[i].sections.append(section)
                    st[i].gened = self.plan.sections[section].teacher
            return
        # Secondary: cohort k takes subject s in period (s + k) % 6 + 1, so no clashes; each
        # teacher teaches five consecutive cohorts of one subject.
        cohort_sections: list[list[int]] = []
        offset = 0
        for grade, kids in by_grade.items():
            cohorts = max(1, math.ceil(len(kids) / SECONDARY_CLASS_SIZE))
            for j in range(cohorts):
                row = []
                for s, course in enumerate(COURSES[grade]):
                    period = (s + offset + j) % PERIODS_PER_DAY + 1
                    self.plan.sections.append(
                        PlannedSection(
                            school, -1, f"{course} - Period {period}", SUBJECTS[s], str(period)
                        )
                    )
                    row.append(len(self.plan.sections) - 1)
                cohort_sections.append(row)
            for i, j in zip(kids, _spread(kids, list(range(cohorts))), strict=True):
                st[i].sections = list(cohort_sections[offset + j])
            offset += cohorts
        for s, subject in enumerate(SUBJECTS):
            teacher = -1
            for k, row in enumerate(cohort_sections):
                if k % SECTIONS_PER_TEACHER == 0:
                    teacher = self.add_staff(d, school, Role.TEACHER, f"{subject} Teacher")
                self.plan.sections[row[s]].teacher = teacher
        for i in self.school_kids[school]:
            st[i].gened = self.plan.sections[st[i].sections[0]].teacher  # the English teacher

    def staff_school(self, school: int) -> None:
        d, spec = self.plan.schools[school]
        st = self.plan.students
        ds, demo = self.plan.demo_staff, self.plan.demo_students
        is_res = school == RIVERSIDE_ELEMENTARY
        kids = self.school_kids[school]
        iep = [i for i in kids if st[i].program == "iep"]
        plan504 = [i for i in kids if st[i].program == "504"]
        level = "Elementary" if spec.high <= 5 else "Secondary"

        def split(
            students: list[int], demo_email: str | None, role: str, title: str, per: int, least: int
        ) -> dict[int, int]:
            """Students -> staff: the demo account's own first, the rest spread over new staff
            (one per `per` students, at least `least`)."""
            mine = set(demo[demo_email]) if demo_email else set()
            result = {i: ds[demo_email] for i in students if i in mine} if demo_email else {}
            rest = sorted((i for i in students if i not in result), key=lambda i: (st[i].grade, i))
            n = max(least, math.ceil(len(rest) / per))
            staff = [self.add_staff(d, school, role, title) for _ in range(n)]
            result.update(zip(rest, _spread(rest, staff), strict=True))
            return result

        if is_res:
            principal = ds[PRINCIPAL]
        else:
            principal = self.add_staff(d, school, Role.SCHOOL_ADMIN, "Principal")
        admins = [principal] + [
            self.add_staff(d, school, Role.SCHOOL_ADMIN, "Assistant Principal")
            for _ in range(len(kids) // 1200)
        ]
        slp_school = school in (RIVERSIDE_ELEMENTARY, SYCAMORE_ELEMENTARY)
        title = f"Education Specialist ({level})"
        cms = split(iep, CASE_MANAGER if is_res else None, Role.CASE_MANAGER, title, 14, 2 - is_res)
        slps = split(
            [i for i in iep if st[i].slp],
            SLP if slp_school else None,
            Role.PROVIDER,
            "Speech-Language Pathologist",
            45,
            0 if slp_school else 1,
        )
        ots = split(
            [i for i in iep if st[i].ot],
            TELETHERAPIST,
            Role.PROVIDER,
            "Occupational Therapist",
            50,
            1,
        )
        pts = split([i for i in iep if st[i].pt], None, Role.PROVIDER, "Physical Therapist", 40, 1)
        psychs = split(
            [i for i in iep if st[i].psych],
            PSYCHOLOGIST if is_res else None,
            Role.EVALUATOR,
            "School Psychologist",
            40,
            1 - is_res,
        )
        coords = split(
            plan504,
            COORDINATOR_504 if is_res else None,
            Role.COORDINATOR_504,
            "504 Coordinator",
            80,
            1 - is_res,
        )
        for n, i in enumerate(iep):
            s = st[i]
            s.case_manager = cms[i]
            s.team = [
                (cms[i], TeamRole.CASE_MANAGER),
                (s.gened, TeamRole.GENERAL_EDUCATION_TEACHER),
                (admins[n % len(admins)], TeamRole.ADMINISTRATOR),
            ]
            for assigned, role, area in (
                (slps, TeamRole.SPEECH_LANGUAGE, "Speech-language therapy"),
                (ots, TeamRole.OCCUPATIONAL_THERAPIST, "Occupational therapy"),
                (pts, TeamRole.PHYSICAL_THERAPIST, "Physical therapy"),
            ):
                if i in assigned:
                    s.team.append((assigned[i], role))
                    s.providers.append((assigned[i], area))
            if i in psychs:
                s.team.append((psychs[i], TeamRole.PSYCHOLOGIST))
        for i in plan504:
            st[i].team = [
                (coords[i], TeamRole.COORDINATOR_504),
                (st[i].gened, TeamRole.GENERAL_EDUCATION_TEACHER),
            ]
