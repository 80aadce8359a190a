"""Part extractors for the clause of a goal: learner, behavior, condition, counts, outcomes.

A goal reads "<timeframe>, <condition>, <learner> will <behavior> <criterion> <measurement>"
in some order (Bateman & Herr; ABCD, PROGRESS.md 2). The anchor is the learner's verb ("will",
or an intent like "plans to"); the learner is just before it, the behavior just after, and the
behavior ends where a criterion, a condition, a purpose or the measurement begins.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from tandem.rules.goals.frame import POSTSECONDARY, SENTENCE_END
from tandem.rules.goals.lexicon import (
    ITEM_UNITS,
    num_group,
    parse_int,
    rx,
    scan_noun,
    span_of,
    trim_span,
    unit_text,
    word_list,
    words_after,
)
from tandem.rules.goals.model import (
    MAIN_LEVEL_KINDS,
    BinaryOutcome,
    CriterionKind,
    ItemCount,
    Rate,
    Span,
)
from tandem.rules.goals.reader import Reader

# A count in the behavior is a criterion only as a minimum ("at least 3 strategies", "5 or more
# words"); a bare count is what the student produces ("two supporting details"), not how well.
ITEM_BARE = rx(
    r"(?:(?:at\s+least|a\s+minimum\s+of|a\s+total\s+of|no\s+fewer\s+than)\s+"
    rf"{num_group('c')}(?:\s+or\s+more)?"
    rf"|(?<!\bof\s)(?<!grade\s)(?<!level\s)(?<!\bto\s){num_group('c2')}\s+or\s+more)(?=\s)"
)
OUTCOME_VERB = rx(
    r"^(?:enroll|attend|work|obtain|secure|gain\s+employment|maintain\s+employment|live|be\s+employed"
    r"|complete|earn|participate|pursue|join|enlist|apply|access|use|manage|travel|volunteer|become|go|"
    r"take|register|graduate|find|get|hold|shop|cook|pay|ride|drive|prepare|receive)\b"
)

# Clause openers that end the behavior and start a criterion, a condition or a purpose.
POST_CONDITION = rx(
    r"(?:,\s*|\s+)(?P<m>when\s+(?:given|presented\s+with|provided(?:\s+with)?|shown|asked|prompted|"
    r"offered|told|upset|frustrated|angry|anxious|a\s+peer|an\s+adult|the\s+teacher|transitioning|"
    r"working|engaged|in)|given|during|in\s+(?:the|a|an|his|her|their|all|each|both)\s+(?:[\w-]+\s+){0,3}?"
    r"(?:classroom|classrooms|settings?|environments?|class|group|cafeteria|hallways?|gym|playground|"
    r"community|centers|instruction|lessons?|activities|routines?|recess|lunch|school|home|room)\b"
    r"|across\s+(?:(?:[\w-]+\s+){0,2})?(?:settings|environments|classes|subjects|content\s+areas|staff|"
    r"adults|people|partners|school\s+settings)|while|with\s+the\s+use\s+of|with\s+access\s+to|"
    r"with\s+the\s+aid\s+of|upon|following|after\s+(?:reading|listening|hearing|viewing|a|an|the))\b"
)
PURPOSE = rx(r"(?:,\s*|\s+)(?:so\s+that|in\s+order\s+to)\b")
PRE_CONDITION = rx(
    r"^(?:when|given|during|in|using|with|after|while|following|upon|at|provided|throughout|"
    r"across|on|for|presented|if|within|before|as\s+part\s+of|in\s+the|whenever|once)\b"
)

ANCHOR = rx(
    r"\b(?P<intent>plans?\s+to|hopes?\s+to|wants?\s+to|would\s+like\s+to|wishes?\s+to|intends?\s+to|"
    r"is\s+planning\s+to|is\s+hoping\s+to|desires?\s+to|aspires?\s+to|expects?\s+to|is\s+interested\s+in|"
    r"dreams?\s+(?:of|to)|is\s+considering|will\s+(?:explore|consider|think\s+about|look\s+into))\b"
    r"|\b(?:will|shall|is\s+going\s+to)\b"
)
LEARNER = re.compile(
    r"(?P<l>(?i:(?:the|this|our|each|every|my)\s+(?:[\w-]+\s+){0,2}?(?:student|learner|child|youth|"
    r"pupil|individual|client|kid|adolescent|teen|boy|girl)s?)|(?i:student)"
    r"|\[[^\]\n]{1,40}\]|\([^)\n]{1,40}\)|<[^<>\n]{1,40}>|_{2,}"
    r"|(?:[A-Z][\w'’-]*\.?)(?:\s+[A-Z][\w'’-]*\.?){0,2}|(?i:he|she|they|s/he|he/she|she/he|he or she))"
    r"\s*,?\s*$"
)
NOT_NAMES: Final = frozenset(
    word_list(
        """
        by when given during in within after while with using following upon at provided
        throughout across on for if before once the a an and then also iep goal annual reading
        writing math objective benchmark
        """
    )
)
WRAPPERS = rx(
    r"(?:(?:be\s+able\s+to|demonstrate\s+(?:the|an|his|her|their)\s+(?:ability|skill|capacity)\s+to"
    r"|learn\s+(?:how\s+)?to|continue\s+to|begin\s+to|work\s+to|also|then|consistently|regularly"
    r"|now)\s+)+"
)
NOT_COUNTED: Final = frozenset(
    word_list(
        """
        times minutes seconds hours days weeks months years percent grades levels and or of to
        in on at by with for from
        """
    )
)


def find_anchor(text: str, timeframe: Span | None) -> re.Match[str] | None:
    """The learner's verb: the first "will" (or intent) that is not inside the timeframe."""
    for m in ANCHOR.finditer(text):
        if timeframe is not None and timeframe.start <= m.start() < timeframe.end:
            continue
        return m
    return None


