"""`manage.py seed_demo`: the demo world, its eleven logins, determinism and idempotence."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from tandem import audit
from tandem.access.capabilities import Cap
from tandem.access.policy import students_visible_to, students_with
from tandem.accounts.models import User
from tandem.demo import personas, world, world_plan
from tandem.people.models import (
    CaseloadAssignment,
    ClassEnrollment,
    District,
    Enrollment,
    Guardian,
    ProviderAssignment,
    Role,
    School,
    SchoolCalendar,
    StaffRole,
    Student,
    StudentGuardian,
    TeamMembership,
    TeamRole,
)

TODAY = date(2026, 11, 30)  # a school day of the seeded 2026-2027 year
SMALL = 120


def seed(*args: str, **options: object) -> str:
    out = StringIO()
    call_command(
        "seed_demo", *args, stdout=out, **{"students": SMALL, "referrals": False, **options}
    )
    return out.getvalue()


def snapshot() -> list[tuple[object, ...]]:
    return list(
        Student.objects.order_by("district__slug", "sis_id").values_list(
            "district__slug",
            "sis_id",
            "state_id",
            "legal_first_name",
            "legal_last_name",
            "date_of_birth",
            "grade",
            "school__code",
            "public_id",
        )
    )


def row_counts() -> dict[str, int]:
    models = (
        District,
        School,
        Student,
        Enrollment,
        Guardian,
        StudentGuardian,
        User,
        StaffRole,
        ClassEnrollment,
        CaseloadAssignment,
        TeamMembership,
        ProviderAssignment,
    )
    return {m.__name__: m.objects.count() for m in models}


def user(email: str) -> User:
    return User.objects.get(email=email)


def roles(email: str) -> set[tuple[str, str, str | None]]:
    return {
        (r.role, r.district.slug, r.school.code if r.school else None)
        for r in StaffRole.objects.filter(staff__user__email=email).select_related(
            "district", "school"
        )
    }


def team_students(email: str, role: str) -> set[int]:
    return set(
        TeamMembership.objects.filter(staff__user__email=email, role=role).values_list(
            "student_id", flat=True
        )
    )


@pytest.mark.django_db
def test_seeds_both_districts_with_calendars_students_and_families() -> None:
    output = seed()
    assert "Demo logins (password: tandem-demo)" in output
    riverside = District.objects.get(slug="riverside")
    oak = District.objects.get(slug="oak-valley")
    assert (riverside.name, riverside.state, riverside.time_zone) == (
        "Riverside Unified",
        "CA",
        "America/Los_Angeles",
    )
    assert (oak.state, oak.time_zone) == ("TX", "America/Chicago")
    assert riverside.schools.count() == 4 and oak.schools.count() == 2
    assert riverside.students.count() == SMALL and oak.students.count() == 60
    calendar = SchoolCalendar.objects.get(district=riverside, school=None, school_year="2026-2027")
    assert (calendar.first_day, calendar.last_day) == (date(2026, 8, 19), date(2027, 6, 10))
    assert calendar.next_first_day is not None
    assert calendar.closures.filter(
        name="Winter break", start=date(2026, 12, 21), end=date(2027, 1, 1)
    ).exists()
    assert calendar.marking_periods.count() == 4
    assert SchoolCalendar.objects.get(district=oak).first_day == date(2026, 8, 12)

    students = Student.objects.all()
    assert not students.filter(search_text="").exists()
    for s in students.select_related("school")[:50]:
        assert s.search_text == s.compute_search_text()
        assert s.school.district_id == s.district_id
        s.full_clean()
    # Every student is enrolled, on a class roster and has a guardian.
    for model in (Enrollment, ClassEnrollment, StudentGuardian):
        assert model.objects.values("student").distinct().count() == students.count()
    assert Student.objects.filter(district=riverside, home_language="Spanish").exists()
    assert Guardian.objects.filter(preferred_language="es").exists()
    # Kindergarteners are five on September 1.
    for s in students.filter(grade="K"):
        assert s.age_on(date(2026, 9, 1)) in (5, 6)


@pytest.mark.django_db
def test_the_eleven_demo_accounts_and_their_students() -> None:
    seed()
    for email in personas.DEMO_EMAILS:
        account = user(email)
        assert account.check_password(personas.DEMO_PASSWORD)
        assert account.first_name and account.last_name

    assert roles(personas.DIRECTOR) == {(Role.DISTRICT_ADMIN, "riverside", None)}
    assert roles(personas.OAK_VALLEY_DIRECTOR) == {(Role.DISTRICT_ADMIN, "oak-valley", None)}
    assert roles(personas.PRINCIPAL) == {(Role.SCHOOL_ADMIN, "riverside", "RES")}
    assert roles(personas.CASE_MANAGER) == {(Role.CASE_MANAGER, "riverside", "RES")}
    assert roles(personas.TEACHER) == {(Role.TEACHER, "riverside", "RES")}
    assert roles(personas.SLP) == {
        (Role.PROVIDER, "riverside", "RES"),
        (Role.PROVIDER, "riverside", "SES"),
    }
    assert roles(personas.PSYCHOLOGIST) == {(Role.EVALUATOR, "riverside", "RES")}
    assert roles(personas.COORDINATOR_504) == {(Role.COORDINATOR_504, "riverside", "RES")}
    assert roles(personas.TELETHERAPIST) == {
        (Role.PROVIDER, "riverside", None),
        (Role.PROVIDER, "oak-valley", None),
    }

    caseload = set(
        CaseloadAssignment.objects.filter(staff__user__email=personas.CASE_MANAGER).values_list(
            "student_id", flat=True
        )
    )
    assert 12 <= len(caseload) <= 18
    assert set(Student.objects.filter(pk__in=caseload).values_list("school__code", flat=True)) == {
        "RES"
    }
    assert team_students(personas.CASE_MANAGER, TeamRole.CASE_MANAGER) == caseload

    roster = set(
        ClassEnrollment.objects.filter(section__teacher__user__email=personas.TEACHER).values_list(
            "student_id", flat=True
        )
    )
    assert len(roster & caseload) >= 3

    slp = team_students(personas.SLP, TeamRole.SPEECH_LANGUAGE)
    assert 12 <= len(slp) <= 18
    assert set(Student.objects.filter(pk__in=slp).values_list("school__code", flat=True)) == {
        "RES",
        "SES",
    }
    assert 8 <= len(team_students(personas.PSYCHOLOGIST, TeamRole.PSYCHOLOGIST)) <= 12
    assert 6 <= len(team_students(personas.COORDINATOR_504, TeamRole.COORDINATOR_504)) <= 10

    tele = ProviderAssignment.objects.filter(staff__user__email=personas.TELETHERAPIST)
    assert tele.first().staff.employer == "BrightPath Therapy"
    assert set(tele.values_list("service_area", flat=True)) == {"Occupational therapy"}
    assert tele.filter(district__slug="riverside").count() == 6
    assert tele.filter(district__slug="oak-valley").count() == 4
    # The contract teletherapist records progress for all ten, and edits no one's profile.
    therapist = user(personas.TELETHERAPIST)
    assert students_with(therapist, Cap.RECORD_PROGRESS, today=TODAY).count() == 10
    assert not students_with(therapist, Cap.EDIT_PROFILE, today=TODAY).exists()

    parent = Guardian.objects.get(user__email=personas.PARENT)
    children = set(
        parent.student_links.filter(educational_rights_holder=True).values_list(
            "student_id", flat=True
        )
    )
    assert len(children) == 2
    assert set(
        Student.objects.filter(pk__in=children).values_list("district__slug", flat=True)
    ) == {"riverside"}
    assert len(children & caseload) == 1
    other_guardians = Guardian.objects.filter(student_links__student__in=children).distinct()
    assert all(g.student_links.count() == 2 for g in other_guardians)  # siblings share guardians
    assert (
        set(students_visible_to(user(personas.PARENT), today=TODAY).values_list("pk", flat=True))
        == children
    )

    madre = Guardian.objects.get(user__email=personas.MADRE)
    assert madre.preferred_language == "es" and user(personas.MADRE).preferred_language == "es"
    hers = set(
        madre.student_links.filter(educational_rights_holder=True).values_list(
            "student_id", flat=True
        )
    )
    assert 1 <= len(hers) <= 2 and hers & caseload
    assert set(Student.objects.filter(pk__in=hers).values_list("home_language", flat=True)) == {
        "Spanish"
    }

    director = students_visible_to(user(personas.DIRECTOR), today=TODAY)
    assert director.count() == SMALL
    assert (
        set(
            students_visible_to(user(personas.CASE_MANAGER), today=TODAY).values_list(
                "pk", flat=True
            )
        )
        == caseload
    )


@pytest.mark.django_db
def test_second_run_adds_nothing_and_reset_rebuilds_the_same_world() -> None:
    seed()
    before, counts = snapshot(), row_counts()
    assert "already exist" in seed()
    assert row_counts() == counts

    seed("--reset", "--quiet")
    connection.check_constraints()
    assert snapshot() == before
    assert row_counts() == counts


@pytest.mark.django_db
def test_reset_is_refused_once_the_audit_log_mentions_the_demo() -> None:
    seed("--quiet")
    audit.record(actor=None, action="student.viewed", student=Student.objects.first())
    with pytest.raises(CommandError, match="append-only"):
        seed("--reset")
    assert Student.objects.count() == SMALL + 60


def test_plans_are_deterministic_per_seed() -> None:
    def names(plan: world_plan.Plan) -> list[tuple[str, str, str, str]]:
        return [(s.sis_id, s.first, s.last, s.dob.isoformat()) for s in plan.students]

    first = world.plan_world(SMALL, seed=7)
    assert names(first) == names(world.plan_world(SMALL, seed=7))
    assert first.demo_students == world.plan_world(SMALL, seed=7).demo_students
    assert names(first) != names(world.plan_world(SMALL, seed=8))


def test_too_few_students_is_an_error() -> None:
    with pytest.raises(CommandError, match="at least"):
        call_command("seed_demo", students=10, stdout=StringIO())
