"""The demo world behind `manage.py seed_demo`: two districts, their schools and calendars,
students and families, staff, class rosters, caseloads, teams and provider assignments, and
eleven fixed demo logins (password `tandem-demo`).

It is built in two steps. `plan_world` decides everything in memory and touches no database:
for one number of students and one seed it always plans the same world (names, dates, SIS ids,
public ids, who is on whose caseload). `build_world` then writes the plan with bulk inserts in
one transaction, a few thousand students at a time, so 100,000 students take well under three
minutes on SQLite and memory stays flat.

`bulk_create` bypasses `save()` and signals, so:
- `Student.search_text` is computed here (`compute_search_text`), and `User.username` is set to
  the email as `User.save` would;
- django-simple-history writes no historical rows for seeded students and guardians. That is
  fine for seed data: their history starts with the first real change.

`reset_demo` removes what `seed_demo` created. The audit log is append-only (database triggers
refuse deletes), so it refuses, changing nothing, when audit events or any other records
(plans, evaluations, ...) refer to the demo districts, students, guardians or accounts.
"""

from __future__ import annotations

import math
import random
import re
import time
import unicodedata
import uuid
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction
from django.db.models import Q
from faker import Faker

from tandem.accounts.models import AuditEvent, Language, User
from tandem.people.models import (
    CalendarClosure,
    CaseloadAssignment,
    ClassEnrollment,
    ClassSection,
    District,
    Enrollment,
    Guardian,
    MarkingPeriod,
    ProviderAssignment,
    Role,
    School,
    SchoolCalendar,
    Staff,
    StaffRole,
    Student,
    StudentGuardian,
    TeamMembership,
    TeamRole,
)

DEMO_PASSWORD = "tandem-demo"
DEFAULT_STUDENTS = 600
DEFAULT_SEED = 2026
MIN_STUDENTS = 100
SCHOOL_YEAR = "2026-2027"
BATCH_SIZE = 2000
CHUNK_STUDENTS = 5000  # students (with their families and relationships) written per round
NAME_POOL = 2500  # Faker names drawn once per pool; students combine them at random

RIVERSIDE = 0  # district indexes in Plan.districts
OAK_VALLEY = 1
RIVERSIDE_ELEMENTARY = 0  # school indexes in Plan.schools
SYCAMORE_ELEMENTARY = 1

Log = Callable[[str], None]

# Demo logins. Keys are used by `Plan.demo_staff`; the two parents are guardians, not staff.
DIRECTOR = "director@riverside.example"
PRINCIPAL = "principal@riverside.example"
CASE_MANAGER = "casemanager@riverside.example"
TEACHER = "teacher@riverside.example"
SLP = "slp@riverside.example"
PSYCHOLOGIST = "psych@riverside.example"
COORDINATOR_504 = "coordinator504@riverside.example"
TELETHERAPIST = "teletherapist@brightpath.example"
PARENT = "parent@riverside.example"
MADRE = "madre@riverside.example"
OAK_VALLEY_DIRECTOR = "director@oakvalley.example"
DEMO_EMAILS = (
    DIRECTOR,
    PRINCIPAL,
    CASE_MANAGER,
    TEACHER,
    SLP,
    PSYCHOLOGIST,
    COORDINATOR_504,
    TELETHERAPIST,
    PARENT,
    MADRE,
    OAK_VALLEY_DIRECTOR,
)

# How many students each demo account relates to (when the world is too small, students are
# moved into special education or 504 territory until the numbers are met).
CASELOAD_SIZE = 15
CASELOAD_IN_TEACHER_HOMEROOM = 5  # of which in teacher@'s grade 3 homeroom (incl. Ethan Morgan)
SLP_STUDENTS = (8, 7)  # Riverside Elementary, Sycamore Elementary
PSYCHOLOGIST_STUDENTS = 10
COORDINATOR_504_STUDENTS = 8
TELETHERAPY_STUDENTS = (6, 4)  # Riverside, Oak Valley

# The demo staff: email, first and last name, title, roles (district, school, role), employer.
RES, SES = RIVERSIDE_ELEMENTARY, SYCAMORE_ELEMENTARY
DEMO_STAFF = (
    (DIRECTOR, "Denise", "Carter", "Director of Special Education",
     ((RIVERSIDE, None, Role.DISTRICT_ADMIN),), ""),
    (PRINCIPAL, "Michael", "Okafor", "Principal", ((RIVERSIDE, RES, Role.SCHOOL_ADMIN),), ""),
    (CASE_MANAGER, "Emily", "Chen", "Education Specialist (Case Manager)",
     ((RIVERSIDE, RES, Role.CASE_MANAGER),), ""),
    (TEACHER, "David", "Brooks", "Grade 3 Teacher", ((RIVERSIDE, RES, Role.TEACHER),), ""),
    (SLP, "Priya", "Raman", "Speech-Language Pathologist",
     ((RIVERSIDE, RES, Role.PROVIDER), (RIVERSIDE, SES, Role.PROVIDER)), ""),
    (PSYCHOLOGIST, "Marcus", "Webb", "School Psychologist",
     ((RIVERSIDE, RES, Role.EVALUATOR),), ""),
    (COORDINATOR_504, "Angela", "Torres", "504 Coordinator",
     ((RIVERSIDE, RES, Role.COORDINATOR_504),), ""),
    (TELETHERAPIST, "Nora", "Feldman", "Occupational Therapist (teletherapy)",
     ((RIVERSIDE, None, Role.PROVIDER), (OAK_VALLEY, None, Role.PROVIDER)), "BrightPath Therapy"),
    (OAK_VALLEY_DIRECTOR, "Roberto", "Garza", "Director of Special Programs",
     ((OAK_VALLEY, None, Role.DISTRICT_ADMIN),), ""),
)  # fmt: skip

