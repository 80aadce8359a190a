"""Writing a planned demo world to the database: districts, schools and calendars, staff
accounts and class sections, then students with their families, rosters, caseloads and teams,
a few thousand at a time, with bulk inserts in one transaction.

`bulk_create` bypasses `save()` and signals, so `Student.search_text` is computed here and
`User.username` is set to the email as `User.save` would; django-simple-history writes no
historical rows for seeded students and guardians (their history starts with the first change).
"""

from __future__ import annotations

import random
import time
import uuid
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.hashers import make_password
from django.db import connection, models, transaction

from tandem.accounts.models import User
from tandem.demo.districts import GRADE_CODES, SCHOOL_YEAR
from tandem.demo.personas import DEMO_PASSWORD
from tandem.demo.world_plan import Plan, PlannedFamily
from tandem.people.models import (
    CalendarClosure,
    CaseloadAssignment,
    ClassEnrollment,
    ClassSection,
    District,
    Enrollment,
    Guardian,
    MarkingPeriod,
    ProviderAssignment,
    School,
    SchoolCalendar,
    Staff,
    StaffRole,
    Student,
    StudentGuardian,
    TeamMembership,
)

BATCH_SIZE = 2000
CHUNK_STUDENTS = 5000  # students (with their families and relationships) written per round


Log = Callable[[str], None]


_SEEDED_MODELS = (
    District, School, SchoolCalendar, CalendarClosure, MarkingPeriod, User, Staff, StaffRole,
    ClassSection, Student, Enrollment, Guardian, StudentGuardian, ClassEnrollment,
    CaseloadAssignment, TeamMembership, ProviderAssignment,
)  # fmt: skip


@dataclass
class SeedResult:
    plan: Plan
    counts: Counter[str]
    seconds: float


def since(started: float) -> str:
    """Seconds since `started` (a perf_counter reading), for the progress lines."""
    return f"{time.perf_counter() - started:.1f} s"


def _insert(model: type[models.Model], objs: list[Any]) -> list[Any]:
    """Bulk insert; primary keys come back from the database (RETURNING on SQLite 3.35+ and
    PostgreSQL), else they are looked up by public id."""
    model.objects.bulk_create(objs, batch_size=BATCH_SIZE)
    if objs and objs[0].pk is None:
        ids = dict(
            model.objects.filter(public_id__in=[o.public_id for o in objs]).values_list(
                "public_id", "pk"
            )
        )
        for o in objs:
            o.pk = ids[o.public_id]
    return objs


