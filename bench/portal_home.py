"""The family portal's home page for a parent of three children: server time and query count.

Usage: python bench/portal_home.py [--runs 50]
Builds a throwaway SQLite database: a parent holding the rights of three children, each with a
consent waiting, 10 documents sent (half opened) and 10 messages from the team when those apps
exist; then times the portal home (and one child's page) in-process with Django's test client
and prints the median and 95th percentile server time and the query count.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    db = Path(tempfile.mkdtemp()) / "portal_home.sqlite3"
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
    from django.utils import timezone

    call_command("migrate", verbosity=0)

    from tandem.people.models import Guardian, Relationship, Role, StudentGuardian
    from tandem.referrals.models import Consent, ConsentKind, ConsentMethod
    from tests.factories import make_district, make_school, make_staff, make_student, make_user

    district = make_district(name="Riverside Unified", state="CA", slug="riverside")
    school = make_school(district, name="North Elementary", code="N")
    staff = make_staff("cm@bench.test", [(Role.CASE_MANAGER, district, school)], first="Cara")
    user = make_user("parent@bench.test", first="Jessica")
    guardian = Guardian.objects.create(
        district=district, user=user, first_name="Jessica", last_name="Morgan", email=user.email
    )
    from tandem.communication.models import Delivery as delivery
    from tandem.communication.models import Message as message

    children = []
    for first in ("Ethan", "Lily", "Noah"):
        child = make_student(school, first=first, last="Morgan")
        children.append(child)
        StudentGuardian.objects.create(
            student=child, guardian=guardian, relationship=Relationship.MOTHER
        )
        Consent.objects.create(
            student=child,
            kind=ConsentKind.INITIAL_SERVICES,
            sent_on=date.today(),
            method=ConsentMethod.PORTAL,
        )
        for n in range(10):
            if delivery is not None:
                delivery.objects.create(
                    student=child,
                    guardian=guardian,
                    kind="notice",
                    title=f"Notice {n}",
                    url=f"/documents/{first}/{n}/",
                    opened_at=timezone.now() if n % 2 else None,
                )
            if message is not None:
                message.objects.create(student=child, author=staff.user, body=f"Hello {n}")

    client = Client()
    client.force_login(user)
    for name, url in (
        ("portal home (3 children)", reverse("portal_home")),
        ("child page", reverse("portal_child", args=[children[0].public_id])),
    ):
        client.get(url)  # warm up
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            response = client.get(url)
            times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, response.status_code
        with CaptureQueriesContext(connection) as queries:
            client.get(url)
        times.sort()
        p95 = times[int(len(times) * 0.95) - 1]
        print(
            f"{name:28} median {statistics.median(times):6.1f} ms   p95 {p95:6.1f} ms   "
            f"{len(queries.captured_queries)} queries   ({args.runs} runs)"
        )


if __name__ == "__main__":
    main()
