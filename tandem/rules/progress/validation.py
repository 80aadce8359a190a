"""Checks a data point must pass before it is recorded."""

from __future__ import annotations

import math
from datetime import date

from tandem.rules.progress.wording import (
    _with_unit,
)

# --- data-point validation ---------------------------------------------------------------------


class PointRejected(ValueError):
    """A data point that cannot be recorded: the field to fix and why."""

    def __init__(self, field: str, message: str, code: str) -> None:
        super().__init__(f"{field}: {message}")
        self.field = field
        self.message = message
        self.code = code


def validate_point(
    value: float,
    *,
    scale_min: float,
    scale_max: float,
    on: date,
    goal_start: date,
    today: date,
    trials_correct: int | None = None,
    trials_total: int | None = None,
    unit: str = "",
) -> None:
    """Refuse a point dated in the future or before the goal, off its scale, or 7 of 5."""
    if scale_min > scale_max:
        raise ValueError("scale_min must not exceed scale_max")
    if on > today:
        raise PointRejected(
            "on", f"{on.isoformat()} is in the future (today is {today.isoformat()}).", "future"
        )
    if on < goal_start:
        raise PointRejected(
            "on",
            f"{on.isoformat()} is before the goal began on {goal_start.isoformat()}.",
            "before_goal_start",
        )
    if not math.isfinite(value):
        raise PointRejected("value", "The score must be a number.", "not_a_number")
    scale = f"{_with_unit(scale_min, unit)} to {_with_unit(scale_max, unit)}"
    if value > scale_max:
        raise PointRejected(
            "value",
            f"{_with_unit(value, unit)} is above the top of the scale ({scale}).",
            "above_scale",
        )
    if value < scale_min:
        raise PointRejected(
            "value",
            f"{_with_unit(value, unit)} is below the bottom of the scale ({scale}).",
            "below_scale",
        )
    if (trials_correct is None) != (trials_total is None):
        missing = "trials_total" if trials_total is None else "trials_correct"
        raise PointRejected(
            missing, "Give both the trials correct and the trials given.", "trials_incomplete"
        )
    if trials_correct is not None and trials_total is not None:
        if trials_total < 1:
            raise PointRejected(
                "trials_total", "At least one trial must have been given.", "no_trials"
            )
        if trials_correct < 0:
            raise PointRejected(
                "trials_correct", "Trials correct cannot be negative.", "negative_trials"
            )
        if trials_correct > trials_total:
            raise PointRejected(
                "trials_correct",
                f"{trials_correct} correct is more than the {trials_total} trials given.",
                "more_correct_than_given",
            )
