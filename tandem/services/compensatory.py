"""The compensatory ledger: each owed miss, the makeups that pay it down, its due date.

docs/services.md is the source. A miss is owed when its code is one of the district's owed codes
(section 3 defaults, the same set the minutes table counts: `rules.MinuteRules().owed_codes`:
provider absent, provider pulled to another duty, facilitator missing, technology failed, student
unavailable and an unplanned closure); the minutes owed are the minutes the session was meant to
last less the minutes held. Student absences and refusals are not owed (MISS-1); a run of them is
flagged to the case manager instead (`absences`, see alerts.py).

A makeup is one session row with the code MAKEUP that names the missed row it replaces (section
3: "linked to a missed occurrence"); it pays that entry down by its minutes (never below zero).

**Due date.** docs/services.md: a makeup "replaces one specific missed occurrence, usually within a
short window (e.g. 1 week)" [S14]. Tandem's default is 5 school days after the miss, counted on
the school's calendar (every weekday when the district has none); the district's
`settings["services"]["makeup_window_school_days"]` changes it. A balance still open after its
due date is overdue: docs/services.md MISS-2 and COMP-1 then leave it to the IEP team to decide the
compensatory award, case by case, which is not automatically minute for minute.

District settings (`District.settings["services"]`), with their defaults:
``makeup_window_school_days`` 5; ``absence_count`` 3 and ``absence_days`` 28 (3 student absences
or refusals of one service within 4 weeks flag a pattern: docs/services.md only says "repeated → IEP
team", so the numbers are Tandem's [K]); ``threshold_percent`` 90 (issue 12: 90% of the mandated
minutes over the last four weeks).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from tandem.compliance.actions import engine_calendar
from tandem.people.models import Student
from tandem.rules import services as rules
from tandem.rules.calendar import InvalidInput, SchoolCalendar, add_school_days
from tandem.services.models import AttendanceCode, SessionAttendance

OWED_CODES = frozenset(c.value for c in rules.MinuteRules().owed_codes)
# Always owed: the district's own staffing failed the student (docs/services.md MISS-1; a district
# cannot set these aside, the plan's services were simply not provided).
ALWAYS_OWED = frozenset(
    c.value for c in (rules.Code.PROVIDER_ABSENT, rules.Code.PROVIDER_UNAVAILABLE,
                      rules.Code.FACILITATOR_MISSING)
)  # fmt: skip
# The misses a district decides about (the defaults owe the first three).
CHOOSABLE_OWED = (
    rules.Code.STUDENT_UNAVAILABLE.value,
    rules.Code.SCHOOL_CLOSED.value,
    rules.Code.TECH_FAILURE.value,
    rules.Code.STUDENT_ABSENT.value,
    rules.Code.STUDENT_REFUSED.value,
)


@dataclass(frozen=True, slots=True)
class ServiceSettings:
    """The district's service settings (see the module docstring for the sources)."""

    makeup_window_school_days: int = 5
    absence_count: int = 3
    absence_days: int = 28
    threshold_percent: int = 90
    owed_codes: frozenset[str] = OWED_CODES

    @property
    def absence_codes(self) -> frozenset[str]:
        """Student-caused and not owed: the absences a pattern is made of (MISS-1)."""
        return frozenset(c.value for c in rules.STUDENT_CAUSED) - self.owed_codes

    @property
    def minute_rules(self) -> rules.MinuteRules:
        """The minute rules counting by this district's owed codes."""
        return _minute_rules(self.owed_codes)


@lru_cache(maxsize=32)
def _minute_rules(owed: frozenset[str]) -> rules.MinuteRules:
    return rules.MinuteRules(owed_codes=frozenset(rules.Code(code) for code in owed))


def _owed_codes(raw: Any) -> frozenset[str]:
    """The district's chosen codes; the always-owed ones whatever it chose."""
    if not isinstance(raw, list | tuple):
        return OWED_CODES
    return ALWAYS_OWED | {code for code in raw if code in CHOOSABLE_OWED}


def settings_for(district_settings: Mapping[str, Any] | None) -> ServiceSettings:
    """`settings["services"]` of a district; a missing or bad value keeps its default."""
    raw = dict((district_settings or {}).get("services") or {})
    values: dict[str, Any] = {}
    for key in ("makeup_window_school_days", "absence_count", "absence_days", "threshold_percent"):
        try:
            number = int(raw[key])
        except (KeyError, TypeError, ValueError):
            continue
        if number > 0:
            values[key] = number
    values["owed_codes"] = _owed_codes(raw.get("owed_codes"))
    return ServiceSettings(**values)


def lost_minutes(row: SessionAttendance) -> int:
    """The minutes the session was meant to last that the student did not get."""
    return max(0, row.session.minutes - row.minutes)


def is_owed(row: SessionAttendance, owed_codes: frozenset[str] = OWED_CODES) -> bool:
    return row.code in owed_codes and lost_minutes(row) > 0


def due_date(calendar: SchoolCalendar | None, missed_on: date, settings: ServiceSettings) -> date:
    """The last day to make the miss up: N school days after it (weekdays without a calendar)."""
    n = settings.makeup_window_school_days
    if calendar is not None:
        try:
            return add_school_days(calendar, missed_on, n)
        except InvalidInput:
            pass  # the calendar ends first: count weekdays from here
    day, counted = missed_on, 0
    while counted < n:
        day += timedelta(days=1)
        counted += day.weekday() < 5
    return day


