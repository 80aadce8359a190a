"""The goal editor's live check and the goal bank search: server time per request.

Usage: python bench/goal_editor.py [--runs 50]
Builds a throwaway SQLite database (migrations load the shipped bank), then times in-process with
Django's test client: the htmx check fragment for the guide's example goal and for a vague goal,
a suggestion applied, the goal bank's search, and the filled-template check of the whole bank.
Prints the median and 95th percentile server time and the query count of each.
"""

from __future__ import annotations

import argparse
import os
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

GUIDE = (
    "By the end of the second quarter, the student will read a grade-level passage of 100 words "
    "and correctly answer five comprehension questions with 80% accuracy in 4 out of 5 trials, "
    "as measured by weekly teacher assessments and progress monitoring."
)
VAGUE = "Maya will improve reading skills 80% of the time."


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    db = Path(tempfile.mkdtemp()) / "goal_editor.sqlite3"
    os.environ.update(
        DATABASE_URL=f"sqlite:///{db}",
        SECRET_KEY="bench",
        DEBUG="false",
        AXES_ENABLED="false",
        STATIC_MANIFEST="false",
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    call_command("migrate", verbosity=0)

    from tandem.goals.bank import shipped
    from tandem.people.models import Role
    from tandem.rules.goals import check_goal
    from tests.factories import make_district, make_school, make_staff

    district = make_district(name="Riverside Unified", state="CA", slug="riverside")
    school = make_school(district, name="North Elementary", code="N")
    staff = make_staff("cm@bench.test", [(Role.CASE_MANAGER, district, school)], first="Cara")
    client = Client()
    client.force_login(staff.user)
    fixed = VAGUE.replace("80% of the time", "80% of observed intervals")

    cases = {
        "check: guide goal": ("post", reverse("goal_check"), {"text": GUIDE}),
        "check: vague goal": ("post", reverse("goal_check"), {"text": VAGUE}),
        "apply a suggestion": ("post", reverse("goal_check"), {"text": VAGUE, "apply_fix": fixed}),
        "bank: all, page 1": ("get", reverse("goal_bank"), {}),
        "bank: words + area + grade": (
            "get",
            reverse("goal_bank"),
            {"q": "per minute", "area": "reading", "grade": "3_5"},
        ),
    }
    print(f"{'request':<30} {'median ms':>10} {'p95 ms':>8} {'queries':>8}")
    for name, (method, url, data) in cases.items():
        call = getattr(client, method)
        call(url, data)
        times = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            with CaptureQueriesContext(connection) as queries:
                response = call(url, data)
            times.append((time.perf_counter() - t0) * 1000)
            assert response.status_code == 200, (name, response.status_code)
        times.sort()
        p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
        print(f"{name:<30} {statistics.median(times):>10.1f} {p95:>8.1f} {len(queries):>8}")

    entries = shipped()
    t0 = time.perf_counter()
    passing = 0
    for entry in entries:
        slots = entry["slots"]
        text = re.sub(r"\{([a-z_]+)\}", lambda m, s=slots: s[m.group(1)]["sample"], entry["text"])
        s = check_goal(text).smart
        passing += bool(s.specific and s.measurable and s.time_bound)
    ms = (time.perf_counter() - t0) * 1000
    print(f"shipped bank: {passing}/{len(entries)} filled templates SMART (S, M, T) in {ms:.1f} ms")


if __name__ == "__main__":
    main()
