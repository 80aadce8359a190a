"""What is due when, and why: pure deadline computations over the state profiles."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from enum import StrEnum

from tandem.rules.calendar import (
    ONE_DAY,
    CalendarError,
    CalendarTooShort,
    CountStart,
    InvalidInput,
    SchoolCalendar,
    Unit,
    add_business_days,
    add_calendar_days,
    add_calendar_days_excluding,
    add_school_days,
    excluded_by,
    excluded_periods,
    federal_holidays,
    is_business_day,
    school_days_between,
    subtract_days,
)
from tandem.rules.profiles import (
    FEDERAL,
    AgeRule,
    Anchor,
    Anniversary,
    AnyRule,
    CountRule,
    CycleRule,
    Disability,
    EndOfYear,
    LeadTimeRule,
    ProfileError,
    RecordsRule,
    Rule,
    ScheduleRule,
    StateProfile,
    TollingMode,
    UnknownRule,
    UnknownState,
    available_states,
    load_profile,
    parse_rule,
)

__all__ = [
    "Basis",
    "CalendarError",
    "CalendarTooShort",
    "Deadline",
    "Disability",
    "Extension",
    "ExtensionReason",
    "InvalidInput",
    "NeedsCalendar",
    "ProfileError",
    "Rule",
    "RuleNotInEffect",
    "SchoolCalendar",
    "StateProfile",
    "Status",
    "Tolling",
    "TollingReason",
    "UnknownRule",
    "UnknownState",
    "available_states",
    "compute",
    "load_profile",
    "next_progress_report",
    "parse_rule",
]

_VERIFY = "Citation marked verify: check it against the current code before relying on it."
_POLICY = "This date is district policy, not law."
_SUMMER_BEFORE = timedelta(days=120)  # longer than any US summer break
_YEAR_AFTER = timedelta(days=365)


class NeedsCalendar(InvalidInput):
    """The rule counts school days or skips breaks, so it needs the district's school calendar."""


class RuleNotInEffect(InvalidInput):
    """The trigger is older than the rule data Tandem holds for the state."""


class Status(StrEnum):
    """Whether the date is a live deadline."""

    DUE = "due"
    DOES_NOT_APPLY = "does_not_apply"  # 300.301(d)(1): the date is shown only for reference
    WAIVED = "waived"  # a reevaluation the parent and the agency agreed was not needed


class Basis(StrEnum):
    """What fixed the due date."""

    COUNT = "count"  # a count of days in the rule's unit
    LEAD_TIME = "lead_time"  # a count of days back from an event
    END_OF_YEAR = "end_of_year"  # a state's rule for consent near the end of the school year
    FIRST_DAY = "first_day"  # a summer deadline moved to the first day of school
    AGREED_DATE = "agreed_date"  # a date the parent and the agency agreed
    ANNIVERSARY = "anniversary"
    BIRTHDAY = "birthday"
    NEXT_MEETING = "next_meeting"
    SCHEDULE = "schedule"


class TollingReason(StrEnum):
    """Why the clock stopped."""

    CHILD_NOT_PRODUCED = "child_not_produced"  # 300.301(d)(1)


class ExtensionReason(StrEnum):
    """Why an evaluation has an agreed completion date."""

    TRANSFER = "transfer"  # 300.301(d)(2), (e): the child moved to a new district
    SLD_WRITTEN_AGREEMENT = "sld_written_agreement"  # 300.309(c)


@dataclass(frozen=True, slots=True)
class Tolling:
    """A period when the parent repeatedly failed or refused to produce the child; ends inclusive."""

    start: date
    end: date
    reason: TollingReason = TollingReason.CHILD_NOT_PRODUCED


@dataclass(frozen=True, slots=True)
class Extension:
    """A completion date the parent and the agency agreed in writing."""

    agreed_date: date
    reason: ExtensionReason


@dataclass(frozen=True, slots=True)
class Deadline:
    """A due date with its reason and citation."""

    rule: Rule
    state: str
    trigger: date
    due: date
    citation: str
    explanation: str
    policy_only: bool = False
    status: Status = Status.DUE
    basis: Basis = Basis.COUNT
    verify: bool = False

    def as_json(self) -> dict[str, str]:
        """The five fields the CLI prints with --json."""
        return {
            "rule": self.rule.value,
            "state": self.state,
            "due": self.due.isoformat(),
            "citation": self.citation,
            "explanation": self.explanation,
        }