def find_learner(text: str, anchor: re.Match[str] | None) -> Span | None:
    """The learner: a name, "the student", a pronoun or a placeholder just before the anchor."""
    if anchor is None:
        return None
    stripped = text[: anchor.start()].rstrip()
    # Only the last ~6 words can be the subject; this also keeps the search short.
    m = LEARNER.search(stripped, max(0, len(stripped) - 60))
    while m is not None:
        cand = m.group("l")
        first = cand.split()[0].lower().strip(",")
        if first not in NOT_NAMES or cand[:1] in "[(<_" or cand.lower().startswith("the "):
            return _last_names(text, m)
        m = LEARNER.search(stripped, m.start("l") + len(cand.split()[0]))
    return None


def _last_names(text: str, m: re.Match[str]) -> Span | None:
    # A capitalised phrase may start with a condition word: keep the last names only.
    cand = m.group("l")
    start = m.start("l")
    words = cand.split()
    while words and words[0].lower().strip(",") in NOT_NAMES and cand[:1] not in "[(<_":
        if cand.lower().startswith("the "):
            break
        start = text.index(words[1], start) if len(words) > 1 else m.end("l")
        words = words[1:]
    return span_of(text, start, m.end("l")) if words else None


_RATE_LEAD = rx(r"\b(?:at|with)\s+(?:a\s+)?(?:(?:rate|pace|speed|fluency)\s+of\s+)?$")


def find_behavior(
    r: Reader, anchor: re.Match[str] | None, timeframe: Span | None, measurement: Span | None
) -> tuple[Span | None, int]:
    """The behavior after the anchor, and where its verb starts (after "be able to" etc.)."""
    if anchor is None:
        return None, 0
    start = _behavior_start(r, anchor)
    verb_at = start
    if w := WRAPPERS.match(r.text, start):
        verb_at = w.end()
    end = _behavior_end(r, verb_at, timeframe, measurement)
    span = trim_span(r.text, start, end)
    if span is None:
        return None, verb_at
    return span, max(verb_at, span.start)


def _behavior_start(r: Reader, anchor: re.Match[str]) -> int:
    text = r.text
    start = anchor.end()
    if anchor.group("intent") and anchor.group(0).lower().startswith("will "):
        start = anchor.start() + len("will ")
    start = _skip_blanks(text, start)
    # A leading prompt-level atom ("will independently ...") is a criterion, not the behavior.
    moved = True
    while moved:
        moved = False
        for a in r.atoms:
            if a.start == start:
                start = _skip_blanks(text, a.end)
                moved = True
    return start


