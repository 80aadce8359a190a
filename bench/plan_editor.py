"""Opening and saving a large draft IEP (20 goals, 15 services, 40 accommodations).

Usage: python bench/plan_editor.py [--runs 30]
(also the student overview, and the policy evaluations per request of each page)
Builds a throwaway SQLite database with the test cast, writes the large draft through the
actions, then times the editor pages in-process with Django's test client and prints the median
and 95th percentile server time and the query count of each.
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
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    db = Path(tempfile.mkdtemp()) / "plan_editor.sqlite3"
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

    from tandem.people.models import CaseloadAssignment, Role, TeamMembership, TeamRole
    from tandem.plans import actions_drafts
    from tandem.plans.models import PlanKind
    from tandem.rules.accommodations import load_library
    from tests.factories import make_district, make_school, make_staff, make_student

    district = make_district(name="Riverside Unified", state="CA", slug="riverside")
    school = make_school(district, name="North Elementary", code="N")
    student = make_student(school, first="Maya", last="Lopez")
    staff = make_staff("cm@bench.test", [(Role.CASE_MANAGER, district, school)], first="Cara")
    start = date(2025, 8, 1)
    CaseloadAssignment.objects.create(staff=staff, student=student, start_date=start)
    TeamMembership.objects.create(
        staff=staff, student=student, role=TeamRole.CASE_MANAGER, start_date=start
    )
    user = staff.user
    plan = actions_drafts.create_draft(
        actor=user, student=student, kind=PlanKind.IEP, today=start, meeting_date=date(2025, 9, 10)
    )
    actions_drafts.save_section(
        actor=user,
        plan=plan,
        key="plaafp",
        content={"text": "Maya reads 60 words per minute. " * 40},
        expected_revision=0,
    )
    for n in range(20):
        actions_drafts.add_goal(
            actor=user,
            plan=plan,
            data={
                "area": f"Area {n}",
                "text": f"By June 2026, Maya will read {60 + n} words per minute with 95% "
                "accuracy on 3 of 4 weekly probes.",
            },
        )
    for n in range(15):
        actions_drafts.add_service(
            actor=user,
            plan=plan,
            data={
                "category": "related" if n % 2 else "special_education",
                "name": f"Service {n}",
                "minutes": 15,
                "times": 1,
                "per": "week",
                "setting": "Resource room" if n % 3 else "General education classroom",
                "provider_role": "Specialist",
            },
        )
    entries = [e for e in load_library() if e.kind == "accommodation"]
    for n in range(40):
        entry = entries[n % len(entries)]
        actions_drafts.add_accommodation(
            actor=user,
            plan=plan,
            data={
                "kind": "accommodation",
                "category": str(entry.category),
                "text": f"{entry.title}: {entry.description}",
                "applies_to": sorted(str(p) for p in entry.applies_to),
                "frequency_condition": "On every test",
                "provider_role": "Teacher",
            },
        )
    client = Client()
    client.force_login(user)
    home = reverse("plan_edit", args=[plan.public_id])
    section = reverse("plan_section_edit", args=[plan.public_id, "plaafp"])
    revision = [1]

    def save() -> object:
        response = client.post(
            section,
            {
                "revision": revision[0],
                "text": f"Maya reads 60 words per minute. Run {revision[0]}.",
            },
            HTTP_HX_REQUEST="true",
        )
        revision[0] += 1
        return response

    cases = [
        ("editor home (20 goals, 15 services, 40 accommodations)", lambda: client.get(home)),
        ("section page (present levels)", lambda: client.get(section)),
        ("autosave a section (htmx POST)", save),
        (
            "plan page (the whole draft, read)",
            lambda: client.get(reverse("plan_detail", args=[plan.public_id])),
        ),
        ("student overview", lambda: client.get(reverse("student", args=[student.public_id]))),
    ]
    # How often a request asks the policy (each evaluation reads the user's ties to the student).
    from tandem.access import policy

    evaluations = [0]
    ties = policy._ties

    def counted(*args: object, **kwargs: object) -> frozenset[str]:
        evaluations[0] += 1
        return ties(*args, **kwargs)  # type: ignore[arg-type]

    policy._ties = counted  # type: ignore[assignment]
    print(f"database: {db}")
    for label, call in cases:
        call()  # warm up
        times, queries = [], 0
        evaluations[0] = 0
        for _ in range(args.runs):
            with CaptureQueriesContext(connection) as ctx:
                started = time.perf_counter()
                response = call()
                times.append((time.perf_counter() - started) * 1000)
            assert response.status_code == 200, (label, response.status_code)  # type: ignore[attr-defined]
            queries = len(ctx)
        times.sort()
        p95 = times[max(0, int(len(times) * 0.95) - 1)]
        print(
            f"{label}: median {statistics.median(times):.1f} ms, p95 {p95:.1f} ms, "
            f"{queries} queries, {evaluations[0] / args.runs:.0f} policy evaluations"
        )


if __name__ == "__main__":
    main()
