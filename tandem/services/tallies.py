"""The director's counts, kept: each mandate's two windows, counted once and read many times.

Counting a mandate reads every session logged for it since the plan began and walks the school
calendar week by week; a district of 100,000 students holds tens of thousands of mandates and
millions of session rows, far too many to count on each visit to the director's page. So each
mandate's last four weeks and year to date are kept (`MinutesTally`) with what they were counted
from, and counted again only when that changed:

* **the day**: a tally counted on another day is counted again (the windows move with today);
* **the mandate and the calendar**: `shape_of` digests the minutes, frequency and dates (the
  service's or its plan's) and the school calendar's days; an amended service is a new row, a
  changed calendar a new digest;
* **the sessions**: `through` is the newest session row when the count began; a student with a
  newer row is counted again. Session rows are only ever added (AppendOnly), never edited.

A kept count is never the only truth: the student's own minutes page counts live, and the
windows are rebuilt from plain totals in the reader's language. The daily minutes check
(`check_service_minutes`) counts the whole district ahead of the first visit of the day.

Counting happens on a read (the first visit after a change) and writes the tallies: derived
figures, not a record about the student, so it is not audited (the page view is).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from itertools import islice
from typing import Any, Protocol

from django.db import transaction
from django.db.models import Max, QuerySet

from tandem.people.models import Student
from tandem.plans.models import Service
from tandem.rules import services as rules
from tandem.rules.calendar import SchoolCalendar
from tandem.services.models import MinutesTally, SessionAttendance
from tandem.services.queries import Window, window_of_totals

Windows = tuple[Window, Window]


class Counted(Protocol):
    """A mandate as the tallies know it: its service and its student."""

    @property
    def pk(self) -> int: ...

    @property
    def student_id(self) -> int: ...


# Counts the given mandates live: service pk -> (last four weeks, year to date).
Count = Callable[[list[Any]], dict[int, Windows]]


@dataclass(slots=True)
class Tally:
    """A mandate's two windows: their totals at once (what the summaries add up), the windows
    for the page only when asked (labelling the misses costs, and a district has thousands)."""

    four: rules.Totals
    year: rules.Totals
    _spans: tuple[tuple[date, date], tuple[date, date]]
    _windows: Windows | None = None

    @classmethod
    def of(cls, windows: Windows) -> Tally:
        four, year = windows
        spans = ((four.start, four.end), (year.start, year.end))
        return cls(four.totals, year.totals, spans, windows)

    @classmethod
    def kept(cls, four: dict[str, Any], year: dict[str, Any]) -> Tally:
        spans = (_span(four), _span(year))
        return cls(_totals(four), _totals(year), spans)

    @property
    def windows(self) -> Windows:
        if self._windows is None:
            (four_start, four_end), (year_start, year_end) = self._spans
            self._windows = (
                window_of_totals("four_weeks", four_start, four_end, self.four),
                window_of_totals("year", year_start, year_end, self.year),
            )
        return self._windows


DEFAULT_RULES = rules.MinuteRules()

# Services counted together: their students' sessions are read in one query.
CHUNK = 500


def shape_of(
    mandate: rules.Mandate,
    calendar: SchoolCalendar | None,
    minute_rules: rules.MinuteRules = DEFAULT_RULES,
) -> str:
    """A digest of what a count depends on besides the sessions: the mandate, the calendar and
    the district's minute rules (which misses are owed back)."""
    days = _calendar_digest(calendar) if calendar is not None else "-"
    owed = ",".join(sorted(code.value for code in minute_rules.owed_codes))
    text = (
        f"{mandate.minutes}x{mandate.times}/{mandate.per.value} {mandate.start}..{mandate.end} "
        f"{days} owed:{owed} prorate:{minute_rules.prorate_closed_days}"
    )
    return hashlib.sha256(text.encode()).hexdigest()


