"""The leaders' list of plans (issue 15): IEPs and 504 Plans of the schools a district
administrator or principal leads; filters, pages, the CSV and XLSX download, and the log."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.urls import reverse

from tandem.accounts.models import AuditEvent
from tandem.compliance.models import Deadline, DeadlineKind
from tandem.core import clock
from tandem.people.models import CaseloadAssignment
from tandem.plans.models import Plan, PlanKind, PlanStatus
from tandem.web.pages import record_of_access
from tests.downloads import read_download
from tests.factories import make_student

URL = reverse("plan_list")


def _review(student, kind: str, due: date) -> None:  # type: ignore[no-untyped-def]
    Deadline.objects.create(
        student=student,
        district=student.district,
        school=student.school,
        kind=kind,
        state=student.district.state,
        trigger_on=due - timedelta(days=365),
        due_on=due,
        citation="34 CFR 300.324(b)(1)(i)",
        explanation="One year after the last meeting.",
        source_type="test",
        source_id="1",
        computed_at=clock.now(),
    )


@pytest.fixture
def plans(world):  # type: ignore[no-untyped-def]
    """Maya: an IEP in force (review counted as a legal date) and last year's, ended; Leo: an
    imported IEP in force with only its own review date; Ana (South): a 504 draft; Tess (Oak
    Valley): an IEP in force; and a discarded draft of Leo's that is no plan at all."""
    cm = world.users["case_manager"]
    today = clock.today()

    def plan(student, kind=PlanKind.IEP, status=PlanStatus.ACTIVE, **extra):  # type: ignore[no-untyped-def]
        return Plan.objects.create(
            student=student, kind=kind, status=status, created_by=cm, **extra
        )

    made = {
        "maya": plan(
            world.maya,
            effective_from=today - timedelta(days=100),
            effective_to=today + timedelta(days=265),
            annual_review_due=today + timedelta(days=270),
        ),
        "maya_old": plan(world.maya, status=PlanStatus.SUPERSEDED),
        "leo": plan(world.leo, imported=True, annual_review_due=today + timedelta(days=40)),
        "ana": plan(world.ana, kind=PlanKind.SECTION_504, status=PlanStatus.DRAFT),
        "tess": plan(world.tess),
        "discarded": plan(world.leo, kind=PlanKind.SECTION_504, status=PlanStatus.DISCARDED),
    }
    _review(world.maya, DeadlineKind.ANNUAL_REVIEW, today + timedelta(days=265))
    return made


def _shown(response) -> list[str]:  # type: ignore[no-untyped-def]
    return sorted(
        f"{p.student.legal_first_name}:{p.kind}:{p.status}" for p in response.context["page"]
    )


# --- who may open it ------------------------------------------------------------------------


def test_the_director_sees_the_districts_plans(world, plans):
    response = world.client_for("director").get(URL)
    assert response.status_code == 200
    assert _shown(response) == [
        "Ana:section_504:draft",
        "Leo:iep:active",
        "Maya:iep:active",
        "Maya:iep:superseded",
    ]
    text = response.content.decode()
    assert reverse("plan_detail", args=[plans["maya"].public_id]) in text
    assert reverse("student", args=[world.ana.public_id]) in text
    assert "Imported" in text and "In force" in text and "Ended" in text and "Draft" in text
    assert "Cara Lee" in text  # Maya's case manager
    assert "Tess" not in text


def test_the_next_annual_review_is_the_legal_date_else_the_plans_own(world, plans):
    response = world.client_for("director").get(URL, {"status": "in_force"})
    reviews = {p.student.legal_first_name: p.next_review for p in response.context["page"]}
    today = clock.today()
    assert reviews == {
        "Maya": today + timedelta(days=265),  # the open deadline, not the document's 270
        "Leo": today + timedelta(days=40),  # imported: no deadline stored, the plan's date
    }


def test_the_principal_sees_their_schools_plans_only(world, plans):
    response = world.client_for("principal").get(URL)
    assert response.status_code == 200
    assert [s.split(":")[0] for s in _shown(response)] == ["Leo", "Maya", "Maya"]


def test_another_districts_director_sees_their_own_district_only(world, plans):
    response = world.client_for("oak_director").get(URL)
    assert _shown(response) == ["Tess:iep:active"]
    assert "Maya" not in response.content.decode()


@pytest.mark.parametrize("persona", ["case_manager", "teacher", "psych", "contractor", "stranger"])
def test_staff_who_lead_no_school_are_refused_with_403(world, plans, persona):
    assert world.client_for(persona).get(URL).status_code == 403
    assert world.client_for(persona).get(URL, {"download": "xlsx"}).status_code == 403


@pytest.mark.parametrize("persona", ["parent", "uncle"])
def test_a_parent_gets_404(world, plans, persona):
    assert world.client_for(persona).get(URL).status_code == 404
    assert world.client_for(persona).get(URL, {"download": "csv"}).status_code == 404


# --- filters and pages ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ({"status": "draft"}, ["Ana:section_504:draft"]),
        ({"status": "in_force"}, ["Leo:iep:active", "Maya:iep:active"]),
        ({"status": "ended"}, ["Maya:iep:superseded"]),
        ({"status": "imported"}, ["Leo:iep:active"]),
        ({"kind": "section_504"}, ["Ana:section_504:draft"]),
        (
            {"kind": "iep", "status": "in_force", "school": "north"},
            ["Leo:iep:active", "Maya:iep:active"],
        ),
        ({"school": "south"}, ["Ana:section_504:draft"]),
    ],
)
def test_the_filters(world, plans, query, expected):
    schools = {"north": world.north, "south": world.south}
    if "school" in query:
        query = {**query, "school": str(schools[query["school"]].public_id)}
    assert _shown(world.client_for("director").get(URL, query)) == expected


