"""End-of-year rules: a state's date for a timeline that starts near the end of the school year.

Two kinds, by the date their window is measured from (`EndOfYear.keyed_on`):

* the rule's own trigger (TX 29.004(a-1), MA 28.05, IL 226.110: consent near the year's end);
* the referral (CA 56344(a): "a referral ... made 30 days or less prior to the end of the regular
  school year"), which is not the trigger of the count (consent). The referral may be missing, or
  fall in a school year the calendar does not hold: then the explanation says what is missing
  and Tandem takes the earlier of the two readings, the year-end date or the count.

Where the year-end date is later than the count, the count stands (the earlier, safer date).
"""

from __future__ import annotations

from datetime import date, timedelta

from tandem.rules.calendar import (
    CalendarTooShort,
    SchoolCalendar,
    Unit,
    school_days_between,
)
from tandem.rules.deadline_common import SUMMER_BEFORE, Draft, amount
from tandem.rules.deadline_types import Basis
from tandem.rules.profiles import Anchor, EndOfYear, EndOfYearKey


def end_of_year_date(rule: EndOfYear, calendar: SchoolCalendar) -> date:
    """The date the rule gives for a trigger in the school year `calendar` holds."""
    offset = rule.offset_days
    if rule.anchor is Anchor.FIXED:
        assert rule.month_day is not None
        return date(calendar.last_day.year, *rule.month_day)
    if rule.anchor is Anchor.LAST_DAY:
        return calendar.last_day + timedelta(days=offset)
    if calendar.next_first_day is None:
        raise CalendarTooShort(
            "the end-of-year rule counts from the first day of the next school year; the "
            "calendar has no next_first_day"
        )
    return calendar.next_first_day + timedelta(days=offset)


def apply_end_of_year(
    draft: Draft,
    rule: EndOfYear,
    label: str,
    trigger: date,
    calendar: SchoolCalendar,
    absences: int,
    referral: date | None,
) -> None:
    """Replace the count's date by the year-end date where the rule applies and it is earlier."""
    if rule.keyed_on is EndOfYearKey.REFERRAL:
        _referral_rule(draft, rule, trigger, calendar, referral)
    else:
        _trigger_rule(draft, rule, label, trigger, calendar, absences)
    if rule.note:
        draft.extra.append(rule.note)


def _trigger_rule(
    draft: Draft,
    rule: EndOfYear,
    label: str,
    trigger: date,
    calendar: SchoolCalendar,
    absences: int,
) -> None:
    # These rules look only at a trigger during the school year the calendar holds.
    if not calendar.first_day <= trigger <= calendar.last_day:
        return
    if rule.window_unit is Unit.SCHOOL:
        left = school_days_between(calendar, trigger, calendar.last_day)
    else:
        left = (calendar.last_day - trigger).days
    if not rule.window_min <= left <= rule.window_max:
        return
    when = (
        f"{label} on {trigger.isoformat()} came {amount(left, rule.window_unit)} before the last "
        f"day of the school year ({calendar.last_day.isoformat()})"
    )
    if rule.absences_cancel and draft.absences_extended:
        draft.extra.append(
            f"{_capital(when)}, but with {absences} absences the end-of-year date does not "
            f"apply ({rule.citation})."
        )
        return
    _offer(draft, rule, end_of_year_date(rule, calendar), when)


def _referral_rule(
    draft: Draft,
    rule: EndOfYear,
    trigger: date,
    calendar: SchoolCalendar,
    referral: date | None,
) -> None:
    first, last = calendar.first_day, calendar.last_day
    # The year-end date for a referral in the year this calendar holds, and in the year before
    # it (whose "next school year" starts on this calendar's first day).
    this_year = end_of_year_date(rule, calendar)
    year_before = first + timedelta(days=rule.offset_days)
    window = _window(rule)
    if referral is None:
        # The referral is not later than consent: could it have been made in a window?
        if trigger >= last - timedelta(days=rule.window_max) and trigger < this_year:
            reading = f"if the referral was made {window} before the last day of the school year ({last.isoformat()})"
            _offer(draft, rule, this_year, reading, missing="The referral date was not given")
        elif trigger < year_before:
            reading = (
                f"if the referral was made {window} before the last day of the school year "
                "before this one (not in this calendar)"
            )
            _offer(draft, rule, year_before, reading, missing="The referral date was not given")
        return
    if first <= referral <= last:
        left = (last - referral).days
        when = (
            f"the referral on {referral.isoformat()} came {amount(left, Unit.CALENDAR)} before "
            f"the last day of the school year ({last.isoformat()})"
        )
        if rule.window_min <= left <= rule.window_max:
            _offer(draft, rule, this_year, when)
        elif trigger >= last - timedelta(days=rule.window_max):
            # Consent came near the end, the referral did not: say why the rule is not used.
            draft.extra.append(
                f"{_capital(when)}, not {window}: the end-of-year rule ({rule.citation}) does "
                "not apply."
            )
        return
    if referral > last:
        if calendar.next_first_day is not None and referral >= calendar.next_first_day:
            draft.extra.append(
                f"The referral on {referral.isoformat()} falls in the next school year, whose "
                f"last day this calendar does not hold; the end-of-year rule ({rule.citation}) "
                "is not checked. Give that year's calendar to check it."
            )
        return  # a referral in the summer comes after the end of the school year
    if referral < first - SUMMER_BEFORE - timedelta(days=rule.window_max):
        return  # before any window of the year before: a summer is never longer
    reading = (
        f"if the referral on {referral.isoformat()} came {window} before the last day of the "
        "school year before this one"
    )
    _offer(
        draft,
        rule,
        year_before,
        reading,
        missing="The calendar does not hold the last day of the school year before",
    )


def _offer(
    draft: Draft, rule: EndOfYear, year_end: date, why: str, *, missing: str | None = None
) -> None:
    # The year-end date replaces the count where it is earlier; otherwise the count stands.
    draft.verify = draft.verify or rule.verify
    if year_end < draft.due:
        if missing is None:
            lead = f"{why}, so {rule.summary} ({rule.citation})"
        else:
            lead = f"the earlier reading of {rule.citation}: {why}, {rule.summary}"
            draft.extra.append(
                f"{missing}, so Tandem takes the earlier reading; give the referral date and "
                "the calendar of its school year to check."
            )
        draft.replace(year_end, Basis.END_OF_YEAR, lead)
    elif missing is None:
        draft.extra.append(
            f"{_capital(why)}; the end-of-year rule would give {year_end.isoformat()} "
            f"({rule.citation}), and Tandem keeps the earlier date."
        )
    else:
        draft.extra.append(
            f"{missing}; {why}, the end-of-year rule would give {year_end.isoformat()} "
            f"({rule.citation}), later than the count, which stands."
        )


def _window(rule: EndOfYear) -> str:
    if rule.window_min == 0:
        return f"{amount(rule.window_max, rule.window_unit)} or less"
    return f"{rule.window_min} to {amount(rule.window_max, rule.window_unit)}"


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]