@lru_cache(maxsize=64)
def _calendar_digest(calendar: SchoolCalendar) -> str:
    """The calendar's days, once per calendar (a district's mandates share a few)."""
    days = (
        calendar.first_day,
        calendar.last_day,
        calendar.next_first_day,
        sorted(calendar.non_school_days),
        calendar.breaks,
        sorted(calendar.holidays),
    )
    return hashlib.sha256(repr(days).encode()).hexdigest()


def _as_json(window: Window) -> dict[str, Any]:
    totals = window.totals
    return {
        "start": window.start.isoformat(),
        "end": window.end.isoformat(),
        "mandated": totals.mandated,
        "delivered": totals.delivered,
        "made_up": totals.made_up,
        "owed": totals.owed,
        "missed": {code.value: minutes for code, minutes in totals.missed.items()},
    }


def _totals(data: dict[str, Any]) -> rules.Totals:
    return rules.Totals(
        mandated=data["mandated"],
        delivered=data["delivered"],
        made_up=data["made_up"],
        missed={rules.Code(code): minutes for code, minutes in data["missed"].items()},
        owed=data["owed"],
    )


def _span(data: dict[str, Any]) -> tuple[date, date]:
    return date.fromisoformat(data["start"]), date.fromisoformat(data["end"])


def _chunks(items: Sequence[Counted], size: int) -> Iterator[list[Counted]]:
    it = iter(items)
    while chunk := list(islice(it, size)):
        yield chunk


def _kept(counted: QuerySet[Service], shapes: dict[int, str], today: date) -> dict[int, Tally]:
    """The tallies still true today: two queries, however many mandates."""
    rows = (
        MinutesTally.objects.filter(service__in=counted.values("pk"), counted_on=today)
        .values_list("service_id", "student_id", "shape", "through", "four_weeks", "year")
        .iterator(chunk_size=5000)
    )
    kept: dict[int, tuple[int, int, Any, Any]] = {
        service: (student, through, four, year)
        for service, student, shape, through, four, year in rows
        if shapes.get(service) == shape
    }
    if not kept:
        return {}
    oldest = min(through for _, through, _, _ in kept.values())
    newest: dict[int, int] = dict(
        SessionAttendance.objects.filter(
            pk__gt=oldest,
            student__in=Student.objects.filter(pk__in=counted.values("plan__student_id")),
        )
        .values("student_id")
        .annotate(last=Max("pk"))
        .values_list("student_id", "last")
    )
    return {
        service: Tally.kept(four, year)
        for service, (student, through, four, year) in kept.items()
        if newest.get(student, 0) <= through
    }


def _store(chunk: list[Counted], found: dict[int, Windows], shapes: dict[int, str], *,
           today: date, through: int) -> None:  # fmt: skip
    rows = [
        MinutesTally(
            service_id=service.pk,
            student_id=service.student_id,
            counted_on=today,
            shape=shapes[service.pk],
            through=through,
            four_weeks=_as_json(found[service.pk][0]),
            year=_as_json(found[service.pk][1]),
        )
        for service in chunk
    ]
    with transaction.atomic():
        MinutesTally.objects.filter(service__in=[s.pk for s in chunk]).delete()
        # Two first visits at once count the same mandates: the second's rows are the same.
        MinutesTally.objects.bulk_create(rows, ignore_conflicts=True)


def windows(
    services: Sequence[Counted],
    counted: QuerySet[Service],
    *,
    shapes: dict[int, str],
    today: date,
    count: Count,
) -> dict[int, Tally]:
    """Each mandate's two windows: kept where still true, else counted by `count` and kept.

    `services` are the mandates of `counted` (a query, so that reading the tallies is one query
    however many there are); `shapes` their `shape_of` digests.
    """
    found = _kept(counted, shapes, today)
    missing = [service for service in services if service.pk not in found]
    if not missing:
        return found
    # Taken before counting: a row logged while we count is newer, so counted again next time.
    through = SessionAttendance.objects.aggregate(last=Max("pk"))["last"] or 0
    for chunk in _chunks(missing, CHUNK):
        fresh = count(chunk)
        _store(chunk, fresh, shapes, today=today, through=through)
        found.update((pk, Tally.of(pair)) for pk, pair in fresh.items())
    return found
