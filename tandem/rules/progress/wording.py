"""Numbers and dates as people write them, for the reasons and the narrative."""

from __future__ import annotations

import math
from collections.abc import Iterable
from datetime import date

# Values this close to the aim line or a threshold count as on it (floating-point noise).
_EPS = 1e-9


# --- number and date wording -------------------------------------------------------------------

_MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)


def fmt_number(x: float) -> str:
    """A number as people write it: 12, 2.75, 0.29 (at most two decimals, no "-0")."""
    if not math.isfinite(x):
        return str(x)
    r = round(x, 2)
    if r == 0:
        return "0"
    if r == int(r):
        return str(int(r))
    return f"{r:.2f}".rstrip("0")


def _signed(x: float) -> str:
    text = fmt_number(x)
    return text if text.startswith("-") or text == "0" else f"+{text}"


def _with_unit(x: float, unit: str) -> str:
    if not unit:
        return fmt_number(x)
    if unit == "%":
        return f"{fmt_number(x)}%"
    return f"{fmt_number(x)} {unit}"


def _values(xs: Iterable[float]) -> str:
    return ", ".join(fmt_number(x) for x in xs)


def _month_day(d: date) -> str:
    return f"{_MONTHS[d.month - 1]} {d.day}"


def _month(d: date, *, near: date) -> str:
    # The year only when the month alone could mean another school year.
    if abs((d - near).days) > 330:
        return f"{_MONTHS[d.month - 1]} {d.year}"
    return _MONTHS[d.month - 1]


def _close(a: float, b: float) -> bool:
    return math.isclose(a, b, rel_tol=_EPS, abs_tol=_EPS)
