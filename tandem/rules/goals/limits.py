"""Extractors for limits and supports: ceilings, errors, prompts, time, frequency, baselines."""

from __future__ import annotations

import re

from tandem.rules.goals.lexicon import (
    ERROR_NOUNS,
    PROMPT_NOUNS,
    TIME_NOUNS,
    parse_int,
    parse_number,
    prompt_level_of,
    scan_noun,
    to_seconds,
    unit_text,
)
from tandem.rules.goals.model import (
    TARGET_KINDS,
    BaselineToTarget,
    Comparator,
    Duration,
    ErrorLimit,
    Frequency,
    Latency,
    Prompt,
    PromptLevel,
    Reduction,
    target_value,
)
from tandem.rules.goals.patterns import (
    BASELINE_ONLY,
    CEILING_RE,
    COMPLETION_VERBS,
    DURATION_RE,
    ERROR_PCT,
    FREQ_RE,
    INDEPENDENT_RE,
    LATENCY_RE,
    LATENCY_VERBS,
    NO_ERRORS,
    OR_FEWER,
    PER_TAIL,
    PER_WORD,
    PROMPT_RE,
    REDUCTION_NOUNS,
    SEPARATE_RE,
)
from tandem.rules.goals.reader import Reader

_CEILING_NOUNS = ERROR_NOUNS | PROMPT_NOUNS | TIME_NOUNS | REDUCTION_NOUNS


def per_of(tail: re.Match[str]) -> str:
    """The unit of a PER_TAIL match: "per class" -> "class", "daily" -> "day"."""
    return (tail.group("per") or PER_WORD.get((tail.group("per2") or "").lower(), "")).lower()


# --------------------------------------------------------------------------- ceilings


def ceilings(r: Reader) -> None:
    """ "no more than 2 errors", "fewer than 3 prompts", "1 or fewer incidents per day"."""
    for m in r.finditer(CEILING_RE):
        raw = m.group("n") if m.group("n2") is None else m.group("n2")
        if m.group("lead") and m.group("lead").lower() in ("zero", "0"):
            raw = "0"
        if raw is None or raw == "":
            continue
        strict = (m.group("lead") or "").lower().startswith(("fewer", "less"))
        found = scan_noun(r.text, m.end(), _CEILING_NOUNS, 4)
        if found is None:
            _ceiling_after_noun(r, m, parse_int(raw), strict)
        else:
            _ceiling_on_noun(r, m, raw, found, strict)


def _ceiling_after_noun(r: Reader, m: re.Match[str], value: int, strict: bool) -> None:
    # "refusals to 1 or fewer per week": the counted noun came before the number.
    after = m.end()
    if (tail := OR_FEWER.match(r.text, after)) is not None:
        after = tail.end()
    per_tail = PER_TAIL.match(r.text, after)
    if per_tail is None or not r.claims.free(m.start(), per_tail.end()):
        return
    s, e = r.trimmed(m.start(), per_tail.end())
    r.add(
        Reduction(
            baseline=None,
            target=float(value - 1 if strict else value),
            percent=None,
            per=per_of(per_tail) or None,
            unit=None,
            text=r.text[s:e],
            start=s,
            end=e,
        )
    )


def _ceiling_on_noun(
    r: Reader, m: re.Match[str], raw: str, found: tuple[str, int], strict: bool
) -> None:
    phrase, end = found
    head = phrase.lower().split()[-1]
    if (tail := OR_FEWER.match(r.text, end)) is not None:
        end = tail.end()
    if not r.claims.free(m.start(), end):
        return
    s, e = r.trimmed(m.start(), end)
    text = r.text[s:e]
    value = parse_int(raw)
    most = max(0, value - 1) if strict else value
    if head in ERROR_NOUNS:
        r.add(ErrorLimit(max_errors=most, max_percent=None, text=text, start=s, end=e))
    elif head in PROMPT_NOUNS:
        level = prompt_level_of(phrase)
        r.add(
            Prompt(
                level=level,
                max_prompts=most,
                comparator=Comparator.MAX,
                text=text,
                start=s,
                end=e,
            )
        )
    elif head in TIME_NOUNS:
        seconds = to_seconds(parse_number(raw), head)
        r.add(Duration(seconds=seconds, comparator=Comparator.MAX, text=text, start=s, end=e))
    else:
        per = None
        if (tail2 := PER_TAIL.match(r.text, e)) is not None:
            per = per_of(tail2)
            e = tail2.end()
            text = r.text[s:e]
        r.add(
            Reduction(
                baseline=None,
                target=float(most),
                percent=None,
                per=per or None,
                unit=unit_text(phrase.split(" ", 1)[-1] if " " in phrase else phrase),
                text=text,
                start=s,
                end=e,
            )
        )


