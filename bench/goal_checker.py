"""Throughput and agreement of `tandem check-goal` over the labelled goal corpus.

    .venv/bin/python bench/goal_checker.py [--seconds 3] [--cli-repeat 20]

Prints goals per second through the Python API (the corpus checked over and over) and through the
CLI's stdin mode (one process, the corpus repeated), then agreement with the corpus labels per
SMART element, criterion kinds, direction and flags, for each split of the corpus and of the
held-out set (tests/rules/goal_corpus_heldout.json).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tandem.rules.goals import check_goal  # noqa: E402

CORPUS = ROOT / "tests" / "rules" / "goal_corpus.json"
# Written and labelled before the part-B reader changes and never tuned against: aggregates only.
HELDOUT = ROOT / "tests" / "rules" / "goal_corpus_heldout.json"
ELEMENTS = ("specific", "measurable", "time_bound", "kinds", "direction", "flags")
HOLDOUT_FIRST_RUN = (
    "specific 90.7%, measurable 98.1%, time_bound 100%, kinds 90.7%, direction 100%, flags 83.3%"
)


def observed(text: str) -> dict[str, Any]:
    a = check_goal(text)
    return {
        "specific": a.smart.specific,
        "measurable": a.smart.measurable,
        "time_bound": a.smart.time_bound,
        "kinds": sorted({str(k) for k in a.criterion_kinds}),
        "direction": None if a.direction is None else str(a.direction),
        "flags": sorted({str(c) for c in a.flag_codes}),
    }


def api_throughput(texts: list[str], seconds: float) -> float:
    count = 0
    start = time.perf_counter()
    while time.perf_counter() - start < seconds:
        for text in texts:
            check_goal(text)
        count += len(texts)
    return count / (time.perf_counter() - start)


def cli_throughput(texts: list[str], repeat: int) -> tuple[float, float]:
    """Goals per second through `tandem check-goal --json -`, with and without process start-up."""
    stdin = "\n".join(texts * repeat) + "\n"
    command = [sys.executable, "-m", "tandem.cli", "check-goal", "--json", "-"]
    start = time.perf_counter()
    subprocess.run([*command], input="\n", capture_output=True, text=True, check=True, cwd=ROOT)
    startup = time.perf_counter() - start
    start = time.perf_counter()
    out = subprocess.run(command, input=stdin, capture_output=True, text=True, check=True, cwd=ROOT)
    elapsed = time.perf_counter() - start
    lines = out.stdout.count("\n")
    assert lines == len(texts) * repeat, (lines, len(texts) * repeat)
    return lines / elapsed, lines / max(elapsed - startup, 1e-9)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=float, default=3.0, help="time for the API loop")
    parser.add_argument("--cli-repeat", type=int, default=20, help="copies of the corpus on stdin")
    args = parser.parse_args()

    goals: list[dict[str, Any]] = json.loads(CORPUS.read_text(encoding="utf-8"))["goals"]
    texts = [g["text"] for g in goals]
    print(f"corpus: {len(goals)} goals ({CORPUS.relative_to(ROOT)})")
    if HELDOUT.exists():
        heldout = json.loads(HELDOUT.read_text(encoding="utf-8"))["goals"]
        goals += heldout
        print(f"held-out: {len(heldout)} goals ({HELDOUT.relative_to(ROOT)}), agreement only")

    rate = api_throughput(texts, args.seconds)
    print(f"API   check_goal():             {rate:8.0f} goals/s")
    wall, steady = cli_throughput(texts, args.cli_repeat)
    print(
        f"CLI   check-goal --json - :     {wall:8.0f} goals/s "
        f"({len(texts) * args.cli_repeat} goals, one process; {steady:.0f}/s without start-up)"
    )

    for split in sorted({g["split"] for g in goals}):
        subset = [g for g in goals if g["split"] == split]
        hits = dict.fromkeys(ELEMENTS, 0)
        for goal in subset:
            got = observed(goal["text"])
            for element in ELEMENTS:
                hits[element] += got[element] == goal[element]
        print(f"\nagreement with labels, split {split!r} ({len(subset)} goals):")
        if split == "holdout":
            print(f"  (first run, before the fixes it prompted: {HOLDOUT_FIRST_RUN})")
        for element in ELEMENTS:
            print(f"  {element:<11} {hits[element] / len(subset):7.1%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
