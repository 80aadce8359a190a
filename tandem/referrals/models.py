"""Referral, case review, notice, consent, evaluation, eligibility, and the stored deadlines.

Fields, constraints and single-record checks only; the workflow lives in `actions.py`.
"""

from __future__ import annotations

import uuid
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.db import models
from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tandem.accounts.models import Language
from tandem.compliance.models import Deadline, DeadlineBasis, DeadlineKind  # noqa: F401 - moved there
from tandem.people.models import Staff, Student

# Rooted at MEDIA_ROOT (outside the web root; read per use, so tests may move it) and
# without a public URL: files are served, if ever, only through the access policy.
_private_storage = FileSystemStorage(base_url="/no-public-url/")


def private_storage() -> FileSystemStorage:
    return _private_storage


def _upload_path(folder: str, instance: Any, filename: str) -> str:
    # The stored name is ours, never the uploader's: the original is kept as data.
    return f"{folder}/{instance.public_id}{PurePath(filename).suffix.lower()}"


def evidence_upload_to(instance: Any, filename: str) -> str:
    return _upload_path("referrals/evidence", instance, filename)


def consent_upload_to(instance: Any, filename: str) -> str:
    return _upload_path("referrals/consent", instance, filename)


# --- referral ---------------------------------------------------------------------------------


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


# --- prior written notice ---------------------------------------------------------------------


class NoticeAction(models.TextChoices):
    PROPOSES = "proposes", _("Proposes")
    REFUSES = "refuses", _("Refuses")


def _notice_element(name: Any, number: int) -> models.TextField:  # type: ignore[type-arg]
    message = _("Prior written notice must state %(element)s (34 CFR 300.503(b)(%(number)s)).")
    blank = lazy(lambda: str(message) % {"element": name, "number": number}, str)()
    return models.TextField(name, error_messages={"blank": blank})


