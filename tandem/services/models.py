"""Service delivery: providers' licences, the sessions they log and each student's attendance.

A session is written once and signed; after its signature it is locked (AppendOnlyError on any
change) and a correction is a `SessionAddendum` with a reason. Attendance rows and addenda are
append-only from the start. The codes are SERVICES.md section 3 (`tandem.rules.services.Code`).
"""

from __future__ import annotations

from typing import Any

from django.core.validators import MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tandem.core.models import AppendOnly, AppendOnlyError, Authored, PublicId, StudentOwned
from tandem.rules.services import Code


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
    note = models.TextField(_("note"), blank=True)
    signed_at = models.DateTimeField(_("signed at"), null=True, blank=True)
    signed_licence = models.CharField(_("licence at signature"), max_length=120, blank=True)
    signed_credentials = models.CharField(_("credentials at signature"), max_length=100, blank=True)
    late = models.BooleanField(_("logged late"), default=False)
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
    # A MAKEUP row names the student's missed row it makes up (SERVICES.md section 3: "linked to
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
