"""Signatures: a parent's consent given, refused or partly given, online or on paper.

Fields, constraints and single-record checks only; the workflow lives in `actions.py`.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tandem.accounts.models import Language
from tandem.core.models import AppendOnly, PublicId
from tandem.people.models import Guardian, Student
from tandem.referrals.models import Consent, private_storage


def _path(folder: str, instance: Any, filename: str) -> str:
    # The stored name is ours, never the uploader's.
    return f"portal/{folder}/{instance.public_id}{PurePath(filename).suffix.lower()}"


def signed_pdf_upload_to(instance: Any, filename: str) -> str:
    return _path("signed", instance, filename)


def scan_upload_to(instance: Any, filename: str) -> str:
    return _path("scans", instance, filename)


class DocumentKind(models.TextChoices):
    CONSENT_INITIAL_EVALUATION = "consent_initial_evaluation", _("Consent to a first evaluation")
    CONSENT_REEVALUATION = "consent_reevaluation", _("Consent to a new evaluation")
    CONSENT_INITIAL_SERVICES = "consent_initial_services", _("Consent to start services")
    OTHER = "other", _("Other document")


class Decision(models.TextChoices):
    GIVE = "give", _("I give consent")
    REFUSE = "refuse", _("I do not give consent")
    PARTIAL = "partial", _("I give consent to some parts only")


class SignatureMethod(models.TextChoices):
    ONLINE = "online", _("Signed online")
    PAPER = "paper", _("Signed on paper")


class Signature(PublicId, AppendOnly):
    """One signed answer to one document, with what proves it (34 CFR 300.9; E-SIGN Act).

    Written once, never changed: the document's hash and the frozen PDF show exactly what was
    signed, in the language the parent read it in. `AppendOnly` refuses a change or a deletion,
    one by one or in bulk.
    """

    student = models.ForeignKey(
        Student, on_delete=models.PROTECT, related_name="+", verbose_name=_("student")
    )
    guardian = models.ForeignKey(
        Guardian, on_delete=models.PROTECT, related_name="signatures", verbose_name=_("parent")
    )
    document_kind = models.CharField(_("document"), max_length=40, choices=DocumentKind.choices)
    document_title = models.CharField(_("document title"), max_length=300)
    # The specific record signed, when it is a consent; any other record by type and id.
    consent = models.ForeignKey(
        Consent,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="signatures",
        verbose_name=_("consent"),
    )
    object_type = models.CharField(max_length=64, blank=True)
    object_id = models.CharField(max_length=64, blank=True)
    document_text = models.TextField(_("document text"))
    document_hash = models.CharField(_("document hash (SHA-256)"), max_length=64)
    language = models.CharField(_("language"), max_length=8, choices=Language.choices)
    decision = models.CharField(_("decision"), max_length=10, choices=Decision.choices)
    parts_given = models.JSONField(_("parts consented to"), default=list, blank=True)
    parts_refused = models.JSONField(_("parts not consented to"), default=list, blank=True)
    reason = models.TextField(_("reason or comment"), blank=True)
    typed_name = models.CharField(_("typed name"), max_length=200)
    signed_at = models.DateTimeField(_("signed at"))
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True)
    user_agent = models.CharField(_("browser"), max_length=300, blank=True)
    method = models.CharField(_("method"), max_length=10, choices=SignatureMethod.choices)
    signed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("signed by (account)"),
    )
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("recorded by"),
    )
    signed_pdf = models.FileField(
        _("signed document (PDF)"),
        storage=private_storage,
        upload_to=signed_pdf_upload_to,
        max_length=200,
        blank=True,
    )
    signed_pdf_hash = models.CharField(_("signed PDF hash (SHA-256)"), max_length=64, blank=True)
    scan = models.FileField(
        _("scan of the paper form"),
        storage=private_storage,
        upload_to=scan_upload_to,
        max_length=200,
        blank=True,
    )
    scan_content_type = models.CharField(max_length=100, blank=True)

    class Meta:
        verbose_name = _("signature")
        verbose_name_plural = _("signatures")
        ordering = ["-signed_at", "-id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(method="paper") | Q(signed_by__isnull=False),
                name="signature_online_has_account",
            ),
        ]
        indexes = [models.Index(fields=["student", "-signed_at"], name="signature_student")]

    def __str__(self) -> str:
        return f"{self.typed_name}: {self.get_decision_display()} ({self.document_title})"
