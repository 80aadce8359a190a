"""The service minutes API's response schemas: minutes per window, and the director's figures."""

from __future__ import annotations

from datetime import date
from typing import Any
from uuid import UUID

from ninja import Schema


class WindowOut(Schema):
    start: date
    end: date
    mandated: int
    delivered: int
    made_up: int
    missed: dict[str, int]  # minutes by cause code
    owed: int
    percent: int | None  # null when no minutes were due


class StudentServiceOut(Schema):
    id: UUID
    lineage: UUID
    name: str
    discipline: str
    minutes: int
    times: int
    per: str | None
    start_date: date | None
    end_date: date | None
    counted: bool
    windows: dict[str, WindowOut]  # this_week, four_weeks, year


class StudentServices(Schema):
    student: UUID
    services: list[StudentServiceOut]


class Ref(Schema):
    id: UUID
    name: str


class GroupOut(Schema):
    key: str
    label: str
    mandates: int
    served: int
    underserved: int
    unserved: int
    not_due: int
    mandated: int
    delivered: int
    percent: int | None
    owed: int


class Summary(Schema):
    groups: list[GroupOut]
    total: GroupOut


class MandateOut(Schema):
    student: Ref
    school: Ref
    service: Ref
    discipline: str
    providers: list[str]
    status: str
    reason: str | None
    threshold_percent: int
    four_weeks: WindowOut
    year: WindowOut
    # the row of the CSV and XLSX downloads, by column key
    export: dict[str, Any]


class ServiceMinutes(Schema):
    filters: dict[str, str]
    mandates: list[MandateOut]
    summaries: dict[str, Summary]  # by school, discipline and provider
