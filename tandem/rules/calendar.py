"""School calendars and day counting: calendar, business and school days, with exclusions."""

from __future__ import annotations

import json
import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Collection, Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache
from pathlib import Path

ONE_DAY = timedelta(days=1)
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
# How far past the calendar's known school years a precomputed school-day index reaches; counts
# beyond it fall back to walking day by day, so the horizon only affects speed.
_INDEX_HORIZON = timedelta(days=400)


class InvalidInput(ValueError):
    """A value given to the rules is missing or malformed; the message names it."""


class CalendarError(InvalidInput):
    """A school calendar is malformed; the message names the file and the key."""


class CalendarTooShort(InvalidInput):
    """A count runs past the days the school calendar describes."""


class Unit(StrEnum):
    """How a rule counts days (34 CFR 300.11)."""

    CALENDAR = "calendar"
    BUSINESS = "business"  # Monday to Friday except federal and state holidays
    SCHOOL = "school"  # days children attend for instruction, per the district calendar


class CountStart(StrEnum):
    """Whether the trigger day is day 1 of the count or day 0; states differ (COMPLIANCE.md 0)."""

    DAY_AFTER_TRIGGER = "day_after_trigger"
    TRIGGER_DAY = "trigger_day"


@dataclass(frozen=True, slots=True)
class Break:
    """A named run of days without school, such as winter break; both ends inclusive."""

    name: str
    start: date
    end: date


@dataclass(frozen=True, slots=True)
class Vacation:
    """A run of weekdays without school as the calendar implies, from its first to last weekday."""

    name: str
    start: date
    end: date
    school_days: int  # weekdays in the run: the days school would otherwise have met
    summer: bool = False

    def describe(self) -> str:
        """Plain words for an explanation, e.g. 'winter break (2026-12-21 to 2027-01-01, 10 school days)'."""
        if self.summer:
            return f"{self.name} ({self.start.isoformat()} to {self.end.isoformat()})"
        if self.start == self.end:
            return f"{self.name} ({self.start.isoformat()})"
        days = "school day" if self.school_days == 1 else "school days"
        return (
            f"{self.name} ({self.start.isoformat()} to {self.end.isoformat()}, "
            f"{self.school_days} {days})"
        )


@dataclass(frozen=True, slots=True)
class Exclusions:
    """Calendar days a state's timeline does not count."""

    summer: bool = False  # days between the last day of one school year and the first of the next
    # Vacations with more school days than this are not counted (CA: "in excess of five
    # schooldays" is 5; FL: every school holiday and break is 0); None counts every vacation day.
    breaks_longer_than: int | None = None

    @property
    def any(self) -> bool:
        """True when some days are not counted."""
        return self.summer or self.breaks_longer_than is not None


NO_EXCLUSIONS = Exclusions()


@dataclass(frozen=True, slots=True)
class SchoolCalendar:
    """One district school year, plus the first day of the next: which days are school days."""

    first_day: date
    last_day: date
    next_first_day: date | None = None
    non_school_days: frozenset[date] = frozenset()
    breaks: tuple[Break, ...] = ()
    holidays: frozenset[date] = (
        frozenset()
    )  # state holidays, added to federal ones for business days
    _closed: frozenset[date] = field(init=False, repr=False, compare=False)
    _vacation_of: dict[date, Vacation] = field(init=False, repr=False, compare=False)
    _index: tuple[int, ...] = field(init=False, repr=False, compare=False)
    vacations: tuple[Vacation, ...] = field(init=False, compare=False)

    def __post_init__(self) -> None:
        if self.last_day < self.first_day:
            raise CalendarError(
                f"last_day {self.last_day.isoformat()} is before first_day "
                f"{self.first_day.isoformat()}"
            )
        if self.next_first_day is not None and self.next_first_day <= self.last_day:
            raise CalendarError(
                f"next_first_day {self.next_first_day.isoformat()} is not after last_day "
                f"{self.last_day.isoformat()}"
            )
        closed = set(self.non_school_days)
        for named in self.breaks:
            if named.end < named.start:
                raise CalendarError(f"breaks: {named.name!r} ends before it starts")
            closed.update(_days(named.start, named.end))
        # Frozen dataclass: derived values are set once here, never changed afterwards.
        object.__setattr__(self, "_closed", frozenset(closed))
        vacations = _find_vacations(self)
        object.__setattr__(self, "vacations", vacations)
        object.__setattr__(
            self,
            "_vacation_of",
            {day: v for v in vacations for day in _days(v.start, v.end)},
        )
        object.__setattr__(self, "_index", _school_day_index(self))

    def is_school_day(self, day: date) -> bool:
        """True if children attend school on `day` under this calendar."""
        if day.weekday() >= 5 or day in self._closed:
            return False
        if self.first_day <= day <= self.last_day:
            return True
        return self.next_first_day is not None and day >= self.next_first_day

    def in_summer(self, day: date) -> bool:
        """True for days between school years (before first_day or after last_day)."""
        if day < self.first_day:
            return True
        return day > self.last_day and (self.next_first_day is None or day < self.next_first_day)

    def summer(self) -> Vacation | None:
        """The summer between last_day and next_first_day, if the next first day is known."""
        if self.next_first_day is None:
            return None
        start, end = self.last_day + ONE_DAY, self.next_first_day - ONE_DAY
        return Vacation("summer", start, end, _weekdays(start, end), summer=True)

    def vacation_on(self, day: date) -> Vacation | None:
        """The run of non-school weekdays (holiday or break) that `day` falls in, if any."""
        return self._vacation_of.get(day)


