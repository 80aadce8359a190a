"""Supervision of assistants (SLPA, COTA, PTA): how many minutes the state's rule asks for.

Pure Python (no Django). A rule is data: per state and assistant discipline, the period it is
measured over (a week or a month) and its phases (a stricter first phase, then the rest), each
a percentage of the assistant's time that must be supervised, and how much of it directly. The
rules and their [S#] sources are explained in docs/services.md ("Supervision of assistants",
"Sources"; SUP-1 to SUP-5 in "The rules"):

* `US` (the default where a state's own rule is not on file), SLPA: ASHA's older guidance,
  30% a week of which 20% direct for the first 90 workdays, then 20% of which 10% direct
  (SUP-1, [S15]). ASHA's current guidance sets no percentage (the SLP documents direct
  supervision of each student every 30-60 days), and state law governs; the older numbers are
  the measurable default.
* `CA`, SLPA, from 1 July 2024: direct supervision of 20% of all duties for the first 90 days
  (SUP-2, [S16]). Our sources give no percentage after the first 90 days, so the default's
  later phase (ASHA: 20%, 10% direct) is used for it and the rule says so (`borrowed`).
* `IL`, COTA: at least 5% of the assistant's hours a month, supervised face to face on site
  in the first year (or a new setting), direct after it (SUP-4, 68 IAC 1315.163, [S19]).
* `TX`, COTA: the 6 h + 2 h monthly rule was repealed in 2019 (SUP-4, [S20]): no minimum.
* COTA and PTA elsewhere: no percentage in our sources (PTA: most states allow general
  supervision with the PT reachable, SUP-5 [S21]); no minimum is measured, the minutes are
  still recorded.

What is measured: the assistant's time is the minutes of the sessions they held in the
period (Tandem logs sessions, not planning or paperwork, so the base is smaller than "all
duties" and the requirement errs low); supervision is what supervisors recorded, direct
(observing or guiding live, in person or by video) and indirect (reviewing notes and plans,
meetings without the students). A percentage is rounded up to whole minutes.

When the start of supervision is not on file, the first (stricter) phase applies: the page says
so rather than assume the assistant is past it.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

FEDERAL = "US"
SLPA, COTA, PTA = "slpa", "cota", "pta"
ONE_DAY = timedelta(days=1)


class Period(StrEnum):
    WEEK = "week"
    MONTH = "month"


class Counting(StrEnum):
    CALENDAR = "calendar"  # every day
    WORKDAYS = "workdays"  # Monday to Friday (a school calendar's closures are not subtracted)


class Kind(StrEnum):
    DIRECT = "direct"
    INDIRECT = "indirect"


@dataclass(frozen=True, slots=True)
class Phase:
    """One stretch of an assistant's supervision: percentages of their time in each period."""

    total_percent: int
    direct_percent: int
    first_days: int | None = None  # lasts the first N days of supervision; None: from then on
    counting: Counting = Counting.CALENDAR
    borrowed: bool = False  # taken from the default rule: the state's own is not on file


@dataclass(frozen=True, slots=True)
class SupervisionRule:
    key: str  # "CA-slpa"
    state: str
    discipline: str
    period: Period
    phases: tuple[Phase, ...]  # in order; empty: the state sets no minimum
    citation: str
    effective: date | None = None  # None: in force before any day Tandem counts (no date given)

    @property
    def measured(self) -> bool:
        return bool(self.phases)


