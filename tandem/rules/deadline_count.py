"""Count rules: N days after a trigger, with stop-clock days, absences, year-end and summer rules."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date

from tandem.rules.calendar import (
    ONE_DAY,
    CalendarTooShort,
    CountStart,
    InvalidInput,
    SchoolCalendar,
    Unit,
    add_calendar_days,
    add_calendar_days_excluding,
    add_school_days,
    excluded_by,
    excluded_periods,
    is_business_day,
)
from tandem.rules.deadline_common import (
    Draft,
    add_days,
    amount,
    check_coverage,
    cite,
    holidays_note,
    join_words,
    make_deadline,
    needs_calendar,
    periods_text,
    place,
    school_breaks_note,
    span,
)
from tandem.rules.deadline_types import (
    Basis,
    Deadline,
    Extension,
    ExtensionReason,
    Status,
    Tolling,
)
from tandem.rules.deadline_year_end import apply_end_of_year
from tandem.rules.profiles import (
    CountRule,
    StateProfile,
    TollingMode,
)


def count_rule(
    spec: CountRule,
    profile: StateProfile,
    trigger: date,
    calendar: SchoolCalendar | None,
    absences: int,
    tolling: Sequence[Tolling],
    extension: Extension | None,
    referral: date | None = None,
) -> Deadline:
    """N units after the trigger, then the stop-clock, absence, year-end and summer rules."""
    if calendar is None and spec.unit is Unit.SCHOOL:
        raise needs_calendar(profile, spec, "counts school days")
    if calendar is None and spec.exclusions.any:
        raise needs_calendar(profile, spec, "does not count summer or school breaks")
    if calendar is not None and (spec.unit is Unit.SCHOOL or spec.exclusions.any):
        check_coverage(calendar, trigger)
    reason = f"{amount(spec.days, spec.unit)} after {spec.trigger_label} on {trigger.isoformat()}"
    if spec.count_start is CountStart.TRIGGER_DAY:
        reason += " (that day counts as day 1)"
    draft = Draft(_count(spec, trigger, calendar, frozenset()), reason, verify=spec.verify)
    # The order matters: stop-clock days move the count itself; absences extend the count; the
    # end-of-year and summer rules replace the result; an agreed date replaces everything.
    _apply_tolling(draft, spec, trigger, calendar, tolling)
    _apply_absences(draft, spec, profile, calendar, absences)
    if spec.end_of_year is not None and calendar is not None:
        apply_end_of_year(
            draft, spec.end_of_year, spec.trigger_label, trigger, calendar, absences, referral
        )
    if spec.summer_moves_to_first_day:
        _apply_summer_rule(draft, calendar)
    if extension is not None:
        _apply_extension(draft, extension)
    count = f"{draft.reason}; {cite(spec.citation)}"
    if draft.status is Status.DOES_NOT_APPLY:
        # The "does not apply" sentence, added first, leads; the date follows for reference.
        head = f"For reference, {draft.due.isoformat()}: {count}"
        sentences = [draft.extra[0], head, *draft.extra[1:]]
    elif draft.lead is not None and draft.count_due is not None:
        # A monitor checks the first sentence against the date: it names the rule that decided
        # it; the count it replaced follows, with where that count ended.
        comma = "," if "," in draft.reason else ""
        head = (
            f"Due {draft.due.isoformat()}: {draft.lead}. It replaces the count: {draft.reason}"
            f"{comma} would end {draft.count_due.isoformat()}; {cite(spec.citation)}"
        )
        sentences = [head, *draft.extra]
    else:
        head = f"Due {draft.due.isoformat()}: {count}"
        sentences = [head, *draft.extra]
    return make_deadline(
        spec, profile, trigger, draft.due, sentences, draft.status, draft.basis, draft.verify
    )


def _apply_tolling(
    draft: Draft,
    spec: CountRule,
    trigger: date,
    calendar: SchoolCalendar | None,
    tolling: Sequence[Tolling],
) -> None:
    # 300.301(d)(1): the timeframe "does not apply"; some states stop the clock instead.
    first = trigger if spec.count_start is CountStart.TRIGGER_DAY else trigger + ONE_DAY
    stopped = ""
    live = [period for period in tolling if period.start <= draft.due]
    if live and spec.tolling is TollingMode.EXTEND:
        tolled = frozenset(day for period in live for day in span(period.start, period.end))
        extended = _count(spec, trigger, calendar, tolled)
        if extended > draft.due:
            count = _tolled_count(spec, calendar, first, extended, tolled)
            stopped = (
                f", plus {amount(count, spec.unit)} the clock was stopped while the parent "
                f"did not produce the child ({periods_text(live)}; {spec.tolling_citation})"
            )
        draft.due = extended
    elif live:
        draft.status = Status.DOES_NOT_APPLY
        draft.extra.append(
            f"The timeline does not apply: the parent repeatedly failed or refused to produce "
            f"the child ({periods_text(live)}; {spec.tolling_citation}). Record the reason; the date "
            "is shown for reference only."
        )
    if calendar is not None and spec.exclusions.any:
        skipped = excluded_periods(calendar, spec.exclusions, first, draft.due)
        if skipped:
            draft.reason += ", not counting " + join_words(
                [period.describe() for period in skipped]
            )
    if spec.unit is Unit.SCHOOL and calendar is not None:
        draft.reason += school_breaks_note(calendar, first, draft.due)
    if spec.unit is Unit.BUSINESS:
        draft.reason += holidays_note(trigger, draft.due, calendar)
    draft.reason += stopped


def _apply_absences(
    draft: Draft,
    spec: CountRule,
    profile: StateProfile,
    calendar: SchoolCalendar | None,
    absences: int,
) -> None:
    rule = spec.absence_extension
    if not absences:
        return
    if rule is None:
        draft.extra.append(f"Absences do not extend this timeline under {place(profile)}.")
        return
    if absences <= rule.more_than:
        draft.extra.append(
            f"The student's {absences} absences do not extend the timeline; it takes more "
            f"than {rule.more_than} ({rule.citation})."
        )
        return
    if rule.unit is Unit.SCHOOL and calendar is None:
        raise needs_calendar(profile, spec, "extends by school days of absence")
    draft.due = add_days(draft.due, absences, rule.unit, calendar)
    draft.absences_extended = True
    draft.reason += (
        f", plus {amount(absences, rule.unit)} for the student's {absences} absences "
        f"({rule.citation})"
    )
    draft.verify = draft.verify or rule.verify
    if rule.note:
        draft.extra.append(rule.note)


def _apply_summer_rule(draft: Draft, calendar: SchoolCalendar | None) -> None:
    if calendar is None:
        # Without a calendar the unmoved date stands: it is the earlier, safer one.
        draft.extra.append(
            "If that day falls in the summer, the deadline moves to the first day of classes; "
            "give the school calendar to check."
        )
        return
    moved = _first_day_after_summer(calendar, draft.due)
    if moved is not None:
        draft.replace(
            moved, Basis.FIRST_DAY, "the first day of classes, because the count ends in the summer"
        )


def _apply_extension(draft: Draft, extension: Extension) -> None:
    agreed = extension.agreed_date.isoformat()
    if extension.reason is ExtensionReason.TRANSFER:
        lead = (
            "the date the parent and the new district agreed to finish the evaluation after "
            "the child moved (34 CFR 300.301(d)(2), (e))"
        )
    elif extension.agreed_date < draft.due:
        raise InvalidInput(
            f"extension: the agreed date {agreed} is earlier than the deadline it would extend "
            f"({draft.due.isoformat()}); an SLD extension can only add time"
        )
    else:
        lead = (
            "the date the parent and the eligibility group agreed in writing for a specific "
            "learning disability evaluation (34 CFR 300.309(c))"
        )
    draft.replace(extension.agreed_date, Basis.AGREED_DATE, lead)


def _count(
    spec: CountRule, trigger: date, calendar: SchoolCalendar | None, tolled: frozenset[date]
) -> date:
    start, n = spec.count_start, spec.days
    if spec.unit is Unit.SCHOOL:
        assert calendar is not None
        if not tolled:
            return add_school_days(calendar, trigger, n, count_start=start)
        return add_calendar_days_excluding(
            trigger, n, _not_school_day(calendar, tolled), count_start=start
        )
    if spec.unit is Unit.BUSINESS:
        holidays = calendar.holidays if calendar is not None else frozenset[date]()
        return add_calendar_days_excluding(
            trigger,
            n,
            lambda day: day in tolled or not is_business_day(day, holidays),
            count_start=start,
        )
    if calendar is None or not spec.exclusions.any:
        if not tolled:
            return add_calendar_days(trigger, n, count_start=start)
        return add_calendar_days_excluding(trigger, n, tolled.__contains__, count_start=start)
    excluded = excluded_by(calendar, spec.exclusions)
    return add_calendar_days_excluding(
        trigger, n, lambda day: day in tolled or excluded(day), count_start=start
    )


def _not_school_day(calendar: SchoolCalendar, tolled: frozenset[date]) -> Callable[[date], bool]:
    def skip(day: date) -> bool:
        if calendar.next_first_day is None and day > calendar.last_day:
            raise CalendarTooShort(
                f"the count runs past last_day {calendar.last_day.isoformat()}, and the "
                "calendar has no next_first_day"
            )
        return day in tolled or not calendar.is_school_day(day)

    return skip


def _tolled_count(
    spec: CountRule,
    calendar: SchoolCalendar | None,
    first: date,
    due: date,
    tolled: frozenset[date],
) -> int:
    # The tolled days that would have counted: the amount the deadline moved out by.
    window = [day for day in tolled if first <= day <= due]
    if spec.unit is Unit.SCHOOL:
        assert calendar is not None
        return sum(1 for day in window if calendar.is_school_day(day))
    if spec.unit is Unit.BUSINESS:
        holidays = calendar.holidays if calendar is not None else frozenset[date]()
        return sum(1 for day in window if is_business_day(day, holidays))
    if calendar is not None and spec.exclusions.any:
        excluded = excluded_by(calendar, spec.exclusions)
        return sum(1 for day in window if not excluded(day))
    return len(window)


def _first_day_after_summer(calendar: SchoolCalendar, day: date) -> date | None:
    if day < calendar.first_day:
        return calendar.first_day
    if day > calendar.last_day and calendar.in_summer(day):
        if calendar.next_first_day is None:
            raise CalendarTooShort(
                f"{day.isoformat()} falls after last_day, and the calendar has no next_first_day"
            )
        return calendar.next_first_day
    return None
