"""The team's meetings as a month: one row per week, Sunday first (as US school calendars are),
each day with its meetings at their local time. Built from the same reads as the list
(`queries.meetings_for_user`: what the user organizes, is invited to or oversees, in reach),
narrowed to the month in the database."""

from __future__ import annotations

import calendar
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from tandem.accounts.models import User

from . import queries
from .models import Meeting

SUNDAY = 6
# The widest gap between a district's zone and UTC in the United States (Hawaii, Guam): a
# month's meetings are read this much either side of it, then placed by their own zone.
MARGIN = timedelta(hours=14)


@dataclass
class Day:
    day: date
    in_month: bool
    is_today: bool
    meetings: list[tuple[datetime, Meeting]] = field(default_factory=list)


@dataclass
class Month:
    first: date
    weeks: list[list[Day]]
    count: int

    @property
    def previous(self) -> date:
        return (self.first - timedelta(days=1)).replace(day=1)

    @property
    def next(self) -> date:
        return (self.first + timedelta(days=32)).replace(day=1)


def parse_month(value: str | None, today: date) -> tuple[date, bool]:
    """The month asked for (`YYYY-MM`), else this month; the flag says the value was refused."""
    if not value:
        return today.replace(day=1), False
    year, _dash, month = value.partition("-")
    try:
        asked = date(int(year), int(month), 1)
    except ValueError:
        return today.replace(day=1), True
    return (asked, False) if 2000 <= asked.year <= 2100 else (today.replace(day=1), True)


def month_of(user: User, first: date, today: date, **filters: Any) -> Month:
    """The user's meetings in the month starting `first`, placed on the weeks of the grid."""
    grid = calendar.Calendar(firstweekday=SUNDAY).monthdatescalendar(first.year, first.month)
    start = datetime.combine(grid[0][0], time.min, tzinfo=ZoneInfo("UTC")) - MARGIN
    end = datetime.combine(grid[-1][-1] + timedelta(days=1), time.min, ZoneInfo("UTC")) + MARGIN
    meetings = queries.meetings_for_user(user, scope="all", **filters).filter(
        starts_at__gte=start, starts_at__lt=end
    )
    by_day: dict[date, list[tuple[datetime, Meeting]]] = defaultdict(list)
    count = 0
    for meeting in meetings:
        local = timezone.localtime(meeting.starts_at, ZoneInfo(meeting.student.district.time_zone))
        by_day[local.date()].append((local, meeting))
        count += local.month == first.month and local.year == first.year
    weeks = [
        [
            Day(d, d.month == first.month, d == today, sorted(by_day[d], key=lambda m: m[0]))
            for d in week
        ]
        for week in grid
    ]
    return Month(first, weeks, count)
