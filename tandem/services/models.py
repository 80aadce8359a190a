"""Service delivery: providers' licences, the sessions they log and each student's attendance.

A session is written once and signed; after its signature it is locked (AppendOnlyError on any
change) and a correction is a `SessionAddendum` with a reason. Attendance rows and addenda are
append-only from the start. The codes are docs/services.md ("Attendance codes") (`tandem.rules.services.Code`).
"""

from __future__ import annotations

import zoneinfo
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tandem.core import clock
from tandem.core.models import AppendOnly, AppendOnlyError, Authored, PublicId, StudentOwned
from tandem.rules import npi
from tandem.rules.services import Code


def validate_npi(value: str) -> None:
    """Ten digits whose last is the Luhn check digit CMS defines for the NPI."""
    if not npi.is_valid(value):
        raise ValidationError(
            _("An NPI is ten digits ending in its check digit; check the number."), code="npi"
        )


def validate_time_zone(value: str) -> None:
    """A time zone by its IANA name, such as America/Chicago."""
    if value not in zoneinfo.available_timezones():
        raise ValidationError(
            _("Give a time zone by its name, such as America/Chicago."), code="time_zone"
        )


def validate_https(value: str) -> None:
    """A join link must be https: a plain http link would send the session in the clear."""
    if value and not value.lower().startswith("https://"):
        raise ValidationError(_("The join link must start with https://."), code="https")


class AttendanceCode(models.TextChoices):
    DELIVERED = Code.DELIVERED.value, _("Delivered")
    DELIVERED_PARTIAL = Code.DELIVERED_PARTIAL.value, _("Delivered in part")
    MAKEUP = Code.MAKEUP.value, _("Makeup")
    COMPENSATORY = Code.COMPENSATORY.value, _("Compensatory")
    CONSULT = Code.CONSULT.value, _("Consult")
    STUDENT_ABSENT = Code.STUDENT_ABSENT.value, _("Student absent")
    STUDENT_REFUSED = Code.STUDENT_REFUSED.value, _("Student refused")
    STUDENT_UNAVAILABLE = Code.STUDENT_UNAVAILABLE.value, _("Student unavailable")
    PROVIDER_ABSENT = Code.PROVIDER_ABSENT.value, _("Provider absent")
    PROVIDER_UNAVAILABLE = Code.PROVIDER_UNAVAILABLE.value, _("Provider unavailable")
    SCHOOL_CLOSED = Code.SCHOOL_CLOSED.value, _("School closed")
    TECH_FAILURE = Code.TECH_FAILURE.value, _("Technology failed")
    FACILITATOR_MISSING = Code.FACILITATOR_MISSING.value, _("Facilitator missing")
    NO_SCHOOL = Code.NO_SCHOOL.value, _("No school")


