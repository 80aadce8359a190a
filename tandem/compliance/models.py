"""Stored legal dates: each computed by the rules engine with its reason, kept so that district
and school views are one query. This app is the only writer (`tandem.compliance.actions`).

The tables keep the names they had when deadlines lived in the referrals app.
"""

from __future__ import annotations

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tandem.people.models import District, School, Student

# --- deadlines --------------------------------------------------------------------------------


class DeadlineKind(models.TextChoices):
    # The rule names of tandem.rules.profiles.Rule (a test keeps the two in step).
    ASSESSMENT_PLAN = "assessment_plan", _("Assessment plan")
    INITIAL_EVALUATION = "initial_evaluation", _("Initial evaluation")
    SECTION_504_EVALUATION = "section_504_evaluation", _("504 evaluation")
    INITIAL_IEP_MEETING = "initial_iep_meeting", _("Initial IEP meeting")
    ANNUAL_REVIEW = "annual_review", _("Annual review")
    REEVALUATION = "reevaluation", _("Reevaluation")
    REEVALUATION_NOT_BEFORE = "reevaluation_not_before", _("Earliest reevaluation")
    TRANSITION_SERVICES = "transition_services", _("Transition services")
    TRANSFER_OF_RIGHTS = "transfer_of_rights", _("Transfer of rights")
    MEETING_NOTICE = "meeting_notice", _("Meeting notice")
    PRIOR_WRITTEN_NOTICE = "prior_written_notice", _("Prior written notice")
    RECORDS_INSPECTION = "records_inspection", _("Records inspection")
    PROGRESS_REPORT = "progress_report", _("Progress report")
    SECTION_504_REEVALUATION = "section_504_reevaluation", _("504 reevaluation")
    SECTION_504_ANNUAL_REVIEW = "section_504_annual_review", _("504 annual review")
    # Not a rule of the engine: a district threshold (tandem.revisions.actions).
    REVISION_REQUEST = "revision_request", _("Answer to a revision request")


class DeadlineBasis(models.TextChoices):
    """The engine's status of the date (tandem.rules.deadlines.Status)."""

    DUE = "due", _("Due")
    DOES_NOT_APPLY = "does_not_apply", _("Does not apply")
    WAIVED = "waived", _("Waived")
    # Not the engine's: a "not before" date (reevaluation_not_before) is never due or overdue.
    EARLIEST = "earliest", _("Earliest date")


class Deadline(models.Model):
    """A computed legal date, stored so that district and school views are one query."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    student = models.ForeignKey(
        Student, on_delete=models.CASCADE, related_name="deadlines", verbose_name=_("student")
    )
    # Denormalised from the student when computed: views filter by them without joins.
    district = models.ForeignKey(
        District, on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    school = models.ForeignKey(
        School, on_delete=models.PROTECT, related_name="+", verbose_name=_("school")
    )
    kind = models.CharField(_("kind"), max_length=40, choices=DeadlineKind.choices)
    state = models.CharField(_("state rules"), max_length=2)
    trigger_on = models.DateField(_("counted from"))
    due_on = models.DateField(_("due on"), db_index=True)
    citation = models.CharField(_("citation"), max_length=300)
    explanation = models.TextField(_("explanation"))
    status_basis = models.CharField(
        _("status"), max_length=20, choices=DeadlineBasis.choices, default=DeadlineBasis.DUE
    )
    met_on = models.DateField(_("met on"), null=True, blank=True)
    source_type = models.CharField(_("source type"), max_length=100)
    source_id = models.CharField(_("source id"), max_length=64)
    computed_at = models.DateTimeField(_("computed at"))

    history = HistoricalRecords(table_name="referrals_historicaldeadline")

    class Meta:
        db_table = "referrals_deadline"
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        ordering = ["due_on", "id"]
        indexes = [
            models.Index(fields=["district", "due_on"], name="deadline_district_due"),
            models.Index(fields=["school", "due_on"], name="deadline_school_due"),
            models.Index(fields=["student"], name="deadline_student"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} due {self.due_on}"

    @property
    def counted_from_words(self) -> str:
        """What this date is counted from, in the reader's language (tandem.compliance.words)."""
        from tandem.compliance.words import counted_from  # words imports this module's kinds

        return str(counted_from(self.kind))
