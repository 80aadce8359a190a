"""IEPs and 504 Plans: drafts, immutable versions, services, accommodations, goals.

Fields, constraints and single-record checks only; the workflow lives in `actions.py`.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils.translation import gettext_lazy as _

from tandem.core import limits
from tandem.core.models import AppendOnly, PublicId
from tandem.documents.storage import document_storage
from tandem.people.models import Staff, Student


class PlanKind(models.TextChoices):
    IEP = "iep", _("IEP")
    SECTION_504 = "section_504", _("504 Plan")


class PlanStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    PROPOSED = "proposed", _("Proposed")
    ACTIVE = "active", _("Active")
    SUPERSEDED = "superseded", _("Superseded")
    ENDED = "ended", _("Ended")
    # A draft the team abandoned (started by mistake, or for the wrong kind): the row and its
    # audit trail stay; it leaves the student's list and a new draft can be started.
    DISCARDED = "discarded", _("Discarded")


EDITABLE_STATUSES = frozenset({PlanStatus.DRAFT, PlanStatus.PROPOSED})


class ExitReason(models.TextChoices):
    """EDFacts FS009 "Basis of Exit" codes (COMPLIANCE.md §4.3)."""

    GHS = "GHS", _("Graduated with a regular high school diploma")
    GRADALTDPL = "GRADALTDPL", _("Graduated with an alternate diploma")
    RC = "RC", _("Received a certificate")
    RMA = "RMA", _("Reached maximum age")
    D = "D", _("Died")
    MKC = "MKC", _("Moved, known to be continuing")
    DROPOUT = "DROPOUT", _("Dropped out")
    TRAN = "TRAN", _("Transferred to regular education")
    # The reasons that FS009 has no code of its own for: reported as TRAN.
    NO_LONGER_ELIGIBLE = "NLE", _("No longer eligible for special education")
    PARENT_REVOKED = "REVOKED", _("Parent revoked consent for services")


# Tandem's reasons -> the EDFacts FS009 "Basis of Exit" permitted value reported for them.
FS009_CODES: dict[str, str] = {
    **{value: value for value in ExitReason.values},
    ExitReason.NO_LONGER_ELIGIBLE: ExitReason.TRAN,
    ExitReason.PARENT_REVOKED: ExitReason.TRAN,
}


def fs009_code(reason: str) -> str:
    """The FS009 code federal reporting uses for an exit reason ('' when none)."""
    return FS009_CODES.get(reason, "")


class SectionKey(models.TextChoices):
    PLAAFP = "plaafp", _("Present levels (PLAAFP)")
    STRENGTHS = "strengths", _("Strengths")
    PARENT_CONCERNS = "parent_concerns", _("Parent concerns")
    SPECIAL_FACTORS = "special_factors", _("Special factors")
    PROGRESS_REPORTING = "progress_reporting", _("Progress reporting")
    ASSESSMENTS = "assessments", _("State and district assessments")
    LRE = "lre", _("Least restrictive environment")
    ESY = "esy", _("Extended school year")
    TRANSITION = "transition", _("Transition")
    TRANSFER_OF_RIGHTS = "transfer_of_rights", _("Transfer of rights")
    SECTION_504_IMPAIRMENT = "section_504_impairment", _("Impairment and major life activities")
    SECTION_504_REVIEW = "section_504_review", _("Review date")
    PARENT_PARTICIPATION = "parent_participation", _("Parent participation")


class ServiceCategory(models.TextChoices):
    SPECIAL_EDUCATION = "special_education", _("Special education")
    RELATED = "related", _("Related service")
    SUPPLEMENTARY_AID = "supplementary_aid", _("Supplementary aid")
    PROGRAM_MODIFICATION = "program_modification", _("Program modification")
    PERSONNEL_SUPPORT = "personnel_support", _("Support for school personnel")


class Per(models.TextChoices):
    DAY = "day", _("day")
    WEEK = "week", _("week")
    MONTH = "month", _("month")


class DeliveryMode(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    TELETHERAPY = "teletherapy", _("Teletherapy")
    EITHER = "either", _("In person or teletherapy")


class GroupSize(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    GROUP = "group", _("Group")


class AccommodationKind(models.TextChoices):
    ACCOMMODATION = "accommodation", _("Accommodation")
    MODIFICATION = "modification", _("Modification")


class AccommodationCategory(models.TextChoices):
    PRESENTATION = "presentation", _("Presentation")
    RESPONSE = "response", _("Response")
    SETTING = "setting", _("Setting")
    TIMING_SCHEDULING = "timing_scheduling", _("Timing and scheduling")
    CONTENT = "content", _("Content")
    EXPECTATIONS = "expectations", _("Expectations")


# An accommodation changes how; a modification changes what.
MODIFICATION_CATEGORIES = frozenset(
    {AccommodationCategory.CONTENT, AccommodationCategory.EXPECTATIONS}
)


class AppliesTo(models.TextChoices):
    CLASSROOM = "classroom", _("Classroom")
    TESTS = "tests", _("Tests")
    STATE_ASSESSMENTS = "state_assessments", _("State assessments")
    # 504 Plans give accommodations by setting, beyond the classroom and tests.
    HEALTH_MEDICAL = "health_medical", _("Health and medical")
    BEHAVIORAL = "behavioral", _("Behavioral")
    TRANSPORTATION = "transportation", _("Transportation")
    EXTRACURRICULAR = "extracurricular", _("Extracurricular activities")


class VersionKind(models.TextChoices):
    ORIGINAL = "original", _("Original")
    AMENDMENT = "amendment", _("Amendment")
    CORRECTION = "correction", _("Correction")
    ANNUAL_REVIEW = "annual_review", _("Annual review")


class PlanQuerySet(models.QuerySet["Plan"]):
    def active_for(self, student: Any, *, kind: str | None = None) -> Plan | None:
        """The student's plan in effect (of `kind`, if given): the newest active one."""
        plans = self.filter(student=student, status=PlanStatus.ACTIVE)
        if kind is not None:
            plans = plans.filter(kind=kind)
        return plans.order_by("-id").first()


