"""Least restrictive environment: time inside the regular class and the IDEA §618 category.

Percent inside the regular class = minutes inside the regular class ÷ minutes of the whole school
day (lunch, recess and study periods included) × 100, per OSEP's FS002 instructions; services
delivered outside the regular class are what take a student out of it.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum
from fractions import Fraction

from tandem.rules.calendar import InvalidInput

__all__ = [
    "WEEKS_PER_MONTH",
    "EarlyChildhoodEnvironment",
    "EarlyChildhoodPlacement",
    "EarlyChildhoodResult",
    "InvalidLRE",
    "LineMinutes",
    "Location",
    "Period",
    "SchoolAgeEnvironment",
    "SchoolAgeResult",
    "SchoolWeek",
    "SeparatePlacement",
    "ServiceLine",
    "early_childhood_environment",
    "school_age_environment",
    "weekly_minutes",
]

# A month of service is counted as 4.33 weeks (52 weeks ÷ 12 months, rounded as IEPs usually do).
WEEKS_PER_MONTH = Fraction(433, 100)
_CITATION = "IDEA §618; EDFacts FS002"
_EC_CITATION = "IDEA §618; EDFacts FS089"
_EC_HOURS = 10


class InvalidLRE(InvalidInput):
    """The school week or a service line cannot be used to compute time in the regular class."""


class Period(StrEnum):
    """How often a service line's `times` recur."""

    DAY = "day"
    WEEK = "week"
    MONTH = "month"


class Location(StrEnum):
    """Where a service is delivered relative to the regular class."""

    INSIDE = "inside"  # push-in, co-taught: the student stays in the regular class
    OUTSIDE = "outside"  # pull-out, separate class: time removed from the regular class


class SchoolAgeEnvironment(StrEnum):
    """IDEA §618 educational environments, school age (EDFacts FS002 permitted values)."""

    RC80 = "RC80"
    RC79TO40 = "RC79TO40"
    RC39 = "RC39"
    SS = "SS"
    RF = "RF"
    HH = "HH"
    CF = "CF"
    PPPS = "PPPS"


class SeparatePlacement(StrEnum):
    """School-age placements that are reported as such whatever the minutes say."""

    SEPARATE_SCHOOL = "SS"
    RESIDENTIAL_FACILITY = "RF"
    HOMEBOUND_HOSPITAL = "HH"
    CORRECTIONAL_FACILITY = "CF"
    PARENTALLY_PLACED_PRIVATE = "PPPS"


class EarlyChildhoodEnvironment(StrEnum):
    """IDEA §618 educational environments, ages 3-5 not in kindergarten."""

    REC10YSVCS = "REC10YSVCS"
    REC10YOTHLOC = "REC10YOTHLOC"
    REC09YSVCS = "REC09YSVCS"
    REC09YOTHLOC = "REC09YOTHLOC"
    SC = "SC"
    SS = "SS"
    RF = "RF"
    H = "H"
    SPL = "SPL"


class EarlyChildhoodPlacement(StrEnum):
    """Where a child who attends no regular early childhood program receives services."""

    SEPARATE_CLASS = "SC"
    SEPARATE_SCHOOL = "SS"
    RESIDENTIAL_FACILITY = "RF"
    HOME = "H"
    SERVICE_PROVIDER_LOCATION = "SPL"


_LABELS: dict[str, str] = {
    "RC80": "inside regular class 80% or more of the day",
    "RC79TO40": "inside regular class 40% through 79% of the day",
    "RC39": "inside regular class less than 40% of the day",
    "SS": "separate school",
    "RF": "residential facility",
    "HH": "homebound/hospital",
    "CF": "correctional facility",
    "PPPS": "parentally placed in private school",
    "REC10YSVCS": (
        "regular early childhood program at least 10 hours a week, "
        "majority of special education services received in that program"
    ),
    "REC10YOTHLOC": (
        "regular early childhood program at least 10 hours a week, "
        "majority of special education services received in some other location"
    ),
    "REC09YSVCS": (
        "regular early childhood program less than 10 hours a week, "
        "majority of special education services received in that program"
    ),
    "REC09YOTHLOC": (
        "regular early childhood program less than 10 hours a week, "
        "majority of special education services received in some other location"
    ),
    "SC": "separate special education class",
    "H": "home",
    "SPL": "service provider location",
}


