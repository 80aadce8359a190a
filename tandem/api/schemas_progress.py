"""The progress API's response schemas: a goal's analysis and its data points, field by field."""

from __future__ import annotations

from datetime import date, datetime
from uuid import UUID

from ninja import Schema


class PointOut(Schema):
    id: UUID
    # active (in force), voided (a mistake undone) or superseded (replaced by a correction)
    status: str
    corrects: UUID | None
    voided_at: datetime | None
    void_reason: str | None
    taken_on: date
    value: float
    trials_correct: int | None
    trials_total: int | None
    score: float | None
    percent: float | None
    rate_per_minute: float | None
    duration_seconds: float | None
    count: int | None
    rubric_level: float | None
    prompts: list[str]
    note: str
    client_key: UUID


class RecordedPoint(PointOut):
    created: bool  # false: a repeated client_key, the stored point returned


class GoalPoints(Schema):
    goal: UUID
    points: list[PointOut]


class PhaseChangeOut(Schema):
    on: date
    description: str


class BaselineOut(Schema):
    value: float
    on: date
    source: str


class AimLineOut(Schema):
    start_week: float
    start_value: float
    target_week: float
    target_value: float
    needed_roi: float


class TrendOut(Schema):
    method: str
    slope: float
    intercept: float
    slope_se: float | None
    points: int


class ProjectionOut(Schema):
    value: float
    will_miss: bool


class DecisionOut(Schema):
    decision: str
    rule: str
    reason: str
    preliminary: bool
    points_used: int
    more_points_needed: int
    trend_method: str | None


class MasteryOut(Schema):
    met: bool | None  # null: not enough sessions to say
    reason: str
    words: str
    more_sessions_needed: int


class SettingsOut(Schema):
    four_point_min_points: int
    trend_min_points: int
    median_min_points: int
    trend_method: str


class GoalProgressOut(Schema):
    goal: UUID
    lineage: UUID
    area: str
    metric: str
    unit: str
    direction: str
    target: float | None
    start: date
    target_on: date
    state: str
    points: list[PointOut]
    voided_points: list[PointOut]
    phase_changes: list[PhaseChangeOut]
    baseline: BaselineOut | None
    aim_line: AimLineOut | None
    trend: TrendOut | None
    rate_of_improvement: float | None
    projection: ProjectionOut | None
    decision: DecisionOut | None
    decision_words: str
    decisions: list[DecisionOut | None]
    mastery: MasteryOut | None
    needs_attention: bool
    attention_reason: str
    settings: SettingsOut
