"""A child's service minutes for the family, in plain words: the staff page's figures, not new ones.

Each service of the active plan gets this week's and the last four weeks' delivered (and made up)
minutes against the mandate, from `services.queries.minutes_for_student` (the same windows as
the staff's services page), and the minutes still owed back with the date to make them up by,
from the compensatory ledger (`services.compensatory`). Nothing is counted here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from tandem.people.models import Student
from tandem.plans.models import Service
from tandem.services import compensatory, queries


@dataclass(frozen=True, slots=True)
class Figures:
    got: int  # delivered and made up, never more than the mandate
    of: int  # mandated


@dataclass(frozen=True, slots=True)
class FamilyService:
    service: Service
    counted: bool  # False: the plan gives no minutes and frequency to count
    week: Figures | None = None
    four_weeks: Figures | None = None
    owed: int = 0
    due: date | None = None  # the earliest date to make the owed minutes up by
    overdue: bool = False


def for_family(student: Student, *, today: date) -> list[FamilyService]:
    """Per service of the active plans, the figures the family page says in words."""
    open_entries = compensatory.ledger_for_student(student, today=today).open_by_lineage()
    result = []
    for item in queries.minutes_for_student(student, today=today):
        if item.uncounted:
            result.append(FamilyService(item.service, counted=False))
            continue
        windows = {
            w.key: Figures(w.totals.delivered + w.totals.made_up, w.totals.mandated)
            for w in item.windows
        }
        entries = open_entries.get(item.service.lineage, [])
        result.append(
            FamilyService(
                item.service,
                counted=True,
                week=windows.get("week"),
                four_weeks=windows.get("four_weeks"),
                owed=sum(e.balance for e in entries),
                due=min((e.due for e in entries if e.due), default=None),
                overdue=any(e.overdue for e in entries),
            )
        )
    return result
