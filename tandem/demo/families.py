"""Planning the demo families and their students: random families in each district (heritage,
home language, guardians, one to four children in nearby grades, each at the school serving
their grade), the two demo families (the Morgans and the Hernández family), and the students'
SIS and state ids.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, timedelta
from typing import Any

from tandem.accounts.models import Language
from tandem.demo.districts import DISTRICT_SPECS, RIVERSIDE
from tandem.demo.personas import MADRE, PARENT
from tandem.demo.planner import Planner
from tandem.demo.world_plan import PlannedFamily, PlannedGuardian, PlannedStudent

GRADE_WEIGHTS = (1.0,) * 9 + (1.0, 0.97, 0.94, 0.91)  # a few leave before graduating
KIDS_PER_FAMILY = ((1, 0.64), (2, 0.27), (3, 0.08), (4, 0.01))
OTHER_HOME_LANGUAGES = (
    "Vietnamese",
    "Mandarin",
    "Tagalog",
    "Korean",
    "Cantonese",
    "Hindi",
    "Punjabi",
)
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


def _weighted(rng: random.Random, options: Sequence[tuple[Any, float]]) -> Any:
    return rng.choices([o for o, _ in options], weights=[w for _, w in options])[0]


class FamilyPlanner(Planner):
    """Plans families, their guardians and their students."""

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

    def identifiers(self) -> None:
        rng = self.rng
        for d in range(len(DISTRICT_SPECS)):
            kids = [s for s in self.plan.students if s.district == d]
            low, high = (1_000_000, 9_999_999) if d == RIVERSIDE else (100_000, 999_999)
            sis = rng.sample(range(low, high), len(kids))
            state = rng.sample(range(1_000_000_000, 9_999_999_999), len(kids))
            for s, a, b in zip(kids, sis, state, strict=True):
                s.sis_id, s.state_id = str(a), str(b)
