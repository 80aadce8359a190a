"""The parent's consent: each request and its answer, the tries to reach a parent who has not
answered, and the parent's and district's agreement on a reevaluation (34 CFR 300.303(b)).

An agreement sits with the consents because, like them, it is the parent's written word on an
evaluation that the district may not decide alone.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tandem.compliance.models import Deadline
from tandem.people.models import Student
from tandem.referrals.models.referral import Referral
from tandem.referrals.models.storage import consent_upload_to, private_storage


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
