"""Service sessions at scale: bulk-inserts N student-session rows into a seeded database.

Run: python bench/seed_sessions.py --db PATH [--sessions 2000000] [--iep-percent 14]
(or python bench/seed_100k.py --sessions 2000000, which runs this after seed_demo).

The large seed writes a few hundred active plans at any size, with few service lines and no
sessions, so, like the rest of that seed (bulk_create, no actions), this first gives
--iep-percent (default 14, about the national share served under IDEA) of the students without
a plan an active IEP, then gives every active plan without a service a
speech line (30 minutes twice a week; every third plan also occupational therapy weekly), gives
each district's provider-role staff a profile and a licence in the district's state, and assigns
each service's student to one of them. Then, day by day over the school year up to demo today, it
walks the services in provider order, cursor carried across days so every service is served
evenly, and logs groups of 1 to 4: mostly delivered, one session in twenty missed by the provider
(owed), one row in twelve a student absence, some partial; makeups name the student's missed
row; one session in nine by teletherapy with its link and
facilitator; every session signed with the provider's licence snapshot. One day's rows at a time,
so memory stays bounded. Prints rows/s and the time.
"""

from __future__ import annotations

import argparse
import math
import os
import resource
import sys
import time
from datetime import date, datetime, timedelta
from datetime import time as clock_time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

GROUP_SIZES = (1, 2, 1, 3, 2, 4, 1, 2)


