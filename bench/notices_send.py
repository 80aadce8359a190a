"""Meeting notices: schedule N meetings (a notice + invitations each), send them in the background
on 2 workers while the mail server is down for a while, and count what arrived.

Every email is an outbox row (MeetingMail) written with the meeting; a failed send stays queued
and is retried (deferred task, exponential backoff) until the server takes it. The mail server
here is a backend that refuses every message while a flag file exists, then records each message
it accepts in a log file, so "lost" and "sent twice" can be counted.

Run: python bench/notices_send.py [--n 1000] [--down 30] [--workers 2]
"""

from __future__ import annotations

import argparse
import os
import smtplib
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from django.core.mail.backends.base import BaseEmailBackend

ROOT = Path(__file__).resolve().parents[1]


class FlakyBackend(BaseEmailBackend):
    """A mail server that is down while $NOTICES_BENCH_DOWN exists; logs what it accepts."""

    def send_messages(self, messages):  # type: ignore[no-untyped-def]
        if os.path.exists(os.environ["NOTICES_BENCH_DOWN"]):
            raise smtplib.SMTPServerDisconnected("bench: the mail server is down")
        with open(os.environ["NOTICES_BENCH_LOG"], "a", encoding="utf-8") as log:
            for m in messages:
                kinds = ",".join(a[0] for a in m.attachments)
                log.write(f"{m.to[0]}\t{m.subject}\t{kinds}\n")
        return len(messages)


def _env(tmp: Path) -> dict[str, str]:
    (tmp / "bench_settings.py").write_text(
        "from config.settings import *  # noqa\nMEETINGS_MAIL_RETRY_SECONDS = 5\n"
    )
    return {
        **os.environ,
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(tmp), str(ROOT / "bench")]),
        "DJANGO_SETTINGS_MODULE": "bench_settings",
        "DATABASE_URL": f"sqlite:///{tmp / 'notices.sqlite3'}",
        "DEBUG": "true",
        "SECRET_KEY": "bench-only",
        "TASKS_BACKEND": "django_tasks_db.DatabaseBackend",
        "EMAIL_BACKEND": "notices_send.FlakyBackend",
        "NOTICES_BENCH_DOWN": str(tmp / "down"),
        "NOTICES_BENCH_LOG": str(tmp / "sent.log"),
    }


