"""The eligibility decision: an IDEA disability category, a Section 504 impairment, or neither.

With the vocabularies the team chooses from: the disability categories (and their EDFacts
codes) and the major life activities an impairment may limit.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from tandem.people.models import Staff, Student
from tandem.referrals.models.consent import ConsentMethod
from tandem.referrals.models.referral import Referral


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
