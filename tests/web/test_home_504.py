"""The 504 coordinator's home (issue 13): the 504 plans of every student of the schools they
serve (Tie.SCHOOL_EVALUATOR), with their reviews and reevaluations, not only their own team."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tandem.compliance.models import DeadlineKind
from tandem.core import clock
from tandem.people.models import Role
from tandem.plans.models import Plan, PlanKind, PlanStatus
from tandem.web.queries import coordinator_504
from tests.factories import make_staff, make_student
from tests.web.test_home_counts import _deadline


def _504(world, student, status=PlanStatus.ACTIVE) -> Plan:
    return Plan.objects.create(
        student=student,
        kind=PlanKind.SECTION_504,
        status=status,
        created_by=world.users["director"],
    )


@pytest.fixture
def plans(world):
    _504(world, world.maya)
    _504(world, world.ana)
    _504(world, world.sam)  # Oak Valley
    Plan.objects.create(
        student=world.leo,
        kind=PlanKind.IEP,
        status=PlanStatus.ACTIVE,
        created_by=world.users["director"],
    )
    _deadline(world.ana, DeadlineKind.SECTION_504_ANNUAL_REVIEW, -2)
    _deadline(world.maya, DeadlineKind.SECTION_504_ANNUAL_REVIEW, 40)
    _deadline(world.maya, DeadlineKind.SECTION_504_REEVALUATION, 10)
    return world


@pytest.fixture
def district_coordinator(world):
    return make_staff("c504d@r.test", [(Role.COORDINATOR_504, world.riverside, None)]).user


@pytest.fixture
def south_coordinator(world):
    return make_staff("c504s@r.test", [(Role.COORDINATOR_504, world.riverside, world.south)]).user


def _client(world, user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


def test_a_district_coordinator_sees_every_504_plan_of_the_district(plans, district_coordinator):
    found = coordinator_504(district_coordinator, today=clock.today())
    assert [p.student for p in found.plans] == [plans.ana, plans.maya]  # overdue review first
    assert found.total == 2
    counts = {c.label: (c.overdue, c.soon) for c in found.counts}
    assert counts["504 annual review"] == (1, 0) and counts["504 reevaluation"] == (0, 1)
    html = _client(plans, district_coordinator).get(reverse("home")).content.decode()
    assert "504 plans of my schools" in html
    assert "Reyes, Ana" in html and "Lopez, Maya" in html
    assert "Cole, Sam" not in html and "Park, Leo" not in html
    assert "?status=overdue&amp;kind=section_504_annual_review" in html
    assert "?status=due_14&amp;kind=section_504_reevaluation" in html


def test_a_school_coordinator_sees_their_school_only(plans, south_coordinator):
    found = coordinator_504(south_coordinator, today=clock.today())
    assert [p.student for p in found.plans] == [plans.ana]


@pytest.mark.parametrize("persona", ["director", "case_manager", "teacher", "psych"])
def test_other_roles_do_not_get_the_504_section(plans, persona):
    html = plans.client_for(persona).get(reverse("home")).content.decode()
    assert "504 plans of my schools" not in html


def test_a_parent_gets_the_portal(plans):
    html = plans.client_for("parent").get(reverse("home")).content.decode()
    assert "504 plans of my schools" not in html


def test_queries_do_not_grow_with_plans(plans, district_coordinator, django_assert_max_num_queries):
    client = _client(plans, district_coordinator)
    client.get(reverse("home"))
    with django_assert_max_num_queries(40) as before:
        client.get(reverse("home"))
    for i in range(25):
        kid = make_student(plans.north, first=f"Kid{i}", last="Extra")
        _504(plans, kid)
        _deadline(kid, DeadlineKind.SECTION_504_ANNUAL_REVIEW, i - 5)
    with django_assert_max_num_queries(len(before.captured_queries)):
        html = client.get(reverse("home")).content.decode()
    assert html.count("Extra, Kid") == 25