def _days(start: date, end: date) -> Iterable[date]:
    day = start
    while day <= end:
        yield day
        day += ONE_DAY


def _weekdays(start: date, end: date) -> int:
    return sum(1 for day in _days(start, end) if day.weekday() < 5)


def _find_vacations(calendar: SchoolCalendar) -> tuple[Vacation, ...]:
    # A vacation is a maximal run of weekdays without school inside a school year; weekends in
    # the middle belong to it, weekends at either end do not (the conservative reading).
    spans = [(calendar.first_day, calendar.last_day)]
    if calendar.next_first_day is not None:
        later = [d for d in calendar._closed if d >= calendar.next_first_day]
        if later:
            spans.append((calendar.next_first_day, max(later)))
    found: list[Vacation] = []
    for span_start, span_end in spans:
        run: list[date] = []
        for day in _days(span_start, span_end):
            if day.weekday() >= 5:
                continue
            if day in calendar._closed:
                run.append(day)
                continue
            if run:
                found.append(_name_vacation(calendar, run))
                run = []
        if run:
            found.append(_name_vacation(calendar, run))
    return tuple(found)


def _name_vacation(calendar: SchoolCalendar, run: list[date]) -> Vacation:
    start, end = run[0], run[-1]
    for named in calendar.breaks:
        if named.start <= end and start <= named.end:
            return Vacation(named.name, start, end, len(run))
    name = "holiday" if len(run) == 1 else "break"
    return Vacation(name, start, end, len(run))


def _school_day_index(calendar: SchoolCalendar) -> tuple[int, ...]:
    # Ordinals of school days from first_day to a horizon, so counts are a bisect, not a walk.
    end = (calendar.next_first_day or calendar.last_day) + _INDEX_HORIZON
    return tuple(d.toordinal() for d in _days(calendar.first_day, end) if calendar.is_school_day(d))


def is_school_day(calendar: SchoolCalendar, day: date) -> bool:
    """True if children attend school on `day` under `calendar`."""
    return calendar.is_school_day(day)


def is_business_day(day: date, holidays: Collection[date] = frozenset()) -> bool:
    """True for Monday to Friday except federal holidays and the `holidays` given (300.11)."""
    return day.weekday() < 5 and day not in federal_holidays(day.year) and day not in holidays


def _nth_weekday(year: int, month: int, weekday: int, n: int) -> date:
    first = date(year, month, 1)
    return first + timedelta(days=(weekday - first.weekday()) % 7 + 7 * (n - 1))


