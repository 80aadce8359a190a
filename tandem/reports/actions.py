"""The only write path for progress reports: draft, edit, issue, and a school's batch.

Every function takes the actor first, asks the capability matrix (drafting and issuing need
ISSUE_REPORTS; editing a draft's words, RECORD_PROGRESS, so the providers who gather the data may
word it), validates, and raises `ValidationError({"field": [message]})` changing nothing. Issuing freezes the report: the words,
the data and graphs as they stood, and the PDF in the parent's language; it then meets the
period's compliance deadline, records the delivery to the parent portal and notifies the parent.
"""

from __future__ import annotations

import hashlib
import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django_tasks import task

from tandem import audit
from tandem.access.capabilities import Cap
from tandem.access.policy import require, students_with
from tandem.accounts.models import User
from tandem.audit.catalogue import Action
from tandem.communication.deliveries import record_delivery
from tandem.communication.notify import notify
from tandem.core import clock
from tandem.documents.pdf import render_pdf
from tandem.people.models import Guardian, School, Student
from tandem.people.relations import rights_holder, rights_holders
from tandem.plans.models import Goal, Plan, PlanKind, PlanStatus
from tandem.progress.models import DataPoint, PhaseChange
from tandem.progress.queries import build_progress, settings_for
from tandem.reports import narrative, schedule
from tandem.reports.models import (
    BatchMode,
    BatchStatus,
    GoalStatus,
    ProgressReport,
    ProgressReportGoal,
    ReportBatch,
    ReportStatus,
)
from tandem.reports.queries import leads_school, reporting_plan
from tandem.reports.schedule import Period

log = logging.getLogger(__name__)

NARRATIVE_MAX = 4000
GRAPH_TEMPLATE = "progress/_goal_progress.html"


def _refuse(field: str, message: str) -> ValidationError:
    return ValidationError({field: [message]})


def _lock(report: ProgressReport) -> ProgressReport:
    return (
        ProgressReport.objects.select_for_update(of=("self",))
        .select_related("student__district", "student__school", "plan")
        .get(pk=report.pk)
    )


def _require_draft(report: ProgressReport) -> None:
    if report.status != ReportStatus.DRAFT:
        raise _refuse("status", _("This report was issued; an issued report is never changed."))


# --- reading the data ------------------------------------------------------------------------


def _languages() -> frozenset[str]:
    return frozenset(code for code, _name in settings.LANGUAGES)


def family_language(guardian: Guardian | None) -> str:
    """The language a parent reads, when Tandem speaks it; else English."""
    language = guardian.preferred_language if guardian is not None else ""
    return language if language in _languages() else "en"


def _goals(plan: Plan) -> list[Goal]:
    return list(
        Goal.objects.filter(plan=plan).select_related("plan__student__district").order_by("id")
    )


def progress_until(goals: Sequence[Goal], end: date) -> dict[Any, Any]:
    """Each goal's progress from the data recorded up to `end` (PROGRESS's engine), by lineage.

    Two queries for any number of goals.
    """
    if not goals:
        return {}
    lineages = {g.lineage for g in goals}
    points: dict[Any, list[Any]] = defaultdict(list)
    for p in DataPoint.objects.filter(goal_lineage__in=lineages, taken_on__lte=end).order_by(
        "taken_on", "id"
    ):
        points[p.goal_lineage].append(p)
    changes: dict[Any, list[Any]] = defaultdict(list)
    for c in PhaseChange.objects.filter(goal_lineage__in=lineages, changed_on__lte=end).order_by(
        "changed_on", "id"
    ):
        changes[c.goal_lineage].append(c)
    settings = settings_for(goals[0].plan.student.district.settings)
    return {
        g.lineage: build_progress(g, points[g.lineage], changes[g.lineage], settings) for g in goals
    }


def _graph_html(gp: Any) -> str:
    if gp is None:
        return ""
    return render_to_string(GRAPH_TEMPLATE, {"gp": gp, "frozen": True})


# --- drafting ----------------------------------------------------------------------------------


def _goal_rows(
    report: ProgressReport, goals: Sequence[Goal], progress: Mapping[Any, Any], name: str
) -> list[ProgressReportGoal]:
    rows = []
    for position, goal in enumerate(goals, start=1):
        gp = progress.get(goal.lineage)
        status = narrative.status_from(gp)
        rows.append(
            ProgressReportGoal(
                report=report,
                goal=goal,
                goal_lineage=goal.lineage,
                position=position,
                area=goal.area[:100],
                goal_text=goal.text,
                status=status,
                suggested_status=status,
                narrative=narrative.narrative_from(gp, name=name, status=status),
                data=narrative.data_summary(gp) if gp is not None else {},
            )
        )
    return rows