_ASHA_LATER = Phase(total_percent=20, direct_percent=10)
RULES: tuple[SupervisionRule, ...] = (
    SupervisionRule(
        key="US-slpa",
        state=FEDERAL,
        discipline=SLPA,
        period=Period.WEEK,
        phases=(
            Phase(30, 20, first_days=90, counting=Counting.WORKDAYS),
            _ASHA_LATER,
        ),
        # SUP-1: ASHA, older guidance (https://inte.asha.org/practice/supervision/slpa-supervision)
        citation="ASHA SLPA supervision guidance (docs/services.md SUP-1, [S15])",
    ),
    SupervisionRule(
        key="CA-slpa",
        state="CA",
        discipline=SLPA,
        period=Period.WEEK,
        phases=(
            Phase(20, 20, first_days=90, counting=Counting.CALENDAR),
            Phase(_ASHA_LATER.total_percent, _ASHA_LATER.direct_percent, borrowed=True),
        ),
        # SUP-2: speechandhearing.ca.gov, SLPA supervision requirements, from 1 July 2024.
        citation="California SLPAB, SLPA supervision from 1 July 2024 (docs/services.md SUP-2, [S16])",
        effective=date(2024, 7, 1),
    ),
    SupervisionRule(
        key="IL-cota",
        state="IL",
        discipline=COTA,
        period=Period.MONTH,
        phases=(Phase(5, 5, first_days=365, counting=Counting.CALENDAR), Phase(5, 5)),
        # SUP-4: 68 IAC 1315.163 (regulations.justia.com/states/illinois/title-68/part-1315).
        citation="68 Ill. Adm. Code 1315.163 (docs/services.md SUP-4, [S19])",
    ),
    SupervisionRule(
        key="TX-cota",
        state="TX",
        discipline=COTA,
        period=Period.MONTH,
        phases=(),
        # SUP-4: 40 TAC 373.3's monthly hours were repealed (Texas Register, 17 May 2019).
        citation="40 TAC 373.3, repealed 2019 (docs/services.md SUP-4, [S20])",
        effective=date(2019, 5, 17),
    ),
)
_NO_MINIMUM_CITATION = "No percentage in Tandem's sources (docs/services.md SUP-4, SUP-5)"


@dataclass(frozen=True, slots=True)
class Cap:
    """The most assistants one supervisor may take on, and where the number comes from."""

    most: int
    counts: frozenset[str]  # the assistant disciplines counted toward it
    citation: str


# docs/services.md SUP-1 to SUP-5. Where our sources name no number, none is enforced.
CAPS: dict[tuple[str, str], Cap] = {
    # SUP-1: ASHA, no more than 3 SLPAs per SLP.
    (FEDERAL, SLPA): Cap(3, frozenset({SLPA}), "ASHA: at most 3 SLPAs per SLP (SUP-1, [S15])"),
    # SUP-2: California school rules, at most 2 SLPAs per SLP (the licensing rule allows 3 FTE).
    ("CA", SLPA): Cap(
        2, frozenset({SLPA}), "California schools: at most 2 SLPAs per SLP (SUP-2, [S16])"
    ),
    # SUP-3: Texas, at most 4 interns and assistants in total.
    ("TX", SLPA): Cap(
        4, frozenset({SLPA}), "Texas TDLR: at most 4 interns and assistants (SUP-3, [S17])"
    ),
    # SUP-5: New York, at most 4 PTAs per PT.
    ("NY", PTA): Cap(4, frozenset({PTA}), "New York: at most 4 PTAs per PT (SUP-5, [S21])"),
}


def cap_for(state: str, discipline: str) -> Cap | None:
    """The state's cap on assistants per supervisor, else the default for the discipline."""
    return CAPS.get((state, discipline)) or CAPS.get((FEDERAL, discipline))


def rule_for(state: str, discipline: str, *, on: date) -> SupervisionRule:
    """The state's rule for this kind of assistant on `on`, else the default, else no minimum."""
    for wanted in (state, FEDERAL):
        found = [
            r
            for r in RULES
            if r.state == wanted
            and r.discipline == discipline
            and (r.effective is None or r.effective <= on)
        ]
        if found:
            return max(found, key=lambda r: r.effective or date.min)
    return SupervisionRule(
        key=f"{FEDERAL}-{discipline}",
        state=FEDERAL,
        discipline=discipline,
        period=Period.WEEK,
        phases=(),
        citation=_NO_MINIMUM_CITATION,
    )


