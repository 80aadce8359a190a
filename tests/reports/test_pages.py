"""The report pages for each persona: staff list, one report, its PDF, batches, the student page."""

from __future__ import annotations

import re
import zlib
from datetime import date

import pytest

from tandem.accounts.models import AuditEvent
from tandem.documents import pdf as web_pdf
from tandem.people.models import Guardian
from tandem.reports import actions, schedule
from tandem.reports.models import ProgressReport, ReportBatch, ReportStatus

pytestmark = pytest.mark.django_db

Q1 = schedule.Period("Quarter 1", date(2025, 8, 15), date(2025, 10, 17), date(2025, 10, 24))


@pytest.fixture
def draft(world, reports):  # type: ignore[no-untyped-def]
    return actions.draft_report(actor=world.users["case_manager"], student=world.maya, period=Q1)


@pytest.fixture
def issued(world, draft):  # type: ignore[no-untyped-def]
    return actions.issue_report(actor=world.users["case_manager"], report=draft)


@pytest.fixture
def rendered(monkeypatch):  # type: ignore[no-untyped-def]
    """The HTML each PDF was made from (the PDF is still made for real)."""
    pages: list[str] = []
    real = web_pdf.weasyprint.HTML

    def capture(*args, **kwargs):  # type: ignore[no-untyped-def]
        pages.append(kwargs.get("string", ""))
        return real(*args, **kwargs)

    monkeypatch.setattr(web_pdf.weasyprint, "HTML", capture)
    return pages


def _inflated(pdf: bytes) -> bytes:
    """The PDF with its streams inflated, to read its structure tree."""
    out = [pdf]
    for match in re.finditer(rb"stream\r?\n(.*?)\r?\nendstream", pdf, re.S):
        try:
            out.append(zlib.decompress(match.group(1)))
        except zlib.error:
            continue
    return b"\n".join(out)


# --- the school's list ---------------------------------------------------------------------------


def test_list_shows_the_schools_reports_for_the_period(world, reports, draft) -> None:  # type: ignore[no-untyped-def]
    client = world.client_for("principal")
    q1 = reports.periods["Quarter 1"].pk
    response = client.get("/reports/", {"school": world.north.public_id, "period": q1})
    assert response.status_code == 200
    html = response.content.decode()
    assert "Maya Lopez" in html and f"/reports/{draft.public_id}/" in html
    assert "1 draft to review" in html
    # An unknown period falls back to the latest one: Maya's Q1 report is not listed there.
    assert 'id="batch-heading"' in html  # the principal may launch a batch
    other = client.get("/reports/", {"school": world.north.public_id, "period": "bogus"})
    assert "Maya Lopez" in other.content.decode()
    assert f"/reports/{draft.public_id}/" not in other.content.decode()
    # Each student the list names finds it in "who opened this record".
    from tandem.accounts.models import AuditEvent
    from tandem.audit.catalogue import Action
    from tandem.web.pages import record_of_access

    listed = AuditEvent.objects.filter(action=Action.PROGRESS_REPORT__LIST_VIEWED).latest("id")
    assert listed in record_of_access(world.maya, with_refusals=False)


@pytest.mark.parametrize("persona", ["parent", "uncle"])
def test_list_is_for_staff_only(world, persona) -> None:  # type: ignore[no-untyped-def]
    assert world.client_for(persona).get("/reports/").status_code == 404


