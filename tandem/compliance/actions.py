"""The only writes of stored deadlines: computing one from a trigger, storing a date a policy or
a schedule gives, meeting or waiving one, and recomputing a district's when its calendar changes.

Every app that creates or closes a deadline calls these; none writes a Deadline row itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _
from simple_history.utils import bulk_update_with_history

from tandem import audit
from tandem.accounts.models import User
from tandem.compliance.models import Deadline, DeadlineBasis
from tandem.core import clock
from tandem.people.models import CalendarClosure, District, SchoolCalendar, Student
from tandem.rules import calendar as rules_calendar
from tandem.rules import deadlines as engine

# A school year's calendar also covers the summer before it (a referral in July counts on it).
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
        """The school's own calendar wins over the district's; then the year running on `trigger`."""
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
    now = clock.now()
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


# --- one deadline --------------------------------------------------------------------------


def engine_calendar(student: Student, trigger: date) -> rules_calendar.SchoolCalendar | None:
    """The rules' calendar for the school year covering `trigger` at the student's school."""
    return _Calendars(student.district).for_school(student.school_id, trigger)


def _source(source: Model) -> tuple[str, str]:
    return source._meta.label_lower, str(getattr(source, "public_id", source.pk))


def _saved(deadline: Deadline, actor: User | None) -> Deadline:
    deadline.full_clean()
    deadline._history_user = actor  # type: ignore[attr-defined]
    deadline.save()
    return deadline


def compute_deadline(
    *,
    student: Student,
    kind: str,
    trigger: date,
    source: Model,
    field: str,
    actor: User | None = None,
    status_basis: str | None = None,
    **options: Any,
) -> Deadline:
    """Compute `kind` from `trigger` with the district's state rules and store it.

    `options` go to the engine as they are (`disability`, `waiver`, ...); `status_basis`
    replaces the engine's status (an earliest date is stored as such, never as due). A date the
    engine cannot count is refused on `field`, and nothing is stored.
    """
    try:
        profile = engine.load_profile(student.district.state)
        result = engine.compute(
            engine.Rule(kind),
            profile,
            trigger,
            calendar=engine_calendar(student, trigger),
            **options,
        )
    except engine.NeedsCalendar:
        message = _(
            "No school calendar covers %(day)s for %(school)s, and the %(state)s timeline "
            "counts school days or skips breaks; add the calendar first."
        ) % {"day": trigger, "school": student.school, "state": student.district.state}
        raise ValidationError({field: message}) from None
    except engine.InvalidInput as error:
        raise ValidationError({field: str(error)}) from None
    source_type, source_id = _source(source)
    return _saved(
        Deadline(
            student=student,
            district_id=student.district_id,
            school_id=student.school_id,
            kind=kind,
            state=result.state,
            trigger_on=result.trigger,
            due_on=result.due,
            citation=result.citation[:300],
            explanation=result.explanation,
            status_basis=status_basis or result.status.value,
            source_type=source_type,
            source_id=source_id,
            computed_at=clock.now(),
        ),
        actor,
    )


def store_deadline(
    *,
    student: Student,
    kind: str,
    trigger_on: date,
    due_on: date,
    citation: str,
    explanation: str,
    source: Model | tuple[str, str],
    actor: User | None = None,
    state: str | None = None,
) -> Deadline:
    """Store a date that a district policy or a schedule gives rather than the engine."""
    source_type, source_id = source if isinstance(source, tuple) else _source(source)
    return _saved(
        Deadline(
            student=student,
            district_id=student.district_id,
            school_id=student.school_id,
            kind=kind,
            state=state or student.district.state,
            trigger_on=trigger_on,
            due_on=due_on,
            citation=citation[:300],
            explanation=explanation,
            source_type=source_type,
            source_id=source_id,
            computed_at=clock.now(),
        ),
        actor,
    )


def meet_deadlines(
    *,
    student: Student | None = None,
    kinds: Iterable[str] = (),
    source: Model | tuple[str, str] | None = None,
    on: date,
    actor: User | None = None,
) -> list[Deadline]:
    """Mark met, on `on`, every open deadline that matches (of `kinds`, from `source`)."""
    open_ = Deadline.objects.select_for_update(of=("self",)).filter(
        met_on__isnull=True, status_basis=DeadlineBasis.DUE
    )
    if student is not None:
        open_ = open_.filter(student=student)
    if kinds:
        open_ = open_.filter(kind__in=list(kinds))
    if source is not None:
        source_type, source_id = source if isinstance(source, tuple) else _source(source)
        open_ = open_.filter(source_type=source_type, source_id=source_id)
    met = list(open_.order_by("id"))
    for deadline in met:
        deadline.met_on = on
        _saved(deadline, actor)
    return met


def waive_deadline(deadline: Deadline, *, explanation: str, actor: User | None) -> Deadline:
    """A date that no longer binds because the parties agreed (e.g. a reevaluation waived)."""
    deadline.status_basis = DeadlineBasis.WAIVED
    deadline.explanation = explanation
    deadline.computed_at = clock.now()
    return _saved(deadline, actor)


def meet_deadline(deadline: Deadline, *, on: date, actor: User | None = None) -> Deadline:
    """Mark one stored deadline met on `on` (a deadline already met keeps its date)."""
    if deadline.met_on is None:
        deadline.met_on = on
        _saved(deadline, actor)
    return deadline


def redate_deadlines(*, source: Model | tuple[str, str], trigger_on: date, due_on: date) -> int:
    """Move the dates of the deadlines `source` started (the demo back-dates what it seeds)."""
    source_type, source_id = source if isinstance(source, tuple) else _source(source)
    return Deadline.objects.filter(source_type=source_type, source_id=source_id).update(
        trigger_on=trigger_on, due_on=due_on
    )


# --- plans and meetings: the dates they open and close --------------------------------------


def _open_from(student: Student, kind: str, source: Model | None = None) -> Deadline | None:
    rows = Deadline.objects.filter(student=student, kind=kind, met_on__isnull=True)
    if source is not None:
        source_type, source_id = _source(source)
        rows = rows.filter(source_type=source_type, source_id=source_id)
    return rows.order_by("id").first()


def ensure_deadline(
    *,
    student: Student,
    kind: str,
    trigger: date,
    source: Model,
    actor: User | None = None,
    **options: Any,
) -> Deadline | None:
    """The open deadline of `kind` that `source` started, computed and stored once.

    None when the engine cannot count it (no calendar covers the date, the rule is not in the
    data for that date, a birthday is missing): the action that asked goes on, and the view
    lacks a date rather than showing a wrong one.
    """
    existing = _open_from(student, kind, source)
    if existing is not None:
        return existing
    try:
        return compute_deadline(
            student=student,
            kind=kind,
            trigger=trigger,
            source=source,
            field="trigger",
            actor=actor,
            **options,
        )
    except ValidationError:
        return None


def record_plan_in_force(
    *,
    student: Student,
    plan: Model,
    section_504: bool,
    meeting_on: date | None,
    effective_from: date,
    effective_to: date | None,
    actor: User | None = None,
) -> list[Deadline]:
    """What a finalized plan closes and opens (34 CFR 300.323(c), 300.324(b), 300.320(b);
    34 CFR 104.35(d) and district policy for a 504 Plan).

    Closes: the student's open initial-IEP-meeting deadline (an IEP was written at a meeting)
    and the annual review of the plan it replaces, both met on the meeting day. Opens: the plan's
    own annual review, counted from its meeting; and, for an IEP, the transition-services date
    where the state's transition age falls on or after the plan's start. A plan in effect on that
    birthday has passed the pre-finalize check that asks for transition services, so that date is
    met when the plan takes effect; a birthday after the plan's end stays open for the next IEP.
    Returns the deadlines stored.
    """
    held_on = meeting_on or effective_from
    review_kind = "section_504_annual_review" if section_504 else "annual_review"
    if not section_504:
        meet_deadlines(student=student, kinds=["initial_iep_meeting"], on=held_on, actor=actor)
    meet_deadlines(student=student, kinds=[review_kind], on=held_on, actor=actor)
    stored = []
    review = ensure_deadline(
        student=student, kind=review_kind, trigger=held_on, source=plan, actor=actor
    )
    if review is not None:
        stored.append(review)
    if not section_504 and student.date_of_birth is not None:
        transition = _transition_for(student, plan, effective_from, effective_to, actor)
        if transition is not None:
            stored.append(transition)
    return stored


def _transition_for(
    student: Student,
    plan: Model,
    effective_from: date,
    effective_to: date | None,
    actor: User | None,
) -> Deadline | None:
    dob = student.date_of_birth
    try:
        due = engine.compute(
            engine.Rule.TRANSITION_SERVICES,
            engine.load_profile(student.district.state),
            dob,
            dob=dob,
        ).due
    except engine.InvalidInput:
        return None
    if due < effective_from:
        return None  # the age came before this plan; its pre-finalize check asked for the content
    deadline = _open_from(student, "transition_services") or ensure_deadline(
        student=student,
        kind="transition_services",
        trigger=dob,
        source=plan,
        actor=actor,
        dob=dob,
    )
    if deadline is not None and effective_to is not None and due <= effective_to:
        meet_deadline(deadline, on=effective_from, actor=actor)
    return deadline


def store_notice_deadline(
    *,
    student: Student,
    kind: str,
    event_on: date,
    send_by: date,
    citation: str,
    explanation: str,
    source: Model,
    actor: User | None = None,
) -> Deadline:
    """A notice's "send by" date (meeting notice 300.322(b); prior written notice 300.503),
    counted by the engine from the event it announces; stored once per source."""
    existing = _open_from(student, kind, source)
    if existing is not None:
        return existing
    return store_deadline(
        student=student,
        kind=kind,
        trigger_on=event_on,
        due_on=send_by,
        citation=citation,
        explanation=explanation,
        source=source,
        actor=actor,
    )
