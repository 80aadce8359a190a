"""The case manager is told once per goal per change into "needs attention"."""

from __future__ import annotations

from datetime import date, timedelta

from tandem.communication.models import Notification
from tandem.progress import actions
from tandem.progress.models import AttentionNotice
from tests.progress.conftest import MEETING

FIRST = MEETING + timedelta(days=5)
LATER = date(2026, 6, 1)


def _add(world, goal, values, offset=0):  # type: ignore[no-untyped-def]
    for i, v in enumerate(values, start=offset):
        actions.record_data_point(
            world.users["case_manager"],
            goal,
            taken_on=FIRST + timedelta(days=7 * i),
            measures={"percent": v},
            today=LATER,
        )


def test_told_once_when_the_decision_turns_to_change_instruction(world, goals) -> None:  # type: ignore[no-untyped-def]
    cm = world.users["case_manager"]
    _add(world, goals.speech, [40, 41, 40, 40, 39, 41, 40, 40, 39, 40, 41])
    told = Notification.objects.filter(recipient=cm, kind="progress.attention")
    assert told.count() == 1
    note = told.get()
    assert "Articulation goal needs attention" in note.subject
    assert str(goals.speech.public_id) in note.url
    assert AttentionNotice.objects.get(goal_lineage=goals.speech.lineage).state == (
        "change_instruction"
    )
    _add(world, goals.speech, [40, 40], offset=11)  # still flat: no second notice
    assert told.count() == 1


def test_recovery_is_remembered_and_a_new_slide_told_again(world, goals) -> None:  # type: ignore[no-untyped-def]
    cm = world.users["case_manager"]
    _add(world, goals.speech, [40, 41, 40, 40, 39, 41, 40, 40, 39, 40, 41])
    notice = AttentionNotice.objects.get(goal_lineage=goals.speech.lineage)
    notice.state = "ok"  # as if the data had recovered
    notice.save()
    _add(world, goals.speech, [40], offset=11)
    assert Notification.objects.filter(recipient=cm, kind="progress.attention").count() == 2


def test_no_notice_while_data_are_too_few(world, goals) -> None:  # type: ignore[no-untyped-def]
    _add(world, goals.speech, [40, 41, 40])
    assert not Notification.objects.filter(kind="progress.attention").exists()
