"""The director's page of service minutes: server time and query count, on the demo or larger.

Usage: python bench/services_director.py [--db PATH] [--students 600] [--runs 20]
Without --db, builds a fresh demo database (migrate + seed_demo --students N; the default 600
takes a minute or two). With --db, reuses one (e.g. bench/seed_100k.py --keep for 100,000
students; that seed logs no sessions, so every mandate there is counted but unserved).

Signs in as Riverside's district administrator and times, `runs` times each: the page, the
page filtered to one discipline, the CSV and XLSX downloads and GET /api/v1/services/minutes;
then the minutes page of the Riverside student with the most session rows
(GET /students/<id>/services/).
Prints the mandates counted, the time to count them all ahead (the daily check) and the first
visit's time with nothing kept, then the median and 95th percentile server time and the query
count of each page reading the kept tallies.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def build(db: Path, students: int) -> None:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}", "DEBUG": "true"}
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    subprocess.run(
        [*manage, "seed_demo", "--students", str(students)],
        env=env,
        check=True,
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
    )


def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path)
    parser.add_argument("--students", type=int, default=600)
    parser.add_argument("--runs", type=int, default=20)
    args = parser.parse_args()
    db = args.db
    if db is None:
        db = Path(tempfile.mkdtemp(prefix="tandem-bench-")) / "director.sqlite3"
        print(f"building a demo database at {db} ({args.students:,} students) ...", flush=True)
        build(db, args.students)
    else:  # a database seeded by an older checkout: bring its tables up to this one
        migrate = [sys.executable, str(ROOT / "manage.py"), "migrate", "-v0"]
        env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}", "DEBUG": "true"}
        subprocess.run(migrate, env=env, check=True, cwd=ROOT)
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
    from django.db.models import Count
    from django.test import Client
    from django.test.utils import CaptureQueriesContext, setup_test_environment

    from tandem.accounts.models import User
    from tandem.core import clock
    from tandem.demo.referrals import demo_today
    from tandem.people.models import Student
    from tandem.services import director
    from tandem.services.models import MinutesTally, SessionAttendance

    setup_test_environment()
    user = User.objects.get(email="director@riverside.example")
    client = Client()
    client.force_login(user)
    today = demo_today(clock.today())
    with clock.fixed(today):
        rows = director.mandate_rows(user, today=today)
        statuses = {s: sum(1 for r in rows if r.status == s) for s in director.STATUSES}
        print(
            f"demo today {today}: {len(rows):,} mandates in Riverside "
            f"({', '.join(f'{n:,} {s}' for s, n in statuses.items())}); "
            f"{SessionAttendance.objects.count():,} session rows in the database"
        )
        busiest = (
            SessionAttendance.objects.filter(student__district__slug="riverside")
            .values("student_id")
            .annotate(n=Count("id"))
            .order_by("-n")
            .first()
        )
        student_cases = []
        if busiest is not None:
            student = Student.objects.get(pk=busiest["student_id"])
            label = f"student minutes ({busiest['n']} rows)"
            student_cases = [(label, f"/students/{student.public_id}/services/", {})]
        cases = [
            ("director page", "/services/director/", {}),
            ("director page, ?discipline=slp", "/services/director/", {"discipline": "slp"}),
            ("CSV download", "/services/director.csv", {}),
            ("XLSX download", "/services/director.xlsx", {}),
            ("API /services/minutes", "/api/v1/services/minutes", {}),
            *student_cases,
        ]
        # The first visit of the day counts every mandate and keeps the tallies; the daily
        # minutes check does the same ahead of it (director.count_ahead).
        MinutesTally.objects.all().delete()
        started = time.perf_counter()
        counted = director.count_ahead(today=today)
        ahead = time.perf_counter() - started
        print(f"counting every district's {counted:,} mandates ahead (daily check): {ahead:.1f} s")
        MinutesTally.objects.all().delete()
        with CaptureQueriesContext(connection) as ctx:
            started = time.perf_counter()
            response = client.get("/services/director/")
            first = (time.perf_counter() - started) * 1000
        assert response.status_code == 200
        print(
            f"director page, first visit with nothing kept (counts): {first:.0f} ms, "
            f"{len(ctx.captured_queries)} queries"
        )
        print(f"{'':34} {'median':>9} {'p95':>9} {'queries':>8}")
        for label, url, params in cases:
            timings, counts = [], []
            for _ in range(args.runs):
                with CaptureQueriesContext(connection) as ctx:
                    started = time.perf_counter()
                    response = client.get(url, params)
                    timings.append((time.perf_counter() - started) * 1000)
                assert response.status_code == 200, (url, response.status_code)
                counts.append(len(ctx.captured_queries))
            print(
                f"{label:34} {statistics.median(timings):7.0f}ms {p95(timings):7.0f}ms "
                f"{statistics.median(counts):8.0f}"
            )


if __name__ == "__main__":
    main()
