"""The district deadlines page on a 100,000-student database: server time and queries.

Usage: python bench/deadlines_view.py --db PATH   (a database built by bench/seed_100k.py)
       python bench/deadlines_view.py             (builds one first; takes a few minutes)
Adds one stored Deadline for about every 7th student (mixed statuses around today) unless the
database already has deadlines, then prints the median and 95th percentile server time and the
query count of the deadlines page, its filters, the CSV export and the API, for the director.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def build(db: Path) -> None:
    subprocess.run(
        [sys.executable, str(ROOT / "bench" / "seed_100k.py"), "--db", str(db), "--quiet"],
        check=True,
        cwd=ROOT,
    )


def add_deadlines(every: int = 7, seed: int = 2026) -> int:
    """One deadline for every `every`th student: overdue, due soon, on track, met, met late."""
    from django.utils import timezone

    from tandem.people.models import Student
    from tandem.referrals.models import Deadline, DeadlineKind

    rng = random.Random(seed)
    today = timezone.localdate()
    now = timezone.now()
    kinds = [
        DeadlineKind.INITIAL_EVALUATION,
        DeadlineKind.INITIAL_IEP_MEETING,
        DeadlineKind.ANNUAL_REVIEW,
        DeadlineKind.REEVALUATION,
    ]
    students = Student.objects.order_by("id").values_list(
        "id", "district_id", "school_id", "district__state"
    )
    batch: list[Deadline] = []
    made = 0
    for n, (student_id, district_id, school_id, state) in enumerate(students.iterator()):
        if n % every:
            continue
        due = today + timedelta(days=rng.randint(-60, 150))
        met_on = None
        if rng.random() < 0.25:
            met_on = due + timedelta(days=rng.randint(-20, 10))
        trigger = due - timedelta(days=60)
        batch.append(
            Deadline(
                student_id=student_id,
                district_id=district_id,
                school_id=school_id,
                kind=rng.choice(kinds),
                state=state,
                trigger_on=trigger,
                due_on=due,
                citation="34 CFR 300.301(c)(1)",
                explanation=f"Due {due}: 60 days after consent received on {trigger}.",
                met_on=met_on,
                source_type="bench",
                source_id=str(n),
                computed_at=now,
            )
        )
        if len(batch) == 5000:
            Deadline.objects.bulk_create(batch)
            made += len(batch)
            batch = []
    Deadline.objects.bulk_create(batch)
    return made + len(batch)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    db = args.db or Path(tempfile.mkdtemp()) / "bench.sqlite3"
    if not db.exists():
        print(f"building {db} with 100,000 students ...", flush=True)
        build(db)
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

    from tandem.accounts.models import User
    from tandem.people.models import Student
    from tandem.referrals.models import Deadline

    call_command("migrate", verbosity=0)  # the database may predate newer migrations
    if not Deadline.objects.exists():
        started = time.perf_counter()
        made = add_deadlines()
        print(f"stored {made:,} deadlines in {time.perf_counter() - started:.1f} s")
    print(
        f"students in the database: {Student.objects.count():,}; "
        f"deadlines: {Deadline.objects.count():,}"
    )
    director = User.objects.get(email="director@riverside.example")
    cases = [
        ("deadlines page, director, open (default)", "/deadlines/", {}),
        ("deadlines page, director, overdue", "/deadlines/", {"status": "overdue"}),
        ("deadlines page, director, all, page 20", "/deadlines/", {"status": "all", "page": 20}),
        ("deadlines page, director, by student name", "/deadlines/", {"sort": "student"}),
        ("CSV export, director, overdue", "/deadlines/export.csv", {"status": "overdue"}),
        ("API /deadlines, director, overdue", "/api/v1/deadlines", {"status": "overdue"}),
    ]
    client = Client()
    client.force_login(director)
    for label, url, params in cases:
        client.get(url, params)  # warm
        runs = args.runs if "export" not in url else max(5, args.runs // 5)
        times = []
        for _ in range(runs):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                response = client.get(url, params)
                times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (label, response.status_code)
        times.sort()
        p95 = times[max(0, int(len(times) * 0.95) - 1)]
        print(
            f"{label:45s} median {statistics.median(times):7.1f} ms   p95 {p95:7.1f} ms   "
            f"queries {len(queries.captured_queries)}",
            flush=True,
        )


if __name__ == "__main__":
    main()
