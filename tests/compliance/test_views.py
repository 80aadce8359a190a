"""The deadlines page and its CSV export: personas, filters, status words, queries, audit."""

from __future__ import annotations

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse

from tandem.accounts.models import AuditEvent
from tandem.audit.catalogue import Action
from tandem.compliance.models import DeadlineKind
from tandem.people.models import CaseloadAssignment, Role, StaffRole
from tests.compliance.conftest import make_deadline
from tests.conftest import START
from tests.factories import make_student

pytestmark = pytest.mark.django_db


def _students(response) -> set[str]:  # type: ignore[no-untyped-def]
    return {d.student.legal_first_name for d in response.context["rows"]}


def _ids(response) -> set[int]:  # type: ignore[no-untyped-def]
    return {d.pk for d in response.context["rows"]}


def test_director_sees_the_districts_open_deadlines(world, deadlines):
    response = world.client_for("director").get("/deadlines/")
    assert response.status_code == 200
    assert _ids(response) == {
        deadlines[k].pk for k in ("maya_overdue", "maya_due_14", "leo_due_30", "ana_on_track")
    }


def test_principal_sees_their_school_only(world, deadlines):
    response = world.client_for("principal").get("/deadlines/")
    assert _students(response) == {"Maya", "Leo"}


def test_case_manager_sees_their_caseload(world, deadlines):
    response = world.client_for("case_manager").get("/deadlines/")
    assert _students(response) == {"Maya"}


@pytest.mark.parametrize("persona", ["oak_director", "stranger"])
def test_outsider_sees_nothing_of_the_riverside_students(world, deadlines, persona):
    response = world.client_for(persona).get("/deadlines/?status=all")
    assert response.status_code == 200
    assert not _students(response) & {"Maya", "Leo", "Ana"}
    assert b"Maya" not in response.content


def test_oak_director_sees_only_oak_valley(world, deadlines):
    response = world.client_for("oak_director").get("/deadlines/")
    assert _students(response) == {"Sam", "Tess"}


@pytest.mark.parametrize("persona", ["teacher", "parent", "contractor", "uncle"])
def test_roles_without_deadline_duties_get_404(world, deadlines, persona):
    client = world.client_for(persona)
    assert client.get("/deadlines/").status_code == 404
    assert client.get("/deadlines/export.csv").status_code == 404


def test_anonymous_is_sent_to_sign_in(world):
    response = world.client_for("anonymous").get("/deadlines/")
    assert response.status_code == 302
    assert "/login/" in response["Location"]


def test_status_is_shown_in_words_with_a_tag(world, deadlines):
    html = world.client_for("director").get("/deadlines/?status=all").content.decode()
    for words in (
        "Overdue",
        "Due within 14 days",
        "Due within 30 days",
        "On track",
        "Met late",
        ">Met<",
    ):
        assert words in html
    assert html.count('class="usa-tag tandem-deadline-status') == 6


def test_explanation_is_one_click_away(world, deadlines):
    html = world.client_for("case_manager").get("/deadlines/").content.decode()
    assert "<details" in html
    assert deadlines["maya_overdue"].explanation in html
    assert "34 CFR 300.301(c)(1)" in html


def test_default_sort_is_by_due_date(world, deadlines):
    rows = world.client_for("director").get("/deadlines/").context["rows"]
    assert [d.due_on for d in rows] == sorted(d.due_on for d in rows)


def test_latest_first_sort(world, deadlines):
    rows = world.client_for("director").get("/deadlines/?sort=-due").context["rows"]
    assert [d.due_on for d in rows] == sorted((d.due_on for d in rows), reverse=True)


@pytest.mark.parametrize(
    ("status", "expected"),
    [
        ("overdue", {"maya_overdue"}),
        ("due_14", {"maya_due_14"}),
        ("due_30", {"leo_due_30"}),
        ("on_track", {"ana_on_track"}),
        ("met", {"maya_met"}),
        ("met_late", {"leo_met_late"}),
        (
            "all",
            {
                "maya_overdue",
                "maya_due_14",
                "maya_met",
                "leo_due_30",
                "leo_met_late",
                "ana_on_track",
            },
        ),
    ],
)
def test_status_filter(world, deadlines, status, expected):
    response = world.client_for("director").get("/deadlines/", {"status": status})
    assert _ids(response) == {deadlines[k].pk for k in expected}


def test_school_filter(world, deadlines):
    client = world.client_for("director")
    response = client.get("/deadlines/", {"school": str(world.south.public_id)})
    assert _students(response) == {"Ana"}


def test_school_choices_are_led_or_seen_schools(world, deadlines):
    form = world.client_for("principal").get("/deadlines/").context["form"]
    names = {label for _, label in form.fields["school"].choices}
    assert "North Elementary" in names
    assert "South Middle" not in names and "Prairie Elementary" not in names


def test_a_school_out_of_reach_is_refused(world, deadlines):
    response = world.client_for("principal").get(
        "/deadlines/", {"school": str(world.south.public_id)}
    )
    assert response.context["form"].errors["school"]
    assert response.context["rows"] == []


def test_kind_filter(world, deadlines):
    response = world.client_for("director").get(
        "/deadlines/", {"kind": DeadlineKind.INITIAL_IEP_MEETING}
    )
    assert _ids(response) == {deadlines["maya_due_14"].pk}


