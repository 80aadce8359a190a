"""The goal checker's values: criterion atoms, flags, spans and enums (plain, frozen data)."""

from __future__ import annotations

import math
from dataclasses import dataclass, field, fields
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
    SCALE_SCORE = "scale_score"  # a score or level on a named test or scale


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
    ACTIVITY_NOT_OUTCOME = "activity_not_outcome"


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
    citation: str = ""  # where the law or the research says so

    def to_json(self) -> dict[str, JSON]:
        out: dict[str, JSON] = {
            "code": str(self.code),
            "message": self.message,
            "severity": str(self.severity),
            "suggestion": self.suggestion,
            "span": _span_json(self.span),
            "fix": _fix_json(self.fix),
            "citation": self.citation or None,
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
    comparator: Comparator = Comparator.MIN  # "3 or lower on a 5-point scale" is a ceiling
    text: str
    start: int
    end: int


@dataclass(frozen=True, slots=True, kw_only=True)
class Prompt:
    kind: CriterionKind = field(default=CriterionKind.PROMPT_LEVEL, init=False)
    level: PromptLevel | None  # the most intrusive prompt allowed; None if the type is unstated
    max_prompts: int | None
    # MAX when the count is a ceiling ("no more than 2 prompts"): a criterion on its own.
    comparator: Comparator | None = None
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
class ScaleScore:
    """A score or level on a named test or scale: a percentile, a Lexile, a DRA or F&P level."""

    kind: CriterionKind = field(default=CriterionKind.SCALE_SCORE, init=False)
    value: float | None  # None for a letter level ("F&P level M")
    level: str  # as written: "40", "650L", "M"
    scale: str  # "percentile", "lexile", "dra", "fountas_pinnell", "scaled_score", ...
    test: str | None  # "i-Ready Reading Diagnostic"
    comparator: Comparator
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
    | ScaleScore
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


def text_of(span: Span | None) -> str | None:
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


TARGET_KINDS: Final = frozenset(
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
        CriterionKind.SCALE_SCORE,
    }
)
# Atoms that set the level; M-of-N and consecutive say how often, prompt level how independently.
MAIN_LEVEL_KINDS: Final = frozenset(
    {
        CriterionKind.ACCURACY,
        CriterionKind.RATE,
        CriterionKind.INTERVAL_PERCENT,
        CriterionKind.RUBRIC,
        CriterionKind.FREQUENCY,
        CriterionKind.REDUCTION,
        CriterionKind.BASELINE_TO_TARGET,
        CriterionKind.ITEM_COUNT,
        CriterionKind.SCALE_SCORE,
    }
)
LEVEL_KINDS: Final = frozenset(
    set(CriterionKind)
    - {CriterionKind.M_OF_N, CriterionKind.CONSECUTIVE, CriterionKind.PROMPT_LEVEL}
)


def target_value(atom: Criterion) -> float | None:
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
    if isinstance(atom, ScaleScore):
        return atom.value
    return None


def fmt(value: float) -> str:
    return str(int(value)) if value == int(value) else str(value)