def _last_weekday(year: int, month: int, weekday: int) -> date:
    last = date(year + month // 12, month % 12 + 1, 1) - ONE_DAY
    return last - timedelta(days=(last.weekday() - weekday) % 7)


def _observed(day: date) -> date:
    # 5 USC 6103(b): a Saturday holiday is observed on Friday, a Sunday one on Monday.
    if day.weekday() == 5:
        return day - ONE_DAY
    if day.weekday() == 6:
        return day + ONE_DAY
    return day


@lru_cache(maxsize=64)
def federal_holidays(year: int) -> frozenset[date]:
    """Observed federal holidays falling in `year` (5 USC 6103)."""
    fixed = [(1, 1), (7, 4), (11, 11), (12, 25)]
    if year >= 2021:
        fixed.append((6, 19))  # Juneteenth, from 2021
    days = {_observed(date(year, month, day)) for month, day in fixed}
    days.add(_observed(date(year + 1, 1, 1)))  # may be observed on Dec 31 of this year
    days.update(
        {
            _nth_weekday(year, 1, 0, 3),  # Martin Luther King Jr. Day
            _nth_weekday(year, 2, 0, 3),  # Washington's Birthday
            _last_weekday(year, 5, 0),  # Memorial Day
            _nth_weekday(year, 9, 0, 1),  # Labor Day
            _nth_weekday(year, 10, 0, 2),  # Columbus Day
            _nth_weekday(year, 11, 3, 4),  # Thanksgiving Day
        }
    )
    return frozenset(d for d in days if d.year == year)


def _first_counted(start: date, count_start: CountStart) -> date:
    return start if count_start is CountStart.TRIGGER_DAY else start + ONE_DAY


def add_calendar_days(
    start: date, n: int, *, count_start: CountStart = CountStart.DAY_AFTER_TRIGGER
) -> date:
    """The `n`th calendar day counted from `start`."""
    _check_count(n)
    if n == 0:
        return start
    return _first_counted(start, count_start) + timedelta(days=n - 1)


def add_calendar_days_excluding(
    start: date,
    n: int,
    excluded: Callable[[date], bool],
    *,
    count_start: CountStart = CountStart.DAY_AFTER_TRIGGER,
) -> date:
    """The `n`th calendar day from `start`, skipping days for which `excluded` is true."""
    _check_count(n)
    if n == 0:
        return start
    day, counted = _first_counted(start, count_start), 0
    while True:
        if not excluded(day):
            counted += 1
            if counted == n:
                return day
        day += ONE_DAY


def add_business_days(
    start: date,
    n: int,
    *,
    holidays: Collection[date] = frozenset(),
    count_start: CountStart = CountStart.DAY_AFTER_TRIGGER,
) -> date:
    """The `n`th business day from `start`: weekdays minus federal holidays and `holidays`."""
    return add_calendar_days_excluding(
        start, n, lambda day: not is_business_day(day, holidays), count_start=count_start
    )


def add_school_days(
    calendar: SchoolCalendar,
    start: date,
    n: int,
    *,
    count_start: CountStart = CountStart.DAY_AFTER_TRIGGER,
) -> date:
    """The `n`th school day from `start`; always a school day when `n` > 0."""
    _check_count(n)
    if n == 0:
        return start
    first = _first_counted(start, count_start)
    index = calendar._index
    position = bisect_left(index, first.toordinal()) + n - 1
    if position < len(index):
        return date.fromordinal(index[position])
    if calendar.next_first_day is None:
        raise CalendarTooShort(
            f"{n} school days from {start.isoformat()} run past last_day "
            f"{calendar.last_day.isoformat()}, and the calendar has no next_first_day"
        )
    # Past the index: every weekday not listed is a school day, so walk the rest.
    counted = max(0, len(index) - bisect_left(index, first.toordinal()))
    day = max(first, date.fromordinal(index[-1]) + ONE_DAY) if index else first
    while True:
        if calendar.is_school_day(day):
            counted += 1
            if counted == n:
                return day
        day += ONE_DAY


def school_days_between(calendar: SchoolCalendar, after: date, through: date) -> int:
    """How many school days fall after `after`, up to and including `through`."""
    if through <= after:
        return 0
    index = calendar._index
    if index and through.toordinal() <= index[-1]:
        return bisect_right(index, through.toordinal()) - bisect_right(index, after.toordinal())
    return sum(1 for day in _days(after + ONE_DAY, through) if calendar.is_school_day(day))


def subtract_days(
    end: date,
    n: int,
    unit: Unit,
    *,
    calendar: SchoolCalendar | None = None,
    holidays: Collection[date] = frozenset(),
) -> date:
    """The day `n` units before `end` (not counting `end`): the last day to act for a lead time."""
    _check_count(n)
    if unit is Unit.CALENDAR or n == 0:
        return end - timedelta(days=n)
    if unit is Unit.SCHOOL and calendar is None:
        raise InvalidInput("counting school days needs a school calendar")
    day, counted = end, 0
    while counted < n:
        day -= ONE_DAY
        if unit is Unit.SCHOOL:
            assert calendar is not None
            if day < calendar.first_day:
                raise CalendarTooShort(
                    f"{n} school days before {end.isoformat()} reach back past first_day "
                    f"{calendar.first_day.isoformat()}"
                )
            counted += calendar.is_school_day(day)
        else:
            counted += is_business_day(day, holidays)
    return day


def excluded_by(calendar: SchoolCalendar, exclusions: Exclusions) -> Callable[[date], bool]:
    """A predicate: is this calendar day left out of the count under `exclusions`?"""
    threshold = exclusions.breaks_longer_than
    summer = exclusions.summer
    next_first_day = calendar.next_first_day
    last_day = calendar.last_day
    vacation_on = calendar._vacation_of.get

    def excluded(day: date) -> bool:
        if summer and calendar.in_summer(day):
            if next_first_day is None and day > last_day:
                raise CalendarTooShort(
                    f"the count runs into the summer after last_day {last_day.isoformat()}, "
                    "and the calendar has no next_first_day"
                )
            return True
        if threshold is not None:
            vacation = vacation_on(day)
            return vacation is not None and vacation.school_days > threshold
        return False

    return excluded


def excluded_periods(
    calendar: SchoolCalendar, exclusions: Exclusions, start: date, end: date
) -> tuple[Vacation, ...]:
    """The summers and vacations that `exclusions` leaves out between `start` and `end`."""
    found: list[Vacation] = []
    if exclusions.summer:
        if start < calendar.first_day:
            before = calendar.first_day - ONE_DAY
            found.append(Vacation("summer", start, before, _weekdays(start, before), summer=True))
        summer = calendar.summer()
        if summer is not None and summer.start <= end and start <= summer.end:
            found.append(summer)
    threshold = exclusions.breaks_longer_than
    if threshold is not None:
        found.extend(
            v
            for v in calendar.vacations
            if v.school_days > threshold and v.start <= end and start <= v.end
        )
    return tuple(sorted(found, key=lambda v: v.start))


def _check_count(n: int) -> None:
    if n < 0:
        raise InvalidInput(f"a count of days cannot be negative (got {n})")


# --- reading a calendar file ------------------------------------------------------------------

_CALENDAR_KEYS = frozenset(
    {"first_day", "last_day", "next_first_day", "non_school_days", "breaks", "holidays"}
)


def parse_iso_date(text: str, *, what: str) -> date:
    """A YYYY-MM-DD date, or InvalidInput naming `what`."""
    if not _ISO_DATE.fullmatch(text):
        raise InvalidInput(f"{what}: {text!r} is not a date in the form YYYY-MM-DD")
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise InvalidInput(f"{what}: {text!r} is not a real date") from None


def calendar_from_mapping(data: object, *, source: str = "calendar") -> SchoolCalendar:
    """A SchoolCalendar from parsed JSON; errors name `source` and the key."""
    if not isinstance(data, dict):
        raise CalendarError(f"{source}: expected a JSON object")
    unknown = sorted(set(data) - _CALENDAR_KEYS)
    if unknown:
        raise CalendarError(f"{source}: unknown key {unknown[0]!r}")

    def one(key: str, *, required: bool) -> date | None:
        value = data.get(key)
        if value is None:
            if required:
                raise CalendarError(f"{source}: missing key {key!r}")
            return None
        if not isinstance(value, str):
            raise CalendarError(f"{source}: {key}: expected a date string YYYY-MM-DD")
        try:
            return parse_iso_date(value, what=key)
        except InvalidInput as error:
            raise CalendarError(f"{source}: {error}") from None

    def many(key: str) -> frozenset[date]:
        value = data.get(key, [])
        if not isinstance(value, list):
            raise CalendarError(f"{source}: {key}: expected a list of dates")
        days: set[date] = set()
        for position, item in enumerate(value):
            if not isinstance(item, str):
                raise CalendarError(f"{source}: {key}[{position}]: expected a date string")
            try:
                days.add(parse_iso_date(item, what=f"{key}[{position}]"))
            except InvalidInput as error:
                raise CalendarError(f"{source}: {error}") from None
        return frozenset(days)

    breaks: list[Break] = []
    raw_breaks = data.get("breaks", [])
    if not isinstance(raw_breaks, list):
        raise CalendarError(f"{source}: breaks: expected a list of objects")
    for position, item in enumerate(raw_breaks):
        where = f"breaks[{position}]"
        if not isinstance(item, dict) or set(item) != {"name", "start", "end"}:
            raise CalendarError(f"{source}: {where}: expected an object with name, start, end")
        name, start, end = item["name"], item["start"], item["end"]
        if not (isinstance(name, str) and name and isinstance(start, str) and isinstance(end, str)):
            raise CalendarError(f"{source}: {where}: name, start and end must be strings")
        try:
            breaks.append(
                Break(
                    name,
                    parse_iso_date(start, what=f"{where}.start"),
                    parse_iso_date(end, what=f"{where}.end"),
                )
            )
        except InvalidInput as error:
            raise CalendarError(f"{source}: {error}") from None

    first_day, last_day = one("first_day", required=True), one("last_day", required=True)
    assert first_day is not None and last_day is not None
    try:
        return SchoolCalendar(
            first_day=first_day,
            last_day=last_day,
            next_first_day=one("next_first_day", required=False),
            non_school_days=many("non_school_days"),
            breaks=tuple(breaks),
            holidays=many("holidays"),
        )
    except CalendarError as error:
        raise CalendarError(f"{source}: {error}") from None


def load_calendar(path: str | Path) -> SchoolCalendar:
    """Read a calendar JSON file; errors name the file and the key."""
    source = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except OSError as error:
        raise CalendarError(f"{source}: cannot read the file ({error.strerror})") from None
    try:
        data: object = json.loads(text)
    except json.JSONDecodeError as error:
        raise CalendarError(
            f"{source}: not valid JSON (line {error.lineno}: {error.msg})"
        ) from None
    return calendar_from_mapping(data, source=source)