def errors(r: Reader) -> None:
    """ "with no errors", "without mistakes", "errors on fewer than 5% of words"."""
    for m in r.finditer(NO_ERRORS):
        s, e = r.trimmed(m.start(), m.end())
        r.add(ErrorLimit(max_errors=0, max_percent=None, text=r.text[s:e], start=s, end=e))
    for m in r.finditer(ERROR_PCT):
        percent = parse_number(m.group("p") or m.group("q") or m.group("r"))
        s, e = r.trimmed(m.start(), m.end())
        r.add(ErrorLimit(max_errors=None, max_percent=percent, text=r.text[s:e], start=s, end=e))


# --------------------------------------------------------------------------- prompts

_AFTER_LEADS = ("and", "after", "following")
# Words that make a count of prompts a ceiling ("no more than 2"), not a support given ("one").
_CEILING_CAPS = frozenset(
    ["no more than", "not more than", "fewer than", "less than", "at most", "up to", "only"]
    + ["a maximum of", "a max of", "no greater than"]
)


def prompts(r: Reader) -> None:
    """ "with no more than 2 verbal prompts", "at the gestural prompt level", "independently"."""
    for m in r.finditer(PROMPT_RE):
        lead = (m.group("lead") or "").lower()
        if lead in _AFTER_LEADS and not m.group("type") and not m.group("type2"):
            continue
        start = m.start() if lead not in _AFTER_LEADS else m.start("noun")
        if m.group("type2"):
            level, count = prompt_level_of(m.group("type2")), None
        else:
            kind = m.group("type") or m.group("type3") or m.group("noun") or ""
            level, count = prompt_level_of(kind), _prompt_count(m)
            if m.group("type") and lead == "and":
                start = m.start("type")
        vague_help = (m.group("noun") or "").lower() in ("support", "help")
        if level is None and vague_help and not (m.group("q") or m.group("n")):
            continue
        s, e = r.trimmed(start, m.end())
        cap = " ".join((m.group("cap") or m.group("cap2") or "").lower().split())
        comparator = Comparator.MAX if count is not None and cap in _CEILING_CAPS else None
        r.add(
            Prompt(
                level=level,
                max_prompts=count,
                comparator=comparator,
                text=r.text[s:e],
                start=s,
                end=e,
            )
        )
    for m in r.finditer(INDEPENDENT_RE):
        s, e = r.trimmed(m.start(), m.end())
        r.add(
            Prompt(level=PromptLevel.INDEPENDENT, max_prompts=0, text=r.text[s:e], start=s, end=e)
        )


def _prompt_count(m: re.Match[str]) -> int | None:
    """How many prompts are allowed: "no more than 2" -> 2, "fewer than 3" -> 2, "a" -> 1."""
    raw = m.group("n")
    cap = (m.group("cap") or m.group("cap2") or "").lower()
    if raw is None:
        return 1 if cap == "a single" else None
    if raw.lower() in ("a", "an"):
        return 1 if cap else None
    count = parse_int(raw)
    if cap.startswith(("fewer", "less")):
        return max(0, count - 1)
    return count


# --------------------------------------------------------------------------- time


