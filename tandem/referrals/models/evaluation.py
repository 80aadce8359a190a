"""The evaluation: the assessment plan, its assessments by area, and the evaluation report."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tandem.people.models import Staff
from tandem.referrals.models.referral import AreaOfConcern, Referral


class AssessmentArea(models.TextChoices):
    ACADEMIC = "academic", _("Academic")
    COGNITIVE_PSYCHOLOGICAL = "cognitive_psychological", _("Cognitive / psychological")
    SPEECH_LANGUAGE = "speech_language", _("Speech and language")
    OCCUPATIONAL_THERAPY = "occupational_therapy", _("Occupational therapy")
    PHYSICAL_THERAPY = "physical_therapy", _("Physical therapy")
    BEHAVIORAL_OBSERVATION = "behavioral_observation", _("Behavioral observation")
    HEALTH = "health", _("Health")
    ADAPTIVE = "adaptive", _("Adaptive")
    OTHER = "other", _("Other")


# Which areas of concern each assessment area looks into: under a partial consent, an assessment
# may go ahead only when the parent agreed to at least one of the areas it serves.
ASSESSMENT_AREA_COVERS: dict[str, frozenset[str]] = {
    AssessmentArea.ACADEMIC: frozenset(
        {AreaOfConcern.READING, AreaOfConcern.WRITING, AreaOfConcern.MATH}
    ),
    AssessmentArea.COGNITIVE_PSYCHOLOGICAL: frozenset(
        {
            AreaOfConcern.READING,
            AreaOfConcern.WRITING,
            AreaOfConcern.MATH,
            AreaOfConcern.ATTENTION,
            AreaOfConcern.BEHAVIOR,
            AreaOfConcern.SOCIAL_EMOTIONAL,
            AreaOfConcern.ADAPTIVE,
        }
    ),
    AssessmentArea.SPEECH_LANGUAGE: frozenset({AreaOfConcern.SPEECH_LANGUAGE}),
    AssessmentArea.OCCUPATIONAL_THERAPY: frozenset({AreaOfConcern.MOTOR}),
    AssessmentArea.PHYSICAL_THERAPY: frozenset({AreaOfConcern.MOTOR}),
    AssessmentArea.BEHAVIORAL_OBSERVATION: frozenset(
        {AreaOfConcern.BEHAVIOR, AreaOfConcern.SOCIAL_EMOTIONAL, AreaOfConcern.ATTENTION}
    ),
    AssessmentArea.HEALTH: frozenset({AreaOfConcern.HEALTH}),
    AssessmentArea.ADAPTIVE: frozenset({AreaOfConcern.ADAPTIVE}),
    AssessmentArea.OTHER: frozenset({AreaOfConcern.OTHER}),
}


class AssessmentPlan(models.Model):
    """The assessments in each area of suspected disability (34 CFR 300.304(c)(4))."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    referral = models.OneToOneField(
        Referral,
        on_delete=models.CASCADE,
        related_name="assessment_plan",
        verbose_name=_("referral"),
    )
    created_on = models.DateField(_("created on"))

    class Meta:
        verbose_name = _("assessment plan")
        verbose_name_plural = _("assessment plans")

    def __str__(self) -> str:
        return f"{self.referral} plan"


class Assessment(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    plan = models.ForeignKey(
        AssessmentPlan,
        on_delete=models.CASCADE,
        related_name="assessments",
        verbose_name=_("plan"),
    )
    area = models.CharField(_("area"), max_length=30, choices=AssessmentArea.choices)
    evaluator = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="assessments", verbose_name=_("evaluator")
    )
    due_on = models.DateField(_("due on"))
    instrument = models.CharField(_("instrument"), max_length=200, blank=True)
    scores = models.JSONField(_("scores"), default=dict, blank=True)
    summary = models.TextField(_("summary"), blank=True)
    completed_on = models.DateField(_("completed on"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("assessment")
        verbose_name_plural = _("assessments")
        ordering = ["due_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_area_display()} due {self.due_on}"


class EvaluationReport(models.Model):
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    referral = models.OneToOneField(
        Referral,
        on_delete=models.CASCADE,
        related_name="evaluation_report",
        verbose_name=_("referral"),
    )
    completed_on = models.DateField(_("completed on"))
    summary = models.TextField(_("summary"))
    completed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("completed by"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("evaluation report")
        verbose_name_plural = _("evaluation reports")

    def __str__(self) -> str:
        return f"{self.referral} report ({self.completed_on})"