def build_world(plan: Plan, *, log: Log = lambda _: None) -> SeedResult:
    """Write `plan` to the database in one transaction."""
    started = time.perf_counter()
    ids = random.Random(f"tandem-demo-ids-{plan.seed}")  # deterministic public ids

    def public_id() -> uuid.UUID:
        return uuid.UUID(int=ids.getrandbits(128), version=4)

    counts: Counter[str] = Counter()

    def add(model: type[models.Model], objs: list[Any], *, returning: bool = False) -> list[Any]:
        counts[str(model._meta.verbose_name_plural)] += len(objs)
        if returning:
            return _insert(model, objs)
        model.objects.bulk_create(objs, batch_size=BATCH_SIZE)
        return objs

    with transaction.atomic():
        districts = add(
            District,
            [
                District(
                    public_id=public_id(),
                    name=d.name,
                    slug=d.slug,
                    state=d.state,
                    time_zone=d.time_zone,
                    settings={"demo": True},
                )
                for d in plan.districts
            ],
            returning=True,
        )
        schools = add(
            School,
            [
                School(
                    public_id=public_id(),
                    district=districts[d],
                    name=s.name,
                    code=s.code,
                    lowest_grade=GRADE_CODES[s.low],
                    highest_grade=GRADE_CODES[s.high],
                    address=f"{s.street}, {plan.districts[d].city}",
                    phone=s.phone,
                )
                for d, s in plan.schools
            ],
            returning=True,
        )
        closures, periods = [], []
        for district, spec in zip(districts, plan.districts, strict=True):
            calendar = SchoolCalendar.objects.create(
                district=district,
                school=None,
                school_year=SCHOOL_YEAR,
                first_day=spec.first_day,
                last_day=spec.last_day,
                next_first_day=spec.next_first_day,
            )
            counts[str(SchoolCalendar._meta.verbose_name_plural)] += 1
            closures += [
                CalendarClosure(calendar=calendar, kind=k, name=n, start=a, end=b)
                for k, n, a, b in spec.closures
            ]
            periods += [
                MarkingPeriod(calendar=calendar, name=n, start=a, end=b, report_card_date=r)
                for n, a, b, r in spec.marking_periods
            ]
        add(CalendarClosure, closures)
        add(MarkingPeriod, periods)
        log(f"  districts, schools and {SCHOOL_YEAR} calendars ({since(started)})")

        # One argon2 hash for every account: hashing is deliberately slow.
        password = make_password(DEMO_PASSWORD)
        users = add(
            User,
            [
                User(
                    public_id=public_id(),
                    username=s.email,
                    email=s.email,
                    first_name=s.first,
                    last_name=s.last,
                    password=password,
                    preferred_language=s.language,
                )
                for s in plan.staff
            ],
            returning=True,
        )
        staff = add(
            Staff,
            [
                Staff(
                    public_id=public_id(),
                    user_id=u.pk,
                    title=s.title,
                    employer=s.employer,
                    phone=s.phone,
                )
                for s, u in zip(plan.staff, users, strict=True)
            ],
            returning=True,
        )
        add(
            StaffRole,
            [
                StaffRole(
                    staff_id=staff[n].pk,
                    district_id=districts[d].pk,
                    school_id=schools[sc].pk if sc is not None else None,
                    role=role,
                    start_date=s.start,
                )
                for n, s in enumerate(plan.staff)
                for d, sc, role in s.roles
            ],
        )
        sections = add(
            ClassSection,
            [
                ClassSection(
                    public_id=public_id(),
                    school_id=schools[s.school].pk,
                    teacher_id=staff[s.teacher].pk,
                    name=s.name,
                    subject=s.subject,
                    period=s.period,
                    school_year=SCHOOL_YEAR,
                    start_date=plan.districts[plan.schools[s.school][0]].first_day,
                )
                for s in plan.sections
            ],
            returning=True,
        )
        log(
            f"  {len(staff):,} staff accounts and {len(sections):,} class sections "
            f"({since(started)})"
        )

        total = len(plan.students)
        done = 0
        batch: list[PlannedFamily] = []
        kids_in_batch = 0
        families = iter(plan.families)
        while True:
            family = next(families, None)
            if family is not None:
                batch.append(family)
                kids_in_batch += len(family.kids)
            if batch and (family is None or kids_in_batch >= CHUNK_STUDENTS):
                _write_families(
                    plan, batch, add, public_id, password, districts, schools, staff, sections
                )
                done += kids_in_batch
                log(
                    f"  students {done:,}/{total:,} with families, rosters and teams "
                    f"({since(started)})"
                )
                batch, kids_in_batch = [], 0
            if family is None:
                break
    if connection.vendor == "postgresql":
        # Fresh statistics, so the first pages (and a --reset) get good plans without waiting
        # for autovacuum.
        tables = [m._meta.db_table for m in _SEEDED_MODELS]
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE " + ", ".join(connection.ops.quote_name(t) for t in tables))
        log(f"  analyzed the tables ({since(started)})")
    return SeedResult(plan=plan, counts=counts, seconds=time.perf_counter() - started)


