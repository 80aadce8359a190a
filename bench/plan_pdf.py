"""The PDF of a large IEP (20 goals, 15 services, 40 accommodations): seconds and pages, EN + ES.

    .venv/bin/python bench/plan_pdf.py [--runs 5]

Builds a throwaway SQLite database, writes the IEP through the plan actions (finalized, so
the PDF is of version 1), then asks the real page (`plan_version_pdf`, through the access
policy and the audit log) for the PDF in English and in Spanish, `--runs` times each. Prints the
median and the fastest seconds, the size and the number of pages.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

GOALS = 20
SERVICES = 15
ACCOMMODATIONS = 40


def setup(db: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def build() -> tuple[object, object]:
    """A finalized IEP of the size the issue names; returns (user, plan)."""
    from tandem.people.models import CaseloadAssignment, Role
    from tandem.plans import actions_drafts, actions_versions
    from tandem.rules import accommodations as library
    from tests.factories import make_district, make_school, make_staff, make_student

    district = make_district(name="Riverside Unified", state="CA", slug="bench-riverside")
    school = make_school(district, name="North Elementary", code="N")
    student = make_student(school, first="Maya", last="Lopez", date_of_birth=date(2015, 3, 14))
    staff = make_staff("cm@bench.test", [(Role.CASE_MANAGER, district, school)])
    CaseloadAssignment.objects.create(staff=staff, student=student, start_date=date(2020, 7, 1))
    user = staff.user
    meeting = date.today() - timedelta(days=20)
    plan = actions_drafts.create_draft(
        actor=user, student=student, kind="iep", today=meeting, meeting_date=meeting
    )
    words = (
        "Maya reads 62 words correct per minute on grade-level passages and answers literal "
        "questions well, but loses meaning in longer texts; decoding multisyllable words is "
        "still effortful, and written work takes her twice as long as her classmates. "
    )
    for key in ("plaafp", "strengths", "parent_concerns", "special_factors", "lre", "esy"):
        actions_drafts.save_section(
            actor=user, plan=plan, key=key, content={"text": words * 3}, expected_revision=0
        )
    for n in range(SERVICES):
        actions_drafts.add_service(
            actor=user,
            plan=plan,
            data={
                "category": ("special_education", "related", "supplementary_aid")[n % 3],
                "name": f"Service {n + 1}: specialized instruction in area {n + 1}",
                "minutes": 30,
                "times": 1 + n % 4,
                "per": "week",
                "setting": "Resource room",
                "start_date": meeting,
                "end_date": meeting + timedelta(days=360),
                "provider_role": "Education specialist",
            },
        )
    entries = [
        e
        for e in library.load_library()
        if str(e.kind) == "accommodation"
        and str(library.classify_wording(e.description).kind) != "modification"
    ]
    for n in range(ACCOMMODATIONS):
        entry = entries[n % len(entries)]
        actions_drafts.add_accommodation(
            actor=user,
            plan=plan,
            data={
                "kind": "accommodation",
                "category": str(entry.category),
                "text": f"{entry.description} ({n + 1})",
                "applies_to": sorted(str(p) for p in entry.applies_to),
                "frequency_condition": "During instruction and on classroom tests",
                "provider_role": "General education teacher",
            },
        )
    for n in range(GOALS):
        actions_drafts.add_goal(
            actor=user,
            plan=plan,
            data={
                "area": f"Reading {n + 1}",
                "text": f"By June 2027, when given a grade-level passage, Maya will read aloud at "
                f"least {70 + n} words correct per minute on 3 of 4 consecutive weekly probes, "
                "as measured by curriculum-based reading probes.",
                "baseline": "62 words correct per minute",
            },
        )
    actions_versions.finalize_plan(actor=user, plan=plan, effective_from=meeting, today=meeting)
    plan.refresh_from_db()
    return user, plan


PAGES: list[int] = []


def count_pages() -> None:
    """Note the page count of each PDF WeasyPrint writes (the same work, split in two calls)."""
    import weasyprint

    def write_pdf(
        self, target=None, zoom=1, finisher=None, font_config=None, counter_style=None, **options
    ):  # type: ignore[no-untyped-def]
        document = self.render(font_config, counter_style, **options)
        PAGES.append(len(document.pages))
        return document.write_pdf(target, zoom, finisher, **options)

    weasyprint.HTML.write_pdf = write_pdf  # type: ignore[method-assign]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tandem-bench-pdf-") as tmp:
        setup(Path(tmp) / "bench.sqlite3")
        from django.test import Client
        from django.urls import reverse

        logging.getLogger("weasyprint").setLevel(logging.ERROR)
        count_pages()
        user, plan = build()
        client = Client()
        client.force_login(user)
        url = reverse("plan_version_pdf", args=[plan.public_id, 1])  # type: ignore[attr-defined]
        print(
            f"IEP with {GOALS} goals, {SERVICES} services, {ACCOMMODATIONS} accommodations "
            f"(version 1, finalized); {args.runs} runs per language"
        )
        for language in ("en", "es"):
            times = []
            pdf = b""
            for _ in range(args.runs):
                start = time.perf_counter()
                response = client.get(url, {"lang": language})
                times.append(time.perf_counter() - start)
                assert response.status_code == 200, response.status_code
                pdf = response.content
            print(
                f"  {language}: median {statistics.median(times):.2f} s, fastest "
                f"{min(times):.2f} s, {PAGES[-1]} pages, {len(pdf) / 1024:.0f} KiB"
            )


if __name__ == "__main__":
    main()
