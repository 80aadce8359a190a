"""How long the largest plan the input limits allow takes to become a PDF, against the demo's.

    .venv/bin/python bench/pdf_bound.py [--goals 20] [--no-demo]

Builds a throwaway SQLite database and writes, through the plan actions, an IEP whose every
section is filled to the limits of tandem/core/limits.py (each long field 20,000 characters,
each section just under 100 KB, each one-line field 2,000) and whose every goal is filled too
(text 4,000, baseline and need 2,000 each), then finalizes it. Then (unless --no-demo) seeds
the demo (`seed_demo --students 120`) and takes its median plan version by snapshot size.

For each, in English and Spanish: the snapshot's bytes (what tandem/plans/pdf_document.py
compares with INLINE_MAX_BYTES), the seconds to render the HTML (in the worker's process) and
to lay out the PDF (WeasyPrint, in the child process of tandem/documents/isolated.py, as the
worker does), the PDF's size and its pages.
"""

from __future__ import annotations

import argparse
import io
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

WORDS = (
    "Maya reads 62 words correct per minute on grade-level passages and answers literal "
    "questions well, but loses meaning in longer texts; decoding multisyllable words is still "
    "effortful, and written work takes her twice as long as her classmates. "
)


def setup(db: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def text(length: int) -> str:
    """Plain prose of exactly `length` characters, a paragraph break every ~600."""
    out, n = [], 0
    while n < length:
        chunk = WORDS * 3 + "\n\n"
        out.append(chunk)
        n += len(chunk)
    return "".join(out)[:length]


def bounded_content(key: str) -> dict[str, object]:
    """Every field of the section at its limit, the whole under limits.SECTION_BYTES."""
    import json

    from tandem.core import limits
    from tandem.plans.forms_editor import specs_for

    content: dict[str, object] = {}
    for spec in specs_for(key):
        if spec.kind in ("yesno", "choice"):
            content[spec.name] = next((c for c, _label in spec.choices if c), "")
        elif spec.kind == "date":
            content[spec.name] = date.today().isoformat()
        elif spec.kind == "multi":
            content[spec.name] = ["learning", "reading"]
        elif spec.kind == "line":
            content[spec.name] = text(limits.SHORT_NOTE)
    for spec in specs_for(key):
        if spec.kind != "text":
            continue
        used = len(json.dumps(content, ensure_ascii=False).encode())
        room = limits.SECTION_BYTES - used - len(spec.name) - 64
        if room <= 0:
            break
        content[spec.name] = text(min(limits.SECTION_TEXT, room))
    return content


def build_bounded(goals: int) -> object:
    """A finalized IEP filled to the limits; returns the plan."""
    from tandem.core import limits
    from tandem.people.models import CaseloadAssignment, Role
    from tandem.plans import actions_drafts, actions_versions
    from tandem.plans.forms_editor import sections_for
    from tests.factories import (
        make_district,
        make_school,
        make_staff,
        make_student,
        meet_finalize_requirements,
    )

    district = make_district(name="Riverside Unified", state="CA", slug="bench-bound")
    school = make_school(district, name="North Elementary", code="NB")
    student = make_student(school, first="Maya", last="Lopez", date_of_birth=date(2012, 3, 14))
    staff = make_staff("cm@bound.test", [(Role.CASE_MANAGER, district, school)])
    CaseloadAssignment.objects.create(staff=staff, student=student, start_date=date(2020, 7, 1))
    user = staff.user
    meeting = date.today() - timedelta(days=20)
    plan = actions_drafts.create_draft(
        actor=user, student=student, kind="iep", today=meeting, meeting_date=meeting
    )
    for key in sections_for("iep"):
        actions_drafts.save_section(
            actor=user, plan=plan, key=key, content=bounded_content(key), expected_revision=0
        )
    for n in range(goals):
        actions_drafts.add_goal(
            actor=user,
            plan=plan,
            data={
                "area": f"Reading {n + 1}",
                "text": "By June 2027, when given a grade-level passage, Maya will read aloud "
                f"at least {70 + n} words correct per minute on 3 of 4 consecutive weekly "
                "probes, as measured by curriculum-based reading probes. "
                + text(limits.GOAL_TEXT - 200),
                "baseline": text(limits.SHORT_NOTE),
                "plaafp_need": text(limits.SHORT_NOTE),
            },
        )
    actions_drafts.add_service(
        actor=user,
        plan=plan,
        data={
            "category": "special_education",
            "name": "Specialized academic instruction in reading",
            "minutes": 30,
            "times": 3,
            "per": "week",
            "setting": "Resource room",
            "start_date": meeting,
            "end_date": meeting + timedelta(days=360),
            "provider_role": "Education specialist",
        },
    )
    meet_finalize_requirements(user, plan, meeting)
    actions_versions.finalize_plan(actor=user, plan=plan, effective_from=meeting, today=meeting)
    plan.refresh_from_db()
    return plan


def demo_median() -> object:
    """The demo's median plan version by snapshot size (seeded here)."""
    import json

    from django.core.management import call_command

    from tandem.plans.models import PlanVersion

    call_command("seed_demo", "--students", "120", stdout=io.StringIO())
    versions = sorted(
        PlanVersion.objects.select_related("plan__student"),
        key=lambda v: len(json.dumps(v.snapshot, ensure_ascii=False).encode()),
    )
    return versions[len(versions) // 2]


def measure(label: str, plan: object, version: object, runs: int) -> None:
    from pypdf import PdfReader

    from tandem.documents.isolated import write_pdf_isolated
    from tandem.plans import pdf_document

    target = pdf_document.target_for(plan, version)  # type: ignore[arg-type]
    print(f"{label}: snapshot {target.size / 1000:,.1f} KB")
    for language in ("en", "es"):
        html_s, pdf_s, pdf = [], [], b""
        for _ in range(runs):
            start = time.perf_counter()
            html = pdf_document.html_for(plan, target, language)  # type: ignore[arg-type]
            html_s.append(time.perf_counter() - start)
            start = time.perf_counter()
            pdf = write_pdf_isolated(html, seconds=3600)
            pdf_s.append(time.perf_counter() - start)
        pages = len(PdfReader(io.BytesIO(pdf)).pages)
        print(
            f"  {language}: HTML {statistics.median(html_s):.2f} s ({len(html) / 1000:,.0f} KB),"
            f" PDF {statistics.median(pdf_s):.2f} s, {len(pdf) / 1024:,.0f} KiB, {pages} pages"
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--goals", type=int, default=20)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument("--no-demo", action="store_true")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="tandem-bench-bound-") as tmp:
        setup(Path(tmp) / "bench.sqlite3")
        logging.getLogger("weasyprint").setLevel(logging.ERROR)
        logging.getLogger("fontTools").setLevel(logging.ERROR)
        plan = build_bounded(args.goals)
        measure(
            f"IEP at the limits ({args.goals} goals, every section full)",
            plan,
            plan.current_version,  # type: ignore[attr-defined]
            args.runs,
        )
        if not args.no_demo:
            version = demo_median()
            measure("The demo's median plan version", version.plan, version, args.runs)  # type: ignore[attr-defined]


if __name__ == "__main__":
    main()
