"""Dating the demo plans: meetings this school year or last, a year on, never on a weekend."""

from __future__ import annotations

from datetime import date, timedelta


def month_year(day: date) -> str:
    """How a goal or a review names its date: "By June 2027"."""
    return day.strftime("%B %Y")


def one_year_after(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February: the 28th
        return day.replace(year=day.year + 1, day=28)


def weekday_on_or_before(day: date) -> date:
    """The day itself, or the Friday before when it falls on a weekend."""
    return day - timedelta(days=max(0, day.weekday() - 4))


def one_year_before(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February: the 28th
        return day.replace(year=day.year - 1, day=28)


def this_year_meeting(anchor: date, first_day: date, k: int) -> date:
    """The `k`-th plan's meeting this school year: at least ten days before `anchor`, the plans
    spread by `k` over the days since `first_day`."""
    span = max((anchor - first_day).days - 10, 14)
    return weekday_on_or_before(anchor - timedelta(days=10 + (11 * k + 3) % span))