class Plan(PublicId):
    """A student's IEP or 504 Plan; its content is frozen in versions when finalized."""

    student = models.ForeignKey(
        Student, on_delete=models.PROTECT, related_name="plans", verbose_name=_("student")
    )
    kind = models.CharField(_("kind"), max_length=20, choices=PlanKind.choices)
    status = models.CharField(
        _("status"), max_length=20, choices=PlanStatus.choices, default=PlanStatus.DRAFT
    )
    meeting_date = models.DateField(_("meeting date"), null=True, blank=True)
    effective_from = models.DateField(_("effective from"), null=True, blank=True)
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    annual_review_due = models.DateField(_("annual review due"), null=True, blank=True)
    based_on = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("based on"),
    )
    current_version = models.ForeignKey(
        "PlanVersion",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("current version"),
    )
    # Bumped by every change to the draft's services, accommodations and goals.
    lock_version = models.PositiveIntegerField(_("lock version"), default=0)
    exit_reason = models.CharField(
        _("exit reason"), max_length=20, choices=ExitReason.choices, blank=True
    )
    exit_date = models.DateField(_("exit date"), null=True, blank=True)
    # Brought in from the district's earlier system (tandem.interop): no versions or meetings
    # in Tandem, only what the record knew; the deadline engine counts from its dates.
    imported = models.BooleanField(_("imported"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = PlanQuerySet.as_manager()

    class Meta:
        verbose_name = _("plan")
        verbose_name_plural = _("plans")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["student", "kind"],
                condition=Q(status="active"),
                name="plan_one_active_per_kind",
                violation_error_message=_("The student already has an active plan of this kind."),
            ),
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True)
                | Q(effective_from__isnull=True)
                | Q(effective_to__gte=F("effective_from")),
                name="plan_effective_dates_in_order",
            ),
        ]
        indexes = [models.Index(fields=["student", "kind", "status"], name="plan_student_kind")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.student} ({self.get_status_display()})"

    @property
    def is_editable(self) -> bool:
        return self.status in EDITABLE_STATUSES

    def clean(self) -> None:
        if self.effective_from and self.effective_to and self.effective_to < self.effective_from:
            raise ValidationError({"effective_to": _("The plan ends before it takes effect.")})
        if bool(self.exit_reason) != bool(self.exit_date):
            raise ValidationError({"exit_date": _("An exit needs both its reason and its date.")})


# The most one free-text field of a plan section may hold, in characters. About ten printed
# pages: far more than any real section, and small enough that the document renders in seconds.
# Why this size: tandem/core/limits.py, where the other limits are.
SECTION_TEXT_LIMIT = limits.SECTION_TEXT


class PlanSection(models.Model):
    """One section of a plan, saved as the team writes, with a revision for optimistic checks."""

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="sections", verbose_name=_("plan")
    )
    key = models.CharField(_("section"), max_length=40, choices=SectionKey.choices)
    content = models.JSONField(_("content"), default=dict, blank=True)
    revision = models.PositiveIntegerField(_("revision"), default=0)
    # The revision the current author's run of saves started from: that author's save based on
    # any revision since is not a conflict (it only overtakes the same person's in-flight save).
    author_since = models.PositiveIntegerField(_("author's run started at revision"), default=0)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("plan section")
        verbose_name_plural = _("plan sections")
        ordering = ["plan", "key"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "key"], name="plan_section_unique_key")
        ]

    def __str__(self) -> str:
        return f"{self.plan_id}: {self.key}"

    @property
    def is_empty(self) -> bool:
        return content_is_empty(self.content)


