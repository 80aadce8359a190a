"""A school's reports in the background: counted as they go; one failure stops nothing."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from tandem.reports import actions, schedule
from tandem.reports.models import BatchMode, BatchStatus, ProgressReport, ReportBatch, ReportStatus
from tests.factories import make_student
from tests.reports.conftest import active_iep, goal

pytestmark = pytest.mark.django_db


def _q1(world):  # type: ignore[no-untyped-def]
    return schedule.Period("Quarter 1", date(2025, 8, 15), date(2025, 10, 17), date(2025, 10, 24))


@pytest.fixture
def school(world, reports):  # type: ignore[no-untyped-def]
    """North: Maya (data), Leo (IEP starting after Q1), Zoe (a report that breaks)."""
    late = active_iep(world.leo, world.users["principal"])
    late.effective_from = date(2025, 11, 1)
    late.save()
    goal(late, "Math", name="Leo")
    zoe = make_student(world.north, first="Zoe", last="Adams")
    goal(active_iep(zoe, world.users["principal"]), "Reading", name="Zoe")
    return {"zoe": zoe}


def test_the_batch_drafts_every_report_and_records_each_failure(
    world, school, monkeypatch, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    real = actions._one_student

    def breaks_for_zoe(batch, actor, student):  # type: ignore[no-untyped-def]
        if student.pk == school["zoe"].pk:
            raise RuntimeError("the PDF service fell over")
        return real(batch, actor, student)

    monkeypatch.setattr(actions, "_one_student", breaks_for_zoe)
    with django_capture_on_commit_callbacks(execute=True):
        batch = actions.launch_batch(
            actor=world.users["principal"], school=world.north, period=_q1(world)
        )
    batch.refresh_from_db()
    assert batch.status == BatchStatus.FINISHED
    assert (batch.total, batch.done, batch.failed) == (3, 1, 2)
    reasons = {e["name"]: e["message"] for e in batch.errors}
    assert reasons["Leo Park"] == "The student's IEP has no report due in this period."
    assert "RuntimeError" in reasons["Zoe Adams"]
    assert ProgressReport.objects.get(student=world.maya).status == ReportStatus.DRAFT
    assert not ProgressReport.objects.filter(student=school["zoe"]).exists()


def test_a_batch_can_issue_and_leaves_issued_reports_alone(
    world, school, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    with django_capture_on_commit_callbacks(execute=True):
        batch = actions.launch_batch(
            actor=world.users["principal"],
            school=world.north,
            period=_q1(world),
            mode=BatchMode.ISSUE,
        )
    batch.refresh_from_db()
    assert batch.done == 2  # Maya and Zoe; Leo's IEP has no Q1 report
    issued = ProgressReport.objects.filter(status=ReportStatus.ISSUED)
    assert issued.count() == 2
    first = {r.pk: r.issued_at for r in issued}
    with django_capture_on_commit_callbacks(execute=True):
        again = actions.launch_batch(
            actor=world.users["principal"],
            school=world.north,
            period=_q1(world),
            mode=BatchMode.ISSUE,
        )
    again.refresh_from_db()
    assert again.done == 2
    assert {r.pk: r.issued_at for r in ProgressReport.objects.all()} == first


def test_a_case_manager_no_longer_launches_a_school_batch(world, school) -> None:  # type: ignore[no-untyped-def]
    # A school's batch is for its leaders (Scope.DISTRICT); the case manager's role alone used
    # to open it. They draft their own students' reports from each student's page.
    with pytest.raises(PermissionDenied):
        actions.launch_batch(
            actor=world.users["case_manager"], school=world.north, period=_q1(world)
        )
    assert not ReportBatch.objects.exists()


def test_a_leader_of_another_school_cannot_launch(world, school) -> None:  # type: ignore[no-untyped-def]
    for persona in ("oak_director", "stranger"):
        with pytest.raises(PermissionDenied):
            actions.launch_batch(actor=world.users[persona], school=world.north, period=_q1(world))
    assert not ReportBatch.objects.exists()


def test_who_may_launch(world, school) -> None:  # type: ignore[no-untyped-def]
    with pytest.raises(PermissionDenied):
        actions.launch_batch(actor=world.users["teacher"], school=world.north, period=_q1(world))
    with pytest.raises(PermissionDenied):
        actions.launch_batch(actor=world.users["parent"], school=world.north, period=_q1(world))
    with pytest.raises(PermissionDenied):  # a case manager with nobody there (a role alone)
        actions.launch_batch(actor=world.users["stranger"], school=world.north, period=_q1(world))
    with pytest.raises(ValidationError) as refused:
        actions.launch_batch(
            actor=world.users["principal"], school=world.north, period=_q1(world), mode="bogus"
        )
    assert "mode" in refused.value.message_dict
    assert not ReportBatch.objects.exists()


def _running(world, *, silent_for_minutes: int) -> ReportBatch:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    from tandem.core import clock

    period = _q1(world)
    last = clock.now() - timedelta(minutes=silent_for_minutes)
    return ReportBatch.objects.create(
        district=world.riverside,
        school=world.north,
        mode=BatchMode.ISSUE,
        period_label=period.label,
        period_start=period.start,
        period_end=period.end,
        due_on=period.due,
        status=BatchStatus.RUNNING,
        total=3,
        done=1,
        started_at=last,
        heartbeat_at=last,
        created_by=world.users["principal"],
    )


def test_a_live_batch_refuses_a_second_launch(world, school) -> None:  # type: ignore[no-untyped-def]
    _running(world, silent_for_minutes=1)
    with pytest.raises(ValidationError, match="being made now"):
        actions.launch_batch(actor=world.users["principal"], school=world.north, period=_q1(world))


def test_a_batch_whose_worker_died_is_said_so_and_started_again_with_nothing_twice(
    world, school, django_capture_on_commit_callbacks
) -> None:  # type: ignore[no-untyped-def]
    # Maya's report was issued before the worker died.
    with django_capture_on_commit_callbacks(execute=True):
        actions.launch_batch(
            actor=world.users["principal"],
            school=world.north,
            period=_q1(world),
            mode=BatchMode.ISSUE,
        )
    first = {r.pk: r.issued_at for r in ProgressReport.objects.filter(status=ReportStatus.ISSUED)}
    ReportBatch.objects.all().delete()
    dead = _running(world, silent_for_minutes=11)
    page = world.client_for("principal").get(
        f"/reports/batches/{dead.public_id}/", headers={"HX-Request": "true"}
    )
    html = page.content.decode()
    assert "The worker stopped while making these reports" in html
    assert "hx-trigger" not in html  # no endless polling of a dead batch
    # The task leaves a running batch alone: it is a worker's, dead or alive.
    assert actions.run_report_batch.call(dead.pk) == {"done": 0, "failed": 0, "total": 0}
    with django_capture_on_commit_callbacks(execute=True):
        again = actions.launch_batch(
            actor=world.users["principal"],
            school=world.north,
            period=_q1(world),
            mode=BatchMode.ISSUE,
        )
    dead.refresh_from_db()
    again.refresh_from_db()
    assert dead.status == BatchStatus.FAILED
    assert dead.errors[-1]["message"] == "The worker stopped while making these reports."
    assert again.status == BatchStatus.FINISHED and again.heartbeat_at is not None
    issued = ProgressReport.objects.filter(status=ReportStatus.ISSUED)
    assert {r.pk: r.issued_at for r in issued} == first  # nothing issued twice
