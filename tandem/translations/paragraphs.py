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

from tandem.plans.forms_editor import specs_for
from tandem.plans.models import SectionKey

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


def source_hash(paragraphs: list[Paragraph]) -> str:
    """The hash of the English a translation is made from: which paragraphs, and their words."""
    canonical = json.dumps([[p.key, p.text] for p in paragraphs], ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def section_title(key: str) -> str:
    """A section's title in the active language."""
    return str(dict(SectionKey.choices).get(key, key.replace("_", " ").capitalize()))


def part_label(key: str, name: str) -> str:
    """The label of one part of a section, in the active language."""
    spec = next((s for s in specs_for(key) if s.name == name), None)
    return str(spec.label) if spec is not None else name.replace("_", " ").capitalize()
