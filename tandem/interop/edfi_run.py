"""The state of one Ed-Fi run, shared by its passes (`edfi_people`, `edfi_programs`): the counts
and problems it reports (the roster import's `Result`, so pages and the command read both the
same way) and what each pass learns for the next (schools, students).

A problem names the file, the element (its ordinal among the file's top-level elements, as
`row`), the path of the value inside it (as `column`) and the value.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from tandem.accounts.models import User
from tandem.interop.edfi_xml import Source
from tandem.interop.oneroster import Problem
from tandem.interop.roster_run import MAX_PROBLEMS_KEPT, NEW, Result
from tandem.people.models import District

__all__ = ["NEW", "EdfiResult", "EdfiRun"]


@dataclass
class EdfiResult(Result):
    plans_added: list[int] = field(default_factory=list)
    plans_changed: list[tuple[int, list[str]]] = field(default_factory=list)
    # What the plans in force and ended are, for the closing summary.
    in_force: dict[str, int] = field(default_factory=dict)  # plan kind -> plans in force
    ended: dict[str, int] = field(default_factory=dict)  # plan kind -> plans ended


class EdfiRun:
    """One pass over an Ed-Fi source for a district; `apply=False` writes nothing."""

    def __init__(
        self,
        source: Source,
        district: District,
        *,
        today: date,
        apply: bool,
        actor: User | None,
    ) -> None:
        self.source, self.district, self.today, self.apply = source, district, today, apply
        self.actor = actor
        self.result = EdfiResult(applied=apply)
        self.schools: dict[str, int] = {}  # Ed-Fi SchoolId -> school pk (NEW in a dry run)
        self.school_grades: dict[str, list[str]] = {}  # SchoolId -> its grades (Tandem codes)
        self.education_orgs: set[str] = set()  # every EducationOrganizationId read
        self.year_start: date | None = None  # the first day of the records' school year
        self.students: dict[str, int] = {}  # StudentUniqueId -> pk (NEW in a dry run)
        self.refused_students: set[str] = set()
        self.enrolments: dict[str, tuple[str, str, date | None]] = {}  # uid -> school, grade, entry

    def problem(self, file: str, element: int, path: str, value: str, reason: str,
                *, fatal: bool = True, kind: str | None = None) -> None:  # fmt: skip
        self.result.problem_count += 1
        if len(self.result.problems) < MAX_PROBLEMS_KEPT:
            self.result.problems.append(Problem(file, element, path, value[:200], reason, fatal))
        if fatal and kind:
            self.result.counts[kind].refused += 1

    def count(self, kind: str, what: str) -> None:
        tally = self.result.counts[kind]
        setattr(tally, what, getattr(tally, what) + 1)

    def tally(self, table: dict[str, int], key: str) -> None:
        table[key] = table.get(key, 0) + 1

    def pk_of(self, obj: Any) -> int:
        return int(obj.pk) if obj is not None and obj.pk else NEW