def _plan_and_period(student: Student, period_key: str | None, period: Period | None):  # type: ignore[no-untyped-def]
    plan = reporting_plan(student)
    if plan is None:
        raise _refuse("plan", _("The student has no active IEP to report on."))
    if period is None:
        period = schedule.period_for(plan, period_key or "")
    if period is None:
        raise _refuse("period", _("Choose a reporting period of the student's IEP."))
    return plan, period


@transaction.atomic
def draft_report(
    *,
    actor: User,
    student: Student,
    period_key: str | None = None,
    period: Period | None = None,
) -> ProgressReport:
    """Draft the student's report for one period of the IEP's schedule, from the data.

    Each goal's status comes from its data and the decision rules; its narrative is drafted in
    plain words in the parent's language. Drafting again refreshes the goals nobody has edited.
    """
    require(actor, student, Cap.ISSUE_REPORTS)
    plan, period = _plan_and_period(student, period_key, period)
    goals = _goals(plan)
    if not goals:
        raise _refuse("plan", _("The student's IEP has no goals to report on."))
    existing = (
        ProgressReport.objects.select_for_update(of=("self",))
        .filter(plan=plan, period_start=period.start, period_end=period.end)
        .first()
    )
    if existing is not None and existing.is_issued:
        raise _refuse("period", _("The report for this period was already issued."))
    language = family_language(rights_holder(student))
    progress = progress_until(goals, period.end)
    deadline = schedule.write_deadline(plan, period)
    with translation.override(language):
        if existing is None:
            report = ProgressReport.objects.create(
                student=student,
                plan=plan,
                district_id=student.district_id,
                school_id=student.school_id,
                period_label=period.label,
                period_start=period.start,
                period_end=period.end,
                due_on=deadline.due_on,
                language=language,
                created_by=actor,
            )
            ProgressReportGoal.objects.bulk_create(
                _goal_rows(report, goals, progress, student.first_name)
            )
            action = Action.PROGRESS_REPORT__DRAFTED
        else:
            report = existing
            report.language = language
            report.save(update_fields=["language", "updated_at"])
            kept = {
                row.goal_lineage: row for row in report.goals.all() if row.updated_by_id is not None
            }
            report.goals.exclude(goal_lineage__in=list(kept)).delete()
            fresh = [
                row
                for row in _goal_rows(report, goals, progress, student.first_name)
                if row.goal_lineage not in kept
            ]
            ProgressReportGoal.objects.bulk_create(fresh)
            action = Action.PROGRESS_REPORT__REDRAFTED
    audit.record(
        actor=actor,
        action=action,
        student=student,
        target=report,
        detail={"period": period.as_dict(), "goals": len(goals), "language": language},
    )
    return report


# --- editing -----------------------------------------------------------------------------------


def field_name(row: ProgressReportGoal, part: str) -> str:
    """The form field (and error key) of one goal's narrative or status."""
    return f"goal-{row.pk}-{part}"


@transaction.atomic
def save_report(
    *, actor: User, report: ProgressReport, entries: Mapping[int, Mapping[str, str]]
) -> ProgressReport:
    """Save the provider's narratives and statuses: {goal row pk: {"narrative", "status"}}."""
    require(actor, report.student, Cap.RECORD_PROGRESS)
    report = _lock(report)
    _require_draft(report)
    rows = {row.pk: row for row in report.goals.all()}
    errors: dict[str, list[str]] = {}
    changed: list[ProgressReportGoal] = []
    for pk, values in entries.items():
        row = rows.get(pk)
        if row is None:
            raise _refuse("goal", _("That goal is not on this report."))
        text = " ".join(str(values.get("narrative", row.narrative)).split())
        status = str(values.get("status", row.status))
        if not text:
            errors[field_name(row, "narrative")] = [
                _("Write a few words on the progress toward this goal.")
            ]
        elif len(text) > NARRATIVE_MAX:
            errors[field_name(row, "narrative")] = [
                _("Keep the narrative under %(max)s characters.") % {"max": NARRATIVE_MAX}
            ]
        if status not in GoalStatus.values:
            errors[field_name(row, "status")] = [_("Choose a status from the list.")]
        if (text, status) != (row.narrative, row.status):
            row.narrative, row.status = text, status
            changed.append(row)
    if errors:
        raise ValidationError(errors)
    for row in changed:
        row.updated_by = actor
        row.save(update_fields=["narrative", "status", "updated_by", "updated_at"])
    if changed:
        report.save(update_fields=["updated_at"])
        audit.record(
            actor=actor,
            action=Action.PROGRESS_REPORT__EDITED,
            student=report.student,
            target=report,
            detail={"goals": [str(r.goal_lineage) for r in changed]},
        )
    return report