class Modality(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    TELETHERAPY = "teletherapy", _("Teletherapy")


class StudentLocation(models.TextChoices):
    """Where the student was during a teletherapy session: Medicaid's place of service (02
    telehealth away from home, 10 telehealth at home; tandem/services/medicaid_profiles.py)."""

    SCHOOL = "school", _("At school")
    HOME = "home", _("At home")


class ProviderLicence(models.Model):
    """A provider's licence in one state; a lapsed licence or none in the state stops sessions."""

    staff = models.ForeignKey(
        "people.Staff", on_delete=models.CASCADE, related_name="licences", verbose_name=_("staff")
    )
    state = models.CharField(_("state"), max_length=2)
    number = models.CharField(_("licence number"), max_length=60)
    credentials = models.CharField(_("credentials"), max_length=100, blank=True)
    issued = models.DateField(_("issued"), null=True, blank=True)
    expires = models.DateField(_("expires"))

    class Meta:
        verbose_name = _("provider licence")
        verbose_name_plural = _("provider licences")
        ordering = ["staff", "state", "-expires"]

    def __str__(self) -> str:
        return f"{self.state} {self.number}"


class SignedQuerySet(models.QuerySet):  # type: ignore[type-arg]
    def update(self, **kwargs: Any) -> int:
        if self.filter(signed_at__isnull=False).exists():
            raise AppendOnlyError("a signed session is locked")
        return super().update(**kwargs)

    def delete(self) -> tuple[int, dict[str, int]]:
        if self.filter(signed_at__isnull=False).exists():
            raise AppendOnlyError("a signed session is locked")
        return super().delete()


class ServiceSession(PublicId, Authored):
    """One session a provider held (or tried to hold) with one or more students."""

    provider = models.ForeignKey(
        "people.Staff",
        on_delete=models.PROTECT,
        related_name="service_sessions",
        verbose_name=_("provider"),
    )
    day = models.DateField(_("date"))
    start_time = models.TimeField(_("start time"))
    minutes = models.PositiveIntegerField(_("minutes"), validators=[MinValueValidator(1)])
    modality = models.CharField(
        _("modality"), max_length=20, choices=Modality.choices, default=Modality.IN_PERSON
    )
    platform = models.CharField(_("platform"), max_length=100, blank=True)
    minutes_lost = models.PositiveIntegerField(_("minutes lost to connection"), default=0)
    # Teletherapy: the https link the student's end joins by, and the adult with the student.
    join_url = models.URLField(
        _("join link"), max_length=500, blank=True, validators=[validate_https]
    )
    facilitator = models.CharField(_("on-site facilitator"), max_length=200, blank=True)
    student_location = models.CharField(
        _("where the student was"),
        max_length=10,
        choices=StudentLocation.choices,
        default=StudentLocation.SCHOOL,
    )
    note = models.TextField(_("note"), blank=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    signed_licence = models.CharField(_("licence at signature"), max_length=120, blank=True)
    signed_credentials = models.CharField(_("credentials at signature"), max_length=100, blank=True)
    late = models.BooleanField(_("logged late"), default=False)
    # Set when an assistant signs (docs/services.md NOTE-1): the log then awaits their supervisor's
    # co-signature, a `SessionCoSignature` row, so the signed row itself never changes.
    needs_cosignature = models.BooleanField(_("needs the supervisor's co-signature"), default=False)
    makeup_of = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="makeups",
        verbose_name=_("makes up"),
    )

    objects = SignedQuerySet.as_manager()

    class Meta:
        verbose_name = _("service session")
        verbose_name_plural = _("service sessions")
        ordering = ["-day", "-start_time", "-id"]
        indexes = [models.Index(fields=["provider", "day"], name="session_provider_day")]
        constraints = [
            models.CheckConstraint(condition=models.Q(minutes__gt=0), name="session_minutes_gt_0")
        ]

    def __str__(self) -> str:
        return f"{self.day} {self.start_time:%H:%M} ({self.minutes} min)"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self._state.adding:
            stored = type(self).objects.filter(pk=self.pk).values_list("signed_at", flat=True)
            if stored and stored[0] is not None:
                raise AppendOnlyError("a signed session is locked; add an addendum")
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> tuple[int, dict[str, int]]:
        if self.signed_at is not None:
            raise AppendOnlyError("a signed session is locked; add an addendum")
        return super().delete(*args, **kwargs)


class SessionAttendance(StudentOwned, AppendOnly):
    """One student's outcome in a session, counted against one service line of their plan."""

    session = models.ForeignKey(ServiceSession, on_delete=models.PROTECT, related_name="attendance")
    service = models.ForeignKey(
        "plans.Service", on_delete=models.PROTECT, related_name="+", verbose_name=_("service")
    )
    lineage = models.UUIDField(_("service lineage"), db_index=True)
    code = models.CharField(_("attendance"), max_length=30, choices=AttendanceCode.choices)
    minutes = models.PositiveIntegerField(_("minutes"), default=0)
    # A MAKEUP row names the student's missed row it makes up (docs/services.md ("Attendance codes"): "linked to
    # a missed occurrence"); per student, so one group session can make up different misses.
    makes_up = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="made_up_by",
        verbose_name=_("makes up"),
    )

    class Meta:
        verbose_name = _("session attendance")
        verbose_name_plural = _("session attendance")
        constraints = [
            models.UniqueConstraint(fields=["session", "student"], name="one_row_per_student")
        ]

    def __str__(self) -> str:
        return f"{self.student_id} {self.code} {self.minutes}"


