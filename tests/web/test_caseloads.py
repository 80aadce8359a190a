"""The caseloads page (issue 15): each case manager with their students, for the district
administrator and the principal; filters, pages, the CSV and XLSX download, and the log."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse

from tandem.accounts.models import AuditEvent
from tandem.compliance.models import Deadline, DeadlineKind
from tandem.core import clock
from tandem.people.models import CaseloadAssignment, Role, Staff
from tandem.plans.models import Plan, PlanKind, PlanStatus
from tandem.web.pages import record_of_access
from tests.conftest import START
from tests.downloads import read_download
from tests.factories import make_staff, make_student

URL = reverse("caseload_list")


def _deadline(student, kind: str, due_in: int) -> Deadline:  # type: ignore[no-untyped-def]
    today = clock.today()
    return Deadline.objects.create(
        student=student,
        district=student.district,
        school=student.school,
        kind=kind,
        state=student.district.state,
        trigger_on=today - timedelta(days=300),
        due_on=today + timedelta(days=due_in),
        citation="34 CFR 300.324(b)(1)(i)",
        explanation="One year after the last IEP meeting.",
        source_type="test",
        source_id="1",
        computed_at=clock.now(),
    )


@pytest.fixture
def caseloads(world):  # type: ignore[no-untyped-def]
    """Cara (North) carries Maya, who has an IEP in force and an annual review overdue; Nia
    (South) carries Ana, who has a 504 Plan; Oak Valley's Owen carries Tess."""
    cm = world.users["case_manager"]
    Plan.objects.create(
        student=world.maya, kind=PlanKind.IEP, status=PlanStatus.ACTIVE, created_by=cm
    )
    _deadline(world.maya, DeadlineKind.ANNUAL_REVIEW, -3)
    _deadline(world.maya, DeadlineKind.REEVALUATION, 200)
    Plan.objects.create(
        student=world.ana, kind=PlanKind.SECTION_504, status=PlanStatus.ACTIVE, created_by=cm
    )
    nia = make_staff("nia@r.test", [(Role.CASE_MANAGER, world.riverside, world.south)], first="Nia")
    CaseloadAssignment.objects.create(staff=nia, student=world.ana, start_date=START)
    owen = make_staff(
        "owen@o.test", [(Role.CASE_MANAGER, world.oak_valley, world.prairie)], first="Owen"
    )
    CaseloadAssignment.objects.create(staff=owen, student=world.tess, start_date=START)
    return {"nia": nia, "owen": owen}


def _names(response) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    return {
        c.staff.user.first_name: [r.student.legal_first_name for r in c.rows]
        for c in response.context["caseloads"]
    }


# --- who may open it ------------------------------------------------------------------------


def test_the_director_sees_every_caseload_of_the_district(world, caseloads):
    response = world.client_for("director").get(URL)
    assert response.status_code == 200
    assert _names(response) == {"Cara": ["Maya"], "Nia": ["Ana"]}  # not Oak Valley's Owen
    text = response.content.decode()
    assert reverse("student", args=[world.maya.public_id]) in text
    assert "North Elementary" in text and "IEP" in text and "504 Plan" in text
    assert "Annual review" in text and "Overdue" in text  # Maya's next date, not the later one


def test_the_principal_sees_the_caseloads_of_their_school_only(world, caseloads):
    response = world.client_for("principal").get(URL)
    assert response.status_code == 200
    assert _names(response) == {"Cara": ["Maya"]}
    assert "Ana" not in response.content.decode()


def test_another_districts_director_sees_their_own_district_only(world, caseloads):
    response = world.client_for("oak_director").get(URL)
    assert response.status_code == 200
    assert _names(response) == {"Owen": ["Tess"]}
    assert "Maya" not in response.content.decode()


@pytest.mark.parametrize("persona", ["case_manager", "teacher", "psych", "contractor", "stranger"])
def test_staff_who_lead_no_school_are_refused_with_403(world, caseloads, persona):
    assert world.client_for(persona).get(URL).status_code == 403
    assert world.client_for(persona).get(URL, {"download": "csv"}).status_code == 403
    assert AuditEvent.objects.filter(action="access.refused").exists()


@pytest.mark.parametrize("persona", ["parent", "uncle"])
def test_a_parent_gets_404(world, caseloads, persona):
    assert world.client_for(persona).get(URL).status_code == 404
    assert world.client_for(persona).get(URL, {"download": "xlsx"}).status_code == 404


def test_an_anonymous_visitor_is_sent_to_sign_in(world):
    assert world.client_for("anonymous").get(URL).status_code == 302


# --- filters and pages ----------------------------------------------------------------------


def test_the_school_filter_keeps_that_schools_students(world, caseloads):
    client = world.client_for("director")
    response = client.get(URL, {"school": str(world.south.public_id)})
    assert _names(response) == {"Nia": ["Ana"]}


def test_the_case_manager_filter_keeps_that_persons_caseload(world, caseloads):
    client = world.client_for("director")
    response = client.get(URL, {"case_manager": str(caseloads["nia"].public_id)})
    assert _names(response) == {"Nia": ["Ana"]}


@pytest.mark.parametrize(
    "query",
    [
        {"school": "not-a-school"},
        {"school": "00000000-0000-4000-8000-000000000000"},
        {"case_manager": "nobody"},
        {"page": "many"},
    ],
)
def test_a_bad_filter_is_named_not_a_500(world, caseloads, query):
    response = world.client_for("principal").get(URL, query)
    if "page" in query:  # an unreadable page number shows the first page
        assert response.status_code == 200
        return
    assert response.status_code == 400
    assert "Select a valid choice" in response.content.decode()


