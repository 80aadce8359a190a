"""Progress reports to parents: one per student per reporting period, frozen once issued.

Fields, constraints and single-record checks only; the workflow lives in `actions.py`.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from tandem.accounts.models import Language
from tandem.core import clock
from tandem.core.models import PublicId
from tandem.people.models import District, School, Student
from tandem.plans.models import Goal, Plan


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ISSUED = "issued", _("Issued")


class GoalStatus(models.TextChoices):
    MASTERED = "mastered", _("Mastered")
    SUFFICIENT = "sufficient", _("Sufficient progress")
    INSUFFICIENT = "insufficient", _("Insufficient progress")
    NOT_INTRODUCED = "not_introduced", _("Not yet introduced")


def _issued_refusal() -> ValidationError:
    return ValidationError(_("An issued progress report is never changed."))


class FrozenWhenIssued(models.QuerySet):  # type: ignore[type-arg]
    """A bulk `update()` or `delete()` that would reach an issued report is refused too.

    `issued` names the lookup from the queryset's rows to their report's status.
    """

    issued: str = "status"

    def _reaches_issued(self) -> bool:
        return self.filter(**{self.issued: ReportStatus.ISSUED}).exists()

    def update(self, **kwargs: Any) -> int:
        if self._reaches_issued():
            raise _issued_refusal()
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        if self._reaches_issued():
            raise _issued_refusal()
        return super().delete()


class GoalRowsFrozenWhenIssued(FrozenWhenIssued):
    issued = "report__status"


class ProgressReport(PublicId):
    """A student's progress report for one period of the IEP's reporting schedule."""

    student = models.ForeignKey(
        Student,
        on_delete=models.PROTECT,
        related_name="progress_reports",
        verbose_name=_("student"),
    )
    plan = models.ForeignKey(
        Plan, on_delete=models.PROTECT, related_name="progress_reports", verbose_name=_("plan")
    )
    # Denormalised from the student when drafted: the school's list is one query.
    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    period_label = models.CharField(_("reporting period"), max_length=100)
    period_start = models.DateField(_("period starts"))
    period_end = models.DateField(_("period ends"))
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT
    )
    language = models.CharField(
        _("language"), max_length=8, choices=Language.choices, default=Language.ENGLISH
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    issued_at = models.DateTimeField(_("issued at"), null=True, blank=True)
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("issued by"),
    )
    # Frozen when issued: what the parent received, word for word, and its PDF.
    snapshot = models.JSONField(_("snapshot"), default=dict, blank=True)
    content_hash = models.CharField(_("content hash"), max_length=64, blank=True)
    pdf = models.BinaryField(_("PDF"), null=True, blank=True, editable=False)

    objects = FrozenWhenIssued.as_manager()

    class Meta:
        verbose_name = _("progress report")
        verbose_name_plural = _("progress reports")
        ordering = ["-period_end", "student_id", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "period_start", "period_end"],
                name="progress_report_one_per_period",
                violation_error_message=_("This plan already has a report for this period."),
            ),
            models.CheckConstraint(
                condition=Q(period_end__gte=F("period_start")),
                name="progress_report_period_in_order",
            ),
            models.CheckConstraint(
                condition=Q(status="draft") | Q(issued_at__isnull=False),
                name="progress_report_issued_has_time",
            ),
        ]
        indexes = [
            models.Index(fields=["school", "period_end"], name="report_school_period"),
            models.Index(fields=["student", "status"], name="report_student_status"),
        ]

    def __str__(self) -> str:
        return f"{self.period_label} · {self.student_id} ({self.status})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if _stored_issued(self):
            raise _issued_refusal()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if _stored_issued(self):
            raise _issued_refusal()
        return super().delete(*args, **kwargs)

    @property
    def is_issued(self) -> bool:
        return self.status == ReportStatus.ISSUED


def _stored_issued(report: ProgressReport) -> bool:
    """Whether the stored row (not the object in hand) is issued: then it never changes."""
    if report._state.adding or report.pk is None:
        return False
    return ProgressReport.objects.filter(pk=report.pk, status=ReportStatus.ISSUED).exists()


class ProgressReportGoal(models.Model):
    """One goal on a report: its status, the narrative the provider edits, the data shown."""

    report = models.ForeignKey(
        ProgressReport, on_delete=models.CASCADE, related_name="goals", verbose_name=_("report")
    )
    goal = models.ForeignKey(
        Goal, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    goal_lineage = models.UUIDField(_("goal lineage"))
    position = models.PositiveIntegerField(_("position"), default=0)
    area = models.CharField(_("area"), max_length=100, blank=True)
    goal_text = models.TextField(_("goal"))
    status = models.CharField(_("progress"), max_length=20, choices=GoalStatus.choices)
    # What the data said when drafted; the provider may choose another status.
    suggested_status = models.CharField(
        _("status from the data"), max_length=20, choices=GoalStatus.choices
    )
    narrative = models.TextField(_("narrative"), blank=True)
    data = models.JSONField(_("data"), default=dict, blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = GoalRowsFrozenWhenIssued.as_manager()

    class Meta:
        verbose_name = _("goal on a progress report")
        verbose_name_plural = _("goals on progress reports")
        ordering = ["report", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["report", "goal_lineage"], name="report_goal_unique_lineage"
            )
        ]

    def __str__(self) -> str:
        return f"{self.report_id}: {self.goal_text[:60]}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if _report_issued(self):
            raise _issued_refusal()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if _report_issued(self):
            raise _issued_refusal()
        return super().delete(*args, **kwargs)


def _report_issued(row: ProgressReportGoal) -> bool:
    return ProgressReport.objects.filter(pk=row.report_id, status=ReportStatus.ISSUED).exists()


# One student's report takes seconds; ten minutes of silence means the worker is gone.
STALE_AFTER = timedelta(minutes=10)


class BatchStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting to start")
    RUNNING = "running", _("Running")
    FINISHED = "finished", _("Finished")
    FAILED = "failed", _("Stopped with an error")


class BatchMode(models.TextChoices):
    DRAFT = "draft", _("Draft reports")
    ISSUE = "issue", _("Draft and issue reports")


class ReportBatch(PublicId):
    """A school's reports for one period, made in the background; one failure stops nothing."""

    district = models.ForeignKey(District, on_delete=models.PROTECT, related_name="+")
    school = models.ForeignKey(School, on_delete=models.PROTECT, related_name="+")
    mode = models.CharField(_("what to do"), max_length=10, choices=BatchMode.choices)
    period_label = models.CharField(_("reporting period"), max_length=100)
    period_start = models.DateField(_("period starts"))
    period_end = models.DateField(_("period ends"))
    due_on = models.DateField(_("due on"))
    status = models.CharField(
        _("status"), max_length=10, choices=BatchStatus.choices, default=BatchStatus.QUEUED
    )
    total = models.PositiveIntegerField(_("students"), default=0)
    done = models.PositiveIntegerField(_("done"), default=0)
    failed = models.PositiveIntegerField(_("failed"), default=0)
    # [{"student": public id, "name": display name, "message": why}] for each failure.
    errors = models.JSONField(_("errors"), default=list, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # The worker's last sign of life: written when it starts and after each student. A batch
    # silent for longer than STALE_AFTER was left by a worker that died; it can be started again.
    heartbeat_at = models.DateTimeField(_("last sign of the worker"), null=True, blank=True)

    class Meta:
        verbose_name = _("report batch")
        verbose_name_plural = _("report batches")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.school_id} {self.period_label} ({self.status})"

    @property
    def is_running(self) -> bool:
        return self.status in (BatchStatus.QUEUED, BatchStatus.RUNNING) and not self.is_stale

    @property
    def is_stale(self) -> bool:
        """Running, but the worker has given no sign of life for STALE_AFTER: it died."""
        if self.status != BatchStatus.RUNNING:
            return False
        last = self.heartbeat_at or self.started_at
        return last is not None and last < clock.now() - STALE_AFTER

    @property
    def percent(self) -> int:
        if not self.total:
            return 100 if not self.is_running else 0
        return int(100 * (self.done + self.failed) / self.total)
