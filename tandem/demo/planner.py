"""The demo world's planner, the part every job shares: one seeded random source, pools of
realistic names, phone numbers, addresses and emails, and the schools. The jobs build on it:
families and students (`families.py`), special education, 504 and the demo logins' students
(`programs.py`), staff, class sections and teams (`staffing.py`); `world.py` puts them together.
"""

from __future__ import annotations

import random
import re
import unicodedata

from faker import Faker

from tandem.demo.districts import DISTRICT_SPECS
from tandem.demo.personas import DEMO_EMAILS
from tandem.demo.world_plan import Plan

NAME_POOL = 2500  # Faker names drawn once per pool; students combine them at random
EMAIL_DOMAINS = ("example.com", "example.net", "example.org")
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


class Planner:
    """Plans the demo world in memory, the same for the same number of students and seed."""

    def __init__(self, students: int, seed: int) -> None:
        self.rng = random.Random(seed)
        self.names = _NamePools(seed)
        self.plan = Plan(students_requested=students, seed=seed, districts=DISTRICT_SPECS)
        self.emails: set[str] = set(DEMO_EMAILS)
        self.school_kids: list[list[int]] = []
        self.demo_family_kids: set[int] = set()
        self.enrolled = [0] * len(DISTRICT_SPECS)  # students planned per district

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