GRADE_CODES = ("K", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12")
GRADE_WEIGHTS = (1.0,) * 9 + (1.0, 0.97, 0.94, 0.91)  # a few leave before graduating
KIDS_PER_FAMILY = ((1, 0.64), (2, 0.27), (3, 0.08), (4, 0.01))
EMAIL_DOMAINS = ("example.com", "example.net", "example.org")
OTHER_HOME_LANGUAGES = (
    "Vietnamese",
    "Mandarin",
    "Tagalog",
    "Korean",
    "Cantonese",
    "Hindi",
    "Punjabi",
)
ASIAN_SURNAMES = (
    "Nguyen", "Tran", "Le", "Pham", "Vu", "Hoang", "Kim", "Lee", "Park", "Choi", "Chen", "Wang",
    "Li", "Zhang", "Liu", "Huang", "Lin", "Wu", "Yang", "Patel", "Singh", "Shah", "Kaur", "Gupta",
    "Santos", "Reyes", "Cruz", "Bautista", "Dela Cruz", "Villanueva", "Tanaka", "Nakamura",
)  # fmt: skip
STREET_NAMES = (
    "Oak", "Maple", "Cedar", "Willow", "Magnolia", "Sycamore", "Juniper", "Palm", "Orange",
    "Lemon", "Olive", "Pepper Tree", "Mission", "Central", "Victoria", "Arlington", "Canyon",
    "Hillside", "Valley View", "Ridgeview", "Sunset", "Meadow", "Brookside", "Lakeview", "Elm",
    "Pecan", "Mesquite", "Bluebonnet", "Pine", "Cypress", "Lincoln", "Washington", "Jefferson",
    "Madison", "Adams", "Franklin", "Monroe", "Highland", "Park", "Vista",
)  # fmt: skip
STREET_SUFFIXES = ("Avenue", "Street", "Drive", "Lane", "Court", "Way", "Road", "Place", "Circle")
NICKNAMES = {
    "William": "Will", "Robert": "Bobby", "Elizabeth": "Liz", "Katherine": "Kate",
    "Alexander": "Alex", "Christopher": "Chris", "Benjamin": "Ben", "Nicholas": "Nick",
    "Samantha": "Sam", "Jonathan": "Jon", "Matthew": "Matt", "Michael": "Mike", "Daniel": "Danny",
    "Joseph": "Joey", "Jennifer": "Jenny", "Rebecca": "Becca", "Abigail": "Abby",
    "Madison": "Maddie", "Anthony": "Tony", "Thomas": "Tommy", "Jacob": "Jake", "Zachary": "Zach",
    "Gabriel": "Gabe", "Alejandro": "Alex", "Guadalupe": "Lupe", "Francisco": "Paco",
    "Ignacio": "Nacho", "Eduardo": "Lalo", "Fernando": "Nando", "Alejandra": "Ale",
    "Jessica": "Jess", "Victoria": "Tori", "Isabella": "Bella", "Gabriela": "Gaby",
}  # fmt: skip
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


_SEEDED_MODELS = (
    District, School, SchoolCalendar, CalendarClosure, MarkingPeriod, User, Staff, StaffRole,
    ClassSection, Student, Enrollment, Guardian, StudentGuardian, ClassEnrollment,
    CaseloadAssignment, TeamMembership, ProviderAssignment,
)  # fmt: skip


# -- the two districts ---------------------------------------------------------------------


@dataclass(frozen=True)
class SchoolSpec:
    name: str
    code: str
    low: int  # 0 = kindergarten
    high: int
    street: str
    phone: str
    share: float = 1.0  # share of the grade's students when two schools serve the same grades


@dataclass(frozen=True)
class DistrictSpec:
    name: str
    slug: str
    state: str
    time_zone: str
    domain: str
    city: str
    area_code: str
    first_day: date
    last_day: date
    next_first_day: date
    first_day_week: int  # school starts on the nth Wednesday of August
    closures: tuple[tuple[str, str, date, date], ...]
    marking_periods: tuple[tuple[str, date, date, date], ...]
    schools: tuple[SchoolSpec, ...]
    spanish_share: float  # families speaking Spanish at home
    hispanic_share: float  # of the other families, Hispanic or Latino
    races: tuple[tuple[str, float], ...]  # of non-Hispanic families
    staff_spanish_share: float

    def first_day_in(self, year: int) -> date:
        """The first day of the school year starting in `year` (past years are estimated)."""
        if year == self.first_day.year:
            return self.first_day
        first = date(year, 8, 1)
        wednesday = first + timedelta(days=(2 - first.weekday()) % 7)
        return wednesday + timedelta(weeks=self.first_day_week - 1)


def _d(text: str) -> date:
    return date.fromisoformat(text)


RIVERSIDE_SPEC = DistrictSpec(
    name="Riverside Unified",
    slug="riverside",
    state="CA",
    time_zone="America/Los_Angeles",
    domain="riverside.example",
    city="Riverside, CA 92507",
    area_code="951",
    first_day=_d("2026-08-19"),
    last_day=_d("2027-06-10"),
    next_first_day=_d("2027-08-18"),
    first_day_week=3,
    closures=(
        ("holiday", "Labor Day", _d("2026-09-07"), _d("2026-09-07")),
        ("non_instructional", "Staff development day", _d("2026-10-12"), _d("2026-10-12")),
        ("holiday", "Veterans Day", _d("2026-11-11"), _d("2026-11-11")),
        ("break", "Thanksgiving break", _d("2026-11-23"), _d("2026-11-27")),
        ("break", "Winter break", _d("2026-12-21"), _d("2027-01-01")),
        ("holiday", "Martin Luther King Jr. Day", _d("2027-01-18"), _d("2027-01-18")),
        ("holiday", "Presidents' Day", _d("2027-02-15"), _d("2027-02-15")),
        ("break", "Spring break", _d("2027-03-29"), _d("2027-04-02")),
        ("holiday", "Memorial Day", _d("2027-05-31"), _d("2027-05-31")),
    ),
    marking_periods=(
        ("Quarter 1", _d("2026-08-19"), _d("2026-10-16"), _d("2026-10-23")),
        ("Quarter 2", _d("2026-10-19"), _d("2027-01-15"), _d("2027-01-22")),
        ("Quarter 3", _d("2027-01-19"), _d("2027-03-26"), _d("2027-04-09")),
        ("Quarter 4", _d("2027-04-05"), _d("2027-06-10"), _d("2027-06-10")),
    ),
    schools=(
        SchoolSpec(
            "Riverside Elementary School", "RES", 0, 5, "1450 Orchard Lane", "(951) 555-0110", 0.55
        ),
        SchoolSpec(
            "Sycamore Elementary School", "SES", 0, 5, "820 Sycamore Avenue", "(951) 555-0120", 0.45
        ),
        SchoolSpec("Riverside Middle School", "RMS", 6, 8, "300 Canyon Drive", "(951) 555-0130"),
        SchoolSpec(
            "Riverside High School", "RHS", 9, 12, "5000 Mission Boulevard", "(951) 555-0140"
        ),
    ),
    spanish_share=0.30,
    hispanic_share=0.30,
    races=(
        ("white", 0.46),
        ("asian", 0.27),
        ("black", 0.15),
        ("two", 0.08),
        ("pacific", 0.02),
        ("american_indian", 0.02),
    ),
    staff_spanish_share=0.25,
)

OAK_VALLEY_SPEC = DistrictSpec(
    name="Oak Valley School District",
    slug="oak-valley",
    state="TX",
    time_zone="America/Chicago",
    domain="oakvalley.example",
    city="Oak Valley, TX 76574",
    area_code="254",
    first_day=_d("2026-08-12"),
    last_day=_d("2027-05-28"),
    next_first_day=_d("2027-08-11"),
    first_day_week=2,
    closures=(
        ("holiday", "Labor Day", _d("2026-09-07"), _d("2026-09-07")),
        ("non_instructional", "Staff development day", _d("2026-10-12"), _d("2026-10-12")),
        ("holiday", "Veterans Day", _d("2026-11-11"), _d("2026-11-11")),
        ("break", "Thanksgiving break", _d("2026-11-23"), _d("2026-11-27")),
        ("break", "Winter break", _d("2026-12-21"), _d("2027-01-01")),
        ("non_instructional", "Staff development day", _d("2027-01-04"), _d("2027-01-04")),
        ("holiday", "Martin Luther King Jr. Day", _d("2027-01-18"), _d("2027-01-18")),
        ("holiday", "Presidents' Day", _d("2027-02-15"), _d("2027-02-15")),
        ("break", "Spring break", _d("2027-03-15"), _d("2027-03-19")),
        ("holiday", "Good Friday", _d("2027-03-26"), _d("2027-03-26")),
    ),
    marking_periods=(
        ("Quarter 1", _d("2026-08-12"), _d("2026-10-09"), _d("2026-10-16")),
        ("Quarter 2", _d("2026-10-13"), _d("2026-12-18"), _d("2027-01-08")),
        ("Quarter 3", _d("2027-01-05"), _d("2027-03-12"), _d("2027-03-26")),
        ("Quarter 4", _d("2027-03-22"), _d("2027-05-28"), _d("2027-06-04")),
    ),
    schools=(
        SchoolSpec(
            "Oak Valley Elementary School", "OVE", 0, 5, "210 Live Oak Street", "(254) 555-0150"
        ),
        SchoolSpec(
            "Oak Valley Junior-Senior High School", "OVH", 6, 12, "1 Bobcat Way", "(254) 555-0160"
        ),
    ),
    spanish_share=0.40,
    hispanic_share=0.20,
    races=(
        ("white", 0.60),
        ("black", 0.25),
        ("asian", 0.08),
        ("two", 0.05),
        ("american_indian", 0.01),
        ("pacific", 0.01),
    ),
    staff_spanish_share=0.35,
)

DISTRICT_SPECS = (RIVERSIDE_SPEC, OAK_VALLEY_SPEC)
DEMO_SLUGS = tuple(spec.slug for spec in DISTRICT_SPECS)


# -- the plan ------------------------------------------------------------------------------


@dataclass(slots=True)
class PlannedStaff:
    first: str
    last: str
    email: str
    title: str
    roles: list[tuple[int, int | None, str]]  # (district index, school index or None, Role)
    start: date
    employer: str = ""
    phone: str = ""
    language: str = Language.ENGLISH


@dataclass(slots=True)
class PlannedSection:
    school: int
    teacher: int
    name: str
    subject: str
    period: str


@dataclass(slots=True)
class PlannedGuardian:
    first: str
    last: str
    relationship: str
    rights_holder: bool
    lives_with: bool
    primary: bool
    email: str
    phone: str
    language: str
    interpreter: bool
    account: bool = False  # a portal login (the demo parents)


@dataclass(slots=True)
class PlannedFamily:
    district: int
    address: str
    guardians: list[PlannedGuardian]
    kids: list[int]


@dataclass(slots=True)
class PlannedStudent:
    district: int
    school: int
    grade: int
    sex: str
    first: str
    middle: str
    last: str
    preferred_first: str
    dob: date
    enrolled: date  # first day in the district
    entry: date  # first day at the current school
    home_language: str
    english_learner: bool
    hispanic: bool
    races: tuple[str, ...]
    sis_id: str = ""
    state_id: str = ""
    program: str = ""  # "", "iep" or "504"
    slp: bool = False
    ot: bool = False
    pt: bool = False
    psych: bool = False
    sections: list[int] = field(default_factory=list)
    gened: int = -1  # staff index of the general education teacher on the team
    case_manager: int = -1
    team: list[tuple[int, str]] = field(default_factory=list)
    providers: list[tuple[int, str]] = field(default_factory=list)


@dataclass
class Plan:
    students_requested: int
    seed: int
    districts: tuple[DistrictSpec, ...]
    schools: list[tuple[int, SchoolSpec]] = field(default_factory=list)
    staff: list[PlannedStaff] = field(default_factory=list)
    sections: list[PlannedSection] = field(default_factory=list)
    families: list[PlannedFamily] = field(default_factory=list)
    students: list[PlannedStudent] = field(default_factory=list)
    demo_staff: dict[str, int] = field(default_factory=dict)  # demo email -> staff index
    demo_students: dict[str, list[int]] = field(default_factory=dict)  # demo email -> students
    demo_families: dict[str, int] = field(default_factory=dict)  # parent email -> family index

    def students_of(self, email: str) -> list[PlannedStudent]:
        return [self.students[i] for i in self.demo_students.get(email, [])]


class _NamePools:
    """A few thousand Faker names drawn once; combining them at random is fast and realistic."""

    def __init__(self, seed: int) -> None:
        en = Faker("en_US")
        en.seed_instance(seed)
        es = Faker("es_MX")
        es.seed_instance(seed + 1)
        n = NAME_POOL
        self.first = {
            ("en", "F"): [en.first_name_female() for _ in range(n)],
            ("en", "M"): [en.first_name_male() for _ in range(n)],
            ("es", "F"): [es.first_name_female() for _ in range(n)],
            ("es", "M"): [es.first_name_male() for _ in range(n)],
        }
        self.last = {
            "en": [en.last_name() for _ in range(n)],
            "es": [es.last_name() for _ in range(n)],
        }


def _ascii(text: str) -> str:
    plain = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z]", "", plain.lower())