def test_list_query_count_does_not_grow_with_students(
    world, reports, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    from tests.factories import make_student
    from tests.reports.conftest import active_iep, goal

    for i in range(6):
        student = make_student(world.north, first=f"Kid{i}", last="Many")
        goal(active_iep(student, world.users["principal"]), "Reading", name=f"Kid{i}")
    client = world.client_for("principal")
    params = {"school": world.north.public_id, "period": reports.periods["Quarter 1"].pk}
    with django_assert_max_num_queries(40):
        response = client.get("/reports/", params)
    assert response.content.decode().count("Many</a>") == 6


# --- one report ----------------------------------------------------------------------------------


def test_case_manager_edits_a_draft(world, draft) -> None:  # type: ignore[no-untyped-def]
    client = world.client_for("case_manager")
    response = client.get(f"/reports/{draft.public_id}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Issue and send to the family" in html
    assert "<svg" in html  # each goal's graph, live while a draft
    rows = list(draft.goals.order_by("position"))
    data = {}
    for row in rows:
        data[f"goal-{row.pk}-status"] = row.status
        data[f"goal-{row.pk}-narrative"] = row.narrative
    data[f"goal-{rows[0].pk}-narrative"] = "Maya met the reading goal early."
    response = client.post(f"/reports/{draft.public_id}/", data)
    assert response.status_code == 302
    rows[0].refresh_from_db()
    assert rows[0].narrative == "Maya met the reading goal early."
    assert AuditEvent.objects.filter(action="progress_report.edited").count() == 1


def test_a_blank_narrative_is_named_and_nothing_saved(world, draft) -> None:  # type: ignore[no-untyped-def]
    rows = list(draft.goals.order_by("position"))
    data = {f"goal-{r.pk}-status": r.status for r in rows}
    data.update({f"goal-{r.pk}-narrative": "Fine." for r in rows})
    row = rows[0]
    before = row.narrative
    data[f"goal-{row.pk}-narrative"] = " "
    response = world.client_for("case_manager").post(f"/reports/{draft.public_id}/", data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Nothing was saved" in html
    assert f'href="#id_goal-{row.pk}-narrative"' in html
    assert "Write a few words on the progress toward this goal." in html
    row.refresh_from_db()
    assert row.narrative == before
    assert not draft.goals.filter(narrative="Fine.").exists()


def test_a_teacher_reads_the_draft_but_cannot_change_or_issue_it(world, draft) -> None:  # type: ignore[no-untyped-def]
    client = world.client_for("teacher")
    response = client.get(f"/reports/{draft.public_id}/")
    assert response.status_code == 200
    assert "Issue and send to the family" not in response.content.decode()
    row = draft.goals.first()
    response = client.post(
        f"/reports/{draft.public_id}/",
        {f"goal-{row.pk}-status": "mastered", f"goal-{row.pk}-narrative": "Changed"},
    )
    assert response.status_code == 403
    assert client.post(f"/reports/{draft.public_id}/issue/").status_code == 403
    draft.refresh_from_db()
    row.refresh_from_db()
    assert draft.status == ReportStatus.DRAFT and row.narrative != "Changed"


@pytest.mark.parametrize("persona", ["stranger", "oak_director", "uncle", "parent"])
def test_a_draft_is_out_of_reach_for_outsiders_and_parents(world, draft, persona) -> None:  # type: ignore[no-untyped-def]
    client = world.client_for(persona)
    assert client.get(f"/reports/{draft.public_id}/").status_code == 404
    assert client.get(f"/reports/{draft.public_id}/pdf/").status_code == 404
    assert client.post(f"/reports/{draft.public_id}/issue/").status_code == 404


def test_bad_report_ids_are_not_found(world) -> None:  # type: ignore[no-untyped-def]
    client = world.client_for("case_manager")
    assert client.get("/reports/not-a-uuid/").status_code == 404
    assert client.get("/reports/00000000-0000-0000-0000-000000000000/pdf/").status_code == 404


def test_issue_from_the_page_then_the_parent_reads_it(world, draft) -> None:  # type: ignore[no-untyped-def]
    response = world.client_for("case_manager").post(f"/reports/{draft.public_id}/issue/")
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.status == ReportStatus.ISSUED
    parent = world.client_for("parent")
    response = parent.get(f"/reports/{draft.public_id}/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "<svg" in html  # the frozen graph
    assert "Issue and send" not in html and "<textarea" not in html
    pdf = parent.get(f"/reports/{draft.public_id}/pdf/")
    assert pdf["Content-Type"] == "application/pdf"
    assert pdf.content == bytes(ProgressReport.objects.get(pk=draft.pk).pdf)
    # The portal's delivery is marked opened.
    from tandem.communication.models import Delivery

    assert Delivery.objects.get(student=world.maya).opened_at is not None
    assert world.client_for("uncle").get(f"/reports/{draft.public_id}/").status_code == 404
    assert AuditEvent.objects.filter(
        action="progress_report.viewed", actor=world.users["parent"]
    ).exists()


def test_the_issued_pdf_in_english(world, draft, rendered) -> None:  # type: ignore[no-untyped-def]
    report = actions.issue_report(actor=world.users["case_manager"], report=draft)
    pdf = bytes(report.pdf)
    assert pdf.startswith(b"%PDF")
    structure = _inflated(pdf)
    assert b"/S /H1" in structure and b"/S /H2" in structure
    assert b"/Lang (en)" in structure
    html = rendered[-1]
    assert 'lang="en"' in html
    assert "Progress report for Maya" in html
    assert "counter(page)" in html and "counter(pages)" in html
    assert "Progress: Mastered" in html
    assert "<svg" in html


def test_the_issued_pdf_in_spanish_for_a_spanish_speaking_parent(
    world, reports, rendered, spanish
) -> None:  # type: ignore[no-untyped-def]
    Guardian.objects.filter(user=world.users["parent"]).update(preferred_language="es")
    draft = actions.draft_report(actor=world.users["case_manager"], student=world.maya, period=Q1)
    report = actions.issue_report(actor=world.users["case_manager"], report=draft)
    assert report.language == "es"
    structure = _inflated(bytes(report.pdf))
    assert b"/S /H1" in structure and b"/Lang (es)" in structure
    html = rendered[-1]
    assert 'lang="es"' in html
    assert "Informe de progreso de Maya" in html
    assert "Progreso: Lograda" in html
    assert "Maya ha alcanzado esta meta" in html
    assert "Página" in html


def test_draft_pdf_preview_for_staff_says_draft(world, draft, rendered) -> None:  # type: ignore[no-untyped-def]
    response = world.client_for("case_manager").get(f"/reports/{draft.public_id}/pdf/")
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    assert "Draft: not yet sent to the family" in rendered[-1]


# --- drafting from the student page, and batches --------------------------------------------------


def test_the_student_page_lists_reports_and_offers_a_draft(world, draft) -> None:  # type: ignore[no-untyped-def]
    html = world.client_for("case_manager").get(f"/students/{world.maya.public_id}/").content
    html = html.decode()
    assert 'id="reports-heading"' in html
    assert f"/reports/{draft.public_id}/" in html
    assert "Draft a progress report" in html
    teacher = world.client_for("teacher").get(f"/students/{world.maya.public_id}/").content
    assert b"Draft a progress report" not in teacher


def test_drafting_from_the_student_page(world, reports) -> None:  # type: ignore[no-untyped-def]
    q2 = next(p for p in schedule.periods_for(reports.plan) if p.label == "Quarter 2")
    url = f"/students/{world.maya.public_id}/reports/new/"
    assert world.client_for("teacher").post(url, {"report-period": q2.key}).status_code == 403
    assert world.client_for("stranger").post(url, {"report-period": q2.key}).status_code == 404
    response = world.client_for("case_manager").post(url, {"report-period": "nonsense"})
    assert response.status_code == 200
    assert "Choose a reporting period" in response.content.decode()
    assert not ProgressReport.objects.exists()
    response = world.client_for("case_manager").post(url, {"report-period": q2.key})
    report = ProgressReport.objects.get()
    assert response["Location"] == f"/reports/{report.public_id}/"
    assert report.period_label == "Quarter 2"


def test_launch_a_batch_and_poll_it(world, reports, django_capture_on_commit_callbacks) -> None:  # type: ignore[no-untyped-def]
    client = world.client_for("principal")
    params = {
        "school": str(world.north.public_id),
        "period": str(reports.periods["Quarter 1"].pk),
        "mode": "draft",
    }
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/reports/batches/", params)
    batch = ReportBatch.objects.get()
    assert response["Location"] == f"/reports/batches/{batch.public_id}/"
    page = client.get(response["Location"])
    assert page.status_code == 200
    fragment = client.get(response["Location"], headers={"HX-Request": "true"})
    html = fragment.content.decode()
    assert html.startswith('<div id="batch-status"')
    assert "1 done and 0 failed of 1 students" in html
    assert "hx-trigger" not in html  # finished: the polling stops
    assert world.client_for("teacher").get(response["Location"]).status_code == 404
    assert world.client_for("parent").get(response["Location"]).status_code == 404


def test_a_running_batch_keeps_polling(world) -> None:  # type: ignore[no-untyped-def]
    batch = ReportBatch.objects.create(
        district=world.riverside,
        school=world.north,
        mode="draft",
        period_label="Quarter 1",
        period_start=Q1.start,
        period_end=Q1.end,
        due_on=Q1.due,
        status="running",
        total=10,
        done=3,
        created_by=world.users["principal"],
    )
    html = world.client_for("principal").get(
        f"/reports/batches/{batch.public_id}/", headers={"HX-Request": "true"}
    )
    assert 'hx-trigger="every 1s"' in html.content.decode()
    assert 'value="3"' in html.content.decode()


def test_a_batch_form_with_a_bad_mode_names_the_field(world, reports) -> None:  # type: ignore[no-untyped-def]
    response = world.client_for("principal").post(
        "/reports/batches/",
        {"school": str(world.north.public_id), "period": str(reports.periods["Quarter 1"].pk)},
    )
    assert response.status_code == 200
    assert "Choose whether to draft or to issue the reports." in response.content.decode()
    assert not ReportBatch.objects.exists()


def test_a_teacher_cannot_launch_a_batch(world, reports) -> None:  # type: ignore[no-untyped-def]
    response = world.client_for("teacher").post(
        "/reports/batches/",
        {
            "school": str(world.north.public_id),
            "period": str(reports.periods["Quarter 1"].pk),
            "mode": "draft",
        },
    )
    assert response.status_code == 403
    assert not ReportBatch.objects.exists()
