"""Student search and the caseload page on a 100,000-student district: server time and queries.

Usage: python bench/pages_100k.py --db PATH   (a database built by bench/seed_100k.py --keep)
       python bench/pages_100k.py             (builds one first; takes a few minutes)
Prints the median and 95th percentile server time and the query count of each page.
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


def build(db: Path) -> None:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}", "DEBUG": "true"}
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)
    subprocess.run(
        [*manage, "seed_demo", "--students", "100000"],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", type=Path)
    parser.add_argument("--runs", type=int, default=40)
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
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    from tandem.accounts.models import User
    from tandem.people.models import Student

    print(f"students in the database: {Student.objects.count():,}")
    director = User.objects.get(email="director@riverside.example")
    case_manager = User.objects.get(email="casemanager@riverside.example")
    surname = (
        Student.objects.filter(district__slug="riverside")
        .values_list("legal_last_name", flat=True)
        .first()
    )
    cases = [
        ("student search, director, common surname", director, "/students/", {"q": surname}),
        ("student search, director, two words", director, "/students/", {"q": f"{surname} a"}),
        ("student search, director, first page, no words", director, "/students/", {}),
        ("caseload page (home), case manager", case_manager, "/", {}),
        ("home, director (schools and counts)", director, "/", {}),
        ("API search, director", director, "/api/v1/students", {"q": surname}),
    ]
    for label, user, url, params in cases:
        client = Client()
        client.force_login(user)
        client.get(url, params)  # warm
        times = []
        for _ in range(args.runs):
            with CaptureQueriesContext(connection) as queries:
                start = time.perf_counter()
                response = client.get(url, params)
                times.append((time.perf_counter() - start) * 1000)
            assert response.status_code == 200, (label, response.status_code)
        times.sort()
        p95 = times[max(0, int(len(times) * 0.95) - 1)]
        print(
            f"{label:50s} median {statistics.median(times):7.1f} ms   p95 {p95:7.1f} ms   "
            f"queries {len(queries.captured_queries)}"
        )


if __name__ == "__main__":
    main()
