"""Deadline engine throughput: 100,000 mixed computations through the API, and the CLI's cost.

Run: python bench/deadline_throughput.py [--n 100000] [--cli-runs 20]
"""

from __future__ import annotations

import argparse
import random
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tandem.rules.calendar import load_calendar  # noqa: E402
from tandem.rules.deadlines import Rule, Tolling, available_states, compute, load_profile  # noqa: E402

FIXTURE = ROOT / "tests" / "rules" / "fixtures" / "district_2026_27.json"
SCHEDULE = (date(2026, 11, 6), date(2027, 1, 29), date(2027, 4, 9), date(2027, 6, 10))


def api_throughput(n: int) -> tuple[float, dict[str, int]]:
    """Computations per second over a seeded mix of every state and rule."""
    calendar = load_calendar(FIXTURE)
    profiles = [load_profile(code) for code in available_states()]
    rng = random.Random(2026)
    first = date(2026, 9, 1)
    jobs = []
    for _ in range(n):
        profile = rng.choice(profiles)
        rule = rng.choice([rule for rule in Rule if profile.has(rule)])
        kwargs: dict[str, object] = {"calendar": calendar}
        if rule in (Rule.TRANSITION_SERVICES, Rule.TRANSFER_OF_RIGHTS):
            trigger = date(2008, 1, 1) + timedelta(days=rng.randrange(2000))
        else:
            trigger = first + timedelta(days=rng.randrange(330))
        if rule is Rule.PROGRESS_REPORT:
            trigger = first + timedelta(days=rng.randrange(270))
            kwargs["schedule"] = SCHEDULE
        if rule is Rule.INITIAL_EVALUATION and rng.random() < 0.2:
            kwargs["absences"] = rng.randrange(12)
        if rule is Rule.INITIAL_EVALUATION and rng.random() < 0.05:
            start = trigger + timedelta(days=rng.randrange(20))
            kwargs["tolling"] = (Tolling(start, start + timedelta(days=5)),)
        if rule is Rule.INITIAL_EVALUATION and rng.random() < 0.5:
            kwargs["referral"] = trigger - timedelta(days=rng.randrange(60))
        jobs.append((rule, profile, trigger, kwargs))
    counts: dict[str, int] = {}
    started = time.perf_counter()
    for rule, profile, trigger, kwargs in jobs:
        compute(rule, profile, trigger, **kwargs)  # type: ignore[arg-type]
    elapsed = time.perf_counter() - started
    for rule, _, _, _ in jobs:
        counts[rule.value] = counts.get(rule.value, 0) + 1
    return n / elapsed, counts


def cli_seconds(runs: int) -> float:
    """Median wall time of one `python -m tandem.cli deadline ... --json` process."""
    command = [
        sys.executable,
        *("-m", "tandem.cli", "deadline", "--rule", "initial_evaluation", "--state", "TX"),
        *("--trigger", "2026-10-22", "--calendar", str(FIXTURE), "--json"),
    ]
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, cwd=ROOT, check=True, capture_output=True)
        times.append(time.perf_counter() - started)
    times.sort()
    return times[len(times) // 2]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--cli-runs", type=int, default=20)
    args = parser.parse_args()
    rate, counts = api_throughput(args.n)
    print(f"API: {args.n:,} mixed computations, {rate:,.0f} per second")
    print("     mix: " + ", ".join(f"{name} {count}" for name, count in sorted(counts.items())))
    median = cli_seconds(args.cli_runs)
    print(f"CLI: {median * 1000:.0f} ms per invocation (median of {args.cli_runs} runs)")


if __name__ == "__main__":
    main()