class SessionAddendum(PublicId, Authored, AppendOnly):
    """A correction to a signed session: never an edit, always a new row with its reason."""

    session = models.ForeignKey(ServiceSession, on_delete=models.PROTECT, related_name="addenda")
    reason = models.CharField(_("reason"), max_length=300)
    text = models.TextField(_("addendum"))

    class Meta:
        verbose_name = _("session addendum")
        verbose_name_plural = _("session addenda")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.reason


class SessionCoSignature(PublicId, Authored, AppendOnly):
    """The supervisor's co-signature of an assistant's signed session (one per session).

    Like the provider's signature, it keeps the licence and credentials the supervisor held at
    that moment, so a later renewal or lapse does not change what was signed.
    """

    session = models.OneToOneField(
        ServiceSession, on_delete=models.PROTECT, related_name="cosignature"
    )
    supervisor = models.ForeignKey(
        "people.Staff", on_delete=models.PROTECT, related_name="+", verbose_name=_("supervisor")
    )
    signed_at = models.DateTimeField(_("co-signed at"))
    licence = models.CharField(_("licence at co-signature"), max_length=120, blank=True)
    credentials = models.CharField(_("credentials at co-signature"), max_length=100, blank=True)

    class Meta:
        verbose_name = _("session co-signature")
        verbose_name_plural = _("session co-signatures")

    def __str__(self) -> str:
        return f"{self.session_id} {self.signed_at:%Y-%m-%d}"


class AlertKind(models.TextChoices):
    BELOW_MINUTES = "below_minutes", _("Below the mandated minutes")
    ABSENCES = "absences", _("A pattern of absences")


class ServiceAlert(PublicId, StudentOwned):
    """One episode of a service falling short for a student, told once to the case managers.

    Opened (and notified) when the check first finds the service below the district's threshold
    or a pattern of absences; closed when a later check finds it recovered. Only one open
    episode per student, service line and kind, so a daily check never repeats itself.
    """

    kind = models.CharField(_("kind"), max_length=20, choices=AlertKind.choices)
    lineage = models.UUIDField(_("service lineage"))
    service = models.ForeignKey(
        "plans.Service", on_delete=models.PROTECT, related_name="+", verbose_name=_("service")
    )
    opened_on = models.DateField(_("opened on"))
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    figure = models.IntegerField(_("figure"), default=0)  # percent delivered, or absences
    notified = models.PositiveIntegerField(_("people notified"), default=0)

    class Meta:
        verbose_name = _("service alert")
        verbose_name_plural = _("service alerts")
        ordering = ["-opened_on", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["student", "lineage", "kind"],
                condition=models.Q(closed_on__isnull=True),
                name="one_open_service_alert",
            )
        ]

    def __str__(self) -> str:
        return f"{self.student_id} {self.kind} {self.opened_on}"


# --- providers: profiles, contracts, teletherapy (issue 12) --------------------------------------


class Discipline(models.TextChoices):
    SLP = "slp", _("Speech-language pathologist")
    SLPA = "slpa", _("Speech-language pathology assistant")
    OT = "ot", _("Occupational therapist")
    COTA = "cota", _("Occupational therapy assistant")
    PT = "pt", _("Physical therapist")
    PTA = "pta", _("Physical therapist assistant")
    PSYCHOLOGIST = "psychologist", _("School psychologist")
    COUNSELOR = "counselor", _("Counselor")
    SOCIAL_WORKER = "social_worker", _("Social worker")
    BCBA = "bcba", _("Board certified behavior analyst")
    DEAF = "deaf", _("Teacher of the deaf and hard of hearing")
    TVI = "tvi", _("Teacher of the visually impaired")
    ORIENTATION_MOBILITY = "o_and_m", _("Orientation and mobility specialist")
    AUDIOLOGIST = "audiologist", _("Audiologist")
    NURSE = "nurse", _("School nurse")
    INTERPRETER = "interpreter", _("Interpreter")


