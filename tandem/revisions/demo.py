"""Demo data for the revisions app, seeded by `manage.py seed_demo` after the plans."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any


def seed(plan: Any, *, log: Callable[[str], None] = lambda _: None) -> None:
    """Seed this app's demo records for the demo world `plan` (a people.demo plan)."""
