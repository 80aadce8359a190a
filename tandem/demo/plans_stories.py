"""What happens to each demo plan (its story), and the planned plan that carries it.

Plain data shared by the plan (`plans.py`), its content (`plans_content.py`) and the writer
(`plans_writer.py`).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from typing import Any


class Story(StrEnum):
    ACTIVE = "active"  # finalized earlier this school year
    AMENDED = "amended"  # then amended without a meeting, with the parent's agreement
    CORRECTED = "corrected"  # then corrected (a wrong room)
    HISTORY = "history"  # last year's plan superseded by this year's annual review
    REVIEW_DRAFT = "review_draft"  # last year's plan still active, its review due soon, a draft
    REVIEW_PROPOSED = "review_proposed"  # the same, the draft sent to the family
    ENDED = "ended"  # exited special education last spring
    SECTION_504 = "section_504"
    SECTION_504_AMENDED = "section_504_amended"


@dataclass
class PlannedPlan:
    student: int
    story: Story
    kind: str
    lead: str  # demo account that writes it (falls back to the district director)
    meeting: date
    effective_from: date
    needs: tuple[str, ...] = ()
    services: list[dict[str, Any]] = field(default_factory=list)
    accommodations: list[dict[str, Any]] = field(default_factory=list)
    goals: list[dict[str, Any]] = field(default_factory=list)
    sections: dict[str, Any] = field(default_factory=dict)
    previous_meeting: date | None = None  # last year's plan (history)
    review_meeting: date | None = None  # the annual review meeting (drafts)
    changed_on: date | None = None  # amendment, correction, review start or exit
    extra: dict[str, Any] = field(default_factory=dict)