def setup(n: int) -> float:
    """Students with a parent, a case manager, a teacher and a principal; N meetings scheduled."""
    import django

    django.setup()
    from django.db import transaction
    from django.utils import timezone

    from tandem.accounts.models import User
    from tandem.meetings import actions_scheduling as actions
    from tandem.meetings import rules
    from tandem.meetings.models import MeetingKind, PlaceKind
    from tandem.people.models import (
        CaseloadAssignment,
        ClassEnrollment,
        ClassSection,
        District,
        Guardian,
        Role,
        School,
        Staff,
        StaffRole,
        Student,
        StudentGuardian,
    )

    district = District.objects.create(name="Bench USD", slug="bench", state="CA")
    school = School.objects.create(
        district=district, name="Bench Elementary", code="B", lowest_grade="K", highest_grade="5"
    )

    def staff(email: str, role: str) -> Staff:
        user = User.objects.create_user(email=email, password="x", first_name=email.split("@")[0])
        person = Staff.objects.create(user=user)
        StaffRole.objects.create(
            staff=person, district=district, school=school, role=role, start_date=date(2020, 7, 1)
        )
        return person

    cm = staff("cm@bench.test", Role.CASE_MANAGER)
    teacher = staff("teacher@bench.test", Role.TEACHER)
    staff("principal@bench.test", Role.SCHOOL_ADMIN)
    section = ClassSection.objects.create(
        school=school,
        teacher=teacher,
        name="Grade 3",
        school_year="2026-2027",
        start_date=date(2020, 8, 1),
    )
    students = Student.objects.bulk_create(
        Student(
            district=district,
            school=school,
            sis_id=f"B{i:05d}",
            legal_first_name=f"Kid{i:05d}",
            legal_last_name="Bench",
            date_of_birth=date(2017, 3, 14),
            grade="3",
            enrollment_date=date(2022, 8, 20),
            sex="F",
            search_text=f"kid{i:05d}",
        )
        for i in range(n)
    )
    students = list(Student.objects.filter(district=district).order_by("sis_id"))
    guardians = Guardian.objects.bulk_create(
        Guardian(
            district=district,
            first_name=f"Parent{i:05d}",
            last_name="Bench",
            email=f"parent{i:05d}@bench.test",
            preferred_language="es" if i % 3 == 0 else "en",
        )
        for i in range(n)
    )
    guardians = list(Guardian.objects.filter(district=district).order_by("email"))
    StudentGuardian.objects.bulk_create(
        StudentGuardian(student=s, guardian=g, relationship="mother", primary_contact=True)
        for s, g in zip(students, guardians, strict=True)
    )
    CaseloadAssignment.objects.bulk_create(
        CaseloadAssignment(staff=cm, student=s, start_date=date(2020, 8, 1)) for s in students
    )
    ClassEnrollment.objects.bulk_create(
        ClassEnrollment(section=section, student=s, start_date=date(2020, 8, 1)) for s in students
    )
    zone = ZoneInfo(district.time_zone)
    base = timezone.localtime(timezone.now(), zone).date() + timedelta(days=20)
    started = time.perf_counter()
    for i, student in enumerate(students):
        day = base + timedelta(days=i % 60)
        start = datetime(day.year, day.month, day.day, 8 + (i // 60) % 9, 0, tzinfo=zone)
        keys = [
            c.key for c in rules.candidates(student, MeetingKind.ANNUAL_REVIEW, day) if c.required
        ]
        with transaction.atomic():
            actions.schedule_meeting(
                actor=cm.user,
                student=student,
                kind=MeetingKind.ANNUAL_REVIEW,
                times=[actions.TimeOption(start, start + timedelta(hours=1))],
                place_kind=PlaceKind.IN_PERSON,
                place_details="Room 1",
                invitee_keys=keys,
            )
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--n", type=int, default=1000, help="meetings (one notice each)")
    parser.add_argument("--down", type=float, default=30, help="seconds the mail server is down")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=1800)
    args = parser.parse_args()
    tmp = Path(tempfile.mkdtemp(prefix="tandem-notices-"))
    env = _env(tmp)
    manage = [sys.executable, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    os.environ.update(env)
    sys.path[:0] = env["PYTHONPATH"].split(os.pathsep)
    (tmp / "down").touch()  # the mail server is down from the start
    scheduled = setup(args.n)
    from tandem.meetings.models import MailKind, MailStatus, MeetingMail

    total = MeetingMail.objects.count()
    notices = MeetingMail.objects.filter(kind=MailKind.NOTICE).count()
    print(
        f"scheduled {args.n} meetings in {scheduled:.1f} s "
        f"({1000 * scheduled / args.n:.0f} ms each, notice generated and hashed in each); "
        f"{total} emails queued, {notices} of them notices with a PDF"
    )
    workers = [
        subprocess.Popen(
            [
                *manage,
                "db_worker",
                "--interval",
                "0.5",
                "--no-startup-delay",
                "--no-reload",
                "--worker-id",
                f"bench-{i}",
                "-v0",
            ],
            env=env,
            cwd=ROOT,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for i in range(args.workers)
    ]
    started = time.perf_counter()
    up_at = None
    try:
        while time.perf_counter() - started < args.timeout:
            elapsed = time.perf_counter() - started
            if up_at is None and elapsed >= args.down:
                (tmp / "down").unlink()
                up_at = elapsed
                failed = MeetingMail.objects.filter(
                    attempts__gt=0, status=MailStatus.QUEUED
                ).count()
                print(
                    f"mail server back after {elapsed:.0f} s; {failed} emails had failed and wait for a retry"
                )
            if (
                up_at is not None
                and not MeetingMail.objects.filter(status=MailStatus.QUEUED).exists()
            ):
                break
            time.sleep(1)
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            worker.wait(timeout=30)
    elapsed = time.perf_counter() - started
    sent = MeetingMail.objects.filter(status=MailStatus.SENT).count()
    lines = (
        (tmp / "sent.log").read_text(encoding="utf-8").splitlines()
        if (tmp / "sent.log").exists()
        else []
    )
    counts = Counter(lines)
    delivered = len(counts)
    twice = sum(c - 1 for c in counts.values() if c > 1)
    notice_lines = sum(1 for line in counts if "meeting-notice.pdf" in line)
    retried = MeetingMail.objects.filter(attempts__gt=1).count()
    after_up = elapsed - (up_at or 0)
    print(
        f"{args.workers} workers: all done {elapsed:.0f} s after start "
        f"({elapsed / 60:.1f} min; {after_up:.0f} s after the server came back)"
    )
    print(
        f"emails: {sent}/{total} marked sent; {delivered} distinct received by the server, "
        f"{twice} received twice; notices with PDF received: {notice_lines}/{notices}; "
        f"retried: {retried}; lost: {total - delivered}"
    )
    print(f"throughput once up: {delivered / max(after_up, 1):.1f} emails/s")


if __name__ == "__main__":
    main()
