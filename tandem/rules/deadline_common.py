"""Helpers every deadline rule kind shares: counting, the calendar checks, and the wording."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta

from tandem.rules.calendar import (
    ONE_DAY,
    CalendarTooShort,
    SchoolCalendar,
    Unit,
    Vacation,
    add_business_days,
    add_calendar_days,
    add_school_days,
    federal_holidays,
)
from tandem.rules.deadline_types import (
    Basis,
    Deadline,
    NeedsCalendar,
    Status,
    Tolling,
)
from tandem.rules.profiles import (
    FEDERAL,
    AnyRule,
    StateProfile,
)

VERIFY_NOTE = "Citation marked verify: check it against the current code before relying on it."
POLICY_NOTE = "This date is district policy, not law."
SUMMER_BEFORE = timedelta(days=120)  # longer than any US summer break
YEAR_AFTER = timedelta(days=365)


@dataclass(slots=True)
class Draft:
    """A count-rule answer being built: each step may move the date and adds its reason.

    `reason` is the count in words. A step that replaces the count's date (a year-end rule, the
    summer rule, an agreed date) calls `replace`, so the explanation can lead with the rule that
    decided the date and then name the count it replaced and where that count ended.
    """

    due: date
    reason: str
    basis: Basis = Basis.COUNT
    status: Status = Status.DUE
    verify: bool = False
    absences_extended: bool = False
    extra: list[str] = field(default_factory=list)
    lead: str | None = None  # the rule that decided the date, when it is not the count
    count_due: date | None = None  # where the count ended, once something replaced it

    def replace(self, due: date, basis: Basis, lead: str) -> None:
        """`due` replaces the date so far, decided by the rule `lead` describes."""
        if self.count_due is None:
            self.count_due = self.due
        elif self.lead is not None:
            self.extra.append(f"Before that, {self.lead}: {self.due.isoformat()}.")
        self.due, self.basis, self.lead = due, basis, lead


def school_breaks_note(calendar: SchoolCalendar, first: date, last: date) -> str:
    """Words naming the breaks and holidays without school from `first` to `last`, if any."""
    skipped = [v for v in calendar.vacations if v.start <= last and first <= v.end]
    summer = calendar.summer()
    if summer is not None and summer.start <= last and first <= summer.end:
        skipped.append(summer)
    if first < calendar.first_day:
        before = calendar.first_day - ONE_DAY
        skipped.append(Vacation("summer", first, before, 0, summer=True))
    skipped.sort(key=lambda v: v.start)
    if not skipped:
        return ""
    return ", not counting days without school: " + join_words([v.describe() for v in skipped])


def check_coverage(calendar: SchoolCalendar, trigger: date) -> None:
    """Refuse a trigger outside the school year (and the summers around it) the calendar holds."""
    # A calendar holds one school year, the summer before it and the next year's start; a
    # trigger far outside that would be counted against the wrong year's days without a word.
    earliest = calendar.first_day - SUMMER_BEFORE
    latest = (calendar.next_first_day or calendar.last_day) + YEAR_AFTER
    if not earliest <= trigger <= latest:
        raise CalendarTooShort(
            f"{trigger.isoformat()} is outside the school year this calendar holds "
            f"({calendar.first_day.isoformat()} to {calendar.last_day.isoformat()}); "
            "give the calendar for that school year"
        )


def needs_calendar(profile: StateProfile, spec: AnyRule, why: str) -> NeedsCalendar:
    """The error for a rule that cannot be counted without the district's calendar."""
    return NeedsCalendar(
        f"{profile.code} {spec.rule.value} {why}, so it needs the district's school calendar "
        "(--calendar FILE)"
    )


def make_deadline(
    spec: AnyRule,
    profile: StateProfile,
    trigger: date,
    due: date,
    sentences: list[str],
    status: Status,
    basis: Basis,
    verify: bool,
) -> Deadline:
    """The Deadline for `spec`, its sentences followed by the rule's note and labels."""
    if spec.note:
        sentences.append(spec.note)
    if spec.policy_only:
        sentences.append(POLICY_NOTE)
    if verify:
        sentences.append(VERIFY_NOTE)
    return Deadline(
        rule=spec.rule,
        state=profile.code,
        trigger=trigger,
        due=due,
        citation=spec.citation,
        explanation=" ".join(sentences),
        policy_only=spec.policy_only,
        status=status,
        basis=basis,
        verify=verify,
    )


def add_days(start: date, n: int, unit: Unit, calendar: SchoolCalendar | None) -> date:
    """The `n`th day in `unit` after `start` (school days need the calendar)."""
    if unit is Unit.SCHOOL:
        assert calendar is not None
        return add_school_days(calendar, start, n)
    if unit is Unit.BUSINESS:
        holidays = calendar.holidays if calendar is not None else frozenset[date]()
        return add_business_days(start, n, holidays=holidays)
    return add_calendar_days(start, n)


def holidays_note(start: date, end: date, calendar: SchoolCalendar | None) -> str:
    """Words naming the holidays a business-day count skipped between `start` and `end`."""
    extra = calendar.holidays if calendar is not None else frozenset[date]()
    skipped = sorted(
        day
        for day in span(start + ONE_DAY, end)
        if day.weekday() < 5 and (day in federal_holidays(day.year) or day in extra)
    )
    note = ""
    if skipped:
        note = ", skipping the holiday" + ("s " if len(skipped) > 1 else " ")
        note += join_words([day.isoformat() for day in skipped])
    if calendar is None or not calendar.holidays:
        note += " (federal holidays only; list state holidays in the calendar's holidays)"
    return note


def span(start: date, end: date) -> list[date]:
    """Every day from `start` to `end`, both included."""
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def add_years(day: date, years: int) -> date:
    """The same month and day `years` later; 29 February becomes 28 February (the earlier day)."""
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return date(day.year + years, 2, 28)


def add_months(day: date, months: int) -> date:
    """The same day `months` later, or the month's last day if it is shorter (the earlier day)."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    following = date(year + month // 12, month % 12 + 1, 1)
    return date(year, month, min(day.day, (following - ONE_DAY).day))


def amount(n: int, unit: Unit) -> str:
    """'1 school day', '60 days': a count in its unit."""
    noun = {Unit.CALENDAR: "day", Unit.BUSINESS: "business day", Unit.SCHOOL: "school day"}[unit]
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def years_text(n: int) -> str:
    """'1 year', '3 years'."""
    return "1 year" if n == 1 else f"{n} years"


def age_text(months: int) -> str:
    """An age in months as people say it: '16', '14 and a half'."""
    years, rest = divmod(months, 12)
    if rest == 0:
        return str(years)
    if rest == 6:
        return f"{years} and a half"
    return f"{years} years and {rest} months"


def place(profile: StateProfile) -> str:
    """'federal law' or 'California law': whose law a rule is."""
    return "federal law" if profile.code == FEDERAL else f"{profile.name} law"


def periods_text(periods: Sequence[Tolling]) -> str:
    """Stop-clock periods as dates and date ranges, in order."""
    return join_words(
        [
            period.start.isoformat()
            if period.start == period.end
            else f"{period.start.isoformat()} to {period.end.isoformat()}"
            for period in sorted(periods, key=lambda p: p.start)
        ]
    )


def cite(citation: str) -> str:
    """The citation ending with one full stop."""
    # Citations such as "s. 1003.5716, F.S." already end with a full stop.
    return citation if citation.endswith(".") else citation + "."


def join_words(items: Sequence[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