def _weighted(rng: random.Random, options: Sequence[tuple[Any, float]]) -> Any:
    return rng.choices([o for o, _ in options], weights=[w for _, w in options])[0]


def _spread(items: Sequence[int], staff: Sequence[int]) -> list[int]:
    """Contiguous, even blocks of `items` for each of `staff` (in order)."""
    n, k = len(items), len(staff)
    return [staff[p * k // n] for p in range(n)] if k else []


class _Planner:
    def __init__(self, students: int, seed: int) -> None:
        self.rng = random.Random(seed)
        self.names = _NamePools(seed)
        self.plan = Plan(students_requested=students, seed=seed, districts=DISTRICT_SPECS)
        self.emails: set[str] = set(DEMO_EMAILS)
        self.school_kids: list[list[int]] = []
        self.demo_family_kids: set[int] = set()
        self.enrolled = [0] * len(DISTRICT_SPECS)  # students planned per district

    # names and contacts

    def first_name(self, heritage: str, sex: str) -> str:
        if sex == "X":
            sex = self.rng.choice("FM")
        if heritage == "hisp":
            heritage = self.rng.choice(("en", "es"))
        elif heritage != "es":
            heritage = "en"
        return self.rng.choice(self.names.first[(heritage, sex)])

    def last_name(self, heritage: str) -> str:
        if heritage in ("es", "hisp"):
            return self.rng.choice(self.names.last["es"])
        if heritage == "asian" and self.rng.random() < 0.7:
            return self.rng.choice(ASIAN_SURNAMES)
        return self.rng.choice(self.names.last["en"])

    def phone(self, district: int) -> str:
        return f"({DISTRICT_SPECS[district].area_code}) 555-01{self.rng.randint(0, 99):02d}"

    def address(self, district: int) -> str:
        street = f"{self.rng.choice(STREET_NAMES)} {self.rng.choice(STREET_SUFFIXES)}"
        return f"{self.rng.randint(100, 9899)} {street}, {DISTRICT_SPECS[district].city}"

    def personal_email(self, first: str, last: str) -> str:
        local = f"{_ascii(first)}.{_ascii(last)}{self.rng.randint(1, 99)}"
        return f"{local}@{self.rng.choice(EMAIL_DOMAINS)}"

    def work_email(self, first: str, last: str, domain: str) -> str:
        base = f"{_ascii(first)}.{_ascii(last)}"
        email, n = f"{base}@{domain}", 1
        while email in self.emails:
            n += 1
            email = f"{base}{n}@{domain}"
        self.emails.add(email)
        return email

    # schools

    def add_schools(self) -> None:
        for d, spec in enumerate(DISTRICT_SPECS):
            for school in spec.schools:
                self.plan.schools.append((d, school))
                self.school_kids.append([])

    def school_for(self, district: int, grade: int, pick: float) -> int:
        """The school serving `grade`; `pick` (0..1, one per family) chooses among several."""
        options = [
            (i, s.share)
            for i, (d, s) in enumerate(self.plan.schools)
            if d == district and s.low <= grade <= s.high
        ]
        total = sum(share for _, share in options)
        running = 0.0
        for i, share in options:
            running += share / total
            if pick < running:
                return i
        return options[-1][0]

    # students and families

    def add_student(
        self,
        family: PlannedFamily,
        heritage: str,
        races: tuple[str, ...],
        home_language: str,
        grade: int,
        school_pick: float,
        *,
        sex: str | None = None,
        first: str | None = None,
        middle: str | None = None,
        last: str | None = None,
    ) -> int:
        rng = self.rng
        spec = DISTRICT_SPECS[family.district]
        school = self.school_for(family.district, grade, school_pick)
        school_spec = self.plan.schools[school][1]
        sex = sex or _weighted(rng, (("F", 0.487), ("M", 0.510), ("X", 0.003)))
        first = first or self.first_name(heritage, sex)
        if middle is None:
            middle = self.first_name(heritage, sex) if rng.random() < 0.6 else ""
            if middle == first:
                middle = ""
        if last is None:
            last = family.guardians[0].last if family.guardians else self.last_name(heritage)
            if heritage in ("es", "hisp") and rng.random() < 0.25:
                last = f"{last} {self.last_name('es')}"
        preferred = ""
        if rng.random() < 0.05:
            preferred = NICKNAMES.get(first, "")
        elif rng.random() < 0.003:
            preferred = self.first_name(heritage, "M" if sex == "F" else "F")
        # Age 5 on September 1 for kindergarten; a few students are a year older.
        born_from = date(2020 - grade, 9, 2) - timedelta(days=365 if rng.random() < 0.02 else 0)
        dob = born_from + timedelta(days=rng.randrange(365))
        started = 0 if rng.random() < 0.72 else rng.randint(0, grade)
        year = spec.first_day.year - (grade - started)
        enrolled = spec.first_day_in(year)
        if started > 0 or rng.random() < 0.08:
            window = 70 if year == spec.first_day.year else 240
            enrolled += timedelta(days=rng.randrange(window))
            if enrolled.weekday() >= 5:
                enrolled += timedelta(days=7 - enrolled.weekday())
        if started >= school_spec.low:
            entry = enrolled
        else:
            entry = spec.first_day_in(spec.first_day.year - (grade - school_spec.low))
        learner = False
        if home_language != "English":
            learner = rng.random() < (
                0.7 if grade <= 2 else 0.5 if grade <= 5 else 0.35 if grade <= 8 else 0.25
            )
        student = PlannedStudent(
            district=family.district,
            school=school,
            grade=grade,
            sex=sex,
            first=first,
            middle=middle,
            last=last,
            preferred_first=preferred,
            dob=dob,
            enrolled=enrolled,
            entry=entry,
            home_language=home_language,
            english_learner=learner,
            hispanic=heritage in ("es", "hisp"),
            races=races,
        )
        index = len(self.plan.students)
        self.plan.students.append(student)
        self.school_kids[school].append(index)
        self.enrolled[family.district] += 1
        family.kids.append(index)
        return index

    def guardian(
        self,
        district: int,
        heritage: str,
        relationship: str,
        family_last: str,
        *,
        primary: bool,
        language: str,
    ) -> PlannedGuardian:
        rng = self.rng
        sex = {"mother": "F", "father": "M"}.get(relationship) or rng.choice("FM")
        first = self.first_name(heritage, sex)
        keeps_own = {
            "mother": 0.45 if heritage in ("es", "hisp") else 0.15,
            "father": 0.05,
            "stepparent": 0.6,
            "grandparent": 0.5,
        }.get(relationship, 1.0)
        last = self.last_name(heritage) if rng.random() < keeps_own else family_last
        rights = rng.random() < (0.25 if relationship == "stepparent" else 0.98)
        lives = not (relationship == "father" and not primary and rng.random() < 0.12)
        spanish = language == Language.SPANISH
        return PlannedGuardian(
            first=first,
            last=last,
            relationship=relationship,
            rights_holder=rights,
            lives_with=lives,
            primary=primary,
            email=self.personal_email(first, last) if rng.random() < 0.85 else "",
            phone=self.phone(district),
            language=language,
            interpreter=spanish and rng.random() < 0.6,
        )

    def random_family(self, district: int, max_kids: int) -> None:
        rng = self.rng
        spec = DISTRICT_SPECS[district]
        r = rng.random()
        if r < spec.spanish_share:
            heritage = "es"
        elif r < spec.spanish_share + (1 - spec.spanish_share) * spec.hispanic_share:
            heritage = "hisp"
        else:
            heritage = "other"
        home_language = "Spanish" if heritage == "es" else "English"
        if heritage == "other":
            race = _weighted(rng, spec.races)
            if race == "two":
                races = tuple(
                    sorted(rng.sample(("white", "black", "asian", "american_indian", "pacific"), 2))
                )
            else:
                races = (race,)
            if race == "asian":
                heritage = "asian"
                if rng.random() < 0.35:
                    home_language = rng.choice(OTHER_HOME_LANGUAGES)
        else:
            races = _weighted(
                rng, ((("white",), 0.85), (("american_indian",), 0.10), (("black",), 0.05))
            )
        language = Language.SPANISH if heritage == "es" else Language.ENGLISH
        surname = self.last_name(heritage)
        if rng.random() < 0.70:
            pattern = _weighted(
                rng,
                (
                    (("mother", "father"), 0.80),
                    (("mother", "stepparent"), 0.07),
                    (("father", "stepparent"), 0.03),
                    (("parent", "parent"), 0.04),
                    (("grandparent", "grandparent"), 0.03),
                    (("mother", "grandparent"), 0.03),
                ),
            )
        else:
            pattern = _weighted(
                rng,
                (
                    (("mother",), 0.62),
                    (("father",), 0.18),
                    (("grandparent",), 0.09),
                    (("legal_guardian",), 0.06),
                    (("foster_parent",), 0.05),
                ),
            )
        guardians = [
            self.guardian(district, heritage, rel, surname, primary=n == 0, language=language)
            for n, rel in enumerate(pattern)
        ]
        if pattern[0] in ("legal_guardian", "foster_parent", "grandparent"):
            kid_last = self.last_name(heritage)  # the child's surname is not the guardian's
        else:
            kid_last = surname
        family = PlannedFamily(
            district=district, address=self.address(district), guardians=guardians, kids=[]
        )
        self.plan.families.append(family)
        kids = min(max_kids, _weighted(rng, KIDS_PER_FAMILY))
        grade = _weighted(rng, list(enumerate(GRADE_WEIGHTS)))
        grades = [grade]
        while len(grades) < kids:
            step = 0 if rng.random() < 0.03 else rng.randint(1, 4)
            grade = min(12, max(0, grade + rng.choice((-step, step))))
            grades.append(grade)
        pick = rng.random()
        for grade in grades:
            last = kid_last
            if heritage in ("es", "hisp") and rng.random() < 0.25:
                last = f"{kid_last} {self.last_name('es')}"
            self.add_student(family, heritage, races, home_language, grade, pick, last=last)

    def demo_families(self) -> None:
        """The Morgans (parent@) and the Hernández family (madre@), both in Riverside."""
        for email, heritage, language, home, races, parents, kids in (
            (
                PARENT,
                "en",
                Language.ENGLISH,
                "English",
                ("white",),
                (("Jessica", "Morgan", "mother"), ("Daniel", "Morgan", "father")),
                (("Ethan", "James", "Morgan", "M", 3), ("Lily", "Grace", "Morgan", "F", 7)),
            ),
            (
                MADRE,
                "es",
                Language.SPANISH,
                "Spanish",
                ("white",),
                (("María", "Hernández", "mother"), ("José", "Hernández", "father")),
                (("Sofía", "Valentina", "Hernández", "F", 1), ("Mateo", "", "Hernández", "M", 4)),
            ),
        ):
            guardians = []
            for n, (first, last, relationship) in enumerate(parents):
                g = self.guardian(
                    RIVERSIDE, heritage, relationship, last, primary=n == 0, language=language
                )
                g.first, g.last, g.rights_holder, g.lives_with = first, last, True, True
                if n == 0:
                    g.email, g.account, g.interpreter = email, True, language == Language.SPANISH
                guardians.append(g)
            family = PlannedFamily(RIVERSIDE, self.address(RIVERSIDE), guardians, [])
            self.plan.demo_families[email] = len(self.plan.families)
            self.plan.families.append(family)
            pick = 0.0  # Riverside Elementary
            for first, middle, last, sex, grade in kids:
                i = self.add_student(
                    family,
                    heritage,
                    races,
                    home,
                    grade,
                    pick,
                    sex=sex,
                    first=first,
                    middle=middle,
                    last=last,
                )
                self.plan.students[i].preferred_first = ""
                if language == Language.SPANISH:
                    self.plan.students[i].english_learner = True
                self.demo_family_kids.add(i)
            self.plan.demo_students[email] = list(family.kids)

    # special education and 504

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

    # staff, sections and teams

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

    def identifiers(self) -> None:
        rng = self.rng
        for d in range(len(DISTRICT_SPECS)):
            kids = [s for s in self.plan.students if s.district == d]
            low, high = (1_000_000, 9_999_999) if d == RIVERSIDE else (100_000, 999_999)
            sis = rng.sample(range(low, high), len(kids))
            state = rng.sample(range(1_000_000_000, 9_999_999_999), len(kids))
            for s, a, b in zip(kids, sis, state, strict=True):
                s.sis_id, s.state_id = str(a), str(b)


def plan_world(students: int = DEFAULT_STUDENTS, seed: int = DEFAULT_SEED) -> Plan:
    """Decide the whole demo world in memory: the same arguments always give the same plan."""
    if students < MIN_STUDENTS:
        raise ValueError(f"the demo needs at least {MIN_STUDENTS} students in Riverside")
    p = _Planner(students, seed)
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


# -- writing it ----------------------------------------------------------------------------


@dataclass
class SeedResult:
    plan: Plan
    counts: Counter[str]
    seconds: float


def _since(started: float) -> str:
    return f"{time.perf_counter() - started:.1f} s"


def demo_exists() -> bool:
    return District.objects.filter(slug__in=DEMO_SLUGS).exists()


def _insert(model: type[models.Model], objs: list[Any]) -> list[Any]:
    """Bulk insert; primary keys come back from the database (RETURNING on SQLite 3.35+ and
    PostgreSQL), else they are looked up by public id."""
    model.objects.bulk_create(objs, batch_size=BATCH_SIZE)
    if objs and objs[0].pk is None:
        ids = dict(
            model.objects.filter(public_id__in=[o.public_id for o in objs]).values_list(
                "public_id", "pk"
            )
        )
        for o in objs:
            o.pk = ids[o.public_id]
    return objs


def build_world(plan: Plan, *, log: Log = lambda _: None) -> SeedResult:
    """Write `plan` to the database in one transaction."""
    started = time.perf_counter()
    ids = random.Random(f"tandem-demo-ids-{plan.seed}")  # deterministic public ids

    def public_id() -> uuid.UUID:
        return uuid.UUID(int=ids.getrandbits(128), version=4)

    counts: Counter[str] = Counter()

    def add(model: type[models.Model], objs: list[Any], *, returning: bool = False) -> list[Any]:
        counts[str(model._meta.verbose_name_plural)] += len(objs)
        if returning:
            return _insert(model, objs)
        model.objects.bulk_create(objs, batch_size=BATCH_SIZE)
        return objs

    with transaction.atomic():
        districts = add(
            District,
            [
                District(
                    public_id=public_id(),
                    name=d.name,
                    slug=d.slug,
                    state=d.state,
                    time_zone=d.time_zone,
                    settings={"demo": True},
                )
                for d in plan.districts
            ],
            returning=True,
        )
        schools = add(
            School,
            [
                School(
                    public_id=public_id(),
                    district=districts[d],
                    name=s.name,
                    code=s.code,
                    lowest_grade=GRADE_CODES[s.low],
                    highest_grade=GRADE_CODES[s.high],
                    address=f"{s.street}, {plan.districts[d].city}",
                    phone=s.phone,
                )
                for d, s in plan.schools
            ],
            returning=True,
        )
        closures, periods = [], []
        for district, spec in zip(districts, plan.districts, strict=True):
            calendar = SchoolCalendar.objects.create(
                district=district,
                school=None,
                school_year=SCHOOL_YEAR,
                first_day=spec.first_day,
                last_day=spec.last_day,
                next_first_day=spec.next_first_day,
            )
            counts[str(SchoolCalendar._meta.verbose_name_plural)] += 1
            closures += [
                CalendarClosure(calendar=calendar, kind=k, name=n, start=a, end=b)
                for k, n, a, b in spec.closures
            ]
            periods += [
                MarkingPeriod(calendar=calendar, name=n, start=a, end=b, report_card_date=r)
                for n, a, b, r in spec.marking_periods
            ]
        add(CalendarClosure, closures)
        add(MarkingPeriod, periods)
        log(f"  districts, schools and {SCHOOL_YEAR} calendars ({_since(started)})")

        # One argon2 hash for every account: hashing is deliberately slow.
        password = make_password(DEMO_PASSWORD)
        users = add(
            User,
            [
                User(
                    public_id=public_id(),
                    username=s.email,
                    email=s.email,
                    first_name=s.first,
                    last_name=s.last,
                    password=password,
                    preferred_language=s.language,
                )
                for s in plan.staff
            ],
            returning=True,
        )
        staff = add(
            Staff,
            [
                Staff(
                    public_id=public_id(),
                    user_id=u.pk,
                    title=s.title,
                    employer=s.employer,
                    phone=s.phone,
                )
                for s, u in zip(plan.staff, users, strict=True)
            ],
            returning=True,
        )
        add(
            StaffRole,
            [
                StaffRole(
                    staff_id=staff[n].pk,
                    district_id=districts[d].pk,
                    school_id=schools[sc].pk if sc is not None else None,
                    role=role,
                    start_date=s.start,
                )
                for n, s in enumerate(plan.staff)
                for d, sc, role in s.roles
            ],
        )
        sections = add(
            ClassSection,
            [
                ClassSection(
                    public_id=public_id(),
                    school_id=schools[s.school].pk,
                    teacher_id=staff[s.teacher].pk,
                    name=s.name,
                    subject=s.subject,
                    period=s.period,
                    school_year=SCHOOL_YEAR,
                    start_date=plan.districts[plan.schools[s.school][0]].first_day,
                )
                for s in plan.sections
            ],
            returning=True,
        )
        log(
            f"  {len(staff):,} staff accounts and {len(sections):,} class sections "
            f"({_since(started)})"
        )

        total = len(plan.students)
        done = 0
        batch: list[PlannedFamily] = []
        kids_in_batch = 0
        families = iter(plan.families)
        while True:
            family = next(families, None)
            if family is not None:
                batch.append(family)
                kids_in_batch += len(family.kids)
            if batch and (family is None or kids_in_batch >= CHUNK_STUDENTS):
                _write_families(
                    plan, batch, add, public_id, password, districts, schools, staff, sections
                )
                done += kids_in_batch
                log(
                    f"  students {done:,}/{total:,} with families, rosters and teams "
                    f"({_since(started)})"
                )
                batch, kids_in_batch = [], 0
            if family is None:
                break
    if connection.vendor == "postgresql":
        # Fresh statistics, so the first pages (and a --reset) get good plans without waiting
        # for autovacuum.
        tables = [m._meta.db_table for m in _SEEDED_MODELS]
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(t) for t in tables))
        log(f"  analyzed the tables ({_since(started)})")
    return SeedResult(plan=plan, counts=counts, seconds=time.perf_counter() - started)


