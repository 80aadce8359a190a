"""Drafting, editing and issuing progress reports: statuses from the data, frozen after issue."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from tandem.accounts.models import AuditEvent
from tandem.communication.models import Delivery
from tandem.compliance.models import Deadline, DeadlineKind
from tandem.people.models import Guardian
from tandem.reports import actions, schedule
from tandem.reports.models import GoalStatus, ProgressReport, ProgressReportGoal, ReportStatus

pytestmark = pytest.mark.django_db


def _q1(reports):  # type: ignore[no-untyped-def]
    return next(p for p in schedule.periods_for(reports.plan) if p.label == "Quarter 1")


def _draft(world, reports):  # type: ignore[no-untyped-def]
    return actions.draft_report(
        actor=world.users["case_manager"], student=world.maya, period=_q1(reports)
    )


def test_periods_follow_the_marking_periods_while_the_plan_is_in_effect(world, reports) -> None:  # type: ignore[no-untyped-def]
    periods = schedule.periods_for(reports.plan)
    assert [p.label for p in periods] == ["Quarter 1", "Quarter 2", "Quarter 3", "Quarter 4"]
    assert periods[0].due == date(2025, 10, 24)  # the report-card date


def test_an_iep_that_states_its_own_dates_wins(world, reports) -> None:  # type: ignore[no-untyped-def]
    section = reports.plan.sections.get(key="progress_reporting")
    section.content = {"text": "Reports go home on 2025-11-14 and 2026-02-27, and in June."}
    section.save()
    periods = schedule.periods_for(reports.plan)
    assert [p.due for p in periods] == [date(2025, 11, 14), date(2026, 2, 27)]
    assert periods[0].start == reports.plan.effective_from
    assert periods[1].start == date(2025, 11, 15)


def test_draft_reads_each_goal_status_from_the_data(world, reports) -> None:  # type: ignore[no-untyped-def]
    report = _draft(world, reports)
    by_lineage = {row.goal_lineage: row for row in report.goals.all()}
    assert by_lineage[reports.mastered.lineage].status == GoalStatus.MASTERED
    assert by_lineage[reports.sufficient.lineage].status == GoalStatus.SUFFICIENT
    assert by_lineage[reports.insufficient.lineage].status == GoalStatus.INSUFFICIENT
    assert by_lineage[reports.not_introduced.lineage].status == GoalStatus.NOT_INTRODUCED
    assert report.status == ReportStatus.DRAFT
    assert report.language == "en"
    narrative = by_lineage[reports.mastered.lineage].narrative
    assert "Maya" in narrative and "met this goal" in narrative
    assert "changing how this skill is taught" in by_lineage[reports.insufficient.lineage].narrative
    assert AuditEvent.objects.filter(action="progress_report.drafted", student=world.maya).exists()


def test_draft_uses_only_the_data_up_to_the_end_of_the_period(world, reports) -> None:  # type: ignore[no-untyped-def]
    q2 = next(p for p in schedule.periods_for(reports.plan) if p.label == "Quarter 2")
    early = schedule.Period("Early", date(2025, 8, 15), date(2025, 8, 20), date(2025, 8, 30))
    report = actions.draft_report(
        actor=world.users["case_manager"], student=world.maya, period=early
    )
    assert {row.status for row in report.goals.all()} == {GoalStatus.NOT_INTRODUCED}
    assert q2.end > early.end


def test_a_spanish_speaking_parent_gets_a_spanish_draft(world, reports, spanish) -> None:  # type: ignore[no-untyped-def]
    Guardian.objects.filter(user=world.users["parent"]).update(preferred_language="es")
    report = _draft(world, reports)
    assert report.language == "es"
    row = report.goals.get(goal_lineage=reports.mastered.lineage)
    assert "Maya ha alcanzado esta meta" in row.narrative


def test_drafting_writes_the_deadline_and_issuing_meets_it(world, reports) -> None:  # type: ignore[no-untyped-def]
    report = _draft(world, reports)
    deadline = Deadline.objects.get(student=world.maya, kind=DeadlineKind.PROGRESS_REPORT)
    assert deadline.due_on == date(2025, 10, 24)
    assert deadline.met_on is None
    assert deadline.source_type == schedule.SOURCE_TYPE
    actions.issue_report(actor=world.users["case_manager"], report=report, today=date(2025, 10, 22))
    deadline.refresh_from_db()
    assert deadline.met_on == date(2025, 10, 22)
    # Writing the schedule again adds the other periods and keeps the met one.
    schedule.write_deadlines(reports.plan)
    assert Deadline.objects.filter(kind=DeadlineKind.PROGRESS_REPORT).count() == 4
    assert Deadline.objects.filter(met_on__isnull=False).count() == 1


def test_edit_then_issue_freezes_the_report(world, reports) -> None:  # type: ignore[no-untyped-def]
    actor = world.users["case_manager"]
    report = _draft(world, reports)
    row = report.goals.get(goal_lineage=reports.sufficient.lineage)
    actions.save_report(
        actor=actor,
        report=report,
        entries={row.pk: {"narrative": "Maya  is growing\nsteadily.", "status": "sufficient"}},
    )
    row.refresh_from_db()
    assert row.narrative == "Maya is growing steadily."
    assert row.updated_by == actor
    issued = actions.issue_report(actor=actor, report=report)
    assert issued.status == ReportStatus.ISSUED
    assert issued.issued_by == actor and issued.issued_at is not None
    assert bytes(issued.pdf).startswith(b"%PDF")
    assert len(issued.content_hash) == 64
    assert issued.snapshot["goals"][1]["narrative"] == "Maya is growing steadily."
    assert issued.snapshot["period"]["label"] == "Quarter 1"
    # The graph was frozen with the report.
    assert "<svg" in report.goals.get(goal_lineage=reports.mastered.lineage).data["graph_html"]
    # The parent holding rights got it in the portal; the uncle without rights did not.
    delivery = Delivery.objects.get(student=world.maya)
    assert delivery.guardian.user == world.users["parent"]
    assert delivery.document_hash == issued.content_hash
    assert AuditEvent.objects.filter(action="progress_report.issued").count() == 1

    # Frozen: no action, no save, no delete changes it.
    with pytest.raises(ValidationError) as refused:
        actions.save_report(actor=actor, report=issued, entries={row.pk: {"narrative": "x"}})
    assert "status" in refused.value.message_dict
    with pytest.raises(ValidationError):
        actions.issue_report(actor=actor, report=issued)
    with pytest.raises(ValidationError):
        actions.draft_report(actor=actor, student=world.maya, period=_q1(reports))
    fresh = ProgressReport.objects.get(pk=issued.pk)
    fresh.period_label = "Changed"
    with pytest.raises(ValidationError):
        fresh.save()
    with pytest.raises(ValidationError):
        fresh.delete()
    goal_row = ProgressReportGoal.objects.get(pk=row.pk)
    goal_row.narrative = "Changed"
    with pytest.raises(ValidationError):
        goal_row.save()
    row.refresh_from_db()
    assert row.narrative == "Maya is growing steadily."


def test_a_blank_narrative_is_refused_naming_the_field(world, reports) -> None:  # type: ignore[no-untyped-def]
    report = _draft(world, reports)
    row = report.goals.first()
    before = row.narrative
    with pytest.raises(ValidationError) as refused:
        actions.save_report(
            actor=world.users["case_manager"],
            report=report,
            entries={row.pk: {"narrative": "   ", "status": "bogus"}},
        )
    assert set(refused.value.message_dict) == {
        f"goal-{row.pk}-narrative",
        f"goal-{row.pk}-status",
    }
    row.refresh_from_db()
    assert row.narrative == before


def test_redrafting_keeps_what_the_provider_edited(world, reports) -> None:  # type: ignore[no-untyped-def]
    actor = world.users["case_manager"]
    report = _draft(world, reports)
    row = report.goals.get(goal_lineage=reports.insufficient.lineage)
    actions.save_report(actor=actor, report=report, entries={row.pk: {"narrative": "Kept."}})
    again = _draft(world, reports)
    assert again.pk == report.pk
    assert again.goals.count() == 4
    assert again.goals.get(goal_lineage=reports.insufficient.lineage).narrative == "Kept."


def test_only_writers_draft_edit_and_issue(world, reports) -> None:  # type: ignore[no-untyped-def]
    report = _draft(world, reports)
    with pytest.raises(PermissionDenied):  # the teacher reads but does not write
        actions.draft_report(actor=world.users["teacher"], student=world.maya, period=_q1(reports))
    with pytest.raises(PermissionDenied):
        actions.issue_report(actor=world.users["teacher"], report=report)
    with pytest.raises(Http404):
        actions.issue_report(actor=world.users["stranger"], report=report)
    report.refresh_from_db()
    assert report.status == ReportStatus.DRAFT


def test_a_student_without_an_active_iep_cannot_get_a_report(world, reports) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(ValidationError) as refused:
        actions.draft_report(actor=world.users["director"], student=world.leo, period=_q1(reports))
    assert "plan" in refused.value.message_dict
    assert not ProgressReport.objects.filter(student=world.leo).exists()


def test_issued_reports_for_lists_only_issued_ones(world, reports) -> None:  # type: ignore[no-untyped-def]
    from tandem.reports.queries import issued_reports_for

    actor = world.users["case_manager"]
    periods = schedule.periods_for(reports.plan)
    first = actions.draft_report(actor=actor, student=world.maya, period=periods[0])
    actions.draft_report(actor=actor, student=world.maya, period=periods[1])
    assert list(issued_reports_for(world.maya)) == []
    actions.issue_report(actor=actor, report=first)
    assert [r.pk for r in issued_reports_for(world.maya)] == [first.pk]
