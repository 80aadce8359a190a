"""Reads for translations: whose family reads Spanish, where a plan's translation stands, the
district's translation memory, and a translator's assignments.

No access decision here: callers have passed the gatekeeper for the student or the translation.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import QuerySet

from tandem.accounts.models import User
from tandem.people.models import District, Staff, Student, StudentGuardian
from tandem.people.team_queries import district_staff
from tandem.plans.models import Plan, PlanVersion
from tandem.translations import dates
from tandem.translations.models import (
    OPEN_FOR_TRANSLATOR,
    TranslatedParagraph,
    Translation,
    TranslationStatus,
)
from tandem.translations.paragraphs import Paragraph, plan_paragraphs, source_hash

SPANISH = "es"
# How the student information system spells Spanish as a home language (a free-text field).
_SPANISH_HOME = frozenset({"spanish", "español", "espanol", "es", "spa"})


def family_language(student: Student) -> str:
    """ "es" when a parent who holds educational rights reads Spanish, or Spanish is spoken at
    home; otherwise "en" (the only other language Tandem speaks)."""
    if (student.home_language or "").strip().lower() in _SPANISH_HOME:
        return SPANISH
    spanish = StudentGuardian.objects.filter(
        student=student, educational_rights_holder=True, guardian__preferred_language=SPANISH
    )
    return SPANISH if spanish.exists() else "en"


def translations() -> QuerySet[Translation]:
    """Translations with what their pages show: plan, student, school, translator."""
    return Translation.objects.select_related(
        "plan__student__school", "plan__student__district", "version", "translator__user"
    )


def for_text(plan: Plan, hashed: str, *, language: str = SPANISH) -> Translation | None:
    """The newest translation of exactly this English of the plan: published first."""
    rows = Translation.objects.filter(plan=plan, source_hash=hashed, language=language)
    published = rows.filter(status=TranslationStatus.PUBLISHED).order_by("-published_at", "-id")
    return published.first() or rows.order_by("-requested_at", "-id").first()


def latest_published(plan: Plan, *, language: str = SPANISH) -> Translation | None:
    return (
        Translation.objects.filter(plan=plan, language=language, status=TranslationStatus.PUBLISHED)
        .order_by("-published_at", "-id")
        .first()
    )


def memory(district_id: int, digests: Iterable[str], *, language: str = SPANISH) -> dict[str, str]:
    """Published translations in the district of these English paragraphs, newest winning."""
    rows = (
        TranslatedParagraph.objects.filter(
            source_digest__in=set(digests),
            translation__status=TranslationStatus.PUBLISHED,
            translation__language=language,
            translation__plan__student__district_id=district_id,
        )
        .exclude(text="")
        .order_by("translation__published_at", "id")
        .values_list("source_digest", "text")
    )
    return dict(rows)


def paragraphs(translation: Translation) -> list[TranslatedParagraph]:
    return list(translation.paragraphs.select_related("updated_by").order_by("position"))


@dataclass
class PlanState:
    """Where the translation of the English a plan shows today stands."""

    needed: bool  # the family reads Spanish and staff wrote English
    paragraphs: list[Paragraph] = field(default_factory=list)
    source_hash: str = ""
    translation: Translation | None = None  # of exactly this English
    previous: Translation | None = None  # published for an older English
    due_on: date | None = None
    today: date = date.min

    @property
    def published(self) -> bool:
        t = self.translation
        return t is not None and t.status == TranslationStatus.PUBLISHED

    @property
    def in_progress(self) -> bool:
        return self.translation is not None and self.translation.is_open

    @property
    def overdue(self) -> bool:
        return bool(self.needed and not self.published and self.due_on and self.today > self.due_on)


def plan_state(
    plan: Plan,
    plan_words: Mapping[str, Any],
    version: PlanVersion | None,
    *,
    today: date,
) -> PlanState:
    """The translation state of the English shown for `plan` (`plan_words`: the sections by key
    and the services, accommodations and goals of `version`, or of the live draft when `version`
    is None)."""
    found = plan_paragraphs(plan_words)
    if not found or family_language(plan.student) != SPANISH:
        return PlanState(needed=False, paragraphs=found, today=today)
    hashed = source_hash(found)
    translation = for_text(plan, hashed)
    previous = None
    if translation is None:
        previous = latest_published(plan)
    if translation is not None:
        due = translation.due_on
    else:
        ready = version.created_at.date() if version is not None else today
        due = dates.due_on(plan.student, ready)
    return PlanState(
        needed=True,
        paragraphs=found,
        source_hash=hashed,
        translation=translation,
        previous=previous,
        due_on=due,
        today=today,
    )


def assigned_to(user: User) -> list[Translation]:
    """The open translations assigned to the user, soonest due first."""
    staff = Staff.objects.filter(user=user).first()
    if staff is None:
        return []
    return list(
        translations().filter(OPEN_FOR_TRANSLATOR, translator=staff).order_by("due_on", "id")
    )


def translators(district: District, *, today: date) -> QuerySet[Staff]:
    """Who may be given a translation: any active staff of the district today."""
    return district_staff(district, today=today)


def published_words(plan: Plan, plan_words: Mapping[str, Any]) -> dict[str, str]:
    """English paragraph to Spanish, from the published translation of exactly the English of
    `plan_words` (a snapshot: sections by key, services, accommodations, goals); empty until
    one is published, or when the family reads English."""
    found = plan_paragraphs(plan_words)
    if not found:
        return {}
    done = for_text(plan, source_hash(found))
    if done is None or done.status != TranslationStatus.PUBLISHED:
        return {}
    return {row.source.strip(): row.text for row in paragraphs(done) if row.text}
