"""Agreement of the goal checker with the labelled corpus (tests/rules/goal_corpus.json).

The corpus has two splits. `tuning` is the set the checker was developed against; `holdout` was
written and labelled afterwards, before the checker was run on it. Its first-run agreement was
specific 90.7%, measurable 98.1%, time_bound 100%, kinds 90.7%, direction 100%, flags 83.3%
(54 goals); the bugs it exposed were then fixed, so both splits now serve as regression tests.
Issue "The rules tell the truth" corrected three labelling conventions; the goals relabelled are
listed, with the rules, under "relabelled" in the corpus file.

tests/rules/goal_corpus_heldout.json holds 136 goals written and labelled for that issue BEFORE
the reader was changed for it, and never tuned against: its test prints and checks agreement
per element only, never which goals disagree.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from tandem.rules.goals import CriterionKind, FlagCode, check_goal

CORPUS = Path(__file__).with_name("goal_corpus.json")
HELDOUT = Path(__file__).with_name("goal_corpus_heldout.json")
ELEMENTS = ("specific", "measurable", "time_bound", "kinds", "direction", "flags")
AREAS = {
    "reading",
    "writing",
    "math",
    "articulation",
    "language",
    "social",
    "behavior",
    "fine_motor",
    "self_care",
    "executive_function",
    "transition",
}
# Per element, the share of goals on which the checker must agree with the label.
THRESHOLD = {"tuning": 0.97, "holdout": 0.95}


def _goals() -> list[dict[str, Any]]:
    data = json.loads(CORPUS.read_text(encoding="utf-8"))
    goals: list[dict[str, Any]] = data["goals"]
    return goals


def _observed(text: str) -> dict[str, Any]:
    a = check_goal(text)
    return {
        "specific": a.smart.specific,
        "measurable": a.smart.measurable,
        "time_bound": a.smart.time_bound,
        "kinds": sorted({str(k) for k in a.criterion_kinds}),
        "direction": None if a.direction is None else str(a.direction),
        "flags": sorted({str(c) for c in a.flag_codes}),
    }


def agreement(goals: list[dict[str, Any]]) -> tuple[dict[str, float], list[str]]:
    """Per-element agreement, and a line per disagreement."""
    hits = dict.fromkeys(ELEMENTS, 0)
    misses: list[str] = []
    for goal in goals:
        got = _observed(goal["text"])
        for element in ELEMENTS:
            if got[element] == goal[element]:
                hits[element] += 1
            else:
                misses.append(f"{goal['id']} {element}: want {goal[element]} got {got[element]}")
    return {e: hits[e] / len(goals) for e in ELEMENTS}, misses


def test_corpus_is_large_varied_and_well_formed() -> None:
    goals = _goals()
    assert len(goals) >= 200
    assert {g["area"] for g in goals} >= AREAS
    assert len({g["id"] for g in goals}) == len(goals)
    assert len({g["text"] for g in goals}) == len(goals)
    kinds = {str(k) for k in CriterionKind}
    codes = {str(c) for c in FlagCode}
    for g in goals:
        assert g["split"] in THRESHOLD
        assert set(g["kinds"]) <= kinds, g["id"]
        assert set(g["flags"]) <= codes, g["id"]
        assert g["direction"] in ("increase", "decrease", None)
        assert not (g["measurable"] and not g["specific"]), g["id"]
    # good and bad goals both
    assert sum(g["specific"] and g["measurable"] and g["time_bound"] for g in goals) >= 100
    assert sum(not g["measurable"] for g in goals) >= 50


@pytest.mark.parametrize("split", sorted(THRESHOLD))
def test_checker_agrees_with_the_labels(split: str) -> None:
    goals = [g for g in _goals() if g["split"] == split]
    scores, misses = agreement(goals)
    print(
        f"\n{split} ({len(goals)} goals): " + ", ".join(f"{e} {s:.1%}" for e, s in scores.items())
    )
    for line in misses:
        print("  ", line)
    for element, score in scores.items():
        assert score >= THRESHOLD[split], (element, score, misses)


def _heldout() -> list[dict[str, Any]]:
    goals: list[dict[str, Any]] = json.loads(HELDOUT.read_text(encoding="utf-8"))["goals"]
    return goals


def test_the_heldout_set_is_new_varied_and_well_formed() -> None:
    goals = _heldout()
    assert len(goals) >= 100
    assert {g["area"] for g in goals} >= AREAS | {"fluency", "gross_motor"}
    assert len({g["id"] for g in goals}) == len(goals)
    corpus_texts = {g["text"] for g in _goals()}
    assert not corpus_texts & {g["text"] for g in goals}  # new goals, not copies
    kinds, codes = {str(k) for k in CriterionKind}, {str(c) for c in FlagCode}
    for g in goals:
        assert set(g["kinds"]) <= kinds and set(g["flags"]) <= codes, g["id"]
        assert not (g["measurable"] and not g["specific"]), g["id"]


# First run on the held-out set, at the commit that added it (before the part-B reader changes):
# specific 94.9%, measurable 89.7%, time_bound 57.4%, kinds 84.6%, direction 87.5%, flags 47.1%.
HELDOUT_FLOOR = 0.95


def test_checker_agrees_with_the_heldout_labels() -> None:
    scores, misses = agreement(_heldout())
    print("\nheld-out 2026: " + ", ".join(f"{e} {s:.1%}" for e, s in scores.items()))
    low = {e: round(s, 3) for e, s in scores.items() if s < HELDOUT_FLOOR}
    assert not low, f"{len(misses)} disagreements; agreement below the floor: {low}"
