"""IDEA section 618 counts: the child count (EDFacts FS002 school age, FS089 early childhood) on a
count date, and the exiting count (FS009) of a school year. COMPLIANCE.md section 4 has the codes.

The rules, in one place:

- Counted in the child count: a student of the district with an IEP in effect on the count date:
  an IEP finalized (active, superseded or ended, never a draft) whose dates hold the day
  (`effective_from` on or before it, `effective_to` on or after it, or open). A 504 Plan alone is
  not counted; an IEP that ended the day before is not. An IEP still marked active whose end
  date (the annual review) passed before the count date is listed, not counted: whether it still
  counts is the state's call, and the director reconciles it.
- Ages are whole years on the count date. FS002: ages 6 through 21, and 5-year-olds in
  kindergarten. FS089: ages 3 through 5 not in FS002. The grade is that of the enrollment open on
  the count date (else the student's current grade).
- Disability: the primary category of the newest IEP eligibility decided on or before the day
  (EDFacts code; deafness is reported as HI). Race/ethnicity: the seven federal categories
  (Hispanic first, then one race, else two or more). Sex: M, F or X. English learner: LEP/NLEP.
- Environment: from the IEP's version in effect that day (the newest written on or before it):
  an explicit federal code in its least restrictive environment section (`environment`, as an
  import records it) if it is one of the age group's; else, school age, the placement reported
  instead of the minutes, else the time inside the regular class computed from its services
  (tandem.plans' own LRE reading). Early childhood has no minutes rule: only an explicit code, or a
  separate school or residential placement, gives it; otherwise it is missing.
- A plan imported from the district's earlier system (tandem.interop) has no version: its
  environment and disability are those its import record kept (read through the plan's
  reverse relation, so this module does not depend on the import's app).
- FS009: students 14 through 21 (age on the exit date) whose IEP ended with a basis of exit
  between July 1 and June 30; a student who exited twice is counted once, at the last exit.
- A student who cannot be counted (missing environment, disability, race/ethnicity, an age
  outside 3-21 that says the date of birth is wrong) is listed with every reason, never dropped.

Reads only, in a fixed number of queries whatever the district's size.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from types import SimpleNamespace
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Q, QuerySet
from django.db.models.fields.json import KeyTransform

from tandem.people.models import District, Enrollment, Grade, Student
from tandem.plans.forms_editor import compute_lre, school_day_minutes
from tandem.plans.models import Plan as PlanModel
from tandem.plans.models import PlanKind, PlanStatus, PlanVersion, fs009_code
from tandem.referrals.models import EDFACTS_CODE, EligibilityDecision, EligibilityOutcome
from tandem.rules.lre import EarlyChildhoodEnvironment, SchoolAgeEnvironment

FS002, FS089, FS009 = "FS002", "FS089", "FS009"
SCHOOL_AGE_CODES = tuple(str(c) for c in SchoolAgeEnvironment)
EARLY_CHILDHOOD_CODES = tuple(str(c) for c in EarlyChildhoodEnvironment)
RACE_CODES = ("HI7", "AM7", "AS7", "BL7", "PI7", "WH7", "MU7")
DISABILITY_CODES = tuple(sorted(set(EDFACTS_CODE.values())))
EXIT_CODES = ("GHS", "GRADALTDPL", "RC", "RMA", "D", "MKC", "DROPOUT", "TRAN")
SEX_CODES = ("F", "M", "X")
EL_CODES = ("LEP", "NLEP")
FINALIZED = (PlanStatus.ACTIVE, PlanStatus.SUPERSEDED, PlanStatus.ENDED)
# The dimensions a count is broken down by; each counted student has a value for each.
DIMENSIONS = ("disability", "age", "race", "sex", "english_learner", "environment", "basis")
# Reasons a student cannot be counted (the page words them).
NO_DISABILITY = "no_disability"
NO_RACE = "no_race"
NO_ENVIRONMENT = "no_environment"
BAD_AGE = "bad_age"
REVIEW_OVERDUE = "review_overdue"
UNDER_14 = "under_14"


@dataclass(frozen=True, slots=True)
class Counted:
    """One student as a federal file counts them: each dimension's code."""

    student_id: int
    file: str
    values: Mapping[str, str]

    def matches(self, wanted: Mapping[str, str]) -> bool:
        return all(self.values.get(k) == v for k, v in wanted.items())