@dataclass(frozen=True, slots=True)
class SchoolWeek:
    """The whole school week in minutes, lunch, recess and study periods included."""

    minutes_per_day: int
    days_per_week: int = 5

    @property
    def minutes(self) -> int:
        return self.minutes_per_day * self.days_per_week

    @classmethod
    def from_week(cls, minutes_per_week: int, *, days_per_week: int = 5) -> SchoolWeek:
        """A school week given as a weekly total; the days only matter for daily services."""
        if days_per_week < 1 or minutes_per_week % days_per_week:
            raise InvalidLRE(
                f"a school week of {minutes_per_week:,} minutes does not split evenly into "
                f"{days_per_week} days: give the minutes per day instead"
            )
        return cls(minutes_per_day=minutes_per_week // days_per_week, days_per_week=days_per_week)


@dataclass(frozen=True, slots=True)
class ServiceLine:
    """One service as written in the plan: `minutes`, `times` per `per`, inside or outside."""

    minutes: int
    times: int
    per: Period
    location: Location
    name: str = "service"


@dataclass(frozen=True, slots=True)
class LineMinutes:
    """A service line converted to minutes a week, with how."""

    line: ServiceLine
    minutes_per_week: Fraction
    reason: str


@dataclass(frozen=True, slots=True)
class SchoolAgeResult:
    """Minutes outside the regular class, percent inside, and the FS002 category, with reasons."""

    category: SchoolAgeEnvironment
    week_minutes: int
    outside_minutes: Fraction
    inside_minutes: Fraction
    percent_inside: Fraction
    lines: tuple[LineMinutes, ...]
    outside_reason: str
    reason: str

    @property
    def whole_percent_inside(self) -> int:
        """The percent shown to people: rounded down, so it never crosses a boundary upward."""
        return math.floor(self.percent_inside)


@dataclass(frozen=True, slots=True)
class EarlyChildhoodResult:
    """The early-childhood category and why."""

    category: EarlyChildhoodEnvironment
    reason: str


def _minutes(value: Fraction) -> str:
    """1,710 for whole minutes; 1,706.3 otherwise (a monthly service rarely divides evenly)."""
    if value.denominator == 1:
        return f"{value.numerator:,}"
    return f"{float(value):,.1f}"


def _plural(count: int, word: str) -> str:
    return f"{count:,} {word}" if count == 1 else f"{count:,} {word}s"


def _check_week(week: SchoolWeek) -> None:
    if not 1 <= week.days_per_week <= 7:
        raise InvalidLRE(f"school days per week must be between 1 and 7, not {week.days_per_week}")
    if week.minutes_per_day <= 0:
        raise InvalidLRE(
            f"the school day must be longer than 0 minutes, not {week.minutes_per_day}"
        )


def weekly_minutes(line: ServiceLine, week: SchoolWeek) -> LineMinutes:
    """A service line in minutes a week: months count as 4.33 weeks, days as school days."""
    if line.minutes < 0:
        raise InvalidLRE(f"{line.name}: minutes cannot be negative ({line.minutes})")
    if line.minutes == 0:
        raise InvalidLRE(f"{line.name}: a service needs a duration of more than 0 minutes")
    if line.times < 1:
        raise InvalidLRE(f"{line.name}: a service must happen at least once ({line.times} times)")
    each = f"{line.name}: {line.minutes} min × {line.times} a {line.per}"
    total = line.minutes * line.times
    if line.per is Period.WEEK:
        weekly = Fraction(total)
        reason = f"{each} = {_minutes(weekly)} minutes a week"
    elif line.per is Period.DAY:
        weekly = Fraction(total * week.days_per_week)
        reason = (
            f"{each} × {week.days_per_week} school days a week = {_minutes(weekly)} minutes a week"
        )
    else:
        weekly = total / WEEKS_PER_MONTH
        reason = (
            f"{each} ÷ 4.33 weeks a month (52 weeks ÷ 12 months) = "
            f"{_minutes(weekly)} minutes a week"
        )
    if weekly > week.minutes:
        raise InvalidLRE(
            f"{line.name}: {_minutes(weekly)} minutes a week is more than the "
            f"{week.minutes:,}-minute school week"
        )
    return LineMinutes(line=line, minutes_per_week=weekly, reason=reason)


def school_age_environment(
    week: SchoolWeek,
    services: Sequence[ServiceLine],
    *,
    placement: SeparatePlacement | None = None,
) -> SchoolAgeResult:
    """Time outside the regular class, percent inside, and the school-age §618 category."""
    _check_week(week)
    lines = tuple(weekly_minutes(line, week) for line in services)
    outside = sum(
        (item.minutes_per_week for item in lines if item.line.location is Location.OUTSIDE),
        Fraction(0),
    )
    if outside > week.minutes:
        raise InvalidLRE(
            f"services outside the regular class add up to {_minutes(outside)} minutes a week, "
            f"more than the {week.minutes:,}-minute school week"
        )
    inside = week.minutes - outside
    percent = inside * 100 / week.minutes
    shown = math.floor(percent)
    pulled = [item for item in lines if item.line.location is Location.OUTSIDE]
    if pulled:
        outside_reason = (
            f"Outside the regular class {_minutes(outside)} minutes a week: "
            + "; ".join(item.reason for item in pulled)
            + "."
        )
    else:
        outside_reason = "No service is delivered outside the regular class: 0 minutes a week."
    measured = (
        f"Inside the regular class {shown}% of the day "
        f"({_minutes(inside)} of {week.minutes:,} minutes a week)"
    )
    if placement is not None:
        category = SchoolAgeEnvironment(placement.value)
        reason = (
            f"Explicit placement: {category} — {_LABELS[category]} ({_CITATION}); it is "
            f"reported instead of the percent of the day. {measured}."
        )
    else:
        if percent >= 80:
            category = SchoolAgeEnvironment.RC80
        elif percent >= 40:
            category = SchoolAgeEnvironment.RC79TO40
        else:
            category = SchoolAgeEnvironment.RC39
        reason = f"{measured}: {category} — {_LABELS[category]} ({_CITATION})."
    return SchoolAgeResult(
        category=category,
        week_minutes=week.minutes,
        outside_minutes=outside,
        inside_minutes=inside,
        percent_inside=percent,
        lines=lines,
        outside_reason=outside_reason,
        reason=reason,
    )


def early_childhood_environment(
    *,
    age: int,
    in_kindergarten: bool,
    regular_program_hours_per_week: float,
    majority_of_services_in_regular_program: bool,
    placement: EarlyChildhoodPlacement | None = None,
) -> EarlyChildhoodResult:
    """The §618 category for a child aged 3-5 not in kindergarten; regular programs come first."""
    if in_kindergarten or not 3 <= age <= 5:
        raise InvalidLRE(
            f"early-childhood environments are for ages 3 to 5 not in kindergarten "
            f"(age {age}{', in kindergarten' if in_kindergarten else ''}): "
            "use the school-age environment"
        )
    hours = Fraction(regular_program_hours_per_week)
    if hours < 0:
        raise InvalidLRE(f"hours in a regular early childhood program cannot be negative ({hours})")
    shown = _minutes(hours)
    if hours > 0:
        at_least = hours >= _EC_HOURS
        where = "in that program" if majority_of_services_in_regular_program else "elsewhere"
        codes = {
            (True, True): EarlyChildhoodEnvironment.REC10YSVCS,
            (True, False): EarlyChildhoodEnvironment.REC10YOTHLOC,
            (False, True): EarlyChildhoodEnvironment.REC09YSVCS,
            (False, False): EarlyChildhoodEnvironment.REC09YOTHLOC,
        }
        category = codes[(at_least, majority_of_services_in_regular_program)]
        comparison = "at least" if at_least else "less than"
        reason = (
            f"Attends a regular early childhood program {shown} hours a week ({comparison} "
            f"{_EC_HOURS}), most special education services {where}: {category} — "
            f"{_LABELS[category]} ({_EC_CITATION})."
        )
        if placement is not None:
            reason += (
                f" A child attending a regular program is reported there, not as {placement.value}."
            )
        return EarlyChildhoodResult(category=category, reason=reason)
    if placement is None:
        raise InvalidLRE(
            "the child attends no regular early childhood program: say where services are "
            "received (separate class, separate school, residential facility, home or "
            "service provider location)"
        )
    category = EarlyChildhoodEnvironment(placement.value)
    reason = (
        f"Attends no regular early childhood program; services received in: "
        f"{category} — {_LABELS[category]} ({_EC_CITATION})."
    )
    return EarlyChildhoodResult(category=category, reason=reason)
