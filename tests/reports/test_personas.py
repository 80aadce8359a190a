"""Who may do what with progress reports: the capability matrix, page by page.

Drafting and issuing need ISSUE_REPORTS (the caseload, leaders); wording a draft needs
RECORD_PROGRESS (the providers who gather the data, a contractor included); a teacher of the
class reads; a school's batch is for its leaders.
"""

from __future__ import annotations

from datetime import date

import django.db
import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.test.utils import CaptureQueriesContext

from tandem.reports import actions, schedule
from tandem.reports.models import ProgressReport, ProgressReportGoal, ReportBatch, ReportStatus
from tests.reports.conftest import goal

pytestmark = pytest.mark.django_db

Q1 = schedule.Period("Quarter 1", date(2025, 8, 15), date(2025, 10, 17), date(2025, 10, 24))
ISSUERS = ["case_manager", "principal", "director"]
NOT_ISSUERS = ["contractor", "teacher", "psych"]
OUTSIDERS = ["stranger", "oak_director", "uncle"]


@pytest.fixture
def draft(world, reports):  # type: ignore[no-untyped-def]
    return actions.draft_report(actor=world.users["case_manager"], student=world.maya, period=Q1)


def _words(report, text: str) -> dict[str, str]:  # type: ignore[no-untyped-def]
    data = {}
    for row in report.goals.order_by("position"):
        data[f"goal-{row.pk}-status"] = row.status
        data[f"goal-{row.pk}-narrative"] = text
    return data


# --- one report ----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ISSUERS)
def test_issuers_issue_the_report(world, draft, persona) -> None:  # type: ignore[no-untyped-def]
    client = world.client_for(persona)
    assert (
        "Issue and send to the family"
        in client.get(f"/reports/{draft.public_id}/").content.decode()
    )
    assert client.post(f"/reports/{draft.public_id}/issue/").status_code == 302
    draft.refresh_from_db()
    assert draft.status == ReportStatus.ISSUED and draft.issued_by == world.users[persona]


@pytest.mark.parametrize("persona", NOT_ISSUERS)
def test_others_on_the_record_read_but_cannot_issue(world, draft, persona) -> None:  # type: ignore[no-untyped-def]
    client = world.client_for(persona)
    page = client.get(f"/reports/{draft.public_id}/")
    assert page.status_code == 200
    assert "Issue and send to the family" not in page.content.decode()
    assert client.post(f"/reports/{draft.public_id}/issue/").status_code == 403
    with pytest.raises(PermissionDenied):
        actions.issue_report(actor=world.users[persona], report=draft)
    draft.refresh_from_db()
    assert draft.status == ReportStatus.DRAFT


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_outsiders_find_no_report(world, draft, persona) -> None:  # type: ignore[no-untyped-def]
    client = world.client_for(persona)
    assert client.get(f"/reports/{draft.public_id}/").status_code == 404
    assert client.post(f"/reports/{draft.public_id}/", _words(draft, "x")).status_code == 404
    assert client.post(f"/reports/{draft.public_id}/issue/").status_code == 404
    assert not draft.goals.filter(narrative="x").exists()


def test_the_contractor_words_a_draft_but_does_not_issue_it(world, draft) -> None:  # type: ignore[no-untyped-def]
    client = world.client_for("contractor")
    page = client.get(f"/reports/{draft.public_id}/").content.decode()
    assert "Save the report" in page and "Issue and send to the family" not in page
    response = client.post(f"/reports/{draft.public_id}/", _words(draft, "Maya grips better."))
    assert response.status_code == 302
    assert draft.goals.filter(narrative="Maya grips better.").count() == draft.goals.count()
    assert client.post(f"/reports/{draft.public_id}/issue/").status_code == 403


@pytest.mark.parametrize("persona", ["teacher", "psych", "parent"])
def test_readers_cannot_word_a_draft(world, draft, persona) -> None:  # type: ignore[no-untyped-def]
    client = world.client_for(persona)
    expected = 404 if persona == "parent" else 403  # a draft is not the family's to see
    response = client.post(f"/reports/{draft.public_id}/", _words(draft, "Changed"))
    assert response.status_code == expected
    assert not draft.goals.filter(narrative="Changed").exists()