def test_case_manager_filter(world, deadlines):
    client = world.client_for("director")
    staff = world.users["case_manager"].staff
    form = client.get("/deadlines/").context["form"]
    assert str(staff.public_id) in {value for value, _ in form.fields["case_manager"].choices}
    response = client.get("/deadlines/", {"case_manager": str(staff.public_id)})
    assert _students(response) == {"Maya"}
    assert "Cara" in response.content.decode()


def test_unknown_status_shows_an_error_not_everything(world, deadlines):
    response = world.client_for("director").get("/deadlines/", {"status": "soonish"})
    assert response.status_code == 200
    assert response.context["form"].errors["status"]
    assert response.context["rows"] == []


def test_pages_of_fifty(world, today):
    for n in range(60):
        make_deadline(world.ana, due=today + timedelta(days=n))
    client = world.client_for("director")
    first = client.get("/deadlines/")
    assert len(first.context["rows"]) == 50
    second = client.get("/deadlines/", {"page": 2})
    assert len(second.context["rows"]) == 10
    assert "Page 2 of 2" in second.content.decode()


def _many(world, today, n):  # type: ignore[no-untyped-def]
    teacher_staff = world.users["case_manager"].staff
    for i in range(n):
        student = make_student(world.north, first=f"Kid{i}", last="Many")
        CaseloadAssignment.objects.create(staff=teacher_staff, student=student, start_date=START)
        make_deadline(student, due=today + timedelta(days=i % 40))


@pytest.mark.parametrize("rows", [5, 50])
def test_queries_do_not_grow_with_rows(world, today, rows, django_assert_max_num_queries):
    _many(world, today, rows)
    client = world.client_for("director")
    client.get("/deadlines/")  # warm the session
    # 12: the page's 10 and its audit event naming the students shown (an event and its index).
    with django_assert_max_num_queries(12):
        response = client.get("/deadlines/")
    assert len(response.context["rows"]) == rows


def test_csv_export_has_the_filtered_rows(world, deadlines):
    response = world.client_for("director").get("/deadlines/export.csv", {"status": "overdue"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    assert "attachment" in response["Content-Disposition"]
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0][:6] == ["Student", "SIS id", "School", "Type", "Due on", "Status"]
    assert len(rows) == 2
    maya = rows[1]
    assert maya[0] == "Maya Lopez"
    assert maya[4] == deadlines["maya_overdue"].due_on.isoformat()
    assert maya[5] == "Overdue"
    assert maya[8] == "Cara Lee"
    assert maya[10] == deadlines["maya_overdue"].explanation


def test_csv_export_is_audited(world, deadlines):
    world.client_for("director").get("/deadlines/export.csv", {"school": ""})
    event = AuditEvent.objects.get(action="deadlines.exported")
    assert event.actor == world.users["director"]
    assert event.district_id == world.riverside.pk
    assert event.detail["rows"] == 4


def test_csv_export_of_an_outsider_holds_nothing_of_riverside(world, deadlines):
    body = world.client_for("oak_director").get("/deadlines/export.csv").content.decode()
    assert "Maya" not in body and "Sam Cole" in body


def test_csv_cells_cannot_run_as_formulas(world, today):
    student = make_student(world.north, first="=HYPERLINK(1)", last="X")
    make_deadline(student, due=today)
    body = world.client_for("director").get("/deadlines/export.csv").content.decode()
    assert "'=HYPERLINK(1) X" in body


def test_an_ended_principal_role_closes_the_page(world, deadlines, today):
    StaffRole.objects.filter(staff__user=world.users["principal"], role=Role.SCHOOL_ADMIN).update(
        end_date=today - timedelta(days=1)
    )
    assert world.client_for("principal").get("/deadlines/").status_code == 404


# --- the record of access: each student shown is named --------------------------------------


def test_the_deadlines_page_and_its_export_name_the_students_shown(world, deadlines):
    client = world.client_for("director")
    client.get("/deadlines/")
    client.get("/deadlines/export.csv")
    for action in (Action.DEADLINES__LISTED, Action.DEADLINES__EXPORTED):
        event = AuditEvent.objects.filter(action=action).latest("id")
        from tandem.web.pages import record_of_access

        assert event in record_of_access(world.maya, with_refusals=False)


def test_the_parent_reads_in_plain_words_that_the_list_showed_their_child(world, deadlines):
    world.client_for("director").get("/deadlines/")
    page = world.client_for("parent").get(
        reverse("student_access_log", args=[world.maya.public_id])
    )
    assert "Opened the list of deadlines" in page.content.decode()


def test_xlsx_export_has_the_same_rows_as_the_csv(world, deadlines):
    import openpyxl

    client = world.client_for("director")
    response = client.get("/deadlines/export.xlsx", {"status": "overdue"})
    assert response.status_code == 200 and "deadlines-" in response["Content-Disposition"]
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    rows = [[c if c is not None else "" for c in row] for row in sheet.iter_rows(values_only=True)]
    as_csv = list(
        csv.reader(
            io.StringIO(client.get("/deadlines/export.csv", {"status": "overdue"}).content.decode())
        )
    )
    assert rows == as_csv
    assert AuditEvent.objects.filter(action=Action.DEADLINES__EXPORTED).count() == 2
