"""The leaders' home: overdue and due-soon counts by school, case manager and type, each a link
to the filtered deadlines list; caseload sizes; plans by status; students with no case manager."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from tandem.compliance.models import Deadline, DeadlineKind
from tandem.core import clock
from tandem.people.models import CaseloadAssignment, Student
from tandem.plans.models import Plan, PlanKind, PlanStatus
from tandem.web.queries import leader_overview
from tests.conftest import START
from tests.factories import make_student


def _deadline(student: Student, kind: str, days: int) -> Deadline:
    return Deadline.objects.create(
        student=student,
        district=student.district,
        school=student.school,
        kind=kind,
        state="CA",
        trigger_on=START,
        due_on=clock.today() + timedelta(days=days),
        citation="34 CFR 300.324",
        explanation="Counted.",
        source_type="test",
        source_id="1",
        computed_at=clock.now(),
    )


@pytest.fixture
def due(world):
    """Maya (Cara's caseload, North): one overdue annual review, one due in 5 days.
    Ana (South, no case manager, a plan in force): one overdue reevaluation."""
    _deadline(world.maya, DeadlineKind.ANNUAL_REVIEW, -3)
    _deadline(world.maya, DeadlineKind.REEVALUATION, 5)
    _deadline(world.maya, DeadlineKind.ANNUAL_REVIEW, 60)  # on track: not counted
    _deadline(world.ana, DeadlineKind.REEVALUATION, -10)
    _deadline(world.sam, DeadlineKind.REEVALUATION, -10)  # Oak Valley: never Riverside's
    cm = world.users["case_manager"]
    Plan.objects.create(
        student=world.maya, kind=PlanKind.IEP, status=PlanStatus.ACTIVE, created_by=cm
    )
    Plan.objects.create(
        student=world.ana, kind=PlanKind.IEP, status=PlanStatus.ACTIVE, created_by=cm
    )
    Plan.objects.create(
        student=world.leo, kind=PlanKind.SECTION_504, status=PlanStatus.DRAFT, created_by=cm
    )
    return world


def test_director_counts_by_school_case_manager_and_type(due):
    o = leader_overview(due.users["director"], today=clock.today())
    assert (o.total.overdue, o.total.soon) == (2, 1)
    assert {c.label: (c.overdue, c.soon) for c in o.by_school} == {
        "North Elementary": (1, 1),
        "South Middle": (1, 0),
    }
    assert {c.label: (c.overdue, c.soon) for c in o.by_kind} == {
        "Annual review": (1, 0),
        "Reevaluation": (1, 1),
    }
    assert [(c.students, c.overdue, c.soon) for c in o.by_case_manager] == [(1, 1, 1)]
    # Ana has a plan in force and a date overdue, and no one answers for her; Leo's 504 draft
    # has no case manager either.
    assert (o.no_case_manager.students, o.no_case_manager.overdue) == (2, 1)
    plans = {row["kind"]: row["counts"] for row in o.plans}
    assert plans == {"IEP": [0, 0, 2], "504 Plan": [1, 0, 0]}


def test_principal_counts_their_school_only(due):
    o = leader_overview(due.users["principal"], today=clock.today())
    assert [c.label for c in o.by_school] == ["North Elementary"]
    assert (o.total.overdue, o.total.soon) == (1, 1)
    assert (o.no_case_manager.students, o.no_case_manager.overdue) == (1, 0)  # Leo's draft
    assert {row["kind"]: row["counts"] for row in o.plans}["IEP"] == [0, 0, 1]


def test_each_count_links_to_the_list_it_counts(due):
    client = due.client_for("director")
    html = client.get(reverse("home")).content.decode()
    north = f"?status=overdue&amp;school={due.north.public_id}"
    assert north in html
    assert "?status=due_14&amp;kind=reevaluation" in html
    cara = due.users["case_manager"].staff.public_id
    assert f"?status=overdue&amp;case_manager={cara}" in html
    assert "?status=overdue&amp;case_manager=none" in html
    assert reverse("student_search") + "?no_case_manager=1" in html
    assert reverse("deadline_export") + "?status=overdue" in html
    # Each link opens a list holding exactly what the count said.
    page = client.get(reverse("deadline_list") + north.replace("&amp;", "&"))
    assert [d.student for d in page.context["rows"]] == [due.maya]
    page = client.get(reverse("deadline_list") + "?status=overdue&case_manager=none")
    assert [d.student for d in page.context["rows"]] == [due.ana]
    page = client.get(reverse("deadline_list") + f"?status=due_14&case_manager={cara}")
    assert [d.kind for d in page.context["rows"]] == [DeadlineKind.REEVALUATION]
    page = client.get(reverse("student_search") + "?no_case_manager=1")
    assert {s.pk for s in page.context["page"].object_list} == {due.ana.pk, due.leo.pk}
    assert "no case manager today" in page.content.decode()


def test_principals_unowned_list_stays_in_their_school(due):
    page = due.client_for("principal").get(reverse("student_search") + "?no_case_manager=1")
    assert {s.pk for s in page.context["page"].object_list} == {due.leo.pk}


@pytest.mark.parametrize("persona", ["case_manager", "teacher", "psych", "contractor"])
def test_only_leaders_get_the_counts(due, persona):
    html = due.client_for(persona).get(reverse("home")).content.decode()
    assert "Legal deadlines overdue or due within 14 days" not in html
    assert "Plans by status" not in html


def test_a_parent_gets_the_portal_not_the_counts(due):
    response = due.client_for("parent").get(reverse("home"))
    assert "Plans by status" not in response.content.decode()
    assert "Legal deadlines overdue" not in response.content.decode()


def test_oak_valley_director_sees_only_oak_valley(due):
    o = leader_overview(due.users["oak_director"], today=clock.today())
    assert [c.label for c in o.by_school] == ["Prairie Elementary"]
    assert (o.total.overdue, o.no_case_manager.overdue) == (1, 1)


def test_director_home_queries_do_not_grow_with_students(due, django_assert_max_num_queries):
    client = due.client_for("director")
    client.get(reverse("home"))
    with django_assert_max_num_queries(40) as before:
        client.get(reverse("home"))
    cm = due.users["case_manager"]
    for i in range(30):
        school = due.north if i % 2 else due.south
        kid = make_student(school, first=f"Kid{i}", last="Extra")
        if i % 3:
            CaseloadAssignment.objects.create(staff=cm.staff, student=kid, start_date=START)
        Plan.objects.create(student=kid, kind=PlanKind.IEP, status=PlanStatus.ACTIVE, created_by=cm)
        _deadline(kid, DeadlineKind.ANNUAL_REVIEW, -1 if i % 2 else 3)
    with django_assert_max_num_queries(len(before.captured_queries)):
        response = client.get(reverse("home"))
    assert response.status_code == 200
    o = leader_overview(due.users["director"], today=clock.today())
    assert o.total.overdue + o.total.soon == 3 + 30
