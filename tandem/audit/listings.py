"""The students an event showed many of at once, and the digest that ties them to the chain.

An event that lists students (a page of deadlines, an export, an API list) stores
`detail["students_listed"] = {"count": n, "sha256": ...}` inside the hash chain, and one `AuditListing`
row per student as the index that "who opened this record" reads. Removing or adding an index
row cannot be hidden: `verify` recomputes each event's digest from its rows.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from itertools import groupby

from django.db.models import Model

from tandem.accounts.models import AuditEvent, AuditListing


def student_ids(students: Iterable[int | Model]) -> list[int]:
    """The students' primary keys, each once, in order."""
    return sorted({s if isinstance(s, int) else int(s.pk) for s in students})


def digest(ids: list[int]) -> dict[str, object]:
    """What the chained event keeps of its list: how many, and a hash of which."""
    text = ",".join(str(pk) for pk in ids)
    return {"count": len(ids), "sha256": hashlib.sha256(text.encode()).hexdigest()}


ADDED = "students were added to an event that listed none"


@dataclass(frozen=True)
class Mismatch:
    event_id: int
    what: str


def verify(chunk_size: int = 5000) -> Iterator[Mismatch]:
    """Every event whose index rows no longer match the digest it was chained with."""
    rows = (
        AuditListing.objects.order_by("event_id", "student_id")
        .values_list("event_id", "student_id")
        .iterator(chunk_size=chunk_size)
    )
    groups = groupby(rows, lambda row: row[0])  # both sides in event order: one pass
    current = next(groups, None)
    events = (
        AuditEvent.objects.filter(detail__has_key="students_listed")
        .order_by("id")
        .values_list("id", "detail")
        .iterator(chunk_size=chunk_size)
    )
    for event_id, detail in events:
        while current is not None and current[0] < event_id:
            yield Mismatch(current[0], ADDED)
            current = next(groups, None)
        ids: list[int] = []
        if current is not None and current[0] == event_id:
            ids = [student for _event, student in current[1]]
            current = next(groups, None)
        if digest(ids) != detail["students_listed"]:
            yield Mismatch(event_id, "its list of students was changed after it was written")
    while current is not None:
        yield Mismatch(current[0], ADDED)
        current = next(groups, None)
