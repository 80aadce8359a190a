"""Recording a session for a group of 5 students: form submissions and server time.

Usage: python bench/progress_group.py [--db PATH] [--runs 10]
Without --db, builds a fresh demo database (migrate + seed_demo --students 160, about a
minute). Signs in as the demo case manager, opens the data-collection page, then posts one
submission with a result for one goal of each of 5 students on the caseload, `runs` times on
different days, and prints the submissions per session, the page's queries and server times.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", type=Path)
    parser.add_argument("--runs", type=int, default=10)
    args = parser.parse_args()
    db = args.db
    if db is None:
        db = Path(tempfile.mkdtemp(prefix="tandem-bench-")) / "progress.sqlite3"
        print(f"building a demo database at {db} ...", flush=True)
        build(db)
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment
    from django.urls import reverse
    from django.utils import timezone

    from tandem.accounts.models import User
    from tandem.progress.measures import Metric, metric_for
    from tandem.progress.models import DataPoint
    from tandem.progress.responsibility import responsible_goals

    setup_test_environment()
    user = User.objects.get(email="casemanager@riverside.example")
    client = Client()
    client.force_login(user)
    url = reverse("progress_collect")
    with CaptureQueriesContext(connection) as page_queries:
        t0 = time.perf_counter()
        page = client.get(url)
        page_ms = (time.perf_counter() - t0) * 1000
    assert page.status_code == 200
    goals, seen = [], set()
    for goal in responsible_goals(user):
        metric = metric_for(goal)
        if goal.plan.student_id in seen or metric.metric != Metric.PERCENT:
            continue
        seen.add(goal.plan.student_id)
        goals.append(goal)
        if len(goals) == 5:
            break
    if len(goals) < 5:
        sys.exit(f"only {len(goals)} students with a percent goal on the caseload")
    today = timezone.localdate()
    latest_start = max(g.plan.effective_from for g in goals)
    timings, queries = [], []
    before = DataPoint.objects.count()
    for run in range(args.runs):
        day = max(today - timedelta(days=run), latest_start)
        data = {"taken_on": day.isoformat()}
        for n, goal in enumerate(goals):
            prefix = f"g-{goal.public_id}"
            data[f"{prefix}-client_key"] = str(uuid.uuid4())
            data[f"{prefix}-trials_correct"] = str(5 + (n + run) % 5)
            data[f"{prefix}-trials_total"] = "10"
        with CaptureQueriesContext(connection) as ctx:
            t0 = time.perf_counter()
            response = client.post(url, data)
            timings.append((time.perf_counter() - t0) * 1000)
        queries.append(len(ctx.captured_queries))
        assert response.status_code == 302, response.status_code
    saved = DataPoint.objects.count() - before
    timings.sort()
    print(f"group session: 5 students, 1 goal each, {args.runs} sessions ({saved} results saved)")
    print("  submissions per session      1")
    print(
        f"  collection page              {page_ms:8.1f} ms, {len(page_queries.captured_queries)} queries"
    )
    print(f"  save, median                 {statistics.median(timings):8.1f} ms")
    print(f"  save, slowest                {timings[-1]:8.1f} ms")
    print(f"  queries per save, median     {statistics.median(queries):8.0f}")


if __name__ == "__main__":
    main()
