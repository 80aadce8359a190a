"""The SMART goal checker: reads an English IEP goal, finds its parts, judges it, explains why.

Pure Python (stdlib `re` only), deterministic and fast. Every component and criterion atom is an
exact slice of the input text, so a UI can highlight it. What the checker cannot read it says so
with a flag, it never guesses silently. The research behind the flags is in PROGRESS.md sections
1.7 (mastery criteria), 2 (goal-quality rubrics) and 3 (criterion kinds).

The package, in reading order:

- `model`: the values (criterion atoms, flags, spans, enums);
- `lexicon`, `patterns`: numbers, unit words and the criterion patterns;
- `reader`: the sentence reader shared by the extractors;
- `criteria`, `limits`, `scales`: the criterion extractors (scales: percentiles, Lexiles, DRA
  and F&P levels, scaled scores); `frame`, `clauses`: the part extractors
  (timeframe and measurement; learner, behavior and condition);
- `sentence`: reads a goal once into a `Sentence`;
- `checks`, `consistency`: the checks, small classes with a code, a message and a citation;
- `checker`: `check_goal` runs the list of checks and gives the SMART verdict;
- `record`: the analysis as stored with a goal, and back.

Vague wording is judged by tandem.rules.vagueness, shared with the accommodations.
"""

from tandem.rules.goals.areas import goal_areas
from tandem.rules.goals.checker import (
    DEFAULT_CHECKS,
    GoalAnalysis,
    SmartCheck,
    check_accommodation,
    check_goal,
)
from tandem.rules.goals.checks import GoalCheck
from tandem.rules.goals.explain import explain
from tandem.rules.goals.model import (
    DEFAULT_PROMPT_HIERARCHY,
    JSON,
    UNKNOWN,
    Accuracy,
    Ambiguity,
    Area,
    BaselineToTarget,
    BinaryOutcome,
    Comparator,
    Consecutive,
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
    Precision,
    Prompt,
    PromptLevel,
    Rate,
    ReadingOption,
    Reduction,
    Rubric,
    ScaleScore,
    Severity,
    Span,
    Unknown,
    criterion_json,
    prompt_within,
)
from tandem.rules.goals.record import CHECKER_VERSION, from_record, to_record
from tandem.rules.goals.sentence import Sentence, read_sentence

__all__ = [
    "CHECKER_VERSION",
    "DEFAULT_CHECKS",
    "DEFAULT_PROMPT_HIERARCHY",
    "JSON",
    "UNKNOWN",
    "Accuracy",
    "Ambiguity",
    "Area",
    "BaselineToTarget",
    "BinaryOutcome",
    "Comparator",
    "Consecutive",
    "Criterion",
    "CriterionKind",
    "Direction",
    "Duration",
    "ErrorLimit",
    "Fix",
    "Flag",
    "FlagCode",
    "Frequency",
    "GoalAnalysis",
    "GoalCheck",
    "IntervalPercent",
    "ItemCount",
    "Latency",
    "MOfN",
    "MofNReading",
    "Precision",
    "Prompt",
    "PromptLevel",
    "Rate",
    "ReadingOption",
    "Reduction",
    "Rubric",
    "ScaleScore",
    "Sentence",
    "Severity",
    "SmartCheck",
    "Span",
    "Unknown",
    "check_accommodation",
    "check_goal",
    "criterion_json",
    "explain",
    "from_record",
    "goal_areas",
    "prompt_within",
    "read_sentence",
    "to_record",
]