class PriorWrittenNotice(models.Model):
    """Notice to the parent of an action proposed or refused, with the 300.503(b) elements."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    student = models.ForeignKey(
        Student, on_delete=models.PROTECT, related_name="notices", verbose_name=_("student")
    )
    referral = models.ForeignKey(
        Referral,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="notices",
        verbose_name=_("referral"),
    )
    action = models.CharField(_("action"), max_length=10, choices=NoticeAction.choices)
    # 34 CFR 300.503(b)(1)-(7): every element is required.
    action_described = _notice_element(_("the action proposed or refused"), 1)
    reasons = _notice_element(_("why the action is proposed or refused"), 2)
    evaluation_basis = _notice_element(
        _("each evaluation procedure, assessment, record or report used"), 3
    )
    procedural_safeguards_statement = _notice_element(
        _("procedural safeguards and how to get a copy"), 4
    )
    sources_of_help = _notice_element(_("sources of help"), 5)
    options_considered = _notice_element(_("other options considered and why rejected"), 6)
    other_factors = _notice_element(_("other relevant factors"), 7)
    language = models.CharField(
        _("language"), max_length=8, choices=Language.choices, default=Language.ENGLISH
    )
    issued_on = models.DateField(_("issued on"))
    # 300.503(a): the notice goes out a reasonable time before the district acts; the day it
    # would act is what the notice's deadline counts back from (blank for a refusal).
    proposed_action_on = models.DateField(
        _("the proposed action takes effect on"), null=True, blank=True
    )
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("issued by"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("prior written notice")
        verbose_name_plural = _("prior written notices")
        ordering = ["-issued_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_action_display()}: {self.action_described[:60]}"

    def clean(self) -> None:
        # Empty elements are refused by the fields; whitespace is empty too.
        errors = {
            name: self._meta.get_field(name).error_messages["blank"]
            for name in NOTICE_ELEMENTS
            if getattr(self, name) and not getattr(self, name).strip()
        }
        if errors:
            raise ValidationError(errors)


NOTICE_ELEMENTS = (
    "action_described",
    "reasons",
    "evaluation_basis",
    "procedural_safeguards_statement",
    "sources_of_help",
    "options_considered",
    "other_factors",
)


# --- consent ----------------------------------------------------------------------------------


class ConsentKind(models.TextChoices):
    INITIAL_EVALUATION = "initial_evaluation", _("Initial evaluation")
    REEVALUATION = "reevaluation", _("Reevaluation")
    INITIAL_SERVICES = "initial_services", _("Initial provision of services")


class ConsentMethod(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    MAIL = "mail", _("Mail")
    EMAIL = "email", _("Email")
    PORTAL = "portal", _("Parent portal")
    PHONE = "phone", _("Phone call")
    HOME_VISIT = "home_visit", _("Home visit")
    OTHER = "other", _("Other")


class ConsentResponse(models.TextChoices):
    PENDING = "pending", _("Pending")
    GIVEN = "given", _("Given")
    REFUSED = "refused", _("Refused")
    PARTIAL = "partial", _("Partial")
    # 300.300(c)(2): reevaluation only, after reasonable efforts (300.322(d)) are recorded.
    NO_RESPONSE = "no_response", _("No response after reasonable efforts")


class Consent(models.Model):
    """A request for the parent's informed written consent (34 CFR 300.9, 300.300) and its answer."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    student = models.ForeignKey(
        Student, on_delete=models.PROTECT, related_name="consents", verbose_name=_("student")
    )
    referral = models.ForeignKey(
        Referral,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="consents",
        verbose_name=_("referral"),
    )
    kind = models.CharField(_("kind"), max_length=20, choices=ConsentKind.choices)
    sent_on = models.DateField(_("sent on"))
    method = models.CharField(_("method"), max_length=20, choices=ConsentMethod.choices)
    received_on = models.DateField(_("received on"), null=True, blank=True)
    response = models.CharField(
        _("response"),
        max_length=20,
        choices=ConsentResponse.choices,
        default=ConsentResponse.PENDING,
    )
    partial_note = models.TextField(_("what was consented to"), blank=True)
    # A partial consent to evaluate names the areas of concern agreed and refused (300.300(d)(3):
    # a refusal of one part does not stop the others).
    areas_agreed = models.JSONField(_("areas consented to"), default=list, blank=True)
    areas_refused = models.JSONField(_("areas not consented to"), default=list, blank=True)
    refused_reason = models.TextField(_("reason for refusal"), blank=True)
    document = models.FileField(
        _("signed form"),
        storage=private_storage,
        upload_to=consent_upload_to,
        max_length=200,
        blank=True,
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("consent")
        verbose_name_plural = _("consents")
        ordering = ["-sent_on", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.get_response_display()}"

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        answered = self.response != ConsentResponse.PENDING
        if answered and self.received_on is None:
            errors["received_on"] = _("Give the date the answer was received.")
        if self.received_on and self.referral_id and self.received_on < self.referral.received_on:
            errors["received_on"] = _(
                "The answer cannot be received (%(received)s) before the referral was received "
                "(%(referral)s)."
            ) % {"received": self.received_on, "referral": self.referral.received_on}
        elif self.received_on and self.sent_on and self.received_on < self.sent_on:
            errors["received_on"] = _(
                "The answer cannot be received (%(received)s) before the request was sent "
                "(%(sent)s)."
            ) % {"received": self.received_on, "sent": self.sent_on}
        if self.sent_on and self.referral_id and self.sent_on < self.referral.received_on:
            errors["sent_on"] = _(
                "The request cannot be sent (%(sent)s) before the referral was received "
                "(%(referral)s)."
            ) % {"sent": self.sent_on, "referral": self.referral.received_on}
        if self.response == ConsentResponse.REFUSED and not self.refused_reason.strip():
            errors["refused_reason"] = _("Record the reason the parent gave, or that none was.")
        if self.response == ConsentResponse.PARTIAL and not self.partial_note.strip():
            errors["partial_note"] = _("Record what the parent consented to.")
        if self.response == ConsentResponse.NO_RESPONSE and self.kind != ConsentKind.REEVALUATION:
            errors["response"] = _(
                "Only a reevaluation may go ahead when the parent does not respond "
                "(34 CFR 300.300(c)(2))."
            )
        if errors:
            raise ValidationError(errors)


class ConsentAttempt(models.Model):
    """A try to reach a parent who has not answered (34 CFR 300.322(d), 300.300(c)(2)(i))."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    consent = models.ForeignKey(
        Consent, on_delete=models.CASCADE, related_name="attempts", verbose_name=_("consent")
    )
    attempted_on = models.DateField(_("date of the attempt"))
    method = models.CharField(_("method"), max_length=20, choices=ConsentMethod.choices)
    note = models.TextField(_("what was done and the result"))
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("attempt to reach the parent")
        verbose_name_plural = _("attempts to reach the parent")
        ordering = ["attempted_on", "id"]

    def __str__(self) -> str:
        return f"{self.get_method_display()} ({self.attempted_on})"


class AgreementKind(models.TextChoices):
    WAIVER = "waiver", _("The reevaluation is not needed")
    EARLY = "early", _("A reevaluation within a year of the last")


class ReevaluationAgreement(models.Model):
    """The parent and the district agree: no triennial (300.303(b)(2)), or one early ((b)(1))."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    student = models.ForeignKey(
        Student,
        on_delete=models.PROTECT,
        related_name="reevaluation_agreements",
        verbose_name=_("student"),
    )
    kind = models.CharField(_("agreement"), max_length=10, choices=AgreementKind.choices)
    deadline = models.ForeignKey(
        Deadline,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreements",
        verbose_name=_("deadline"),
    )
    referral = models.ForeignKey(
        Referral,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="agreements",
        verbose_name=_("reevaluation"),
    )
    parent_name = models.CharField(_("parent who agreed"), max_length=200)
    parent_agreed_on = models.DateField(_("date the parent agreed"))
    district_name = models.CharField(_("for the district, who agreed"), max_length=200)
    district_agreed_on = models.DateField(_("date the district agreed"))
    note = models.TextField(_("why"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("reevaluation agreement")
        verbose_name_plural = _("reevaluation agreements")
        ordering = ["-recorded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} ({self.agreed_on})"

    @property
    def agreed_on(self) -> Any:
        """The agreement holds from the later of the two dates."""
        if self.parent_agreed_on is None or self.district_agreed_on is None:
            return None
        return max(self.parent_agreed_on, self.district_agreed_on)

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if not self.parent_name.strip():
            errors["parent_name"] = _("Name the parent who agreed.")
        if not self.district_name.strip():
            errors["district_name"] = _("Name who agreed for the district.")
        if errors:
            raise ValidationError(errors)


# --- evaluation -------------------------------------------------------------------------------


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


# --- eligibility ------------------------------------------------------------------------------


class EligibilityOutcome(models.TextChoices):
    IEP = "iep", _("Eligible for an IEP")
    SECTION_504 = "section_504", _("Eligible for a 504 plan")
    NOT_ELIGIBLE = "not_eligible", _("Not eligible")


class DisabilityCategory(models.TextChoices):
    """34 CFR 300.8(c), plus developmental delay (300.8(b))."""

    AUTISM = "autism", _("Autism")
    DEAF_BLINDNESS = "deaf_blindness", _("Deaf-blindness")
    DEAFNESS = "deafness", _("Deafness")
    EMOTIONAL_DISTURBANCE = "emotional_disturbance", _("Emotional disturbance")
    HEARING_IMPAIRMENT = "hearing_impairment", _("Hearing impairment")
    INTELLECTUAL_DISABILITY = "intellectual_disability", _("Intellectual disability")
    MULTIPLE_DISABILITIES = "multiple_disabilities", _("Multiple disabilities")
    ORTHOPEDIC_IMPAIRMENT = "orthopedic_impairment", _("Orthopedic impairment")
    OTHER_HEALTH_IMPAIRMENT = "other_health_impairment", _("Other health impairment")
    SPECIFIC_LEARNING_DISABILITY = "specific_learning_disability", _("Specific learning disability")
    SPEECH_LANGUAGE_IMPAIRMENT = "speech_language_impairment", _("Speech or language impairment")
    TRAUMATIC_BRAIN_INJURY = "traumatic_brain_injury", _("Traumatic brain injury")
    VISUAL_IMPAIRMENT = "visual_impairment", _("Visual impairment including blindness")
    DEVELOPMENTAL_DELAY = "developmental_delay", _("Developmental delay")


# EDFacts IDEA disability codes; deafness is reported under HI.
EDFACTS_CODE: dict[str, str] = {
    DisabilityCategory.AUTISM: "AUT",
    DisabilityCategory.DEAF_BLINDNESS: "DB",
    DisabilityCategory.DEAFNESS: "HI",
    DisabilityCategory.EMOTIONAL_DISTURBANCE: "EMN",
    DisabilityCategory.HEARING_IMPAIRMENT: "HI",
    DisabilityCategory.INTELLECTUAL_DISABILITY: "ID",
    DisabilityCategory.MULTIPLE_DISABILITIES: "MD",
    DisabilityCategory.ORTHOPEDIC_IMPAIRMENT: "OI",
    DisabilityCategory.OTHER_HEALTH_IMPAIRMENT: "OHI",
    DisabilityCategory.SPECIFIC_LEARNING_DISABILITY: "SLD",
    DisabilityCategory.SPEECH_LANGUAGE_IMPAIRMENT: "SLI",
    DisabilityCategory.TRAUMATIC_BRAIN_INJURY: "TBI",
    DisabilityCategory.VISUAL_IMPAIRMENT: "VI",
    DisabilityCategory.DEVELOPMENTAL_DELAY: "DD",
}

# 42 USC 12102(2), as amended by the ADAAA: "include, but are not limited to", so this is an
# open vocabulary; a district may add to it (agency rules add sitting, reaching, writing, ...).
MAJOR_LIFE_ACTIVITIES: dict[str, Any] = {
    "caring_for_oneself": _("Caring for oneself"),
    "performing_manual_tasks": _("Performing manual tasks"),
    "seeing": _("Seeing"),
    "hearing": _("Hearing"),
    "eating": _("Eating"),
    "sleeping": _("Sleeping"),
    "walking": _("Walking"),
    "standing": _("Standing"),
    "lifting": _("Lifting"),
    "bending": _("Bending"),
    "speaking": _("Speaking"),
    "breathing": _("Breathing"),
    "learning": _("Learning"),
    "reading": _("Reading"),
    "concentrating": _("Concentrating"),
    "thinking": _("Thinking"),
    "communicating": _("Communicating"),
    "working": _("Working"),
    # 12102(2)(B): major bodily functions.
    "immune_system": _("Functions of the immune system"),
    "normal_cell_growth": _("Normal cell growth"),
    "digestive": _("Digestive function"),
    "bowel": _("Bowel function"),
    "bladder": _("Bladder function"),
    "neurological": _("Neurological function"),
    "brain": _("Brain function"),
    "respiratory": _("Respiratory function"),
    "circulatory": _("Circulatory function"),
    "endocrine": _("Endocrine function"),
    "reproductive": _("Reproductive function"),
}


class EligibilityDecision(models.Model):
    """The team's determination: an IDEA category, a 504 impairment, or neither."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    referral = models.OneToOneField(
        Referral, on_delete=models.PROTECT, related_name="eligibility", verbose_name=_("referral")
    )
    student = models.ForeignKey(
        Student,
        on_delete=models.PROTECT,
        related_name="eligibility_decisions",
        verbose_name=_("student"),
    )
    decided_on = models.DateField(_("decided on"))
    outcome = models.CharField(_("outcome"), max_length=20, choices=EligibilityOutcome.choices)
    # IDEA: 300.8(a)(1) and 300.306(c): a disability, an adverse effect, a need for SDI.
    primary_category = models.CharField(
        _("primary disability category"),
        max_length=40,
        choices=DisabilityCategory.choices,
        blank=True,
    )
    secondary_categories = models.JSONField(
        _("secondary disability categories"), default=list, blank=True
    )
    has_disability = models.BooleanField(_("has a disability"), null=True, blank=True)
    adverse_effect = models.BooleanField(
        _("adversely affects educational performance"), null=True, blank=True
    )
    needs_sdi = models.BooleanField(
        _("needs specially designed instruction"), null=True, blank=True
    )
    # Section 504 / ADA 42 USC 12102(1)(A).
    impairment = models.TextField(_("physical or mental impairment"), blank=True)
    major_life_activities = models.JSONField(
        _("major life activities limited"), default=list, blank=True
    )
    substantial_limitation = models.BooleanField(_("substantially limits"), null=True, blank=True)
    no_evaluation_reason = models.TextField(
        _("why there is no formal evaluation"),
        blank=True,
        help_text=_("504 only: the information gathered instead of a formal evaluation."),
    )
    team_present = models.ManyToManyField(
        Staff, related_name="+", blank=True, verbose_name=_("team members present")
    )
    parent_present = models.BooleanField(_("parent present"), default=False)
    # Written notice of the decision to the parent (300.306(a)(2), 300.503): when and how sent.
    notice_sent_on = models.DateField(_("notice sent on"), null=True, blank=True)
    notice_method = models.CharField(
        _("notice sent by"), max_length=20, choices=ConsentMethod.choices, blank=True
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )

    history = HistoricalRecords()

    class Meta:
        verbose_name = _("eligibility decision")
        verbose_name_plural = _("eligibility decisions")

    def __str__(self) -> str:
        return f"{self.get_outcome_display()} ({self.decided_on})"

    @property
    def edfacts_code(self) -> str:
        return EDFACTS_CODE.get(self.primary_category, "")

    def clean(self) -> None:
        errors: dict[str, Any] = {}
        if self.outcome == EligibilityOutcome.IEP:
            questions = {
                "has_disability": _("The team must find a disability under 34 CFR 300.8."),
                "adverse_effect": _(
                    "The team must find that the disability adversely affects educational "
                    "performance."
                ),
                "needs_sdi": _(
                    "The team must find that the student needs specially designed instruction."
                ),
            }
            for name, message in questions.items():
                if getattr(self, name) is not True:
                    errors[name] = message
            if not self.primary_category:
                errors["primary_category"] = _("Choose the primary disability category.")
        secondary = self.secondary_categories
        if not isinstance(secondary, list):
            errors["secondary_categories"] = _("Give a list of categories.")
        else:
            unknown = sorted({str(c) for c in secondary} - set(DisabilityCategory.values))
            if unknown:
                errors["secondary_categories"] = _("Unknown disability category: %(codes)s.") % {
                    "codes": ", ".join(unknown)
                }
            elif self.primary_category and self.primary_category in secondary:
                errors["secondary_categories"] = _("The primary category cannot also be secondary.")
        activities = self.major_life_activities
        if not isinstance(activities, list):
            errors["major_life_activities"] = _("Give a list of major life activities.")
        else:
            unknown = sorted({str(a) for a in activities} - set(MAJOR_LIFE_ACTIVITIES))
            if unknown:
                errors["major_life_activities"] = _("Unknown major life activity: %(codes)s.") % {
                    "codes": ", ".join(unknown)
                }
        if self.outcome == EligibilityOutcome.SECTION_504:
            if not self.impairment.strip():
                errors["impairment"] = _("Describe the physical or mental impairment.")
            if not activities and "major_life_activities" not in errors:
                errors["major_life_activities"] = _(
                    "Choose at least one major life activity the impairment limits."
                )
            if self.substantial_limitation is not True:
                errors["substantial_limitation"] = _(
                    "A 504 plan needs the impairment to substantially limit a major life activity."
                )
        if errors:
            raise ValidationError(errors)
