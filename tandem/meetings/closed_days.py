"""Days a meeting should not fall on: weekends, federal holidays, and the school's closures.

A team can meet on such a day (a parent who works weekdays may ask for a Saturday), so these
days are not refused outright: the person scheduling confirms. What the page says names the
day and why ("Saturday", "Winter break: the school is closed").
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tandem.core.words import spanish_or_same
from tandem.people.models import CalendarClosure, Student
from tandem.rules import calendar as rules_calendar


def _closures(student: Student, days: list[date]) -> list[CalendarClosure]:
    """The closures of the student's school calendar (its own, or the district's) that cover
    one of `days`."""
    if not days:
        return []
    return list(
        CalendarClosure.objects.filter(
            calendar__district_id=student.district_id,
            start__lte=max(days),
            end__gte=min(days),
        )
        .filter(Q(calendar__school__isnull=True) | Q(calendar__school_id=student.school_id))
        .order_by("start")
    )


def reasons(student: Student, days: Iterable[date]) -> dict[date, str]:
    """Each of `days` that is not a school day, with why, in the active language."""
    wanted = sorted(set(days))
    closures = _closures(student, wanted)
    found: dict[date, str] = {}
    for day in wanted:
        shown = date_format(day, "DATE_FORMAT")
        closure = next((c for c in closures if c.start <= day <= c.end), None)
        if day.weekday() >= 5:
            found[day] = _("%(day)s is a %(weekday)s.") % {
                "day": shown,
                "weekday": date_format(day, "l"),
            }
        elif closure is not None:
            found[day] = _("%(day)s: %(name)s, the school is closed.") % {
                "day": shown,
                "name": spanish_or_same(closure.name),
            }
        elif day in rules_calendar.federal_holidays(day.year):
            found[day] = _("%(day)s is a federal holiday.") % {"day": shown}
    return found


CONFIRM = "confirm_closed_days"


def refusal(
    student: Student, days: dict[str, date], confirmed: bool, *, today: date
) -> dict[str, list[str]]:
    """The form's errors for the proposed days (field name to day) that fall on a closed day,
    unless the person scheduling confirmed them; empty when there is nothing to confirm. A day
    already past is left to the scheduling action, which refuses it for that."""
    found = reasons(student, [day for day in days.values() if day >= today])
    if not found or confirmed:
        return {}
    errors = {name: [found[day]] for name, day in days.items() if day in found}
    errors[CONFIRM] = [
        _(
            "The school is closed on a day you chose. Choose another day, or check the box to "
            "meet on it anyway (for example, when the parent asked for it)."
        )
    ]
    return errors