@dataclass(frozen=True, slots=True)
class Uncounted:
    student_id: int
    reasons: tuple[str, ...]
    detail: Mapping[str, Any] = field(default_factory=dict)


@dataclass
class Result:
    """What a report counted and could not count, with the students' rows for the pages."""

    counted: list[Counted]
    uncounted: list[Uncounted]
    students: dict[int, Facts]

    def for_file(self, file: str) -> list[Counted]:
        return [c for c in self.counted if c.file == file]

    def tally(self, file: str, *dims: str) -> Counter[tuple[str, ...]]:
        return Counter(tuple(c.values[d] for d in dims) for c in self.for_file(file))

    def matching(self, file: str, wanted: Mapping[str, str]) -> list[Counted]:
        return [c for c in self.for_file(file) if c.matches(wanted)]


# --- dates -----------------------------------------------------------------------------------


def first_wednesday_of_october(year: int) -> date:
    first = date(year, 10, 1)
    return first + timedelta(days=(2 - first.weekday()) % 7)


def default_count_date(district: District, today: date) -> date:
    """The district's chosen day (setting `child_count_day`, "MM-DD") else the first Wednesday of
    October, of this fall if it has come, else of last fall."""
    wanted = str((district.settings or {}).get("child_count_day", ""))

    def on(year: int) -> date:
        try:
            month, day = (int(p) for p in wanted.split("-"))
            return date(year, month, day)
        except ValueError:
            return first_wednesday_of_october(year)

    this_fall = on(today.year)
    return this_fall if this_fall <= today else on(today.year - 1)


def school_year(start_year: int) -> tuple[date, date]:
    """July 1 to June 30: the year FS009 reports."""
    return date(start_year, 7, 1), date(start_year + 1, 6, 30)


def default_exit_year(today: date) -> int:
    """The last school year already over."""
    return today.year - 1 if today >= date(today.year, 6, 30) else today.year - 2


def age_on(born: date, day: date) -> int:
    return day.year - born.year - ((day.month, day.day) < (born.month, born.day))


def file_for(age: int, grade: str) -> str | None:
    """FS002 (6-21, or 5 in kindergarten), FS089 (3-5 otherwise), or None (outside 3-21)."""
    if 6 <= age <= 21 or (age == 5 and grade == Grade.K):
        return FS002
    if 3 <= age <= 5:
        return FS089
    return None


# --- the student's facts ---------------------------------------------------------------------


def _grades_on(ids: Iterable[int], day: date) -> dict[int, str]:
    rows = (
        Enrollment.objects.filter(student_id__in=list(ids), entry_date__lte=day)
        .filter(Q(exit_date__isnull=True) | Q(exit_date__gte=day))
        .order_by("entry_date", "id")
        .values_list("student_id", "grade")
    )
    return dict(rows)  # the latest stay open that day wins


def _disabilities_on(ids: Iterable[int], days: Mapping[int, date]) -> dict[int, str]:
    """Each student's EDFacts disability code as decided on or before their day."""
    rows = (
        EligibilityDecision.objects.filter(student_id__in=list(ids), outcome=EligibilityOutcome.IEP)
        .order_by("decided_on", "id")
        .values_list("student_id", "decided_on", "primary_category")
    )
    found: dict[int, str] = {}
    for student_id, decided_on, category in rows:
        if decided_on <= days[student_id]:
            found[student_id] = EDFACTS_CODE.get(category, "")
    return found


@dataclass(frozen=True, slots=True)
class Facts:
    """What the counts read of a student: plain values, not a model (tens of thousands load)."""

    date_of_birth: date
    grade: str
    sex: str
    english_learner: bool
    race: str
    last_name: str
    first_name: str


def _race(hispanic: bool, *races: tuple[str, bool]) -> str:
    """Student.federal_race_ethnicity over plain values: Hispanic first, one race, or MU7."""
    if hispanic:
        return "HI7"
    found = [code for code, flag in races if flag]
    return "MU7" if len(found) > 1 else (found[0] if found else "")


