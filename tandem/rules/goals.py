"""The SMART goal checker: reads an English IEP goal, finds its parts, judges it, explains why.

Pure Python (stdlib `re` only), deterministic and fast. Every component and criterion atom is an
exact slice of the input text, so a UI can highlight it. What the checker cannot read it says so
with a flag, it never guesses silently. The research behind the flags is in PROGRESS.md sections
1.7 (mastery criteria), 2 (goal-quality rubrics) and 3 (criterion kinds).
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field, fields, replace
from enum import StrEnum
from typing import Final, Literal, TypeAlias

JSON: TypeAlias = str | int | float | bool | None | list["JSON"] | dict[str, "JSON"]


def _(message: str) -> str:
    """Mark a user-facing string for translation; the app renders translations by flag code."""
    return message


# --------------------------------------------------------------------------- enums


class CriterionKind(StrEnum):
    ACCURACY = "accuracy"
    M_OF_N = "m_of_n"
    CONSECUTIVE = "consecutive"
    RATE = "rate"
    ERROR_LIMIT = "error_limit"
    DURATION = "duration"
    LATENCY = "latency"
    FREQUENCY = "frequency"
    REDUCTION = "reduction"
    INTERVAL_PERCENT = "interval_percent"
    RUBRIC = "rubric"
    PROMPT_LEVEL = "prompt_level"
    PRECISION = "precision"
    ITEM_COUNT = "item_count"
    BASELINE_TO_TARGET = "baseline_to_target"
    BINARY_OUTCOME = "binary_outcome"


class Comparator(StrEnum):
    MIN = "min"  # at least
    MAX = "max"  # at most


class PromptLevel(StrEnum):
    INDEPENDENT = "independent"
    GESTURAL = "gestural"
    VERBAL = "verbal"
    MODEL = "model"
    PARTIAL_PHYSICAL = "partial_physical"
    FULL_PHYSICAL = "full_physical"


# Least to most intrusive. Sources order prompts differently (PROGRESS.md 1.7), so a district
# passes its own order to `prompt_within`.
DEFAULT_PROMPT_HIERARCHY: Final[tuple[PromptLevel, ...]] = (
    PromptLevel.INDEPENDENT,
    PromptLevel.GESTURAL,
    PromptLevel.VERBAL,
    PromptLevel.MODEL,
    PromptLevel.PARTIAL_PHYSICAL,
    PromptLevel.FULL_PHYSICAL,
)


def prompt_within(
    observed: PromptLevel,
    allowed: PromptLevel,
    hierarchy: tuple[PromptLevel, ...] = DEFAULT_PROMPT_HIERARCHY,
) -> bool:
    """Whether a trial at prompt level `observed` counts as correct when `allowed` is the ceiling."""
    return hierarchy.index(observed) <= hierarchy.index(allowed)


class MofNReading(StrEnum):
    # "80% in 4 of 5 trials": in 4 of the last 5 sessions, the session accuracy is >= 80%.
    SESSIONS = "sessions"
    # "80% in 4 of 5 trials": 4 correct responses out of 5 items.
    ITEMS = "items"


class Direction(StrEnum):
    INCREASE = "increase"
    DECREASE = "decrease"


class Severity(StrEnum):
    ERROR = "error"  # makes a SMART element false
    WARNING = "warning"  # should be fixed
    INFO = "info"  # a choice for the author to confirm


class FlagCode(StrEnum):
    EMPTY_GOAL = "empty_goal"
    NO_BEHAVIOR = "no_behavior"
    VAGUE_VERB = "vague_verb"
    NO_CRITERION = "no_criterion"
    VAGUE_CRITERION = "vague_criterion"
    CRITERION_UNPARSED = "criterion_unparsed"
    UNDEFINED_DENOMINATOR = "undefined_denominator"
    RANGE_CRITERION = "range_criterion"
    INCONSISTENT_CRITERIA = "inconsistent_criteria"
    AMBIGUOUS_M_OF_N = "ambiguous_m_of_n"
    BELOW_MASTERY_THRESHOLD = "below_mastery_threshold"
    PLACEHOLDER = "placeholder"
    POSTSECONDARY_INTENT = "postsecondary_intent"
    NO_TIMEFRAME = "no_timeframe"
    NO_MEASUREMENT_METHOD = "no_measurement_method"
    NOT_RELEVANT_TO_NEED = "not_relevant_to_need"
    VAGUE_ACCOMMODATION = "vague_accommodation"


class Area(StrEnum):
    READING = "reading"
    WRITING = "writing"
    MATH = "math"
    ARTICULATION = "articulation"
    LANGUAGE = "language"
    SOCIAL = "social"
    BEHAVIOR = "behavior"
    FINE_MOTOR = "fine_motor"
    SELF_CARE = "self_care"
    EXECUTIVE_FUNCTION = "executive_function"
    TRANSITION = "transition"


UNKNOWN: Final = "unknown"
Unknown: TypeAlias = Literal["unknown"]


# --------------------------------------------------------------------------- values


@dataclass(frozen=True, slots=True)
class Span:
    """An exact slice of the goal text: `text == goal[start:end]`."""

    start: int
    end: int
    text: str


@dataclass(frozen=True, slots=True)
class Fix:
    """A one-click edit: replace `goal[start:end]` with `replacement` (start == end inserts)."""

    start: int
    end: int
    replacement: str


@dataclass(frozen=True, slots=True)
class ReadingOption:
    reading: MofNReading
    meaning: str
    fix: Fix | None


@dataclass(frozen=True, slots=True)
class Flag:
    code: FlagCode
    message: str
    severity: Severity
    suggestion: str
    span: Span | None = None
    fix: Fix | None = None
    readings: tuple[ReadingOption, ...] = ()

    def to_json(self) -> dict[str, JSON]:
        out: dict[str, JSON] = {
            "code": str(self.code),
            "message": self.message,
            "severity": str(self.severity),
            "suggestion": self.suggestion,
            "span": _span_json(self.span),
            "fix": _fix_json(self.fix),
        }
        if self.readings:
            out["readings"] = [
                {"reading": str(r.reading), "meaning": r.meaning, "fix": _fix_json(r.fix)}
                for r in self.readings
            ]
        return out


@dataclass(frozen=True, slots=True, kw_only=True)
class Accuracy:
    kind: CriterionKind = field(default=CriterionKind.ACCURACY, init=False)
    percent: float
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True, kw_only=True)
class MOfN:
    kind: CriterionKind = field(default=CriterionKind.M_OF_N, init=False)
    m: int
    n: int
    unit: str | None  # "trials", "opportunities", "sessions", ...
    reading: MofNReading
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Consecutive:
    kind: CriterionKind = field(default=CriterionKind.CONSECUTIVE, init=False)
    k: int
    unit: str | None  # sessions unless the text says days or weeks
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Rate:
    kind: CriterionKind = field(default=CriterionKind.RATE, init=False)
    value: float
    per: str  # "minute", or "2 minutes"
    unit: str | None  # "words correct", "wcpm", "digits correct"
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True, kw_only=True)
class ErrorLimit:
    kind: CriterionKind = field(default=CriterionKind.ERROR_LIMIT, init=False)
    max_errors: int | None
    max_percent: float | None
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Duration:
    kind: CriterionKind = field(default=CriterionKind.DURATION, init=False)
    seconds: float
    comparator: Comparator
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Latency:
    kind: CriterionKind = field(default=CriterionKind.LATENCY, init=False)
    seconds: float  # at most, from the direction or cue to the start of the behavior
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Frequency:
    kind: CriterionKind = field(default=CriterionKind.FREQUENCY, init=False)
    count: int
    per: str | None  # "day", "week", "session"; None for a total ("on 3 separate days")
    unit: str | None  # "times", "greetings"
    comparator: Comparator
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Reduction:
    """A behavior to decrease: a ceiling, a baseline-to-target drop, or a percent cut."""

    kind: CriterionKind = field(default=CriterionKind.REDUCTION, init=False)
    baseline: float | None
    target: float | None  # at most this many (per `per`)
    percent: float | None  # "decrease by 50% of the baseline mean"
    per: str | None
    unit: str | None
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True, kw_only=True)
class IntervalPercent:
    kind: CriterionKind = field(default=CriterionKind.INTERVAL_PERCENT, init=False)
    percent: float
    of: str  # the whole: "intervals", "opportunities", "utterances", "the time"
    window: str | None  # "a 20-minute observation"
    comparator: Comparator
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Rubric:
    kind: CriterionKind = field(default=CriterionKind.RUBRIC, init=False)
    score: float
    out_of: float | None
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Prompt:
    kind: CriterionKind = field(default=CriterionKind.PROMPT_LEVEL, init=False)
    level: PromptLevel | None  # the most intrusive prompt allowed; None if the type is unstated
    max_prompts: int | None
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Precision:
    kind: CriterionKind = field(default=CriterionKind.PRECISION, init=False)
    tolerance: float | None
    unit: str | None
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True, kw_only=True)
class ItemCount:
    kind: CriterionKind = field(default=CriterionKind.ITEM_COUNT, init=False)
    count: int
    of: int | None
    unit: str | None
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True, kw_only=True)
class BaselineToTarget:
    kind: CriterionKind = field(default=CriterionKind.BASELINE_TO_TARGET, init=False)
    baseline: float | None
    target: float | None
    percent: float | None  # "increase by 20%"
    unit: str | None
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True, kw_only=True)
class BinaryOutcome:
    """A postsecondary outcome that happens or not: "will enroll in ...", "will work ..."."""

    kind: CriterionKind = field(default=CriterionKind.BINARY_OUTCOME, init=False)
    outcome: str
    text: str
    start: int
    end: int


Criterion: TypeAlias = (
    Accuracy
    | MOfN
    | Consecutive
    | Rate
    | ErrorLimit
    | Duration
    | Latency
    | Frequency
    | Reduction
    | IntervalPercent
    | Rubric
    | Prompt
    | Precision
    | ItemCount
    | BaselineToTarget
    | BinaryOutcome
)


def criterion_json(atom: Criterion) -> dict[str, JSON]:
    """The atom as JSON: `kind`, its typed fields, then `text`, `start`, `end`."""
    return {f.name: _json_value(getattr(atom, f.name)) for f in fields(atom)}


@dataclass(frozen=True, slots=True)
class Ambiguity:
    code: FlagCode
    span: Span
    readings: tuple[MofNReading, ...]
    chosen: MofNReading
    confirmed: bool  # True when the caller chose the reading


@dataclass(frozen=True, slots=True)
class SmartCheck:
    specific: bool
    measurable: bool
    time_bound: bool
    relevant: bool | Unknown
    achievable: Unknown
    reasons: tuple[tuple[str, str], ...]  # (element, why), one per element

    def reason(self, element: str) -> str:
        return dict(self.reasons).get(element, "")


@dataclass(frozen=True, slots=True)
class GoalAnalysis:
    text: str
    smart: SmartCheck
    timeframe: Span | None
    condition: Span | None
    learner: Span | None
    behavior: Span | None
    measurement: Span | None
    schedule: Span | None  # "weekly", inside the measurement
    criteria: tuple[Criterion, ...]
    direction: Direction | None
    flags: tuple[Flag, ...]
    ambiguities: tuple[Ambiguity, ...]
    plaafp_need: str | None = None

    @property
    def areas(self) -> tuple[Area, ...]:
        """The areas of need the goal speaks to (reading, math, behavior, ...)."""
        return goal_areas(self.text)

    @property
    def flag_codes(self) -> tuple[FlagCode, ...]:
        return tuple(f.code for f in self.flags)

    @property
    def criterion_kinds(self) -> tuple[CriterionKind, ...]:
        return tuple(a.kind for a in self.criteria)

    def choose_reading(self, reading: MofNReading) -> GoalAnalysis:
        """The same goal with its M-of-N reading confirmed by the author."""
        return check_goal(self.text, plaafp_need=self.plaafp_need, reading=reading)

    def to_json(self) -> dict[str, JSON]:
        return {
            "smart": {
                "specific": self.smart.specific,
                "measurable": self.smart.measurable,
                "achievable": self.smart.achievable,
                "relevant": self.smart.relevant,
                "time_bound": self.smart.time_bound,
            },
            "components": {
                "timeframe": _text(self.timeframe),
                "condition": _text(self.condition),
                "learner": _text(self.learner),
                "behavior": _text(self.behavior),
                "measurement": _text(self.measurement),
            },
            "criteria": [criterion_json(a) for a in self.criteria],
            "direction": None if self.direction is None else str(self.direction),
            "flags": [f.to_json() for f in self.flags],
        }


def _text(span: Span | None) -> str | None:
    return None if span is None else span.text


def _span_json(span: Span | None) -> JSON:
    if span is None:
        return None
    return {"start": span.start, "end": span.end, "text": span.text}


def _fix_json(fix: Fix | None) -> JSON:
    if fix is None:
        return None
    return {"start": fix.start, "end": fix.end, "replacement": fix.replacement}


def _json_value(value: object) -> JSON:
    if isinstance(value, StrEnum):
        return value.value
    if value is None or isinstance(value, bool | str):
        return value
    if isinstance(value, int):
        return value
    if isinstance(value, float):
        if math.isfinite(value) and value == int(value) and abs(value) < 1e15:
            return int(value)
        return value
    return str(value)


# --------------------------------------------------------------------------- numbers


def _words(text: str) -> list[str]:
    return text.split()


_SMALL: Final[dict[str, int]] = {
    w: i
    for i, w in enumerate(
        _words(
            """
            zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen
            fifteen sixteen seventeen eighteen nineteen
            """
        )
    )
}
_TENS: Final[dict[str, int]] = {
    w: 10 * i
    for i, w in enumerate(_words("twenty thirty forty fifty sixty seventy eighty ninety"), 2)
}
_ONES_RE = "one|two|three|four|five|six|seven|eight|nine"
_NUM_WORD = (
    r"(?:(?:one|a)[\s-]+hundred|hundred"
    rf"|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-](?:{_ONES_RE})\b)?"
    r"|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
    rf"|zero|{_ONES_RE}|ten)"
)
# The lookahead on first letters lets the regex engine skip most positions quickly.
NUM: Final = (
    rf"(?:(?<![0-9.,])[0-9]{{1,6}}(?:\.[0-9]{{1,3}})?(?![0-9]|\.[0-9])"
    rf"|\b(?=[zotfsenha]){_NUM_WORD}\b)"
)


def _g(name: str) -> str:
    return rf"(?P<{name}>{NUM})"


def _number(raw: str) -> float:
    """The value of a NUM match: "80", "4.5", "five", "twenty-five", "one hundred"."""
    s = raw.strip().lower()
    if s[:1].isdigit():
        return float(s)
    total = 0
    for word in re.split(r"[\s-]+", s):
        if word == "hundred":
            total = max(total, 1) * 100
        elif word in _TENS:
            total += _TENS[word]
        elif word in _SMALL:
            total += _SMALL[word]
    return float(total)


def _int(raw: str) -> int:
    return int(_number(raw))


_FRACTIONS: Final[dict[str, float]] = {
    "½": 0.5,
    "¼": 0.25,
    "¾": 0.75,
    "half": 0.5,
    "a half": 0.5,
    "one half": 0.5,
    "one-half": 0.5,
    "quarter": 0.25,
    "a quarter": 0.25,
    "one quarter": 0.25,
    "one-quarter": 0.25,
    "tenth": 0.1,
    "hundredth": 0.01,
}


def _amount(raw: str) -> float | None:
    """A number, a fraction ("1/4") or a fraction word ("half")."""
    s = raw.strip().lower()
    if s in _FRACTIONS:
        return _FRACTIONS[s]
    if m := re.fullmatch(r"([0-9]{1,4})\s*/\s*([0-9]{1,4})", s):
        den = int(m.group(2))
        return int(m.group(1)) / den if den else None
    if re.fullmatch(NUM, s, re.IGNORECASE):
        return _number(s)
    return None


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


# --------------------------------------------------------------------------- vocabularies

_PCT = r"(?:%|\s?percent\b|\s?per\s+cent\b)"
_TIME_UNIT = r"(?:seconds?|secs?|minutes?|mins?|hours?|hrs?)\b"
_SECONDS: Final[dict[str, float]] = {"s": 1, "m": 60, "h": 3600}

_MOFN_UNITS: Final = frozenset(
    _words(
        """
        trial trials opportunity opportunities session sessions attempt attempts probe probes
        sample samples day days week weeks occasion occasions observation observations period
        periods assignment assignments task tasks time times instance instances lesson lessons
        class classes activity activities measure measures assessment assessments quiz quizzes
        test tests check checks month months meeting meetings situation situations setting
        settings interaction interactions exchange exchanges routine routines transition
        transitions conversation conversations request requests direction directions point
        points data incident incidents conflict conflicts project projects interview interviews
        checkpoint checkpoints worksheet worksheets budget budgets passage passages
        """
    )
)
_ITEM_UNITS: Final = frozenset(
    _words(
        """
        word words problem problems question questions item items sound sounds letter letters
        step steps sentence sentences fact facts strategy strategies detail details example
        examples idea ideas synonym synonyms antonym antonyms coin coins object objects picture
        pictures color colors shape shapes number numbers numeral numerals paragraph paragraphs
        syllable syllables phoneme phonemes blend blends digraph digraphs line lines card cards
        piece pieces component components part parts action actions turn turns adjective
        adjectives noun nouns verb verbs event events character characters feeling feelings
        emotion emotions response responses answer answers equation equations fraction fractions
        target targets task-steps word-problems errors comments questions topics peers exchanges
        statements requests choices options solutions reasons facts words
        """
    )
)
_CONSEC_UNITS: Final = frozenset(
    _words(
        """
        session sessions day days week weeks probe probes trial trials point points period
        periods lunches meals budgets worksheets month months assignment assignments sample
        samples opportunity opportunities observation observations quarter quarters occasion
        occasions attempt attempts lesson lessons measure measures class classes
        """
    )
)
_PER_UNITS = (
    r"(?:school\s+day|class\s+period|day|week|month|hour|session|class|period|lesson|activity|"
    r"observation|recess|lunch|block|meal|routine|transition|shift|visit|game|semester|quarter|"
    r"morning|afternoon|project|assignment|conversation)"
)
_ERROR_NOUNS: Final = frozenset(["error", "errors", "mistake", "mistakes", "miscue", "miscues"])
_PROMPT_NOUNS: Final = frozenset(
    _words(
        """
        prompt prompts prompting cue cues cueing cuing reminder reminders redirection
        redirections redirect redirects correction corrections assist assists
        """
    )
)
_TIME_NOUNS: Final = frozenset(
    _words(
        """
        second seconds sec secs minute minutes min mins hour hours hr hrs
        """
    )
)

# Skills taught and checked as discrete trials (PROGRESS.md 1.7: criteria below 90% maintain worse).
_DISCRETE = _rx(
    r"(?<!\w)/[a-z]{1,3}/|\b(?:sight\s+words?|high[- ]frequency\s+words?|dolch|fry\s+(?:list|words?)|letter\s+names?|"
    r"letter[- ]sounds?|letter\s+sound|letters?\s+of\s+the\s+alphabet|alphabet|cvc\s+words?|"
    r"(?:math|addition|subtraction|multiplication|division|basic)\s+facts?|"
    r"number\s+(?:identification|recognition)|numerals?|coins?|colou?rs|shapes|"
    r"spelling\s+words?|vocabulary\s+words?|consonant\s+blends?|digraphs?|"
    r"phonemes?|rhym(?:e|es|ing)\s+words?|consonants?|vowels?|"
    r"(?:identify|name|label)\s+(?:\w+\s+){0,2}(?:letters|numbers|colors|shapes|pictures|objects))"
)


# --------------------------------------------------------------------------- small helpers


def _span(text: str, start: int, end: int) -> Span:
    return Span(start, end, text[start:end])


def _overlaps(a0: int, a1: int, b0: int, b1: int) -> bool:
    return a0 < b1 and b0 < a1


class _Claims:
    """Spans already read as something, so a phrase is never read twice."""

    def __init__(self) -> None:
        self.spans: list[tuple[int, int]] = []

    def free(self, start: int, end: int) -> bool:
        return not any(_overlaps(start, end, s, e) for s, e in self.spans)

    def take(self, start: int, end: int) -> None:
        self.spans.append((start, end))


_WORD = re.compile(r"[A-Za-z][\w'’/-]*")


def _words_after(text: str, pos: int, limit: int) -> Iterator[re.Match[str]]:
    """Up to `limit` words after `pos`, stopping at punctuation that ends a phrase."""
    i = pos
    for _count in range(limit):
        m = re.compile(r"[ \t]+([A-Za-z][\w'’/-]*)").match(text, i)
        if m is None:
            return
        yield m
        i = m.end()


def _scan_noun(
    text: str, pos: int, nouns: frozenset[str], limit: int = 4
) -> tuple[str, int] | None:
    """The first word in `nouns` within `limit` words after `pos`: (phrase from pos, end)."""
    for m in _words_after(text, pos, limit):
        word = m.group(1).lower().rstrip("'’")
        if word in nouns or word.replace("-", " ").split(" ")[-1] in nouns:
            return text[pos : m.end()].strip(), m.end()
    return None


def _lead_before(text: str, start: int, pattern: re.Pattern[str]) -> bool:
    return pattern.search(text[max(0, start - 40) : start]) is not None


# --------------------------------------------------------------------------- placeholders

_PLACEHOLDER = re.compile(
    r"\[[^\]\n]{0,40}\]"
    r"|\((?i:date|name|student|student'?s\s+name|month|year|number|num|#|x+|n|tbd|insert[^)\n]{0,30}"
    r"|skill|criteria|criterion|goal|behavior|target|\s*)\)"
    r"|<[A-Za-z][^<>\n]{0,39}>|\{[^{}\n]{0,40}\}|_{2,}"
    r"|\b(?i:xx+)\b|\bX\b(?=\s*(?:%|percent|out\s+of|of\b|/|trials|times|words|weeks|days))"
    r"|\b[XN]\b(?=\s*(?:out\s+of|/)\s*[XNY]\b)|(?:(?<=of\s)|(?<=/\s)|(?<=/))[XY]\b|(?<![\w#])#(?![\w#])"
    r"|\?{2,}|\b(?:TBD|TBA)\b|\b(?i:insert\s+(?:name|date|student|criteria|goal))\b"
    r"|\b(?:STUDENT\s+NAME|NAME|STUDENT|DATE)\b"
)


def _placeholders(text: str) -> list[Span]:
    return [_span(text, m.start(), m.end()) for m in _PLACEHOLDER.finditer(text)]


# --------------------------------------------------------------------------- timeframe

_MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
_DATE = (
    rf"(?:{_MONTH}\s+[0-9]{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s*[0-9]{{4}}\b)?"
    rf"|{_MONTH}(?:,?\s*(?:of\s+)?[0-9]{{4}})?"
    r"|[0-9]{1,2}/[0-9]{1,2}/[0-9]{2,4}|[0-9]{1,2}/[0-9]{4}|[0-9]{4}-[0-9]{2}-[0-9]{2}"
    r"|(?:the\s+)?(?:spring|fall|winter|summer|autumn)(?:\s+(?:of\s+)?[0-9]{4}|\s+break"
    r"|\s+semester|\s+term)?|(?:the\s+)?(?:thanksgiving|winter|spring|holiday)\s+break)"
)
_PERIOD_WORDS = (
    r"(?:(?:(?:current|next|upcoming|this|first|second|third|fourth|final|last|1st|2nd|3rd|4th|"
    r"[0-9]{4}[-–/][0-9]{2,4}|fall|spring|winter)\s+)*"
    r"(?:(?:school|academic|calendar|annual\s+IEP|IEP|plan)\s+)?"
    r"(?:year|quarter|semester|trimester|term|grading\s+period|marking\s+period|reporting\s+period|"
    r"IEP(?:\s+(?:period|term|cycle|year))?|plan|unit|kindergarten)"
    r"|(?:[a-z]+|[0-9]{1,2}(?:st|nd|rd|th))\s+grade|grade\s+[0-9]{1,2}|(?:middle|high|elementary)\s+school"
    r"|(?:his|her|their)\s+(?:\w+\s+)?(?:year|IEP))"
)
_TIMEFRAME = _rx(
    # "By the end of the second quarter", "by the close of the 2025-2026 school year"
    rf"\b(?:by|before|at|until|prior\s+to)\s+(?:the\s+)?(?:end|close|conclusion|completion)\s+of\s+"
    rf"(?:the\s+)?{_PERIOD_WORDS}"
    # "by the annual review", "by the next IEP meeting"
    r"|\b(?:by|before|on\s+or\s+before|prior\s+to)\s+(?:the\s+|(?:his|her|their)\s+)?"
    r"(?:(?:next|annual|upcoming|following|[0-9]{4}|triennial)\s+)*(?:IEP\s+)?"
    r"(?:annual\s+)?(?:review|re-?evaluation|meeting|IEP|case\s+conference|ARD)(?:\s+(?:date|meeting))?"
    # "By May 2026", "by 5/15/2026", "by spring break"
    rf"|\b(?:by|before|on\s+or\s+before|no\s+later\s+than)\s+(?:the\s+end\s+of\s+)?{_DATE}"
    # "within 36 instructional weeks", "in one year", "over the next 12 months"
    rf"|\b(?:within|in|over|during|throughout|after)\s+(?:the\s+)?(?:next\s+|following\s+|coming\s+)?"
    rf"(?:{NUM}|a|an)\s+(?:(?:instructional|school|calendar|academic)\s+)?"
    r"(?:weeks?|months?|years?)\b(?!\s+(?:of\b|in\s+a\s+row|period))"
    # "during the 2025-2026 school year", "within this IEP period"
    rf"|\b(?:during|throughout|within|over|for|in)\s+(?:the\s+)?"
    r"(?:(?:current|next|upcoming|this|coming|remainder\s+of\s+the|[0-9]{4}[-–/][0-9]{2,4})\s+)+"
    r"(?:(?:school|academic|IEP|calendar)\s+)?(?:year|IEP(?:\s+(?:period|year|term|cycle))?|semester"
    r"|quarter|trimester)\b"
    r"|\b(?:within|during|over|throughout)\s+the\s+(?:IEP|school|academic)\s+(?:year|period|term|cycle)\b"
    r"|\b(?:by|before)\s+(?:the\s+)?age\s+(?:of\s+)?[0-9]{1,2}\b"
    # postsecondary: "After graduation", "within one year of graduating from high school"
    rf"|\b(?:after|upon|following|within\s+(?:{NUM}|a|an|six)\s+(?:years?|months?)\s+(?:of|after|following)"
    r"|by\s+the\s+time\s+(?:\w+\s+){0,2}(?:graduates|exits|leaves))\s+(?:(?:his|her|their)\s+)?"
    r"(?:high\s+school\s+)?(?:graduation|graduating|exiting(?:\s+high\s+school|\s+school)?|exit"
    r"|leaving(?:\s+high\s+school|\s+school)?|completion\s+of\s+high\s+school|completing\s+high\s+school"
    r"|high\s+school|the\s+completion\s+of\s+high\s+school|secondary\s+school)(?:\s+from\s+high\s+school)?"
    # a placeholder where the date should be: "By (date)", "by ____"
    r"|\b(?:by|before|within|in)\s+(?:\((?:date|month|year|[^)\n]{0,12}date[^)\n]{0,12})\)|\[[^\]\n]{0,30}\]"
    r"|_{2,}|xx+(?:/xx+)*|<[^<>\n]{1,30}>)"
)


def _timeframe(text: str) -> Span | None:
    m = _TIMEFRAME.search(text)
    return None if m is None else _span(text, m.start(), m.end())


_POSTSECONDARY = _rx(
    r"\b(?:after|upon|following|within\s+\S+\s+(?:years?|months?)\s+(?:of|after))\s+(?:(?:his|her|their)\s+)?"
    r"(?:high\s+school\s+)?(?:graduation|graduating|exiting|leaving\s+(?:high\s+)?school|high\s+school"
    r"|completion\s+of\s+high\s+school|completing\s+high\s+school|secondary\s+school)"
    r"|\bpost-?secondary\b|\bafter\s+(?:he|she|they)\s+graduates?\b"
)


# --------------------------------------------------------------------------- measurement

_MEASURE_NOUNS = (
    r"(?:data|probes?|checklists?|rubrics?|observations?|records?|logs?|charts?|charting|samples?|"
    r"assessments?|tests?|quizzes|cbm|curriculum[- ]based|running\s+records?|tally|counts?|"
    r"recording|reports?|inventor(?:y|ies)|screeners?|benchmarks?|progress\s+monitoring|"
    r"work\s+samples?|data\s+sheets?|point\s+sheets?|scoring|measures?|dibels|aimsweb|easycbm|"
    r"mclass|i-?ready|fastbridge)"
)
_MEASUREMENT_STRONG = _rx(
    r"\b(?:as\s+)?(?:measured|documented|recorded|evidenced|determined|assessed|monitored|shown|"
    r"indicated|observed|tracked|charted|graphed|verified|reported|demonstrated|collected|judged|scored)"
    r"\s+(?:by|through|on|in|using|via|with|from|during)\b"
    r"|\bas\s+(?:measured|documented|recorded|evidenced|determined|assessed|monitored)\b"
)
_MEASUREMENT_WEAK = _rx(
    r"\baccording\s+to\b"
    rf"|\bbased\s+on\s+(?:\S+\s+){{0,4}}?{_MEASURE_NOUNS}"
    rf"|\b(?:via|through)\s+(?:\S+\s+){{0,3}}?{_MEASURE_NOUNS}"
    rf"|\bper\s+(?:teacher|therapist|slp|ot|pt|staff|clinician|case\s+manager)\s+(?:\S+\s+){{0,2}}?"
    rf"{_MEASURE_NOUNS}"
    rf"|\busing\s+(?:an?\s+|the\s+)?(?:\S+\s+){{0,3}}?(?:probes?|data\s+sheets?|data\s+collection"
    r"|running\s+records?|tally\s+sheets?|frequency\s+counts?|interval\s+recording|cbm|"
    r"curriculum[- ]based\s+(?:measures?|measurement|probes?)|progress\s+monitoring)\b"
    r"|\b(?:on|in)\s+(?:(?:a|an|the|his|her|their)\s+)?(?:(?!consecutive\b)(?![0-9])[a-z][\w-]*\s+){0,3}?"
    r"(?:probes|data\s+sheets?|running\s+records?|tally\s+sheets?|point\s+sheets?|behaviou?r\s+logs?|"
    r"data\s+logs?|progress\s+monitoring\s+(?:probes|graphs?|data))\b"
)
_MEASURE_NOUN_RE = _rx(_MEASURE_NOUNS + r"|collected|administered|given|conducted|taken|completed")
_SCHEDULE = _rx(
    r"\b(?:daily|weekly|bi-?weekly|bi-?monthly|monthly|quarterly|every\s+(?:other\s+)?(?:day|week|month"
    rf"|(?:{NUM})\s+(?:days|weeks))|once\s+(?:a|per|each)\s+(?:week|month)|twice\s+(?:a|per|each)\s+"
    rf"(?:week|month)|{NUM}\s+times\s+(?:a|per|each)\s+(?:week|month|quarter|grading\s+period))\b"
)
_SENTENCE_END = re.compile(r"[.;!?](?=\s|$)|\n")


def _measurement_region(text: str, timeframe: Span | None) -> tuple[int, int] | None:
    m = _MEASUREMENT_STRONG.search(text) or _MEASUREMENT_WEAK.search(text)
    if m is None:
        return None
    start = m.start()
    end = len(text)
    if (s := _SENTENCE_END.search(text, m.end())) is not None:
        end = s.start()
    if timeframe is not None and start < timeframe.start < end:
        end = timeframe.start
    return start, end


# --------------------------------------------------------------------------- criterion atoms

_ACC_WORDS = (
    r"(?:\s+(?:accuracy|accurate(?:ly)?|correct(?:ly)?|success|successful|mastery|proficiency"
    r"|or\s+(?:higher|better|above|more|greater)|or\s+above))*"
)
_PERCENT = (
    r"(?:(?:an?\s+)?(?:accuracy|success)\s+(?:rate\s+|level\s+)?of\s+(?:at\s+least\s+)?)?"
    rf"(?P<between>between\s+)?{_g('p')}(?:{_PCT})?(?:\s*(?:-|–|to|and)\s*{_g('p2')})?{_PCT}"
)
_INTERVAL = _rx(
    rf"{_PERCENT}\s+of\s+(?P<of>(?:[0-9]+[- ](?:second|minute)[- ]?)?[a-z][\w'-]*"
    r"(?:\s+(?![0-9])(?!(?:by|in|on|with|for|during|across|over|as|when|while|and|to|at|from|"
    r"within|without|each|per)\b)[a-z][\w'-]*){0,3})"
)
_INTERVAL_NOUNS: Final = frozenset(
    _words(
        """
        intervals interval opportunities opportunity observations observation utterances
        utterance trials trial attempts attempt responses response sessions session assignments
        assignment tasks task days day contexts context periods period time syllables turns
        exchanges samples sample requests directions prompts occasions instances transitions
        lessons classes
        """
    )
)
_ACCURACY = _rx(rf"{_PERCENT}{_ACC_WORDS}")
_ITEM_OF = frozenset(
    _words(
        """
        words word problems questions items sounds letters facts answers responses sentences
        steps fields
        """
    )
)
_OF_FILLERS: Final = frozenset(
    ["the", "his", "her", "their", "all", "observed", "total", "his", "available"]
)
_UNDEFINED_OF = _rx(
    r"^(?:the\s+)?(?:time|day|school\s+day|class|class\s+time|period|week|year|school\s+year)$"
)
_WINDOW = _rx(
    rf"\b(?:during|in|within|of|across|over)\s+(?:an?\s+|each\s+|any\s+|one\s+|the\s+)?(?:{NUM}[- ]"
    r"(?:second|minute|min|hour)[- ]?(?:\w+\s+)?(?:observations?|periods?|sessions?|intervals?|blocks?|samples?"
    r"|class(?:es)?|lessons?|activit(?:y|ies)|probes?|time\s+samples?))"
    r"|\b(?:momentary\s+time\s+sampling|partial[- ]interval|whole[- ]interval|interval\s+recording"
    r"|time[- ]sampling)\b"
)
_MAX_LEAD = _rx(
    r"(?:no\s+more\s+than|not\s+more\s+than|fewer\s+than|less\s+than|at\s+most|under|below|"
    r"a\s+maximum\s+of|maximum\s+of|up\s+to)\s+(?:an?\s+average\s+of\s+)?$"
)

_RATE_ABBR = (
    r"(?:wcpm|cwpm|wpm|wrcm|wrc(?:pm|/min)?|wcm|clspm|cls/min|cls|lsf|lnf|nwf|dcpm|cdpm|lspm|"
    r"cwpm|digits\s+correct\s+per\s+minute|correct\s+words\s+per\s+minute|"
    r"words\s+(?:read\s+)?correct(?:ly)?\s+(?:read\s+)?per\s+minute)"
)
_RATE_ABBR_RE = _rx(
    rf"(?:(?:at|with)\s+(?:a\s+)?(?:rate|pace|speed|fluency)\s+of\s+)?(?P<between>between\s+)?"
    rf"{_g('v')}(?:\s*(?:-|–|to|and)\s*{_g('v2')})?\s*(?P<unit>{_RATE_ABBR})\b"
)
_RATE_PER_MIN = _rx(
    rf"(?P<between>between\s+)?{_g('v')}(?:\s*(?:-|–|to|and)\s*{_g('v2')})?"
    r"\s+(?P<unit>(?:[a-z][\w'’-]*\s+){0,3}?[a-z][\w'’-]*)\s+(?:per|a|each|every|/|in\s+(?:one|1|a|a\s+single))"
    r"\s*(?:-\s*)?(?:minute|min)\b"
)
_RATE_IN_MIN = _rx(
    rf"{_g('v')}\s+(?P<unit>(?:[a-z][\w'’-]*\s+){{0,3}}?[a-z][\w'’-]*)\s+in\s+{_g('mins')}\s+minutes?\b"
)
_RATE_UNIT_OK = _rx(
    r"\b(?:words?|letters?|sounds?|digits?|problems?|facts?|syllables?|phonemes?|segments?|"
    r"sequences?|wpm|wcpm|cwpm|correct|items?|answers?|responses?|characters?|keystrokes?)\b"
)

_MOFN_RE = _rx(
    rf"(?:(?:at\s+least|a\s+minimum\s+of)\s+)?{_g('m')}\s*(?:out\s+of(?:\s+the)?|of(?:\s+the)?|/)\s*"
    rf"(?:(?:last|next|past)\s+)?{_g('n')}"
)
_CONSEC_RE = _rx(
    rf"{_g('k')}\s+(?:(?:consecutive|successive|straight|back[- ]to[- ]back)\b"
    r"|(?=(?:[\w-]+\s+){0,2}?(?:sessions?|days?|weeks?|probes?|trials?|times|opportunities)\s+in\s+a\s+row))"
)
_CONSEC_TAIL = _rx(r"\s+in\s+a\s+row\b")

_CEILING_RE = _rx(
    r"(?P<lead>no\s+more\s+than|not\s+more\s+than|fewer\s+than|less\s+than|at\s+most|"
    r"(?:a\s+)?maximum\s+of|a\s+max\s+of|up\s+to|no\s+greater\s+than|under|(?<=\bto\s)zero|"
    r"(?<=\bto\s)0(?=\s))\s*"
    rf"(?:(?:a\s+total\s+of|an\s+average\s+of)\s+)?(?P<n>{NUM}|(?<=zero)|(?<=0))"
    r"|(?P<n2>"
    + NUM
    + r")(?=\s+or\s+(?:fewer|less)\b|\s+(?:[\w-]+\s+){0,2}?[\w-]+\s+or\s+(?:fewer|less)\b)"
)
_OR_FEWER = _rx(r"\s*or\s+(?:fewer|less)\b")
_NO_ERRORS = _rx(
    r"\b(?:with\s+)?(?:no|zero|0)\s+(?!more\b|fewer\b|less\b)(?:[\w-]+\s+)?(?:errors?|mistakes)\b"
    r"|\bwithout\s+(?:any\s+|making\s+(?:any\s+)?)?(?:errors?|mistakes)\b|\berror[- ]free\b"
)
_ERROR_PCT = _rx(
    rf"\b(?:errors?|mistakes)\s+(?:on|in)\s+(?:no\s+more\s+than|fewer\s+than|less\s+than)\s+{_g('p')}"
    rf"{_PCT}(?:\s+of\s+(?:[\w-]+\s+){{0,2}}?[\w-]+)?"
    rf"|\b(?:fewer|less)\s+than\s+{_g('q')}{_PCT}\s+(?:errors?|mistakes)"
)
_PER_TAIL = _rx(
    rf"\s+(?:per|a|an|each|every|in\s+(?:a|an|each|one)|during\s+(?:a|an|each|one|the)|across\s+(?:a|an|the))"
    rf"\s+(?:(?:[0-9]+[- ]\w+|[\w-]+)\s+)??(?P<per>{_PER_UNITS})s?\b|\s+(?P<per2>daily|weekly|monthly|hourly)\b"
)
_FREQ_RE = _rx(
    r"(?:(?P<cmp>at\s+least|a\s+minimum\s+of|no\s+fewer\s+than|minimum\s+of|a\s+total\s+of)\s+)?"
    rf"(?P<c>{NUM}|once|twice)(?:\s+(?P<unit>(?:[\w-]+\s+){{0,3}}?[\w-]+))?"
    rf"(?=\s+(?:per|a|an|each|every|in\s+(?:a|an|each|one)|during\s+(?:a|an|each|one|the))\s+"
    rf"(?:(?:[0-9]+[- ]\w+|[\w-]+)\s+)??{_PER_UNITS}s?\b|\s+(?:daily|weekly|monthly|hourly)\b)"
)
_SEPARATE_RE = _rx(
    rf"\bon\s+(?:at\s+least\s+)?{_g('c')}\s+(?:separate|different|distinct)\s+(?P<unit>days|occasions|sessions"
    r"|weeks|dates)\b"
)
_BASELINE_TAIL = (
    r"\s+(?:of|from)\s+(?:(?:the|his|her|their)\s+)?(?:baseline|current)"
    r"(?:\s+(?:mean|average|level|rate|median|levels?))?"
)
_REDUCTION_PCT = _rx(
    r"\b(?:decrease[sd]?|reduce[sd]?|reduction|lower(?:ed|s)?|decline)\b(?:\s+[\w-]+){0,8}?\s+"
    rf"(?:by\s+{_g('p')}{_PCT}(?:{_BASELINE_TAIL})?|{_g('p3')}{_PCT}{_BASELINE_TAIL})"
    rf"|{_g('q')}{_PCT}\s+(?:reduction|decrease)\b"
)
_INCREASE_PCT = _rx(
    r"\b(?:increase[sd]?|improve[sd]?|raise[sd]?)\b(?:\s+[\w-]+){0,8}?\s+by\s+"
    rf"{_g('p')}{_PCT}(?:\s+(?:of|from|over)\s+(?:(?:the|his|her|their)\s+)?(?:baseline|current)"
    r"(?:\s+(?:mean|average|level|rate|median))?)?"
)
_UNIT_STOP = (
    r"(?!(?:with|in|on|across|by|as|for|over|during|when|and|at|given|while|using|within|"
    r"from|to|the|a)\b)"
)
_FROM_TO = _rx(
    r"\bfrom\s+(?:an?\s+)?(?:(?:current|present|initial)\s+)?(?:(?:baseline|level|rate|average|mean|"
    r"median|score)\s+)?(?:(?:level|score|rate|average)\s+)?(?:of\s+)?(?:an?\s+(?:average|mean|median)"
    rf"\s+of\s+)?{_g('b')}(?:\s*(?P<bp>%|percent))?(?P<bu>(?:\s+{_UNIT_STOP}[a-z][\w'/-]*){{0,4}}?)"
    r"\s+to\s+(?:an?\s+(?:target|goal|average|mean|median)\s+(?:level\s+)?of\s+)?"
    r"(?P<tl>(?:at\s+least|no\s+more\s+than|fewer\s+than|less\s+than|a\s+minimum\s+of|"
    rf"a\s+maximum\s+of)\s+)?{_g('t')}(?:\s*(?P<tp>%|percent))?"
    rf"(?P<tu>(?:\s+{_UNIT_STOP}[a-z][\w'/-]*){{0,4}})"
)
_COUNTING = _rx(r"\b(?:count(?:ing)?|numbers?|numerals?|rote)\s+(?:\w+\s+)?$")
_BASELINE_ONLY = _rx(
    r"(?:\b(?:up|down)\s+)?\bfrom\s+(?:an?\s+|the\s+|(?:his|her|their)\s+)?(?:(?:current|present|initial)\s+)?"
    rf"baseline\s+(?:(?:level|score|rate|average)\s+)?(?:of\s+)?{_g('b')}\s*(?P<bp>%|percent)?"
    r"(?P<bu>(?:\s+(?!with\b|in\b|on\b|by\b|as\b|and\b|to\b)[a-z][\w'/-]*){0,4})"
    rf"|\(\s*(?:current\s+)?baseline\s*(?:[:=]|is|of)?\s*{_g('b2')}[^)\n]{{0,40}}\)"
)
_RUBRIC_RE = _rx(
    r"(?:(?:a\s+|an\s+)?(?:rubric\s+|holistic\s+|average\s+)?(?:score|rating)\s+of\s+)?"
    r"(?:(?:at\s+least|a\s+minimum\s+of)\s+)?(?:an?\s+)?"
    rf"{_g('s')}(?:\s*(?:out\s+of|/|of)\s*{_g('o')})?"
    r"(?:\s+or\s+(?:higher|better|above|greater|more))?"
    r"\s+(?:on|using|according\s+to|in)\s+(?:an?|the|each\s+(?:\w+\s+)?of\s+the)\s+"
    rf"(?:{_g('o2')}[- ]point\s+)?(?:[\w-]+\s+){{0,3}}?(?:rubric|rating\s+scale|scale)\b"
    r"|(?:(?:a|an)\s+)?(?:rubric|holistic|writing|rubric-based)\s+(?:score|rating)\s+of\s+"
    rf"(?:(?:at\s+least|a\s+minimum\s+of)\s+)?(?:an?\s+)?{_g('s2')}(?:\s*(?:out\s+of|/|of)\s*{_g('o3')})?"
    r"(?:\s+or\s+(?:higher|better|above|greater|more))?"
    rf"|\b(?:score|rating)\s+of\s+(?:(?:at\s+least|a\s+minimum\s+of)\s+)?(?:an?\s+)?{_g('s3')}"
    rf"\s*(?:out\s+of|/|of)\s*{_g('o4')}(?![\s-]*(?:%|percent|trials|opportunities|sessions))"
    r"(?:\s+or\s+(?:higher|better|above|greater|more))?"
)
_PROMPT_TYPE = (
    r"((?:indirect\s+|direct\s+)?verbal(?:\s+(?:and|or|/)\s+(?:visual|gestural|written))?|"
    r"gestural|gestures?|visual|written|model(?:ing|ed|s)?|partial[- ]physical|full[- ]physical|"
    r"physical|hand[- ]over[- ]hand|hand[- ]under[- ]hand|tactile)"
)
_PROMPT_RE = _rx(
    r"\b(?P<lead>with|given|using|needing|requiring|receiving|after|following|and)\s+"
    r"(?:(?P<cap>no\s+more\s+than|not\s+more\s+than|fewer\s+than|less\s+than|at\s+most|up\s+to|only|"
    r"a\s+maximum\s+of|a\s+max\s+of|a\s+single|no\s+greater\s+than)\s+)?"
    rf"(?:(?P<n>{NUM}|an?)\s+)?"
    r"(?:(?P<q>minimal|minimum|min\.?|moderate|mod\.?|maximal|maximum|max\.?|faded|fading|occasional|"
    r"intermittent|limited|light|reduced|decreasing|least[- ]to[- ]most|most[- ]to[- ]least|"
    r"individual|additional)\s+)?(?:(?:adult|teacher|staff|peer|clinician|therapist|slp|para"
    r"(?:professional)?|aide)\s+)?"
    rf"(?:(?P<type>{_PROMPT_TYPE})\s*)?(?P<noun>prompts?|prompting|cues?|cueing|cuing|reminders?|redirections?|"
    r"redirects?|assistance|support|models?|help|check[- ]ins?)\b(?!\s+(?:cards?|boards?|strips?))"
    r"|\bat\s+(?:the|an?)\s+(?P<type2>independent|gestural|verbal|model(?:ing)?|partial[- ]physical|"
    r"full[- ]physical)\s+(?:prompt\s+)?level\b"
    rf"|\b(?P<cap2>no\s+more\s+than|fewer\s+than|at\s+most)\s+(?:(?:an?|one|{NUM})\s+)?(?P<type3>{_PROMPT_TYPE})"
    r"\s+(?:prompts?|cues?|prompting|cueing|assistance)\b"
)
_INDEPENDENT_RE = _rx(
    r"(?<!\blive\s)(?<!\bliving\s)\bindependently\b(?!\s+living)"
    r"|\bwithout\s+(?:any\s+)?(?:adult\s+|teacher\s+|staff\s+|verbal\s+|physical\s+|visual\s+|"
    r"additional\s+)?(?:prompts?|prompting|cues?|cueing|assistance|help|support|reminders?|redirection)\b"
    r"|\bwith\s+(?:no|zero|0)\s+(?:adult\s+|teacher\s+|staff\s+)?(?:prompts?|prompting|cues?|cueing|"
    r"assistance|help|support|reminders?)\b|\bwith\s+independence\b|\bunprompted\b"
    r"|\bon\s+(?:his|her|their)\s+own\b"
)
_PRECISION_RE = _rx(
    r"\bwithin\s+(?:a\s+|an\s+|one\s+|plus\s+or\s+minus\s+|\+/-\s*)?"
    r"(?P<v>[0-9]{1,4}\s*/\s*[0-9]{1,4}|½|¼|¾|one[- ]half|one[- ]quarter|a\s+half|a\s+quarter|half|quarter|"
    + NUM
    + r")(?:\s+of)?(?:\s+(?:an?|one))?\s*"
    r"(?P<u>inch(?:es)?|\"|cm|centimeters?|millimeters?|mm|meters?|feet|foot|degrees?|°|pounds?|lbs?|"
    r"ounces?|oz|grams?|cents?|dollars?|units?|points?|lines?)(?!\w)"
    r"|\bwithin\s+\$\s*(?P<money>[0-9]{1,4}(?:\.[0-9]{1,2})?)"
    r"|\bto\s+the\s+nearest\s+(?P<v2>[0-9]{1,4}\s*/\s*[0-9]{1,4}|half|quarter|tenth|hundredth|"
    + NUM
    + r")?\s*(?P<u2>inch(?:es)?|centimeters?|cm|millimeters?|mm|minutes?|hour|dollar|cent|"
    r"whole\s+number|ten|hundred|thousand|degree|unit|pound|ounce)?(?:s)?\b"
)
_LATENCY_RE = _rx(
    rf"\bwithin\s+{_g('n')}\s*(?P<u>seconds?|secs?|minutes?|mins?|s\b|min\b)"
    r"(?P<tail>\s+(?:of|after|from|following|when|once)\b"
    r"(?:\s+(?!(?:in|on|with|without|within|for|across|during|and|as|by|to|at)\b)[A-Za-z][\w'’-]*){0,4})?"
)
_LATENCY_VERBS = _rx(
    r"\b(?:begin|begins|start|starts|initiate|initiates|respond|responds|comply|complies|follow|"
    r"transition|return|line\s+up|sit\s+down|get\s+started|answer|react|indicate|request|ask|"
    r"signal|tell|greet|move)\b"
)
_COMPLETION_VERBS = _rx(
    r"\b(?:complete|completes|finish|finishes|copy|copies|write|writes|type|types|solve|solves|"
    r"assemble|clean|put\s+on|put\s+away|pack|dress|eat|button|zip|string|read|reads)\b"
)
_DURATION_RE = _rx(
    r"(?:\bfor\s+)?(?P<cmp>a\s+minimum\s+of|at\s+least|minimum\s+of|a\s+total\s+of)\s+"
    rf"{_g('n')}\s*(?:(?:consecutive|continuous|full|uninterrupted)\s+)?(?P<u>{_TIME_UNIT})"
    rf"|\bfor\s+(?:a\s+(?:period|total)\s+of\s+)?{_g('n2')}\s*(?:(?:consecutive|continuous|full|"
    rf"uninterrupted)\s+)?(?P<u2>{_TIME_UNIT})"
    rf"|{_g('n3')}\s*(?P<u3>{_TIME_UNIT})\s+or\s+(?P<more>more|longer|less|fewer|under|shorter)\b"
    rf"|\bin\s+(?:under|less\s+than)\s+{_g('n4')}\s*(?P<u4>{_TIME_UNIT})"
    rf"|\b(?:lasting|last)\s+(?:at\s+least\s+)?{_g('n5')}\s*(?P<u5>{_TIME_UNIT})"
    rf"|\bfor\s+(?:the|an?)\s+(?:full|entire|whole)\s+{_g('n6')}[- ](?P<u6>second|minute|hour)s?\b"
    r"(?:\s+[a-z][\w-]*){0,2}?\s+(?:block|period|class|session|lesson|activity)\b"
)
_ITEM_BARE = _rx(
    rf"(?:(?:at\s+least|a\s+minimum\s+of|a\s+total\s+of)\s+)?(?<!\bof\s)(?<!grade\s)(?<!level\s)(?<!\bto\s)"
    rf"{_g('c')}(?:\s+or\s+more)?(?=\s)"
)
_OUTCOME_VERB = _rx(
    r"^(?:enroll|attend|work|obtain|secure|gain\s+employment|maintain\s+employment|live|be\s+employed"
    r"|complete|earn|participate|pursue|join|enlist|apply|access|use|manage|travel|volunteer|become|go|"
    r"take|register|graduate|find|get|hold|shop|cook|pay|ride|drive|prepare|receive)\b"
)

# Clause openers that end the behavior and start a criterion, a condition or a purpose.
_POST_CONDITION = _rx(
    r"(?:,\s*|\s+)(?P<m>when\s+(?:given|presented\s+with|provided(?:\s+with)?|shown|asked|prompted|"
    r"offered|told|upset|frustrated|angry|anxious|a\s+peer|an\s+adult|the\s+teacher|transitioning|"
    r"working|engaged|in)|given|during|in\s+(?:the|a|an|his|her|their|all|each|both)\s+(?:[\w-]+\s+){0,3}?"
    r"(?:classroom|classrooms|settings?|environments?|class|group|cafeteria|hallways?|gym|playground|"
    r"community|centers|instruction|lessons?|activities|routines?|recess|lunch|school|home|room)\b"
    r"|across\s+(?:(?:[\w-]+\s+){0,2})?(?:settings|environments|classes|subjects|content\s+areas|staff|"
    r"adults|people|partners|school\s+settings)|while|with\s+the\s+use\s+of|with\s+access\s+to|"
    r"with\s+the\s+aid\s+of|upon|following|after\s+(?:reading|listening|hearing|viewing|a|an|the))\b"
)
_PURPOSE = _rx(r"(?:,\s*|\s+)(?:so\s+that|in\s+order\s+to)\b")
_PRE_CONDITION = _rx(
    r"^(?:when|given|during|in|using|with|after|while|following|upon|at|provided|throughout|"
    r"across|on|for|presented|if|within|before|as\s+part\s+of|in\s+the|whenever|once)\b"
)

_ANCHOR = _rx(
    r"\b(?P<intent>plans?\s+to|hopes?\s+to|wants?\s+to|would\s+like\s+to|wishes?\s+to|intends?\s+to|"
    r"is\s+planning\s+to|is\s+hoping\s+to|desires?\s+to|aspires?\s+to|expects?\s+to|is\s+interested\s+in|"
    r"dreams?\s+(?:of|to)|is\s+considering|will\s+(?:explore|consider|think\s+about|look\s+into))\b"
    r"|\b(?:will|shall|is\s+going\s+to)\b"
)
_LEARNER = re.compile(
    r"(?P<l>(?i:(?:the|this|our|each|every|my)\s+(?:[\w-]+\s+){0,2}?(?:student|learner|child|youth|"
    r"pupil|individual|client|kid|adolescent|teen|boy|girl)s?)|(?i:student)"
    r"|\[[^\]\n]{1,40}\]|\([^)\n]{1,40}\)|<[^<>\n]{1,40}>|_{2,}"
    r"|(?:[A-Z][\w'’-]*\.?)(?:\s+[A-Z][\w'’-]*\.?){0,2}|(?i:he|she|they|s/he|he/she|she/he|he or she))"
    r"\s*,?\s*$"
)
_NOT_NAMES: Final = frozenset(
    _words(
        """
        by when given during in within after while with using following upon at provided
        throughout across on for if before once the a an and then also iep goal annual reading
        writing math objective benchmark
        """
    )
)
_WRAPPERS = _rx(
    r"(?:(?:be\s+able\s+to|demonstrate\s+(?:the|an|his|her|their)\s+(?:ability|skill|capacity)\s+to"
    r"|learn\s+(?:how\s+)?to|continue\s+to|begin\s+to|work\s+to|also|then|consistently|regularly"
    r"|now)\s+)+"
)
_VAGUE_HEAD = _rx(
    r"^(?:improve[sd]?|enhance|develop|strengthen|understand|know|learn(?!\s+to)|appreciate|grasp|"
    r"comprehend|realize|gain|build|foster|grow|progress|explore|experience|feel|believe|value|think|"
    r"try|master|internalize|cooperate|respect|self-regulate|cope|behave|get\s+better|get\s+along|"
    r"stay\s+(?:organized|focused|calm|motivated|engaged|on\s+track|out\s+of\s+trouble)|"
    r"stop\s+(?:being|misbehaving|acting\s+out)|"
    r"make\s+(?:new\s+|more\s+)?friends|do\s+(?:math|better|well|his|her|their|work|reading|writing)|"
    r"communicate\s+(?:(?:his|her|their)\s+)?(?:wants|needs)|"
    r"manage\s+(?:his|her|their|emotions|behaviou?rs?|feelings|anger|frustration|stress)|"
    r"control\s+(?:his|her|their)|act\s+appropriately|"
    r"make\s+(?:progress|gains|improvements?|good\s+choices|better\s+choices|appropriate\s+choices|"
    r"positive\s+choices)|show\s+(?:improvement|improved|growth|progress|understanding|an\s+understanding|"
    r"knowledge|awareness|interest|respect|appropriate|more|increased|better)|"
    r"demonstrate\s+(?:an?\s+)?(?:understanding|better|basic\s+understanding|knowledge|awareness|"
    r"improvement|improved|growth|progress|mastery|proficiency|competence|competency|skills?|"
    r"appropriate|age[- ]appropriate|increased|comprehension|grade[- ]level\s+skills|readiness)|"
    r"display\s+(?:appropriate|improved|better|positive)|exhibit\s+(?:appropriate|improved|better|"
    r"positive)|have\s+(?:better|improved|fewer|more|a\s+better|positive)|"
    r"be\s+(?:aware|familiar|more|better|exposed|respectful|responsible|polite|kind|nice|good|successful|"
    r"appropriate|cooperative|prepared|ready|organized|focused|attentive|exposed|a\s+better|"
    r"intelligible|understood|motivated|engaged|independent|confident|safe|calm|"
    r"able\s+to\s+(?:understand|know|appreciate))|become\s+(?:more|better|aware|familiar|"
    r"independent|proficient|successful|a\s+better)|work\s+on|work\s+towards?|"
    r"participate\s+appropriately|interact\s+appropriately|respond\s+appropriately|"
    r"play\s+appropriately|communicate\s+(?:effectively|appropriately|better)|"
    r"use\s+(?:[\w-]+\s+){0,2}?strategies\b(?!\s*(?:\(|:|such\s+as|including|e\.g\.))|"
    r"use\s+(?:(?:appropriate|good|better|age[- ]appropriate|his|her|their|social|coping|"
    r"self-regulation|organizational|study|communication)\s+)+(?:skills|strategies|behaviou?rs?|"
    r"manners|language)\b(?!\s*(?:\(|:|such\s+as|including|e\.g\.))|use\s+appropriate)\b"
)
_CHANGE_VERB = _rx(
    r"^(?P<verb>increase[sd]?|decrease[sd]?|reduce[sd]?|raise[sd]?|lower|minimize|limit|eliminate|"
    r"maximize|expand|extend|lengthen|shorten|improve[sd]?)\b"
)
_DECREASE_VERB = _rx(r"^(?:decrease|reduce|lower|minimize|limit|eliminate|shorten)")
_NEGATIVE_VERB = _rx(
    r"^(?:not\s|refrain\s+from|stop\b|cease\b|avoid\b|no\s+longer|decrease|reduce|eliminate|minimize|"
    r"have\s+fewer|lower|limit)"
)
_CONSTRUCT = _rx(
    r"\b(?:skills?|abilit(?:y|ies)|performance|understanding|knowledge|awareness|confidence|"
    r"self[- ]esteem|independence|functioning|proficiency|competence|achievement|fluency|"
    r"comprehension|vocabulary|intelligibility|attention|focus|compliance|self[- ]control|"
    r"communication|behaviou?rs?|participation|engagement|motivation|effort|organization|work\s+habits|"
    r"social\s+interactions?|interactions|relationships|expressive\s+language|receptive\s+language|"
    r"language|expression|articulation|speech|pragmatics|self[- ]regulation|coping|"
    r"self[- ]advocacy|study\s+habits|attendance|productivity|accuracy)\b"
)
_DEFINED = _rx(
    r"\(|:\s|\bsuch\s+as\b|\bincluding\b|\bdefined\s+as\b|\be\.g\.|\bi\.e\.|\bas\s+evidenced\s+by\b|"
    r"\bspecifically\b|\bthe\s+number\s+of\b|\bnumber\s+of\b|\bby\s+[a-z]+ing\b"
)
_BEHAVIOR_NOUN_VAGUE = _rx(
    r"\b(?:aggressive|disruptive|inappropriate|off[- ]task|negative|problem|challenging|maladaptive|"
    r"unsafe|noncompliant|non-compliant|self-injurious|appropriate|positive|undesired|unexpected|"
    r"target|interfering)\s+behaviou?rs?\b|\bbehaviou?rs?\b|\bbehaviou?r\s+problems\b"
)
_VAGUE_OBJECT_NEAR = _rx(
    r"^(?:\S+\s+){0,3}?(?:appropriately|appropriate|age[- ]appropriate|better|improved|effectively)\b"
    r"|^\S+\s+(?:more|better|neater|faster|harder|clearer|louder|quieter|nicer)\b(?!\s+than\s+[0-9])"
)
_VAGUE_CRITERION = _rx(
    r"\bwith\s+(?:mastery|proficiency|success|competence|fluency)\b|\bto\s+mastery\b|\bmastery\b|"
    r"\bto\s+(?:the\s+)?(?:teacher'?s?|staff'?s?|therapist'?s?|adult'?s?)\s+satisfaction\b|"
    r"\bsatisfactor(?:y|ily)\b|\bpassing\s+(?:grade|score|mark)\b|\ba\s+grade\s+of\s+[A-D][+-]?"
    r"(?:\s+or\s+(?:better|higher|above))?|\bacceptable\s+level\b|\badequate(?:ly)?\b|"
    r"\bconsistently\b|\bmost\s+of\s+the\s+time\b|\bthe\s+majority\s+of\s+the\s+time\b|\busually\b|"
    r"\bregularly\b|\bfrequently\b|\boften\b|\bsuccessfully\b|\bas\s+appropriate\b|\bproficient(?:ly)?\b|"
    r"\bfluently\b|\blegibl[ey]\b|\bneatly\b|\bappropriate(?:ly)?\b|\bmaster\b"
)
_CRITERION_CUE = _rx(
    rf"{NUM}(?:{_PCT}|\s*(?:out\s+of|/)\s*{NUM}"
    r"|\s+(?:\w+\s+){0,2}?(?:trials|opportunities|sessions|attempts|probes)\b|\s+(?:\w+\s+)?errors?\b)"
    r"|\bwith\s+(?:\w+\s+){0,2}accuracy\b|\bconsecutive\b"
    r"|\bper\s+minute\b|\b(?:wpm|wcpm|cwpm)\b|\bscore\s+of\b"
)


def _unit_text(raw: str | None) -> str | None:
    if raw is None:
        return None
    cleaned = " ".join(raw.lower().split())
    return cleaned or None


def _seconds(value: float, unit: str) -> float:
    return value * _SECONDS.get(unit.strip().lower()[:1], 1)


class _Reader:
    """Reads one goal: the extraction steps share the text, the claims and the findings."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.claims = _Claims()
        self.atoms: list[Criterion] = []
        self.flags: list[Flag] = []
        self.ranges: list[Span] = []
        self.covered: list[tuple[int, int]] = []  # read but not atoms: baselines, schedules
        self.low = text.lower()  # only to test for cue words; offsets always come from `text`

    # ---------------------------------------------------------------- helpers

    def add(self, atom: Criterion) -> None:
        self.atoms.append(atom)
        self.claims.take(atom.start, atom.end)

    def free(self, m: re.Match[str]) -> bool:
        return self.claims.free(m.start(), m.end())

    def finditer(self, pattern: re.Pattern[str]) -> Iterator[re.Match[str]]:
        for m in pattern.finditer(self.text):
            if m.end() > m.start() and self.free(m):
                yield m

    def trimmed(self, start: int, end: int) -> tuple[int, int]:
        while end > start and self.text[end - 1] in " ,;:\t":
            end -= 1
        while start < end and self.text[start] in " ,;:\t":
            start += 1
        return start, end

    # ---------------------------------------------------------------- the atoms, in order

    def has(self, *cues: str) -> bool:
        return any(cue in self.low for cue in cues)

    def read_atoms(self) -> None:
        # Each step runs only if one of its cue words is present: most goals have few kinds.
        percent = self.has("%", "percent", "per cent")
        if self.has("within", "nearest"):
            self.precision()
        if percent:
            self.reductions_by_percent()
        if self.has("from"):
            self.from_to()
        if self.has("rubric", "scale", "score", "rating"):
            self.rubric()
        if percent:
            self.percents()
        self.rates()
        if self.has(" of", "/"):
            self.m_of_n()
        if self.has("consecutive", "successive", "straight", "back", "in a row"):
            self.consecutive()
        if self.has("than", "most", "max", "up to", "under", "or fewer", "or less", "zero", " 0"):
            self.ceilings()
        if self.has("error", "mistake"):
            self.errors()
        self.prompts()
        if self.has("sec", "min", "hour", "hr"):
            self.latency_and_duration()
        self.frequency()
        if self.has("baseline"):
            self.baseline_only()

    def precision(self) -> None:
        for m in self.finditer(_PRECISION_RE):
            raw = m.group("v") or m.group("v2") or m.group("money")
            unit = m.group("u") or m.group("u2") or ("dollars" if m.group("money") else None)
            value = _amount(raw) if raw else None
            if value is None and unit is None and not raw:
                continue
            if (
                m.group("v2") is None
                and m.group("u2") is None
                and m.group(0).lower().startswith("to")
            ):
                continue
            if unit == '"':
                unit = "inches"
            s, e = self.trimmed(m.start(), m.end())
            self.add(
                Precision(
                    tolerance=value,
                    unit=_unit_text(unit),
                    text=self.text[s:e],
                    start=s,
                    end=e,
                )
            )

    def reductions_by_percent(self) -> None:
        for m in self.finditer(_REDUCTION_PCT):
            raw = m.group("p") or m.group("p3") or m.group("q")
            start = m.start("p3") if m.group("p3") else m.start("p") if m.group("p") else m.start()
            if m.group("p") and (by := self.text.rfind(" by ", m.start(), start)) != -1:
                start = by + 1
            s, e = self.trimmed(start, m.end())
            self.add(
                Reduction(
                    baseline=None,
                    target=None,
                    percent=_number(raw),
                    per=None,
                    unit=None,
                    text=self.text[s:e],
                    start=s,
                    end=e,
                )
            )
        for m in self.finditer(_INCREASE_PCT):
            start = self.text.rfind(" by ", m.start(), m.start("p")) + 1
            s, e = self.trimmed(start, m.end())
            self.add(
                BaselineToTarget(
                    baseline=None,
                    target=None,
                    percent=_number(m.group("p")),
                    unit=None,
                    text=self.text[s:e],
                    start=s,
                    end=e,
                )
            )

    def from_to(self) -> None:
        for m in self.finditer(_FROM_TO):
            if _COUNTING.search(self.text[max(0, m.start() - 30) : m.start()]):
                continue
            baseline, target = _number(m.group("b")), _number(m.group("t"))
            unit = _unit_text(m.group("tu") or m.group("bu"))
            if m.group("tp") or m.group("bp"):
                unit = "percent" if unit is None else f"percent {unit}"
            s, e = self.trimmed(m.start(), m.end())
            text = self.text[s:e]
            if target < baseline:
                self.add(
                    Reduction(
                        baseline=baseline,
                        target=target,
                        percent=None,
                        per=_per_in(unit),
                        unit=unit,
                        text=text,
                        start=s,
                        end=e,
                    )
                )
            else:
                self.add(
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

    def rubric(self) -> None:
        for m in self.finditer(_RUBRIC_RE):
            raw = m.group("s") or m.group("s2") or m.group("s3")
            if raw is None:
                continue
            out = m.group("o") or m.group("o2") or m.group("o3") or m.group("o4")
            s, e = self.trimmed(m.start(), m.end())
            self.add(
                Rubric(
                    score=_number(raw),
                    out_of=_number(out) if out else None,
                    text=self.text[s:e],
                    start=s,
                    end=e,
                )
            )

    def _range(self, m: re.Match[str], low: str, high: str | None) -> float:
        if high is None:
            return _number(low)
        lo, hi = sorted((_number(low), _number(high)))
        self.ranges.append(_span(self.text, m.start(), m.end()))
        return lo

    def percents(self) -> None:
        for m in _INTERVAL.finditer(self.text):
            if not self.claims.free(m.start(), m.start("of")):
                continue
            words = list(re.finditer(r"\S+", m.group("of")))
            cut = next(
                (
                    w
                    for w in words
                    if w.group(0).lower() in _ITEM_OF or w.group(0).lower() in _INTERVAL_NOUNS
                ),
                words[0],
            )
            if cut is words[0] and len(words) > 1 and words[0].group(0).lower() in _OF_FILLERS:
                cut = words[1]
            end = m.start("of") + cut.end()
            of = " ".join(m.group("of")[: cut.end()].lower().split())
            last = of.split(" ")[-1]
            if not self.claims.free(m.start(), end):
                continue
            percent = self._range(m, m.group("p"), m.group("p2"))
            s, e = self.trimmed(m.start(), end)
            if last in _ITEM_OF:
                self.add(Accuracy(percent=percent, text=self.text[s:e], start=s, end=e))
                continue
            window_m = _WINDOW.search(self.text, s, min(len(self.text), e + 80))
            window = None if window_m is None else window_m.group(0).strip()
            comparator = Comparator.MAX if _lead_before(self.text, s, _MAX_LEAD) else Comparator.MIN
            self.add(
                IntervalPercent(
                    percent=percent,
                    of=of,
                    window=window,
                    comparator=comparator,
                    text=self.text[s:e],
                    start=s,
                    end=e,
                )
            )
        for m in self.finditer(_ACCURACY):
            percent = self._range(m, m.group("p"), m.group("p2"))
            s, e = self.trimmed(m.start(), m.end())
            self.add(Accuracy(percent=percent, text=self.text[s:e], start=s, end=e))

    def rates(self) -> None:
        if not self.has("pm", "wrc", "wcm", "cls", "lsf", "lnf", "nwf", "min"):
            return
        for m in self.finditer(_RATE_ABBR_RE):
            value = self._range(m, m.group("v"), m.group("v2"))
            s, e = self.trimmed(m.start(), m.end())
            unit = _unit_text(re.sub(r"(?i)\s+per\s+minute$", "", m.group("unit")))
            self.add(
                Rate(value=value, per="minute", unit=unit, text=self.text[s:e], start=s, end=e)
            )
        for m in self.finditer(_RATE_PER_MIN):
            unit = m.group("unit")
            if not _RATE_UNIT_OK.search(unit) and "time" not in unit.lower():
                continue
            value = self._range(m, m.group("v"), m.group("v2"))
            s, e = self.trimmed(m.start(), m.end())
            self.add(
                Rate(
                    value=value,
                    per="minute",
                    unit=_unit_text(unit),
                    text=self.text[s:e],
                    start=s,
                    end=e,
                )
            )
        for m in self.finditer(_RATE_IN_MIN):
            unit = m.group("unit")
            if not _RATE_UNIT_OK.search(unit):
                continue
            minutes = _number(m.group("mins"))
            per = "minute" if minutes == 1 else f"{m.group('mins')} minutes"
            s, e = self.trimmed(m.start(), m.end())
            self.add(
                Rate(
                    value=_number(m.group("v")),
                    per=per,
                    unit=_unit_text(unit),
                    text=self.text[s:e],
                    start=s,
                    end=e,
                )
            )

    def m_of_n(self) -> None:
        for m in self.finditer(_MOFN_RE):
            mm, nn = _int(m.group("m")), _int(m.group("n"))
            found = _scan_noun(self.text, m.end(), _MOFN_UNITS | _ITEM_UNITS, 4)
            end = m.end()
            unit: str | None = None
            is_item = False
            if found is not None:
                phrase, end = found
                unit = _unit_text(phrase)
                last = phrase.lower().split()[-1]
                is_item = last in _ITEM_UNITS and last not in _MOFN_UNITS
            else:
                tail = re.match(r"\s+(correct|correctly)\b", self.text[m.end() :], re.IGNORECASE)
                if tail:
                    end = m.end() + tail.end()
                    is_item = True
                elif not _lead_before(
                    self.text, m.start(), _rx(r"\b(?:in|on|across|during|for)\s+$")
                ):
                    is_item = True
            if not self.claims.free(m.start(), end):
                continue
            s, e = self.trimmed(m.start(), end)
            if is_item:
                self.add(ItemCount(count=mm, of=nn, unit=unit, text=self.text[s:e], start=s, end=e))
            else:
                self.add(
                    MOfN(
                        m=mm,
                        n=nn,
                        unit=unit,
                        reading=MofNReading.SESSIONS,
                        text=self.text[s:e],
                        start=s,
                        end=e,
                    )
                )

    def consecutive(self) -> None:
        for m in self.finditer(_CONSEC_RE):
            nxt = next(_words_after(self.text, m.end(), 1), None)
            if nxt is not None and nxt.group(1).lower() in _TIME_NOUNS:
                continue
            found = _scan_noun(self.text, m.end(), _CONSEC_UNITS | _MOFN_UNITS, 3)
            end = m.end()
            unit = None
            if found is not None:
                phrase, end = found
                unit = _unit_text(
                    re.sub(r"(?i)^(?:consecutive|successive|straight)\s+", "", phrase)
                )
            if tail := _CONSEC_TAIL.match(self.text, end):
                end = tail.end()
            if not self.claims.free(m.start(), end):
                continue
            s, e = self.trimmed(m.start(), end)
            self.add(
                Consecutive(k=_int(m.group("k")), unit=unit, text=self.text[s:e], start=s, end=e)
            )

    def ceilings(self) -> None:
        for m in self.finditer(_CEILING_RE):
            raw = m.group("n") if m.group("n2") is None else m.group("n2")
            if m.group("lead") and m.group("lead").lower() in ("zero", "0"):
                raw = "0"
            if raw is None or raw == "":
                continue
            value = _int(raw)
            lead = (m.group("lead") or "").lower()
            found = _scan_noun(
                self.text, m.end(), _ERROR_NOUNS | _PROMPT_NOUNS | _TIME_NOUNS | _REDUCTION_NOUNS, 4
            )
            if found is None:
                # "refusals to 1 or fewer per week": the counted noun came before the number.
                after = m.end()
                if (tail := _OR_FEWER.match(self.text, after)) is not None:
                    after = tail.end()
                per_tail = _PER_TAIL.match(self.text, after)
                if per_tail is None or not self.claims.free(m.start(), per_tail.end()):
                    continue
                s, e = self.trimmed(m.start(), per_tail.end())
                self.add(
                    Reduction(
                        baseline=None,
                        target=float(value - 1 if lead.startswith(("fewer", "less")) else value),
                        percent=None,
                        per=(
                            per_tail.group("per")
                            or _PER_WORD.get((per_tail.group("per2") or "").lower(), "")
                        ).lower()
                        or None,
                        unit=None,
                        text=self.text[s:e],
                        start=s,
                        end=e,
                    )
                )
                continue
            phrase, end = found
            head = phrase.lower().split()[-1]
            if (tail := _OR_FEWER.match(self.text, end)) is not None:
                end = tail.end()
            strict = lead.startswith(("fewer", "less"))
            if not self.claims.free(m.start(), end):
                continue
            s, e = self.trimmed(m.start(), end)
            text = self.text[s:e]
            if head in _ERROR_NOUNS:
                self.add(
                    ErrorLimit(
                        max_errors=max(0, value - 1) if strict else value,
                        max_percent=None,
                        text=text,
                        start=s,
                        end=e,
                    )
                )
            elif head in _PROMPT_NOUNS:
                self.add(
                    Prompt(
                        level=_prompt_level(phrase),
                        max_prompts=max(0, value - 1) if strict else value,
                        text=text,
                        start=s,
                        end=e,
                    )
                )
            elif head in _TIME_NOUNS:
                self.add(
                    Duration(
                        seconds=_seconds(_number(raw), head),
                        comparator=Comparator.MAX,
                        text=text,
                        start=s,
                        end=e,
                    )
                )
            else:
                per = None
                if (tail2 := _PER_TAIL.match(self.text, e)) is not None:
                    per = (
                        tail2.group("per") or _PER_WORD.get(tail2.group("per2").lower(), "")
                    ).lower()
                    e = tail2.end()
                    text = self.text[s:e]
                self.add(
                    Reduction(
                        baseline=None,
                        target=float(max(0, value - 1) if strict else value),
                        percent=None,
                        per=per or None,
                        unit=_unit_text(phrase.split(" ", 1)[-1] if " " in phrase else phrase),
                        text=text,
                        start=s,
                        end=e,
                    )
                )

    def errors(self) -> None:
        for m in self.finditer(_NO_ERRORS):
            s, e = self.trimmed(m.start(), m.end())
            self.add(
                ErrorLimit(max_errors=0, max_percent=None, text=self.text[s:e], start=s, end=e)
            )
        for m in self.finditer(_ERROR_PCT):
            raw = m.group("p") or m.group("q")
            s, e = self.trimmed(m.start(), m.end())
            self.add(
                ErrorLimit(
                    max_errors=None, max_percent=_number(raw), text=self.text[s:e], start=s, end=e
                )
            )

    def prompts(self) -> None:
        if not self.has(
            "prompt",
            "cue",
            "cuing",
            "remind",
            "redirect",
            "assist",
            "support",
            "model",
            "help",
            "check",
            "level",
            "independ",
            "without",
            "with no",
            "with zero",
            "with 0",
            "own",
        ):
            return
        for m in self.finditer(_PROMPT_RE):
            lead = (m.group("lead") or "").lower()
            start = m.start() if lead not in ("and", "after", "following") else m.start("noun")
            if m.group("type2"):
                level = _prompt_level(m.group("type2"))
                count = None
            else:
                kind = m.group("type") or m.group("type3") or m.group("noun") or ""
                if lead in ("and", "after", "following") and not m.group("type"):
                    continue
                level = _prompt_level(kind)
                raw = m.group("n")
                cap = (m.group("cap") or m.group("cap2") or "").lower()
                if raw is None:
                    count = 1 if cap == "a single" else None
                elif raw.lower() in ("a", "an"):
                    count = 1 if cap else None
                else:
                    count = _int(raw)
                    if cap.startswith("fewer") or cap.startswith("less"):
                        count = max(0, count - 1)
                if m.group("type") and lead in ("and",):
                    start = m.start("type")
            s, e = self.trimmed(start, m.end())
            vague_help = (m.group("noun") or "").lower() in ("support", "help")
            if level is None and vague_help and not (m.group("q") or m.group("n")):
                continue
            self.add(Prompt(level=level, max_prompts=count, text=self.text[s:e], start=s, end=e))
        for m in self.finditer(_INDEPENDENT_RE):
            s, e = self.trimmed(m.start(), m.end())
            self.add(
                Prompt(
                    level=PromptLevel.INDEPENDENT,
                    max_prompts=0,
                    text=self.text[s:e],
                    start=s,
                    end=e,
                )
            )

    def latency_and_duration(self) -> None:
        for m in _LATENCY_RE.finditer(self.text):
            end = m.end()
            if not self.claims.free(m.start(), end):
                end = m.end("u")  # the cue may run into another atom: keep "within N minutes"
                if not self.claims.free(m.start(), end):
                    continue
            seconds = _seconds(_number(m.group("n")), m.group("u"))
            before = self.text[max(0, m.start() - 120) : m.start()]
            s, e = self.trimmed(m.start(), end)
            if (m.group("tail") and end > m.end("u")) or (
                _LATENCY_VERBS.search(before) and not _COMPLETION_VERBS.search(before)
            ):
                self.add(Latency(seconds=seconds, text=self.text[s:e], start=s, end=e))
            else:
                self.add(
                    Duration(
                        seconds=seconds,
                        comparator=Comparator.MAX,
                        text=self.text[s:e],
                        start=s,
                        end=e,
                    )
                )
        for m in self.finditer(_DURATION_RE):
            for n_group, u_group in (
                ("n", "u"),
                ("n2", "u2"),
                ("n3", "u3"),
                ("n4", "u4"),
                ("n5", "u5"),
                ("n6", "u6"),
            ):
                if m.group(n_group):
                    raw, unit = m.group(n_group), m.group(u_group)
                    break
            else:
                continue
            more = (m.group("more") or "").lower()
            cmp_ = Comparator.MIN
            if m.group("n4") or more in ("less", "fewer", "under", "shorter"):
                cmp_ = Comparator.MAX
            s, e = self.trimmed(m.start(), m.end())
            self.add(
                Duration(
                    seconds=_seconds(_number(raw), unit),
                    comparator=cmp_,
                    text=self.text[s:e],
                    start=s,
                    end=e,
                )
            )

    def frequency(self) -> None:
        if not self.has(
            "per ",
            "each",
            "every",
            "daily",
            "weekly",
            "monthly",
            "hourly",
            "separate",
            "different",
            "distinct",
            " a ",
            " an ",
            "during",
            "/",
        ):
            return
        for m in self.finditer(_SEPARATE_RE):
            s, e = self.trimmed(m.start(), m.end())
            self.add(
                Frequency(
                    count=_int(m.group("c")),
                    per=None,
                    unit=_unit_text(f"separate {m.group('unit')}"),
                    comparator=Comparator.MIN,
                    text=self.text[s:e],
                    start=s,
                    end=e,
                )
            )
        for m in self.finditer(_FREQ_RE):
            raw = m.group("c").lower()
            count = 1 if raw == "once" else 2 if raw == "twice" else _int(raw)
            unit = m.group("unit")
            if unit is not None:
                words = unit.lower().split()
                if words[0] == "or":
                    continue
                if (
                    words[-1] in _PROMPT_NOUNS
                    or words[-1] in _ERROR_NOUNS
                    or words[-1] in _TIME_NOUNS
                ):
                    continue
                if words[-1] in ("minute", "min", "minutes"):
                    continue
            tail = _PER_TAIL.match(self.text, m.end())
            if tail is None:
                continue
            per = (
                tail.group("per") or _PER_WORD.get((tail.group("per2") or "").lower(), "")
            ).lower()
            end = tail.end()
            if not self.claims.free(m.start(), end):
                continue
            s, e = self.trimmed(m.start(), end)
            self.add(
                Frequency(
                    count=count,
                    per=" ".join(per.split()) or None,
                    unit=_unit_text(unit)
                    if unit
                    else ("times" if raw in ("once", "twice") else None),
                    comparator=Comparator.MIN,
                    text=self.text[s:e],
                    start=s,
                    end=e,
                )
            )

    def baseline_only(self) -> None:
        for m in self.finditer(_BASELINE_ONLY):
            raw = m.group("b") or m.group("b2")
            baseline = _number(raw)
            levels = [a for a in self.atoms if a.kind in _TARGET_KINDS]
            s, e = self.trimmed(m.start(), m.end())
            text = self.text[s:e]
            if not levels:
                self.covered.append((s, e))
                self.claims.take(s, e)
                continue
            target = _target_value(levels[0])
            unit = _unit_text(m.group("bu")) if m.group("bu") else None
            if target is not None and target < baseline:
                self.add(
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
                self.add(
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


_NOT_COUNTED: Final = frozenset(
    _words(
        """
        times minutes seconds hours days weeks months years percent grades levels and or of to
        in on at by with for from
        """
    )
)
_REDUCTION_NOUNS: Final = frozenset(
    _words(
        """
        time times incident incidents instance instances occurrence occurrences episode episodes
        outburst outbursts tantrum tantrums refusal refusals behavior behaviors behaviour
        behaviours call-outs callouts interruption interruptions absence absences tardy tardies
        tardies act acts occasion occasions event events elopement elopements attempt attempts
        referral referrals disruption disruptions meltdown meltdowns aggression accident
        accidents spill spills tardy tardies
        """
    )
)
_PER_WORD: Final[dict[str, str]] = {
    "daily": "day",
    "weekly": "week",
    "monthly": "month",
    "hourly": "hour",
}
_TARGET_KINDS: Final = frozenset(
    {
        CriterionKind.RATE,
        CriterionKind.ACCURACY,
        CriterionKind.FREQUENCY,
        CriterionKind.DURATION,
        CriterionKind.INTERVAL_PERCENT,
        CriterionKind.LATENCY,
        CriterionKind.REDUCTION,
        CriterionKind.ITEM_COUNT,
        CriterionKind.RUBRIC,
    }
)
# Atoms that set the level; M-of-N and consecutive say how often, prompt level how independently.
_MAIN_LEVEL_KINDS: Final = frozenset(
    {
        CriterionKind.ACCURACY,
        CriterionKind.RATE,
        CriterionKind.INTERVAL_PERCENT,
        CriterionKind.RUBRIC,
        CriterionKind.FREQUENCY,
        CriterionKind.REDUCTION,
        CriterionKind.BASELINE_TO_TARGET,
        CriterionKind.ITEM_COUNT,
    }
)
_LEVEL_KINDS: Final = frozenset(
    set(CriterionKind)
    - {CriterionKind.M_OF_N, CriterionKind.CONSECUTIVE, CriterionKind.PROMPT_LEVEL}
)


def _per_in(unit: str | None) -> str | None:
    if unit is None:
        return None
    m = re.search(rf"\b(?:per|a|each)\s+({_PER_UNITS})\b", unit, re.IGNORECASE)
    return None if m is None else m.group(1).lower()


def _target_value(atom: Criterion) -> float | None:
    if isinstance(atom, Rate):
        return atom.value
    if isinstance(atom, Accuracy | IntervalPercent):
        return atom.percent
    if isinstance(atom, Frequency | ItemCount):
        return float(atom.count)
    if isinstance(atom, Duration | Latency):
        return atom.seconds
    if isinstance(atom, Reduction):
        return atom.target
    if isinstance(atom, Rubric):
        return atom.score
    return None


def _prompt_level(raw: str) -> PromptLevel | None:
    s = raw.lower()
    if "independent" in s:
        return PromptLevel.INDEPENDENT
    if "hand-over" in s or "hand over" in s or "full" in s:
        return PromptLevel.FULL_PHYSICAL
    if "partial" in s or "hand-under" in s or "hand under" in s or "tactile" in s:
        return PromptLevel.PARTIAL_PHYSICAL
    if "physical" in s:
        return PromptLevel.FULL_PHYSICAL
    if "model" in s:
        return PromptLevel.MODEL
    if "verbal" in s or "remind" in s or "redirect" in s:
        return PromptLevel.VERBAL
    if "gest" in s or "visual" in s or "written" in s or "picture" in s:
        return PromptLevel.GESTURAL
    return None


# --------------------------------------------------------------------------- areas / relevance

_AREA_WORDS: Final[tuple[tuple[Area, re.Pattern[str]], ...]] = (
    (
        Area.READING,
        _rx(
            r"\b(?:read\w*|decod\w*|fluen\w*|comprehen\w*|phonic\w*|phonolog\w*|phonem\w*|sight\s+words?|"
            r"passages?|wcpm|cwpm|orf|texts?|stor(?:y|ies)|main\s+idea|inferenc\w*|syllab\w*|vowels?|"
            r"letter[- ]sounds?|literacy|books?|retell\w*)\b"
        ),
    ),
    (
        Area.WRITING,
        _rx(
            r"\b(?:writ\w*|wrote|sentences?|paragraphs?|essays?|spell\w*|capitaliz\w*|punctuat\w*|"
            r"composition|journal|grammar|narratives?|conventions|editing|revis\w*|typ(?:e|ing))\b"
        ),
    ),
    (
        Area.MATH,
        _rx(
            r"\b(?:math\w*|add\w*|subtract\w*|multipl\w*|divi\w*|fractions?|decimals?|equations?|"
            r"numbers?|numerals?|comput\w*|calculat\w*|problems?|money|coins?|counts?|counting|"
            r"place\s+value|geometry|measure\w*|regroup\w*|digits?|arithmetic|algebra\w*|time\s+to)\b"
        ),
    ),
    (
        Area.ARTICULATION,
        _rx(
            r"\b(?:articulat\w*|/[a-z]{1,3}/|speech\s+sounds?|sounds?|intelligib\w*|phonolog\w*|"
            r"lisp|fluency\s+shaping|stutter\w*|blends?|production)\b"
        ),
    ),
    (
        Area.LANGUAGE,
        _rx(
            r"\b(?:language|vocabular\w*|wh-?\s*questions?|describ\w*|express\w*|receptive|"
            r"follow\w*\s+(?:\w+\s+)?directions?|narrat\w*|utterances?|categor\w*|synonyms?|antonyms?|"
            r"grammar|pronouns?|verbs?|nouns?|concepts?|word\s+finding|communicat\w*|AAC|device)\b"
        ),
    ),
    (
        Area.SOCIAL,
        _rx(
            r"\b(?:peers?|social\w*|conversation\w*|turns?|greet\w*|friend\w*|play\w*|interact\w*|"
            r"perspective|pragmatic\w*|eye\s+contact|share|sharing|compliments?|cooperat\w*|group)\b"
        ),
    ),
    (
        Area.BEHAVIOR,
        _rx(
            r"\b(?:behavio\w*|on[- ]task|off[- ]task|tantrum\w*|aggress\w*|hit\w*|kick\w*|elop\w*|"
            r"complian\w*|comply|outbursts?|disrupt\w*|self[- ]regulat\w*|coping|calm\w*|break\s+card|"
            r"seated|hands\s+to\s+(?:self|himself|herself)|refus\w*|frustrat\w*|anger|emotion\w*|"
            r"redirect\w*|work\s+completion|attention|impuls\w*)\b"
        ),
    ),
    (
        Area.FINE_MOTOR,
        _rx(
            r"\b(?:fine\s+motor|scissors|cut\w*|grasp\w*|pencil|handwriting|legib\w*|trac\w*|copy\w*|"
            r"button\w*|zip\w*|snap\w*|manipulat\w*|letter\s+formation|form\s+letters|keyboard\w*|"
            r"margins?|spacing|utensils?|tie|tying|beads?|pegs?)\b"
        ),
    ),
    (
        Area.SELF_CARE,
        _rx(
            r"\b(?:toilet\w*|bathroom|dress\w*|wash\w*|brush\w*|hygiene|eat\w*|feed\w*|utensils?|"
            r"grooming|shoes?|coat|jacket|lunch|self[- ]care|daily\s+living|shower\w*|deodorant)\b"
        ),
    ),
    (
        Area.EXECUTIVE_FUNCTION,
        _rx(
            r"\b(?:organiz\w*|planner|agenda|assignments?|homework|materials|checklists?|"
            r"time\s+management|initiat\w*|prioritiz\w*|binder|schedule|deadlines?|task\s+completion|"
            r"executive|steps?\s+of\s+a\s+task|long-term|calendar|self[- ]monitor\w*|turn\s+in)\b"
        ),
    ),
    (
        Area.TRANSITION,
        _rx(
            r"\b(?:employ\w*|jobs?|careers?|college|universit\w*|enroll\w*|vocational|postsecondary|"
            r"post-secondary|independent\s+living|apartment|budget\w*|resum[eé]s?|interview\w*|"
            r"work(?:ing)?\s+as|training\s+program|graduat\w*|transportation|bus\s+route|banking|"
            r"apprenticeship|community\s+college|certificate)\b"
        ),
    ),
)


def goal_areas(text: str) -> tuple[Area, ...]:
    """The areas of need a text speaks to, by keywords (a goal, or a PLAAFP need statement)."""
    return tuple(area for area, pattern in _AREA_WORDS if pattern.search(text))


_STOP: Final = frozenset(
    _words(
        """
        student students will with that this from have been their they there when which about
        into during given after before while using within their other than more most less least
        each every grade level year years school class teacher currently skills skill ability
        abilities needs needed improve working performance present levels goal goals
        """
    )
)


def _content_stems(text: str) -> set[str]:
    return {w.lower()[:5] for w in re.findall(r"[A-Za-z]{5,}", text) if w.lower() not in _STOP}


# --------------------------------------------------------------------------- the checker

_SESSION_UNITS: Final = frozenset(
    _words(
        """
        session sessions day days week weeks probe probes month months data period periods class
        classes lesson lessons quarter quarters task tasks assignment assignments sample samples
        passage passages activity activities project projects quiz quizzes test tests worksheet
        worksheets
        """
    )
)
_ING_E: Final = frozenset(
    _words(
        """
        write use make state name complete produce solve describe compare locate decode
        calculate compute create arrange organize recognize sequence summarize paraphrase
        estimate measure manage share take give type trace practice circle choose rate prepare
        retrieve combine separate divide multiply subtract vote save serve shave phrase
        pronounce locate place illustrate indicate categorize generate initiate participate
        demonstrate explore analyze schedule relate translate tie
        """
    )
)


def _lemma(word: str) -> str | None:
    """Base form of an -ing verb ("solving" -> "solve", "running" -> "run"), or None."""
    w = word.lower()
    if not w.endswith("ing") or len(w) < 5:
        return None
    stem = w[:-3]
    vowels = "aeiou"
    if stem + "e" in _ING_E:
        return stem + "e"
    doubled = len(stem) >= 4 and stem[-1] == stem[-2] and stem[-1] not in "lsz"
    if doubled and stem[-3] in vowels and stem[-4] not in vowels:
        return stem[:-1]  # running -> run, beginning -> begin
    short_cvc = (
        len(stem) <= 4
        and stem[0] not in vowels
        and stem[-1] not in vowels + "wxy"
        and stem[-2] in vowels
        and stem[-3] not in vowels
    )
    return stem + "e" if short_cvc else stem  # shading -> shade; reading -> read


def check_goal(
    text: str, *, plaafp_need: str | None = None, reading: MofNReading | None = None
) -> GoalAnalysis:
    """Find the parts of an IEP goal, judge it SMART, and flag what to fix, with reasons."""
    if not text.strip():
        return _empty(text, plaafp_need)
    r = _Reader(text)
    flags = r.flags

    placeholders = _placeholders(text)
    timeframe = _timeframe(text)
    if timeframe is not None:
        r.claims.take(timeframe.start, timeframe.end)
    region = _measurement_region(text, timeframe)
    r.read_atoms()

    measurement, schedule = _measurement(r, region)

    # Anchor: the learner's verb ("will", or an intent like "plans to").
    anchor = None
    for m in _ANCHOR.finditer(text):
        if timeframe is not None and timeframe.start <= m.start() < timeframe.end:
            continue
        anchor = m
        break
    learner = _learner(text, anchor)
    postsecondary = bool(_POSTSECONDARY.search(text))
    behavior, verb_at = _behavior(r, anchor, timeframe, measurement)
    # A placeholder where the criterion should be ("with X% accuracy") ends the behavior.
    for p in placeholders:
        if behavior is not None and verb_at < p.start < behavior.end and _near_criterion(text, p):
            lead = re.search(
                r"\b(?:in|with|on|across|at|for|scoring)\s+(?:\S+\s+)?$",
                text[verb_at : p.start],
                re.IGNORECASE,
            )
            if lead is not None:
                behavior = _trim_span(text, behavior.start, verb_at + lead.start())
    condition = _condition(r, learner, anchor, timeframe, behavior, measurement)
    if behavior is not None:
        cond_after = _post_condition(r, behavior, measurement, timeframe)
        if cond_after is not None:
            behavior = _trim_span(text, behavior.start, cond_after.start)
            if condition is None:
                condition = cond_after

    # Bare item counts in the behavior are the criterion only when nothing else sets the level.
    if behavior is not None and not any(a.kind in _MAIN_LEVEL_KINDS for a in r.atoms):
        _bare_item_count(r, behavior)
    intent = anchor is not None and anchor.group("intent") is not None
    postsecondary = postsecondary or intent
    if (
        postsecondary
        and behavior is not None
        and not intent
        and all(a.kind is CriterionKind.PROMPT_LEVEL for a in r.atoms)
        and _OUTCOME_VERB.search(text[verb_at : behavior.end])
    ):
        r.add(
            BinaryOutcome(
                outcome=behavior.text, text=behavior.text, start=behavior.start, end=behavior.end
            )
        )

    atoms = sorted(r.atoms, key=lambda a: (a.start, a.end))
    atoms, ambiguities = _readings(text, atoms, reading, flags)

    # ---------------- flags
    for p in placeholders:
        flags.append(
            Flag(
                FlagCode.PLACEHOLDER,
                _("A template placeholder was left in: {text}.").format(text=p.text),
                Severity.ERROR,
                _("Replace it with the real name, date or number."),
                p,
            )
        )
    if intent and anchor is not None:
        span = _span(text, anchor.start(), anchor.end())
        flags.append(
            Flag(
                FlagCode.POSTSECONDARY_INTENT,
                _('"{text}" states a wish, not an outcome that can be observed.').format(
                    text=span.text
                ),
                Severity.ERROR,
                _('Write the outcome itself: "will enroll in ...", "will work ...".'),
                span,
                Fix(span.start, span.end, "will"),
            )
        )
    for rng in r.ranges:
        flags.append(
            Flag(
                FlagCode.RANGE_CRITERION,
                _("A range ({text}) leaves mastery unclear; its lower bound is used.").format(
                    text=rng.text
                ),
                Severity.WARNING,
                _("State one target value."),
                rng,
            )
        )

    vague_verb = _judge_verb(r, behavior, verb_at, atoms, flags)
    specific = (
        behavior is not None and not vague_verb and not _placeholder_in(placeholders, behavior)
    )
    if behavior is None:
        flags.append(
            Flag(
                FlagCode.NO_BEHAVIOR,
                _('No observable behavior was found (expected "<learner> will <action> ...").'),
                Severity.ERROR,
                _('Say what the learner will do: "Maria will read aloud ...".'),
            )
        )

    undefined = _undefined_denominators(text, atoms, flags)
    criterion_placeholder = any(_near_criterion(text, p) for p in placeholders) and not any(
        a.kind in _LEVEL_KINDS for a in atoms
    )
    quantified = [
        a
        for a in atoms
        if a.kind is not CriterionKind.PROMPT_LEVEL
        and not (isinstance(a, IntervalPercent) and a in undefined)
    ]
    unparsed = _unparsed(
        r, atoms, (timeframe, measurement, condition), placeholders, quantified, flags
    )
    if not quantified and not undefined and not criterion_placeholder and not postsecondary:
        verb_flag = next((f.span for f in flags if f.code is FlagCode.VAGUE_VERB and f.span), None)
        vague = [
            m
            for m in _VAGUE_CRITERION.finditer(text)
            if all(not _overlaps(m.start(), m.end(), a.start, a.end) for a in atoms)
            and not (behavior is not None and m.start() == verb_at)
            and not (
                verb_flag is not None
                and _overlaps(m.start(), m.end(), verb_flag.start, verb_flag.end + 1)
            )
            and not _overlaps(
                m.start(), m.end(), *(timeframe.start, timeframe.end) if timeframe else (0, 0)
            )
        ]
        if vague:
            span = _span(text, vague[0].start(), vague[0].end())
            flags.append(
                Flag(
                    FlagCode.VAGUE_CRITERION,
                    _('"{text}" does not say how well or how often.').format(text=span.text),
                    Severity.ERROR,
                    _('Use a number: "with 90% accuracy in 4 of 5 sessions".'),
                    span,
                )
            )
        elif not unparsed and behavior is not None:
            flags.append(
                Flag(
                    FlagCode.NO_CRITERION,
                    _("No criterion says how well or how often the behavior must occur."),
                    Severity.ERROR,
                    _('Add a criterion, e.g. "with 90% accuracy in 4 of 5 opportunities".'),
                    None,
                    _insert_before_end(text, measurement, timeframe, " in 4 of 5 opportunities"),
                )
            )

    time_bound = timeframe is not None and not _placeholder_in(placeholders, timeframe)
    if timeframe is None:
        flags.append(
            Flag(
                FlagCode.NO_TIMEFRAME,
                _("No timeframe says by when the goal will be met."),
                Severity.ERROR,
                _('Start with a date, e.g. "By the annual IEP review, ...".'),
                None,
                _timeframe_fix(text),
            )
        )
    outcome_only = all(
        a.kind in (CriterionKind.BINARY_OUTCOME, CriterionKind.PROMPT_LEVEL) for a in atoms
    )
    if measurement is None and not (postsecondary and outcome_only):
        flags.append(
            Flag(
                FlagCode.NO_MEASUREMENT_METHOD,
                _("The goal does not say how progress will be measured (34 CFR 300.320(a)(3))."),
                Severity.WARNING,
                _(
                    'Add the method and schedule, e.g. "as measured by weekly curriculum-based probes".'
                ),
            )
        )

    _inconsistencies(r, atoms, behavior, verb_at, flags)
    _below_mastery(text, atoms, behavior, condition, flags)
    impossible = any(
        f.code is FlagCode.INCONSISTENT_CRITERIA and f.severity is Severity.ERROR for f in flags
    )
    measurable = (
        specific
        and bool(quantified)
        and not undefined
        and not criterion_placeholder
        and not intent
        and not impossible
    )

    direction = _direction(r, atoms, behavior, verb_at, postsecondary)

    relevant: bool | Unknown = UNKNOWN
    relevant_reason = _("Relevance needs the PLAAFP need; none was given.")
    if plaafp_need is not None and plaafp_need.strip():
        areas = goal_areas(text)
        need_areas = goal_areas(plaafp_need)
        shared = [a for a in areas if a in need_areas]
        overlap = _content_stems(text) & _content_stems(plaafp_need)
        relevant = bool(shared) or len(overlap) >= 2
        relevant_reason = (
            _("The goal and the need share the area(s): {areas}.").format(
                areas=", ".join(str(a) for a in shared)
            )
            if shared
            else _("The goal and the need share the words: {words}.").format(
                words=", ".join(sorted(overlap))
            )
            if relevant
            else _("The goal addresses {goal}; the need is about {need}.").format(
                goal=", ".join(str(a) for a in areas) or _("no known area"),
                need=", ".join(str(a) for a in need_areas) or _("no known area"),
            )
        )
        if not relevant:
            flags.append(
                Flag(
                    FlagCode.NOT_RELEVANT_TO_NEED,
                    relevant_reason,
                    Severity.WARNING,
                    _("Write the goal for the need the PLAAFP names, or name that need."),
                )
            )

    smart = SmartCheck(
        specific=specific,
        measurable=measurable,
        time_bound=time_bound,
        relevant=relevant,
        achievable=UNKNOWN,
        reasons=(
            ("specific", _specific_reason(behavior, vague_verb)),
            ("measurable", _measurable_reason(specific, quantified, undefined, intent)),
            ("achievable", _("Achievability depends on the baseline and the rate of growth.")),
            ("relevant", relevant_reason),
            (
                "time_bound",
                _("Timeframe: {text}.").format(text=timeframe.text)
                if time_bound and timeframe is not None
                else _("No usable timeframe."),
            ),
        ),
    )
    return GoalAnalysis(
        text=text,
        smart=smart,
        timeframe=timeframe,
        condition=condition,
        learner=learner,
        behavior=behavior,
        measurement=measurement,
        schedule=schedule,
        criteria=tuple(atoms),
        direction=direction,
        flags=tuple(_ordered(flags)),
        ambiguities=tuple(ambiguities),
        plaafp_need=plaafp_need,
    )


_SEVERITY_RANK: Final[dict[Severity, int]] = {
    Severity.ERROR: 0,
    Severity.WARNING: 1,
    Severity.INFO: 2,
}


def _ordered(flags: Iterable[Flag]) -> list[Flag]:
    return sorted(
        flags,
        key=lambda f: (_SEVERITY_RANK[f.severity], f.span.start if f.span else -1, str(f.code)),
    )


def _empty(text: str, plaafp_need: str | None) -> GoalAnalysis:
    flag = Flag(
        FlagCode.EMPTY_GOAL,
        _("The goal is empty."),
        Severity.ERROR,
        _("Write the goal: timeframe, condition, learner, behavior, criterion, measurement."),
    )
    reason = _("The goal is empty.")
    return GoalAnalysis(
        text=text,
        smart=SmartCheck(
            specific=False,
            measurable=False,
            time_bound=False,
            relevant=UNKNOWN if plaafp_need is None else False,
            achievable=UNKNOWN,
            reasons=tuple((e, reason) for e in _ELEMENTS),
        ),
        timeframe=None,
        condition=None,
        learner=None,
        behavior=None,
        measurement=None,
        schedule=None,
        criteria=(),
        direction=None,
        flags=(flag,),
        ambiguities=(),
        plaafp_need=plaafp_need,
    )


_ELEMENTS: Final = ("specific", "measurable", "achievable", "relevant", "time_bound")


_TRAILING_WORDS: Final = frozenset(
    _words(
        """
        with at in on for across over by and or of to from the a an during while when using
        scoring achieving reaching earning obtaining maintaining as within given after until per
        each
        """
    )
)


def _trim_span(text: str, start: int, end: int) -> Span | None:
    """The span without trailing punctuation and dangling words ("... passage, with")."""
    while end > start:
        while end > start and text[end - 1] in " \t\n,;:.-–—":
            end -= 1
        i = end
        while i > start and (text[i - 1].isalnum() or text[i - 1] == "_"):
            i -= 1
        if i < end and text[i:end].lower() in _TRAILING_WORDS:
            end = i
            continue
        break
    while start < end and text[start] in " ,;:\t":
        start += 1
    if end <= start:
        return None
    return _span(text, start, end)


def _measurement(r: _Reader, region: tuple[int, int] | None) -> tuple[Span | None, Span | None]:
    if region is None:
        return None, None
    start, end = region
    text = r.text
    kept: list[Criterion] = []
    for atom in r.atoms:
        inside = start <= atom.start < end
        schedule_like = (
            isinstance(atom, Frequency | Consecutive)
            and _MEASURE_NOUN_RE.search(text, start, atom.start) is not None
        ) or (isinstance(atom, Frequency) and atom.per in ("week", "month", "quarter"))
        if inside and schedule_like:
            r.covered.append((atom.start, atom.end))
            continue
        kept.append(atom)
        if inside:
            end = min(end, atom.start)
    r.atoms = kept
    span = _trim_span(text, start, end)
    if span is None:
        return None, None
    schedule = None
    if (s := _SCHEDULE.search(text, span.start, span.end)) is not None:
        schedule = _span(text, s.start(), s.end())
    r.claims.take(span.start, span.end)
    return span, schedule


def _learner(text: str, anchor: re.Match[str] | None) -> Span | None:
    if anchor is None:
        return None
    before = text[: anchor.start()]
    stripped = before.rstrip()
    # Only the last ~6 words can be the subject; this also keeps the search short.
    window_start = max(0, len(stripped) - 60)
    m = _LEARNER.search(stripped, window_start)
    while m is not None:
        cand = m.group("l")
        first = cand.split()[0].lower().strip(",")
        if first not in _NOT_NAMES or cand[:1] in "[(<_" or cand.lower().startswith("the "):
            # A capitalised phrase may start with a condition word: keep the last names only.
            start = m.start("l")
            words = cand.split()
            while words and words[0].lower().strip(",") in _NOT_NAMES and cand[:1] not in "[(<_":
                if cand.lower().startswith("the "):
                    break
                start = text.index(words[1], start) if len(words) > 1 else m.end("l")
                words = words[1:]
            if words:
                return _span(text, start, m.end("l"))
            return None
        nxt = m.start("l") + len(cand.split()[0])
        m = _LEARNER.search(stripped, nxt)
    return None


def _behavior(
    r: _Reader,
    anchor: re.Match[str] | None,
    timeframe: Span | None,
    measurement: Span | None,
) -> tuple[Span | None, int]:
    text = r.text
    if anchor is None:
        return None, 0
    start = anchor.end()
    if anchor.group("intent") and anchor.group(0).lower().startswith("will "):
        start = anchor.start() + len("will ")
    while start < len(text) and text[start] in " \t,":
        start += 1
    # A leading prompt-level atom ("will independently ...") is a criterion, not the behavior.
    moved = True
    while moved:
        moved = False
        for a in r.atoms:
            if a.start == start:
                start = a.end
                while start < len(text) and text[start] in " \t,":
                    start += 1
                moved = True
    verb_at = start
    if w := _WRAPPERS.match(text, start):
        verb_at = w.end()
    cuts = [len(text)]
    if (s := _SENTENCE_END.search(text, verb_at)) is not None:
        cuts.append(s.start())
    if timeframe is not None and timeframe.start > verb_at:
        cuts.append(timeframe.start)
    if measurement is not None and measurement.start > verb_at:
        cuts.append(measurement.start)
    if (p := _PURPOSE.search(text, verb_at)) is not None:
        cuts.append(p.start())
    for a in r.atoms:
        if a.start <= verb_at:
            continue
        if isinstance(a, ItemCount | BinaryOutcome):
            continue
        if isinstance(a, Rate) and not re.search(
            r"\b(?:at|with)\s+(?:a\s+)?(?:(?:rate|pace|speed|fluency)\s+of\s+)?$",
            text[max(0, a.start - 30) : a.start],
            re.IGNORECASE,
        ):
            continue
        cuts.append(a.start)
    end = min(cuts)
    span = _trim_span(text, start, end)
    if span is None:
        return None, verb_at
    return span, max(verb_at, span.start)


def _post_condition(
    r: _Reader, behavior: Span, measurement: Span | None, timeframe: Span | None
) -> Span | None:
    text = r.text
    for m in _POST_CONDITION.finditer(text, behavior.start, behavior.end):
        start = m.start("m")
        if start <= behavior.start + 2:
            continue
        if not r.claims.free(start, start + 1):
            continue
        stop = re.compile(r",|;|\.(?=\s|$)")
        end = behavior.end
        if (s := stop.search(text, m.end(), behavior.end)) is not None:
            end = s.start()
        return _trim_span(text, start, end)
    return None


def _condition(
    r: _Reader,
    learner: Span | None,
    anchor: re.Match[str] | None,
    timeframe: Span | None,
    behavior: Span | None,
    measurement: Span | None,
) -> Span | None:
    text = r.text
    if anchor is None:
        return None
    limit = learner.start if learner is not None else anchor.start()
    segments: list[tuple[int, int]] = []
    if timeframe is not None and timeframe.end <= limit:
        segments = [(0, timeframe.start), (timeframe.end, limit)]
    else:
        segments = [(0, limit)]
    for s0, s1 in segments:
        span = _trim_span(text, s0, s1)
        if span is None:
            continue
        if _PRE_CONDITION.match(span.text) and len(span.text) > 3:
            return span
    return None


def _bare_item_count(r: _Reader, behavior: Span) -> None:
    text = r.text
    for m in _ITEM_BARE.finditer(text, behavior.start, behavior.end):
        if not r.claims.free(m.start(), m.end()):
            continue
        found = _scan_noun(text, m.end(), _ITEM_UNITS, 3)
        if found is None:
            # Any plural noun right after the number counts ("3 job applications").
            for w in _words_after(text, m.end(), 2):
                word = w.group(1).lower()
                if word in _NOT_COUNTED:
                    break
                if word.endswith("s") and not word.endswith("ss") and len(word) > 3:
                    found = (text[m.end() : w.end()].strip(), w.end())
                    break
        if found is None:
            continue
        phrase, end = found
        if end > behavior.end:
            continue
        s, e = r.trimmed(m.start(), end)
        r.add(
            ItemCount(
                count=_int(m.group("c")),
                of=None,
                unit=_unit_text(phrase),
                text=text[s:e],
                start=s,
                end=e,
            )
        )
        return


def _readings(
    text: str,
    atoms: list[Criterion],
    reading: MofNReading | None,
    flags: list[Flag],
) -> tuple[list[Criterion], list[Ambiguity]]:
    """Decide how each M-of-N atom is read, and flag the ones the author must confirm."""
    level = [a for a in atoms if a.kind in _LEVEL_KINDS and a.kind is not CriterionKind.ERROR_LIMIT]
    accuracy = next((a for a in atoms if isinstance(a, Accuracy)), None)
    out: list[Criterion] = []
    ambiguities: list[Ambiguity] = []
    for atom in atoms:
        if not isinstance(atom, MOfN):
            out.append(atom)
            continue
        unit_word = (atom.unit or "").lower().split()[-1:] or [""]
        session_unit = unit_word[0] in _SESSION_UNITS
        if not level:
            # No per-session level: each trial or opportunity passes or fails on its own.
            out.append(replace(atom, reading=reading or MofNReading.ITEMS))
            continue
        if session_unit or accuracy is None:
            out.append(replace(atom, reading=MofNReading.SESSIONS))
            continue
        chosen = reading or MofNReading.SESSIONS
        atom = replace(atom, reading=chosen)
        out.append(atom)
        span_start = min(accuracy.start, atom.start)
        span_end = max(accuracy.end, atom.end)
        span = _span(text, span_start, span_end)
        ambiguities.append(
            Ambiguity(
                FlagCode.AMBIGUOUS_M_OF_N,
                span,
                (MofNReading.SESSIONS, MofNReading.ITEMS),
                chosen,
                reading is not None,
            )
        )
        if reading is None:
            sessions_fix = Fix(atom.start, atom.end, f"{atom.m} of {atom.n} sessions")
            items_fix = Fix(span.start, span.end, f"{atom.m} of {atom.n} items correct")
            flags.append(
                Flag(
                    FlagCode.AMBIGUOUS_M_OF_N,
                    _(
                        '"{text}" has two readings: (a) in {m} of the last {n} sessions the '
                        "session accuracy is at least {p}% (used by default), or (b) {m} correct "
                        "out of {n} items."
                    ).format(
                        text=span.text,
                        m=atom.m,
                        n=atom.n,
                        p=_fmt(accuracy.percent),
                    ),
                    Severity.INFO,
                    _("Confirm the reading, or write it out."),
                    span,
                    sessions_fix,
                    (
                        ReadingOption(
                            MofNReading.SESSIONS,
                            _("in {m} of the last {n} sessions, session accuracy >= {p}%").format(
                                m=atom.m, n=atom.n, p=_fmt(accuracy.percent)
                            ),
                            sessions_fix,
                        ),
                        ReadingOption(
                            MofNReading.ITEMS,
                            _("{m} correct out of {n} items").format(m=atom.m, n=atom.n),
                            items_fix,
                        ),
                    ),
                )
            )
    return out, ambiguities


def _fmt(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)


def _judge_verb(
    r: _Reader,
    behavior: Span | None,
    verb_at: int,
    atoms: list[Criterion],
    flags: list[Flag],
) -> bool:
    """Whether the behavior is vague; flags the vague verb with a fix where one is possible."""
    if behavior is None:
        return False
    text = r.text
    rest = text[verb_at : behavior.end]
    if not rest:
        return True
    by_clause = re.search(r"\bby\s+(?P<adv>[a-z]+ly\s+)?(?P<ger>[a-z]+ing)\b", rest, re.IGNORECASE)
    head = _VAGUE_HEAD.match(rest)
    change = _CHANGE_VERB.match(rest)
    vague = False
    rescued = False
    head_text = ""
    if head is not None:
        head_text = head.group(0)
        vague = True
        rescued = by_clause is not None or bool(
            re.match(
                r"(?i)use\s+(?:[\w-]+\s+){0,3}?(?:skills|strategies)\s*(?:\(|:|such\s+as|including|e\.g\.)",
                rest,
            )
        )
    elif change is not None:
        obj = rest[change.end() :]
        head_text = change.group(0)
        construct = _CONSTRUCT.search(obj[:80])
        defined = _DEFINED.search(obj) is not None
        if construct is not None and not defined:
            vague = True
            is_behavior = _BEHAVIOR_NOUN_VAGUE.search(obj[:80]) is not None
            # A measure that names what is counted defines an academic construct, not a behavior.
            rescued = not is_behavior and any(
                isinstance(a, Rate | BaselineToTarget | Reduction | Frequency | Duration | Rubric)
                or (isinstance(a, IntervalPercent) and a.window is not None)
                or (isinstance(a, IntervalPercent) and a.of.split()[-1] not in ("time",))
                for a in atoms
            )
    elif (near := _VAGUE_OBJECT_NEAR.match(rest)) is not None:
        vague = True
        head_text = near.group(0)
        rescued = _DEFINED.search(rest) is not None
    if not vague:
        return False
    span = _span(text, verb_at, verb_at + len(head_text))
    fix = None
    if rescued and by_clause is not None and head is not None:
        lemma = _lemma(by_clause.group("ger"))
        if lemma is not None:
            fix = Fix(
                verb_at, verb_at + by_clause.end("ger"), (by_clause.group("adv") or "") + lemma
            )
    area = next(iter(goal_areas(text)), None)
    example = _EXAMPLES.get(area, _EXAMPLES[None]) if area else _EXAMPLES[None]
    flags.append(
        Flag(
            FlagCode.VAGUE_VERB,
            _('"{text}" is not an action a stranger could see and count.').format(
                text=span.text.strip()
            )
            if not rescued
            else _(
                '"{text}" is vague; the goal is saved by what follows, but lead with the action.'
            ).format(text=span.text.strip()),
            Severity.WARNING if rescued else Severity.ERROR,
            _('Name the observable action, e.g. "{example}".').format(example=example),
            span,
            fix,
        )
    )
    return not rescued


_EXAMPLES: Final[dict[Area | None, str]] = {
    Area.READING: "read aloud a grade-level passage at 90 words correct per minute",
    Area.WRITING: "write a five-sentence paragraph with a topic sentence and three details",
    Area.MATH: "solve two-digit addition problems with regrouping",
    Area.ARTICULATION: "produce /r/ in the initial position of words",
    Area.LANGUAGE: "answer who, what and where questions about a story read aloud",
    Area.SOCIAL: "greet a peer by name and ask one follow-up question",
    Area.BEHAVIOR: "remain in the assigned area with hands to self",
    Area.FINE_MOTOR: "cut along a straight line within 1/4 inch",
    Area.SELF_CARE: "wash hands following the five steps of a visual checklist",
    Area.EXECUTIVE_FUNCTION: "record each assignment in the planner before leaving class",
    Area.TRANSITION: "complete two job applications",
    None: "identify the main idea of a paragraph",
}


def _specific_reason(behavior: Span | None, vague: bool) -> str:
    if behavior is None:
        return _("No behavior was found.")
    if vague:
        return _('The behavior "{text}" is not observable as written.').format(text=behavior.text)
    return _('Observable behavior: "{text}".').format(text=behavior.text)


def _measurable_reason(
    specific: bool, quantified: list[Criterion], undefined: list[IntervalPercent], intent: bool
) -> str:
    if not specific:
        return _("A goal that is not specific cannot be measured.")
    if intent:
        return _("An intention is not a measurable outcome.")
    if undefined:
        return _('"{text}" has no defined whole to count against.').format(text=undefined[0].text)
    if not quantified:
        return _("No quantified criterion was found.")
    return _("Criterion: {texts}.").format(texts="; ".join(a.text for a in quantified))


def _placeholder_in(placeholders: list[Span], span: Span) -> bool:
    return any(_overlaps(p.start, p.end, span.start, span.end) for p in placeholders)


def _near_criterion(text: str, p: Span) -> bool:
    after = text[p.end : p.end + 30].lower()
    before = text[max(0, p.start - 25) : p.start].lower()
    return bool(
        re.search(r"^\s*(?:%|percent|out\s+of|of\b|/|trials|times|correct|accuracy)", after)
        or re.search(r"(?:with|in|of|out\s+of|/)\s*$", before)
        and not re.search(r"\b(?:by|before|within)\s*$", before)
    )


def _undefined_denominators(
    text: str, atoms: list[Criterion], flags: list[Flag]
) -> list[IntervalPercent]:
    out = []
    for a in atoms:
        if not isinstance(a, IntervalPercent):
            continue
        if _UNDEFINED_OF.match(a.of) is None or a.window is not None:
            continue
        out.append(a)
        of_at = text.lower().find(" of ", a.start, a.end)
        fix = None if of_at == -1 else Fix(of_at + 4, a.end, "observed intervals")
        flags.append(
            Flag(
                FlagCode.UNDEFINED_DENOMINATOR,
                _('"{text}" does not say what the whole is, so it cannot be counted.').format(
                    text=a.text
                ),
                Severity.ERROR,
                _(
                    'Name the whole: "{p}% of 1-minute intervals during a 20-minute observation" '
                    'or "in {m} of 10 opportunities".'
                ).format(p=_fmt(a.percent), m=round(a.percent / 10)),
                _span(text, a.start, a.end),
                fix,
            )
        )
    return out


def _unparsed(
    r: _Reader,
    atoms: list[Criterion],
    parts: tuple[Span | None, ...],
    placeholders: list[Span],
    quantified: list[Criterion],
    flags: list[Flag],
) -> bool:
    text = r.text
    covered = [(a.start, a.end) for a in atoms] + r.covered
    covered += [(p.start - 25, p.end + 25) for p in placeholders]
    for part in parts:
        if part is not None:
            covered.append((part.start, part.end))
    for m in _CRITERION_CUE.finditer(text):
        if any(_overlaps(m.start(), m.end(), s, e) for s, e in covered):
            continue
        span = _span(text, m.start(), m.end())
        flags.append(
            Flag(
                FlagCode.CRITERION_UNPARSED,
                _('"{text}" looks like a criterion but could not be read.').format(text=span.text),
                Severity.WARNING if quantified else Severity.ERROR,
                _(
                    'Write it in a standard form: "with 80% accuracy", "in 4 of 5 trials", '
                    '"across 3 consecutive sessions", "90 words correct per minute".'
                ),
                span,
            )
        )
        return True
    return False


def _insert_before_end(
    text: str, measurement: Span | None, timeframe: Span | None, insert: str
) -> Fix | None:
    positions = [len(text.rstrip().rstrip("."))]
    for span in (measurement, timeframe):
        if span is not None and span.start > len(text) // 2:
            positions.append(span.start)
    at = min(positions)
    while at > 0 and text[at - 1] in " ,":
        at -= 1
    return Fix(at, at, insert)


_LOWERABLE = _rx(r"^(?:the|given|when|during|in|with|after|using|while|upon|following|at|a|an)\b")


def _timeframe_fix(text: str) -> Fix:
    lead = len(text) - len(text.lstrip())
    if _LOWERABLE.match(text[lead:]):
        return Fix(lead, lead + 1, "By the annual IEP review, " + text[lead].lower())
    return Fix(lead, lead, "By the annual IEP review, ")


def _inconsistencies(
    r: _Reader, atoms: list[Criterion], behavior: Span | None, verb_at: int, flags: list[Flag]
) -> None:
    text = r.text

    def flag(
        message: str, span: Span | None, severity: Severity, suggestion: str, fix: Fix | None = None
    ) -> None:
        flags.append(Flag(FlagCode.INCONSISTENT_CRITERIA, message, severity, suggestion, span, fix))

    for a in atoms:
        if isinstance(a, MOfN) and a.m > a.n:
            flag(
                _('"{text}": {m} cannot be more than {n}.').format(text=a.text, m=a.m, n=a.n),
                _span(text, a.start, a.end),
                Severity.ERROR,
                _("Swap or correct the numbers."),
            )
        if isinstance(a, ItemCount) and a.of is not None and a.count > a.of:
            flag(
                _('"{text}": {m} cannot be more than {n}.').format(text=a.text, m=a.count, n=a.of),
                _span(text, a.start, a.end),
                Severity.ERROR,
                _("Swap or correct the numbers."),
            )
        if isinstance(a, Accuracy | IntervalPercent) and a.percent > 100:
            flag(
                _('"{text}": a percent above 100 cannot be reached.').format(text=a.text),
                _span(text, a.start, a.end),
                Severity.ERROR,
                _("Use a percent from 0 to 100."),
            )
    accuracy = next((a for a in atoms if isinstance(a, Accuracy)), None)
    errors = next(
        (a for a in atoms if isinstance(a, ErrorLimit) and a.max_errors is not None), None
    )
    items = next((a for a in atoms if isinstance(a, ItemCount) and a.of is not None), None)
    n_items: int | None = items.of if items is not None else None
    if n_items is None:
        m = re.search(
            rf"\b(?P<n>{NUM})[- ](?:item|problem|question|word)s?\b|\bof\s+(?P<n2>{NUM})\s+"
            r"(?:items|problems|questions|words)\b",
            text,
            re.IGNORECASE,
        )
        if m is not None:
            n_items = _int(m.group("n") or m.group("n2"))
        elif behavior is not None:
            m = re.search(
                rf"(?<!\bof\s)\b(?P<n>{NUM})\s+(?:[\w-]+\s+){{0,2}}?(?:items|problems|questions|words|facts)\b",
                behavior.text,
                re.IGNORECASE,
            )
            if m is not None:
                n_items = _int(m.group("n"))
    if accuracy is not None and errors is not None and errors.max_errors is not None:
        p = accuracy.percent
        allowed_share = max(0.0, 100.0 - p)
        span = _span(text, min(accuracy.start, errors.start), max(accuracy.end, errors.end))
        if n_items:
            implied = math.floor(n_items * allowed_share / 100 + 1e-9)
            if errors.max_errors > implied:
                flag(
                    _(
                        "{e} errors on {n} items is {acc}% accuracy, below the {p}% also required."
                    ).format(
                        e=errors.max_errors,
                        n=n_items,
                        acc=_fmt(round(100 * (n_items - errors.max_errors) / n_items, 1)),
                        p=_fmt(p),
                    ),
                    span,
                    Severity.ERROR,
                    _("Keep one criterion, or make them agree: at most {k} errors.").format(
                        k=implied
                    ),
                    Fix(errors.start, errors.end, f"no more than {implied} errors"),
                )
        elif allowed_share == 0 and errors.max_errors > 0:
            flag(
                _("{p}% accuracy allows no errors, but {e} are allowed.").format(
                    p=_fmt(p), e=errors.max_errors
                ),
                span,
                Severity.ERROR,
                _("Keep one criterion."),
            )
        elif errors.max_errors > 0:
            need = math.ceil(errors.max_errors * 100 / allowed_share - 1e-9)
            flag(
                _(
                    "Two limits on the same items: {e} errors and {p}% accuracy agree only on "
                    "probes of at least {k} items, and the number of items is not stated."
                ).format(e=errors.max_errors, p=_fmt(p), k=need),
                span,
                Severity.WARNING,
                _("State the number of items, or keep one criterion."),
            )
    if accuracy is not None and items is not None and items.of:
        ratio = 100 * items.count / items.of
        if abs(ratio - accuracy.percent) > 0.5 and items.start > accuracy.start - 80:
            flag(
                _('"{a}" and "{b}" ({r}%) disagree.').format(
                    a=accuracy.text, b=items.text, r=_fmt(round(ratio, 1))
                ),
                _span(text, min(accuracy.start, items.start), max(accuracy.end, items.end)),
                Severity.ERROR,
                _("Make the percent and the count agree."),
            )
    # A decrease verb with a target above the baseline, or the reverse.
    if behavior is not None:
        head = text[verb_at : behavior.end]
        verb_down = _DECREASE_VERB.match(head) is not None
        verb_up = (
            re.match(r"(?i)(?:increase|improve|raise|expand|extend|lengthen)", head) is not None
        )
        for a in atoms:
            up = isinstance(a, BaselineToTarget) and a.baseline is not None and a.target is not None
            down = isinstance(a, Reduction) and a.baseline is not None
            if (verb_down and up) or (verb_up and down):
                flag(
                    _('The verb says {v} but "{t}" goes the other way.').format(
                        v=_("decrease") if verb_down else _("increase"), t=a.text
                    ),
                    _span(text, a.start, a.end),
                    Severity.ERROR,
                    _("Check the baseline and the target, or the verb."),
                )


def _below_mastery(
    text: str,
    atoms: list[Criterion],
    behavior: Span | None,
    condition: Span | None,
    flags: list[Flag],
) -> None:
    scope = " ".join(s.text for s in (behavior, condition) if s is not None) or text
    if not _DISCRETE.search(scope):
        return
    for a in atoms:
        if isinstance(a, Accuracy) and a.percent < 90:
            num = re.search(rf"{NUM}", a.text, re.IGNORECASE)
            fix = None
            if num is not None and a.percent == _number(num.group(0)):
                fix = Fix(a.start + num.start(), a.start + num.end(), "90")
            flags.append(
                Flag(
                    FlagCode.BELOW_MASTERY_THRESHOLD,
                    _(
                        "{p}% is below 90% for a discrete skill; mastery at 80% tends not to last "
                        "(Longino, Richling et al. 2021; Bangor 2021; PROGRESS.md 1.7)."
                    ).format(p=_fmt(a.percent)),
                    Severity.WARNING,
                    _("Use 90% or higher for discrete skills."),
                    _span(text, a.start, a.end),
                    fix,
                )
            )
            return
        if (
            isinstance(a, IntervalPercent)
            and a.comparator is Comparator.MIN
            and a.percent < 90
            and a.of.split()[-1]
            in ("opportunities", "trials", "attempts", "responses", "productions")
        ):
            flags.append(
                Flag(
                    FlagCode.BELOW_MASTERY_THRESHOLD,
                    _(
                        "{p}% is below 90% for a discrete skill; mastery at 80% tends not to last "
                        "(Longino, Richling et al. 2021; Bangor 2021; PROGRESS.md 1.7)."
                    ).format(p=_fmt(a.percent)),
                    Severity.WARNING,
                    _("Use 90% or higher for discrete skills."),
                    _span(text, a.start, a.end),
                )
            )
            return
        if isinstance(a, ItemCount) and a.of:
            a_count, a_of, unit = a.count, a.of, a.unit
        elif isinstance(a, MOfN) and a.reading is MofNReading.ITEMS and a.n:
            a_count, a_of, unit = a.m, a.n, a.unit
        else:
            continue
        if 100 * a_count / a_of < 90:
            flags.append(
                Flag(
                    FlagCode.BELOW_MASTERY_THRESHOLD,
                    _(
                        "{m} of {n} is below 90% for a discrete skill; mastery at 80% tends not to "
                        "last (Longino, Richling et al. 2021; Bangor 2021; PROGRESS.md 1.7)."
                    ).format(m=a_count, n=a_of),
                    Severity.WARNING,
                    _("Use 90% or higher for discrete skills."),
                    _span(text, a.start, a.end),
                    Fix(
                        a.start,
                        a.end,
                        f"{math.ceil(0.9 * a_of)} of {a_of}" + (f" {unit}" if unit else ""),
                    ),
                )
            )
            return


def _direction(
    r: _Reader,
    atoms: list[Criterion],
    behavior: Span | None,
    verb_at: int,
    postsecondary: bool,
) -> Direction | None:
    if behavior is None or postsecondary:
        return None
    for a in atoms:
        if isinstance(a, BaselineToTarget) and a.baseline is not None and a.target is not None:
            return Direction.INCREASE if a.target >= a.baseline else Direction.DECREASE
        if isinstance(a, Reduction):
            return Direction.DECREASE
    head = r.text[verb_at : behavior.end]
    if _NEGATIVE_VERB.match(head):
        return Direction.DECREASE
    if re.match(r"(?i)(?:increase|improve|raise|expand|extend|lengthen|maximize)", head):
        return Direction.INCREASE
    # Latency, a maximum duration or a ceiling percent set a decreasing measure, unless another
    # atom counts successes (then the graphed measure is the share of successes).
    down = [
        a
        for a in atoms
        if isinstance(a, Latency)
        or (isinstance(a, Duration | IntervalPercent) and a.comparator is Comparator.MAX)
    ]
    up = [
        a
        for a in atoms
        if isinstance(a, Accuracy | Rate | MOfN | Frequency | ItemCount | Rubric)
        or (isinstance(a, IntervalPercent) and a.comparator is Comparator.MIN)
    ]
    if down and not up:
        return Direction.DECREASE
    return Direction.INCREASE


# --------------------------------------------------------------------------- accommodations

_VAGUE_ACCOMMODATION = _rx(
    r"\b(?:as|when|if|where)\s+(?:needed|necessary|appropriate|required|possible|warranted|"
    r"deemed\s+(?:necessary|appropriate|needed))\b|\bas\s+deemed\s+(?:necessary|appropriate)\b|"
    r"\bat\s+(?:the\s+)?(?:teacher'?s?|staff'?s?)\s+discretion\b|\bwhen\s+available\b|"
    r"\bupon\s+request\b|\bon\s+request\b"
)
_WHO = _rx(
    r"\b(?:student|he|she|they|[A-Z][a-z]+)\s+(?:requests?|asks?|signals?|indicates?|chooses?|"
    r"initiates?|shows\s+(?:the|a)\s+(?:\w+\s+)?card|uses?\s+(?:a|the|his|her|their)\s+(?:\w+\s+)?"
    r"(?:card|signal|pass))\b|\b(?:at|upon|on)\s+(?:the\s+)?(?:student'?s|his|her|their)\s+(?:own\s+)?"
    r"request\b|\brequested\s+by\b|\b(?:determined|decided|judged|chosen|initiated|offered|prompted|"
    r"approved)\s+by\s+(?:the\s+)?\w+|\b(?:student|teacher|staff)[- ]initiated\b|\bupon\s+student\s+request\b"
)
_WHEN = _rx(
    r"\b(?:during|for|on)\s+(?:all\s+|any\s+|each\s+|every\s+)?(?:[\w-]+\s+){0,2}?(?:tests?|quizzes|"
    r"assessments?|exams?|assignments?|independent\s+work|writing\s+tasks?|projects?|homework|"
    r"classwork|lectures?|transitions?|fire\s+drills?|assemblies|lunch|recess|state\s+testing)\b|"
    r"\bwhen\s+(?:the\s+)?(?:student|he|she|they)\s+(?:shows?|displays?|exhibits?|becomes?|appears?|is|"
    r"feels?|reports?|has|puts|gets)\b|\b(?:more|longer|greater|fewer)\s+than\s+[0-9]+\b|"
    r"\bevery\s+[0-9]+\b|\bafter\s+(?:every|each)\b|\b[0-9]+\s+(?:minutes?|pages?|items?|problems?)\b"
)


def check_accommodation(text: str) -> list[Flag]:
    """Flag vague wording ("as needed", "when appropriate") that does not say who decides or when."""
    flags: list[Flag] = []
    if _WHO.search(text) or _WHEN.search(text):
        return flags
    for m in _VAGUE_ACCOMMODATION.finditer(text):
        span = _span(text, m.start(), m.end())
        flags.append(
            Flag(
                FlagCode.VAGUE_ACCOMMODATION,
                _('"{text}" does not say who decides or when, so it cannot be checked.').format(
                    text=span.text
                ),
                Severity.WARNING,
                _(
                    'Say who decides and when, e.g. "when the student requests it with a break '
                    'card" or "during tests and quizzes".'
                ),
                span,
                Fix(span.start, span.end, "when the student requests it"),
            )
        )
    return flags


def _mark(value: object) -> str:
    return "yes" if value is True else "no" if value is False else str(value)


def explain(analysis: GoalAnalysis) -> str:
    """A readable summary of an analysis, for people at a terminal."""
    lines: list[str] = []
    s = analysis.smart
    lines.append(
        f"SMART: specific {_mark(s.specific)}, measurable {_mark(s.measurable)}, "
        f"achievable {_mark(s.achievable)}, relevant {_mark(s.relevant)}, "
        f"time-bound {_mark(s.time_bound)}"
    )
    for name in ("timeframe", "condition", "learner", "behavior", "measurement"):
        span = getattr(analysis, name)
        lines.append(f"  {name:<12} {span.text if span is not None else '-'}")
    if analysis.criteria:
        lines.append("Criteria:")
        for a in analysis.criteria:
            detail = ", ".join(
                f"{k}={v}"
                for k, v in criterion_json(a).items()
                if k not in ("kind", "text", "start", "end") and v is not None
            )
            lines.append(f"  {a.kind}: {a.text!r} ({detail})")
    lines.append(f"Direction: {analysis.direction or '-'}")
    if analysis.flags:
        lines.append("Flags:")
        for f in analysis.flags:
            lines.append(f"  [{f.severity}] {f.code}: {f.message}")
            lines.append(f"      fix: {f.suggestion}")
    return "\n".join(lines)