# --- issuing -----------------------------------------------------------------------------------


def _snapshot(report: ProgressReport, rows: Sequence[ProgressReportGoal], actor: User) -> dict:
    student = report.student
    return {
        "student": {
            "name": student.legal_name,
            "display_name": student.display_name,
            "grade": student.get_grade_display(),
            "school": student.school.name,
            "district": student.district.name,
        },
        "plan": {
            "public_id": str(report.plan.public_id),
            "kind": report.plan.kind,
            "effective_from": report.plan.effective_from.isoformat()
            if report.plan.effective_from
            else None,
            "effective_to": report.plan.effective_to.isoformat()
            if report.plan.effective_to
            else None,
        },
        "period": {
            "label": report.period_label,
            "start": report.period_start.isoformat(),
            "end": report.period_end.isoformat(),
            "due": report.due_on.isoformat(),
        },
        "language": report.language,
        "issued_by": actor.get_full_name() or actor.email,
        "goals": [
            {
                "lineage": str(row.goal_lineage),
                "area": row.area,
                "text": row.goal_text,
                "status": row.status,
                "narrative": row.narrative,
                "data": {k: v for k, v in row.data.items() if k != "graph_html"},
            }
            for row in rows
        ],
    }


def render_report_pdf(report: ProgressReport, rows: Sequence[ProgressReportGoal]) -> bytes:
    """The report's PDF in its language (the parent's), with page numbers and tagged headings."""
    with translation.override(report.language):
        context = {
            "report": report,
            "student": report.student,
            "rows": rows,
            "page_css": _("Page %(page)s of %(pages)s")
            % {"page": '" counter(page) "', "pages": '" counter(pages) "'},
        }
        return render_pdf(None, "reports/report_pdf.html", context)  # type: ignore[arg-type]


def _deliver(report: ProgressReport, actor: User) -> int:
    """Record the delivery to each parent holding rights, and notify those with an account."""
    url = reverse("report_detail", kwargs={"report_id": report.public_id})
    sent = 0
    for guardian in rights_holders(report.student):
        with translation.override(family_language(guardian)):
            title = _("Progress report: %(period)s") % {"period": report.period_label}
            record_delivery(
                student=report.student,
                guardian=guardian,
                kind="progress_report",
                title=title,
                url=url,
                document_hash=report.content_hash,
                sent_by=actor,
            )
            sent += 1
            if guardian.user_id:
                notify(
                    [guardian.user],
                    subject=_("A progress report for %(name)s is ready")
                    % {"name": report.student.first_name},
                    body=_(
                        "The school has sent a report on %(name)s's progress toward the IEP "
                        "goals for %(period)s. You can read it and download it as a PDF."
                    )
                    % {"name": report.student.first_name, "period": report.period_label},
                    url=url,
                    student=report.student,
                    kind="progress_report",
                )
    return sent


def issue_report(
    *,
    actor: User,
    report: ProgressReport,
    today: date | None = None,
    issued_at: datetime | None = None,
) -> ProgressReport:
    """Freeze the report, make its PDF in the parent's language, meet the deadline, send it.

    The graphs and the PDF (the slow part) are made before the transaction that freezes the
    report, which refuses if the draft changed meanwhile. `issued_at` is for records entered
    after the fact (the demo's earlier periods); the deadline is met on its date.
    """
    require(actor, report.student, Cap.ISSUE_REPORTS)
    report = ProgressReport.objects.select_related(
        "student__district", "student__school", "plan"
    ).get(pk=report.pk)
    _require_draft(report)
    rows = list(report.goals.select_related("goal__plan__student__district").order_by("position"))
    if not rows:
        raise _refuse("goals", _("The report has no goals; draft it again from the IEP."))
    blank = [row for row in rows if not row.narrative.strip()]
    if blank:
        raise ValidationError(
            {
                field_name(row, "narrative"): [
                    _("Write a few words on the progress toward this goal.")
                ]
                for row in blank
            }
        )
    goals = [row.goal for row in rows if row.goal is not None]
    progress = progress_until(goals, report.period_end)
    with translation.override(report.language):
        for row in rows:
            gp = progress.get(row.goal_lineage)
            if gp is not None:
                row.data = {**narrative.data_summary(gp), "graph_html": _graph_html(gp)}
    when = issued_at or clock.now()
    pdf = render_report_pdf(_as_issued(report, actor, when), rows)
    return _freeze(actor, report, rows, pdf, today=today, issued_at=when)