def latency_and_duration(r: Reader) -> None:
    """ "within 2 minutes of a direction" (latency), "for at least 10 minutes" (duration)."""
    for m in LATENCY_RE.finditer(r.text):
        end = m.end()
        if not r.claims.free(m.start(), end):
            end = m.end("u")  # the cue may run into another atom: keep "within N minutes"
            if not r.claims.free(m.start(), end):
                continue
        seconds = to_seconds(parse_number(m.group("n")), m.group("u"))
        before = r.text[max(0, m.start() - 120) : m.start()]
        s, e = r.trimmed(m.start(), end)
        if (m.group("tail") and end > m.end("u")) or (
            LATENCY_VERBS.search(before) and not COMPLETION_VERBS.search(before)
        ):
            r.add(Latency(seconds=seconds, text=r.text[s:e], start=s, end=e))
        else:
            r.add(
                Duration(
                    seconds=seconds, comparator=Comparator.MAX, text=r.text[s:e], start=s, end=e
                )
            )
    for m in r.finditer(DURATION_RE):
        found = next(
            ((m.group(f"n{i}"), m.group(f"u{i}")) for i in ("", 2, 3, 4, 5, 6) if m.group(f"n{i}")),
            None,
        )
        if found is None:
            continue
        raw, unit = found
        more = (m.group("more") or "").lower()
        shorter = m.group("n4") or more in ("less", "fewer", "under", "shorter")
        s, e = r.trimmed(m.start(), m.end())
        r.add(
            Duration(
                seconds=to_seconds(parse_number(raw), unit),
                comparator=Comparator.MAX if shorter else Comparator.MIN,
                text=r.text[s:e],
                start=s,
                end=e,
            )
        )


# --------------------------------------------------------------------------- frequency

_NOT_FREQUENCY_UNITS = PROMPT_NOUNS | ERROR_NOUNS | TIME_NOUNS | {"minute", "min", "minutes"}


def frequency(r: Reader) -> None:
    """ "at least 3 times per day", "twice a week", "on 3 separate days"."""
    for m in r.finditer(SEPARATE_RE):
        s, e = r.trimmed(m.start(), m.end())
        r.add(
            Frequency(
                count=parse_int(m.group("c")),
                per=None,
                unit=unit_text(f"separate {m.group('unit')}"),
                comparator=Comparator.MIN,
                text=r.text[s:e],
                start=s,
                end=e,
            )
        )
    for m in r.finditer(FREQ_RE):
        unit = m.group("unit")
        if unit is not None:
            words = unit.lower().split()
            if words[0] == "or" or words[-1] in _NOT_FREQUENCY_UNITS:
                continue
        tail = PER_TAIL.match(r.text, m.end())
        if tail is None or not r.claims.free(m.start(), tail.end()):
            continue
        raw = m.group("c").lower()
        count = 1 if raw == "once" else 2 if raw == "twice" else parse_int(raw)
        s, e = r.trimmed(m.start(), tail.end())
        r.add(
            Frequency(
                count=count,
                per=" ".join(per_of(tail).split()) or None,
                unit=unit_text(unit) if unit else ("times" if raw in ("once", "twice") else None),
                comparator=Comparator.MIN,
                text=r.text[s:e],
                start=s,
                end=e,
            )
        )


# --------------------------------------------------------------------------- baselines


def baseline_only(r: Reader) -> None:
    """ "up from a baseline of 45": a drop or a rise against the level read before."""
    for m in r.finditer(BASELINE_ONLY):
        baseline = parse_number(m.group("b") or m.group("b2"))
        levels = [a for a in r.atoms if a.kind in TARGET_KINDS]
        s, e = r.trimmed(m.start(), m.end())
        text = r.text[s:e]
        if not levels:
            r.covered.append((s, e))
            r.claims.take(s, e)
            continue
        target = target_value(levels[0])
        unit = unit_text(m.group("bu")) if m.group("bu") else None
        if target is not None and target < baseline:
            r.add(
                Reduction(
                    baseline=baseline,
                    target=target,
                    percent=None,
                    per=None,
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
