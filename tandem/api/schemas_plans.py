"""The plans API's response schemas: what GET /plans/... answers, field by field.

A plan's content is read from its frozen snapshots, whose items were saved by the fields of
their day; each item lists the fields it has now and keeps any other it was frozen with.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any
from uuid import UUID

from ninja import Schema
from pydantic import ConfigDict


class VersionSummary(Schema):
    number: int
    kind: str
    created_at: datetime
    content_hash: str


class PlanSummary(Schema):
    id: UUID
    kind: str
    status: str
    meeting_date: date | None
    effective_from: date | None
    effective_to: date | None
    annual_review_due: date | None
    current_version: VersionSummary | None


class SnapshotItem(Schema):
    model_config = ConfigDict(extra="allow")

    lineage: str | None = None


class ServiceOut(SnapshotItem):
    category: str | None = None
    name: str | None = None
    minutes: int | None = None
    times: int | None = None
    per: str | None = None
    setting: str | None = None
    start_date: str | None = None
    end_date: str | None = None
    provider_role: str | None = None
    delivery_mode: str | None = None
    group_size: str | None = None
    frequency_text: str
    description: str


class AccommodationOut(SnapshotItem):
    kind: str | None = None
    category: str | None = None
    text: str | None = None
    applies_to: list[str] | None = None
    frequency_condition: str | None = None
    provider_role: str | None = None
    responsible_staff: int | None = None


class SmartVerdict(Schema):
    ok: bool
    verdict: str
    missing: list[str]


class PlanGoalOut(SnapshotItem):
    area: str | None = None
    text: str | None = None
    baseline: str | None = None
    plaafp_need: str | None = None
    objectives: list[str] | None = None
    smart: SmartVerdict


class PlanContent(Schema):
    # each section's content as its editor saved it, by section key
    sections: dict[str, Any]
    services: list[ServiceOut]
    accommodations: list[AccommodationOut]
    modifications: list[AccommodationOut]
    goals: list[PlanGoalOut]


class PlanDetail(PlanSummary, PlanContent):
    student: UUID
    is_draft: bool


class VersionOut(VersionSummary):
    author: str
    reason: str
    amended_without_meeting: bool
    parent_agreement_date: date | None


class VersionDetail(VersionSummary, PlanContent):
    plan: UUID
    reason: str
    author: str
    effective_from: date | None
    effective_to: date | None
    annual_review_due: date | None
