"""Extractors for levels of performance: precision, percents, rates, rubrics, M of N, runs.

Each extractor reads one kind of criterion atom (PROGRESS.md 3) into the reader, skipping phrases
already read, so the order of the extractors (tandem.rules.goals.sentence.EXTRACTORS) matters.
"""

from __future__ import annotations

import re

from tandem.rules.goals.lexicon import (
    CONSEC_UNITS,
    ITEM_UNITS,
    MOFN_UNITS,
    TIME_NOUNS,
    lead_before,
    parse_amount,
    parse_int,
    parse_number,
    per_in,
    rx,
    scan_noun,
    unit_text,
    words_after,
)
from tandem.rules.goals.model import (
    Accuracy,
    BaselineToTarget,
    Comparator,
    Consecutive,
    ErrorLimit,
    IntervalPercent,
    ItemCount,
    MOfN,
    MofNReading,
    Precision,
    Rate,
    Reduction,
    Rubric,
)
from tandem.rules.goals.patterns import (
    ACCURACY,
    CONSEC_RE,
    CONSEC_TAIL,
    COUNTING,
    ERROR_PCT,
    FROM_TO,
    INCREASE_PCT,
    INTERVAL,
    INTERVAL_NOUNS,
    ITEM_OF,
    MAX_LEAD,
    MOFN_RE,
    OF_FILLERS,
    PRECISION_RE,
    RATE_ABBR_RE,
    RATE_IN_MIN,
    RATE_PER_MIN,
    RATE_UNIT_OK,
    REDUCTION_PCT,
    RUBRIC_RE,
    WINDOW,
)
from tandem.rules.goals.reader import Reader


def precision(r: Reader) -> None:
    for m in r.finditer(PRECISION_RE):
        raw = m.group("v") or m.group("v2") or m.group("money")
        unit = m.group("u") or m.group("u2") or ("dollars" if m.group("money") else None)
        value = parse_amount(raw) if raw else None
        if value is None and unit is None and not raw:
            continue
        if m.group("v2") is None and m.group("u2") is None and m.group(0).lower().startswith("to"):
            continue
        if unit == '"':
            unit = "inches"
        s, e = r.trimmed(m.start(), m.end())
        r.add(
            Precision(
                tolerance=value,
                unit=unit_text(unit),
                text=r.text[s:e],
                start=s,
                end=e,
            )
        )


def reductions_by_percent(r: Reader) -> None:
    for m in r.finditer(REDUCTION_PCT):
        raw = m.group("p") or m.group("p3") or m.group("q")
        start = m.start("p3") if m.group("p3") else m.start("p") if m.group("p") else m.start()
        if m.group("p") and (by := r.text.rfind(" by ", m.start(), start)) != -1:
            start = by + 1
        s, e = r.trimmed(start, m.end())
        r.add(
            Reduction(
                baseline=None,
                target=None,
                percent=parse_number(raw),
                per=None,
                unit=None,
                text=r.text[s:e],
                start=s,
                end=e,
            )
        )
    for m in r.finditer(INCREASE_PCT):
        start = r.text.rfind(" by ", m.start(), m.start("p")) + 1
        s, e = r.trimmed(start, m.end())
        r.add(
            BaselineToTarget(
                baseline=None,
                target=None,
                percent=parse_number(m.group("p")),
                unit=None,
                text=r.text[s:e],
                start=s,
                end=e,
            )
        )


def from_to(r: Reader) -> None:
    for m in r.finditer(FROM_TO):
        if COUNTING.search(r.text[max(0, m.start() - 30) : m.start()]):
            continue
        baseline, target = parse_number(m.group("b")), parse_number(m.group("t"))
        unit = unit_text(m.group("tu") or m.group("bu"))
        if m.group("tp") or m.group("bp"):
            unit = "percent" if unit is None else f"percent {unit}"
        s, e = r.trimmed(m.start(), m.end())
        text = r.text[s:e]
        if target < baseline:
            r.add(
                Reduction(
                    baseline=baseline,
                    target=target,
                    percent=None,
                    per=per_in(unit),
                    unit=unit,
                    text=text,
                    start=s,
                    end=e,
                )
            )
        else:
            r.add(
                BaselineToTarget(
                    baseline=baseline,
                    target=target,
                    percent=None,
                    unit=unit,
                    text=text,
                    start=s,
                    end=e,
                )
            )


