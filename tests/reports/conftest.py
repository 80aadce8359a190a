"""Progress reports over the shared world: an active IEP for Maya with four goals and data."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

import pytest

from tandem.people.models import MarkingPeriod, SchoolCalendar
from tandem.plans.models import Goal, Plan, PlanKind, PlanSection, PlanStatus, SectionKey
from tandem.progress.models import DataPoint

ACCURACY = (
    "By August 2026, when given a grade-level passage, {name} will answer comprehension "
    "questions with 80% accuracy in 4 of 5 sessions, as measured by weekly probes."
)
Q1 = ("Quarter 1", date(2025, 8, 15), date(2025, 10, 17), date(2025, 10, 24))
Q2 = ("Quarter 2", date(2025, 10, 20), date(2026, 1, 16), date(2026, 1, 23))
Q3 = ("Quarter 3", date(2026, 1, 20), date(2026, 3, 27), date(2026, 4, 3))
Q4 = ("Quarter 4", date(2026, 4, 6), date(2026, 6, 11), date(2026, 6, 12))
PLAN_START = date(2025, 8, 20)
PLAN_END = date(2026, 8, 19)
# Twice a week from Aug 25 to Oct 16: 16 sessions in Q1.
SESSIONS = [date(2025, 8, 25) + timedelta(days=7 * w + d) for w in range(8) for d in (0, 3)]


@dataclass
class Reports:
    plan: Plan
    mastered: Goal
    sufficient: Goal
    insufficient: Goal
    not_introduced: Goal
    periods: dict


def calendar_for(district) -> dict:  # type: ignore[no-untyped-def]
    calendar = SchoolCalendar.objects.create(
        district=district,
        school_year="2025-2026",
        first_day=date(2025, 8, 15),
        last_day=date(2026, 6, 11),
    )
    out = {}
    for name, start, end, report in (Q1, Q2, Q3, Q4):
        out[name] = MarkingPeriod.objects.create(
            calendar=calendar, name=name, start=start, end=end, report_card_date=report
        )
    return out


def active_iep(student, author, *, areas=("Reading",)) -> Plan:  # type: ignore[no-untyped-def]
    plan = Plan.objects.create(
        student=student,
        kind=PlanKind.IEP,
        status=PlanStatus.ACTIVE,
        meeting_date=PLAN_START,
        effective_from=PLAN_START,
        effective_to=PLAN_END,
        annual_review_due=PLAN_END,
        created_by=author,
    )
    PlanSection.objects.create(
        plan=plan,
        key=SectionKey.PROGRESS_REPORTING,
        content={"text": "Written progress on each goal with each report card."},
    )
    return plan


def goal(plan, area, name="Maya") -> Goal:  # type: ignore[no-untyped-def]
    return Goal.objects.create(plan=plan, area=area, text=ACCURACY.format(name=name))


def data(goal_row, values, author) -> None:  # type: ignore[no-untyped-def]
    DataPoint.objects.bulk_create(
        DataPoint(
            goal=goal_row,
            goal_lineage=goal_row.lineage,
            student=goal_row.plan.student,
            taken_on=day,
            percent=value,
            value=value,
            recorded_by=author,
        )
        for day, value in zip(SESSIONS, values, strict=False)
    )


@pytest.fixture
def reports(world) -> Reports:  # type: ignore[no-untyped-def]
    author = world.users["case_manager"]
    periods = calendar_for(world.riverside)
    plan = active_iep(world.maya, author)
    mastered = goal(plan, "Reading comprehension")
    sufficient = goal(plan, "Vocabulary")
    insufficient = goal(plan, "Written expression")
    not_introduced = goal(plan, "Spelling")
    data(mastered, [40, 45, 50] + [82, 85, 88, 90, 86, 92, 88, 90, 94, 91, 93, 95, 96], author)
    # Growth along the aim line (baseline 40 to 80 over a year: about 0.8 a week).
    data(
        sufficient, [40, 40, 40] + [41 + 0.45 * i + (1 if i % 2 else 0) for i in range(13)], author
    )
    data(insufficient, [40, 41, 40] + [38, 39, 37, 38, 36, 37, 38, 36, 35, 37, 36, 35, 34], author)
    return Reports(plan, mastered, sufficient, insufficient, not_introduced, periods)


@pytest.fixture
def spanish():  # type: ignore[no-untyped-def]
    """Spanish for this app even before the lead merges it into tandem/locale.

    The Spanish lives in /tmp/i18n/es_reports.py until then; entries the compiled catalog
    already has are left alone, and what was added is removed afterwards.
    """
    import runpy
    from pathlib import Path

    from django.utils.translation import trans_real

    source = Path("/tmp/i18n/es_reports.py")
    catalog = trans_real.translation("es")._catalog  # type: ignore[attr-defined]
    added: list = []
    if source.exists():
        strings = runpy.run_path(str(source))
        entries = dict(strings.get("ES", {}))
        for (one, _many), (es_one, es_many) in strings.get("ES_PLURAL", {}).items():
            entries[(one, 0)] = es_one
            entries[(one, 1)] = es_many
        for key, value in entries.items():
            if key not in catalog:
                catalog[key] = value
                added.append(key)
    yield
    for key in added:
        for part in catalog._catalogs:
            part.pop(key, None)
