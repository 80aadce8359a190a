"""When a translation is due: the district's number of school days after the English was ready.

School days come from the student's school calendar (its own, else the district's) covering
the start; without one, or past its end, weekdays are counted, which is never later than the
calendar would say.
"""

from __future__ import annotations

from datetime import date, timedelta

from django.db.models import Q

from tandem.people.models import CalendarClosure, SchoolCalendar, Student
from tandem.rules import calendar as rules_calendar
from tandem.translations.models import DEFAULT_DUE_SCHOOL_DAYS, TranslationSettings


def due_school_days(district_id: int) -> int:
    """The district's setting, or the default (10 school days)."""
    row = TranslationSettings.objects.filter(district_id=district_id).first()
    return row.due_school_days if row is not None else DEFAULT_DUE_SCHOOL_DAYS


def _calendar(student: Student, start: date) -> rules_calendar.SchoolCalendar | None:
    rows = SchoolCalendar.objects.filter(district_id=student.district_id).filter(
        Q(school__isnull=True) | Q(school_id=student.school_id)
    )
    covering = [
        row
        for row in rows
        if row.first_day <= start <= (row.next_first_day or row.last_day + timedelta(days=1))
    ]
    if not covering:
        return None
    row = min(covering, key=lambda r: r.school_id is None)  # the school's own wins
    closed: set[date] = set()
    breaks = []
    for closure in CalendarClosure.objects.filter(calendar=row):
        breaks.append(rules_calendar.Break(closure.name, closure.start, closure.end))
        day = closure.start
        while day <= closure.end:
            closed.add(day)
            day += timedelta(days=1)
    return rules_calendar.SchoolCalendar(
        first_day=row.first_day,
        last_day=row.last_day,
        next_first_day=row.next_first_day,
        non_school_days=frozenset(closed),
        breaks=tuple(breaks),
    )


def _weekdays_after(start: date, n: int) -> date:
    day, counted = start, 0
    while counted < n:
        day += timedelta(days=1)
        counted += day.weekday() < 5
    return day


def due_on(student: Student, start: date) -> date:
    """The day a translation of text ready on `start` is due."""
    n = due_school_days(student.district_id)
    calendar = _calendar(student, start)
    if calendar is not None:
        try:
            return rules_calendar.add_school_days(calendar, start, n)
        except rules_calendar.InvalidInput:
            pass  # the calendar ends first: count weekdays
    return _weekdays_after(start, n)