@dataclass(slots=True)
class Entry:
    """One owed miss: how much, paid down by which makeups, what is left, and by when."""

    missed: SessionAttendance
    owed: int
    makeups: list[SessionAttendance] = field(default_factory=list)
    due: date | None = None
    overdue: bool = False

    @property
    def made_up(self) -> int:
        return min(self.owed, sum(row.minutes for row in self.makeups))

    @property
    def balance(self) -> int:
        return self.owed - self.made_up


@dataclass(slots=True)
class Ledger:
    entries: list[Entry]

    @property
    def owed(self) -> int:
        return sum(e.owed for e in self.entries)

    @property
    def made_up(self) -> int:
        return sum(e.made_up for e in self.entries)

    @property
    def balance(self) -> int:
        return sum(e.balance for e in self.entries)

    @property
    def overdue(self) -> int:
        return sum(e.balance for e in self.entries if e.overdue)

    def open_by_lineage(self) -> dict[Any, list[Entry]]:
        """Per service line, the entries with a balance left, earliest due first."""
        found: dict[Any, list[Entry]] = defaultdict(list)
        for entry in self.entries:
            if entry.balance:
                found[entry.missed.lineage].append(entry)
        return found


def _rows(students: Iterable[Student], owed: frozenset[str]) -> QuerySet[SessionAttendance]:
    """The students' owed misses and their makeups, in one query (a makeup is the same
    student's row, so it is found with the misses)."""
    return (
        SessionAttendance.objects.filter(student__in=list(students))
        .filter(Q(code__in=owed) | Q(makes_up__isnull=False))
        .select_related("session__provider__user", "service")
        .order_by("session__day", "session__start_time", "id")
    )


def _entries(rows: Iterable[SessionAttendance], owed: frozenset[str]) -> list[Entry]:
    """Owed rows as entries, each with its makeups, oldest first (no query)."""
    rows = list(rows)
    entries = [Entry(row, lost_minutes(row)) for row in rows if is_owed(row, owed)]
    by_missed = {entry.missed.pk: entry for entry in entries}
    for row in rows:
        if row.makes_up_id in by_missed:
            by_missed[row.makes_up_id].makeups.append(row)
    return entries


def ledger_for_student(student: Student, *, today: date) -> Ledger:
    """The student's compensatory ledger, oldest miss first (a fixed number of queries)."""
    settings = settings_for(student.district.settings)
    entries = _entries(_rows([student], settings.owed_codes), settings.owed_codes)
    calendar = engine_calendar(student, today)  # always: the count must not grow with rows
    for entry in entries:
        entry.due = due_date(calendar, entry.missed.session.day, settings)
        entry.overdue = entry.balance > 0 and today > entry.due
    return Ledger(entries)


def open_misses(students: Iterable[Student]) -> dict[tuple[int, Any], list[Entry]]:
    """Per (student id, service lineage): the owed misses with minutes left to make up, by
    each student's district's owed codes (one query per district)."""
    by_district: dict[int, list[Student]] = defaultdict(list)
    for student in students:
        by_district[student.district_id].append(student)
    found: dict[tuple[int, Any], list[Entry]] = defaultdict(list)
    for group in by_district.values():
        owed = settings_for(group[0].district.settings).owed_codes
        for entry in _entries(_rows(group, owed), owed):
            if entry.balance:
                found[(entry.missed.student_id, entry.missed.lineage)].append(entry)
    return found


def absences(student: Student, *, today: date, settings: ServiceSettings) -> dict[Any, int]:
    """Per service line: student absences and refusals (not owed) in the last N days."""
    since = today - timedelta(days=settings.absence_days - 1)
    counts: dict[Any, int] = defaultdict(int)
    for lineage in SessionAttendance.objects.filter(
        student=student,
        code__in=settings.absence_codes,
        session__day__gte=since,
        session__day__lte=today,
    ).values_list("lineage", flat=True):
        counts[lineage] += 1
    return dict(counts)


def check_makeup(
    *,
    student: Student,
    lineage: Any,
    code: str,
    missed: SessionAttendance | None,
    day: date,
    key: str = "makeup",
) -> None:
    """Refuse a makeup that cannot pay down `missed`, naming the field `key`.

    The missed row is locked, so two makeups logged at once cannot both take its last minutes.
    """
    name = student.first_name
    if missed is None:
        if code == AttendanceCode.MAKEUP:
            raise ValidationError(
                {key: _("Choose the missed session this makes up for %(name)s.") % {"name": name}}
            )
        return
    if code != AttendanceCode.MAKEUP:
        raise ValidationError(
            {key: _("A makeup for %(name)s is logged as Makeup.") % {"name": name}}
        )
    row = (
        SessionAttendance.objects.select_for_update(of=("self",))
        .select_related("session")
        .filter(pk=missed.pk)
        .first()
    )
    if row is None or row.student_id != student.pk:
        raise ValidationError({key: _("That missed session is not %(name)s's.") % {"name": name}})
    if row.lineage != lineage:
        raise ValidationError(
            {key: _("That missed session was for another service of %(name)s.") % {"name": name}}
        )
    if not is_owed(row, settings_for(student.district.settings).owed_codes):
        raise ValidationError(
            {key: _("That session was not missed for a reason that is owed back.")}
        )
    if row.session.day >= day:
        raise ValidationError({key: _("A makeup comes after the session it makes up.")})
    made_up = sum(r.minutes for r in SessionAttendance.objects.filter(makes_up=row))
    if made_up >= lost_minutes(row):
        raise ValidationError({key: _("That missed session is already made up in full.")})
