"""The state of one roster run and its bookkeeping, shared by every pass (orgs, users, classes):
the counts and refused rows it reports, the SIS ids it has seen, and the ExternalId links it
writes. The passes themselves live in `roster_orgs`, `roster_users`, `roster_links` and
`roster_classes`; `roster.plan` runs them in order.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from tandem.interop.models import ExternalId
from tandem.interop.oneroster import Problem, RowError, Source, status_of
from tandem.people.models import District

NEW = 0  # the key of a row the run adds (in a dry run it never gets a real one)
BATCH = 1000
MAX_PROBLEMS_KEPT = 20_000


@dataclass
class Tally:
    added: int = 0
    changed: int = 0
    ended: int = 0
    unchanged: int = 0
    refused: int = 0

    def as_dict(self) -> dict[str, int]:
        return dict(self.__dict__)


@dataclass
class Result:
    counts: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    problems: list[Problem] = field(default_factory=list)
    problem_count: int = 0
    applied: bool = False
    students_added: list[int] = field(default_factory=list)
    students_changed: list[tuple[int, list[str]]] = field(default_factory=list)
    students_ended: list[int] = field(default_factory=list)

    @property
    def refused_rows(self) -> int:
        return sum(1 for p in self.problems if p.fatal_to_row)

    def counts_dict(self) -> dict[str, dict[str, int]]:
        return {kind: tally.as_dict() for kind, tally in self.counts.items()}


def school_year(start: date) -> str:
    first = start.year if start.month >= 7 else start.year - 1
    return f"{first}-{first + 1}"


def status_of_or_none(row: dict[str, str]) -> str | None:
    try:
        return status_of(row)
    except RowError:
        return None


class Run:
    """One pass over a OneRoster source for a district; `apply=False` writes nothing."""

    def __init__(
        self,
        source: Source,
        district: District,
        *,
        today: date,
        apply: bool,
        progress: Callable[[str, int], None] | None = None,
    ) -> None:
        self.source, self.district, self.today, self.apply = source, district, today, apply
        self.progress = progress
        self.result = Result(applied=apply)
        self.bulk: set[str] = set()
        self.ext: dict[str, dict[str, int]] = defaultdict(dict)  # kind -> sis_id -> pk
        self.seen: dict[str, set[str]] = defaultdict(set)
        self.new_ext: list[ExternalId] = []
        self._pending_links: list[tuple[ExternalId, Any]] = []
        self.ended_students: set[int] = set()
        self.ended_sections: set[int] = set()
        self.deleted_classes: set[str] = set()
        self.added_triples: set[tuple[int, int, date]] = set()
        # What the passes learn, read by the passes after them (each pass fills its own).
        self.schools: dict[str, int] = {}  # org sourcedId -> school pk (or NEW)
        self.district_orgs: set[str] = set()
        self.terms: dict[str, tuple[date | None, date | None, str]] = {}  # start, end, year
        self.roles: dict[str, list[dict[str, str]]] = {}  # roles.csv rows by user sourcedId
        self.user_roles: dict[str, set[str]] = {}  # sourcedId -> roles (lower case)
        self.students: dict[
            str, tuple[Any, ...]
        ] = {}  # sis_id -> (pk, *roster_users.STUDENT_FIELDS)
        self.open_enrollments: dict[int, tuple[int, int]] = {}  # student -> (pk, school)
        self.staff: dict[str, int] = {}  # sourcedId -> staff pk (or NEW)
        self.guardians: dict[str, tuple[int, str]] = {}  # sid -> (pk, relationship)
        self.sections: dict[str, tuple[int, date]] = {}  # class sid -> (pk, start)

    # -- problems and counts ----------------------------------------------------------------

    def problem(self, file: str, row: int, column: str, value: str, reason: str,
                *, fatal: bool = True, kind: str | None = None) -> None:  # fmt: skip
        self.result.problem_count += 1
        if len(self.result.problems) < MAX_PROBLEMS_KEPT:
            self.result.problems.append(Problem(file, row, column, value[:200], reason, fatal))
        if fatal and kind:
            self.result.counts[kind].refused += 1

    def count(self, kind: str, what: str) -> None:
        tally = self.result.counts[kind]
        setattr(tally, what, getattr(tally, what) + 1)

    def rows(self, file: str) -> Iterator[tuple[int, dict[str, str]]]:
        for number, row in self.source.rows(file):
            if self.progress is not None and number % 10_000 == 0:
                self.progress(file, number)
            yield number, row

    def link(self, kind: str, sis_id: str, obj: Any) -> None:
        """Remember the SIS id of a row this run adds or adopts (written with the rest)."""
        self.ext[kind][sis_id] = obj.pk if obj.pk else NEW
        if self.apply:
            self.new_ext.append(ExternalId(district=self.district, kind=kind, sis_id=sis_id,
                                           object_id=0))  # fmt: skip
            self._pending_links.append((self.new_ext[-1], obj))

    def flush_links(self) -> None:
        for ext, obj in self._pending_links:
            ext.object_id = obj.pk
            self.ext[ext.kind][ext.sis_id] = obj.pk
        ExternalId.objects.bulk_create(self.new_ext, batch_size=BATCH)
        self.new_ext, self._pending_links = [], []

    def school_of(self, org: str) -> int | None:
        return self.schools.get(org)
