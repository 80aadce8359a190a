"""Issuing a school's progress reports as PDFs on 2 cores: minutes for 500 reports.

    .venv/bin/python bench/reports_pdf.py [--reports 500] [--workers 2] [--goals 3]

Builds a throwaway SQLite database (WAL) with one school, its marking periods, a case manager
and `--reports` students, each with an active IEP of `--goals` goals and 16 weekly data points a
goal in the first quarter. Drafts every report in the main process (timed apart), then issues
them in a process pool of `--workers` processes: each issue reads the data, draws each goal's
graph (matplotlib SVG), renders the PDF in the parent's language (WeasyPrint), freezes the
report, meets its deadline and records the delivery, exactly as `tandem.reports.actions` does
for the background batch. Prints minutes, reports per minute and the median PDF size.
"""

from __future__ import annotations

import argparse
import logging
import os
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

GOAL = (
    "By June 2027, when given a grade-level passage, {name} will answer comprehension "
    "questions with 80% accuracy in 4 of 5 sessions, as measured by weekly probes."
)
Q1 = ("Quarter 1", date(2026, 8, 19), date(2026, 10, 16), date(2026, 10, 23))


def setup(db: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["TASKS_BACKEND"] = "django_tasks.backends.immediate.ImmediateBackend"
    import django

    django.setup()
    logging.getLogger("weasyprint").setLevel(logging.ERROR)
    logging.getLogger("fontTools").setLevel(logging.ERROR)


def build(count: int, goals: int) -> list[int]:
    """The school, its students and their IEPs with data; returns the draft reports' ids."""
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    from tandem.people.models import (
        CaseloadAssignment,
        Guardian,
        MarkingPeriod,
        Role,
        SchoolCalendar,
        StudentGuardian,
    )
    from tandem.plans.models import Goal, Plan, PlanKind, PlanStatus
    from tandem.progress.models import DataPoint
    from tandem.reports import actions, schedule
    from tests.factories import make_district, make_school, make_staff, make_student

    district = make_district(name="Riverside Unified", state="CA", slug="bench-reports")
    school = make_school(district, name="North Elementary", code="N")
    calendar = SchoolCalendar.objects.create(
        district=district, school_year="2026-2027", first_day=Q1[1], last_day=date(2027, 6, 10)
    )
    MarkingPeriod.objects.create(
        calendar=calendar, name=Q1[0], start=Q1[1], end=Q1[2], report_card_date=Q1[3]
    )
    staff = make_staff("cm@bench.test", [(Role.CASE_MANAGER, district, school)])
    user = staff.user
    sessions = [Q1[1] + timedelta(days=5 + 3 * i) for i in range(16)]
    report_ids = []
    period = schedule.Period(*Q1)
    for n in range(count):
        student = make_student(school, first=f"Kid{n}", last="Bench", sis_id=f"B{n:05d}")
        CaseloadAssignment.objects.create(staff=staff, student=student, start_date=Q1[1])
        guardian = Guardian.objects.create(
            district=district,
            first_name="Pat",
            last_name="Bench",
            preferred_language="es" if n % 3 == 0 else "en",
        )
        StudentGuardian.objects.create(student=student, guardian=guardian, relationship="parent")
        plan = Plan.objects.create(
            student=student,
            kind=PlanKind.IEP,
            status=PlanStatus.ACTIVE,
            effective_from=Q1[1],
            effective_to=date(2027, 8, 18),
            created_by=user,
        )
        rows = [
            Goal.objects.create(plan=plan, area=f"Area {k + 1}", text=GOAL.format(name=f"Kid{n}"))
            for k in range(goals)
        ]
        DataPoint.objects.bulk_create(
            DataPoint(
                goal=g,
                goal_lineage=g.lineage,
                student=student,
                taken_on=day,
                percent=min(100.0, 40 + (k + 1) * i * 1.5 + (i % 3)),
                value=min(100.0, 40 + (k + 1) * i * 1.5 + (i % 3)),
                recorded_by=user,
            )
            for k, g in enumerate(rows)
            for i, day in enumerate(sessions)
        )
        report_ids.append(actions.draft_report(actor=user, student=student, period=period).pk)
    return report_ids


def _issue_slice(db: str, ids: list[int]) -> list[tuple[int, float]]:
    setup(Path(db))
    from django.db import OperationalError

    from tandem.reports import actions
    from tandem.reports.models import ProgressReport

    sizes = []
    for pk in ids:
        began = time.perf_counter()
        report = ProgressReport.objects.select_related("student", "created_by").get(pk=pk)
        for attempt in range(5):
            try:
                issued = actions.issue_report(actor=report.created_by, report=report)
                break
            except OperationalError:  # "database is locked" past the timeout: try again
                time.sleep(0.5 * (attempt + 1))
        else:
            raise RuntimeError(f"report {pk} could not be issued")
        sizes.append((len(bytes(issued.pdf)), time.perf_counter() - began))
    return sizes


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--reports", type=int, default=500)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--goals", type=int, default=3)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="tandem-bench-reports-"))
    db = tmp / "bench.sqlite3"
    setup(db)
    started = time.perf_counter()
    ids = build(args.reports, args.goals)
    drafted = time.perf_counter() - started
    from django.db import connections

    connections.close_all()
    slices = [ids[i :: args.workers] for i in range(args.workers)]
    started = time.perf_counter()
    with ProcessPoolExecutor(max_workers=args.workers) as pool:
        done = [
            s for part in pool.map(_issue_slice, [str(db)] * args.workers, slices) for s in part
        ]
    seconds = time.perf_counter() - started
    sizes = [size for size, _ in done]
    each = sorted(t for _, t in done)
    # The first issue in each process pays for importing WeasyPrint and matplotlib.
    steady = statistics.median(each[: max(len(each) - args.workers, 1)])
    print(f"students with an IEP of {args.goals} goals: {args.reports}")
    print(f"setup and drafting (1 process): {drafted:.1f} s")
    print(
        f"issued {len(sizes)} reports as PDFs on {args.workers} processes: "
        f"{seconds / 60:.2f} minutes ({len(sizes) / (seconds / 60):.0f} reports a minute, "
        f"{seconds / max(len(sizes), 1) * args.workers:.2f} s per report per process)"
    )
    print(
        f"median issue (steady, per process): {steady:.2f} s; so 500 reports on "
        f"{args.workers} processes take {500 * steady / args.workers / 60:.1f} minutes"
    )
    print(f"median PDF size: {statistics.median(sizes) / 1024:.0f} KiB")
    print(f"load average while running: {os.getloadavg()[0]:.1f} (machine cores: {os.cpu_count()})")


if __name__ == "__main__":
    main()
