"""The staff-written text of a plan, cut into paragraphs a translator works on one at a time.

Only what people wrote is cut: the free-text parts of each section ("text" and "line" fields of
the editor's specs, and any unknown text a section carries). Yes/no answers, choices and dates
are Tandem's own words, which exist in both languages already. A paragraph is a line of the
text: the editor keeps each writer's line breaks, and a line is what a reader takes in at once.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from tandem.core.words import spanish
from tandem.plans.forms_editor import specs_for
from tandem.plans.models import Accommodation, Goal, SectionKey, Service

FREE_TEXT = frozenset({"text", "line"})


@dataclass(frozen=True, slots=True)
class Paragraph:
    section: str  # the section's key ("strengths")
    field: str  # the part of the section ("text", "effect")
    index: int  # 1, 2, ... within the part
    text: str

    @property
    def key(self) -> str:
        return f"{self.section}.{self.field}.{self.index}"

    @property
    def digest(self) -> str:
        return digest(self.text)


def digest(text: str) -> str:
    """sha256 of one paragraph, the translation memory's key."""
    return hashlib.sha256(text.strip().encode("utf-8")).hexdigest()


def _lines(value: str) -> list[str]:
    return [line.strip() for line in value.splitlines() if line.strip()]


def _fields(key: str, content: Any) -> list[tuple[str, str]]:
    """The free-text parts of one section's content, in the editor's order."""
    if isinstance(content, str):
        content = {"text": content}
    if not isinstance(content, Mapping):
        return []
    specs = specs_for(key)
    known = {spec.name for spec in specs}
    parts = [
        (spec.name, content[spec.name])
        for spec in specs
        if spec.kind in FREE_TEXT and isinstance(content.get(spec.name), str)
    ]
    parts += [
        (name, value)
        for name, value in content.items()
        if name not in known and isinstance(value, str)
    ]
    return parts


def paragraphs_of(sections: Mapping[str, Any]) -> list[Paragraph]:
    """Every staff-written paragraph of a plan's sections, in the document's order."""
    order = [key for key in SectionKey.values if key in sections]
    order += sorted(key for key in sections if key not in SectionKey.values)
    out = []
    for key in order:
        for name, value in _fields(key, sections[key]):
            for n, line in enumerate(_lines(value), start=1):
                out.append(Paragraph(key, name, n, line))
    return out


# The staff-written words of a plan's services, accommodations and goals, by list. Choices,
# numbers and dates are Tandem's words; text a writer copied unchanged from Tandem's lists (a
# library accommodation, a service name, a goal area) is Tandem's too and has its Spanish.
ITEM_FIELDS: dict[str, tuple[Any, tuple[str, ...]]] = {
    "services": (Service, ("name", "setting", "provider_role")),
    "accommodations": (Accommodation, ("text", "frequency_condition", "provider_role")),
    "goals": (Goal, ("area", "text", "baseline")),
}


def item_paragraphs(plan_words: Mapping[str, Any]) -> list[Paragraph]:
    """The staff-written paragraphs of a snapshot's (or a readable document's) services,
    accommodations and goals, in the document's order; `field` is "<n>.<name>", n from 1."""
    out = []
    for key, (_model, names) in ITEM_FIELDS.items():
        for n, item in enumerate(plan_words.get(key) or [], start=1):
            for name in names:
                value = item.get(name) if isinstance(item, Mapping) else None
                if not isinstance(value, str) or spanish(value) is not None:
                    continue
                for i, line in enumerate(_lines(value), start=1):
                    out.append(Paragraph(key, f"{n}.{name}", i, line))
    return out


def plan_paragraphs(snapshot: Mapping[str, Any]) -> list[Paragraph]:
    """Every staff-written paragraph of a plan snapshot: its sections, then its services,
    accommodations and goals. What a translation of the plan is made from."""
    return paragraphs_of(snapshot.get("sections") or {}) + item_paragraphs(snapshot)


def source_hash(paragraphs: list[Paragraph]) -> str:
    """The hash of the English a translation is made from: which paragraphs, and their words."""
    canonical = json.dumps([[p.key, p.text] for p in paragraphs], ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def section_title(key: str) -> str:
    """A section's title in the active language."""
    if key in ITEM_FIELDS:
        model = ITEM_FIELDS[key][0]
        return str(model._meta.verbose_name_plural).capitalize()
    return str(dict(SectionKey.choices).get(key, key.replace("_", " ").capitalize()))


def part_label(key: str, name: str) -> str:
    """The label of one part of a section, in the active language."""
    if key in ITEM_FIELDS:
        model = ITEM_FIELDS[key][0]
        number, _dot, field_name = name.partition(".")
        return _("%(item)s %(number)s: %(part)s") % {
            "item": str(model._meta.verbose_name).capitalize(),
            "number": number,
            "part": str(model._meta.get_field(field_name).verbose_name),
        }
    spec = next((s for s in specs_for(key) if s.name == name), None)
    return str(spec.label) if spec is not None else name.replace("_", " ").capitalize()
