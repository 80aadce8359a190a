"""Service minutes: what a plan's service owes per week and what was delivered, missed and owed.

Pure Python (no Django): a mandate (minutes x times per day, week or month, from a start to an end
date), the district's school calendar and the sessions logged for one student and one service line
in; one row per school week out, each with its explanation. docs/services.md explains the words
("The words"), the attendance codes ("Attendance codes") and the rules MIN-1, MIN-2 and MISS-1 to
MISS-3 with their sources ("The rules").

Defaults chosen here, each a setting (`MinuteRules`), not a law:

* **Closed days pro-rate the mandate by school days (MIN-1).** The research leaves "whether
  closures reduce the amount owed" to the district and names no single default ([K]); Tandem's
  default is that a calendar holiday or break owes only the school days' share: a week's amount
  times (school days in the week inside the service's dates) / 5, rounded to the nearest minute
  (halves up). A week with no school day owes nothing. A service that starts or ends mid-week is
  pro-rated the same way. A per-month service owes its amount times (school days of the month
  inside the service's dates) / (weekdays of the month), shown in the weeks where those school days
  fall. A per-day service owes its amount on every school day.
* **An unplanned closure logged as SCHOOL_CLOSED is owed** (MISS-3: "default to owed"); a day the
  calendar already marks closed is NO_SCHOOL and owes nothing.
* **Owed codes** (the defaults of "Attendance codes"): PROVIDER_ABSENT, PROVIDER_UNAVAILABLE,
  FACILITATOR_MISSING, STUDENT_UNAVAILABLE, SCHOOL_CLOSED, and the minutes lost on a
  TECH_FAILURE are owed back; STUDENT_ABSENT and STUDENT_REFUSED are not (MISS-1);
  DELIVERED_PARTIAL's remainder is owed only when the log says the provider or the technology
  caused it.
* **Extra minutes do not carry over** into another week (MIN-1), and a MAKEUP counts toward the week
  of the session it replaces (MIN-2).
* **Owed back** in a week is the owed misses not yet made up, never more than that week's shortfall
  (a week that still met its amount owes nothing). These are compensatory minutes *proposed*: the
  IEP team decides the award (COMP-1, OSEP QA 21-06); the rules only count.

**A service written per year or per grading period** is not split into weeks: the whole amount is
owed over the service's dates (`per="year"` or `per="period"`), returned as one period from start
to end, so a weekly shortfall is never invented from a total the plan did not divide. (Plans today
only offer day, week and month.)
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache

from tandem.rules.calendar import InvalidInput, SchoolCalendar

ONE_DAY = timedelta(days=1)
WEEKDAYS_IN_A_SCHOOL_WEEK = 5


class Code(StrEnum):
    """Attendance and outcome codes (docs/services.md, "Attendance codes")."""

    DELIVERED = "delivered"
    DELIVERED_PARTIAL = "delivered_partial"
    MAKEUP = "makeup"
    COMPENSATORY = "compensatory"
    CONSULT = "consult"
    STUDENT_ABSENT = "student_absent"
    STUDENT_REFUSED = "student_refused"
    STUDENT_UNAVAILABLE = "student_unavailable"
    PROVIDER_ABSENT = "provider_absent"
    PROVIDER_UNAVAILABLE = "provider_unavailable"
    SCHOOL_CLOSED = "school_closed"
    TECH_FAILURE = "tech_failure"
    FACILITATOR_MISSING = "facilitator_missing"
    NO_SCHOOL = "no_school"


# Codes whose minutes count as delivered in the session's own week (MAKEUP: the replaced week).
DELIVERING = frozenset({Code.DELIVERED, Code.DELIVERED_PARTIAL, Code.TECH_FAILURE, Code.MAKEUP})
STUDENT_CAUSED = frozenset({Code.STUDENT_ABSENT, Code.STUDENT_REFUSED, Code.STUDENT_UNAVAILABLE})
DEFAULT_OWED = frozenset(
    {
        Code.PROVIDER_ABSENT,
        Code.PROVIDER_UNAVAILABLE,
        Code.FACILITATOR_MISSING,
        Code.STUDENT_UNAVAILABLE,
        Code.SCHOOL_CLOSED,
        Code.TECH_FAILURE,
    }
)


class Per(StrEnum):
    DAY = "day"
    WEEK = "week"
    MONTH = "month"
    YEAR = "year"
    PERIOD = "period"  # a grading period


@dataclass(frozen=True, slots=True)
class MinuteRules:
    """The district's settings; defaults per docs/services.md and the module docstring."""

    owed_codes: frozenset[Code] = DEFAULT_OWED
    prorate_closed_days: bool = True