def _write_families(
    plan: Plan,
    families: list[PlannedFamily],
    add: Callable[..., list[Any]],
    public_id: Callable[[], uuid.UUID],
    password: str,
    districts: list[District],
    schools: list[School],
    staff: list[Staff],
    sections: list[ClassSection],
) -> None:
    kid_ids = [i for f in families for i in f.kids]
    kids = [plan.students[i] for i in kid_ids]
    objs = []
    for s in kids:
        o = Student(
            public_id=public_id(),
            district_id=districts[s.district].pk,
            school_id=schools[s.school].pk,
            sis_id=s.sis_id,
            state_id=s.state_id,
            legal_first_name=s.first,
            legal_middle_name=s.middle,
            legal_last_name=s.last,
            preferred_first_name=s.preferred_first,
            date_of_birth=s.dob,
            grade=GRADE_CODES[s.grade],
            enrollment_date=s.enrolled,
            home_language=s.home_language,
            english_learner=s.english_learner,
            hispanic_latino=s.hispanic,
            race_american_indian="american_indian" in s.races,
            race_asian="asian" in s.races,
            race_black="black" in s.races,
            race_pacific_islander="pacific" in s.races,
            race_white="white" in s.races,
            sex=s.sex,
        )
        o.search_text = o.compute_search_text()  # Student.save would; bulk_create does not
        objs.append(o)
    students = add(Student, objs, returning=True)
    pk = {i: o.pk for i, o in zip(kid_ids, students, strict=True)}

    accounts = [g for f in families for g in f.guardians if g.account]
    users = {}
    if accounts:
        created = add(
            User,
            [
                User(
                    public_id=public_id(),
                    username=g.email,
                    email=g.email,
                    first_name=g.first,
                    last_name=g.last,
                    password=password,
                    preferred_language=g.language,
                )
                for g in accounts
            ],
            returning=True,
        )
        users = {id(g): u.pk for g, u in zip(accounts, created, strict=True)}
    guardian_objs, owners = [], []
    for f in families:
        for g in f.guardians:
            guardian_objs.append(
                Guardian(
                    public_id=public_id(),
                    district_id=districts[f.district].pk,
                    user_id=users.get(id(g)),
                    first_name=g.first,
                    last_name=g.last,
                    email=g.email,
                    phone=g.phone,
                    address=f.address,
                    preferred_language=g.language,
                    needs_interpreter=g.interpreter,
                )
            )
            owners.append((f, g))
    guardians = add(Guardian, guardian_objs, returning=True)
    add(
        StudentGuardian,
        [
            StudentGuardian(
                student_id=pk[i],
                guardian_id=o.pk,
                relationship=g.relationship,
                educational_rights_holder=g.rights_holder,
                lives_with_student=g.lives_with,
                primary_contact=g.primary,
            )
            for o, (f, g) in zip(guardians, owners, strict=True)
            for i in f.kids
        ],
    )

    enrollments, classes, caseloads, teams, providers = [], [], [], [], []
    for i, s in zip(kid_ids, kids, strict=True):
        student_id = pk[i]
        start = max(s.entry, plan.districts[s.district].first_day)
        enrollments.append(
            Enrollment(
                student_id=student_id,
                school_id=schools[s.school].pk,
                grade=GRADE_CODES[s.grade],
                entry_date=s.entry,
            )
        )
        classes += [
            ClassEnrollment(section_id=sections[x].pk, student_id=student_id, start_date=start)
            for x in s.sections
        ]
        if s.case_manager >= 0:
            caseloads.append(
                CaseloadAssignment(
                    staff_id=staff[s.case_manager].pk, student_id=student_id, start_date=start
                )
            )
        teams += [
            TeamMembership(staff_id=staff[x].pk, student_id=student_id, role=role, start_date=start)
            for x, role in s.team
        ]
        providers += [
            ProviderAssignment(
                staff_id=staff[x].pk,
                student_id=student_id,
                district_id=districts[s.district].pk,
                service_area=area,
                start_date=start,
            )
            for x, area in s.providers
        ]
    add(Enrollment, enrollments)
    add(ClassEnrollment, classes)
    add(CaseloadAssignment, caseloads)
    add(TeamMembership, teams)
    add(ProviderAssignment, providers)