_AT_MOST_WORDS = re.compile(r"\bor\s+(?:lower|less|below|fewer)\b", re.IGNORECASE)


def rubric(r: Reader) -> None:
    """ "3 out of 4 on the writing rubric"; "3 or lower on a 5-point scale" is a ceiling."""
    for m in r.finditer(RUBRIC_RE):
        raw = m.group("s") or m.group("s2") or m.group("s3")
        if raw is None:
            continue
        out = m.group("o") or m.group("o2") or m.group("o3") or m.group("o4")
        ceiling = _AT_MOST_WORDS.search(m.group(0)) is not None
        s, e = r.trimmed(m.start(), m.end())
        r.add(
            Rubric(
                score=parse_number(raw),
                out_of=parse_number(out) if out else None,
                comparator=Comparator.MAX if ceiling else Comparator.MIN,
                text=r.text[s:e],
                start=s,
                end=e,
            )
        )


def _whole(m: re.Match[str]) -> re.Match[str] | None:
    """The word of the "of" words that names the whole ("observed intervals" -> "intervals")."""
    words = list(re.finditer(r"\S+", m.group("of")))
    named = next(
        (w for w in words if w.group(0).lower() in ITEM_OF or w.group(0).lower() in INTERVAL_NOUNS),
        None,
    )
    if named is None and m.group("cap") and not m.group(0).lower().count(" of "):
        return None  # "10% or fewer accuracy": no whole, and no "of" to say one follows
    cut = named or words[0]
    if cut is words[0] and len(words) > 1 and words[0].group(0).lower() in OF_FILLERS:
        cut = words[1]
    return cut


def _interval(r: Reader, m: re.Match[str]) -> None:
    cut = _whole(m)
    if cut is None:
        return
    end = m.start("of") + cut.end()
    of = " ".join(m.group("of")[: cut.end()].lower().split())
    if not r.claims.free(m.start(), end):
        return
    ceiling = (m.group("cap") or "").lower() in ("fewer", "less", "lower")
    percent = r.range_low(m, m.group("p"), m.group("p2"))
    s, e = r.trimmed(m.start(), end)
    if of.split(" ")[-1] in ITEM_OF and not ceiling:
        r.add(Accuracy(percent=percent, text=r.text[s:e], start=s, end=e))
        return
    window_m = WINDOW.search(r.text, s, min(len(r.text), e + 80))
    window = None if window_m is None else window_m.group(0).strip()
    ceiling = ceiling or lead_before(r.text, s, MAX_LEAD)
    r.add(
        IntervalPercent(
            percent=percent,
            of=of,
            window=window,
            comparator=Comparator.MAX if ceiling else Comparator.MIN,
            text=r.text[s:e],
            start=s,
            end=e,
        )
    )


def percents(r: Reader) -> None:
    """ "80% of intervals", "10% or fewer of intervals", "fewer than 5% errors", "90% accuracy"."""
    for m in INTERVAL.finditer(r.text):
        if r.claims.free(m.start(), m.start("of")):
            _interval(r, m)
    # An error ceiling written as a percent is not an accuracy ("fewer than 5% errors").
    for m in r.finditer(ERROR_PCT):
        percent = parse_number(m.group("p") or m.group("q") or m.group("r"))
        s, e = r.trimmed(m.start(), m.end())
        r.add(ErrorLimit(max_errors=None, max_percent=percent, text=r.text[s:e], start=s, end=e))
    for m in r.finditer(ACCURACY):
        percent = r.range_low(m, m.group("p"), m.group("p2"))
        s, e = r.trimmed(m.start(), m.end())
        r.add(Accuracy(percent=percent, text=r.text[s:e], start=s, end=e))