def _as_issued(report: ProgressReport, actor: User, when: datetime) -> ProgressReport:
    """A copy of the draft in its issued state (status, date, issuer), never saved: the PDF the
    family keeps is rendered as what it is, an issued report with its issue date, not a draft."""
    issued = ProgressReport.objects.select_related(
        "student__district", "student__school", "plan"
    ).get(pk=report.pk)
    issued.status = ReportStatus.ISSUED
    issued.issued_at = when
    issued.issued_by = actor
    return issued


@transaction.atomic
def _freeze(
    actor: User,
    report: ProgressReport,
    rows: Sequence[ProgressReportGoal],
    pdf: bytes,
    *,
    today: date | None,
    issued_at: datetime | None,
) -> ProgressReport:
    locked = _lock(report)
    _require_draft(locked)
    edited = {r.pk: r.updated_at for r in locked.goals.all()}
    if locked.updated_at != report.updated_at or edited != {r.pk: r.updated_at for r in rows}:
        raise _refuse("status", _("The report changed while it was being issued; issue it again."))
    when = issued_at or clock.now()
    day = today or timezone.localtime(when).date()
    for row in rows:
        row.save(update_fields=["data", "updated_at"])
    locked.snapshot = _snapshot(locked, rows, actor)
    locked.pdf = pdf
    locked.content_hash = hashlib.sha256(pdf).hexdigest()
    locked.status = ReportStatus.ISSUED
    locked.issued_at = when
    locked.issued_by = actor
    locked.save()
    period = Period(locked.period_label, locked.period_start, locked.period_end, locked.due_on)
    schedule.mark_met(locked.plan, period, day)
    delivered = _deliver(locked, actor)
    audit.record(
        actor=actor,
        action=Action.PROGRESS_REPORT__ISSUED,
        student=locked.student,
        target=locked,
        detail={
            "period": period.as_dict(),
            "language": locked.language,
            "content_hash": locked.content_hash,
            "deliveries": delivered,
        },
    )
    return locked


# --- a school's reports in the background ------------------------------------------------------


def batch_students(actor: User, school: School) -> list[Student]:
    """The school's students with an active IEP whose reports `actor` may issue."""
    return list(
        students_with(actor, Cap.ISSUE_REPORTS)
        .filter(
            school=school,
            plans__kind=PlanKind.IEP,
            plans__status=PlanStatus.ACTIVE,
        )
        .select_related("district", "school")
        .distinct()
        .order_by("legal_last_name", "legal_first_name", "id")
    )


@transaction.atomic
def launch_batch(
    *, actor: User, school: School, period: Period, mode: str = BatchMode.DRAFT
) -> ReportBatch:
    """Queue the school's reports for `period`; the work runs in the background.

    A school's batch is for the school's leaders (a principal, a district administrator): a
    case manager drafts their students' reports one by one from each student's page.
    """
    if not leads_school(actor, school):
        raise PermissionDenied
    if mode not in BatchMode.values:
        raise _refuse("mode", _("Choose whether to draft or to issue the reports."))
    students = batch_students(actor, school)
    if not students:
        raise _refuse("school", _("You have no students with an active IEP at this school."))
    earlier = list(
        ReportBatch.objects.select_for_update(of=("self",)).filter(
            school=school,
            period_start=period.start,
            period_end=period.end,
            status__in=(BatchStatus.QUEUED, BatchStatus.RUNNING),
        )
    )
    if any(batch.is_running for batch in earlier):
        raise _refuse("period", _("The reports for this school and period are being made now."))
    for stale in earlier:  # its worker died: this batch takes over, and makes nothing twice
        _stopped(stale, _("The worker stopped while making these reports."))
    batch = ReportBatch.objects.create(
        district_id=school.district_id,
        school=school,
        mode=mode,
        period_label=period.label,
        period_start=period.start,
        period_end=period.end,
        due_on=period.due,
        total=len(students),
        created_by=actor,
    )
    audit.record(
        actor=actor,
        action=Action.PROGRESS_REPORT__BATCH_STARTED,
        district=school.district,
        target=batch,
        detail={"school": school.name, "period": period.as_dict(), "mode": mode},
    )
    batch_id = batch.pk
    transaction.on_commit(lambda: run_report_batch.enqueue(batch_id))
    return batch


