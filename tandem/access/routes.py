"""What a page or endpoint that changes something needs, declared on the view.

    @writes(Cap.WRITE_PLAN)
    def plan_amend(request, plan_id): ...

The gatekeeper inside the view enforces it (with the same capability); the declaration lets the
generated persona matrix (tests/access/test_matrix.py) know, for every route that accepts a
POST, who must be let through and who must be refused, without a test written for the route.
`Self` marks a write to one's own things (settings, notifications); `District` one that only
a district or school leader may make (calendars, report batches, the goal bank).
"""

from __future__ import annotations

from collections.abc import Callable
from enum import StrEnum
from typing import Any, TypeVar

from tandem.access.capabilities import Cap

V = TypeVar("V", bound=Callable[..., Any])


class Scope(StrEnum):
    SELF = "self"  # the signed-in person's own things
    DISTRICT = "district"  # leaders of a district or school, not one student


def writes(need: Cap | Scope) -> Callable[[V], V]:
    """Declare what a POST to this view needs."""

    def mark(view: V) -> V:
        view.writes = need  # type: ignore[attr-defined]
        return view

    return mark


def declared(view: Any) -> Cap | Scope | None:
    """What a view declared with `@writes`, following decorators that keep `__wrapped__`."""
    while view is not None:
        if hasattr(view, "writes"):
            return view.writes  # type: ignore[no-any-return]
        view = getattr(view, "__wrapped__", None)
    return None