def test_the_report_page_does_not_grow_with_goals(world, reports, draft) -> None:  # type: ignore[no-untyped-def]
    client = world.client_for("case_manager")
    client.get(f"/reports/{draft.public_id}/")
    with CaptureQueriesContext(django.db.connection) as four:
        client.get(f"/reports/{draft.public_id}/")
    for area in ("Listening", "Speaking", "Math facts"):
        goal(reports.plan, area)
    actions.draft_report(actor=world.users["case_manager"], student=world.maya, period=Q1)
    assert draft.goals.count() == 7
    with CaptureQueriesContext(django.db.connection) as seven:
        client.get(f"/reports/{draft.public_id}/")
    assert len(seven.captured_queries) == len(four.captured_queries)


# --- drafting from the student page --------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [("contractor", 403), ("teacher", 403), ("psych", 403), ("stranger", 404), ("uncle", 404)],
)
def test_only_issuers_draft(world, reports, persona, status) -> None:  # type: ignore[no-untyped-def]
    url = f"/students/{world.maya.public_id}/reports/new/"
    period = next(p for p in schedule.periods_for(reports.plan) if p.label == "Quarter 2")
    assert world.client_for(persona).post(url, {"report-period": period.key}).status_code == status
    assert not ProgressReport.objects.exists()
    response = world.client_for("principal").post(url, {"report-period": period.key})
    assert response.status_code == 302 and ProgressReport.objects.count() == 1


# --- the school's list and batches ---------------------------------------------------------------


def test_the_list_shows_a_stranger_nobody(world, draft, reports) -> None:  # type: ignore[no-untyped-def]
    response = world.client_for("stranger").get("/reports/")
    assert response.status_code == 200 and "Maya Lopez" not in response.content.decode()


@pytest.mark.parametrize("persona", ["case_manager", "teacher", "contractor"])
def test_only_leaders_launch_a_batch(world, reports, persona) -> None:  # type: ignore[no-untyped-def]
    params = {
        "school": str(world.north.public_id),
        "period": str(reports.periods["Quarter 1"].pk),
        "mode": "draft",
    }
    client = world.client_for(persona)
    page = client.get("/reports/", {"school": params["school"], "period": params["period"]})
    assert 'id="batch-heading"' not in page.content.decode()
    assert client.post("/reports/batches/", params).status_code == 403
    assert world.client_for("parent").post("/reports/batches/", params).status_code == 404
    assert not ReportBatch.objects.exists()


def test_a_batch_is_followed_by_its_schools_leaders_only(world, reports) -> None:  # type: ignore[no-untyped-def]
    batch = actions.launch_batch(actor=world.users["principal"], school=world.north, period=Q1)
    url = f"/reports/batches/{batch.public_id}/"
    for persona, status in (
        ("principal", 200),
        ("director", 200),
        ("case_manager", 404),
        ("oak_director", 404),
        ("parent", 404),
    ):
        assert world.client_for(persona).get(url).status_code == status, persona


# --- an issued report is never changed, in bulk either -------------------------------------------


def test_an_issued_report_refuses_a_bulk_update_or_delete(world, draft) -> None:  # type: ignore[no-untyped-def]
    actions.issue_report(actor=world.users["case_manager"], report=draft)
    with pytest.raises(ValidationError):
        ProgressReport.objects.filter(pk=draft.pk).update(period_label="Changed")
    with pytest.raises(ValidationError):
        ProgressReportGoal.objects.filter(report=draft).update(narrative="Changed")
    with pytest.raises(ValidationError):
        draft.goals.all().delete()
    assert not ProgressReportGoal.objects.filter(narrative="Changed").exists()
    assert ProgressReport.objects.get(pk=draft.pk).period_label == "Quarter 1"
