"""Which rows are one district's: tenant rows by their chain to the district (SQL), the rest by
following `graph.plan()`'s edges from them until nothing new turns up.

Only the primary keys of rows that are not placed by a chain (people, sessions, rows that name no
district) are held in memory, as sets of integers; tenant rows stay queries. Every query is a
chunk of at most CHUNK keys, so it fits any database's limit on parameters.
"""

from __future__ import annotations

import heapq
from collections import defaultdict, deque
from collections.abc import Iterable, Iterator
from functools import reduce
from operator import and_, or_
from typing import Any

from django.db.models import Model, Q, QuerySet

from tandem.backups.graph import Edge, Plan, Table

CHUNK = 500


def chunks(values: list[Any], size: int = CHUNK) -> Iterator[list[Any]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def placed(table: Table, district_pk: int) -> QuerySet[Any]:
    """The table's rows whose chain ends at the district."""
    condition = reduce(or_, (Q(**{path: district_pk}) for path in table.paths))
    return table.model._base_manager.filter(condition)


def unplaced(table: Table) -> Q:
    """Rows of a tenant table that lie in no district (every chain null)."""
    return reduce(and_, (Q(**{f"{path}__isnull": True}) for path in table.paths))


class Selection:
    """The district's rows, table by table; `rows(table)` streams them in primary-key order."""

    def __init__(self, plan: Plan, district_pk: int) -> None:
        self.plan = plan
        self.district_pk = district_pk
        # Rows found by following edges: every row of a table with no chain, and the rows of a
        # tenant table that lie in no district (reached by a PERSONAL link).
        self.found: dict[str, set[Any]] = defaultdict(set)
        self._queue: deque[tuple[str, list[Any]]] = deque()
        self._follow()

    def _add(self, label: str, values: Iterable[Any]) -> None:
        known = self.found[label]
        new = {v for v in values if v is not None and v not in known}
        if new:
            known |= new
            self._queue.append((label, sorted(new)))

    def _follow(self) -> None:
        tables = self.plan.tables
        for edge in self.plan.needs:
            if tables[edge.model].tenant:
                rows = placed(tables[edge.model], self.district_pk).exclude(**{edge.attname: None})
                self._add(edge.target, rows.values_list(edge.attname, flat=True).distinct())
        for edge in self.plan.children:
            parent, child = tables[edge.target], tables[edge.model]
            if parent.tenant and not child.tenant:
                inside = placed(parent, self.district_pk).values("pk")
                rows = child.model._base_manager.filter(**{f"{edge.fk}__in": inside})
                self._add(edge.model, rows.values_list("pk", flat=True).iterator())
        while self._queue:
            label, new = self._queue.popleft()
            for part in chunks(new):
                self._step(label, part)
        self._prune_through_rows()

    def _step(self, label: str, part: list[Any]) -> None:
        tables = self.plan.tables
        for edge in self.plan.needs:
            if edge.model == label:
                rows = tables[label].model._base_manager.filter(pk__in=part)
                self._add(edge.target, rows.values_list(edge.attname, flat=True))
        for edge in self.plan.children:
            if edge.target == label:
                child = tables[edge.model]
                rows = child.model._base_manager.filter(**{f"{edge.attname}__in": part})
                if child.tenant:
                    rows = rows.filter(unplaced(child))
                self._add(edge.model, rows.values_list("pk", flat=True))

    def _prune_through_rows(self) -> None:
        """A many-to-many row is kept only if both its ends are exported."""
        for label, table in self.plan.tables.items():
            if not table.through or table.tenant or not self.found[label]:
                continue
            ends = [
                e
                for e in self.plan.needs + self.plan.children
                if e.model == label and not self.plan.tables[e.target].tenant
            ]
            names = sorted({e.attname for e in ends})
            keep = set()
            for part in chunks(sorted(self.found[label])):
                rows = table.model._base_manager.filter(pk__in=part)
                for pk, *targets in rows.values_list("pk", *names):
                    edges = [_edge_for(ends, name) for name in names]
                    if all(t in self.found[e.target] for t, e in zip(targets, edges, strict=True)):
                        keep.add(pk)
            self.found[label] = keep

    def rows(self, table: Table, chunk_size: int = 2000) -> Iterator[Model]:
        """Every selected row of `table`, in primary-key order, read a chunk at a time."""
        manager = table.model._base_manager
        extra = (
            obj
            for part in chunks(sorted(self.found.get(table.label, ())))
            for obj in manager.filter(pk__in=part).order_by("pk")
        )
        if not table.tenant:
            yield from extra
            return
        inside = placed(table, self.district_pk).order_by("pk").iterator(chunk_size=chunk_size)
        yield from heapq.merge(inside, extra, key=lambda obj: obj.pk)

    def count(self, table: Table) -> int:
        extra = len(self.found.get(table.label, ()))
        return extra + (placed(table, self.district_pk).count() if table.tenant else 0)


def _edge_for(edges: list[Edge], attname: str) -> Edge:
    return next(e for e in edges if e.attname == attname)
