"""What is due when, and why: pure deadline computations over the state profiles.

`compute` is the one entry point. Its parts, by job: `deadline_types` (the answer and the
events it takes), `deadline_count` (count rules: N days after a trigger, with their exceptions),
`deadline_kinds` (lead times, cycles, ages, records requests, report schedules) and
`deadline_common` (what they share: the calendar checks, day arithmetic and the wording).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from tandem.rules.calendar import (
    CalendarError,
    CalendarTooShort,
    InvalidInput,
    SchoolCalendar,
)
from tandem.rules.deadline_count import count_rule
from tandem.rules.deadline_kinds import (
    age_rule,
    cycle_rule,
    lead_time_rule,
    records_rule,
    schedule_rule,
)
from tandem.rules.deadline_types import (
    Basis,
    Deadline,
    Extension,
    ExtensionReason,
    NeedsCalendar,
    RuleNotInEffect,
    Status,
    Tolling,
    TollingReason,
)
from tandem.rules.profiles import (
    FEDERAL,
    AgeRule,
    AnyRule,
    CountRule,
    CycleRule,
    Disability,
    LeadTimeRule,
    ProfileError,
    RecordsRule,
    Rule,
    RuleNotInProfile,
    ScheduleRule,
    StateProfile,
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
    "RuleNotInProfile",
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
    referral: date | None = None,
) -> Deadline:
    """The deadline for `rule` in `profile`, counted from `trigger`, with its reason.

    `referral`: for initial_evaluation, the date the referral for evaluation was made (received
    by the district), never after consent (the trigger). California's end-of-year rule keys on it
    (Cal. Educ. Code 56344(a)); without it the explanation says so and the earlier reading is
    taken. Other states' rules ignore it.
    """
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
        referral=referral,
    )
    if not isinstance(spec, AgeRule) and trigger < spec.effective_from:
        raise RuleNotInEffect(
            f"{profile.code} {rule.value}: Tandem's data for this rule starts "
            f"{spec.effective_from.isoformat()}; {trigger.isoformat()} is earlier and the rule "
            "then in force is not in the data"
        )
    if isinstance(spec, CountRule):
        return count_rule(spec, profile, trigger, calendar, absences, tolling, extension, referral)
    if isinstance(spec, LeadTimeRule):
        return lead_time_rule(spec, profile, trigger, calendar)
    if isinstance(spec, CycleRule):
        return cycle_rule(spec, profile, trigger, waiver, disability)
    if isinstance(spec, AgeRule):
        return age_rule(spec, profile, trigger)
    if isinstance(spec, RecordsRule):
        return records_rule(spec, profile, trigger, calendar, next_meeting)
    return schedule_rule(spec, profile, trigger, schedule)


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
    referral: date | None,
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
    if referral is not None:
        if spec.rule is not Rule.INITIAL_EVALUATION:
            raise refuse("referral")
        if referral > trigger:
            raise InvalidInput(
                f"referral: {referral.isoformat()} is after the trigger {trigger.isoformat()}; "
                "the referral comes before consent"
            )