def _one_student(batch: ReportBatch, actor: User, student: Student) -> None:
    plan = reporting_plan(student)
    if plan is None:
        raise _refuse("plan", _("The student has no active IEP to report on."))
    period = schedule.period_matching(plan, batch.period_start, batch.period_end)
    if period is None:
        raise _refuse("period", _("The student's IEP has no report due in this period."))
    report = ProgressReport.objects.filter(
        plan=plan, period_start=period.start, period_end=period.end
    ).first()
    if report is None:
        report = draft_report(actor=actor, student=student, period=period)
    if batch.mode == BatchMode.ISSUE and not report.is_issued:
        issue_report(actor=actor, report=report)


def _message(error: Exception) -> str:
    if isinstance(error, ValidationError):
        return " ".join(error.messages)
    if isinstance(error, PermissionDenied | Http404):
        return _("You may no longer write this student's reports.")
    return _("The report could not be made (%(error)s).") % {"error": type(error).__name__}


def run_batch(batch: ReportBatch, *, only: Iterable[int] | None = None) -> ReportBatch:
    """Make each student's report in its own transaction: a failure is recorded, never fatal."""
    actor = batch.created_by
    now = clock.now()
    ReportBatch.objects.filter(pk=batch.pk).update(
        status=BatchStatus.RUNNING, started_at=now, heartbeat_at=now
    )
    students = batch_students(actor, batch.school)
    if only is not None:
        wanted = set(only)
        students = [s for s in students if s.pk in wanted]
    ReportBatch.objects.filter(pk=batch.pk).update(total=len(students), done=0, failed=0)
    errors: list[dict[str, str]] = []
    for student in students:
        try:
            with transaction.atomic():
                _one_student(batch, actor, student)
        except Exception as error:  # noqa: BLE001 - one student's failure stops nothing
            if not isinstance(error, ValidationError | PermissionDenied | Http404):
                log.exception("progress report for student %s failed", student.pk)
            errors.append(
                {
                    "student": str(student.public_id),
                    "name": student.display_name,
                    "message": _message(error),
                }
            )
            ReportBatch.objects.filter(pk=batch.pk).update(
                failed=F("failed") + 1, errors=errors, heartbeat_at=clock.now()
            )
        else:
            ReportBatch.objects.filter(pk=batch.pk).update(
                done=F("done") + 1, heartbeat_at=clock.now()
            )
    ReportBatch.objects.filter(pk=batch.pk).update(
        status=BatchStatus.FINISHED, finished_at=clock.now()
    )
    batch.refresh_from_db()
    audit.record(
        actor=actor,
        action=Action.PROGRESS_REPORT__BATCH_FINISHED,
        district=batch.school.district,
        target=batch,
        detail={"done": batch.done, "failed": batch.failed, "total": batch.total},
    )
    return batch


def _stopped(batch: ReportBatch, why: str) -> None:
    """Mark a batch whose worker died as stopped, saying why beside its students' errors."""
    ReportBatch.objects.filter(pk=batch.pk).update(
        status=BatchStatus.FAILED,
        finished_at=clock.now(),
        errors=[*batch.errors, {"student": "", "name": "", "message": why}],
    )


@task()
def run_report_batch(batch_id: int) -> dict[str, int]:
    """In the background: draft (or draft and issue) every report of a batch, counting."""
    batch = (
        ReportBatch.objects.select_related("school__district", "created_by")
        .filter(pk=batch_id)
        .first()
    )
    # Only a queued batch is run: a running one is another worker's (or a dead one's, which a
    # new launch replaces), so the same reports are never made by two workers at once.
    if batch is None or batch.status != BatchStatus.QUEUED:
        return {"done": 0, "failed": 0, "total": 0}
    try:
        batch = run_batch(batch)
    except Exception:
        log.exception("report batch %s stopped", batch_id)
        ReportBatch.objects.filter(pk=batch_id).update(
            status=BatchStatus.FAILED, finished_at=clock.now()
        )
        raise
    return {"done": batch.done, "failed": batch.failed, "total": batch.total}