def rates(r: Reader) -> None:
    for m in r.finditer(RATE_ABBR_RE):
        value = r.range_low(m, m.group("v"), m.group("v2"))
        s, e = r.trimmed(m.start(), m.end())
        unit = unit_text(re.sub(r"(?i)\s+per\s+minute$", "", m.group("unit")))
        r.add(Rate(value=value, per="minute", unit=unit, text=r.text[s:e], start=s, end=e))
    for m in r.finditer(RATE_PER_MIN):
        unit = m.group("unit")
        if not RATE_UNIT_OK.search(unit) and "time" not in unit.lower():
            continue
        value = r.range_low(m, m.group("v"), m.group("v2"))
        s, e = r.trimmed(m.start(), m.end())
        r.add(
            Rate(
                value=value,
                per="minute",
                unit=unit_text(unit),
                text=r.text[s:e],
                start=s,
                end=e,
            )
        )
    for m in r.finditer(RATE_IN_MIN):
        unit = m.group("unit")
        if not RATE_UNIT_OK.search(unit):
            continue
        minutes = parse_number(m.group("mins"))
        per = "minute" if minutes == 1 else f"{m.group('mins')} minutes"
        s, e = r.trimmed(m.start(), m.end())
        r.add(
            Rate(
                value=parse_number(m.group("v")),
                per=per,
                unit=unit_text(unit),
                text=r.text[s:e],
                start=s,
                end=e,
            )
        )


_SESSION_LEAD = rx(r"\b(?:in|on|across|during|for)\s+$")


def m_of_n(r: Reader) -> None:
    for m in r.finditer(MOFN_RE):
        mm, nn = parse_int(m.group("m")), parse_int(m.group("n"))
        found = scan_noun(r.text, m.end(), MOFN_UNITS | ITEM_UNITS, 4)
        end = m.end()
        unit: str | None = None
        is_item = False
        if found is not None:
            phrase, end = found
            unit = unit_text(phrase)
            last = phrase.lower().split()[-1]
            is_item = last in ITEM_UNITS and last not in MOFN_UNITS
        else:
            tail = re.match(r"\s+(correct|correctly)\b", r.text[m.end() :], re.IGNORECASE)
            if tail:
                end = m.end() + tail.end()
                is_item = True
            elif not lead_before(r.text, m.start(), _SESSION_LEAD):
                is_item = True
        if not r.claims.free(m.start(), end):
            continue
        s, e = r.trimmed(m.start(), end)
        if is_item:
            r.add(ItemCount(count=mm, of=nn, unit=unit, text=r.text[s:e], start=s, end=e))
        else:
            r.add(
                MOfN(
                    m=mm,
                    n=nn,
                    unit=unit,
                    reading=MofNReading.SESSIONS,
                    text=r.text[s:e],
                    start=s,
                    end=e,
                )
            )


def consecutive(r: Reader) -> None:
    for m in r.finditer(CONSEC_RE):
        nxt = next(words_after(r.text, m.end(), 1), None)
        if nxt is not None and nxt.group(1).lower() in TIME_NOUNS:
            continue
        found = scan_noun(r.text, m.end(), CONSEC_UNITS | MOFN_UNITS, 3)
        end = m.end()
        unit = None
        if found is not None:
            phrase, end = found
            unit = unit_text(re.sub(r"(?i)^(?:consecutive|successive|straight)\s+", "", phrase))
        if tail := CONSEC_TAIL.match(r.text, end):
            end = tail.end()
        if not r.claims.free(m.start(), end):
            continue
        s, e = r.trimmed(m.start(), end)
        r.add(Consecutive(k=parse_int(m.group("k")), unit=unit, text=r.text[s:e], start=s, end=e))
