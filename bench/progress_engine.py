"""Benchmark the progress-monitoring engine (tandem.rules.progress).

Prints the time to analyse one goal with 200 points (OLS and Tukey), then throughput over
many goals of realistic size (a school year of weekly probes), with and without the
narrative and a mastery check. Run: .venv/bin/python bench/progress_engine.py [goals]
"""

from __future__ import annotations

import random
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tandem.rules.progress import (  # noqa: E402
    Direction,
    GoalSeries,
    MOfLastN,
    Point,
    ProgressSettings,
    Pronoun,
    Session,
    Threshold,
    TrendMethod,
    analyze_goal,
    evaluate_mastery,
    narrate,
)

START = date(2025, 9, 2)


def make_goal(rng: random.Random, points: int) -> GoalSeries:
    direction = rng.choice(list(Direction))
    base = rng.uniform(20, 60)
    slope = rng.uniform(0.2, 2.0) * (1 if direction is Direction.INCREASE else -0.2)
    series = tuple(
        Point(
            START + timedelta(days=3 * i + 1),
            max(0.0, base + slope * (3 * i + 1) / 7 + rng.gauss(0, 4)),
            instruction_change=i == points // 2 and rng.random() < 0.2,
        )
        for i in range(points)
    )
    target = base + (30 if direction is Direction.INCREASE else -15)
    return GoalSeries(series, START, START + timedelta(weeks=40), target, direction)


def per_call(call: Callable[[], object], repeat: int = 7, number: int = 200) -> float:
    """Median seconds per call over `repeat` batches of `number` calls."""
    timings = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        for _ in range(number):
            call()
        timings.append((time.perf_counter() - t0) / number)
    return statistics.median(timings)


def main() -> None:
    goals_n = int(sys.argv[1]) if len(sys.argv) > 1 else 10_000
    rng = random.Random(2025)
    big = make_goal(rng, 200)
    tukey = ProgressSettings(trend_method=TrendMethod.TUKEY)
    analysis = analyze_goal(big)

    print(f"Python {sys.version.split()[0]}")
    print("One goal, 200 points:")
    print(f"  analyze_goal (OLS)    {per_call(lambda: analyze_goal(big)) * 1e6:8.1f} µs")
    print(f"  analyze_goal (Tukey)  {per_call(lambda: analyze_goal(big, tukey)) * 1e6:8.1f} µs")
    print(
        f"  narrate               "
        f"{per_call(lambda: narrate(analysis, name='Maria', pronoun=Pronoun.SHE)) * 1e6:8.1f} µs"
    )
    print(f"  headline: {analysis.headline.reason[:90]}...")

    goals = [make_goal(rng, rng.randint(10, 40)) for _ in range(goals_n)]
    criterion = MOfLastN(Threshold(80, unit="%"), 4, 5)
    sessions = [
        [Session(p.on, min(100.0, p.value * 2)) for p in g.points] for g in goals[: goals_n // 10]
    ]

    t0 = time.perf_counter()
    results = [analyze_goal(g) for g in goals]
    analyse_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    for a in results:
        narrate(a, name="Sam", pronoun=Pronoun.THEY)
    narrate_s = time.perf_counter() - t0

    t0 = time.perf_counter()
    for s in sessions:
        evaluate_mastery(criterion, s)
    mastery_s = time.perf_counter() - t0

    mean_points = statistics.mean(len(g.points) for g in goals)
    kinds: dict[str, int] = {}
    for a in results:
        kinds[a.headline.decision.value] = kinds.get(a.headline.decision.value, 0) + 1
    print(f"Throughput, {goals_n} goals of 10-40 points (mean {mean_points:.1f}):")
    print(f"  analyze_goal  {goals_n / analyse_s:10,.0f} goals/s  ({analyse_s:.2f} s)")
    print(f"  narrate       {goals_n / narrate_s:10,.0f} goals/s  ({narrate_s:.2f} s)")
    print(f"  mastery 4/5   {len(sessions) / mastery_s:10,.0f} goals/s  ({mastery_s:.3f} s)")
    print(f"  headlines     {dict(sorted(kinds.items()))}")


if __name__ == "__main__":
    main()
