"""Mastery against criterion-referenced goals (PROGRESS.md 1.7)."""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import Protocol

from tandem.rules.progress.wording import (
    _close,
    _values,
    _with_unit,
)

# --- mastery (PROGRESS.md 1.7) -----------------------------------------------------------------


class Comparison(StrEnum):
    AT_LEAST = "at_least"  # accuracy, rate, rubric score, minimum duration
    AT_MOST = "at_most"  # errors, maximum duration, frequency ceiling, prompt level


@dataclass(frozen=True, slots=True)
class Threshold:
    """The level one session must reach, e.g. at least 80%, at most 2 errors."""

    value: float
    comparison: Comparison = Comparison.AT_LEAST
    unit: str = ""  # "%", "wcpm", "errors": wording only

    def met_by(self, score: float) -> bool:
        if _close(score, self.value):
            return True
        if self.comparison is Comparison.AT_LEAST:
            return score > self.value
        return score < self.value

    def describe(self) -> str:
        words = "at or above" if self.comparison is Comparison.AT_LEAST else "at or below"
        return f"{words} {_with_unit(self.value, self.unit)}"


@dataclass(frozen=True, slots=True)
class Session:
    """One session's result: a score, or trials correct of trials given, or both."""

    on: date
    value: float | None = None
    trials_correct: int | None = None
    trials_total: int | None = None

    @property
    def score(self) -> float | None:
        """The value; else percent correct from the trials; None when neither is known."""
        if self.value is not None:
            return self.value
        if self.trials_correct is not None and self.trials_total:
            return 100 * self.trials_correct / self.trials_total
        return None


@dataclass(frozen=True, slots=True)
class Mastery:
    met: bool | None  # None: not enough sessions to say
    reason: str
    sessions_used: int
    more_sessions_needed: int = 0


class MasteryCriterion(Protocol):
    def evaluate(self, sessions: Iterable[Session]) -> Mastery: ...

    def describe(self) -> str: ...


def _scored(sessions: Iterable[Session]) -> list[tuple[date, float]]:
    """Scored sessions by date (same-day ties by score), so input order never matters."""
    return sorted((s.on, s.score) for s in sessions if s.score is not None)


def _not_enough(have: int, need: int) -> Mastery:
    more = need - have
    return Mastery(None, f"not enough sessions: {have} of {need}; {more} more needed", have, more)


@dataclass(frozen=True, slots=True)
class LatestLevel:
    """The latest session meets the level."""

    level: Threshold

    def describe(self) -> str:
        return f"the latest session {self.level.describe()}"

    def evaluate(self, sessions: Iterable[Session]) -> Mastery:
        scored = _scored(sessions)
        if not scored:
            return _not_enough(0, 1)
        on, score = scored[-1]
        met = self.level.met_by(score)
        text = _with_unit(score, self.level.unit)
        verb = "is" if met else "is not"
        word = "met" if met else "not met"
        return Mastery(
            met,
            f"{word}: the latest session ({text}, {on.isoformat()}) {verb} {self.level.describe()}",
            1,
        )


@dataclass(frozen=True, slots=True)
class MOfLastN:
    """At least `m` of the last `n` sessions meet the level ("80% in 4 of 5", reading i)."""

    level: Threshold
    m: int
    n: int

    def __post_init__(self) -> None:
        if not 1 <= self.m <= self.n:
            raise ValueError("need 1 <= m <= n")

    def describe(self) -> str:
        return f"{self.m} of the last {self.n} sessions {self.level.describe()}"

    def evaluate(self, sessions: Iterable[Session]) -> Mastery:
        scored = _scored(sessions)
        if len(scored) < self.n:
            return _not_enough(len(scored), self.n)
        hits = sum(self.level.met_by(score) for _, score in scored[-self.n :])
        met = hits >= self.m
        tail = "" if met else f"; {self.m} needed"
        word = "met" if met else "not met"
        return Mastery(
            met,
            f"{word}: {hits} of the last {self.n} sessions {self.level.describe()}{tail}",
            self.n,
        )


