"""Logging a group session of four students with data on two goals each (issue 12's figure):
form submissions, fields touched, server time and queries.

Usage: python bench/session_log.py [--db PATH] [--runs 10]
Without --db, builds a fresh demo database (migrate + seed_demo --students 160, about a
minute). Signs in as Riverside's demo SLP, opens the session log page, chooses four of the
students it offers whose plans have at least two goals, then posts one submission per session
(attendance defaults to delivered; a value for two goals of each student), `runs` times on
different days, and prints the submissions and fields touched per session, the page's and the
save's server time and queries, and the data points the saves wrote (one entry feeds progress
monitoring: a session's values are the goals' data points).
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
STUDENTS, GOALS = 4, 2


def build(db: Path) -> None:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}", "DEBUG": "true"}
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    subprocess.run(
        [*manage, "seed_demo", "--students", "160"],
        env=env,
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )


def value_for(metric: object) -> str:
    """A value inside the goal's scale."""
    kind = str(getattr(metric, "metric", ""))
    return "80" if "percent" in kind else "3"


def main() -> None:  # noqa: PLR0915 (one script, top to bottom)
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    db = args.db
    if db is None:
        db = Path(tempfile.mkdtemp(prefix="tandem-bench-")) / "sessions.sqlite3"
        print(f"building a demo database at {db} ...", flush=True)
        build(db)
    os.environ.update(
        DATABASE_URL=f"sqlite:///{db}",
        SECRET_KEY="bench",
        DEBUG="false",
        AXES_ENABLED="false",
        STATIC_MANIFEST="false",
        TWO_FACTOR_FOR_ADMINS="false",
    )
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from tandem.accounts.models import User
    from tandem.core import clock
    from tandem.demo.referrals import demo_today
    from tandem.progress.measures import metric_for
    from tandem.progress.models import DataPoint
    from tandem.services.forms import code_field_name, goal_field_name
    from tandem.services.models import ServiceSession

    setup_test_environment()
    user = User.objects.get(email="slp@riverside.example")
    client = Client()
    client.force_login(user)
    today = demo_today(clock.today())
    page_times = []
    for _ in range(5):  # the first visit also compiles the templates: the median of five
        with clock.fixed(today), CaptureQueriesContext(connection) as page_queries:
            started = time.perf_counter()
            page = client.get("/services/log/")
            page_times.append((time.perf_counter() - started) * 1000)
        assert page.status_code == 200, page.status_code
    page_ms = statistics.median(page_times)
    form = page.context["form"]
    chosen, seen = [], set()
    for key, service in form.services.items():
        goals = form.goals.get(key, [])
        if service.plan.student_id in seen or len(goals) < GOALS:
            continue
        seen.add(service.plan.student_id)
        chosen.append((service, goals[:GOALS]))
        if len(chosen) == STUDENTS:
            break
    if len(chosen) < STUDENTS:
        sys.exit(f"only {len(chosen)} students with {GOALS} goals on the SLP's log page")
    timings, queries, touched = [], [], 0
    points_before, sessions_before = DataPoint.objects.count(), ServiceSession.objects.count()
    day, run = today, 0
    while run < args.runs:
        day -= timedelta(days=1)
        if day.weekday() >= 5:
            continue
        data = {
            "day": day.isoformat(),
            "start_time": f"06:{10 + 3 * run:02d}",  # before the demo's school day: no overlap
            "minutes": "30",
            "modality": "in_person",
            "note": "Group: /r/ in phrases.",
            "students": [str(service.public_id) for service, _goals in chosen],
        }
        for service, goals in chosen:
            data[code_field_name(service)] = "delivered"  # the default: not touched
            for goal in goals:
                data[goal_field_name(service, goal)] = value_for(metric_for(goal))
        # Touched: the start time, the minutes, the note, a box per student and a value per goal
        # (the date is today's on the page, attendance and modality keep their defaults).
        touched = 3 + STUDENTS + STUDENTS * GOALS
        with clock.fixed(today), CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.post("/services/log/", data)
            timings.append((time.perf_counter() - started) * 1000)
        queries.append(len(ctx.captured_queries))
        if response.status_code != 302:
            sys.exit(f"the save was refused: {response.context['form'].errors.as_text()}")
        run += 1
    points = DataPoint.objects.count() - points_before
    sessions = ServiceSession.objects.count() - sessions_before
    timings.sort()
    print(
        f"group session: {STUDENTS} students, {GOALS} goals each, {args.runs} sessions "
        f"({sessions} sessions and {points} data points written)"
    )
    print("  submissions per session      1")
    print(f"  fields touched per session   {touched}")
    print(
        f"  log page                     {page_ms:8.1f} ms, {len(page_queries.captured_queries)} queries"
    )
    print(f"  save, median                 {statistics.median(timings):8.1f} ms")
    print(
        f"  save, p95                    {timings[min(len(timings) - 1, round(0.95 * (len(timings) - 1)))]:8.1f} ms"
    )
    print(f"  queries per save, median     {statistics.median(queries):8.0f}")


if __name__ == "__main__":
    main()