def setup(db: Path) -> None:
    os.environ.update(DATABASE_URL=f"sqlite:///{db}", SECRET_KEY="bench", DEBUG="false")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def add_plans(percent: int) -> None:
    """Active IEPs for `percent` of the students who have no plan, as a district has.

    The demo's plans do not grow with --students (a few hundred at any size), while about 15% of
    a US district's students are served under IDEA: without these the director's page of a
    100,000-student district would count a few hundred mandates, not tens of thousands.
    """
    from tandem.accounts.models import User
    from tandem.demo.referrals import YEAR_START
    from tandem.people.models import Student
    from tandem.plans.models import Plan, PlanKind, PlanStatus

    if percent <= 0:
        return
    author = User.objects.filter(email="director@riverside.example").values_list("pk", flat=True)
    bare = list(
        Student.objects.exclude(pk__in=Plan.objects.values("student_id"))
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    step = max(1, round(100 / percent))
    plans = [
        Plan(student_id=student, kind=PlanKind.IEP, status=PlanStatus.ACTIVE,
             meeting_date=YEAR_START - timedelta(days=20 + n % 200),
             effective_from=YEAR_START - timedelta(days=n % 200),
             effective_to=YEAR_START + timedelta(days=364 - n % 200),
             annual_review_due=YEAR_START + timedelta(days=344 - n % 200),
             created_by_id=author[0])
        for n, student in enumerate(bare[::step])
    ]  # fmt: skip
    Plan.objects.bulk_create(plans, batch_size=5000)
    print(f"active IEPs added for {len(plans):,} of {len(bare):,} students without a plan")


def prepare() -> list[tuple[int, int, str, int, int, date]]:  # noqa: PLR0915 - straight bulk inserts
    """Services, providers, licences, assignments; returns (provider, user, licence, service,
    student, start) rows ordered by provider, as plain values."""
    from tandem.demo.referrals import YEAR_START
    from tandem.people.models import ProviderAssignment, Role, StaffRole
    from tandem.plans.models import Plan, PlanStatus, Service
    from tandem.services.models import ProviderLicence, ProviderProfile

    active = Plan.objects.filter(status=PlanStatus.ACTIVE)
    bare = list(
        active.exclude(services__isnull=False).values_list("id", "effective_from", named=False)
    )
    new = []
    for i, (plan_id, since) in enumerate(bare):
        start = max(since or YEAR_START, YEAR_START)
        new.append(
            Service(plan_id=plan_id, category="related", name="Speech-language therapy",
                    minutes=30, times=2, per="week", start_date=start,
                    provider_role="Speech-language pathologist")
        )  # fmt: skip
        if i % 3 == 0:
            new.append(
                Service(plan_id=plan_id, category="related", name="Occupational therapy",
                        minutes=30, times=1, per="week", start_date=start,
                        provider_role="Occupational therapist")
            )  # fmt: skip
    Service.objects.bulk_create(new, batch_size=5000)
    print(f"service lines added to {len(bare):,} active plans: {len(new):,}", flush=True)

    providers: dict[int, dict[str, list[tuple[int, int, str]]]] = {}
    roles = StaffRole.objects.filter(role=Role.PROVIDER).values_list(
        "staff_id", "staff__user_id", "district_id", "district__state"
    )
    profiles = dict(ProviderProfile.objects.values_list("staff_id", "discipline"))
    licences = {
        (s, st): f"{st} {n}"
        for s, st, n in ProviderLicence.objects.values_list("staff", "state", "number")
    }
    add_profiles, add_licences = [], []
    for n, (staff, user, district, state) in enumerate(sorted(set(roles))):
        discipline = profiles.get(staff)
        if discipline is None:
            discipline = "ot" if n % 3 == 2 else "slp"
            add_profiles.append(
                ProviderProfile(staff_id=staff, discipline=discipline,
                                credentials="OTR/L" if discipline == "ot" else "CCC-SLP",
                                modality="both" if n % 6 == 0 else "in_person")
            )  # fmt: skip
            profiles[staff] = discipline
        if (staff, state) not in licences:
            number = f"B{staff:06d}"
            add_licences.append(
                ProviderLicence(staff_id=staff, state=state, number=number,
                                credentials="OTR/L" if discipline == "ot" else "CCC-SLP",
                                expires=date(2028, 6, 30))
            )  # fmt: skip
            licences[staff, state] = f"{state} {number}"
        kind = "ot" if discipline in ("ot", "ota") else "slp"
        providers.setdefault(district, {}).setdefault(kind, []).append(
            (staff, user, licences[staff, state])
        )
    ProviderProfile.objects.bulk_create(add_profiles)
    ProviderLicence.objects.bulk_create(add_licences)

    services = Service.objects.filter(
        plan__status=PlanStatus.ACTIVE, name__in=["Speech-language therapy", "Occupational therapy"]
    ).values_list("id", "lineage", "name", "plan__student_id", "plan__student__district_id",
                  "start_date")  # fmt: skip
    rows, assignments = [], []
    for n, (service, lineage, name, student, district, start) in enumerate(services.iterator()):
        pool = providers.get(district, {}).get("ot" if name.startswith("Occ") else "slp")
        if not pool:
            continue
        staff, user, licence = pool[n % len(pool)]
        rows.append((staff, user, licence, service, str(lineage), student, district,
                     max(start or YEAR_START, YEAR_START)))  # fmt: skip
        assignments.append(
            ProviderAssignment(staff_id=staff, student_id=student, district_id=district,
                               service_area=name, start_date=YEAR_START)
        )  # fmt: skip
    ProviderAssignment.objects.bulk_create(assignments, batch_size=5000, ignore_conflicts=True)
    rows.sort()
    print(
        f"{len(add_profiles)} provider profiles, {len(add_licences)} licences added; "
        f"{len(rows):,} services to serve",
        flush=True,
    )
    return rows  # type: ignore[return-value]


def school_days(first: date, last: date) -> list[date]:
    days, day = [], first
    while day <= last:
        if day.weekday() < 5:
            days.append(day)
        day += timedelta(days=1)
    return days


def log_sessions(target: int, iep_percent: int = 0) -> None:  # noqa: C901, PLR0912, PLR0915 - one generation loop
    from django.db import transaction
    from django.utils import timezone

    from tandem.core import clock
    from tandem.demo.referrals import YEAR_START, demo_today
    from tandem.services.models import AttendanceCode, Modality, ServiceSession, SessionAttendance

    started = time.perf_counter()
    with transaction.atomic():
        add_plans(iep_percent)
        services = prepare()
    if not services:
        raise SystemExit("no services with a provider to serve")
    today = demo_today(clock.today())
    days = school_days(YEAR_START, today - timedelta(days=1))
    per_day = math.ceil(target / len(days))
    print(f"{len(days)} school days {days[0]} to {days[-1]}; ~{per_day:,} rows a day", flush=True)
    cursor = written = sessions_written = k = r = 0
    pending: dict[int, int] = {}  # service -> its latest provider-caused missed row
    seeded = time.perf_counter()
    for day in days:
        if written >= target:
            break
        signed = timezone.make_aware(datetime.combine(day, clock_time(16, 0)))
        sessions: list[ServiceSession] = []
        members: list[list[tuple]] = []  # type: ignore[type-arg]
        slot: dict[int, int] = {}
        today_rows = 0
        tries = 0
        while today_rows < min(per_day, target - written) and tries < len(services):
            size = GROUP_SIZES[k % len(GROUP_SIZES)]
            group = []
            while len(group) < size and tries < len(services):
                row = services[cursor]
                cursor = (cursor + 1) % len(services)
                tries += 1
                if row[7] > day or (group and row[0] != group[0][0]):
                    if group:
                        break
                    continue
                group.append(row)
            if not group:
                break
            staff, user, licence = group[0][0], group[0][1], group[0][2]
            n = slot.get(staff, 0)
            slot[staff] = n + 1
            minute = 7 * 60 + 35 * (n % 14)
            tele = k % 9 == 0
            late = k % 50 == 0
            at = signed + timedelta(days=10) if late else signed
            sessions.append(
                ServiceSession(
                    provider_id=staff, created_by_id=user, created_at=at, day=day,
                    start_time=clock_time(minute // 60, minute % 60), minutes=30,
                    modality=Modality.TELETHERAPY if tele else Modality.IN_PERSON,
                    platform="Zoom" if tele else "",
                    join_url=f"https://tele.example/{k}" if tele else "",
                    facilitator="Classroom aide" if tele else "", signed_at=at,
                    signed_licence=licence,
                    signed_credentials="OTR/L" if "Occ" in licence else "CCC-SLP", late=late,
                )
            )  # fmt: skip
            members.append(group)
            k += 1
            today_rows += len(group)
        with transaction.atomic():  # one commit a day: a commit per batch costs more than the rows
            made = ServiceSession.objects.bulk_create(sessions, batch_size=2000)
            attendance = []
            provider_missed = []
            for session, group in zip(made, members, strict=True):
                missed = session.pk % 20 == 7
                for row in group:
                    student = row[5]
                    r += 1
                    makes_up = None
                    if missed:
                        code, minutes = AttendanceCode.PROVIDER_ABSENT, 0
                    elif r % 12 == 5:
                        code, minutes = AttendanceCode.STUDENT_ABSENT, 0
                    elif row[3] in pending and r % 3 == 0:
                        code, minutes, makes_up = AttendanceCode.MAKEUP, 30, pending.pop(row[3])
                    elif r % 40 == 3:
                        code, minutes = AttendanceCode.DELIVERED_PARTIAL, 20
                    else:
                        code, minutes = AttendanceCode.DELIVERED, 30
                    attendance.append(
                        SessionAttendance(session_id=session.pk, student_id=student,
                                          service_id=row[3], lineage=row[4], code=code,
                                          minutes=minutes, makes_up_id=makes_up)
                    )  # fmt: skip
                    if missed:
                        provider_missed.append((row[3], len(attendance) - 1))
            SessionAttendance.objects.bulk_create(attendance, batch_size=2000)
            for service, index in provider_missed:
                pending[service] = attendance[index].pk
        written += len(attendance)
        sessions_written += len(made)
        elapsed = time.perf_counter() - seeded
        if day.day in (1, 15) or written >= target:
            print(f"  {day}: {written:,} rows, {sessions_written:,} sessions, "
                  f"{written / elapsed:,.0f} rows/s", flush=True)  # fmt: skip
    elapsed = time.perf_counter() - seeded
    print(
        f"sessions: {written:,} student-session rows in {sessions_written:,} sessions, "
        f"{elapsed:.1f} s ({written / elapsed:,.0f} rows/s); with preparation "
        f"{time.perf_counter() - started:.1f} s; peak memory "
        f"{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MiB",
        flush=True,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", type=Path, required=True)
    parser.add_argument("--sessions", type=int, default=2_000_000, help="student-session rows")
    parser.add_argument(
        "--iep-percent",
        type=int,
        default=14,
        help="give this percent of the students without a plan an active IEP first (0: none)",
    )
    args = parser.parse_args()
    setup(args.db.resolve())
    log_sessions(args.sessions, args.iep_percent)
    return 0


if __name__ == "__main__":
    sys.exit(main())
