"""Recomputing stored deadlines when a district's calendar changes."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from tandem.accounts.models import AuditEvent
from tandem.compliance.actions import recompute_district_deadlines
from tandem.compliance.models import Deadline, DeadlineKind
from tandem.compliance.tasks import recompute_deadlines
from tandem.people.models import CalendarClosure, ClosureKind, SchoolCalendar
from tests.compliance.conftest import make_deadline

pytestmark = pytest.mark.django_db

CONSENT = date(2026, 11, 2)
BEFORE_BREAK = date(2027, 1, 1)  # CA: 60 days, no break on the calendar yet
AFTER_BREAK = date(2027, 1, 13)  # the 10 school days of winter break are not counted


@pytest.fixture
def calendar(world):  # type: ignore[no-untyped-def]
    return SchoolCalendar.objects.create(
        district=world.riverside,
        school_year="2026-2027",
        first_day=date(2026, 8, 12),
        last_day=date(2027, 6, 4),
        next_first_day=date(2027, 8, 11),
    )


@pytest.fixture
def stored(world, calendar):  # type: ignore[no-untyped-def]
    return {
        "open": make_deadline(world.maya, due=BEFORE_BREAK, trigger=CONSENT),
        "met": make_deadline(
            world.leo, due=BEFORE_BREAK, trigger=CONSENT, met_on=date(2026, 12, 1)
        ),
        "oak": make_deadline(world.sam, due=date(2027, 1, 4), trigger=CONSENT),
    }


def _winter_break(calendar) -> CalendarClosure:  # type: ignore[no-untyped-def]
    return CalendarClosure.objects.create(
        calendar=calendar,
        kind=ClosureKind.BREAK,
        name="Winter break",
        start=date(2026, 12, 21),
        end=date(2027, 1, 1),
    )


def test_a_new_winter_break_moves_the_due_date(world, calendar, stored):
    _winter_break(calendar)
    result = recompute_district_deadlines(district=world.riverside)
    assert (result.checked, result.changed) == (1, 1)
    deadline = Deadline.objects.get(pk=stored["open"].pk)
    assert deadline.due_on == AFTER_BREAK
    assert "Winter break" in deadline.explanation
    assert "56344" in deadline.citation
    assert deadline.history.count() == 2  # the change is in the record's history


def test_met_deadlines_are_left_alone(world, calendar, stored):
    _winter_break(calendar)
    recompute_district_deadlines(district=world.riverside)
    met = Deadline.objects.get(pk=stored["met"].pk)
    assert (met.due_on, met.explanation) == (BEFORE_BREAK, stored["met"].explanation)


def test_other_districts_are_left_alone(world, calendar, stored):
    _winter_break(calendar)
    recompute_district_deadlines(district=world.riverside)
    assert Deadline.objects.get(pk=stored["oak"].pk).due_on == date(2027, 1, 4)


def test_unchanged_dates_are_not_rewritten(world, calendar, stored):
    recompute_district_deadlines(district=world.riverside)  # fills in the engine's wording
    result = recompute_district_deadlines(district=world.riverside)
    assert result.changed == 0


def test_rules_that_need_more_than_a_trigger_are_kept(world, calendar):
    kept = make_deadline(
        world.maya, due=date(2026, 12, 15), trigger=CONSENT, kind=DeadlineKind.PROGRESS_REPORT
    )
    result = recompute_district_deadlines(district=world.riverside)
    assert result.skipped == 1
    assert Deadline.objects.get(pk=kept.pk).due_on == date(2026, 12, 15)


def test_recompute_is_audited(world, calendar, stored):
    recompute_district_deadlines(district=world.riverside)
    event = AuditEvent.objects.get(action="deadlines.recomputed")
    assert event.district_id == world.riverside.pk
    assert event.actor is None
    assert event.detail["checked"] == 1


def test_adding_a_closure_queues_the_recompute_on_commit(
    world, calendar, stored, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        _winter_break(calendar)
    assert len(callbacks) == 1
    assert Deadline.objects.get(pk=stored["open"].pk).due_on == AFTER_BREAK


def test_deleting_the_closure_moves_the_date_back(
    world, calendar, stored, django_capture_on_commit_callbacks
):
    closure = _winter_break(calendar)
    recompute_district_deadlines(district=world.riverside)
    with django_capture_on_commit_callbacks(execute=True):
        closure.delete()
    assert Deadline.objects.get(pk=stored["open"].pk).due_on == BEFORE_BREAK


def test_a_calendar_edit_queues_the_recompute(
    world, calendar, stored, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks() as callbacks:
        calendar.last_day = date(2027, 6, 5)
        calendar.save()
    assert len(callbacks) == 1


def test_the_task_tolerates_a_deleted_district(db):
    result = recompute_deadlines.enqueue(987654)
    assert result.return_value == {"checked": 0, "changed": 0, "skipped": 0}


def test_command_recomputes_one_district(world, calendar, stored):
    _winter_break(calendar)
    out = StringIO()
    call_command("recompute_deadlines", "--district", "riverside", stdout=out)
    assert "riverside: 1 checked, 1 changed" in out.getvalue()
    assert Deadline.objects.get(pk=stored["open"].pk).due_on == AFTER_BREAK


def test_command_refuses_an_unknown_district(world):
    with pytest.raises(CommandError, match="nowhere"):
        call_command("recompute_deadlines", "--district", "nowhere", stdout=StringIO())


def test_command_without_district_covers_all(world, calendar, stored):
    out = StringIO()
    call_command("recompute_deadlines", stdout=out)
    assert "oak-valley:" in out.getvalue() and "riverside:" in out.getvalue()


def test_a_recount_that_changes_nothing_is_not_audited(world, calendar):
    recompute_district_deadlines(district=world.riverside)
    assert not AuditEvent.objects.filter(action="deadlines.recomputed").exists()