@dataclass(frozen=True, slots=True)
class Mandate:
    """One service line: `minutes` x `times` per `per`, from `start` to `end` (both inclusive)."""

    minutes: int
    times: int
    per: Per
    start: date
    end: date

    def __post_init__(self) -> None:
        if self.minutes < 1:
            raise InvalidInput("minutes: must be at least 1")
        if self.times < 1:
            raise InvalidInput("times: must be at least 1")
        if self.end < self.start:
            raise InvalidInput("end: is before start")

    @property
    def amount(self) -> int:
        """Minutes per `per`, e.g. 30 x 2 = 60 a week."""
        return self.minutes * self.times


@dataclass(frozen=True, slots=True)
class Session:
    """One student's outcome of one session for this service line."""

    day: date
    code: Code
    minutes: int = 0  # actual minutes with the student (0 when not held)
    planned: int | None = None  # the minutes it was meant to last; default the mandate's minutes
    makeup_for: date | None = None  # MAKEUP: the day of the missed session it replaces
    provider_caused: bool = False  # DELIVERED_PARTIAL: the remainder was the provider's or tech's


@dataclass(slots=True)
class Period:
    """One week (Monday to Sunday) or, for per-year services, the service's whole span."""

    start: date
    end: date
    school_days: int
    mandated: int
    delivered: int = 0
    made_up: int = 0
    missed: dict[Code, int] = field(default_factory=dict)
    owed_missed: int = 0  # minutes missed for owed causes
    why: list[str] = field(default_factory=list)

    @property
    def shortfall(self) -> int:
        return max(0, self.mandated - self.delivered - self.made_up)

    @property
    def owed(self) -> int:
        """Compensatory minutes owed back: owed misses not made up, at most the shortfall."""
        return min(self.shortfall, max(0, self.owed_missed - self.made_up))


def _half_up(numerator: int, denominator: int) -> int:
    return (2 * numerator + denominator) // (2 * denominator)


def _monday(day: date) -> date:
    return day - timedelta(days=day.weekday())


def _school_days(calendar: SchoolCalendar, start: date, end: date) -> list[date]:
    days, day = [], start
    while day <= end:
        if calendar.is_school_day(day):
            days.append(day)
        day += ONE_DAY
    return days


def _month_share(mandate: Mandate, calendar: SchoolCalendar, rules: MinuteRules) -> dict[date, int]:
    """Per-month amount pro-rated by school days, spread over the weeks its school days fall in."""
    shares: dict[date, int] = defaultdict(int)
    month = mandate.start.replace(day=1)
    while month <= mandate.end:
        following = (month + timedelta(days=32)).replace(day=1)
        last = following - ONE_DAY
        weekdays = sum(
            1 for i in range((last - month).days + 1) if (month + timedelta(i)).weekday() < 5
        )
        inside = _school_days(calendar, max(month, mandate.start), min(last, mandate.end))
        if rules.prorate_closed_days:
            owed = _half_up(mandate.amount * len(inside), weekdays)
        else:
            owed = mandate.amount if inside else 0
        # Spread the month's minutes over its school days, rounding so the parts add up.
        given = 0
        for position, day in enumerate(inside, start=1):
            part = _half_up(owed * position, len(inside)) - given
            shares[_monday(day)] += part
            given += part
        month = following
    return shares


def mandate_periods(
    mandate: Mandate, calendar: SchoolCalendar, rules: MinuteRules = MinuteRules()
) -> list[Period]:
    """The minutes owed per school week from the mandate's start to its end, with the reason."""
    return [
        Period(start, end, days, owed, why=[why])
        for start, end, days, owed, why in _owed_by_period(mandate, calendar, rules)
    ]


