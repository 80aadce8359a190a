"""The teacher's class sheet (issue 13): every student of one class with a plan in force and
their accommodations, in one table that prints on one page; audited as one read naming them."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tandem.accounts.models import AuditEvent
from tandem.audit.catalogue import Action
from tandem.people.models import ClassEnrollment, ClassSection, Student
from tandem.plans.models import (
    Accommodation,
    AccommodationCategory,
    AccommodationKind,
    Plan,
    PlanKind,
    PlanStatus,
)
from tests.conftest import START
from tests.factories import make_student


def _plan(world, student: Student, kind: str = PlanKind.IEP, n: int = 2) -> Plan:
    plan = Plan.objects.create(
        student=student, kind=kind, status=PlanStatus.ACTIVE, created_by=world.users["director"]
    )
    for i in range(n):
        Accommodation.objects.create(
            plan=plan,
            category=AccommodationCategory.TIMING_SCHEDULING,
            text=f"Extended time {i} for {student.legal_first_name}",
            applies_to=["classroom", "tests"],
        )
    Accommodation.objects.create(
        plan=plan,
        kind=AccommodationKind.MODIFICATION,
        category=AccommodationCategory.CONTENT,
        text=f"Shorter reading passages for {student.legal_first_name}",
        applies_to=["classroom"],
    )
    return plan


@pytest.fixture
def section(world) -> ClassSection:
    _plan(world, world.maya)
    return ClassSection.objects.get(teacher__user=world.users["teacher"])


def _url(section: ClassSection) -> str:
    return reverse("class_sheet", args=[section.public_id])


def test_the_teacher_gets_one_table_of_the_students_with_a_plan(world, section):
    response = world.client_for("teacher").get(_url(section))
    assert response.status_code == 200
    html = response.content.decode()
    assert html.count("<table") == 1
    assert "Extended time 0 for Maya" in html and "Shorter reading passages for Maya" in html
    assert "Lopez, Maya" in html and "Park, Leo" not in html  # Leo has no plan
    assert "tandem/class_sheet" in html and " style=" not in html  # print CSS in a static file
    assert "1 student with a plan in force" in html and "(of 2 in the class)" in html


def test_the_read_is_audited_as_one_event_naming_each_student(world, section):
    world.client_for("teacher").get(_url(section))
    event = AuditEvent.objects.get(action=Action.IMPLEMENTATION__VIEWED)
    assert event.detail["students_listed"]["count"] == 1
    assert event.detail["page"] == "class_sheet"
    # Maya's record of access finds the class sheet through the event's index of students.
    from tandem.web.pages import record_of_access

    assert event in record_of_access(world.maya, with_refusals=False)
    assert event.district_id == world.riverside.pk


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("teacher", 200),
        ("principal", 200),  # leads North, the class's school
        ("director", 200),
        ("case_manager", 404),  # Maya's case manager, but not this class's teacher
        ("stranger", 404),
        ("psych", 404),
        ("contractor", 404),
        ("oak_director", 404),
        ("parent", 404),
        ("uncle", 404),
    ],
)
def test_who_may_open_the_sheet(world, section, persona, status):
    response = world.client_for(persona).get(_url(section))
    assert response.status_code == status
    if status == 404:
        assert not AuditEvent.objects.filter(action=Action.IMPLEMENTATION__VIEWED).exists()


def test_an_unknown_class_is_not_found(world, section):
    url = reverse("class_sheet", args=["3f2504e0-4f89-11d3-9a0c-0305e82c3301"])
    assert world.client_for("teacher").get(url).status_code == 404


def test_an_ended_class_is_not_found(world, section):
    ClassSection.objects.filter(pk=section.pk).update(end_date=START)
    assert world.client_for("teacher").get(_url(section)).status_code == 404


def test_the_sheet_only_reads(world, section):
    assert world.client_for("teacher").post(_url(section)).status_code == 405


def test_thirty_students_in_one_table_with_a_fixed_number_of_queries(
    world, section, django_assert_max_num_queries
):
    client = world.client_for("teacher")
    client.get(_url(section))
    with django_assert_max_num_queries(40) as small:
        client.get(_url(section))
    for i in range(28):
        kid = make_student(world.north, first=f"Kid{i:02d}", last="Extra")
        ClassEnrollment.objects.create(section=section, student=kid, start_date=START)
        _plan(world, kid, kind=PlanKind.SECTION_504 if i % 3 == 0 else PlanKind.IEP, n=3)
    _plan(world, world.leo, kind=PlanKind.SECTION_504)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = client.get(_url(section))
    html = response.content.decode()
    assert html.count("<table") == 1
    body = html.split("<tbody>")[1].split("</tbody>")[0]
    assert len(re.findall(r"<tr>", body)) == 30
    assert "30 students with a plan in force" in html


def test_the_teachers_home_marks_plans_and_links_the_sheet(world, section):
    _plan(world, world.maya, kind=PlanKind.SECTION_504)
    html = world.client_for("teacher").get(reverse("home")).content.decode()
    maya = html.split("Lopez, Maya</a>")[1].split("</li>")[0]
    leo = html.split("Park, Leo</a>")[1].split("</li>")[0]
    assert "IEP" in maya and "504 Plan" in maya
    assert "usa-tag" not in leo
    assert _url(section) in html
    assert "1 student in this class has an IEP or 504 Plan in force." in html