def compute(
    rule: Rule,
    profile: StateProfile,
    trigger: date,
    *,
    calendar: SchoolCalendar | None = None,
    dob: date | None = None,
    absences: int = 0,
    tolling: Sequence[Tolling] = (),
    extension: Extension | None = None,
    next_meeting: date | None = None,
    waiver: date | None = None,
    disability: Disability | None = None,
    schedule: Sequence[date] = (),
) -> Deadline:
    """The deadline for `rule` in `profile`, counted from `trigger`, with its reason."""
    spec = profile.spec(rule)
    _check_arguments(
        spec,
        dob=dob,
        trigger=trigger,
        absences=absences,
        tolling=tolling,
        extension=extension,
        next_meeting=next_meeting,
        waiver=waiver,
        disability=disability,
        schedule=schedule,
    )
    if not isinstance(spec, AgeRule) and trigger < spec.effective_from:
        raise RuleNotInEffect(
            f"{profile.code} {rule.value}: Tandem's data for this rule starts "
            f"{spec.effective_from.isoformat()}; {trigger.isoformat()} is earlier and the rule "
            "then in force is not in the data"
        )
    if isinstance(spec, CountRule):
        return _count_rule(spec, profile, trigger, calendar, absences, tolling, extension)
    if isinstance(spec, LeadTimeRule):
        return _lead_time_rule(spec, profile, trigger, calendar)
    if isinstance(spec, CycleRule):
        return _cycle_rule(spec, profile, trigger, waiver, disability)
    if isinstance(spec, AgeRule):
        return _age_rule(spec, profile, trigger)
    if isinstance(spec, RecordsRule):
        return _records_rule(spec, profile, trigger, calendar, next_meeting)
    return _schedule_rule(spec, profile, trigger, schedule)


def next_progress_report(
    schedule: Sequence[date], today: date, *, profile: StateProfile | None = None
) -> Deadline:
    """The next progress report date on or after `today` in the IEP's schedule."""
    return compute(Rule.PROGRESS_REPORT, profile or load_profile(FEDERAL), today, schedule=schedule)


# --- checks ---------------------------------------------------------------------------------


def _check_arguments(
    spec: AnyRule,
    *,
    dob: date | None,
    trigger: date,
    absences: int,
    tolling: Sequence[Tolling],
    extension: Extension | None,
    next_meeting: date | None,
    waiver: date | None,
    disability: Disability | None,
    schedule: Sequence[date],
) -> None:
    name = spec.rule.value

    def refuse(argument: str) -> InvalidInput:
        return InvalidInput(f"{argument} does not apply to {name}")

    if dob is not None:
        if not isinstance(spec, AgeRule):
            raise refuse("dob")
        if dob != trigger:
            raise InvalidInput(f"{name}: the trigger is the date of birth; dob and trigger differ")
    if absences < 0:
        raise InvalidInput(f"absences cannot be negative (got {absences})")
    if absences and not isinstance(spec, CountRule):
        raise refuse("absences")
    takes_exceptions = isinstance(spec, CountRule) and spec.tolling is not None
    if tolling and not takes_exceptions:
        raise refuse("tolling")
    for period in tolling:
        if period.end < period.start:
            raise InvalidInput(f"tolling: {period.end.isoformat()} is before {period.start}")
        if period.start < trigger:
            raise InvalidInput(
                f"tolling: {period.start.isoformat()} is before the trigger {trigger.isoformat()}"
            )
    if extension is not None:
        if not takes_exceptions:
            raise refuse("extension")
        if extension.agreed_date < trigger:
            raise InvalidInput(
                f"extension: the agreed date {extension.agreed_date.isoformat()} is before the "
                f"trigger {trigger.isoformat()}"
            )
    if next_meeting is not None and not isinstance(spec, RecordsRule):
        raise refuse("next_meeting")
    if waiver is not None and not (isinstance(spec, CycleRule) and spec.waivable):
        raise refuse("waiver")
    if disability is not None and not isinstance(spec, CycleRule):
        raise refuse("disability")
    if schedule and not isinstance(spec, ScheduleRule):
        raise refuse("schedule")