def seed_demo(
    students: int = DEFAULT_STUDENTS, seed: int = DEFAULT_SEED, *, log: Log = lambda _: None
) -> SeedResult:
    """Plan and write the demo world (the caller checks `demo_exists()` first)."""
    started = time.perf_counter()
    log(f"Planning the demo world: {students:,} students in Riverside, seed {seed} ...")
    plan = plan_world(students, seed)
    log(f"  planned {len(plan.students):,} students, {len(plan.staff):,} staff ({_since(started)})")
    result = build_world(plan, log=log)
    result.seconds = time.perf_counter() - started
    return result


# -- reporting -----------------------------------------------------------------------------


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


# -- reset ---------------------------------------------------------------------------------


class ResetRefused(Exception):
    """The demo data cannot be removed without touching records it must not touch."""


def _blockers(
    model: type[models.Model], rows: models.QuerySet[Any], handled: set[type[models.Model]]
) -> list[str]:
    """Other tables with rows referring to `rows` (history tables carry no constraints)."""
    found = []
    for rel in model._meta.related_objects:
        other = rel.related_model
        if other in handled or not getattr(rel.field, "db_constraint", True):
            continue
        if other._default_manager.filter(**{f"{rel.field.name}__in": rows}).exists():
            found.append(other._meta.label)
    return found