def _skip_blanks(text: str, at: int) -> int:
    while at < len(text) and text[at] in " \t,":
        at += 1
    return at


def _behavior_end(r: Reader, verb_at: int, timeframe: Span | None, measurement: Span | None) -> int:
    text = r.text
    cuts = [len(text)]
    if (s := SENTENCE_END.search(text, verb_at)) is not None:
        cuts.append(s.start())
    cuts += [p.start for p in (timeframe, measurement) if p is not None and p.start > verb_at]
    if (p := PURPOSE.search(text, verb_at)) is not None:
        cuts.append(p.start())
    for a in r.atoms:
        if a.start <= verb_at or isinstance(a, ItemCount | BinaryOutcome):
            continue
        # A rate inside the behavior ("read 90 wcpm") ends it only after "at a rate of".
        if isinstance(a, Rate) and not _RATE_LEAD.search(text[max(0, a.start - 30) : a.start]):
            continue
        cuts.append(a.start)
    return min(cuts)


_CRITERION_LEAD = rx(r"\b(?:in|with|on|across|at|for|scoring)\s+(?:\S+\s+)?$")


def cut_at_placeholder(
    text: str, behavior: Span | None, verb_at: int, placeholders: list[Span]
) -> Span | None:
    """A placeholder where the criterion should be ("with X% accuracy") ends the behavior."""
    for p in placeholders:
        if behavior is not None and verb_at < p.start < behavior.end and near_criterion(text, p):
            lead = _CRITERION_LEAD.search(text[verb_at : p.start])
            if lead is not None:
                behavior = trim_span(text, behavior.start, verb_at + lead.start())
    return behavior


def near_criterion(text: str, p: Span) -> bool:
    """Whether a placeholder stands where a number of the criterion should be."""
    after = text[p.end : p.end + 30].lower()
    before = text[max(0, p.start - 25) : p.start].lower()
    return bool(
        re.search(r"^\s*(?:%|percent|out\s+of|of\b|/|trials|times|correct|accuracy)", after)
        or re.search(r"(?:with|in|of|out\s+of|/)\s*$", before)
        and not re.search(r"\b(?:by|before|within)\s*$", before)
    )


_STOP = re.compile(r",|;|\.(?=\s|$)")


def post_condition(r: Reader, behavior: Span) -> Span | None:
    """A condition written after the behavior: "..., when given a visual schedule"."""
    text = r.text
    for m in POST_CONDITION.finditer(text, behavior.start, behavior.end):
        start = m.start("m")
        if start <= behavior.start + 2 or not r.claims.free(start, start + 1):
            continue
        end = behavior.end
        if (s := _STOP.search(text, m.end(), behavior.end)) is not None:
            end = s.start()
        return trim_span(text, start, end)
    return None


def find_condition(
    r: Reader, learner: Span | None, anchor: re.Match[str] | None, timeframe: Span | None
) -> Span | None:
    """A condition written before the learner: "Given a visual schedule, ..."."""
    if anchor is None:
        return None
    text = r.text
    limit = learner.start if learner is not None else anchor.start()
    segments = [(0, limit)]
    if timeframe is not None and timeframe.end <= limit:
        segments = [(0, timeframe.start), (timeframe.end, limit)]
    for s0, s1 in segments:
        # A criterion there ("With 80% accuracy, ...") is no condition: read around it.
        for p0, p1 in _around_atoms(r, s0, s1):
            span = trim_span(text, p0, p1)
            if span is not None and PRE_CONDITION.match(span.text) and len(span.text) > 3:
                return span
    return None


def _around_atoms(r: Reader, start: int, end: int) -> list[tuple[int, int]]:
    """The stretches of text[start:end] that no criterion atom covers (a prompt level may be a
    condition: "with a gestural prompt, ...")."""
    pieces, at = [], start
    for a in sorted(r.atoms, key=lambda a: a.start):
        if a.end <= at or a.start >= end or a.kind is CriterionKind.PROMPT_LEVEL:
            continue
        pieces.append((at, max(at, a.start)))
        at = a.end
    pieces.append((at, end))
    return [(p0, p1) for p0, p1 in pieces if p1 > p0]


_OBSERVATION = rx(r"during\s+(?:an?|each|the)\s+[0-9]+[- ](?:second|minute|min)")


