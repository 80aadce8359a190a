"""The demo world as planned in memory, before anything is written: the staff, class sections,
families (with their guardians) and students, by index, and which of them each demo login works
with. `plan_world` (in `world.py`) fills a `Plan`; `world_writer.py` writes it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from tandem.accounts.models import Language
from tandem.demo.districts import DistrictSpec, SchoolSpec


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
