"""Stored deadlines around today, built directly for speed (the engine is tested elsewhere)."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils import timezone

from tandem.compliance.models import Deadline, DeadlineBasis, DeadlineKind
from tandem.people.models import Student


def make_deadline(
    student: Student,
    *,
    due: date,
    kind: str = DeadlineKind.INITIAL_EVALUATION,
    trigger: date | None = None,
    met_on: date | None = None,
    basis: str = DeadlineBasis.DUE,
    explanation: str = "",
    citation: str = "34 CFR 300.301(c)(1)",
) -> Deadline:
    trigger = trigger or due - timedelta(days=60)
    return Deadline.objects.create(
        student=student,
        district_id=student.district_id,
        school_id=student.school_id,
        kind=kind,
        state=student.district.state,
        trigger_on=trigger,
        due_on=due,
        citation=citation,
        explanation=explanation or f"Due {due}: 60 days after consent received on {trigger}.",
        status_basis=basis,
        met_on=met_on,
        source_type="referrals.consent",
        source_id="test",
        computed_at=timezone.now(),
    )


@pytest.fixture
def today() -> date:
    return timezone.localdate()


@pytest.fixture
def deadlines(world, today):  # type: ignore[no-untyped-def]
    """One deadline in each status, spread over the world's students."""
    day = timedelta(days=1)
    return {
        "maya_overdue": make_deadline(world.maya, due=today - 3 * day),
        "maya_due_14": make_deadline(
            world.maya, due=today + 5 * day, kind=DeadlineKind.INITIAL_IEP_MEETING
        ),
        "maya_met": make_deadline(
            world.maya,
            due=today - 40 * day,
            met_on=today - 45 * day,
            kind=DeadlineKind.ANNUAL_REVIEW,
        ),
        "leo_due_30": make_deadline(world.leo, due=today + 20 * day),
        "leo_met_late": make_deadline(
            world.leo, due=today - 30 * day, met_on=today - 25 * day, kind=DeadlineKind.REEVALUATION
        ),
        "ana_on_track": make_deadline(world.ana, due=today + 90 * day),
        "sam_overdue": make_deadline(world.sam, due=today - 1 * day),
        "tess_due_14": make_deadline(world.tess, due=today + 2 * day),
    }