def _check_coverage(calendar: SchoolCalendar, trigger: date) -> None:
    # A calendar holds one school year, the summer before it and the next year's start; a
    # trigger far outside that would be counted against the wrong year's days without a word.
    earliest = calendar.first_day - _SUMMER_BEFORE
    latest = (calendar.next_first_day or calendar.last_day) + _YEAR_AFTER
    if not earliest <= trigger <= latest:
        raise CalendarTooShort(
            f"{trigger.isoformat()} is outside the school year this calendar holds "
            f"({calendar.first_day.isoformat()} to {calendar.last_day.isoformat()}); "
            "give the calendar for that school year"
        )


def _needs_calendar(profile: StateProfile, spec: AnyRule, why: str) -> NeedsCalendar:
    return NeedsCalendar(
        f"{profile.code} {spec.rule.value} {why}, so it needs the district's school calendar "
        "(--calendar FILE)"
    )


# --- the rule kinds -------------------------------------------------------------------------


@dataclass(slots=True)
class _Draft:
    """A count-rule answer being built: each step may move the date and adds its reason."""

    due: date
    reason: str
    basis: Basis = Basis.COUNT
    status: Status = Status.DUE
    verify: bool = False
    absences_extended: bool = False
    extra: list[str] = field(default_factory=list)


def _count_rule(
    spec: CountRule,
    profile: StateProfile,
    trigger: date,
    calendar: SchoolCalendar | None,
    absences: int,
    tolling: Sequence[Tolling],
    extension: Extension | None,
) -> Deadline:
    if calendar is None and spec.unit is Unit.SCHOOL:
        raise _needs_calendar(profile, spec, "counts school days")
    if calendar is None and spec.exclusions.any:
        raise _needs_calendar(profile, spec, "does not count summer or school breaks")
    if calendar is not None and (spec.unit is Unit.SCHOOL or spec.exclusions.any):
        _check_coverage(calendar, trigger)
    reason = f"{_amount(spec.days, spec.unit)} after {spec.trigger_label} on {trigger.isoformat()}"
    if spec.count_start is CountStart.TRIGGER_DAY:
        reason += " (that day counts as day 1)"
    draft = _Draft(_count(spec, trigger, calendar, frozenset()), reason, verify=spec.verify)
    # The order matters: stop-clock days move the count itself; absences extend the count; the
    # end-of-year and summer rules replace the result; an agreed date replaces everything.
    _apply_tolling(draft, spec, trigger, calendar, tolling)
    _apply_absences(draft, spec, profile, calendar, absences)
    if spec.end_of_year is not None and calendar is not None:
        _apply_end_of_year(draft, spec.end_of_year, spec.trigger_label, trigger, calendar, absences)
    if spec.summer_moves_to_first_day:
        _apply_summer_rule(draft, calendar)
    if extension is not None:
        _apply_extension(draft, extension)
    if draft.status is Status.DOES_NOT_APPLY:
        # The "does not apply" sentence, added first, leads; the date follows for reference.
        head = f"For reference, {draft.due.isoformat()}: {draft.reason}; {_cite(spec.citation)}"
        sentences = [draft.extra[0], head, *draft.extra[1:]]
    else:
        head = f"Due {draft.due.isoformat()}: {draft.reason}; {_cite(spec.citation)}"
        sentences = [head, *draft.extra]
    return _result(
        spec, profile, trigger, draft.due, sentences, draft.status, draft.basis, draft.verify
    )


