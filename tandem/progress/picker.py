"""The collection page's choice of students: the group in front of the provider, not everyone.

The choice lives in the address (`?students=<id>&students=<id>`, or one comma-separated value;
the older `?student=<id>` still works), so that a session's group is a bookmark and the page
after saving comes back to the same group. Nothing is stored. Only the user's own students can
be chosen: an id that is not one of them, or not an id at all, is left out and said so.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from tandem.people.models import Student
from tandem.plans.models import Goal

PARAM = "students"
OLD_PARAM = "student"  # the goal page's link before the choice of several


@dataclass(frozen=True, slots=True)
class Chosen:
    """The students asked for in the address, in order; `malformed` when a value was not an id."""

    ids: tuple[uuid.UUID, ...] = ()
    malformed: bool = False

    def __bool__(self) -> bool:
        return bool(self.ids) or self.malformed


def chosen(query: Any) -> Chosen:
    """The `?students=` (and `?student=`) of a request's query."""
    ids: list[uuid.UUID] = []
    malformed = False
    for value in [*query.getlist(PARAM), *query.getlist(OLD_PARAM)]:
        for part in str(value).split(","):
            if not (part := part.strip()):
                continue
            try:
                key = uuid.UUID(part)
            except ValueError:
                malformed = True
                continue
            if key not in ids:
                ids.append(key)
    return Chosen(tuple(ids), malformed)


def narrow(goals: Sequence[Goal], asked: Chosen) -> list[Goal]:
    """The goals of the students asked for; every goal when none were asked for."""
    if not asked:
        return list(goals)
    wanted = set(asked.ids)
    return [goal for goal in goals if goal.plan.student.public_id in wanted]


@dataclass(frozen=True, slots=True)
class Choice:
    """One of the user's students on the picker: how many goals, and whether it is shown."""

    student: Student
    goal_count: int
    checked: bool


def choices(goals: Sequence[Goal], asked: Chosen) -> dict[str, Any]:
    """The picker: every student the user records for (in the goals' order), which are shown,
    and whether the address asked for someone who is not theirs."""
    counts: dict[int, int] = {}
    students: dict[int, Student] = {}
    for goal in goals:
        student = goal.plan.student
        students.setdefault(student.pk, student)
        counts[student.pk] = counts.get(student.pk, 0) + 1
    wanted = set(asked.ids)
    found = {s.public_id for s in students.values()} & wanted
    listed = [
        Choice(student, counts[pk], student.public_id in found) for pk, student in students.items()
    ]
    return {
        "choices": listed,
        "narrowed": bool(asked),
        "shown_count": len(found) if asked else len(listed),
        "total": len(listed),
        "unknown": asked.malformed or len(found) < len(wanted),
        "ids": [str(key) for key in asked.ids if key in found],
    }