def reset_demo(*, log: Log = lambda _: None) -> None:
    """Remove the demo districts and everything `seed_demo` created in them, or refuse."""
    district_ids = list(District.objects.filter(slug__in=DEMO_SLUGS).values_list("pk", flat=True))
    if not district_ids:
        return
    students = Student.objects.filter(district_id__in=district_ids)
    guardians = Guardian.objects.filter(district_id__in=district_ids)
    in_demo = set(
        StaffRole.objects.filter(district_id__in=district_ids).values_list("staff_id", flat=True)
    )
    elsewhere = set(
        StaffRole.objects.filter(staff_id__in=in_demo)
        .exclude(district_id__in=district_ids)
        .values_list("staff_id", flat=True)
    )
    staff_ids = sorted(in_demo - elsewhere)
    user_ids = set(Staff.objects.filter(pk__in=staff_ids).values_list("user_id", flat=True))
    user_ids |= set(guardians.exclude(user=None).values_list("user_id", flat=True))
    if AuditEvent.objects.filter(
        Q(district_id__in=district_ids)
        | Q(student__district_id__in=district_ids)
        | Q(actor_id__in=user_ids)
    ).exists():
        raise ResetRefused(
            "The audit log has events about the demo districts, students or accounts; it is "
            "append-only, so the demo data cannot be removed. Seed a fresh database instead."
        )
    links = {
        Enrollment,
        StudentGuardian,
        ClassEnrollment,
        CaseloadAssignment,
        TeamMembership,
        ProviderAssignment,
    }
    blockers = _blockers(Student, students, links | {AuditEvent}) + _blockers(
        Guardian, guardians, {StudentGuardian}
    )
    if blockers:
        raise ResetRefused(
            "Other records refer to the demo students or guardians ("
            + ", ".join(sorted(set(blockers)))
            + "); --reset only removes what seed_demo created. Seed a fresh database instead."
        )
    try:
        with transaction.atomic():
            for model in (
                ProviderAssignment,
                TeamMembership,
                CaseloadAssignment,
                ClassEnrollment,
                StudentGuardian,
                Enrollment,
            ):
                # `student_id IN (subquery)`, not a join: planners do well with it even before
                # fresh rows have statistics.
                model.objects.filter(student_id__in=students.values("pk")).delete()
            # Students and guardians have history signals, so the ORM would load every row and
            # write a "deleted" history row for each; nothing else refers to them now.
            n_students = students._raw_delete(students.db)
            guardians._raw_delete(guardians.db)
            schools = School.objects.filter(district_id__in=district_ids)
            ClassSection.objects.filter(school_id__in=schools.values("pk")).delete()
            StaffRole.objects.filter(district_id__in=district_ids).delete()
            Staff.objects.filter(pk__in=staff_ids).delete()
            User.objects.filter(pk__in=user_ids).delete()
            SchoolCalendar.objects.filter(district_id__in=district_ids).delete()
            schools.delete()
            District.objects.filter(pk__in=district_ids).delete()
    except (models.ProtectedError, models.RestrictedError) as error:
        raise ResetRefused(f"Other records refer to the demo data: {error.args[0]}") from None
    log(
        f"Removed the demo districts: {n_students:,} students, {len(staff_ids):,} staff, "
        f"{len(user_ids):,} accounts."
    )
