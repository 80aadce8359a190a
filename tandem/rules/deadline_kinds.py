"""The other rule kinds: lead times, cycles, ages, records requests and report schedules."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from tandem.rules.calendar import (
    ONE_DAY,
    InvalidInput,
    SchoolCalendar,
    Unit,
    subtract_days,
)
from tandem.rules.deadline_common import (
    add_days,
    add_months,
    add_years,
    age_text,
    amount,
    check_coverage,
    cite,
    holidays_note,
    make_deadline,
    needs_calendar,
    place,
    school_breaks_note,
    years_text,
)
from tandem.rules.deadline_types import (
    Basis,
    Deadline,
    Status,
)
from tandem.rules.profiles import (
    AgeRule,
    Anniversary,
    CycleRule,
    Disability,
    LeadTimeRule,
    RecordsRule,
    Rule,
    ScheduleRule,
    StateProfile,
)


def lead_time_rule(
    spec: LeadTimeRule, profile: StateProfile, event: date, calendar: SchoolCalendar | None
) -> Deadline:
    """A notice due N units before an event: the last day to send it."""
    if spec.unit is Unit.SCHOOL and calendar is None:
        raise needs_calendar(profile, spec, "counts school days")
    if calendar is not None and spec.unit is Unit.SCHOOL:
        check_coverage(calendar, event)
    holidays = calendar.holidays if calendar is not None else frozenset[date]()
    due = subtract_days(event, spec.days, spec.unit, calendar=calendar, holidays=holidays)
    skipped = ""
    if calendar is not None and spec.unit is Unit.SCHOOL:
        skipped = school_breaks_note(calendar, due + ONE_DAY, event - ONE_DAY)
    head = (
        f"Send by {due.isoformat()}: at least {amount(spec.days, spec.unit)} before "
        f"{spec.trigger_label} on {event.isoformat()}{skipped}; {cite(spec.citation)}"
    )
    return make_deadline(
        spec, profile, event, due, [head], Status.DUE, Basis.LEAD_TIME, spec.verify
    )


def cycle_rule(
    spec: CycleRule,
    profile: StateProfile,
    last: date,
    waiver: date | None,
    disability: Disability | None,
) -> Deadline:
    """A deadline some years after the last event (annual review, reevaluation), or its waiver."""
    years = dict(spec.years_by_disability).get(disability, spec.years) if disability else spec.years
    why = ""
    if years != spec.years and disability is not None:
        why = f" (every {years_text(years)} for {disability.value.replace('_', ' ')})"
    anniversary = add_years(last, years)
    due = anniversary - ONE_DAY if spec.anniversary is Anniversary.DAY_BEFORE else anniversary
    day_before = (
        " the day before the anniversary," if spec.anniversary is Anniversary.DAY_BEFORE else ""
    )
    if spec.rule is Rule.REEVALUATION_NOT_BEFORE:
        head = (
            f"Not before {due.isoformat()}: no more than one reevaluation a year unless the "
            f"parent and the agency agree; {years_text(years)} after {spec.trigger_label} on "
            f"{last.isoformat()}; {cite(spec.citation)}"
        )
        return make_deadline(
            spec, profile, last, due, [head], Status.DUE, Basis.ANNIVERSARY, spec.verify
        )
    if waiver is not None:
        if waiver < last:
            raise InvalidInput(
                f"waiver: {waiver.isoformat()} is before {spec.trigger_label} on {last.isoformat()}"
            )
        next_due = add_years(waiver, years)
        late = " (after the date it was due)" if waiver > due else ""
        head = (
            f"Waived: on {waiver.isoformat()}{late} the parent and the agency agreed this "
            f"reevaluation, due {due.isoformat()}, is not needed ({spec.citation}); keep the "
            f"written agreement. Tandem counts the next one {years_text(years)} from the agreement: "
            f"due {next_due.isoformat()}."
        )
        return make_deadline(
            spec, profile, last, next_due, [head], Status.WAIVED, Basis.ANNIVERSARY, spec.verify
        )
    head = (
        f"Due {due.isoformat()}:{day_before} {years_text(years)} after {spec.trigger_label} on "
        f"{last.isoformat()}{why}; {cite(spec.citation)}"
    )
    return make_deadline(
        spec, profile, last, due, [head], Status.DUE, Basis.ANNIVERSARY, spec.verify
    )


def age_rule(spec: AgeRule, profile: StateProfile, dob: date) -> Deadline:
    """A deadline at an age counted from the date of birth (transition, transfer of rights)."""
    birthday = add_months(dob, spec.age_months)
    due = birthday - ONE_DAY if spec.before_birthday else birthday
    if spec.age_of_majority is not None:
        majority = add_years(dob, spec.age_of_majority)
        head = (
            f"Due {due.isoformat()}: one year before the student reaches the age of majority "
            f"({spec.age_of_majority} under {place(profile)}) on {majority.isoformat()}, the "
            f"IEP must say which rights will transfer to the student (born {dob.isoformat()}); "
            f"{cite(spec.citation)}"
        )
    else:
        age = age_text(spec.age_months)
        when = (
            f"the day before the student turns {age}"
            if spec.before_birthday
            else (f"the day the student turns {age}")
        )
        head = (
            f"Due {due.isoformat()}: the IEP in effect on {when} (born {dob.isoformat()}) must "
            f"include measurable postsecondary goals and transition services; {cite(spec.citation)}"
        )
    return make_deadline(spec, profile, dob, due, [head], Status.DUE, Basis.BIRTHDAY, spec.verify)


def records_rule(
    spec: RecordsRule,
    profile: StateProfile,
    request: date,
    calendar: SchoolCalendar | None,
    next_meeting: date | None,
) -> Deadline:
    """An answer to a records request: N units, or before the next meeting if sooner."""
    due = add_days(request, spec.days, spec.unit, calendar)
    reason = f"{amount(spec.days, spec.unit)} after {spec.trigger_label} on {request.isoformat()}"
    if spec.unit is Unit.BUSINESS:
        reason += holidays_note(request, due, calendar)
    extra: list[str] = []
    if spec.before_next_meeting and next_meeting is None:
        extra.append("If an IEP meeting or hearing comes sooner, comply before it.")
    elif spec.before_next_meeting and next_meeting is not None:
        if next_meeting <= request:
            raise InvalidInput(
                f"next_meeting {next_meeting.isoformat()} is not after the request "
                f"{request.isoformat()}"
            )
        # "Before any meeting": the last business day before it, so the records can be seen.
        holidays = calendar.holidays if calendar is not None else frozenset[date]()
        before = max(request, subtract_days(next_meeting, 1, Unit.BUSINESS, holidays=holidays))
        if before < due:
            head = (
                f"Due {before.isoformat()}: the last business day before the next meeting on "
                f"{next_meeting.isoformat()}, which comes before {reason} "
                f"({due.isoformat()}); {cite(spec.citation)}"
            )
            return make_deadline(
                spec, profile, request, before, [head], Status.DUE, Basis.NEXT_MEETING, spec.verify
            )
    head = f"Due {due.isoformat()}: {reason}; {cite(spec.citation)}"
    return make_deadline(
        spec, profile, request, due, [head, *extra], Status.DUE, Basis.COUNT, spec.verify
    )


def schedule_rule(
    spec: ScheduleRule, profile: StateProfile, today: date, schedule: Sequence[date]
) -> Deadline:
    """The next progress report date in the IEP's schedule."""
    if not schedule:
        raise InvalidInput(f"{spec.rule.value} needs the IEP's report dates (schedule)")
    upcoming = [day for day in schedule if day >= today]
    if not upcoming:
        raise InvalidInput(f"no report date in the schedule is on or after {today.isoformat()}")
    due = min(upcoming)
    head = (
        f"Due {due.isoformat()}: the next progress report date in the IEP's schedule on or "
        f"after {today.isoformat()}; {cite(spec.citation)}"
    )
    return make_deadline(spec, profile, today, due, [head], Status.DUE, Basis.SCHEDULE, spec.verify)
