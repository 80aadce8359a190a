"""Scores and levels on named tests and scales: percentiles, Lexiles, DRA and F&P levels, scaled
and standard scores. A real IEP often states its criterion this way ("at or above the 25th
percentile on the DIBELS 8 ORF"); it says how well as surely as a percent correct does.
"""

from __future__ import annotations

import re
from typing import Final

from tandem.rules.goals.lexicon import parse_number, rx
from tandem.rules.goals.model import BaselineToTarget, Comparator, ScaleScore
from tandem.rules.goals.reader import Reader

# A test's name: words with a capital or a digit ("i-Ready", "DIBELS 8", "MAP Growth"), and the
# few lowercase words test names use ("reading test", "math computation measure").
_NAME_WORD = (
    r"(?:(?-i:[\w&+.'’-]*[A-Z0-9][\w&+.'’-]*)|(?-i:and|of|&|reading|math|mathematics|writing|oral"
    r"|fluency|computation|comprehension|spelling|growth|test|assessment|diagnostic|screener"
    r"|inventory|subtest|measure|composite|benchmark))"
)
_TEST = (
    rf"(?:\)?\s+(?:on|in|of)\s+(?:the\s+)?(?P<test>(?-i:[\w&+.'’-]*[A-Z0-9][\w&+.'’-]*)"
    rf"(?:\s+{_NAME_WORD}){{0,6}})(?<![\s&])(?<!\band)(?<!\bof))?"
)
_LEAD = (
    r"(?:(?P<lead>at\s+or\s+above|at\s+or\s+below|at\s+least|a\s+minimum\s+of|no\s+lower\s+than"
    r"|no\s+higher\s+than|no\s+more\s+than|above|below)\s+)?"
)
_TAIL = r"(?:\s+or\s+(?P<tail>higher|above|better|greater|more|lower|below|less))?"
_ORDINAL = r"(?P<v>[0-9]{1,2})(?:st|nd|rd|th)"

_SCALES: Final[tuple[tuple[str, re.Pattern[str]], ...]] = (
    (
        "percentile",
        rx(rf"{_LEAD}(?:the\s+)?{_ORDINAL}\s+(?:national\s+)?percentile(?:\s+rank)?{_TAIL}{_TEST}"),
    ),
    (
        "percentile",
        rx(
            rf"(?:an?\s+)?percentile\s+(?:rank|score)\s+of\s+{_LEAD}(?P<v>[0-9]{{1,2}})"
            rf"{_TAIL}{_TEST}"
        ),
    ),
    (
        "lexile",
        rx(
            rf"(?:an?\s+)?lexile(?:\s+(?:measure|level|score))?\s+(?:of\s+)?{_LEAD}"
            rf"(?P<v>[0-9]{{2,4}})\s*L?\b{_TAIL}{_TEST}"
        ),
    ),
    ("lexile", rx(rf"{_LEAD}(?P<v>[0-9]{{2,4}})L\b(?:\s+lexile)?{_TAIL}{_TEST}")),
    (
        "dra",
        rx(
            r"\bDRA\s*2?\s+(?:(?:independent|instructional|text)\s+)?level\s+(?:of\s+)?"
            rf"{_LEAD}(?P<v>[0-9]{{1,2}}|A)\b{_TAIL}"
        ),
    ),
    (
        "fountas_pinnell",
        rx(
            r"\b(?:Fountas\s+(?:&|and)\s+Pinnell|F\s*&\s*P|F\s+and\s+P|guided\s+reading)"
            r"(?:\s+(?:text|benchmark|instructional|independent|reading))?\s+level\s+"
            rf"(?P<v>(?-i:[A-Z]))\b{_TAIL}"
        ),
    ),
    (
        "score",
        rx(
            r"(?:an?\s+)?(?P<which>scaled|scale|standard|RIT|composite)\s+score\s+of\s+"
            rf"{_LEAD}(?P<v>[0-9]{{2,4}}){_TAIL}{_TEST}"
        ),
    ),
)
_SCORE_SCALE: Final = {
    "scaled": "scaled_score",
    "scale": "scaled_score",
    "standard": "standard_score",
    "rit": "rit_score",
    "composite": "composite_score",
}
_PERCENTILE_FROM_TO = rx(
    rf"\bfrom\s+(?:the\s+)?(?P<b>[0-9]{{1,2}})(?:st|nd|rd|th)(?:\s+percentile)?\s+to\s+{_LEAD}"
    rf"(?:the\s+)?{_ORDINAL}\s+percentile(?:\s+rank)?{_TAIL}{_TEST}"
)
_CUE = rx(
    r"percentile|lexile|[0-9]L\b|\bDRA|pinnell|\bF\s*(?:&|and)\s*P\b|guided\s+reading|score\s+of"
)
_AT_MOST = ("at or below", "no higher than", "no more than", "below", "lower", "less")


def _group(m: re.Match[str], name: str) -> str | None:
    return m.groupdict().get(name)


def _comparator(m: re.Match[str]) -> Comparator:
    words = [" ".join(w.lower().split()) for w in (_group(m, "lead"), _group(m, "tail")) if w]
    return Comparator.MAX if any(w in _AT_MOST for w in words) else Comparator.MIN


def scales(r: Reader) -> None:
    """ "at or above the 25th percentile on the STAR", "a Lexile of 650L", "DRA level 28"."""
    if _CUE.search(r.text) is None:
        return
    for m in r.finditer(_PERCENTILE_FROM_TO):
        s, e = r.trimmed(m.start(), m.end())
        r.add(
            BaselineToTarget(
                baseline=parse_number(m.group("b")),
                target=parse_number(m.group("v")),
                percent=None,
                unit="percentile",
                text=r.text[s:e],
                start=s,
                end=e,
            )
        )
    for scale, pattern in _SCALES:
        for m in r.finditer(pattern):
            _add_scale(r, m, scale)


def _add_scale(r: Reader, m: re.Match[str], scale: str) -> None:
    raw = _group(m, "v") or ""
    if scale == "score":
        scale = _SCORE_SCALE[(_group(m, "which") or "").lower()]
    value = parse_number(raw) if raw[:1].isdigit() else None
    level = f"{raw}L" if scale == "lexile" and value is not None else raw
    test = _group(m, "test")
    s, e = r.trimmed(m.start(), m.end())
    r.add(
        ScaleScore(
            value=value,
            level=level,
            scale=scale,
            test=" ".join(test.split()) if test else None,
            comparator=_comparator(m),
            text=r.text[s:e],
            start=s,
            end=e,
        )
    )
