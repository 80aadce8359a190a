"""Translations of what staff wrote in a plan, for a family who reads another language.

A `Translation` pairs the English paragraphs of a plan's sections, as they stood when it was
requested, with their Spanish, paragraph by paragraph (`TranslatedParagraph`). It is tied to the
plan version it translates when the plan is frozen, and always to the hash of the English it
translates (`source_hash`): the family sees a published translation only for exactly the English
it was made from, so a draft translated before the plan is finalized carries over to the frozen
version unchanged, and an amendment that changes the English asks for a new one (34 CFR
300.503(c), 300.9, 300.322(e)).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from tandem.core.models import PublicId
from tandem.people.models import District, Staff
from tandem.plans.models import Plan, PlanVersion

# The district's translation office's turnaround when the district has not set its own: ten
# school days (about two weeks). No federal rule sets a number; 300.503(c) asks for the notice in
# the parent's native language, and a written plan the parent cannot read is no notice.
DEFAULT_DUE_SCHOOL_DAYS = 10


class TranslationSettings(models.Model):
    """A district's settings for translations of staff-written text (one row per district)."""

    district = models.OneToOneField(
        District,
        on_delete=models.CASCADE,
        related_name="translation_settings",
        verbose_name=_("district"),
    )
    # Default 10 school days (DEFAULT_DUE_SCHOOL_DAYS) when a district has no row.
    due_school_days = models.PositiveIntegerField(
        _("school days to translate a plan"),
        default=DEFAULT_DUE_SCHOOL_DAYS,
        validators=[MinValueValidator(1), MaxValueValidator(60)],
    )

    class Meta:
        verbose_name = _("translation settings")
        verbose_name_plural = _("translation settings")

    def __str__(self) -> str:
        return f"{self.district}: {self.due_school_days}"


class TranslationStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested, no translator yet")
    ASSIGNED = "assigned", _("Assigned to a translator")
    TRANSLATED = "translated", _("Translated, waiting for review")
    REVIEWED = "reviewed", _("Reviewed, ready to publish")
    PUBLISHED = "published", _("Published to the family")


OPEN_STATUSES = (
    TranslationStatus.REQUESTED,
    TranslationStatus.ASSIGNED,
    TranslationStatus.TRANSLATED,
    TranslationStatus.REVIEWED,
)
# What the assigned translator may open: their work until it is published.
OPEN_FOR_TRANSLATOR = Q(
    status__in=(
        TranslationStatus.ASSIGNED,
        TranslationStatus.TRANSLATED,
        TranslationStatus.REVIEWED,
    )
)


class Translation(PublicId):
    """One translation of a plan's staff-written sections into the family's language."""

    plan = models.ForeignKey(
        Plan, on_delete=models.PROTECT, related_name="translations", verbose_name=_("plan")
    )
    # The frozen version translated; empty for a draft (the hash pairs it with its version).
    version = models.ForeignKey(
        PlanVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="translations",
        verbose_name=_("plan version"),
    )
    language = models.CharField(_("language"), max_length=8, default="es")
    source_hash = models.CharField(_("hash of the English text"), max_length=64)
    status = models.CharField(
        _("status"),
        max_length=20,
        choices=TranslationStatus.choices,
        default=TranslationStatus.REQUESTED,
    )
    due_on = models.DateField(_("due on"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("requested by"),
    )
    requested_at = models.DateTimeField(_("requested at"))
    translator = models.ForeignKey(
        Staff,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="translations",
        verbose_name=_("translator or interpreter"),
    )
    assigned_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned by"),
    )
    assigned_at = models.DateTimeField(_("assigned at"), null=True, blank=True)
    translated_at = models.DateTimeField(_("translated at"), null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("reviewed by"),
    )
    reviewed_at = models.DateTimeField(_("reviewed at"), null=True, blank=True)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("published by"),
    )
    published_at = models.DateTimeField(_("published at"), null=True, blank=True)

    class Meta:
        verbose_name = _("translation")
        verbose_name_plural = _("translations")
        ordering = ["-requested_at", "-id"]
        indexes = [
            models.Index(fields=["plan", "status"], name="translation_plan_status"),
            models.Index(fields=["translator", "status"], name="translation_translator"),
        ]

    def __str__(self) -> str:
        return f"{self.plan_id} ({self.language}): {self.status}"

    @property
    def is_open(self) -> bool:
        return self.status in OPEN_STATUSES


class TranslatedParagraph(models.Model):
    """One English paragraph of a section, frozen when the translation was requested, and its
    translation, side by side."""

    translation = models.ForeignKey(
        Translation,
        on_delete=models.CASCADE,
        related_name="paragraphs",
        verbose_name=_("translation"),
    )
    position = models.PositiveIntegerField(_("position"))
    section = models.CharField(_("section"), max_length=40)
    field = models.CharField(_("part of the section"), max_length=60)
    index = models.PositiveIntegerField(_("paragraph"))
    source = models.TextField(_("English"))
    # sha256 of the English paragraph: the translation memory looks paragraphs up by it.
    source_digest = models.CharField(_("hash of the English paragraph"), max_length=64)
    text = models.TextField(_("translation"), blank=True)
    # Filled from the district's memory (a published translation of the same English), for the
    # translator to check; cleared when the translator writes their own.
    from_memory = models.BooleanField(_("from the translation memory"), default=False)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("updated by"),
    )
    updated_at = models.DateTimeField(_("updated at"), null=True, blank=True)

    class Meta:
        verbose_name = _("translated paragraph")
        verbose_name_plural = _("translated paragraphs")
        ordering = ["translation", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["translation", "section", "field", "index"],
                name="translated_paragraph_unique",
            ),
            models.UniqueConstraint(
                fields=["translation", "position"], name="translated_paragraph_position"
            ),
        ]
        indexes = [models.Index(fields=["source_digest"], name="translated_paragraph_digest")]

    def __str__(self) -> str:
        return f"{self.translation_id}: {self.section}.{self.field}.{self.index}"

    @property
    def key(self) -> str:
        return f"{self.section}.{self.field}.{self.index}"