def _apply_tolling(
    draft: _Draft,
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
        tolled = frozenset(day for period in live for day in _span(period.start, period.end))
        extended = _count(spec, trigger, calendar, tolled)
        if extended > draft.due:
            count = _tolled_count(spec, calendar, first, extended, tolled)
            stopped = (
                f", plus {_amount(count, spec.unit)} the clock was stopped while the parent "
                f"did not produce the child ({_periods(live)}; {spec.tolling_citation})"
            )
        draft.due = extended
    elif live:
        draft.status = Status.DOES_NOT_APPLY
        draft.extra.append(
            f"The timeline does not apply: the parent repeatedly failed or refused to produce "
            f"the child ({_periods(live)}; {spec.tolling_citation}). Record the reason; the date "
            "is shown for reference only."
        )
    if calendar is not None and spec.exclusions.any:
        skipped = excluded_periods(calendar, spec.exclusions, first, draft.due)
        if skipped:
            draft.reason += ", not counting " + _join([period.describe() for period in skipped])
    if spec.unit is Unit.BUSINESS:
        draft.reason += _holidays_note(trigger, draft.due, calendar)
    draft.reason += stopped


def _apply_absences(
    draft: _Draft,
    spec: CountRule,
    profile: StateProfile,
    calendar: SchoolCalendar | None,
    absences: int,
) -> None:
    rule = spec.absence_extension
    if not absences:
        return
    if rule is None:
        draft.extra.append(f"Absences do not extend this timeline under {_place(profile)}.")
        return
    if absences <= rule.more_than:
        draft.extra.append(
            f"The student's {absences} absences do not extend the timeline; it takes more "
            f"than {rule.more_than} ({rule.citation})."
        )
        return
    if rule.unit is Unit.SCHOOL and calendar is None:
        raise _needs_calendar(profile, spec, "extends by school days of absence")
    draft.due = _add(draft.due, absences, rule.unit, calendar)
    draft.absences_extended = True
    draft.reason += (
        f", plus {_amount(absences, rule.unit)} for the student's {absences} absences "
        f"({rule.citation})"
    )
    draft.verify = draft.verify or rule.verify
    if rule.note:
        draft.extra.append(rule.note)


def _apply_end_of_year(
    draft: _Draft,
    rule: EndOfYear,
    label: str,
    trigger: date,
    calendar: SchoolCalendar,
    absences: int,
) -> None:
    # These rules look only at consent received during the school year the calendar holds.
    if not calendar.first_day <= trigger <= calendar.last_day:
        return
    if rule.window_unit is Unit.SCHOOL:
        left = school_days_between(calendar, trigger, calendar.last_day)
    else:
        left = (calendar.last_day - trigger).days
    if not rule.window_min <= left <= rule.window_max:
        return
    when = (
        f"{label.capitalize()} on {trigger.isoformat()} came {_amount(left, rule.window_unit)} "
        f"before the last day of the school year ({calendar.last_day.isoformat()})"
    )
    if rule.absences_cancel and draft.absences_extended:
        draft.extra.append(
            f"{when}, but with {absences} absences the end-of-year date does not apply "
            f"({rule.citation})."
        )
        return
    eoy_due = _end_of_year_date(rule, calendar)
    draft.verify = draft.verify or rule.verify
    if eoy_due < draft.due:
        draft.extra.append(
            f"{when}, so {rule.summary}: {eoy_due.isoformat()} ({rule.citation}); the count "
            f"alone would end {draft.due.isoformat()}."
        )
        draft.due, draft.basis = eoy_due, Basis.END_OF_YEAR
    else:
        # Conservative: where the special rule would give a later date, keep the count.
        draft.extra.append(
            f"{when}; the end-of-year rule would give {eoy_due.isoformat()} ({rule.citation}), "
            "and Tandem keeps the earlier date."
        )
    if rule.note:
        draft.extra.append(rule.note)


def _apply_summer_rule(draft: _Draft, calendar: SchoolCalendar | None) -> None:
    if calendar is None:
        # Without a calendar the unmoved date stands: it is the earlier, safer one.
        draft.extra.append(
            "If that day falls in the summer, the deadline moves to the first day of classes; "
            "give the school calendar to check."
        )
        return
    moved = _first_day_after_summer(calendar, draft.due)
    if moved is not None:
        draft.extra.append(
            f"The count ends {draft.due.isoformat()}, in the summer, so the deadline moves to "
            f"the first day of classes, {moved.isoformat()}."
        )
        draft.due, draft.basis = moved, Basis.FIRST_DAY


def _apply_extension(draft: _Draft, extension: Extension) -> None:
    agreed = extension.agreed_date.isoformat()
    if extension.reason is ExtensionReason.TRANSFER:
        draft.extra.append(
            f"The child moved to a new district during the evaluation, and the parent and the "
            f"new district agreed to finish by {agreed} (34 CFR 300.301(d)(2), (e)); that date "
            f"replaces {draft.due.isoformat()}."
        )
    elif extension.agreed_date < draft.due:
        raise InvalidInput(
            f"extension: the agreed date {agreed} is earlier than the deadline it would extend "
            f"({draft.due.isoformat()}); an SLD extension can only add time"
        )
    else:
        draft.extra.append(
            f"The parent and the eligibility group agreed in writing to extend the timeline for "
            f"a specific learning disability evaluation to {agreed} (34 CFR 300.309(c)); the "
            f"count alone would end {draft.due.isoformat()}."
        )
    draft.due, draft.basis = extension.agreed_date, Basis.AGREED_DATE


def _lead_time_rule(
    spec: LeadTimeRule, profile: StateProfile, event: date, calendar: SchoolCalendar | None
) -> Deadline:
    if spec.unit is Unit.SCHOOL and calendar is None:
        raise _needs_calendar(profile, spec, "counts school days")
    if calendar is not None and spec.unit is Unit.SCHOOL:
        _check_coverage(calendar, event)
    holidays = calendar.holidays if calendar is not None else frozenset[date]()
    due = subtract_days(event, spec.days, spec.unit, calendar=calendar, holidays=holidays)
    head = (
        f"Send by {due.isoformat()}: at least {_amount(spec.days, spec.unit)} before "
        f"{spec.trigger_label} on {event.isoformat()}; {_cite(spec.citation)}"
    )
    return _result(spec, profile, event, due, [head], Status.DUE, Basis.LEAD_TIME, spec.verify)


def _cycle_rule(
    spec: CycleRule,
    profile: StateProfile,
    last: date,
    waiver: date | None,
    disability: Disability | None,
) -> Deadline:
    years = dict(spec.years_by_disability).get(disability, spec.years) if disability else spec.years
    why = ""
    if years != spec.years and disability is not None:
        why = f" (every {_years(years)} for {disability.value.replace('_', ' ')})"
    anniversary = add_years(last, years)
    due = anniversary - ONE_DAY if spec.anniversary is Anniversary.DAY_BEFORE else anniversary
    day_before = (
        " the day before the anniversary," if spec.anniversary is Anniversary.DAY_BEFORE else ""
    )
    if spec.rule is Rule.REEVALUATION_NOT_BEFORE:
        head = (
            f"Not before {due.isoformat()}: no more than one reevaluation a year unless the "
            f"parent and the agency agree; {_years(years)} after {spec.trigger_label} on "
            f"{last.isoformat()}; {_cite(spec.citation)}"
        )
        return _result(spec, profile, last, due, [head], Status.DUE, Basis.ANNIVERSARY, spec.verify)
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
            f"written agreement. Tandem counts the next one {_years(years)} from the agreement: "
            f"due {next_due.isoformat()}."
        )
        return _result(
            spec, profile, last, next_due, [head], Status.WAIVED, Basis.ANNIVERSARY, spec.verify
        )
    head = (
        f"Due {due.isoformat()}:{day_before} {_years(years)} after {spec.trigger_label} on "
        f"{last.isoformat()}{why}; {_cite(spec.citation)}"
    )
    return _result(spec, profile, last, due, [head], Status.DUE, Basis.ANNIVERSARY, spec.verify)