# Assistants carry out a licensed therapist's plan under supervision (docs/services.md ("The words")).
ASSISTANT_DISCIPLINES = frozenset({Discipline.SLPA, Discipline.COTA, Discipline.PTA})


class ProviderModality(models.TextChoices):
    IN_PERSON = "in_person", _("In person")
    TELETHERAPY = "teletherapy", _("Teletherapy")
    BOTH = "both", _("In person and teletherapy")


class ProviderProfile(PublicId):
    """A provider's discipline, credentials and working week: one per staff member who serves."""

    staff = models.OneToOneField(
        "people.Staff",
        on_delete=models.CASCADE,
        related_name="provider_profile",
        verbose_name=_("staff"),
    )
    discipline = models.CharField(_("discipline"), max_length=20, choices=Discipline.choices)
    credentials = models.CharField(_("credentials"), max_length=100, blank=True)
    npi = models.CharField(
        _("NPI"), max_length=10, blank=True, validators=[validate_npi], help_text=_("Ten digits.")
    )
    supervisor = models.ForeignKey(
        "people.Staff",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supervisees",
        verbose_name=_("supervisor"),
    )
    modality = models.CharField(
        _("modality"),
        max_length=20,
        choices=ProviderModality.choices,
        default=ProviderModality.IN_PERSON,
    )
    weekly_capacity = models.PositiveIntegerField(
        _("weekly capacity in minutes"), default=0, validators=[MaxValueValidator(7 * 24 * 60)]
    )
    time_zone = models.CharField(
        _("time zone"), max_length=64, default="America/Chicago", validators=[validate_time_zone]
    )
    # Working hours, in the provider's own time zone: the weekdays (0 = Monday) and the hours.
    working_days = models.CharField(_("working days"), max_length=20, default="0,1,2,3,4")
    day_starts = models.TimeField(_("working day starts"), null=True, blank=True)
    day_ends = models.TimeField(_("working day ends"), null=True, blank=True)
    languages = models.CharField(
        _("languages"), max_length=200, blank=True, help_text=_("Separate them with commas.")
    )
    # An assistant's first day under supervision: state rules ask more in the first weeks
    # (tandem.rules.supervision); unknown, the stricter first phase is applied.
    supervised_since = models.DateField(_("supervised since"), null=True, blank=True)
    updated_at = models.DateTimeField(_("updated at"), default=clock.now)

    class Meta:
        verbose_name = _("provider profile")
        verbose_name_plural = _("provider profiles")

    def __str__(self) -> str:
        return f"{self.staff} ({self.discipline})"

    @property
    def is_assistant(self) -> bool:
        return self.discipline in ASSISTANT_DISCIPLINES

    @property
    def day_numbers(self) -> list[int]:
        return [int(d) for d in self.working_days.split(",") if d.strip().isdigit()]


class ProviderContract(PublicId, Authored):
    """A contractor's agreement to serve a district: the agency, and from and to which dates.

    A provider with any contract reaches a district's students only while a contract with that
    district is in force (the access policy reads these rows); a district's own employees have
    none and are unaffected.
    """

    staff = models.ForeignKey(
        "people.Staff",
        on_delete=models.PROTECT,
        related_name="provider_contracts",
        verbose_name=_("provider"),
    )
    district = models.ForeignKey(
        "people.District",
        on_delete=models.PROTECT,
        related_name="provider_contracts",
        verbose_name=_("district"),
    )
    agency = models.CharField(_("agency"), max_length=200)
    start_date = models.DateField(_("start date"))
    end_date = models.DateField(_("end date"), null=True, blank=True)

    class Meta:
        verbose_name = _("provider contract")
        verbose_name_plural = _("provider contracts")
        ordering = ["staff", "district", "-start_date"]
        indexes = [models.Index(fields=["staff", "district"], name="contract_staff_district")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(end_date__isnull=True)
                | models.Q(end_date__gte=models.F("start_date")),
                name="contract_ends_after_start",
            )
        ]

    def __str__(self) -> str:
        return f"{self.agency}: {self.district_id} {self.start_date}–{self.end_date or ''}"