def content_is_empty(content: Any) -> bool:
    """Whether a section's content says nothing (blank text, or only blank values)."""
    if isinstance(content, str):
        return not content.strip()
    if isinstance(content, dict):
        return all(content_is_empty(value) for value in content.values())
    if isinstance(content, list):
        return all(content_is_empty(value) for value in content)
    return content is None or content is False


class Service(PublicId):
    """A service with its frequency and duration (e.g. 30 minutes, 2 times a week)."""

    # The same line of service across versions and annual reviews: copies keep it.
    lineage = models.UUIDField(_("lineage"), default=uuid.uuid4, editable=False)
    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="services", verbose_name=_("plan")
    )
    category = models.CharField(_("category"), max_length=30, choices=ServiceCategory.choices)
    name = models.CharField(_("service"), max_length=200)
    minutes = models.PositiveIntegerField(
        _("minutes"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    times = models.PositiveIntegerField(
        _("times"), null=True, blank=True, validators=[MinValueValidator(1)]
    )
    per = models.CharField(_("per"), max_length=10, choices=Per.choices, blank=True)
    setting = models.CharField(_("setting or location"), max_length=200, blank=True)
    start_date = models.DateField(_("start date"), null=True, blank=True)
    end_date = models.DateField(_("end date"), null=True, blank=True)
    provider_role = models.CharField(_("provider role"), max_length=200, blank=True)
    delivery_mode = models.CharField(
        _("delivery mode"),
        max_length=20,
        choices=DeliveryMode.choices,
        default=DeliveryMode.IN_PERSON,
    )
    group_size = models.CharField(
        _("individual or group"),
        max_length=20,
        choices=GroupSize.choices,
        default=GroupSize.INDIVIDUAL,
    )

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["plan", "category", "name", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes__isnull=True) | Q(minutes__gt=0),
                name="service_minutes_positive",
            ),
            models.CheckConstraint(
                condition=Q(times__isnull=True) | Q(times__gt=0), name="service_times_positive"
            ),
            models.CheckConstraint(
                condition=Q(end_date__isnull=True)
                | Q(start_date__isnull=True)
                | Q(end_date__gte=F("start_date")),
                name="service_dates_in_order",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    @property
    def has_frequency(self) -> bool:
        return bool(self.minutes and self.times and self.per)

    def clean(self) -> None:
        if self.start_date and self.end_date and self.end_date < self.start_date:
            raise ValidationError({"end_date": _("The service ends before it starts.")})


class Accommodation(PublicId):
    """An accommodation (changes how) or a modification (changes what), and where it applies."""

    lineage = models.UUIDField(_("lineage"), default=uuid.uuid4, editable=False)
    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="accommodations", verbose_name=_("plan")
    )
    kind = models.CharField(
        _("kind"),
        max_length=20,
        choices=AccommodationKind.choices,
        default=AccommodationKind.ACCOMMODATION,
    )
    category = models.CharField(_("category"), max_length=30, choices=AccommodationCategory.choices)
    text = models.TextField(_("text"))
    applies_to = models.JSONField(_("applies to"), default=list, blank=True)
    frequency_condition = models.CharField(_("how often and when"), max_length=300, blank=True)
    provider_role = models.CharField(_("provided by"), max_length=200, blank=True)
    responsible_staff = models.ForeignKey(
        Staff,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("responsible staff member"),
    )

    class Meta:
        verbose_name = _("accommodation")
        verbose_name_plural = _("accommodations")
        ordering = ["plan", "kind", "category", "id"]

    def __str__(self) -> str:
        return self.text[:80]

    def clean(self) -> None:
        if (self.category in MODIFICATION_CATEGORIES) != (
            self.kind == AccommodationKind.MODIFICATION
        ):
            raise ValidationError(
                {
                    "category": _(
                        "Content and expectations are changed by a modification; the other "
                        "categories are accommodations."
                    )
                }
            )
        places = self.applies_to
        if not isinstance(places, list) or not places:
            raise ValidationError({"applies_to": _("Choose where it applies.")})
        unknown = sorted({str(p) for p in places} - set(AppliesTo.values))
        if unknown:
            raise ValidationError(
                {"applies_to": _("Unknown place: %(codes)s.") % {"codes": ", ".join(unknown)}}
            )


class Goal(PublicId):
    """A measurable annual goal; `analysis` is the goal checker's reading, saved with it."""

    lineage = models.UUIDField(_("lineage"), default=uuid.uuid4, editable=False)
    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="goals", verbose_name=_("plan")
    )
    area = models.CharField(_("area"), max_length=100)
    text = models.TextField(_("goal"))
    baseline = models.TextField(_("baseline"), blank=True)
    plaafp_need = models.TextField(_("need from present levels"), blank=True)
    analysis = models.JSONField(_("analysis"), default=dict, blank=True, editable=False)

    class Meta:
        verbose_name = _("goal")
        verbose_name_plural = _("goals")
        ordering = ["plan", "id"]

    def __str__(self) -> str:
        return self.text[:80]


