"""The referral: a concern raised about a student, the evidence behind it, the case review.

A teacher's concern is a referral awaiting acceptance (`tandem/referrals/concerns.py`); a
reevaluation is a referral of an eligible student, with a kind.
"""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tandem.people.models import Student
from tandem.referrals.models.storage import evidence_upload_to, private_storage


class ReferralSource(models.TextChoices):
    TEACHER = "teacher", _("Teacher")
    PARENT = "parent", _("Parent")
    PHYSICIAN_ORDER = "physician_order", _("Physician's order")
    OTHER = "other", _("Other")


class AreaOfConcern(models.TextChoices):
    READING = "reading", _("Reading")
    WRITING = "writing", _("Writing")
    MATH = "math", _("Math")
    SPEECH_LANGUAGE = "speech_language", _("Speech and language")
    BEHAVIOR = "behavior", _("Behavior")
    SOCIAL_EMOTIONAL = "social_emotional", _("Social-emotional")
    ATTENTION = "attention", _("Attention")
    MOTOR = "motor", _("Motor")
    HEALTH = "health", _("Health")
    ADAPTIVE = "adaptive", _("Adaptive")
    OTHER = "other", _("Other")


class Track(models.TextChoices):
    UNDECIDED = "undecided", _("Undecided")
    IEP = "iep", _("IEP")
    SECTION_504 = "section_504", _("Section 504")


class Purpose(models.TextChoices):
    INITIAL = "initial", _("Initial evaluation")
    REEVALUATION = "reevaluation", _("Reevaluation")


class ReevaluationKind(models.TextChoices):
    TRIENNIAL = "triennial", _("Triennial (every three years)")
    PARENT_REQUEST = "parent_request", _("Requested by the parent")
    TEACHER_REQUEST = "teacher_request", _("Requested by a teacher")
    SECTION_504_PERIODIC = "section_504_periodic", _("504 periodic reevaluation")
    SIGNIFICANT_CHANGE_OF_PLACEMENT = (
        "significant_change_of_placement",
        _("Before a significant change of placement"),
    )


class ReferralStatus(models.TextChoices):
    # A teacher's concern that the case manager (or the school's lead) has yet to take up.
    AWAITING_ACCEPTANCE = "awaiting_acceptance", _("Awaiting acceptance")
    OPEN = "open", _("Open")
    IN_EVALUATION = "in_evaluation", _("In evaluation")
    ELIGIBILITY_DECIDED = "eligibility_decided", _("Eligibility decided")
    CLOSED = "closed", _("Closed")


class ConcernDecision(models.TextChoices):
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")


class Referral(models.Model):
    """A concern raised about a student, with the areas of concern and who raised it."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    student = models.ForeignKey(
        Student, on_delete=models.PROTECT, related_name="referrals", verbose_name=_("student")
    )
    source = models.CharField(_("source"), max_length=20, choices=ReferralSource.choices)
    source_name = models.CharField(_("referred by"), max_length=200, blank=True)
    received_on = models.DateField(_("received on"))
    areas_of_concern = models.JSONField(_("areas of concern"), default=list)
    description = models.TextField(_("description"))
    track = models.CharField(
        _("track"), max_length=20, choices=Track.choices, default=Track.UNDECIDED
    )
    status = models.CharField(
        _("status"), max_length=20, choices=ReferralStatus.choices, default=ReferralStatus.OPEN
    )
    closed_reason = models.TextField(_("reason closed"), blank=True)
    # A reevaluation is a referral of an eligible student (34 CFR 300.303): the same steps.
    purpose = models.CharField(
        _("purpose"), max_length=20, choices=Purpose.choices, default=Purpose.INITIAL
    )
    reevaluation_kind = models.CharField(
        _("kind of reevaluation"), max_length=40, choices=ReevaluationKind.choices, blank=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    # A teacher's concern (tandem/referrals/concerns.py): who raised it, and the answer to it.
    # It was raised on `received_on` at `created_at`; a declined concern is closed with the
    # reason in `closed_reason`.
    concern_raised_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("concern raised by"),
    )
    concern_decision = models.CharField(
        _("answer to the concern"), max_length=10, choices=ConcernDecision.choices, blank=True
    )
    concern_decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("concern answered by"),
    )
    concern_decided_at = models.DateTimeField(_("concern answered at"), null=True, blank=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("referral")
        verbose_name_plural = _("referrals")
        ordering = ["-received_on", "-id"]
        indexes = [models.Index(fields=["student", "status"], name="referral_student_status")]

    def __str__(self) -> str:
        return f"{self.student} ({self.received_on})"

    @property
    def is_reevaluation(self) -> bool:
        return self.purpose == Purpose.REEVALUATION

    def clean(self) -> None:
        if self.is_reevaluation != bool(self.reevaluation_kind):
            raise ValidationError(
                {"reevaluation_kind": _("A reevaluation, and only a reevaluation, has a kind.")}
            )
        areas = self.areas_of_concern
        if not isinstance(areas, list) or not areas:
            raise ValidationError({"areas_of_concern": _("Choose at least one area of concern.")})
        unknown = sorted({str(a) for a in areas} - set(AreaOfConcern.values))
        if unknown:
            raise ValidationError(
                {
                    "areas_of_concern": _("Unknown area of concern: %(codes)s.")
                    % {"codes": ", ".join(unknown)}
                }
            )


# --- evidence ---------------------------------------------------------------------------------


class EvidenceKind(models.TextChoices):
    TEACHER_INPUT = "teacher_input", _("Teacher input")
    OBSERVATION = "observation", _("Observation")
    MEDICAL_DOCUMENTATION = "medical_documentation", _("Medical documentation")
    PRIOR_INTERVENTION = "prior_intervention", _("Prior intervention")
    OTHER = "other", _("Other")


class Evidence(models.Model):
    """A document behind a referral; the file is stored privately under a name we choose."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    referral = models.ForeignKey(
        Referral, on_delete=models.CASCADE, related_name="evidence", verbose_name=_("referral")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=EvidenceKind.choices)
    summary = models.TextField(_("summary"), blank=True)
    file = models.FileField(
        _("file"), storage=private_storage, upload_to=evidence_upload_to, max_length=200
    )
    original_name = models.CharField(_("original file name"), max_length=255)
    content_type = models.CharField(_("content type"), max_length=100)
    size = models.PositiveIntegerField(_("size in bytes"))
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("uploaded by"),
    )
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.original_name


# --- case review ------------------------------------------------------------------------------


class CaseReviewDecision(models.TextChoices):
    EVALUATE_SPECIAL_EDUCATION = "evaluate_special_education", _("Evaluate for special education")
    GATHER_504_INFORMATION = "gather_504_information", _("Gather information for a 504 plan")
    GENERAL_EDUCATION_INTERVENTION = (
        "general_education_intervention",
        _("General education intervention"),
    )
    NO_ACTION = "no_action", _("No action")


class CaseReview(models.Model):
    """The school's decision on what to do with a referral."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    referral = models.OneToOneField(
        Referral, on_delete=models.CASCADE, related_name="case_review", verbose_name=_("referral")
    )
    decided_on = models.DateField(_("decided on"))
    decision = models.CharField(_("decision"), max_length=40, choices=CaseReviewDecision.choices)
    reason = models.TextField(_("reason"))
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("decided by"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("case review")
        verbose_name_plural = _("case reviews")

    def __str__(self) -> str:
        return f"{self.get_decision_display()} ({self.decided_on})"