def _age_rule(spec: AgeRule, profile: StateProfile, dob: date) -> Deadline:
    birthday = add_months(dob, spec.age_months)
    due = birthday - ONE_DAY if spec.before_birthday else birthday
    if spec.age_of_majority is not None:
        majority = add_years(dob, spec.age_of_majority)
        head = (
            f"Due {due.isoformat()}: one year before the student reaches the age of majority "
            f"({spec.age_of_majority} under {_place(profile)}) on {majority.isoformat()}, the "
            f"IEP must say which rights will transfer to the student (born {dob.isoformat()}); "
            f"{_cite(spec.citation)}"
        )
    else:
        age = _age(spec.age_months)
        when = (
            f"the day before the student turns {age}"
            if spec.before_birthday
            else (f"the day the student turns {age}")
        )
        head = (
            f"Due {due.isoformat()}: the IEP in effect on {when} (born {dob.isoformat()}) must "
            f"include measurable postsecondary goals and transition services; {_cite(spec.citation)}"
        )
    return _result(spec, profile, dob, due, [head], Status.DUE, Basis.BIRTHDAY, spec.verify)


def _records_rule(
    spec: RecordsRule,
    profile: StateProfile,
    request: date,
    calendar: SchoolCalendar | None,
    next_meeting: date | None,
) -> Deadline:
    due = _add(request, spec.days, spec.unit, calendar)
    reason = f"{_amount(spec.days, spec.unit)} after {spec.trigger_label} on {request.isoformat()}"
    if spec.unit is Unit.BUSINESS:
        reason += _holidays_note(request, due, calendar)
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
                f"({due.isoformat()}); {_cite(spec.citation)}"
            )
            return _result(
                spec, profile, request, before, [head], Status.DUE, Basis.NEXT_MEETING, spec.verify
            )
    head = f"Due {due.isoformat()}: {reason}; {_cite(spec.citation)}"
    return _result(
        spec, profile, request, due, [head, *extra], Status.DUE, Basis.COUNT, spec.verify
    )


