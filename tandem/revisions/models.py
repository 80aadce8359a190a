"""A request to revise a plan, from anyone on the team or the family, tracked to its outcome."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from tandem.core.models import PublicId
from tandem.people.models import Student


class Source(models.TextChoices):
    PARENT = "parent", _("Parent or guardian")
    TEACHER = "teacher", _("Teacher")
    PROVIDER = "provider", _("Service provider")
    CASE_MANAGER = "case_manager", _("Case manager")
    PROGRESS_ENGINE = "progress_engine", _("Progress data (change instruction)")
    STAFF = "staff", _("Other staff")


class Status(models.TextChoices):
    OPEN = "open", _("Open: waiting for the case manager")
    MEETING_SCHEDULED = "meeting_scheduled", _("Meeting scheduled")
    AMENDED = "amended", _("Amended without a meeting")
    DECLINED = "declined", _("Declined, with prior written notice")


RESOLVED_STATUSES = (Status.MEETING_SCHEDULED, Status.AMENDED, Status.DECLINED)


class RevisionRequest(PublicId):
    student = models.ForeignKey(
        Student,
        on_delete=models.PROTECT,
        related_name="revision_requests",
        verbose_name=_("student"),
    )
    plan = models.ForeignKey(
        "plans.Plan",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="revision_requests",
        verbose_name=_("plan"),
    )
    goal = models.ForeignKey(
        "plans.Goal",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="revision_requests",
        verbose_name=_("goal"),
    )
    source = models.CharField(_("asked by"), max_length=20, choices=Source.choices)
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    reason = models.TextField(_("reason"))
    proposed_change = models.TextField(_("what to change"), blank=True)
    evidence = models.JSONField(_("evidence"), default=dict, blank=True)
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.OPEN, db_index=True
    )
    case_manager = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("routed to"),
    )
    created_at = models.DateTimeField(_("asked on"), auto_now_add=True)
    acknowledged_at = models.DateTimeField(_("acknowledged on"), null=True, blank=True)
    resolved_at = models.DateTimeField(_("resolved on"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by"),
    )
    outcome_note = models.TextField(_("outcome note"), blank=True)
    # Before 2026-12: a decline's notice as one free text; now `notice`, with its seven elements.
    prior_written_notice = models.TextField(_("prior written notice"), blank=True)
    notice = models.ForeignKey(
        "referrals.PriorWrittenNotice",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="revision_requests",
        verbose_name=_("prior written notice"),
    )
    # The amendment that answered the request: it is resolved only once that version exists.
    amendment = models.ForeignKey(
        "plans.PlanVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="revision_requests",
        verbose_name=_("amendment"),
    )
    meeting = models.ForeignKey(
        "meetings.Meeting",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="revision_requests",
        verbose_name=_("meeting"),
    )

    class Meta:
        verbose_name = _("revision request")
        verbose_name_plural = _("revision requests")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["student", "status"], name="revision_student_status")]

    def __str__(self) -> str:
        return f"{self.get_source_display()}: {self.reason[:60]}"

    @property
    def is_open(self) -> bool:
        return self.status == Status.OPEN
