"""The IDEA section 618 child count (FS002, FS089) and exiting count (FS009) on a generated district.

Usage: python bench/child_count.py --db PATH   (a database built by bench/seed_100k.py --db PATH)
       python bench/child_count.py             (seeds a 100,000-student district first: minutes)

The demo seed writes IEPs for its story students only, so the first run gives a share of the
district's students (--iep-share, 14% as nationally) an IEP in effect, an eligibility with a
disability category and a version with services, bulk-created with fixed random choices; some
are left without a race, a category or services so that the not-counted list is exercised.

Prints the seconds of the counting alone, of the whole page as the district's director opens
it (with its query count) and of the CSV download, and the figures: students counted in each
file and those who cannot be counted, by reason.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def build(db: Path, students: int) -> None:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}", "DEBUG": "true"}
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True)
    subprocess.run([*manage, "seed_demo", "--students", str(students), "--quiet"], env=env,
                   check=True)  # fmt: skip


CATEGORIES = ["specific_learning_disability"] * 8 + ["speech_language_impairment"] * 5 + [
    "other_health_impairment"] * 4 + ["autism"] * 3 + ["intellectual_disability",
    "emotional_disturbance", "developmental_delay", "multiple_disabilities", "deafness"]  # fmt: skip
SERVICES = [
    [],
    [{"category": "related", "name": "Speech", "minutes": 30, "times": 2, "per": "week",
      "setting": "Speech room"}],
    [{"category": "special_education", "name": "Reading", "minutes": 60, "times": 5,
      "per": "week", "setting": "Resource room"}],
    [{"category": "special_education", "name": "Special class", "minutes": 240, "times": 1,
      "per": "day", "setting": "Special day class"}],
]  # fmt: skip


def generate(district: object, share: float, day: object) -> int:
    """IEPs for `share` of the district's students without one; returns how many were added."""
    import random
    from datetime import timedelta

    from tandem.accounts.models import User
    from tandem.people.models import Student
    from tandem.plans.models import Plan, PlanVersion
    from tandem.referrals.models import EligibilityDecision, Referral

    rng = random.Random(618)
    actor = User.objects.filter(staff__roles__district=district).first()
    have = set(Plan.objects.filter(student__district=district).values_list("student_id", flat=True))
    ids = [s for s in Student.objects.filter(district=district).values_list("pk", flat=True)
           if s not in have]  # fmt: skip
    chosen = rng.sample(ids, int(len(ids) * share))
    start = day - timedelta(days=200)  # type: ignore[operator]
    plans = Plan.objects.bulk_create(
        Plan(student_id=s, kind="iep", status="active", meeting_date=start, effective_from=start,
             effective_to=start + timedelta(days=364), created_by=actor)
        for s in chosen
    )  # fmt: skip
    PlanVersion.objects.bulk_create(
        PlanVersion(plan=p, number=1, kind="original", content_hash="b" * 64, created_by=actor,
                    snapshot={"sections": {"lre": {}}, "services": rng.choice(SERVICES),
                              "goals": [{"area": "Reading", "text": "x" * 400}] * 3})
        for p in plans
    )  # fmt: skip
    decided = [s for s in chosen if rng.random() > 0.01]
    referrals = Referral.objects.bulk_create(
        Referral(student_id=s, source="parent", received_on=start - timedelta(days=90),
                 areas_of_concern=["reading"], description="Bench", created_by=actor)
        for s in decided
    )  # fmt: skip
    EligibilityDecision.objects.bulk_create(
        EligibilityDecision(referral=r, student_id=r.student_id, outcome="iep",
                            decided_on=start - timedelta(days=30), decided_by=actor,
                            primary_category=rng.choice(CATEGORIES))
        for r in referrals
    )  # fmt: skip
    return len(plans)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path)
    parser.add_argument("--students", type=int, default=100_000)
    parser.add_argument("--director", default="director@riverside.example")
    parser.add_argument("--iep-share", type=float, default=0.14)
    args = parser.parse_args()
    db = args.db or Path(tempfile.mkdtemp()) / "bench.sqlite3"
    if not db.exists():
        print(f"building {db} with {args.students:,} students ...", flush=True)
        build(db, args.students)
    os.environ.update(DATABASE_URL=f"sqlite:///{db}", SECRET_KEY="bench", DEBUG="false",
                      AXES_ENABLED="false", STATIC_MANIFEST="false",
                      TWO_FACTOR_FOR_ADMINS="false")  # fmt: skip
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from tandem.accounts.models import User
    from tandem.core import clock
    from tandem.people.models import Student
    from tandem.plans.models import Plan
    from tandem.reports import child_count as cc

    director = User.objects.get(email=args.director)
    district = director.staff.roles.filter(role="district_admin").first().district  # type: ignore[attr-defined]
    students = Student.objects.filter(district=district)
    today = clock.today()
    day = cc.default_count_date(district, today)
    if Plan.objects.filter(student__district=district).count() < students.count() * 0.05:
        started = time.perf_counter()
        added = generate(district, args.iep_share, day)
        print(f"generated {added:,} IEPs in {time.perf_counter() - started:.1f} s")
    ieps = Plan.objects.filter(student__district=district, kind="iep").count()
    print(f"{district.name}: {students.count():,} students, {ieps:,} IEPs; count date {day}")

    started = time.perf_counter()
    result = cc.child_count(district, students, day)
    counting = time.perf_counter() - started
    files = Counter(c.file for c in result.counted)
    reasons = Counter(r for u in result.uncounted for r in u.reasons)
    print(f"child count (counting only): {counting:.2f} s")
    print(f"  FS002 school age: {files[cc.FS002]:,}; FS089 early childhood: {files[cc.FS089]:,}")
    print(f"  not counted: {len(result.uncounted):,} " + str(dict(reasons)))
    year = cc.default_exit_year(today)
    started = time.perf_counter()
    exits = cc.exiting(district, students, year)
    print(f"exiting {year}-{year + 1} (counting only): {time.perf_counter() - started:.2f} s; "
          f"FS009 {len(exits.counted):,}, not counted {len(exits.uncounted):,}")  # fmt: skip

    client = Client()
    client.force_login(director)
    page = reverse("federal_child_count", args=[district.public_id]) + f"?day={day}"
    with CaptureQueriesContext(connection) as queries:
        started = time.perf_counter()
        response = client.get(page)
        seconds = time.perf_counter() - started
    assert response.status_code == 200, response.status_code
    print(f"child count page as {args.director}: {seconds:.2f} s, {len(queries)} queries, "
          f"{len(response.content) / 1024:.0f} KiB")  # fmt: skip
    csv_url = reverse("federal_child_count_csv", args=[district.public_id]) + f"?day={day}"
    started = time.perf_counter()
    response = client.get(csv_url)
    lines = b"".join(response.streaming_content).count(b"\n")  # type: ignore[attr-defined]
    print(f"child count CSV: {time.perf_counter() - started:.2f} s, {lines - 1:,} lines")


if __name__ == "__main__":
    main()