@dataclass(frozen=True, slots=True)
class Consecutive:
    """The last `k` sessions all meet the level ("across 3 consecutive sessions")."""

    level: Threshold
    k: int

    def __post_init__(self) -> None:
        if self.k < 1:
            raise ValueError("k must be at least 1")

    def describe(self) -> str:
        return f"{self.k} consecutive sessions {self.level.describe()}"

    def evaluate(self, sessions: Iterable[Session]) -> Mastery:
        scored = _scored(sessions)
        if len(scored) < self.k:
            return _not_enough(len(scored), self.k)
        last = [score for _, score in scored[-self.k :]]
        run = 0
        for score in reversed(last):
            if not self.level.met_by(score):
                break
            run += 1
        shown = ", ".join(_with_unit(s, self.level.unit) for s in last)
        if run == self.k:
            reason = f"met: the last {self.k} sessions ({shown}) are all {self.level.describe()}"
        else:
            reason = (
                f"not met: the last {self.k} sessions ({shown}) are not all "
                f"{self.level.describe()}; the current run is {run}"
            )
        return Mastery(run == self.k, reason, self.k)


@dataclass(frozen=True, slots=True)
class MedianOfLast:
    """The median of the last `count` sessions meets the level (rate goals: WCPM)."""

    level: Threshold
    count: int = 3

    def __post_init__(self) -> None:
        if self.count < 1:
            raise ValueError("count must be at least 1")

    def describe(self) -> str:
        return f"the median of the last {self.count} sessions {self.level.describe()}"

    def evaluate(self, sessions: Iterable[Session]) -> Mastery:
        scored = _scored(sessions)
        if len(scored) < self.count:
            return _not_enough(len(scored), self.count)
        last = [score for _, score in scored[-self.count :]]
        median = statistics.median(last)
        met = self.level.met_by(median)
        word, verb = ("met", "") if met else ("not met", "not ")
        return Mastery(
            met,
            f"{word}: the median of the last {self.count} sessions ({_values(last)}) is "
            f"{_with_unit(median, self.level.unit)}, {verb}{self.level.describe()}",
            self.count,
        )


@dataclass(frozen=True, slots=True)
class TrialsCorrect:
    """The latest session with trial counts has `correct` of `total` right (reading ii).

    A session of more trials meets it at the same share (8 of 10 for 4 of 5); a session of
    fewer trials than `total` cannot show it, so the answer is None.
    """

    correct: int
    total: int

    def __post_init__(self) -> None:
        if not 0 <= self.correct <= self.total or self.total < 1:
            raise ValueError("need 0 <= correct <= total and total >= 1")

    def describe(self) -> str:
        return f"{self.correct} of {self.total} trials correct"

    def evaluate(self, sessions: Iterable[Session]) -> Mastery:
        counted = sorted(
            (s.on, s.trials_correct, s.trials_total)
            for s in sessions
            if s.trials_correct is not None and s.trials_total
        )
        if not counted:
            return Mastery(None, "not enough sessions: no session with trial counts yet", 0, 1)
        on, right, given = counted[-1]
        when = on.isoformat()
        if given < self.total:
            return Mastery(
                None,
                f"not enough trials: {right} of {given} on {when}; the criterion counts "
                f"{self.total} trials",
                1,
                1,
            )
        # Cross-multiplied so 8 of 10 meets 4 of 5 without float rounding.
        met = right * self.total >= self.correct * given
        word = "met" if met else "not met"
        return Mastery(
            met,
            f"{word}: {right} of {given} trials correct on {when} "
            f"(at least {self.correct} of {self.total} needed)",
            1,
        )


def evaluate_mastery(criterion: MasteryCriterion, sessions: Iterable[Session]) -> Mastery:
    """Evaluate one criterion; sessions may come in any order."""
    return criterion.evaluate(sessions)


def all_met(results: Iterable[Mastery]) -> Mastery:
    """Three-valued AND of several criteria: any False -> False, else any None -> None."""
    items = list(results)
    if not items:
        raise ValueError("all_met needs at least one result")
    if any(r.met is False for r in items):
        met: bool | None = False
    elif any(r.met is None for r in items):
        met = None
    else:
        met = True
    return Mastery(
        met,
        "; ".join(r.reason for r in items),
        max(r.sessions_used for r in items),
        max(r.more_sessions_needed for r in items),
    )
