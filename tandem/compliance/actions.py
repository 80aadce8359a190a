"""Writes for compliance: recomputing stored deadlines when a district's calendar changes."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from tandem.access import audit
from tandem.people.models import CalendarClosure, District, SchoolCalendar
from tandem.referrals.models import Deadline
from tandem.rules import calendar as rules_calendar
from tandem.rules import deadlines as engine

# As in tandem.referrals.actions: a school year's calendar also covers the summer before it.
_SUMMER_BEFORE = timedelta(days=120)
_BATCH = 1000
_KNOWN_KINDS = frozenset(rule.value for rule in engine.Rule)
_CHANGED_FIELDS = ["due_on", "explanation", "citation", "computed_at"]


@dataclass(frozen=True, slots=True)
class RecomputeResult:
    checked: int
    changed: int
    skipped: int

    def as_dict(self) -> dict[str, int]:
        return {"checked": self.checked, "changed": self.changed, "skipped": self.skipped}


class _Calendars:
    """Every stored calendar of one district, turned into engine calendars once (two queries)."""

    def __init__(self, district: District) -> None:
        self.rows = list(SchoolCalendar.objects.filter(district=district))
        closures: dict[int, list[CalendarClosure]] = {}
        for closure in CalendarClosure.objects.filter(calendar__district=district):
            closures.setdefault(closure.calendar_id, []).append(closure)
        self._closures = closures
        self._built: dict[int, rules_calendar.SchoolCalendar] = {}

    def _engine(self, row: SchoolCalendar) -> rules_calendar.SchoolCalendar:
        if row.pk not in self._built:
            closures = self._closures.get(row.pk, [])
            days: set[date] = set()
            for closure in closures:
                day = closure.start
                while day <= closure.end:
                    days.add(day)
                    day += timedelta(days=1)
            self._built[row.pk] = rules_calendar.SchoolCalendar(
                first_day=row.first_day,
                last_day=row.last_day,
                next_first_day=row.next_first_day,
                non_school_days=frozenset(days),
                breaks=tuple(rules_calendar.Break(c.name, c.start, c.end) for c in closures),
            )
        return self._built[row.pk]

    def for_school(self, school_id: int, trigger: date) -> rules_calendar.SchoolCalendar | None:
        """The same choice as the referral actions make: the school's own calendar wins."""
        rows = [r for r in self.rows if r.school_id is None or r.school_id == school_id]
        rows.sort(key=lambda row: (row.school_id is None, row.last_day))
        for row in rows:
            end = row.next_first_day or (row.last_day + timedelta(days=1))
            if row.first_day - _SUMMER_BEFORE <= trigger < end:
                return self._engine(row)
        return None


def _recomputed(
    deadline: Deadline, profile: engine.StateProfile, calendars: _Calendars
) -> engine.Deadline | None:
    try:
        return engine.compute(
            engine.Rule(deadline.kind),
            profile,
            deadline.trigger_on,
            calendar=calendars.for_school(deadline.school_id, deadline.trigger_on),
        )
    except engine.InvalidInput:
        # The rule needs more than a trigger and a calendar (a birthday, a schedule), or no
        # calendar covers the trigger now: keep the stored date rather than guess.
        return None


@transaction.atomic
def recompute_district_deadlines(*, district: District) -> RecomputeResult:
    """Recount every unmet stored deadline of `district` with today's calendar and rules."""
    try:
        profile = engine.load_profile(district.state)
    except engine.InvalidInput:
        return RecomputeResult(checked=0, changed=0, skipped=0)
    calendars = _Calendars(district)
    deadlines = Deadline.objects.filter(
        district=district, met_on__isnull=True, kind__in=_KNOWN_KINDS
    ).order_by("id")
    checked = skipped = 0
    changed: list[Deadline] = []
    now = timezone.now()
    for deadline in deadlines.iterator(chunk_size=_BATCH):
        checked += 1
        result = _recomputed(deadline, profile, calendars)
        if result is None:
            skipped += 1
            continue
        citation = result.citation[:300]
        if (result.due, result.explanation, citation) == (
            deadline.due_on,
            deadline.explanation,
            deadline.citation,
        ):
            continue
        deadline.due_on = result.due
        deadline.explanation = result.explanation
        deadline.citation = citation
        deadline.computed_at = now
        changed.append(deadline)
    _save_changed(changed)
    outcome = RecomputeResult(checked=checked, changed=len(changed), skipped=skipped)
    if changed:  # a recount that changed nothing wrote nothing worth an entry
        audit.record(
            actor=None, action="deadlines.recomputed", district=district, detail=outcome.as_dict()
        )
    return outcome


def _save_changed(deadlines: Iterable[Deadline]) -> None:
    bulk_update_with_history(
        list(deadlines),
        Deadline,
        _CHANGED_FIELDS,
        batch_size=_BATCH,
        default_change_reason="school calendar changed",
    )


def calendar_changed(district: District | int) -> None:
    """Recompute the district's deadlines in the background once this transaction commits."""
    from tandem.compliance.tasks import recompute_deadlines

    district_id = district if isinstance(district, int) else district.pk
    transaction.on_commit(lambda: recompute_deadlines.enqueue(district_id))
