"""Child find: an evaluator or 504 coordinator finds the students of their schools and refers.

Tie.SCHOOL_EVALUATOR comes from a StaffRole (evaluator or 504 coordinator) at a school, or
district-wide (school empty) for every school of the district; it reads and starts a referral,
and nothing of the evaluation itself.
"""

from __future__ import annotations

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from tandem.access.capabilities import MATRIX, Cap, Tie
from tandem.access.policy import can, decision_for, students_visible_to, students_with
from tandem.people.models import Role, StaffRole
from tandem.referrals.models import Referral
from tests.factories import make_staff, make_student


@pytest.fixture
def coordinator(world):
    """A 504 coordinator of South Middle only (Ana's school)."""
    return make_staff("c504@r.test", [(Role.COORDINATOR_504, world.riverside, world.south)]).user


def _names(students):
    return {s.legal_first_name.lower() for s in students}


def test_the_tie_grants_finding_and_referring_only():
    assert MATRIX[Tie.SCHOOL_EVALUATOR] == {Cap.READ, Cap.START_REFERRAL, Cap.RAISE_CONCERN}


def test_a_school_role_covers_that_schools_students(world, coordinator):
    assert _names(students_visible_to(coordinator)) == {"ana"}
    assert decision_for(coordinator, world.ana).ties == {Tie.SCHOOL_EVALUATOR}
    assert not can(coordinator, Cap.READ, world.maya)  # another school of the district


def test_a_district_wide_role_covers_the_districts_schools_only(world):
    psych = world.users["psych"]  # Role.EVALUATOR in Riverside, no school
    assert _names(students_visible_to(psych)) == {"maya", "leo", "ana"}
    assert _names(students_with(psych, Cap.START_REFERRAL)) == {"maya", "leo", "ana"}
    assert not can(psych, Cap.READ, world.sam)  # Oak Valley


def test_it_gives_nothing_of_the_evaluation(world, coordinator):
    for cap in (Cap.RUN_EVALUATION, Cap.WRITE_PLAN, Cap.EDIT_PROFILE, Cap.VIEW_ACCESS_LOG):
        assert not can(coordinator, cap, world.ana), cap
    assert set(students_with(coordinator, Cap.RUN_EVALUATION)) == set()


def test_an_ended_role_gives_nothing(world, coordinator):
    StaffRole.objects.filter(staff__user=coordinator).update(end_date=date(2025, 1, 1))
    coordinator.__dict__.pop("_tandem_standing", None)
    assert list(students_visible_to(coordinator)) == []


def test_other_roles_at_the_school_give_nothing(world):
    """A case manager or a teacher of the school still needs a caseload or a class."""
    assert list(students_visible_to(world.users["stranger"])) == []


def test_the_search_finds_a_general_education_student_of_the_school(world, coordinator):
    newcomer = make_student(world.south, first="Noor", last="Haddad", grade="6")
    client = Client()
    client.force_login(coordinator)
    page = client.get(reverse("student_search"), {"q": "noor"})
    assert page.status_code == 200
    assert str(newcomer.public_id) in page.content.decode()
    nobody = client.get(reverse("student_search"), {"q": "maya"}).content.decode()
    assert str(world.maya.public_id) not in nobody  # North is not their school


def test_and_opens_a_referral_for_them(world, coordinator):
    client = Client()
    client.force_login(coordinator)
    url = reverse("referral_new", args=[world.ana.public_id])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "source": "teacher",
            "source_name": "Ms. Ruiz",
            "received_on": "2025-10-06",
            "areas_of_concern": ["math"],
            "description": "Cannot keep up with grade-level math despite tutoring.",
            "evidence-TOTAL_FORMS": "0",
            "evidence-INITIAL_FORMS": "0",
            "evidence-MIN_NUM_FORMS": "0",
            "evidence-MAX_NUM_FORMS": "10",
        },
    )
    assert response.status_code == 302
    referral = Referral.objects.get(student=world.ana)
    assert referral.created_by == coordinator
    # The next steps belong to who runs the evaluation: the coordinator is refused them.
    case_review = reverse("case_review", args=[referral.public_id])
    assert client.get(case_review).status_code == 403
    # Out of their school: 404, as for anyone.
    assert client.get(reverse("referral_new", args=[world.maya.public_id])).status_code == 404