def _write_families(
    plan: Plan,
    families: list[PlannedFamily],
    add: Callable[..., list[Any]],
    public_id: Callable[[], uuid.UUID],
    password: str,
    districts: list[District],
    schools: list[School],
    staff: list[Staff],
    sections: list[ClassSection],
) -> None:
    kid_ids = [i for f in families for i in f.kids]
    kids = [plan.students[i] for i in kid_ids]
    objs = []
    for s in kids:
        o = Student(
            public_id=public_id(),
            district_id=districts[s.district].pk,
            school_id=schools[s.school].pk,
            sis_id=s.sis_id,
            state_id=s.state_id,
            legal_first_name=s.first,
            legal_middle_name=s.middle,
            legal_last_name=s.last,
            preferred_first_name=s.preferred_first,
            date_of_birth=s.dob,
            grade=GRADE_CODES[s.grade],
            enrollment_date=s.enrolled,
            home_language=s.home_language,
            english_learner=s.english_learner,
            hispanic_latino=s.hispanic,
            race_american_indian="american_indian" in s.races,
            race_asian="asian" in s.races,
            race_black="black" in s.races,
            race_pacific_islander="pacific" in s.races,
            race_white="white" in s.races,
            sex=s.sex,
        )
        o.search_text = o.compute_search_text()  # Student.save would; bulk_create does not
        objs.append(o)
    students = add(Student, objs, returning=True)
    pk = {i: o.pk for i, o in zip(kid_ids, students, strict=True)}

    accounts = [g for f in families for g in f.guardians if g.account]
    users = {}
    if accounts:
        created = add(
            User,
            [
                User(
                    public_id=public_id(),
                    username=g.email,
                    email=g.email,
                    first_name=g.first,
                    last_name=g.last,
                    password=password,
                    preferred_language=g.language,
                )
                for g in accounts
            ],
            returning=True,
        )
        users = {id(g): u.pk for g, u in zip(accounts, created, strict=True)}
    guardian_objs, owners = [], []
    for f in families:
        for g in f.guardians:
            guardian_objs.append(
                Guardian(
                    public_id=public_id(),
                    district_id=districts[f.district].pk,
                    user_id=users.get(id(g)),
                    first_name=g.first,
                    last_name=g.last,
                    email=g.email,
                    phone=g.phone,
                    address=f.address,
                    preferred_language=g.language,
                    needs_interpreter=g.interpreter,
                )
            )
            owners.append((f, g))
    guardians = add(Guardian, guardian_objs, returning=True)
    add(
        StudentGuardian,
        [
            StudentGuardian(
                student_id=pk[i],
                guardian_id=o.pk,
                relationship=g.relationship,
                educational_rights_holder=g.rights_holder,
                lives_with_student=g.lives_with,
                primary_contact=g.primary,
            )
            for o, (f, g) in zip(guardians, owners, strict=True)
            for i in f.kids
        ],
    )

    enrollments, classes, caseloads, teams, providers = [], [], [], [], []
    for i, s in zip(kid_ids, kids, strict=True):
        student_id = pk[i]
        start = max(s.entry, plan.districts[s.district].first_day)
        enrollments.append(
            Enrollment(
                student_id=student_id,
                school_id=schools[s.school].pk,
                grade=GRADE_CODES[s.grade],
                entry_date=s.entry,
            )
        )
        classes += [
            ClassEnrollment(section_id=sections[x].pk, student_id=student_id, start_date=start)
            for x in s.sections
        ]
        if s.case_manager >= 0:
            caseloads.append(
                CaseloadAssignment(
                    staff_id=staff[s.case_manager].pk, student_id=student_id, start_date=start
                )
            )
        teams += [
            TeamMembership(staff_id=staff[x].pk, student_id=student_id, role=role, start_date=start)
            for x, role in s.team
        ]
        providers += [
            ProviderAssignment(
                staff_id=staff[x].pk,
                student_id=student_id,
                district_id=districts[s.district].pk,
                service_area=area,
                start_date=start,
            )
            for x, area in s.providers
        ]
    add(Enrollment, enrollments)
    add(ClassEnrollment, classes)
    add(CaseloadAssignment, caseloads)
    add(TeamMembership, teams)
    add(ProviderAssignment, providers)