def test_another_districts_school_or_person_is_refused_like_a_made_up_one(world, caseloads):
    client = world.client_for("director")
    for query in (
        {"school": str(world.prairie.public_id)},
        {"case_manager": str(caseloads["owen"].public_id)},
    ):
        response = client.get(URL, query)
        assert response.status_code == 400
        assert "Tess" not in response.content.decode()
    # A principal may not pick a school of the district they do not lead.
    response = world.client_for("principal").get(URL, {"school": str(world.south.public_id)})
    assert response.status_code == 400


def test_the_list_pages_by_case_manager(world, caseloads):
    students = [make_student(world.north, first=f"Kid{i}", last="Page") for i in range(12)]
    for i, student in enumerate(students):
        person = make_staff(f"cm{i}@r.test", [(Role.CASE_MANAGER, world.riverside, world.north)])
        CaseloadAssignment.objects.create(staff=person, student=student, start_date=START)
    client = world.client_for("director")
    first, second = client.get(URL), client.get(URL, {"page": 2})
    assert first.context["page"].paginator.count == 14
    assert len(first.context["caseloads"]) == 10 and len(second.context["caseloads"]) == 4
    assert "page=2" in first.content.decode()


def test_the_page_names_each_student_it_shows_in_the_log(world, caseloads):
    world.client_for("director").get(URL)
    event = AuditEvent.objects.get(action="caseloads.listed")
    assert event.detail["students_listed"]["count"] == 2
    assert event.district_id == world.riverside.pk
    assert event in record_of_access(world.maya, with_refusals=False)
    assert event in record_of_access(world.ana, with_refusals=False)


def test_the_queries_do_not_grow_with_caseloads(world, caseloads, django_assert_max_num_queries):
    client = world.client_for("director")
    with django_assert_max_num_queries(40) as captured:
        assert client.get(URL).status_code == 200
    first = len(captured)
    for i in range(6):
        person = make_staff(f"more{i}@r.test", [(Role.CASE_MANAGER, world.riverside, world.north)])
        for j in range(4):
            student = make_student(world.north, first=f"S{i}{j}", last="More")
            CaseloadAssignment.objects.create(staff=person, student=student, start_date=START)
            Plan.objects.create(
                student=student,
                kind=PlanKind.IEP,
                status=PlanStatus.ACTIVE,
                created_by=world.users["case_manager"],
            )
            _deadline(student, DeadlineKind.ANNUAL_REVIEW, 10 + j)
    with django_assert_max_num_queries(first):
        assert client.get(URL).status_code == 200


# --- the download ---------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_download_gives_one_line_per_assignment(world, caseloads, fmt):
    world.maya.preferred_last_name = "=SUM(1)"
    world.maya.save()
    response = world.client_for("director").get(URL, {"download": fmt})
    rows = read_download(response, fmt)
    assert rows[0] == [
        "Case manager",
        "Email",
        "Student",
        "Student id",
        "School",
        "Grade",
        "Plan in force",
        "Next legal deadline",
        "Due on",
        "Since",
    ]
    by_student = {row[2]: row for row in rows[1:]}
    assert set(by_student) == {"'=SUM(1), Maya", "Reyes, Ana"}
    maya = by_student["'=SUM(1), Maya"]
    assert maya[0] == "Cara Lee" and maya[1] == "cm@r.test" and maya[4] == "North Elementary"
    assert maya[6] == "IEP" and maya[7] == "Annual review"
    assert maya[8] == (clock.today() - timedelta(days=3)).isoformat()
    assert maya[9] == START.isoformat()
    assert by_student["Reyes, Ana"][6] == "504 Plan" and by_student["Reyes, Ana"][7] == ""
    event = AuditEvent.objects.get(action="caseloads.exported")
    assert event.detail["format"] == fmt and event.detail["rows"] == 2
    assert event in record_of_access(world.maya, with_refusals=False)
    assert event in record_of_access(world.ana, with_refusals=False)


def test_the_download_keeps_the_filters_and_every_page(world, caseloads):
    for i in range(12):
        person = make_staff(f"dl{i}@r.test", [(Role.CASE_MANAGER, world.riverside, world.north)])
        student = make_student(world.north, first=f"Dl{i}", last="Row")
        CaseloadAssignment.objects.create(staff=person, student=student, start_date=START)
    client = world.client_for("principal")
    rows = read_download(client.get(URL, {"download": "csv", "page": "2"}), "csv")
    assert len(rows) - 1 == 13  # every assignment at North, not the page asked for
    nia = Staff.objects.get(user__email="nia@r.test")
    director = world.client_for("director")
    only = read_download(
        director.get(URL, {"download": "csv", "case_manager": nia.public_id}), "csv"
    )
    assert [row[2] for row in only[1:]] == ["Reyes, Ana"]
    event = AuditEvent.objects.filter(action="caseloads.exported").latest("id")
    assert event.detail["filters"] == {"case_manager": str(nia.public_id)}


def test_a_student_who_left_is_on_no_caseload(world, caseloads):
    world.ana.exit_date = clock.today() - timedelta(days=1)
    world.ana.save()
    response = world.client_for("director").get(URL)
    assert _names(response) == {"Cara": ["Maya"]}
    rows = read_download(world.client_for("director").get(URL, {"download": "csv"}), "csv")
    assert [row[2] for row in rows[1:]] == ["Lopez, Maya"]


def test_the_home_page_links_leaders_to_the_caseloads(world, caseloads):
    text = world.client_for("principal").get(reverse("home")).content.decode()
    assert URL in text
    cara = world.users["case_manager"].staff
    assert f"{URL}?case_manager={cara.public_id}" in text  # each name opens that caseload
    assert URL not in world.client_for("case_manager").get(reverse("home")).content.decode()
