"""The goal checker: read the goal once, run the list of checks, give the SMART verdict."""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Final

from tandem.rules.goals.areas import goal_areas
from tandem.rules.goals.checks import (
    ActivityNotOutcome,
    AmbiguousMOfN,
    CriterionUnparsed,
    GoalCheck,
    NoBehavior,
    NoCriterion,
    NoMeasurementMethod,
    NoTimeframe,
    NotRelevantToNeed,
    Placeholder,
    PostsecondaryIntent,
    RangeCriterion,
    UndefinedDenominator,
    VagueCriterion,
    VagueVerb,
)
from tandem.rules.goals.consistency import (
    BelowMasteryThreshold,
    CountAboveTotal,
    CountAgainstPercent,
    ErrorsAgainstAccuracy,
    VerbAgainstTarget,
)
from tandem.rules.goals.lexicon import span_of
from tandem.rules.goals.model import (
    JSON,
    UNKNOWN,
    Accuracy,
    Ambiguity,
    Area,
    BaselineToTarget,
    Comparator,
    Criterion,
    CriterionKind,
    Direction,
    Duration,
    ErrorLimit,
    Fix,
    Flag,
    FlagCode,
    Frequency,
    IntervalPercent,
    ItemCount,
    Latency,
    MOfN,
    MofNReading,
    Prompt,
    Rate,
    Reduction,
    Rubric,
    ScaleScore,
    Severity,
    Span,
    Unknown,
    _,
    criterion_json,
    text_of,
)
from tandem.rules.goals.sentence import Sentence, read_sentence
from tandem.rules.vagueness import vague_condition

# The checks in the order their findings are listed when severity and place tie.
DEFAULT_CHECKS: Final[tuple[GoalCheck, ...]] = (
    AmbiguousMOfN(),
    Placeholder(),
    PostsecondaryIntent(),
    RangeCriterion(),
    VagueVerb(),
    ActivityNotOutcome(),
    NoBehavior(),
    UndefinedDenominator(),
    CriterionUnparsed(),
    VagueCriterion(),
    NoCriterion(),
    NoTimeframe(),
    NoMeasurementMethod(),
    CountAboveTotal(),
    ErrorsAgainstAccuracy(),
    CountAgainstPercent(),
    VerbAgainstTarget(),
    BelowMasteryThreshold(),
    NotRelevantToNeed(),
)


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
                "timeframe": text_of(self.timeframe),
                "condition": text_of(self.condition),
                "learner": text_of(self.learner),
                "behavior": text_of(self.behavior),
                "measurement": text_of(self.measurement),
            },
            "criteria": [criterion_json(a) for a in self.criteria],
            "direction": None if self.direction is None else str(self.direction),
            "flags": [f.to_json() for f in self.flags],
        }


def check_goal(
    text: str,
    *,
    plaafp_need: str | None = None,
    reading: MofNReading | None = None,
    checks: Sequence[GoalCheck] = DEFAULT_CHECKS,
) -> GoalAnalysis:
    """Find the parts of an IEP goal, judge it SMART, and flag what to fix, with reasons."""
    if not text.strip():
        return _empty(text, plaafp_need)
    goal = read_sentence(text, plaafp_need=plaafp_need, reading=reading)
    flags = [flag for check in checks for flag in check.check(goal)]
    return GoalAnalysis(
        text=text,
        smart=verdict(goal, flags),
        timeframe=goal.timeframe,
        condition=goal.clause.condition,
        learner=goal.clause.learner,
        behavior=goal.behavior,
        measurement=goal.measurement,
        schedule=goal.schedule,
        criteria=goal.criteria,
        direction=direction(goal),
        flags=tuple(ordered(flags)),
        ambiguities=goal.ambiguities,
        plaafp_need=plaafp_need,
    )


# --------------------------------------------------------------------------- the verdict


def verdict(goal: Sentence, flags: Sequence[Flag]) -> SmartCheck:
    """Specific, measurable and time-bound from the reading and the findings, with reasons."""
    behavior, timeframe = goal.behavior, goal.timeframe
    vague = goal.vague_verb is not None and not goal.vague_verb.rescued
    vague = vague or (goal.activity is not None and not goal.activity.process)
    specific = behavior is not None and not vague and not goal.placeholder_in(behavior)
    intent = goal.clause.intent is not None
    impossible = any(
        f.code is FlagCode.INCONSISTENT_CRITERIA and f.severity is Severity.ERROR for f in flags
    )
    quantified = goal.quantified
    measurable = (
        specific
        and bool(quantified)
        and not goal.undefined
        and not goal.criterion_placeholder
        and not intent
        and not impossible
    )
    time_bound = timeframe is not None and not goal.placeholder_in(timeframe)
    return SmartCheck(
        specific=specific,
        measurable=measurable,
        time_bound=time_bound,
        relevant=goal.relevance.relevant,
        achievable=UNKNOWN,
        reasons=(
            ("specific", _specific_reason(behavior, vague)),
            ("measurable", _measurable_reason(specific, quantified, goal.undefined, intent)),
            ("achievable", _("Achievability depends on the baseline and the rate of growth.")),
            ("relevant", goal.relevance.reason),
            (
                "time_bound",
                _("Timeframe: {text}.").format(text=timeframe.text)
                if time_bound and timeframe is not None
                else _("No usable timeframe."),
            ),
        ),
    )