class TeletherapyConsent(PublicId, StudentOwned, Authored, AppendOnly):
    """A parent's consent to teletherapy for a student in a district, recorded by the case manager.

    Append-only: a withdrawal is a new row with `given` false; the latest row is the answer.
    """

    district = models.ForeignKey(
        "people.District", on_delete=models.PROTECT, related_name="+", verbose_name=_("district")
    )
    given = models.BooleanField(_("the parent consents"), default=True)
    on = models.DateField(_("date of the parent's answer"))

    class Meta:
        verbose_name = _("teletherapy consent")
        verbose_name_plural = _("teletherapy consents")
        ordering = ["-on", "-id"]
        indexes = [models.Index(fields=["student", "district", "on"], name="teleconsent_lookup")]

    def __str__(self) -> str:
        return f"{self.student_id} {self.district_id} {self.given} {self.on}"


class ServiceSettings(models.Model):
    """A district's choices for service delivery (one row per district; none means defaults)."""

    district = models.OneToOneField(
        "people.District",
        on_delete=models.CASCADE,
        related_name="service_settings",
        verbose_name=_("district"),
    )
    teletherapy_consent_required = models.BooleanField(
        _("teletherapy needs the parent's consent"), default=False
    )
    # A log entered more than this many days after its session is marked late (docs/services.md
    # NOTE-2: Texas SHARS wants the note within 7 calendar days, the default here).
    late_after_days = models.PositiveSmallIntegerField(
        _("a log is late after this many days"),
        default=7,
        validators=[MinValueValidator(0), MaxValueValidator(365)],
    )

    class Meta:
        verbose_name = _("service settings")
        verbose_name_plural = _("service settings")

    def __str__(self) -> str:
        return f"{self.district_id}"


# --- supervision of assistants (docs/services.md SUP-1 to SUP-5; tandem.rules.supervision) ------------


class SupervisionKind(models.TextChoices):
    DIRECT = "direct", _("Direct (observing or guiding live, in person or by video)")
    INDIRECT = "indirect", _("Indirect (reviewing notes and plans, meeting without students)")


class SupervisionLog(PublicId, Authored, AppendOnly):
    """Supervision a supervisor gave an assistant on one day: minutes, direct or indirect.

    Append-only, like the session logs it is measured against. Sessions observed are the
    assistant's own sessions of that day (optional).
    """

    supervisor = models.ForeignKey(
        "people.Staff",
        on_delete=models.PROTECT,
        related_name="supervision_given",
        verbose_name=_("supervisor"),
    )
    assistant = models.ForeignKey(
        "people.Staff",
        on_delete=models.PROTECT,
        related_name="supervision_received",
        verbose_name=_("assistant"),
    )
    day = models.DateField(_("date"))
    minutes = models.PositiveIntegerField(_("minutes"), validators=[MinValueValidator(1)])
    kind = models.CharField(_("kind"), max_length=10, choices=SupervisionKind.choices)
    note = models.CharField(_("note"), max_length=500, blank=True)
    observed = models.ManyToManyField(
        ServiceSession, blank=True, related_name="+", verbose_name=_("sessions observed")
    )

    class Meta:
        verbose_name = _("supervision log")
        verbose_name_plural = _("supervision logs")
        ordering = ["-day", "-id"]
        indexes = [models.Index(fields=["assistant", "day"], name="supervision_assistant_day")]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(minutes__gt=0), name="supervision_minutes_gt_0"
            )
        ]

    def __str__(self) -> str:
        return f"{self.assistant_id} {self.day} {self.minutes} {self.kind}"