@pytest.mark.parametrize(
    "query",
    [
        {"status": "lost"},
        {"kind": "IEP'; drop table"},
        {"school": "nowhere"},
        {"school": "00000000-0000-4000-8000-000000000000"},
    ],
)
def test_a_bad_filter_is_named_not_a_500(world, plans, query):
    for extra in ({}, {"download": "csv"}):
        response = world.client_for("director").get(URL, {**query, **extra})
        assert response.status_code == 400
        assert "Select a valid choice" in response.content.decode()
    assert not AuditEvent.objects.filter(action__in=["plans.listed", "plans.exported"]).exists()


def test_a_school_the_person_does_not_lead_is_refused(world, plans):
    for persona, school in (("principal", world.south), ("director", world.prairie)):
        response = world.client_for(persona).get(URL, {"school": str(school.public_id)})
        assert response.status_code == 400
        assert "Tess" not in response.content.decode()


def test_the_list_pages_fifty_at_a_time(world, plans):
    for i in range(50):
        student = make_student(world.north, first=f"P{i:02d}", last="Zed")
        Plan.objects.create(
            student=student,
            kind=PlanKind.IEP,
            status=PlanStatus.DRAFT,
            created_by=world.users["case_manager"],
        )
    client = world.client_for("director")
    first, second = client.get(URL), client.get(URL, {"page": "2"})
    assert first.context["page"].paginator.count == 54
    assert len(second.context["page"].object_list) == 4
    assert client.get(URL, {"page": "lots"}).status_code == 200


def test_the_page_names_each_student_it_shows_in_the_log(world, plans):
    world.client_for("principal").get(URL)
    event = AuditEvent.objects.get(action="plans.listed")
    assert event.detail["students_listed"]["count"] == 2  # Maya (two plans) and Leo
    assert event in record_of_access(world.maya, with_refusals=False)
    assert event in record_of_access(world.leo, with_refusals=False)
    assert event not in record_of_access(world.ana, with_refusals=False)


def test_the_queries_do_not_grow_with_plans(world, plans, django_assert_max_num_queries):
    client = world.client_for("director")
    with django_assert_max_num_queries(40) as captured:
        assert client.get(URL).status_code == 200
    first = len(captured)
    cm = world.users["case_manager"].staff
    for i in range(20):
        student = make_student(world.south, first=f"Q{i}", last="More", grade="7")
        Plan.objects.create(
            student=student, kind=PlanKind.IEP, status=PlanStatus.ACTIVE, created_by=cm.user
        )
        CaseloadAssignment.objects.create(staff=cm, student=student, start_date=date(2025, 8, 1))
        _review(student, DeadlineKind.ANNUAL_REVIEW, clock.today() + timedelta(days=i))
    with django_assert_max_num_queries(first):
        assert client.get(URL).status_code == 200


# --- the download ---------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_the_download_gives_every_plan_and_logs_each_student(world, plans, fmt):
    world.leo.preferred_last_name = "@Park"
    world.leo.save()
    response = world.client_for("director").get(URL, {"download": fmt})
    rows = read_download(response, fmt)
    assert rows[0] == [
        "Student",
        "Student id",
        "School",
        "Kind of plan",
        "Status",
        "Imported",
        "Effective from",
        "Effective to",
        "Next annual review",
        "Case manager",
    ]
    assert len(rows) == 5
    today = clock.today()
    maya = next(r for r in rows[1:] if r[0] == "Lopez, Maya" and r[4] == "In force")
    assert maya[1] == world.maya.sis_id and maya[2] == "North Elementary" and maya[3] == "IEP"
    assert maya[6] == (today - timedelta(days=100)).isoformat()
    assert maya[8] == (today + timedelta(days=265)).isoformat() and maya[9] == "Cara Lee"
    leo = next(r for r in rows[1:] if r[0] == "'@Park, Leo")
    assert leo[4] == "In force" and leo[5] == "Yes"
    ana = next(r for r in rows[1:] if r[0] == "Reyes, Ana")
    assert ana[3] == "504 Plan" and ana[4] == "Draft" and ana[8] == ""
    event = AuditEvent.objects.get(action="plans.exported")
    assert event.detail["rows"] == 4 and event.detail["format"] == fmt
    for student in (world.maya, world.leo, world.ana):
        assert event in record_of_access(student, with_refusals=False)


def test_the_download_keeps_the_filters(world, plans):
    client = world.client_for("director")
    rows = read_download(client.get(URL, {"download": "csv", "status": "ended"}), "csv")
    assert [(r[0], r[4]) for r in rows[1:]] == [("Lopez, Maya", "Ended")]
    event = AuditEvent.objects.get(action="plans.exported")
    assert event.detail["filters"] == {"status": "ended"}
    assert event not in record_of_access(world.ana, with_refusals=False)


def test_the_home_page_links_leaders_to_the_plans(world, plans):
    assert URL in world.client_for("director").get(reverse("home")).content.decode()
    assert URL not in world.client_for("teacher").get(reverse("home")).content.decode()