def _specific_reason(behavior: Span | None, vague: bool) -> str:
    if behavior is None:
        return _("No behavior was found.")
    if vague:
        return _('The behavior "{text}" is not observable as written.').format(text=behavior.text)
    return _('Observable behavior: "{text}".').format(text=behavior.text)


def _measurable_reason(
    specific: bool,
    quantified: list[Criterion],
    undefined: tuple[IntervalPercent, ...],
    intent: bool,
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


_SEVERITY_RANK: Final[dict[Severity, int]] = {
    Severity.ERROR: 0,
    Severity.WARNING: 1,
    Severity.INFO: 2,
}


def ordered(flags: Iterable[Flag]) -> list[Flag]:
    """Errors first, then warnings, then notes; in reading order within each."""
    return sorted(
        flags,
        key=lambda f: (_SEVERITY_RANK[f.severity], f.span.start if f.span else -1, str(f.code)),
    )


_ELEMENTS: Final = ("specific", "measurable", "achievable", "relevant", "time_bound")


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


# --------------------------------------------------------------------------- direction

_NEGATIVE_VERB = re.compile(
    r"^(?:not\s|refrain\s+from|stop\b|cease\b|avoid\b|no\s+longer|decrease|reduce|eliminate|minimize|"
    r"have\s+fewer|lower|limit)",
    re.IGNORECASE,
)
_INCREASE_VERB = re.compile(
    r"(?:increase|improve|raise|expand|extend|lengthen|maximize)", re.IGNORECASE
)


def direction(goal: Sentence) -> Direction | None:
    """Whether the measure should go up or down; None for postsecondary outcomes."""
    behavior = goal.behavior
    if behavior is None or goal.clause.postsecondary:
        return None
    for a in goal.criteria:
        if isinstance(a, BaselineToTarget) and a.baseline is not None and a.target is not None:
            return Direction.INCREASE if a.target >= a.baseline else Direction.DECREASE
        if isinstance(a, Reduction):
            return Direction.DECREASE
    head = goal.text[goal.verb_at : behavior.end]
    if _NEGATIVE_VERB.match(head):
        return Direction.DECREASE
    if _INCREASE_VERB.match(head):
        return Direction.INCREASE
    # A ceiling (latency, a maximum, "or fewer", "no more than 2 prompts") sets a decreasing
    # measure, unless another atom sets a floor or counts successes; M of N and consecutive runs
    # read per session say how often, not which way.
    down = any(_measures_down(a) for a in goal.criteria)
    up = any(_measures_up(a) for a in goal.criteria)
    return Direction.DECREASE if down and not up else Direction.INCREASE


def _measures_down(a: Criterion) -> bool:
    """A ceiling: the measure should stay under it (latency, "no more than", "or fewer")."""
    if isinstance(a, Latency | ErrorLimit):
        return True
    if isinstance(a, Duration | IntervalPercent | Rubric | ScaleScore | Frequency | Prompt):
        return a.comparator is Comparator.MAX
    return False


def _measures_up(a: Criterion) -> bool:
    """A floor, or a count of successes (an M of N read as trials correct)."""
    if isinstance(a, Accuracy | Rate | ItemCount):
        return True
    if isinstance(a, MOfN):
        # Read per session, "in 4 of 5 sessions" only says how often the level is met.
        return a.reading is MofNReading.ITEMS
    if isinstance(a, Duration | IntervalPercent | Rubric | ScaleScore | Frequency):
        return a.comparator is Comparator.MIN
    return False


# --------------------------------------------------------------------------- accommodations


def check_accommodation(text: str, *, when: str = "", who: str = "") -> list[Flag]:
    """Flag vague wording ("as needed", "when appropriate") that does not say who decides or when."""
    flags = []
    for v in vague_condition(text, when=when, who=who):
        if v.field != "text":
            continue
        span = span_of(text, v.start, v.end)
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
