"""Dating the demo referrals: every step of a stage backdated in school days from demo today.

Deadlines are the rules engine's, on the calendar the actions will build from the seeded rows, so
an "overdue" referral is overdue by the same count the deadlines page shows.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date, timedelta

from tandem.demo import districts
from tandem.demo.referrals_cases import METHODS, PlannedAssessment, PlannedReferral, Stage
from tandem.referrals.models import AreaOfConcern, AssessmentArea, Track
from tandem.rules import calendar as rules_calendar
from tandem.rules import deadlines as engine

# The engine's calendar for 2026-27 also covers the summer before it (actions._SUMMER_BEFORE).
_CALENDAR_REACH = timedelta(days=119)


def engine_calendar(spec: districts.DistrictSpec) -> rules_calendar.SchoolCalendar:
    """The rules' calendar the actions will build from the seeded rows of `spec`."""
    days: set[date] = set()
    for _kind, _name, start, end in spec.closures:
        days.update(start + timedelta(days=n) for n in range((end - start).days + 1))
    return rules_calendar.SchoolCalendar(
        first_day=spec.first_day,
        last_day=spec.last_day,
        next_first_day=spec.next_first_day,
        non_school_days=frozenset(days),
        breaks=tuple(rules_calendar.Break(name, a, b) for _k, name, a, b in spec.closures),
    )


class Dates:
    """Backdating in one district: school days and the engine's due dates."""

    def __init__(self, spec: districts.DistrictSpec, anchor: date) -> None:
        self.spec = spec
        self.anchor = anchor
        self.calendar = engine_calendar(spec)
        self.profile = engine.load_profile(spec.state)
        self.closed = self.calendar.non_school_days
        self.floor = spec.first_day - _CALENDAR_REACH  # earliest trigger with a calendar

    def back(self, days: int, start: date | None = None) -> date:
        """The working day `days` working days before `start` (default demo today); with 0,
        `start` itself or the working day before it."""
        day = start or self.anchor
        for _ in range(days):
            day -= timedelta(days=1)
            day = self.back(0, day)
        while day.weekday() >= 5 or day in self.closed:
            day -= timedelta(days=1)
        return day

    def due(self, rule: engine.Rule, trigger: date, *, referral: date | None = None) -> date:
        return engine.compute(
            rule, self.profile, trigger, calendar=self.calendar, referral=referral
        ).due

    def latest_overdue(self, rule: engine.Rule, start: date, by: int, *, room: int = 0) -> date:
        """The latest working day from `start` back whose `rule` deadline is `by` days past
        demo today; early in the school year, no earlier than `room` days after the first
        day the calendar covers (so the deadline may not be overdue yet)."""
        floor = self.floor + timedelta(days=room)
        day = start
        while day > floor and self.due(rule, day) >= self.anchor - timedelta(days=by):
            day = self.back(1, day)
        return max(day, floor)


def _assessment_areas(areas: Sequence[str]) -> list[str]:
    result = [AssessmentArea.COGNITIVE_PSYCHOLOGICAL]  # the psychoeducational evaluation
    if {AreaOfConcern.READING, AreaOfConcern.WRITING, AreaOfConcern.MATH} & set(areas):
        result.insert(0, AssessmentArea.ACADEMIC)
    if AreaOfConcern.SPEECH_LANGUAGE in areas:
        result.append(AssessmentArea.SPEECH_LANGUAGE)
    if {AreaOfConcern.ATTENTION, AreaOfConcern.BEHAVIOR, AreaOfConcern.SOCIAL_EMOTIONAL} & set(
        areas
    ):
        result.append(AssessmentArea.BEHAVIORAL_OBSERVATION)
    if AreaOfConcern.MOTOR in areas:
        result.append(AssessmentArea.OCCUPATIONAL_THERAPY)
    return result[:3]


