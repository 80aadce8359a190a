"""Read a goal once into a `Sentence`: its parts, its criterion atoms, and the facts checks judge.

The order is fixed: the timeframe first (so its numbers are not read as criteria), then the
criterion atoms (each extractor only when its cue words are present), the measurement, the
clause (learner, behavior, condition), and last the readings of M-of-N criteria.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Final

from tandem.rules.goals import criteria, limits, scales
from tandem.rules.goals.areas import Relevance, relevance
from tandem.rules.goals.clauses import Clause, near_criterion, read_clause
from tandem.rules.goals.frame import find_timeframe, measurement_region, read_measurement
from tandem.rules.goals.lexicon import base_form, find_placeholders, overlaps, span_of, word_list
from tandem.rules.goals.model import (
    LEVEL_KINDS,
    Accuracy,
    Ambiguity,
    BaselineToTarget,
    Comparator,
    Criterion,
    CriterionKind,
    Duration,
    Fix,
    FlagCode,
    Frequency,
    IntervalPercent,
    MOfN,
    MofNReading,
    Prompt,
    Rate,
    Reduction,
    Rubric,
    Span,
)
from tandem.rules.goals.patterns import CRITERION_CUE, UNDEFINED_OF
from tandem.rules.goals.reader import Reader
from tandem.rules.vagueness import Activity, LeadKind, activity_lead, process_words, vague_lead

Extractor = Callable[[Reader], None]

_PERCENT_CUES = ("%", "percent", "per cent")
# Each extractor runs only if one of its cue words is present (none: always). Earlier extractors
# claim their phrases first: "80% of intervals" is an interval percent before it is an accuracy.
EXTRACTORS: Final[tuple[tuple[tuple[str, ...], Extractor], ...]] = (
    (("within", "nearest"), criteria.precision),
    ((), scales.scales),  # its own cue: a digit before "L" is no word
    (_PERCENT_CUES, criteria.reductions_by_percent),
    (("from",), criteria.from_to),
    (("rubric", "scale", "score", "rating"), criteria.rubric),
    (_PERCENT_CUES, criteria.percents),
    (("pm", "wrc", "wcm", "cls", "lsf", "lnf", "nwf", "min"), criteria.rates),
    ((" of", "/"), criteria.m_of_n),
    (("consecutive", "successive", "straight", "back", "in a row"), criteria.consecutive),
    (
        ("than", "most", "max", "up to", "under", "or fewer", "or less", "zero", " 0"),
        limits.ceilings,
    ),
    (("error", "mistake"), limits.errors),
    (
        tuple(
            word_list(
                """prompt cue cuing remind redirect assist support model help check level
                independ without own"""
            )
        )
        + ("with no", "with zero", "with 0"),
        limits.prompts,
    ),
    (("sec", "min", "hour", "hr"), limits.latency_and_duration),
    (
        ("per ", "each", "every", "daily", "weekly", "monthly", "hourly", "separate", "different")
        + ("distinct", " a ", " an ", "during", "/"),
        limits.frequency,
    ),
    (("baseline",), limits.baseline_only),
)


@dataclass(frozen=True, slots=True)
class MOfNChoice:
    """An M-of-N criterion beside an accuracy: two readings, one chosen (PROGRESS.md 1.7)."""

    atom: MOfN
    accuracy: Accuracy
    span: Span  # from the accuracy to the M of N
    chosen: MofNReading
    confirmed: bool


@dataclass(frozen=True, slots=True)
class VagueVerb:
    """A behavior that opens with vague words; `rescued` when what follows makes it observable."""

    span: Span
    rescued: bool
    fix: Fix | None


@dataclass(frozen=True, slots=True)
class Sentence:
    """One goal as read: its parts and atoms, and the facts the checks and the verdict use."""

    text: str
    timeframe: Span | None
    measurement: Span | None
    schedule: Span | None
    clause: Clause
    criteria: tuple[Criterion, ...]
    choices: tuple[MOfNChoice, ...]
    placeholders: tuple[Span, ...]
    ranges: tuple[Span, ...]
    covered: tuple[tuple[int, int], ...]  # read but not atoms: baselines, schedules
    vague_verb: VagueVerb | None
    activity: Activity | None  # "participate in speech therapy", "learn to ..."
    undefined: tuple[IntervalPercent, ...]  # percents of an undefined whole ("of the time")
    relevance: Relevance

    @property
    def behavior(self) -> Span | None:
        return self.clause.behavior

    @property
    def verb_at(self) -> int:
        return self.clause.verb_at

    @property
    def quantified(self) -> list[Criterion]:
        """The atoms that say how well or how often (a prompt level alone says neither; a
        ceiling on the number of prompts does)."""
        return [
            a
            for a in self.criteria
            if (not isinstance(a, Prompt) or a.comparator is Comparator.MAX)
            and a not in self.undefined
        ]

    @property
    def criterion_placeholder(self) -> bool:
        """A placeholder stands where the criterion should be, and nothing sets the level."""
        return any(near_criterion(self.text, p) for p in self.placeholders) and not any(
            a.kind in LEVEL_KINDS for a in self.criteria
        )

    @property
    def ambiguities(self) -> tuple[Ambiguity, ...]:
        return tuple(
            Ambiguity(
                FlagCode.AMBIGUOUS_M_OF_N,
                c.span,
                (MofNReading.SESSIONS, MofNReading.ITEMS),
                c.chosen,
                c.confirmed,
            )
            for c in self.choices
        )

    def placeholder_in(self, span: Span) -> bool:
        return any(overlaps(p.start, p.end, span.start, span.end) for p in self.placeholders)


def read_sentence(
    text: str, *, plaafp_need: str | None = None, reading: MofNReading | None = None
) -> Sentence:
    """Read the parts and criterion atoms of one goal, once."""
    r = Reader(text)
    placeholders = find_placeholders(text)
    timeframe = find_timeframe(text)
    if timeframe is not None:
        r.claims.take(timeframe.start, timeframe.end)
    region = measurement_region(text, timeframe)
    for cues, extract in EXTRACTORS:
        if not cues or r.has(*cues):
            extract(r)
    measurement, schedule = read_measurement(r, region)
    clause = read_clause(r, timeframe, measurement, placeholders)
    atoms = sorted(r.atoms, key=lambda a: (a.start, a.end))
    atoms, choices = _readings(text, atoms, reading)
    activity = _judge_activity(text, clause)
    return Sentence(
        text=text,
        timeframe=timeframe,
        measurement=measurement,
        schedule=schedule,
        clause=clause,
        criteria=tuple(atoms),
        choices=tuple(choices),
        placeholders=tuple(placeholders),
        ranges=tuple(r.ranges),
        covered=tuple(r.covered),
        vague_verb=_judge_verb(text, clause, atoms, activity),
        activity=activity,
        undefined=tuple(_undefined(atoms)),
        relevance=relevance(text, plaafp_need),
    )


# --------------------------------------------------------------------------- M-of-N readings

_SESSION_UNITS: Final = frozenset(
    word_list(
        """
        session sessions day days week weeks probe probes month months data period periods class
        classes lesson lessons quarter quarters task tasks assignment assignments sample samples
        passage passages activity activities project projects quiz quizzes test tests worksheet
        worksheets
        """
    )
)


def _readings(
    text: str, atoms: list[Criterion], reading: MofNReading | None
) -> tuple[list[Criterion], list[MOfNChoice]]:
    """Decide how each M-of-N atom is read; keep the ones the author must confirm."""
    level = [a for a in atoms if a.kind in LEVEL_KINDS and a.kind is not CriterionKind.ERROR_LIMIT]
    accuracy = next((a for a in atoms if isinstance(a, Accuracy)), None)
    out: list[Criterion] = []
    choices: list[MOfNChoice] = []
    for atom in atoms:
        if not isinstance(atom, MOfN):
            out.append(atom)
            continue
        unit_word = (atom.unit or "").lower().split()[-1:] or [""]
        if not level:
            # No per-session level: each trial or opportunity passes or fails on its own. The
            # author's reading settles only an ambiguous criterion, never this one.
            out.append(replace(atom, reading=MofNReading.ITEMS))
            continue
        if unit_word[0] in _SESSION_UNITS or accuracy is None:
            out.append(replace(atom, reading=MofNReading.SESSIONS))
            continue
        chosen = reading or MofNReading.SESSIONS
        atom = replace(atom, reading=chosen)
        out.append(atom)
        span = span_of(text, min(accuracy.start, atom.start), max(accuracy.end, atom.end))
        choices.append(MOfNChoice(atom, accuracy, span, chosen, reading is not None))
    return out, choices


# --------------------------------------------------------------------------- derived facts


def _judge_activity(text: str, clause: Clause) -> Activity | None:
    """An activity or a service instead of an outcome; a postsecondary outcome may be one."""
    behavior, verb_at = clause.behavior, clause.verb_at
    if behavior is None or clause.postsecondary:
        return None
    if (found := activity_lead(text[verb_at : behavior.end])) is not None:
        at = verb_at
    elif (found := process_words(text[behavior.start : verb_at])) is not None:
        at = behavior.start
    else:
        return None
    return Activity(at + found.start, at + found.end, found.text, found.process)


def _judge_verb(
    text: str, clause: Clause, atoms: list[Criterion], activity: Activity | None
) -> VagueVerb | None:
    """Whether the behavior opens with vague words, and whether what follows rescues it."""
    behavior, verb_at = clause.behavior, clause.verb_at
    if behavior is None or (activity is not None and not activity.process):
        return None  # the activity is flagged for what it is
    rest = text[verb_at : behavior.end]
    lead = vague_lead(rest)
    if lead is None:
        return None
    if lead.kind is LeadKind.CONSTRUCT:
        # A measure that names what is counted defines an academic construct, not a behavior.
        rescued = not lead.names_behavior and any(_counts_something(a) for a in atoms)
    else:
        rescued = lead.defined
    fix = None
    if rescued and lead.kind is LeadKind.VERB and lead.by_clause is not None:
        adverb, gerund, end = lead.by_clause
        if (base := base_form(gerund)) is not None:
            fix = Fix(verb_at, verb_at + end, adverb + base)
    return VagueVerb(span_of(text, verb_at, verb_at + len(lead.text)), rescued, fix)


def _counts_something(a: Criterion) -> bool:
    return isinstance(a, Rate | BaselineToTarget | Reduction | Frequency | Duration | Rubric) or (
        isinstance(a, IntervalPercent) and (a.window is not None or a.of.split()[-1] != "time")
    )


def _undefined(atoms: list[Criterion]) -> list[IntervalPercent]:
    """Percents of a whole that cannot be counted: "80% of the time", "90% of the day"."""
    return [
        a
        for a in atoms
        if isinstance(a, IntervalPercent)
        and UNDEFINED_OF.match(a.of) is not None
        and a.window is None
    ]


def unparsed_cue(sentence: Sentence) -> Span | None:
    """The first phrase that looks like a criterion but was read as nothing."""
    covered = [(a.start, a.end) for a in sentence.criteria] + list(sentence.covered)
    covered += [(p.start - 25, p.end + 25) for p in sentence.placeholders]
    parts = (sentence.timeframe, sentence.measurement, sentence.clause.condition)
    covered += [(p.start, p.end) for p in parts if p is not None]
    for m in CRITERION_CUE.finditer(sentence.text):
        if not any(overlaps(m.start(), m.end(), s, e) for s, e in covered):
            return span_of(sentence.text, m.start(), m.end())
    return None