class PlanVersion(PublicId, AppendOnly):
    """A frozen snapshot of a plan; never edited once written."""

    plan = models.ForeignKey(
        Plan, on_delete=models.PROTECT, related_name="versions", verbose_name=_("plan")
    )
    number = models.PositiveIntegerField(_("number"), validators=[MinValueValidator(1)])
    kind = models.CharField(_("kind"), max_length=20, choices=VersionKind.choices)
    snapshot = models.JSONField(_("snapshot"))
    content_hash = models.CharField(_("content hash"), max_length=64)
    reason = models.TextField(_("reason"), blank=True)
    amended_without_meeting = models.BooleanField(_("amended without a meeting"), default=False)
    parent_agreement_date = models.DateField(_("parent agreement date"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("plan version")
        verbose_name_plural = _("plan versions")
        ordering = ["plan", "number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="plan_version_unique_number"),
            models.CheckConstraint(
                condition=Q(amended_without_meeting=False) | Q(parent_agreement_date__isnull=False),
                name="plan_version_agreement_without_meeting",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} v{self.number}"


class PlanEventKind(models.TextChoices):
    SCHOOL_CHANGE = "school_change", _("Changed school")
    GRADE_CHANGE = "grade_change", _("Changed grade")
    EXITED = "exited", _("Exited")
    CONVERTED_TO_504 = "converted_to_504", _("Moved from the IEP to a 504 Plan")
    CREATED_FROM_IEP = "created_from_iep", _("Started from the IEP")
    DISCARDED = "discarded", _("Draft discarded")


class PlanEvent(models.Model):
    """Something that happened to a plan outside its versions (a transfer, an exit); appended."""

    plan = models.ForeignKey(
        Plan, on_delete=models.PROTECT, related_name="events", verbose_name=_("plan")
    )
    kind = models.CharField(_("kind"), max_length=30, choices=PlanEventKind.choices)
    happened_on = models.DateField(_("date"))
    detail = models.JSONField(_("detail"), default=dict, blank=True)
    note = models.TextField(_("note"), blank=True)
    related_plan = models.ForeignKey(
        Plan,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("related plan"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("plan event")
        verbose_name_plural = _("plan events")
        ordering = ["plan", "happened_on", "id"]

    def __str__(self) -> str:
        return f"{self.plan_id}: {self.kind} on {self.happened_on}"


class AccommodationProvided(models.Model):
    """A record that an accommodation was provided on a day; appended, never edited."""

    plan = models.ForeignKey(
        Plan, on_delete=models.PROTECT, related_name="provided_records", verbose_name=_("plan")
    )
    # An amendment may remove the accommodation; the record of what was provided stays.
    accommodation = models.ForeignKey(
        Accommodation,
        on_delete=models.SET_NULL,
        null=True,
        related_name="provided_records",
        verbose_name=_("accommodation"),
    )
    accommodation_lineage = models.UUIDField(_("accommodation lineage"), editable=False)
    student = models.ForeignKey(
        Student, on_delete=models.PROTECT, related_name="+", verbose_name=_("student")
    )
    provided_on = models.DateField(_("provided on"))
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("accommodation provided")
        verbose_name_plural = _("accommodations provided")
        ordering = ["-provided_on", "-recorded_at", "-id"]
        indexes = [
            models.Index(fields=["accommodation", "provided_on"], name="provided_accommodation"),
            models.Index(fields=["student", "provided_on"], name="provided_student"),
        ]

    def __str__(self) -> str:
        return f"{self.accommodation_lineage} on {self.provided_on}"


class ServicesConsentAnswer(models.TextChoices):
    YES = "yes", _("Yes, the parent consents to the services")
    NO = "no", _("No, the parent refuses the services")


class ConsentToServices(PublicId, AppendOnly):
    """The parent's answer to consent to the initial provision of services (34 CFR 300.300(b)).

    Asked on an initial IEP before it takes effect; an initial IEP is finalized only after a
    "yes". Appended: a later answer (a parent who changes their mind) is a new record; the newest
    one counts.
    """

    plan = models.ForeignKey(
        Plan, on_delete=models.CASCADE, related_name="services_consents", verbose_name=_("plan")
    )
    answer = models.CharField(_("answer"), max_length=10, choices=ServicesConsentAnswer.choices)
    answered_on = models.DateField(_("date of the answer"))
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        verbose_name = _("consent to services")
        verbose_name_plural = _("consents to services")
        ordering = ["plan", "-answered_on", "-id"]

    def __str__(self) -> str:
        return f"{self.plan_id}: {self.answer} on {self.answered_on}"


class PlanAcknowledgement(AppendOnly):
    """A teacher's or provider's "I have read this plan" for one version (34 CFR 300.323(d)).

    Appended, never edited: a new version (an amendment, an annual review's plan) asks for a new
    one, and the old ones stay as the record of who had read what, and when.
    """

    plan = models.ForeignKey(
        Plan, on_delete=models.PROTECT, related_name="acknowledgements", verbose_name=_("plan")
    )
    version = models.ForeignKey(
        PlanVersion,
        on_delete=models.PROTECT,
        related_name="acknowledgements",
        verbose_name=_("plan version"),
    )
    staff = models.ForeignKey(
        Staff, on_delete=models.PROTECT, related_name="+", verbose_name=_("staff member")
    )
    acknowledged_at = models.DateTimeField(_("acknowledged at"), auto_now_add=True)

    class Meta:
        verbose_name = _("plan acknowledgement")
        verbose_name_plural = _("plan acknowledgements")
        ordering = ["plan", "version", "acknowledged_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["version", "staff"], name="plan_acknowledgement_once_per_version"
            )
        ]
        indexes = [models.Index(fields=["staff", "plan"], name="plan_ack_staff_plan")]

    def __str__(self) -> str:
        return f"{self.staff_id} read {self.plan_id} v{self.version_id}"


class PdfStatus(models.TextChoices):
    QUEUED = "queued", _("Waiting for its turn")
    RENDERING = "rendering", _("Being made")
    READY = "ready", _("Ready")
    FAILED = "failed", _("Could not be made")


class PdfFailure(models.TextChoices):
    TIMED_OUT = "timed_out", _("Took longer than the time limit")
    ERROR = "error", _("Stopped with an error")


class PlanPdf(models.Model):
    """One rendered PDF of a plan in one language: a frozen version's (kept for good) or a
    draft's (named by the hash of the content it shows, replaced by the next one).

    Made by the worker (tandem/plans/pdf_worker.py) or, when small, in the request. While a
    worker renders, `lease_until` says until when the row is its own: a row still "being made"
    past its lease belongs to a worker that died, and the next run takes it over.
    """

    plan = models.ForeignKey(Plan, on_delete=models.PROTECT, related_name="pdfs")
    version = models.ForeignKey(
        PlanVersion, on_delete=models.PROTECT, null=True, blank=True, related_name="pdfs"
    )
    # "v3" for version 3; "draft-<sha256 of the snapshot>" for a draft's content.
    key = models.CharField(_("what it shows"), max_length=80)
    language = models.CharField(_("language"), max_length=8)
    status = models.CharField(
        _("status"), max_length=10, choices=PdfStatus.choices, default=PdfStatus.QUEUED
    )
    file = models.FileField(
        _("file"), storage=document_storage, upload_to="plans/pdf", max_length=255, blank=True
    )
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    size = models.PositiveIntegerField(_("bytes"), default=0)
    rendered_at = models.DateTimeField(_("rendered at"), null=True, blank=True)
    render_seconds = models.FloatField(_("render seconds"), null=True, blank=True)
    lease_until = models.DateTimeField(_("taken by a worker until"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    failure = models.CharField(
        _("why it failed"), max_length=10, choices=PdfFailure.choices, blank=True
    )
    detail = models.TextField(_("failure detail"), blank=True)  # for the log, not the page
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    class Meta:
        verbose_name = _("plan PDF")
        verbose_name_plural = _("plan PDFs")
        constraints = [
            models.UniqueConstraint(
                fields=["plan", "key", "language"], name="plan_pdf_one_per_content_language"
            ),
            models.CheckConstraint(
                condition=~Q(status="ready") | (~Q(file="") & ~Q(sha256="")),
                name="plan_pdf_ready_has_file",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} {self.key} {self.language} ({self.status})"