@lru_cache(maxsize=4096)
def _owed_by_period(
    mandate: Mandate, calendar: SchoolCalendar, rules: MinuteRules
) -> tuple[tuple[date, date, int, int, str], ...]:
    """(start, end, school days, minutes owed, why) per period, computed once per mandate shape.

    Walking the calendar day by day is the costly part of the accounting, and a district's
    mandates share few shapes (amount, dates, calendar): the director's page counts every
    mandate of a district, so each shape is walked once, not once per student.
    """
    if mandate.per in (Per.YEAR, Per.PERIOD):
        days = _school_days(calendar, mandate.start, mandate.end)
        why = f"{mandate.amount} minutes over the whole span (per {mandate.per.value}), not split into weeks"
        return ((mandate.start, mandate.end, len(days), mandate.amount, why),)
    month_shares = _month_share(mandate, calendar, rules) if mandate.per == Per.MONTH else {}
    periods: list[tuple[date, date, int, int, str]] = []
    monday = _monday(mandate.start)
    while monday <= mandate.end:
        sunday = monday + timedelta(days=6)
        days = _school_days(calendar, max(monday, mandate.start), min(sunday, mandate.end))
        if mandate.per == Per.DAY:
            owed = mandate.amount * len(days)
            why = f"{mandate.amount} minutes on each of {len(days)} school days"
        elif mandate.per == Per.WEEK:
            if rules.prorate_closed_days:
                owed = _half_up(mandate.amount * len(days), WEEKDAYS_IN_A_SCHOOL_WEEK)
            else:
                owed = mandate.amount if days else 0
            why = f"{mandate.amount} minutes a week x {len(days)}/5 school days"
        else:
            owed = month_shares.get(monday, 0)
            why = f"this week's share of {mandate.amount} minutes a month, by school days"
        periods.append((monday, sunday, len(days), owed, why))
        monday += timedelta(days=7)
    return tuple(periods)


def account(
    mandate: Mandate,
    calendar: SchoolCalendar,
    sessions: Iterable[Session],
    rules: MinuteRules = MinuteRules(),
) -> list[Period]:
    """Per period: mandated, delivered, made up, missed by code, owed back (see the module doc)."""
    periods = mandate_periods(mandate, calendar, rules)
    weekly = mandate.per not in (Per.YEAR, Per.PERIOD)
    by_monday = {period.start: period for period in periods} if weekly else {}

    def period_of(day: date) -> Period | None:
        if weekly:
            return by_monday.get(_monday(day))
        for period in periods:
            if period.start <= day <= period.end:
                return period
        return None

    for session in sessions:
        when = (
            session.makeup_for
            if session.code == Code.MAKEUP and session.makeup_for
            else session.day
        )
        period = period_of(when)
        if period is None:
            continue  # outside the service's dates: counts toward nothing here
        planned = mandate.minutes if session.planned is None else session.planned
        actual = max(0, session.minutes)
        if session.code == Code.MAKEUP:
            period.made_up += actual
            continue
        if session.code in (Code.COMPENSATORY, Code.CONSULT, Code.NO_SCHOOL):
            continue  # an award's ledger, a consult mandate, or not a session (MIN-2, codes)
        if session.code in DELIVERING:
            period.delivered += actual
        lost = max(0, planned - actual)
        if session.code == Code.DELIVERED or lost == 0:
            continue
        period.missed[session.code] = period.missed.get(session.code, 0) + lost
        owed = session.code in rules.owed_codes or (
            session.code == Code.DELIVERED_PARTIAL and session.provider_caused
        )
        if owed:
            period.owed_missed += lost
    return periods


@dataclass(frozen=True, slots=True)
class Totals:
    mandated: int
    delivered: int
    made_up: int
    missed: dict[Code, int]
    owed: int

    @property
    def percent(self) -> int | None:
        """Delivered and made-up minutes as a whole percent of the mandate; None if none owed."""
        if self.mandated == 0:
            return None
        return _half_up(100 * min(self.mandated, self.delivered + self.made_up), self.mandated)


def totals(periods: Sequence[Period]) -> Totals:
    """Add periods up; each period's extra minutes stay in that period (no carry-over)."""
    missed: dict[Code, int] = defaultdict(int)
    for period in periods:
        for code, minutes in period.missed.items():
            missed[code] += minutes
    return Totals(
        mandated=sum(p.mandated for p in periods),
        delivered=sum(min(p.delivered, p.mandated) for p in periods),
        made_up=sum(min(p.made_up, max(0, p.mandated - p.delivered)) for p in periods),
        missed=dict(missed),
        owed=sum(p.owed for p in periods),
    )