def _demographics(student: Facts, values: dict[str, str]) -> list[str]:
    reasons = []
    values["race"] = student.race
    if not values["race"]:
        reasons.append(NO_RACE)
    values["sex"] = student.sex
    values["english_learner"] = "LEP" if student.english_learner else "NLEP"
    return reasons


def _students(ids: Iterable[int]) -> dict[int, Facts]:
    rows = Student.objects.filter(pk__in=list(ids)).values_list(
        "id", "date_of_birth", "grade", "sex", "english_learner", "legal_last_name",
        "legal_first_name", "hispanic_latino", "race_american_indian", "race_asian",
        "race_black", "race_pacific_islander", "race_white",
    )  # fmt: skip
    return {
        pk: Facts(born, grade, sex, el, _race(hi, ("AM7", am), ("AS7", asian), ("BL7", bl),
                                              ("PI7", pi), ("WH7", wh)), last, first)
        for pk, born, grade, sex, el, last, first, hi, am, asian, bl, pi, wh in rows
    }  # fmt: skip


# --- the environment -------------------------------------------------------------------------


def _versions_on(plan_ids: list[int], day: date) -> dict[int, dict[str, Any]]:
    """Each plan's version in effect on `day` (the newest written by then, else its first):
    only its services and least restrictive environment section, not the whole snapshot."""
    rows = (
        PlanVersion.objects.filter(plan_id__in=plan_ids)
        .order_by("plan_id", "number")
        .values(
            "plan_id",
            "created_at",
            services=KeyTransform("services", "snapshot"),
            lre=KeyTransform("lre", KeyTransform("sections", "snapshot")),
        )
    )
    chosen: dict[int, dict[str, Any]] = {}
    for row in rows:
        first = row["plan_id"] not in chosen
        if first or row["created_at"].date() <= day:
            chosen[row["plan_id"]] = row
    return chosen


def _imported(plan_ids: list[int]) -> dict[int, tuple[str, str]]:
    """Per imported plan: the 618 environment and the EDFacts disability its record kept."""
    try:
        PlanModel._meta.get_field("imported_record")
    except FieldDoesNotExist:  # the import's app is not installed
        return {}
    rows = PlanModel.objects.filter(pk__in=plan_ids, imported_record__isnull=False).values_list(
        "pk", "imported_record__environment", "imported_record__disabilities"
    )
    found = {}
    for plan_id, environment, disabilities in rows:
        first = next((d for d in disabilities or [] if d.get("category")), None)
        code = EDFACTS_CODE.get(first["category"], "") if first else ""
        found[plan_id] = (environment or "", code)
    return found


_EC_PLACEMENTS = {"SS": "SS", "RF": "RF"}


def environment_of(version: Mapping[str, Any] | None, file: str, district: District) -> str:
    """The federal environment code of a version for `file`'s age group, or '' when missing."""
    if version is None:
        return ""
    found_lre, found_services = version.get("lre"), version.get("services")
    lre: Mapping[str, Any] = found_lre if isinstance(found_lre, dict) else {}
    explicit = str(lre.get("environment", "") or "")
    placement = str(lre.get("placement", "") or "")
    if file == FS089:
        if explicit in EARLY_CHILDHOOD_CODES:
            return explicit
        return _EC_PLACEMENTS.get(placement, "")
    if explicit in SCHOOL_AGE_CODES:
        return explicit
    services: list[Any] = found_services if isinstance(found_services, list) else []
    measured = [s for s in services if s.get("minutes") and s.get("times") and s.get("per")]
    if not measured and not placement:
        return ""  # no minutes to measure the time in the regular class by
    return _measured(json.dumps(measured, sort_keys=True), placement, school_day_minutes(district))


@lru_cache(maxsize=4096)
def _measured(services: str, placement: str, day_minutes: int) -> str:
    """The school-age category of a set of services: many IEPs carry the same set, and the
    reading is exact arithmetic on fractions, so each distinct set is computed once."""
    district = SimpleNamespace(settings={"school_day_minutes": day_minutes})
    reading = compute_lre(json.loads(services), district=district, placement=placement)
    return reading.category if reading.ok else ""


# --- the child count -------------------------------------------------------------------------


