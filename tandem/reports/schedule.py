"""When progress reports are due: the IEP's stated schedule, by default the report-card dates.

34 CFR 300.320(a)(3)(ii): the IEP says when periodic reports on progress toward the annual goals
will be provided, "such as through the use of quarterly or other periodic reports, concurrent
with the issuance of report cards". An IEP may list its own dates in its progress-reporting
section (ISO dates, in the text or as a "dates" list); otherwise each of the district's marking
periods is a reporting period, due on its report-card date.

Due dates are stored as compliance deadlines (kind progress_report), one per plan and date, so
they appear on /deadlines/ and are met when the report is issued.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from django.db.models import Q
from django.utils.translation import gettext as _

from tandem.compliance import actions as deadlines
from tandem.compliance.models import Deadline, DeadlineKind
from tandem.people.models import MarkingPeriod
from tandem.plans.models import Plan, PlanSection, SectionKey
from tandem.rules import deadlines as engine

SOURCE_TYPE = "reports.schedule"
CITATION = "34 CFR 300.320(a)(3)(ii)"
_ISO = re.compile(r"\b(\d{4})-(\d{2})-(\d{2})\b")


@dataclass(frozen=True, slots=True)
class Period:
    """One reporting period: the data it covers and when its report is due."""

    label: str
    start: date
    end: date
    due: date

    @property
    def key(self) -> str:
        return f"{self.start.isoformat()}_{self.end.isoformat()}"

    def as_dict(self) -> dict[str, str]:
        return {
            "label": self.label,
            "start": self.start.isoformat(),
            "end": self.end.isoformat(),
            "due": self.due.isoformat(),
        }


def parse_key(key: str) -> tuple[date, date] | None:
    try:
        start, end = key.split("_", 1)
        return date.fromisoformat(start), date.fromisoformat(end)
    except (ValueError, AttributeError):
        return None


def stated_dates(content: Any) -> list[date]:
    """Report dates the IEP's progress-reporting section states (ISO dates), sorted."""
    found: set[date] = set()
    if isinstance(content, dict):
        for value in content.get("dates", []) or []:
            try:
                found.add(date.fromisoformat(str(value)))
            except ValueError:
                continue
        text = str(content.get("text", "") or "")
    else:
        text = str(content or "")
    for y, m, d in _ISO.findall(text):
        try:
            found.add(date(int(y), int(m), int(d)))
        except ValueError:
            continue
    return sorted(found)


def marking_periods_of(plan: Plan) -> list[MarkingPeriod]:
    """The district's marking periods (the school's own calendar wins when it has one)."""
    student = plan.student
    rows = list(
        MarkingPeriod.objects.filter(calendar__district_id=student.district_id)
        .filter(Q(calendar__school__isnull=True) | Q(calendar__school_id=student.school_id))
        .select_related("calendar")
        .order_by("start", "id")
    )
    own = {r.calendar.school_year for r in rows if r.calendar.school_id is not None}
    return [
        r for r in rows if r.calendar.school_id is not None or r.calendar.school_year not in own
    ]


def _in_plan(plan: Plan, periods: Iterable[Period]) -> list[Period]:
    start, end = plan.effective_from, plan.effective_to
    return [
        p for p in periods if (start is None or p.end >= start) and (end is None or p.start <= end)
    ]


def periods_for(plan: Plan, *, section: PlanSection | None = None) -> list[Period]:
    """The plan's reporting periods while it is in effect, in order."""
    if section is None:
        section = PlanSection.objects.filter(plan=plan, key=SectionKey.PROGRESS_REPORTING).first()
    dates = stated_dates(section.content) if section is not None else []
    if dates:
        periods = []
        previous = plan.effective_from or dates[0] - timedelta(days=90)
        for number, due in enumerate(dates, start=1):
            start = previous if number == 1 else previous + timedelta(days=1)
            periods.append(
                Period(
                    label=_("Report %(number)s (%(day)s)")
                    % {"number": number, "day": due.isoformat()},
                    start=min(start, due),
                    end=due,
                    due=due,
                )
            )
            previous = due
        return _in_plan(plan, periods)
    return _in_plan(
        plan,
        (
            Period(label=mp.name, start=mp.start, end=mp.end, due=mp.report_card_date)
            for mp in marking_periods_of(plan)
        ),
    )


def period_for(plan: Plan, key: str) -> Period | None:
    return next((p for p in periods_for(plan) if p.key == key), None)


def period_matching(plan: Plan, start: date, end: date) -> Period | None:
    """The plan's period that ends within [start, end] (a district marking period), if any."""
    candidates = [p for p in periods_for(plan) if start <= p.end <= end]
    if not candidates:
        return None
    return min(candidates, key=lambda p: abs((p.end - end).days))


def current_and_last(plan: Plan, today: date) -> tuple[Period | None, Period | None]:
    """The period under way on `today` (or next), and the one that ended before it."""
    periods = periods_for(plan)
    current = next((p for p in periods if p.end >= today), None)
    ended = [p for p in periods if p.end < today]
    return current, (ended[-1] if ended else None)


def _source_id(plan: Plan, due: date) -> str:
    return f"{plan.public_id}:{due.isoformat()}"


def _computed(plan: Plan, period: Period) -> tuple[str, str, str]:
    """State, citation and explanation of one due date, from the deadline engine."""
    try:
        profile = engine.load_profile(plan.student.district.state)
        result = engine.compute(
            engine.Rule.PROGRESS_REPORT, profile, period.start, schedule=[period.due]
        )
        return result.state, result.citation[:300], result.explanation
    except Exception:  # noqa: BLE001 - a rule not yet in effect, no profile: say it plainly
        return (
            plan.student.district.state,
            CITATION,
            f"Due {period.due.isoformat()}: the progress report for {period.label} "
            f"({period.start.isoformat()} to {period.end.isoformat()}), on the date the IEP's "
            f"schedule gives; {CITATION}.",
        )


def deadline_for(plan: Plan, period: Period) -> Deadline | None:
    return Deadline.objects.filter(
        student_id=plan.student_id,
        kind=DeadlineKind.PROGRESS_REPORT,
        source_type=SOURCE_TYPE,
        source_id=_source_id(plan, period.due),
    ).first()


def write_deadline(plan: Plan, period: Period) -> Deadline:
    """The stored deadline of one period's report (created once, by compliance's actions)."""
    existing = deadline_for(plan, period)
    if existing is not None:
        return existing
    state, citation, explanation = _computed(plan, period)
    return deadlines.store_deadline(
        student=plan.student,
        kind=DeadlineKind.PROGRESS_REPORT,
        state=state,
        trigger_on=period.start,
        due_on=period.due,
        citation=citation,
        explanation=explanation,
        source=(SOURCE_TYPE, _source_id(plan, period.due)),
    )


def write_deadlines(plan: Plan, *, periods: Sequence[Period] | None = None) -> list[Deadline]:
    """Store a deadline for each reporting period of the plan (idempotent)."""
    return [
        write_deadline(plan, p) for p in (periods if periods is not None else periods_for(plan))
    ]


def mark_met(plan: Plan, period: Period, on: date) -> Deadline:
    return deadlines.meet_deadline(write_deadline(plan, period), on=on)