class SupervisionVoid(PublicId, Authored, AppendOnly):
    """A supervision entry recorded in error, set aside by its supervisor with the reason.

    The entry stays (append-only, like every log here) and shows as void; it no longer counts
    toward the assistant's supervision minutes.
    """

    log = models.OneToOneField(
        SupervisionLog, on_delete=models.PROTECT, related_name="void", verbose_name=_("entry")
    )
    reason = models.CharField(_("reason"), max_length=300)

    class Meta:
        verbose_name = _("voided supervision entry")
        verbose_name_plural = _("voided supervision entries")

    def __str__(self) -> str:
        return self.reason


# --- Medicaid: the parent's consent to bill public insurance (34 CFR 300.154(d)) -----------------


class MedicaidEntryKind(models.TextChoices):
    CONSENT = "consent", _("Consent to bill public insurance given")
    WITHDRAWAL = "withdrawal", _("Consent withdrawn")
    NOTICE = "notice", _("Written notification given")
    MEDICAID_ID = "medicaid_id", _("Medicaid ID recorded")


validate_medicaid_id = RegexValidator(
    r"^[A-Za-z0-9]{1,20}$",
    _("A Medicaid ID is letters and digits only, at most 20."),
    code="medicaid_id",
)


class MedicaidConsent(PublicId, StudentOwned, Authored, AppendOnly):
    """One dated entry of a student's public-insurance record; nothing is edited or deleted.

    34 CFR 300.154(d)(2)(iv): the parent's one-time written consent before the district first
    bills public insurance (CONSENT, dated the day the parent signed, with the student's Medicaid
    ID when known); the parent may withdraw it at any time (WITHDRAWAL, dated; a later CONSENT
    gives it again). 300.154(d)(2)(i),(v): written notification before the first access and
    annually after (NOTICE, dated the day it was given). A changed Medicaid ID is a MEDICAID_ID
    entry. `created_by`/`created_at` say who recorded it and when.
    """

    kind = models.CharField(_("entry"), max_length=20, choices=MedicaidEntryKind.choices)
    on = models.DateField(_("date"))
    medicaid_id = models.CharField(
        _("Medicaid ID"), max_length=20, blank=True, validators=[validate_medicaid_id]
    )
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("Medicaid consent entry")
        verbose_name_plural = _("Medicaid consent entries")
        ordering = ["on", "id"]
        indexes = [models.Index(fields=["student", "on"], name="medicaid_consent_student")]

    def __str__(self) -> str:
        return f"{self.student_id} {self.kind} {self.on}"


# --- the director's counts, kept (tandem.services.tallies) ----------------------------------------


class MinutesTally(models.Model):
    """One mandate's minutes over the last four weeks and the year, as counted on `counted_on`.

    Derived, never entered: a copy of what `tandem.services.director` counts from the service,
    its sessions and the school calendar, kept so that a district's page does not count every
    session again on each visit. A row counted on another day, or whose inputs changed since
    (tallies.py drops it), is counted again when read.
    """

    service = models.OneToOneField(
        "plans.Service", on_delete=models.CASCADE, related_name="+", verbose_name=_("service")
    )
    student = models.ForeignKey(
        "people.Student", on_delete=models.CASCADE, related_name="+", verbose_name=_("student")
    )
    counted_on = models.DateField(_("counted on"))
    # What the count read: the mandate and calendar (a digest), and the newest session row then.
    shape = models.CharField(_("mandate and calendar"), max_length=64)
    through = models.BigIntegerField(_("sessions through"), default=0)
    four_weeks = models.JSONField(_("last four weeks"))
    year = models.JSONField(_("year to date"))

    class Meta:
        verbose_name = _("minutes tally")
        verbose_name_plural = _("minutes tallies")

    def __str__(self) -> str:
        return f"{self.service_id} on {self.counted_on}"