def late_condition(
    r: Reader, behavior: Span, timeframe: Span | None, measurement: Span | None
) -> Span | None:
    """A condition written after the criterion: "... with 80% accuracy when given a passage"."""
    text = r.text
    stops = [len(text)] + [
        p.start for p in (timeframe, measurement) if p and p.start > behavior.end
    ]
    if (end_of_sentence := SENTENCE_END.search(text, behavior.end)) is not None:
        stops.append(end_of_sentence.start())
    stop = min(stops)
    for m in POST_CONDITION.finditer(text, behavior.end, stop):
        start = m.start("m")
        # "during a 20-minute observation" is the whole an interval percent counts against
        if not r.claims.free(start, start + 1) or _OBSERVATION.match(text, start):
            continue
        end = stop
        if (s := _STOP.search(text, m.end(), stop)) is not None:
            end = s.start()
        end = min([end] + [a.start for a in r.atoms if start < a.start < end])
        return trim_span(text, start, end)
    return None


def bare_item_count(r: Reader, behavior: Span) -> None:
    """ "state 3 strategies": a count in the behavior, when nothing else sets the level."""
    if any(a.kind in MAIN_LEVEL_KINDS for a in r.atoms):
        return
    text = r.text
    for m in ITEM_BARE.finditer(text, behavior.start, behavior.end):
        if not r.claims.free(m.start(), m.end()):
            continue
        found = scan_noun(text, m.end(), ITEM_UNITS, 3) or _plural_after(text, m.end())
        if found is None or found[1] > behavior.end:
            continue
        phrase, end = found
        s, e = r.trimmed(m.start(), end)
        count = parse_int(m.group("c") or m.group("c2"))
        r.add(
            ItemCount(count=count, of=None, unit=unit_text(phrase), text=text[s:e], start=s, end=e)
        )
        return


def _plural_after(text: str, at: int) -> tuple[str, int] | None:
    # Any plural noun right after the number counts ("3 job applications").
    for w in words_after(text, at, 2):
        word = w.group(1).lower()
        if word in NOT_COUNTED:
            return None
        if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
            return text[at : w.end()].strip(), w.end()
    return None


def binary_outcome(r: Reader, behavior: Span, verb_at: int) -> None:
    """A postsecondary outcome that happens or not ("will enroll in ...") is its own criterion."""
    if all(a.kind is CriterionKind.PROMPT_LEVEL for a in r.atoms) and OUTCOME_VERB.search(
        r.text[verb_at : behavior.end]
    ):
        r.add(
            BinaryOutcome(
                outcome=behavior.text, text=behavior.text, start=behavior.start, end=behavior.end
            )
        )


@dataclass(frozen=True, slots=True)
class Clause:
    """Who does what, under which condition, and whether it is an intention or postsecondary."""

    learner: Span | None
    behavior: Span | None
    verb_at: int  # where the verb of the behavior starts
    condition: Span | None
    intent: Span | None  # "plans to": a wish, not an outcome
    postsecondary: bool


def read_clause(
    r: Reader, timeframe: Span | None, measurement: Span | None, placeholders: list[Span]
) -> Clause:
    """Read the learner, behavior and condition; add bare item counts and binary outcomes."""
    text = r.text
    anchor = find_anchor(text, timeframe)
    learner = find_learner(text, anchor)
    behavior, verb_at = find_behavior(r, anchor, timeframe, measurement)
    behavior = cut_at_placeholder(text, behavior, verb_at, placeholders)
    condition = find_condition(r, learner, anchor, timeframe)
    if behavior is not None and (after := post_condition(r, behavior)) is not None:
        behavior = trim_span(text, behavior.start, after.start)
        condition = condition or after
    if behavior is not None and condition is None:
        condition = late_condition(r, behavior, timeframe, measurement)
    intent = None
    if anchor is not None and anchor.group("intent") is not None:
        intent = span_of(text, anchor.start(), anchor.end())
    postsecondary = intent is not None or POSTSECONDARY.search(text) is not None
    if behavior is not None:
        bare_item_count(r, behavior)
        if postsecondary and intent is None:
            binary_outcome(r, behavior, verb_at)
    return Clause(learner, behavior, verb_at, condition, intent, postsecondary)
