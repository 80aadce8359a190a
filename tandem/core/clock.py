"""The one place Tandem reads the clock (outside tandem/rules, which is always handed the date).

Tests and commands move it with `fixed(...)` instead of patching Django or the system clock.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import date, datetime, time

from django.utils import timezone

_fixed: ContextVar[datetime | None] = ContextVar("tandem_clock", default=None)


def now() -> datetime:
    """The current moment, aware (UTC)."""
    return _fixed.get() or timezone.now()


def today() -> date:
    """Today's date in the server's time zone (districts have their own for deadlines)."""
    return timezone.localdate(now())


@contextmanager
def fixed(moment: datetime | date) -> Iterator[None]:
    """Run the block as if it were `moment` (a date means noon of that day)."""
    if not isinstance(moment, datetime):
        moment = timezone.make_aware(datetime.combine(moment, time(12)))
    token = _fixed.set(moment)
    try:
        yield
    finally:
        _fixed.reset(token)
