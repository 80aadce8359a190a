"""The translation state where other apps' pages show a plan, as small includes they render.

- `{% plan_translation as state %}` on the staff's plan page (translations/_plan_state.html):
  for a plan writer, whether the family needs the staff's English in Spanish, and where the
  translation stands, with its due date.
- `{% family_sections plan words as shown %}` on the family's plan (translations/
  _family_sections.html): the sections the family reads in Spanish once published; until then
  the English, marked as English, under a notice that a translation is coming.

The pages already passed their gatekeeper: these tags read only the plan they were given.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django import template
from django.utils import translation

from tandem.access.capabilities import Cap
from tandem.core import clock
from tandem.plans.forms_editor import section_rows, specs_for
from tandem.plans.queries import current_snapshot
from tandem.translations import queries
from tandem.translations.models import TranslationStatus
from tandem.translations.paragraphs import FREE_TEXT, ITEM_FIELDS, plan_paragraphs, source_hash

register = template.Library()


def _plan_words(doc: Any) -> dict[str, Any]:
    """A readable document (plans.queries.readable) back in a snapshot's shape."""
    return {
        "sections": {s["key"]: s.get("content") for s in doc.get("sections", [])},
        **{key: doc.get(key) for key in ITEM_FIELDS},
        # The document splits accommodations from modifications; a translation has both.
        "accommodations": [*(doc.get("accommodations") or []), *(doc.get("modifications") or [])],
    }


@register.simple_tag
def published_words_of(plan: Any, doc: Any) -> dict[str, str]:
    """On a Spanish page, the published translation of the document's English (English
    paragraph to Spanish) for `|family:published`; empty otherwise."""
    if plan is None or not doc or not (translation.get_language() or "").startswith("es"):
        return {}
    return queries.published_words(plan, _plan_words(doc))


@register.simple_tag
def translation_coming(plan: Any, doc: Any, published: Any) -> bool:
    """On a Spanish page of a plan whose family reads Spanish: the team's English is not
    translated yet (`published` is empty), so the document says a translation is coming."""
    if plan is None or not doc or published:
        return False
    if not (translation.get_language() or "").startswith("es"):
        return False
    if queries.family_language(plan.student) != queries.SPANISH:
        return False
    return bool(plan_paragraphs(_plan_words(doc)))


@register.simple_tag(takes_context=True)
def plan_translation(context: Any) -> queries.PlanState | None:
    """The translation state of the plan page's document, for those who write the plan."""
    access, plan, doc = context.get("access"), context.get("plan"), context.get("doc")
    if access is None or plan is None or doc is None or not access.has(Cap.WRITE_PLAN):
        return None
    if context.get("is_discarded"):
        return None
    state = queries.plan_state(plan, _plan_words(doc), context.get("version"), today=clock.today())
    return state if state.needed else None


@dataclass
class FamilySection:
    title: str
    paragraphs: list[str] = field(default_factory=list)
    lang: str = ""  # "en" when English is shown on a Spanish page
    extra: list[str] = field(default_factory=list)  # Tandem's own words (choices, dates)


@dataclass
class FamilyView:
    mode: str  # "plain" (as written), "spanish" (published), "notice" (English, translation due)
    sections: list[FamilySection]


def _tandem_words(key: str, content: Any) -> list[str]:
    """The parts of a section that are choices or dates: Tandem's words, already in Spanish."""
    free = {spec.name for spec in specs_for(key) if spec.kind in FREE_TEXT}
    rows = section_rows(key, content) if isinstance(content, dict) else []
    return [f"{row['label']}: {row['text']}" for row in rows if row["name"] not in free]


@register.simple_tag
def family_sections(plan: Any, words: Any) -> FamilyView:
    """The family's sections of `plan` (`words.about`), in Spanish when published."""
    about = list(words.get("about") or [])
    plain = FamilyView("plain", [FamilySection(a["title"], [a["text"]]) for a in about])
    if not about or not (translation.get_language() or "").startswith(queries.SPANISH):
        return plain
    snapshot = current_snapshot(plan)
    snapshot_sections = snapshot.get("sections") or {}
    found = plan_paragraphs(snapshot)
    if not found:
        return plain
    done = queries.for_text(plan, source_hash(found))
    if (
        done is None
        or done.status != TranslationStatus.PUBLISHED
        or any("key" not in a for a in about)
    ):
        english = [FamilySection(a["title"], [a["text"]], lang="en") for a in about]
        return FamilyView("notice", english)
    spanish: dict[str, list[str]] = {}
    for row in queries.paragraphs(done):
        spanish.setdefault(row.section, []).append(row.text)
    shown = [
        FamilySection(
            a["title"],
            spanish.get(a["key"], []),
            extra=_tandem_words(a["key"], snapshot_sections.get(a["key"])),
        )
        for a in about
    ]
    return FamilyView("spanish", shown)
