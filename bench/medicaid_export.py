"""The Medicaid export of one month: seconds and peak memory, streamed, on generated sessions.

    .venv/bin/python bench/medicaid_export.py                      # 2,000 students, ~17,000 rows
    .venv/bin/python bench/medicaid_export.py --students 20000     # ~170,000 rows
    .venv/bin/python bench/medicaid_export.py --db PATH            # a database that has sessions

Without --db: migrates a throwaway SQLite database and generates (bulk, no actions) one Texas
district, a speech IEP per student (30 minutes twice a week), one SLP per 50 students with an
NPI and a Texas licence (every tenth SLP with none, to exercise the unbillable list), consent on
file for four students in five, and a month of signed sessions (twice a week; one group of two
in four, one absence in ten). With --db: uses the first district with sessions, and its busiest
month.

Times, for the month: the billable CSV and the unbillable CSV, each as the view streams it
(`medicaid_export.rows_of(medicaid.lines(...))`, consumed line by line and counted), with
Python's peak allocation (tracemalloc, a separate run, as it slows Python down) and the process's
peak resident memory; then the download through the view with the test client, streamed.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
import tracemalloc
from datetime import date, timedelta
from datetime import time as clock_time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

MONTH = (date(2025, 10, 1), date(2025, 10, 31))
STUDENTS_PER_SLP = 50


def setup(db: Path | None) -> Path:
    fresh = db is None
    if db is None:
        db = Path(tempfile.mkdtemp(prefix="tandem-bench-")) / "medicaid.sqlite3"
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
    if fresh:
        from django.core.management import call_command

        call_command("migrate", verbosity=0)
    return db


def generate(students: int) -> None:  # noqa: PLR0915 - one straight line of bulk inserts
    from django.db import transaction

    from tandem.accounts.models import User
    from tandem.people.models import (
        District,
        ProviderAssignment,
        Role,
        School,
        Staff,
        StaffRole,
        Student,
    )
    from tandem.plans.models import Plan, PlanKind, PlanStatus, Service
    from tandem.rules import npi
    from tandem.services.models import (
        AttendanceCode,
        MedicaidConsent,
        MedicaidEntryKind,
        ProviderLicence,
        ProviderProfile,
        ServiceSession,
        SessionAttendance,
    )

    started = time.perf_counter()
    with transaction.atomic():
        district = District.objects.create(name="Bench ISD", state="TX", slug="bench-isd")
        schools = School.objects.bulk_create(
            School(district=district, name=f"School {i}", code=f"S{i}", lowest_grade="K",
                   highest_grade="5")
            for i in range(max(1, students // 500))
        )  # fmt: skip
        admin = User.objects.create_user(email="director@bench.example", password="x")
        admin_staff = Staff.objects.create(user=admin)
        StaffRole.objects.create(
            staff=admin_staff, role=Role.DISTRICT_ADMIN, district=district,
            start_date=date(2020, 7, 1),
        )  # fmt: skip
        kids = Student.objects.bulk_create(
            Student(district=district, school=schools[i % len(schools)], sis_id=f"B{i:07d}",
                    legal_first_name=f"Kid{i}", legal_last_name="Bench",
                    date_of_birth=date(2016, 1, 1), grade="3",
                    enrollment_date=date(2022, 8, 20), sex="F")
            for i in range(students)
        )  # fmt: skip
        plans = Plan.objects.bulk_create(
            Plan(student=k, kind=PlanKind.IEP, status=PlanStatus.ACTIVE, created_by=admin,
                 effective_from=date(2025, 8, 20), effective_to=date(2026, 8, 19))
            for k in kids
        )  # fmt: skip
        services = Service.objects.bulk_create(
            Service(plan=p, category="related", name="Speech-language therapy", minutes=30,
                    times=2, per="week", start_date=date(2025, 8, 20), end_date=date(2026, 6, 1))
            for p in plans
        )  # fmt: skip
        slps = []
        for i in range(max(1, students // STUDENTS_PER_SLP)):
            user = User.objects.create_user(
                email=f"slp{i}@bench.example", password="x", first_name="Slp", last_name=str(i)
            )
            staff = Staff.objects.create(user=user)
            StaffRole.objects.create(
                staff=staff, role=Role.PROVIDER, district=district, start_date=date(2020, 7, 1)
            )
            nine = f"{100000000 + i:09d}"
            ProviderProfile.objects.create(
                staff=staff, discipline="slp", credentials="CCC-SLP",
                npi="" if i % 10 == 9 else nine + str(npi.check_digit(nine)),
            )  # fmt: skip
            if i % 10 != 9:
                ProviderLicence.objects.create(
                    staff=staff, state="TX", number=f"TX{i}", credentials="CCC-SLP",
                    expires=date(2027, 1, 1),
                )  # fmt: skip
            slps.append(staff)
        ProviderAssignment.objects.bulk_create(
            ProviderAssignment(staff=slps[i // STUDENTS_PER_SLP % len(slps)], student=k,
                               district=district, service_area="Speech-language therapy",
                               start_date=date(2025, 8, 1))
            for i, k in enumerate(kids)
        )  # fmt: skip
        MedicaidConsent.objects.bulk_create(
            MedicaidConsent(student=k, kind=kind, on=date(2025, 9, 2),
                            medicaid_id=f"TX{i:08d}" if kind == MedicaidEntryKind.CONSENT else "")
            for i, k in enumerate(kids) if i % 5
            for kind in (MedicaidEntryKind.CONSENT, MedicaidEntryKind.NOTICE)
        )  # fmt: skip
        from django.utils import timezone

        signed_at = timezone.make_aware(timezone.datetime(2025, 11, 1, 16, 0))
        rows = 0
        day = MONTH[0]
        while day <= MONTH[1]:
            if day.weekday() in (1, 3):  # Tuesdays and Thursdays
                sessions, members = [], []
                for s, slp in enumerate(slps):
                    group = kids[s * STUDENTS_PER_SLP : (s + 1) * STUDENTS_PER_SLP]
                    slot, i = 0, 0
                    while i < len(group):
                        size = 2 if (i // 2) % 4 == 3 and i + 1 < len(group) else 1
                        minute = 8 * 60 + 20 * slot
                        sessions.append(
                            ServiceSession(provider=slp, day=day, minutes=30,
                                           start_time=clock_time(minute // 60 % 24, minute % 60),
                                           signed_at=signed_at, created_at=signed_at)
                        )  # fmt: skip
                        members.append([i + j for j in range(size)])
                        slot, i = slot + 1, i + size
                    made = ServiceSession.objects.bulk_create(sessions)
                    attendance = []
                    for session, who in zip(made, members, strict=True):
                        for j in who:
                            kid = group[j]
                            idx = s * STUDENTS_PER_SLP + j
                            absent = (idx + day.day) % 10 == 0
                            attendance.append(
                                SessionAttendance(
                                    session=session, student=kid, service=services[idx],
                                    lineage=services[idx].lineage,
                                    code=AttendanceCode.STUDENT_ABSENT if absent
                                    else AttendanceCode.DELIVERED,
                                    minutes=0 if absent else 30,
                                )
                            )  # fmt: skip
                    SessionAttendance.objects.bulk_create(attendance)
                    rows += len(attendance)
                    sessions, members = [], []
            day += timedelta(days=1)
    print(
        f"generated {students:,} students, {len(slps)} SLPs, {rows:,} session rows in "
        f"{time.perf_counter() - started:.1f}s",
        flush=True,
    )


def busiest_month() -> tuple[object, date, date]:
    from django.db.models import Count
    from django.db.models.functions import TruncMonth

    from tandem.people.models import District
    from tandem.services.models import SessionAttendance

    top = (
        SessionAttendance.objects.annotate(month=TruncMonth("session__day"))
        .values("student__district_id", "month")
        .annotate(n=Count("id"))
        .order_by("-n")
        .first()
    )
    if top is None:
        raise SystemExit("no sessions in this database: run without --db to generate some")
    district = District.objects.get(pk=top["student__district_id"])
    first = top["month"] if isinstance(top["month"], date) else top["month"].date()
    last = (first + timedelta(days=32)).replace(day=1) - timedelta(days=1)
    return district, first, last


def consume(district, start, end, which) -> tuple[int, int, float]:  # type: ignore[no-untyped-def]
    from tandem.services import medicaid, medicaid_export

    started = time.perf_counter()
    lines = size = 0
    for text in medicaid_export.rows_of(medicaid.lines(district, start, end), which):
        lines += 1
        size += len(text)
    return lines - 1, size, time.perf_counter() - started


def rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path)
    parser.add_argument("--students", type=int, default=2000)
    args = parser.parse_args()
    setup(args.db)
    if args.db is None:
        generate(args.students)
        from tandem.people.models import District

        district, start, end = District.objects.get(slug="bench-isd"), *MONTH
    else:
        district, start, end = busiest_month()
    from django.test import Client
    from django.test.utils import setup_test_environment

    from tandem.services import medicaid, medicaid_export
    from tandem.services.medicaid_profiles import profile_for

    rows = medicaid.attendance_in(district, start, end).count()  # type: ignore[arg-type]
    profile = profile_for(district.state).key  # type: ignore[attr-defined]
    print(f"{district} ({profile} profile), {start} to {end}: {rows:,} student-session rows")
    print(f"{'':22} {'lines':>9} {'MB out':>8} {'seconds':>8} {'py peak MB':>11} {'rss MB':>8}")
    for which in (medicaid_export.BILLABLE, medicaid_export.UNBILLABLE):
        lines, size, seconds = consume(district, start, end, which)
        tracemalloc.start()
        consume(district, start, end, which)
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        print(
            f"{which + ' CSV':22} {lines:9,} {size / 1e6:8.1f} {seconds:8.2f} "
            f"{peak / 1e6:11.1f} {rss_mb():8.0f}"
        )
    setup_test_environment()
    from django.contrib.auth import get_user_model

    admin = (
        get_user_model()
        .objects.filter(staff__roles__role="district_admin", staff__roles__district=district)
        .first()
    )
    if admin is None:
        return
    client = Client()
    client.force_login(admin)
    started = time.perf_counter()
    response = client.get(
        "/services/medicaid/billable.csv",
        {"district": str(district.public_id), "start": start, "end": end},  # type: ignore[attr-defined]
    )
    size = sum(len(chunk) for chunk in response.streaming_content)  # type: ignore[attr-defined]
    print(
        f"{'view, streamed':22} {'':>9} {size / 1e6:8.1f} {time.perf_counter() - started:8.2f} "
        f"{'':>11} {rss_mb():8.0f}  (status {response.status_code})"
    )


if __name__ == "__main__":
    main()
