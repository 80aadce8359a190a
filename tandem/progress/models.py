"""Progress-monitoring data: one row per session score, and the dates instruction changed.

Fields, constraints and single-record checks only; validation against the goal (dates, scale,
plan status) and every write live in `actions.py`. `goal_lineage` is copied from the goal, so a
goal carried into next year's plan keeps its data (`plans.Goal.lineage` survives copies).
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from tandem.core.models import PublicId
from tandem.people.models import Student
from tandem.plans.models import Goal


class DataPoint(PublicId):
    """One session's result for a goal: the measures taken, and the value the rules read.

    `value` is derived from the measures in the goal's metric when the point is recorded
    (percent correct from the trials, words per minute, seconds, count, rubric level...).
    """

    # The goal as it was recorded against; an amendment that removes the goal keeps the data
    # (it follows the lineage), so the link is cleared rather than blocking the amendment.
    goal = models.ForeignKey(
        Goal,
        on_delete=models.SET_NULL,
        null=True,
        related_name="data_points",
        verbose_name=_("goal"),
    )
    goal_lineage = models.UUIDField(_("goal lineage"), db_index=True, editable=False)
    student = models.ForeignKey(
        Student, on_delete=models.PROTECT, related_name="data_points", verbose_name=_("student")
    )
    taken_on = models.DateField(_("date"))
    # The measures: whichever fit the goal's criterion.
    trials_correct = models.PositiveIntegerField(_("trials correct"), null=True, blank=True)
    trials_total = models.PositiveIntegerField(_("trials given"), null=True, blank=True)
    score = models.FloatField(_("score"), null=True, blank=True)
    percent = models.FloatField(
        _("percent"),
        null=True,
        blank=True,
        validators=[MinValueValidator(0), MaxValueValidator(100)],
    )
    rate_per_minute = models.FloatField(
        _("rate per minute"), null=True, blank=True, validators=[MinValueValidator(0)]
    )
    duration_seconds = models.FloatField(
        _("duration (seconds)"), null=True, blank=True, validators=[MinValueValidator(0)]
    )
    count = models.PositiveIntegerField(_("count"), null=True, blank=True)
    rubric_level = models.FloatField(
        _("rubric level"), null=True, blank=True, validators=[MinValueValidator(0)]
    )
    # Prompt level per trial, least to most intrusive names from tandem.rules.goals.PromptLevel.
    prompts = models.JSONField(_("prompt level per trial"), default=list, blank=True)
    value = models.FloatField(_("value"))
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    # Set by the browser for entries queued offline: a replay finds the row and changes nothing.
    client_key = models.UUIDField(_("client key"), default=uuid.uuid4, unique=True)
    # Undoing a mistake keeps the row: a voided point is out of every analysis, graph, decision
    # and report, and shown struck through with its reason. A correction voids the original and
    # records the new point with `corrects` naming it, so the history is a chain of rows.
    voided_at = models.DateTimeField(_("voided at"), null=True, blank=True)
    voided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("voided by"),
    )
    void_reason = models.TextField(_("reason"), blank=True)
    corrects = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="corrected_by",
        verbose_name=_("corrects"),
    )

    class Meta:
        verbose_name = _("data point")
        verbose_name_plural = _("data points")
        ordering = ["taken_on", "id"]
        indexes = [
            models.Index(fields=["goal_lineage", "taken_on"], name="datapoint_lineage_on"),
            models.Index(fields=["student", "taken_on"], name="datapoint_student_on"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(trials_correct__isnull=True)
                | Q(trials_total__isnull=True)
                | Q(trials_correct__lte=F("trials_total")),
                name="datapoint_correct_within_total",
            ),
            models.CheckConstraint(
                condition=Q(percent__isnull=True) | (Q(percent__gte=0) & Q(percent__lte=100)),
                name="datapoint_percent_in_range",
            ),
            models.CheckConstraint(
                condition=Q(voided_at__isnull=True) | ~Q(void_reason=""),
                name="datapoint_void_has_reason",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.goal_lineage} on {self.taken_on}: {self.value}"

    @property
    def voided(self) -> bool:
        return self.voided_at is not None


class PhaseChange(PublicId):
    """Instruction changed for a goal on a date: drawn on its graph, and it restarts the rules."""

    # The goal as it was recorded against; an amendment that removes the goal keeps the data
    # (it follows the lineage), so the link is cleared rather than blocking the amendment.
    goal = models.ForeignKey(
        Goal,
        on_delete=models.SET_NULL,
        null=True,
        related_name="phase_changes",
        verbose_name=_("goal"),
    )
    goal_lineage = models.UUIDField(_("goal lineage"), db_index=True, editable=False)
    student = models.ForeignKey(
        Student, on_delete=models.PROTECT, related_name="phase_changes", verbose_name=_("student")
    )
    changed_on = models.DateField(_("date"))
    description = models.CharField(_("what changed in instruction"), max_length=300)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("phase change")
        verbose_name_plural = _("phase changes")
        ordering = ["changed_on", "id"]

    def __str__(self) -> str:
        return f"{self.goal_lineage} on {self.changed_on}: {self.description[:60]}"


class AttentionNotice(models.Model):
    """The last state the case manager was told about for a goal, so each change is told once."""

    goal_lineage = models.UUIDField(_("goal lineage"), unique=True)
    state = models.CharField(_("state"), max_length=40)
    notified_at = models.DateTimeField(_("notified at"), auto_now=True)

    class Meta:
        verbose_name = _("attention notice")
        verbose_name_plural = _("attention notices")

    def __str__(self) -> str:
        return f"{self.goal_lineage}: {self.state}"