def _evaluation(
    r: PlannedReferral,
    d: Dates,
    rng: random.Random,
    consent: date,
    *,
    done_by: date | None,
    open_areas: int = 0,
) -> None:
    """Review, notice, consent given on `consent`, the assessment plan opened that day:
    all complete by `done_by` but the last `open_areas` (none complete when `done_by` is None)."""
    consent = max(consent, d.floor)  # the calendar covers it, early in the school year too
    _consent_requested(r, d, rng, sent=d.back(5 + rng.randint(0, 5), consent))
    r.consent_answer = consent
    r.plan_on = consent  # opened the day consent arrives
    # Counted as the consent answer counts it, with the referral's date: near the end of the
    # school year a state's year-end rule can make the evaluation due sooner (Cal. 56344(a)).
    legal = d.due(engine.Rule.INITIAL_EVALUATION, consent, referral=r.received)
    areas = _assessment_areas(r.areas)
    for n, area in enumerate(areas):
        due = max(r.plan_on, d.back(0, min(legal, r.plan_on + timedelta(days=21 + 7 * n))))
        completed = None
        if done_by is not None and n < len(areas) - open_areas:
            # Spread over the time between the plan and `done_by`, in order.
            span = max(0, (done_by - r.plan_on).days)
            completed = max(
                r.plan_on, d.back(0, r.plan_on + timedelta(span * (n + 1) // len(areas)))
            )
            completed = min(completed, done_by)
        r.assessments.append(PlannedAssessment(area, due, completed))


def _consent_requested(r: PlannedReferral, d: Dates, rng: random.Random, *, sent: date) -> None:
    if r.track == Track.SECTION_504:
        r.review = sent
    else:
        r.review = d.back(2 + rng.randint(0, 2), sent)
        r.notice = sent
    r.consent_sent = sent
    r.received = d.back(4 + rng.randint(0, 8), r.review)
    r.method = rng.choice(METHODS)


def _decided(
    r: PlannedReferral, d: Dates, rng: random.Random, decided: date
) -> None:  # eligibility on `decided` after a full evaluation
    r.decided = decided
    r.report = d.back(1 + rng.randint(0, 2), decided)
    consent = d.back(27 + rng.randint(0, 7), decided)
    _evaluation(r, d, rng, consent, done_by=d.back(1, r.report))


def set_dates(r: PlannedReferral, d: Dates, rng: random.Random, j: int) -> None:
    """Date every step of `r`; `j` (0-4) spreads referrals in the same stage apart."""
    stage = r.stage
    if stage is Stage.RECEIVED:
        r.received = d.back(1 + j)
    elif stage is Stage.CONSENT_PENDING:
        _consent_requested(r, d, rng, sent=d.back(2 + j))
    elif stage is Stage.EVALUATING:
        consent = d.back(4 + 2 * j)
        _evaluation(r, d, rng, consent, done_by=d.back(1), open_areas=2)
    elif stage is Stage.EVALUATION_OVERDUE:
        consent = d.latest_overdue(engine.Rule.INITIAL_EVALUATION, d.back(15), 2 + 2 * j)
        # The first assessment done, the last (often the psychologist's) still open.
        _evaluation(r, d, rng, consent, done_by=d.back(7), open_areas=1)
    elif stage is Stage.ELIGIBILITY_PENDING:
        consent = d.back(23 + j)
        r.report = d.back(1 + j)
        _evaluation(r, d, rng, consent, done_by=d.back(1, r.report))
    elif stage in (Stage.ELIGIBLE_IEP, Stage.NOT_ELIGIBLE):
        _decided(r, d, rng, d.back(2 + 2 * j))
    elif stage is Stage.IEP_MEETING_OVERDUE:
        decided = d.latest_overdue(engine.Rule.INITIAL_IEP_MEETING, d.back(10), 3 + 2 * j, room=70)
        _decided(r, d, rng, decided)
    elif stage is Stage.ELIGIBLE_504:
        if r.track == Track.SECTION_504:  # on gathered information, no formal evaluation
            r.decided = d.back(3 + j)
            r.review = d.back(8 + j, r.decided)
            r.received = d.back(4 + j, r.review)
        else:  # evaluated for an IEP, found eligible for a 504 plan instead
            _decided(r, d, rng, d.back(5 + j))
    elif stage is Stage.REQUEST_REFUSED:
        r.review = d.back(3 + 2 * j)
        r.received = d.back(6 + j, r.review)
    elif stage is Stage.CONSENT_REFUSED:
        answer = d.back(3 + 2 * j)
        _consent_requested(r, d, rng, sent=d.back(5 + j, answer))
        r.consent_answer = answer
