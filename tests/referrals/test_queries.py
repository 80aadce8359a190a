"""Deadline status, and the scoped reads behind the compliance views."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tandem.accounts.models import User
from tandem.referrals.models import Deadline, DeadlineBasis, DeadlineKind
from tandem.referrals.queries import (
    DeadlineStatus,
    deadline_status,
    deadlines_visible_to,
    referrals_for,
)

TODAY = date(2026, 1, 5)


def _deadline(student, *, due, met=None, basis=DeadlineBasis.DUE, kind=DeadlineKind.REEVALUATION):
    return Deadline.objects.create(
        student=student,
        district=student.district,
        school=student.school,
        kind=kind,
        state=student.district.state,
        trigger_on=due - timedelta(days=60),
        due_on=due,
        citation="34 CFR 300.303(b)(2)",
        explanation="test",
        status_basis=basis,
        met_on=met,
        source_type="tests.row",
        source_id="1",
        computed_at=timezone.now(),
    )


# (due, met_on, basis) -> status on TODAY
TABLE = [
    (date(2026, 1, 1), date(2025, 12, 30), DeadlineBasis.DUE, DeadlineStatus.MET),
    (date(2026, 1, 1), date(2026, 1, 1), DeadlineBasis.DUE, DeadlineStatus.MET),
    (date(2026, 1, 1), date(2026, 1, 2), DeadlineBasis.DUE, DeadlineStatus.MET_LATE),
    (date(2026, 1, 4), None, DeadlineBasis.DUE, DeadlineStatus.OVERDUE),
    (date(2026, 1, 5), None, DeadlineBasis.DUE, DeadlineStatus.DUE_14),
    (date(2026, 1, 19), None, DeadlineBasis.DUE, DeadlineStatus.DUE_14),
    (date(2026, 1, 20), None, DeadlineBasis.DUE, DeadlineStatus.DUE_30),
    (date(2026, 2, 4), None, DeadlineBasis.DUE, DeadlineStatus.DUE_30),
    (date(2026, 2, 5), None, DeadlineBasis.DUE, DeadlineStatus.ON_TRACK),
    (date(2025, 12, 1), None, DeadlineBasis.WAIVED, DeadlineStatus.NOT_APPLICABLE),
    (date(2026, 3, 1), None, DeadlineBasis.DOES_NOT_APPLY, DeadlineStatus.NOT_APPLICABLE),
]


@pytest.mark.parametrize(("due", "met", "basis", "expected"), TABLE)
def test_deadline_status(due, met, basis, expected):
    row = Deadline(due_on=due, met_on=met, status_basis=basis)
    assert deadline_status(row, TODAY) == expected


def test_status_filter_agrees_with_deadline_status(world):
    rows = [_deadline(world.maya, due=due, met=met, basis=basis) for due, met, basis, _ in TABLE]
    director = world.users["director"]
    for status in DeadlineStatus:
        found = {d.pk for d in deadlines_visible_to(director, today=TODAY, status=status)}
        expected = {r.pk for r in rows if deadline_status(r, TODAY) == status}
        assert found == expected, status


def test_deadlines_follow_the_access_policy(world):
    _deadline(world.maya, due=date(2026, 2, 1))
    _deadline(world.ana, due=date(2026, 2, 1))
    _deadline(world.sam, due=date(2026, 2, 1), kind=DeadlineKind.INITIAL_EVALUATION)

    def names(persona, **filters):
        rows = deadlines_visible_to(world.users[persona], today=TODAY, **filters)
        return sorted(d.student.legal_first_name for d in rows)

    assert names("director") == ["Ana", "Maya"]
    assert names("director", school=world.south) == ["Ana"]
    assert names("case_manager") == ["Maya"]
    assert names("teacher") == ["Maya"]
    assert names("stranger") == []
    assert names("oak_director") == ["Sam"]
    assert names("oak_director", kind=DeadlineKind.REEVALUATION) == []


def test_deadline_query_count_does_not_grow_with_rows(world):
    def count_queries(user: User) -> int:
        with CaptureQueriesContext(connection) as ctx:
            for d in deadlines_visible_to(user, today=TODAY):
                _ = (d.student.display_name, d.school.name, d.district.name)
        return len(ctx.captured_queries)

    director = User.objects.get(pk=world.users["director"].pk)
    _deadline(world.maya, due=date(2026, 2, 1))
    one = count_queries(director)
    for student in (world.maya, world.leo, world.ana, world.leo, world.ana):
        _deadline(student, due=date(2026, 3, 1))
    six = count_queries(User.objects.get(pk=director.pk))
    assert one == six
    # Standing (the roles) once, then the deadlines with their student, school and district.
    assert six <= 4


def test_referrals_for_uses_the_access_policy(world):
    from tandem.referrals import actions

    for student in (world.maya, world.leo):
        actions.create_referral(
            actor=world.users["director"],
            student=student,
            source="teacher",
            received_on=date(2025, 10, 1),
            areas_of_concern=["math"],
            description="x",
        )
    assert [r.student.legal_first_name for r in referrals_for(world.users["case_manager"])] == [
        "Maya"
    ]
    assert referrals_for(world.users["stranger"]).count() == 0
    assert referrals_for(world.users["teacher"]).count() == 2
