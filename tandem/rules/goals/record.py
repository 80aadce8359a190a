"""The analysis as stored with a goal, and back: checked once when the goal is saved, then read.

`to_record` is `GoalAnalysis.to_json()` (what the API, the CLI and the progress pages read) plus
what it takes to rebuild the whole analysis: the text, the spans of the parts, the reasons of the
verdict, the readings, and the version of the checker. `from_record` rebuilds it, or says None
when the record is missing, malformed or written by another version of the checker: the caller
then checks the goal again.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import fields
from enum import StrEnum
from typing import Any, Final

from tandem.rules.goals.checker import GoalAnalysis, SmartCheck
from tandem.rules.goals.model import (
    JSON,
    UNKNOWN,
    Accuracy,
    Ambiguity,
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
)

# Raise it whenever the checker reads or judges a goal differently: older records are re-checked.
CHECKER_VERSION: Final = 2

_PARTS: Final = ("timeframe", "condition", "learner", "behavior", "measurement", "schedule")
_ATOMS: Final[dict[str, type[Criterion]]] = {
    CriterionKind.ACCURACY: Accuracy,
    CriterionKind.M_OF_N: MOfN,
    CriterionKind.CONSECUTIVE: Consecutive,
    CriterionKind.RATE: Rate,
    CriterionKind.ERROR_LIMIT: ErrorLimit,
    CriterionKind.DURATION: Duration,
    CriterionKind.LATENCY: Latency,
    CriterionKind.FREQUENCY: Frequency,
    CriterionKind.REDUCTION: Reduction,
    CriterionKind.INTERVAL_PERCENT: IntervalPercent,
    CriterionKind.RUBRIC: Rubric,
    CriterionKind.PROMPT_LEVEL: Prompt,
    CriterionKind.PRECISION: Precision,
    CriterionKind.ITEM_COUNT: ItemCount,
    CriterionKind.BASELINE_TO_TARGET: BaselineToTarget,
    CriterionKind.BINARY_OUTCOME: BinaryOutcome,
    CriterionKind.SCALE_SCORE: ScaleScore,
}
_ENUMS: Final[dict[str, type[StrEnum]]] = {
    "MofNReading": MofNReading,
    "Comparator": Comparator,
    "PromptLevel": PromptLevel,
}


class _Malformed(Exception):
    pass


def to_record(analysis: GoalAnalysis) -> dict[str, JSON]:
    """The analysis as stored with a goal (a superset of `to_json()`)."""
    record = analysis.to_json()
    confirmed = next((a for a in analysis.ambiguities if a.confirmed), None)
    record.update(
        {
            "version": CHECKER_VERSION,
            "text": analysis.text,
            "plaafp_need": analysis.plaafp_need,
            "spans": {name: _span_json(getattr(analysis, name)) for name in _PARTS},
            "reasons": [[element, why] for element, why in analysis.smart.reasons],
            "ambiguities": [
                {
                    "code": str(a.code),
                    "span": _span_json(a.span),
                    "readings": [str(r) for r in a.readings],
                    "chosen": str(a.chosen),
                    "confirmed": a.confirmed,
                }
                for a in analysis.ambiguities
            ],
            "reading": None if confirmed is None else str(confirmed.chosen),
            "reading_confirmed": confirmed is not None,
        }
    )
    return record


def from_record(record: Mapping[str, Any] | None) -> GoalAnalysis | None:
    """The analysis stored with a goal, or None when it must be checked again."""
    if not record or record.get("version") != CHECKER_VERSION:
        return None
    try:
        return _analysis(record)
    except (_Malformed, KeyError, TypeError, ValueError, AttributeError):
        return None


def _analysis(record: Mapping[str, Any]) -> GoalAnalysis:
    spans = record["spans"]
    direction = record["direction"]
    return GoalAnalysis(
        text=_str(record["text"]),
        smart=_smart(record["smart"], record["reasons"]),
        timeframe=_span(spans["timeframe"]),
        condition=_span(spans["condition"]),
        learner=_span(spans["learner"]),
        behavior=_span(spans["behavior"]),
        measurement=_span(spans["measurement"]),
        schedule=_span(spans["schedule"]),
        criteria=tuple(_atom(a) for a in record["criteria"]),
        direction=None if direction is None else Direction(direction),
        flags=tuple(_flag(f) for f in record["flags"]),
        ambiguities=tuple(_ambiguity(a) for a in record["ambiguities"]),
        plaafp_need=record["plaafp_need"],
    )


def _str(value: Any) -> str:
    if not isinstance(value, str):
        raise _Malformed(value)
    return value


def _span_json(span: Span | None) -> JSON:
    return None if span is None else {"start": span.start, "end": span.end, "text": span.text}


def _span(value: Any) -> Span | None:
    if value is None:
        return None
    return Span(int(value["start"]), int(value["end"]), _str(value["text"]))


def _fix(value: Any) -> Fix | None:
    if value is None:
        return None
    return Fix(int(value["start"]), int(value["end"]), _str(value["replacement"]))


def _smart(value: Any, reasons: Any) -> SmartCheck:
    relevant: bool | Unknown
    if value["relevant"] == UNKNOWN:
        relevant = UNKNOWN
    elif isinstance(value["relevant"], bool):
        relevant = value["relevant"]
    else:
        raise _Malformed(value["relevant"])
    return SmartCheck(
        specific=bool(value["specific"]),
        measurable=bool(value["measurable"]),
        time_bound=bool(value["time_bound"]),
        relevant=relevant,
        achievable=UNKNOWN,
        reasons=tuple((_str(e), _str(why)) for e, why in reasons),
    )


def _atom(value: Any) -> Criterion:
    cls = _ATOMS[value["kind"]]
    values = {}
    for f in fields(cls):
        if f.name == "kind":
            continue
        values[f.name] = _typed(str(f.type), value[f.name])
    return cls(**values)


def _typed(kind: str, raw: Any) -> Any:
    """A JSON value as the field's type: floats stay floats, enums become enums."""
    optional = kind.endswith(" | None")
    base = kind.removesuffix(" | None")
    if raw is None:
        if not optional:
            raise _Malformed(kind)
        return None
    if base == "float":
        return float(raw)
    if base == "int":
        return int(raw)
    if base == "str":
        return _str(raw)
    return _ENUMS[base](raw)


def _flag(value: Any) -> Flag:
    readings = tuple(
        ReadingOption(MofNReading(r["reading"]), _str(r["meaning"]), _fix(r["fix"]))
        for r in value.get("readings") or ()
    )
    return Flag(
        FlagCode(value["code"]),
        _str(value["message"]),
        Severity(value["severity"]),
        _str(value["suggestion"]),
        _span(value["span"]),
        _fix(value["fix"]),
        readings,
        value.get("citation") or "",
    )


def _ambiguity(value: Any) -> Ambiguity:
    span = _span(value["span"])
    if span is None:
        raise _Malformed(value)
    return Ambiguity(
        FlagCode(value["code"]),
        span,
        tuple(MofNReading(r) for r in value["readings"]),
        MofNReading(value["chosen"]),
        bool(value["confirmed"]),
    )
