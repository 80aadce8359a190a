"""Plain-language sentences for parents, keyed for translation."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

from tandem.rules.progress.analysis import Analysis
from tandem.rules.progress.decisions import (
    _side,
)
from tandem.rules.progress.model import (
    DecisionKind,
    Direction,
)
from tandem.rules.progress.wording import (
    _month,
    _month_day,
    _with_unit,
)

# --- plain-language narrative ------------------------------------------------------------------


class Pronoun(StrEnum):
    SHE = "she"
    HE = "he"
    THEY = "they"


_PRONOUN_FORMS: Mapping[Pronoun, tuple[str, str, str]] = MappingProxyType(
    {
        Pronoun.SHE: ("she", "her", "is"),
        Pronoun.HE: ("he", "his", "is"),
        Pronoun.THEY: ("they", "their", "are"),
    }
)

# English templates, keyed for the Django layer to translate. Parameters are plain strings.
NARRATIVE_TEMPLATES: Mapping[str, str] = MappingProxyType(
    {
        "progress.no_data": (
            "No scores have been recorded yet for {name}'s goal of {target} by {target_when}."
        ),
        "progress.latest": "{name} {verb} {latest} on {latest_date}.",
        "progress.latest_up": (
            "{name} {verb} {latest} on {latest_date}, up from {baseline} in {baseline_when}."
        ),
        "progress.latest_down": (
            "{name} {verb} {latest} on {latest_date}, down from {baseline} in {baseline_when}."
        ),
        "progress.latest_same": (
            "{name} {verb} {latest} on {latest_date}, the same as in {baseline_when}."
        ),
        "progress.on_track": (
            "At this rate {subject} {be} on track to meet {possessive} goal of {target} "
            "by {target_when}."
        ),
        "progress.on_track_so_far": (
            "So far {subject} {be} on track to meet {possessive} goal of {target} by {target_when}."
        ),
        "progress.watching": (
            "The team will keep a close watch to see whether {subject} can meet {possessive} "
            "goal of {target} by {target_when}."
        ),
        "progress.ahead": (
            "{Subject} {be} ahead of the pace needed to meet {possessive} goal of {target} "
            "by {target_when}, so the team may set a more ambitious goal."
        ),
        "progress.behind": (
            "{Subject} {be} behind the pace needed to meet {possessive} goal of {target} "
            "by {target_when}, so the team plans to change how {subject} {be} taught."
        ),
        "progress.too_early": (
            "It is too early to tell whether {subject} will meet {possessive} goal of {target} "
            "by {target_when}."
        ),
        "progress.early_estimate": (
            "These results are early and may change as more scores come in."
        ),
    }
)


@dataclass(frozen=True, slots=True)
class Sentence:
    key: str  # a NARRATIVE_TEMPLATES key
    params: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}))
    text: str = ""  # the English rendering


@dataclass(frozen=True, slots=True)
class Narrative:
    sentences: tuple[Sentence, ...]
    text: str


def _sentence(key: str, params: dict[str, str]) -> Sentence:
    return Sentence(key, MappingProxyType(params), NARRATIVE_TEMPLATES[key].format(**params))


def narrate(
    analysis: Analysis,
    *,
    name: str,
    pronoun: Pronoun = Pronoun.THEY,
    verb: str = "scored",
    unit: str = "",
) -> Narrative:
    """One to three plain sentences for a parent: latest score, change, and what comes next.

    `verb` and `unit` word the score: verb="read", unit="words correctly per minute".
    """
    goal = analysis.goal
    subject, possessive, be = _PRONOUN_FORMS[pronoun]
    points = analysis.points
    near = points[-1].on if points else goal.start
    # Whole numbers or one decimal for parents; the unit once, in the first sentence.
    short_unit = "%" if unit == "%" else ""
    target = _with_unit(round(goal.target_value, 1), short_unit)
    if goal.direction is Direction.DECREASE:
        target = f"{target} or fewer"
    common = {
        "name": name,
        "subject": subject,
        "Subject": subject.capitalize(),
        "possessive": possessive,
        "be": be,
        "target": target,
        "target_when": _month(goal.target_on, near=near),
        "target_on": goal.target_on.isoformat(),
    }
    if not points:
        sentence = _sentence("progress.no_data", common)
        return Narrative((sentence,), sentence.text)

    latest = points[-1]
    first = {
        "name": name,
        "verb": verb,
        "latest": _with_unit(round(latest.value, 1), unit),
        "latest_date": _month_day(latest.on),
        "latest_on": latest.on.isoformat(),
    }
    baseline = analysis.baseline
    if baseline is None or (baseline.probes and len(points) <= baseline.probes):
        key = "progress.latest"
    else:
        first["baseline"] = _with_unit(round(baseline.value, 1), short_unit)
        first["baseline_when"] = _month(baseline.on, near=latest.on)
        first["baseline_on"] = baseline.on.isoformat()
        change = _side(round(latest.value, 1), round(baseline.value, 1))
        key = {1: "progress.latest_up", -1: "progress.latest_down", 0: "progress.latest_same"}[
            change
        ]
    sentences = [_sentence(key, first)]

    headline = analysis.headline
    projection = analysis.projection
    if headline.decision is DecisionKind.INSUFFICIENT_DATA:
        status = "progress.too_early"
    elif headline.decision is DecisionKind.RAISE_GOAL:
        status = "progress.ahead"
    elif headline.decision is DecisionKind.CHANGE_INSTRUCTION:
        status = "progress.behind"
    elif projection is None:
        status = "progress.on_track_so_far"
    elif projection.will_miss:
        status = "progress.watching"
    else:
        status = "progress.on_track"
    sentences.append(_sentence(status, common))
    if headline.decision is not DecisionKind.INSUFFICIENT_DATA and headline.preliminary:
        sentences.append(_sentence("progress.early_estimate", {}))
    return Narrative(tuple(sentences), " ".join(s.text for s in sentences))
