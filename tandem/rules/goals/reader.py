"""The sentence reader: one goal's text, the phrases already read, and the atoms found so far."""

from __future__ import annotations

import re
from collections.abc import Iterator

from tandem.rules.goals.lexicon import Claims, parse_number, span_of
from tandem.rules.goals.model import Criterion, Span


class Reader:
    """Reads one goal: the extractors share the text, the claims and the atoms found so far."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.claims = Claims()
        self.atoms: list[Criterion] = []
        self.ranges: list[Span] = []  # "between 60 and 70 wcpm": read as 60, flagged later
        self.covered: list[tuple[int, int]] = []  # read but not atoms: baselines, schedules
        self.low = text.lower()  # only to test for cue words; offsets always come from `text`

    def add(self, atom: Criterion) -> None:
        self.atoms.append(atom)
        self.claims.take(atom.start, atom.end)

    def free(self, m: re.Match[str]) -> bool:
        return self.claims.free(m.start(), m.end())

    def finditer(self, pattern: re.Pattern[str]) -> Iterator[re.Match[str]]:
        """Non-empty matches of `pattern` that overlap nothing read so far."""
        for m in pattern.finditer(self.text):
            if m.end() > m.start() and self.free(m):
                yield m

    def trimmed(self, start: int, end: int) -> tuple[int, int]:
        while end > start and self.text[end - 1] in " ,;:\t":
            end -= 1
        while start < end and self.text[start] in " ,;:\t":
            start += 1
        return start, end

    def has(self, *cues: str) -> bool:
        return any(cue in self.low for cue in cues)

    def range_low(self, m: re.Match[str], low: str, high: str | None) -> float:
        """The value of "80%", or the lower bound of a range "80-90%" (kept for a flag)."""
        if high is None:
            return parse_number(low)
        lo, _hi = sorted((parse_number(low), parse_number(high)))
        self.ranges.append(span_of(self.text, m.start(), m.end()))
        return lo
