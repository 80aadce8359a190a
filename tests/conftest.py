"""The cast every app test shares: people with and without a relationship to each student."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest
from django.test import Client
from django.utils import translation

from tandem.accounts.models import User
from tandem.people.models import (
    CaseloadAssignment,
    ClassEnrollment,
    ClassSection,
    Guardian,
    ProviderAssignment,
    Relationship,
    Role,
    Student,
    StudentGuardian,
    TeamMembership,
    TeamRole,
)
from tests.factories import (
    PASSWORD,
    make_district,
    make_school,
    make_staff,
    make_student,
    make_user,
)

START = date(2025, 8, 1)


@dataclass
class World:
    """Riverside (CA) and Oak Valley (TX), with one of each persona."""

    riverside: object
    oak_valley: object
    north: object  # a Riverside school
    south: object  # another Riverside school
    prairie: object  # an Oak Valley school
    maya: Student  # on the case manager's caseload; in the teacher's class; the contractor's
    leo: Student  # in the teacher's class only
    ana: Student  # Riverside student with no one but leadership
    sam: Student  # Oak Valley student, assigned to the contractor
    tess: Student  # Oak Valley student with no one
    users: dict[str, User]

    def client_for(self, persona: str) -> Client:
        client = Client()
        if persona != "anonymous":
            client.force_login(self.users[persona])
        return client


@pytest.fixture
def world(db) -> World:  # type: ignore[no-untyped-def]
    riverside = make_district(name="Riverside Unified", state="CA", slug="riverside")
    oak = make_district(name="Oak Valley School District", state="TX", slug="oak-valley")
    north = make_school(riverside, name="North Elementary", code="N")
    south = make_school(riverside, name="South Middle", code="S", low="6", high="8")
    prairie = make_school(oak, name="Prairie Elementary", code="P")

    maya = make_student(north, first="Maya", last="Lopez")
    leo = make_student(north, first="Leo", last="Park")
    ana = make_student(south, first="Ana", last="Reyes", grade="7")
    sam = make_student(prairie, first="Sam", last="Cole")
    tess = make_student(prairie, first="Tess", last="Young")

    users: dict[str, User] = {}
    director = make_staff("director@r.test", [(Role.DISTRICT_ADMIN, riverside, None)], first="Dana")
    principal = make_staff(
        "principal@r.test", [(Role.SCHOOL_ADMIN, riverside, north)], first="Paul"
    )
    case_manager = make_staff("cm@r.test", [(Role.CASE_MANAGER, riverside, north)], first="Cara")
    teacher = make_staff("teacher@r.test", [(Role.TEACHER, riverside, north)], first="Tom")
    psych = make_staff("psych@r.test", [(Role.EVALUATOR, riverside, None)], first="Priya")
    contractor = make_staff(
        "ot@brightpath.test",
        [(Role.PROVIDER, riverside, None), (Role.PROVIDER, oak, None)],
        first="Olive",
    )
    stranger = make_staff("stranger@r.test", [(Role.CASE_MANAGER, riverside, north)], first="Sid")
    oak_director = make_staff("director@o.test", [(Role.DISTRICT_ADMIN, oak, None)], first="Omar")

    CaseloadAssignment.objects.create(staff=case_manager, student=maya, start_date=START)
    TeamMembership.objects.create(
        staff=case_manager, student=maya, role=TeamRole.CASE_MANAGER, start_date=START
    )
    TeamMembership.objects.create(
        staff=psych, student=maya, role=TeamRole.PSYCHOLOGIST, start_date=START
    )
    # An ended membership gives nothing.
    TeamMembership.objects.create(
        staff=psych,
        student=leo,
        role=TeamRole.PSYCHOLOGIST,
        start_date=START,
        end_date=date(2025, 9, 1),
    )
    section = ClassSection.objects.create(
        school=north,
        teacher=teacher,
        name="Grade 3 homeroom",
        school_year="2025-2026",
        start_date=START,
    )
    ClassEnrollment.objects.create(section=section, student=maya, start_date=START)
    ClassEnrollment.objects.create(section=section, student=leo, start_date=START)
    ProviderAssignment.objects.create(
        staff=contractor,
        student=maya,
        district=riverside,
        service_area="Occupational therapy",
        start_date=START,
    )
    ProviderAssignment.objects.create(
        staff=contractor,
        student=sam,
        district=oak,
        service_area="Occupational therapy",
        start_date=START,
    )

    parent_user = make_user("parent@r.test", first="Grace")
    parent = Guardian.objects.create(
        district=riverside,
        user=parent_user,
        first_name="Grace",
        last_name="Lopez",
        email="parent@r.test",
    )
    StudentGuardian.objects.create(
        student=maya, guardian=parent, relationship=Relationship.MOTHER, primary_contact=True
    )
    no_rights_user = make_user("uncle@r.test", first="Hugo")
    uncle = Guardian.objects.create(
        district=riverside, user=no_rights_user, first_name="Hugo", last_name="Lopez"
    )
    StudentGuardian.objects.create(
        student=maya,
        guardian=uncle,
        relationship=Relationship.OTHER,
        educational_rights_holder=False,
    )

    users.update(
        director=director.user,
        principal=principal.user,
        case_manager=case_manager.user,
        teacher=teacher.user,
        psych=psych.user,
        contractor=contractor.user,
        stranger=stranger.user,
        oak_director=oak_director.user,
        parent=parent_user,
        uncle=no_rights_user,
    )
    return World(riverside, oak, north, south, prairie, maya, leo, ana, sam, tess, users)


@pytest.fixture
def password() -> str:
    return PASSWORD


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):  # type: ignore[no-untyped-def]
    """Argon2 is deliberately slow; tests that are not about hashing use a fast hasher."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path_factory):  # type: ignore[no-untyped-def]
    """Kept files (plan PDFs, uploads) go to a temporary folder, never the checkout's var/."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")


@pytest.fixture(autouse=True)
def _default_language():  # type: ignore[no-untyped-def]
    """Each test starts and ends in the default language: a page rendered in Spanish by one test
    (a Spanish-speaking parent's request activates it) must not leak into the next."""
    translation.deactivate()
    yield
    translation.deactivate()