def _schedule_rule(
    spec: ScheduleRule, profile: StateProfile, today: date, schedule: Sequence[date]
) -> Deadline:
    if not schedule:
        raise InvalidInput(f"{spec.rule.value} needs the IEP's report dates (schedule)")
    upcoming = [day for day in schedule if day >= today]
    if not upcoming:
        raise InvalidInput(f"no report date in the schedule is on or after {today.isoformat()}")
    due = min(upcoming)
    head = (
        f"Due {due.isoformat()}: the next progress report date in the IEP's schedule on or "
        f"after {today.isoformat()}; {_cite(spec.citation)}"
    )
    return _result(spec, profile, today, due, [head], Status.DUE, Basis.SCHEDULE, spec.verify)


# --- shared helpers -------------------------------------------------------------------------


def _result(
    spec: AnyRule,
    profile: StateProfile,
    trigger: date,
    due: date,
    sentences: list[str],
    status: Status,
    basis: Basis,
    verify: bool,
) -> Deadline:
    if spec.note:
        sentences.append(spec.note)
    if spec.policy_only:
        sentences.append(_POLICY)
    if verify:
        sentences.append(_VERIFY)
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


def _add(start: date, n: int, unit: Unit, calendar: SchoolCalendar | None) -> date:
    if unit is Unit.SCHOOL:
        assert calendar is not None
        return add_school_days(calendar, start, n)
    if unit is Unit.BUSINESS:
        holidays = calendar.holidays if calendar is not None else frozenset[date]()
        return add_business_days(start, n, holidays=holidays)
    return add_calendar_days(start, n)


def _end_of_year_date(rule: EndOfYear, calendar: SchoolCalendar) -> date:
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


def _holidays_note(start: date, end: date, calendar: SchoolCalendar | None) -> str:
    extra = calendar.holidays if calendar is not None else frozenset[date]()
    skipped = sorted(
        day
        for day in _span(start + ONE_DAY, end)
        if day.weekday() < 5 and (day in federal_holidays(day.year) or day in extra)
    )
    note = ""
    if skipped:
        note = ", skipping the holiday" + ("s " if len(skipped) > 1 else " ")
        note += _join([day.isoformat() for day in skipped])
    if calendar is None or not calendar.holidays:
        note += " (federal holidays only; list state holidays in the calendar's holidays)"
    return note


def _span(start: date, end: date) -> list[date]:
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


def _amount(n: int, unit: Unit) -> str:
    noun = {Unit.CALENDAR: "day", Unit.BUSINESS: "business day", Unit.SCHOOL: "school day"}[unit]
    return f"{n} {noun}" if n == 1 else f"{n} {noun}s"


def _years(n: int) -> str:
    return "1 year" if n == 1 else f"{n} years"


def _age(months: int) -> str:
    years, rest = divmod(months, 12)
    if rest == 0:
        return str(years)
    if rest == 6:
        return f"{years} and a half"
    return f"{years} years and {rest} months"


def _place(profile: StateProfile) -> str:
    return "federal law" if profile.code == FEDERAL else f"{profile.name} law"


def _periods(periods: Sequence[Tolling]) -> str:
    return _join(
        [
            period.start.isoformat()
            if period.start == period.end
            else f"{period.start.isoformat()} to {period.end.isoformat()}"
            for period in sorted(periods, key=lambda p: p.start)
        ]
    )


def _cite(citation: str) -> str:
    # Citations such as "s. 1003.5716, F.S." already end with a full stop.
    return citation if citation.endswith(".") else citation + "."


def _join(items: Sequence[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
