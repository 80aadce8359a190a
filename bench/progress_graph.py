"""A goal graph with 200 data points, rendered to SVG by matplotlib: milliseconds per graph.

Usage: python bench/progress_graph.py [--points 200] [--runs 20]
No database: the goal, its plan and its points are built in memory, then the same
`build_progress` -> `goal_graph_svg` path the pages and PDFs use is timed.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("DEBUG", "true")

GOAL = (
    "By June 2027, when given a grade-level passage, the student will read aloud at least 90 "
    "words correct per minute, as measured by curriculum-based reading probes."
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--points", type=int, default=200)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()

    import django

    django.setup()
    from tandem.plans.models import Goal, Plan
    from tandem.progress.graphs import goal_graph_svg
    from tandem.progress.models import DataPoint, PhaseChange
    from tandem.progress.queries import build_progress
    from tandem.rules import progress as engine

    start = date(2025, 8, 18)
    plan = Plan(effective_from=start, effective_to=start + timedelta(days=2 * 365))
    goal = Goal(plan=plan, area="Reading", text=GOAL)
    points = [
        DataPoint(
            id=i + 1,
            goal_lineage=goal.lineage,
            taken_on=start + timedelta(days=3 * i + 1),
            rate_per_minute=40 + 0.2 * i + (i % 5) - 2,
            value=40 + 0.2 * i + (i % 5) - 2,
        )
        for i in range(args.points)
    ]
    changes = [PhaseChange(id=1, changed_on=start + timedelta(days=120), description="Small group")]
    timings = []
    svg = ""
    for _ in range(args.runs):
        t0 = time.perf_counter()
        gp = build_progress(goal, points, changes, engine.DEFAULT_SETTINGS)
        svg = goal_graph_svg(gp)
        timings.append((time.perf_counter() - t0) * 1000)
    timings.sort()
    print(f"goal graph, {args.points} points, {args.runs} runs (analysis + SVG)")
    print(f"  first render   {timings[0] if args.runs == 1 else timings[-1]:8.1f} ms (slowest)")
    print(f"  median         {statistics.median(timings):8.1f} ms")
    print(f"  95th pct       {timings[int(0.95 * (len(timings) - 1))]:8.1f} ms")
    print(f"  SVG size       {len(svg) / 1024:8.1f} KiB; decision: {gp.decision_words}")


if __name__ == "__main__":
    main()