def _days_between(start: date, end: date, counting: Counting) -> int:
    """Days from `start` (counted) to `end` (not counted); workdays skip Saturday and Sunday."""
    if end <= start:
        return 0
    days = (end - start).days
    if counting == Counting.CALENDAR:
        return days
    weeks, rest = divmod(days, 7)
    extra = sum(1 for i in range(rest) if (start + timedelta(days=i)).weekday() < 5)
    return weeks * 5 + extra


@dataclass(frozen=True, slots=True)
class Requirement:
    phase: Phase | None  # None: no minimum
    index: int  # which phase (0: the first)
    assumed_start: bool  # the start of supervision is not on file: the first phase applies


def requirement(
    rule: SupervisionRule, *, period_start: date, supervised_since: date | None
) -> Requirement:
    """The phase in force at the start of a period, by the days since supervision began."""
    if not rule.phases:
        return Requirement(None, 0, False)
    if supervised_since is None:
        return Requirement(rule.phases[0], 0, True)
    for index, phase in enumerate(rule.phases):
        if phase.first_days is None:
            return Requirement(phase, index, False)
        if _days_between(supervised_since, period_start, phase.counting) < phase.first_days:
            return Requirement(phase, index, False)
    return Requirement(rule.phases[-1], len(rule.phases) - 1, False)


@dataclass(frozen=True, slots=True)
class Figures:
    """One assistant's period: their minutes, the supervision recorded and what the rule asks."""

    start: date
    end: date
    service_minutes: int
    direct: int
    indirect: int
    required_total: int
    required_direct: int
    complete: bool  # the period has ended (one in progress is shown, never flagged)

    @property
    def total(self) -> int:
        return self.direct + self.indirect

    @property
    def short_total(self) -> int:
        return max(0, self.required_total - self.total)

    @property
    def short_direct(self) -> int:
        return max(0, self.required_direct - self.direct)

    @property
    def below(self) -> bool:
        return self.complete and (self.short_total > 0 or self.short_direct > 0)

    @property
    def percent(self) -> int | None:
        """Supervision as a percentage of the assistant's minutes (rounded down), if any."""
        if self.service_minutes <= 0:
            return None
        return self.total * 100 // self.service_minutes


def _share(percent: int, minutes: int) -> int:
    return math.ceil(percent * minutes / 100)


def measure(
    requirement: Requirement,
    *,
    start: date,
    end: date,
    today: date,
    service_minutes: int,
    direct: int,
    indirect: int,
) -> Figures:
    """The period's figures against the requirement (percentages rounded up to minutes)."""
    if min(service_minutes, direct, indirect) < 0:
        raise ValueError("minutes cannot be negative")
    phase = requirement.phase
    return Figures(
        start=start,
        end=end,
        service_minutes=service_minutes,
        direct=direct,
        indirect=indirect,
        required_total=_share(phase.total_percent, service_minutes) if phase else 0,
        required_direct=_share(phase.direct_percent, service_minutes) if phase else 0,
        complete=end < today,
    )


def period_of(period: Period, day: date) -> tuple[date, date]:
    """The week (Monday to Sunday) or calendar month that holds `day`, both ends included."""
    if period == Period.WEEK:
        start = day - timedelta(days=day.weekday())
        return start, start + timedelta(days=6)
    start = day.replace(day=1)
    following = (start + timedelta(days=32)).replace(day=1)
    return start, following - ONE_DAY


def last_periods(period: Period, today: date, count: int) -> list[tuple[date, date]]:
    """The `count` periods up to the one holding `today`, oldest first."""
    if count < 1:
        raise ValueError("count must be at least 1")
    found = [period_of(period, today)]
    while len(found) < count:
        found.append(period_of(period, found[-1][0] - ONE_DAY))
    return found[::-1]