def _plans_on(students: QuerySet[Student], day: date) -> tuple[dict[int, int], list[int]]:
    """Per student, the IEP in effect on `day`; and the students whose active IEP ran out."""
    plans = PlanModel.objects.filter(
        student__in=students, kind=PlanKind.IEP, effective_from__lte=day
    )
    in_effect = (
        plans.filter(status__in=FINALIZED)
        .filter(Q(effective_to__isnull=True) | Q(effective_to__gte=day))
        .order_by("effective_from", "id")
        .values_list("student_id", "id")
    )
    found = dict(in_effect)
    ran_out = plans.filter(status=PlanStatus.ACTIVE, effective_to__lt=day).values_list(
        "student_id", flat=True
    )
    return found, [s for s in ran_out if s not in found]


def child_count(district: District, students: QuerySet[Student], day: date) -> Result:
    """The FS002 and FS089 counts of `students` (the district's, as the reader may see them)."""
    plan_of, ran_out = _plans_on(students, day)
    ids = list(plan_of) + ran_out
    rows = _students(ids)
    grades = _grades_on(ids, day)
    disabilities = _disabilities_on(plan_of, dict.fromkeys(plan_of, day))
    versions = _versions_on(list(plan_of.values()), day)
    imported = _imported([p for p in plan_of.values() if p not in versions])
    counted, uncounted = [], []
    for student_id in ran_out:
        uncounted.append(Uncounted(student_id, (REVIEW_OVERDUE,)))
    for student_id, plan_id in plan_of.items():
        student = rows[student_id]
        grade = grades.get(student_id, student.grade)
        age = age_on(student.date_of_birth, day)
        file = file_for(age, grade)
        values = {"age": str(age), "grade": grade}
        reasons = _demographics(student, values)
        if file is None:
            reasons.insert(0, BAD_AGE)
        kept = imported.get(plan_id, ("", ""))
        values["disability"] = disabilities.get(student_id, "") or kept[1]
        if not values["disability"]:
            reasons.append(NO_DISABILITY)
        if file is not None:
            version = versions.get(plan_id) or {"lre": {"environment": kept[0]}}
            values["environment"] = environment_of(version, file, district)
            if not values["environment"]:
                reasons.append(NO_ENVIRONMENT)
        if reasons:
            detail = {"age": age, "grade": grade, "file": file or ""}
            uncounted.append(Uncounted(student_id, tuple(reasons), detail))
        else:
            assert file is not None
            counted.append(Counted(student_id, file, values))
    return Result(counted, uncounted, rows)


# --- exiting ---------------------------------------------------------------------------------


def exiting(district: District, students: QuerySet[Student], start_year: int) -> Result:
    """FS009: students 14-21 whose IEP ended with a basis of exit in the school year."""
    start, end = school_year(start_year)
    exits = (
        PlanModel.objects.filter(
            student__in=students,
            kind=PlanKind.IEP,
            exit_date__gte=start,
            exit_date__lte=end,
        )
        .exclude(exit_reason="")
        .order_by("exit_date", "id")
        .values_list("student_id", "exit_date", "exit_reason", "id")
    )
    last = {student_id: (on, reason, plan_id) for student_id, on, reason, plan_id in exits}
    rows = _students(last)
    disabilities = _disabilities_on(last, {s: on for s, (on, _r, _p) in last.items()})
    imported = _imported([plan_id for _o, _r, plan_id in last.values()])
    counted, uncounted = [], []
    for student_id, (on, reason, plan_id) in last.items():
        student = rows[student_id]
        age = age_on(student.date_of_birth, on)
        values = {"age": str(age), "basis": fs009_code(reason), "exit_date": on.isoformat()}
        reasons = _demographics(student, values)
        if age < 14:
            reasons.insert(0, UNDER_14)
        elif age > 21:
            reasons.insert(0, BAD_AGE)
        values["disability"] = (
            disabilities.get(student_id, "") or imported.get(plan_id, ("", ""))[1]
        )
        if not values["disability"]:
            reasons.append(NO_DISABILITY)
        if reasons:
            uncounted.append(Uncounted(student_id, tuple(reasons), {"age": age, "file": FS009}))
        else:
            counted.append(Counted(student_id, FS009, values))
    return Result(counted, uncounted, rows)
