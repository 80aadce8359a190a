"""The goal bank's templates, and the short-term objectives of a goal.

A template with no district ships with Tandem (every district sees it); one with a district and
no owner is the district's own; one with an owner is that person's. Slots in the text are written
`{name}` and described in `slots` (a hint and a sample value for each).
"""

from __future__ import annotations

import re
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from tandem.people.models import District
from tandem.plans.models import Goal

SLOT = re.compile(r"\{([a-z_]+)\}")


class GoalArea(models.TextChoices):
    """The areas of the bank; the codes are the goal checker's (tandem.rules.goals.Area)."""

    READING = "reading", _("Reading")
    WRITING = "writing", _("Writing")
    MATH = "math", _("Mathematics")
    ARTICULATION = "articulation", _("Articulation")
    LANGUAGE = "language", _("Language")
    SOCIAL = "social", _("Social skills")
    BEHAVIOR = "behavior", _("Behavior")
    FINE_MOTOR = "fine_motor", _("Fine motor")
    SELF_CARE = "self_care", _("Self-care")
    EXECUTIVE_FUNCTION = "executive_function", _("Executive functioning")
    TRANSITION = "transition", _("Transition")


class GradeBand(models.TextChoices):
    PRE_K_2 = "prek_2", _("Pre-K to grade 2")
    GRADES_3_5 = "3_5", _("Grades 3 to 5")
    GRADES_6_8 = "6_8", _("Grades 6 to 8")
    GRADES_9_12 = "9_12", _("Grades 9 to 12 and transition")
    ANY = "any", _("Any grade")


class GoalTemplate(models.Model):
    """A goal with slots to fill: shipped, district-wide, or personal."""

    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    # Stable name of a shipped template, so reloading the bank updates instead of duplicating.
    code = models.SlugField(_("code"), max_length=80, unique=True, null=True, blank=True)
    district = models.ForeignKey(
        District,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("district"),
    )
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="goal_templates",
        verbose_name=_("owner"),
    )
    area = models.CharField(_("area"), max_length=30, choices=GoalArea.choices)
    grade_band = models.CharField(
        _("grade band"), max_length=10, choices=GradeBand.choices, default=GradeBand.ANY
    )
    title = models.CharField(_("title"), max_length=200)
    text = models.TextField(_("goal text"))
    slots = models.JSONField(_("slots"), default=dict, blank=True)
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        verbose_name = _("goal template")
        verbose_name_plural = _("goal templates")
        ordering = ["area", "grade_band", "title", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(owner__isnull=True) | Q(district__isnull=False),
                name="goal_template_personal_has_district",
            ),
        ]
        indexes = [models.Index(fields=["area", "grade_band"], name="goal_template_area_grade")]

    def __str__(self) -> str:
        return self.title

    @property
    def for_reader(self) -> tuple[str, str]:
        """(title, text) in the reader's language: the bank's Spanish for a shipped template on
        a Spanish page; the plan itself is written from the English (`text`), which the
        family's translation then carries."""
        from tandem.goals.bank import in_language

        found = in_language(self.code, translation.get_language() or "en")
        return found if found is not None else (self.title, self.text)

    @property
    def title_for_reader(self) -> str:
        return self.for_reader[0]

    @property
    def text_for_reader(self) -> str:
        return self.for_reader[1]

    @property
    def is_shipped(self) -> bool:
        return self.district_id is None

    @property
    def is_personal(self) -> bool:
        return self.owner_id is not None

    def slot_names(self) -> list[str]:
        """The slots in the order they appear in the text, each once."""
        seen: list[str] = []
        for name in SLOT.findall(self.text):
            if name not in seen:
                seen.append(name)
        return seen

    def fill(self, values: dict[str, str]) -> str:
        """The text with each slot filled; an unfilled slot stays visible as "[slot]"."""

        def one(m: re.Match[str]) -> str:
            value = (values.get(m.group(1)) or "").strip()
            return value or f"[{m.group(1)}]"

        return SLOT.sub(one, self.text)


class GoalObjective(models.Model):
    """A short-term objective or benchmark of an annual goal (alternate assessment)."""

    goal = models.ForeignKey(
        Goal, on_delete=models.CASCADE, related_name="objectives", verbose_name=_("goal")
    )
    text = models.TextField(_("objective"))
    order = models.PositiveIntegerField(_("order"), default=0)

    class Meta:
        verbose_name = _("short-term objective")
        verbose_name_plural = _("short-term objectives")
        ordering = ["goal", "order", "id"]

    def __str__(self) -> str:
        return self.text[:80]
