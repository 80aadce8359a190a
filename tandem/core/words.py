"""Tandem's own words in the family's language.

A plan copies words from Tandem's lists: an accommodation's text from the library, a service's
name, a setting, a goal's area, a marking period's name, a data note. Tandem wrote those words in
both languages, so a family who reads Spanish reads them in Spanish at once, with no translator
(34 CFR 300.503(c), 300.9). What staff wrote themselves is theirs to translate: it goes through
the translation workflow and, until a translation is published, is shown as English, marked as
English (`lang="en"`), never presented as if it were the translation.

A text matches when it is the library's words with letter case, spacing and a final period
aside; a text a writer changed by one word is the writer's text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from functools import cache
from importlib.resources import files

from django.utils import translation
from django.utils.html import format_html
from django.utils.safestring import SafeString

from tandem.rules import accommodations

__all__ = ["Shown", "shown", "spanish", "spanish_or_same", "translated_lines"]

_SPACES = re.compile(r"\s+")


def _key(text: str) -> str:
    return _SPACES.sub(" ", text).strip().rstrip(".").strip().casefold()


@cache
def _pairs() -> dict[str, str]:
    """English (matching key) to Spanish, from every list Tandem ships."""
    pairs: dict[str, str] = {}
    raw = files("tandem.rules").joinpath("data", "words_es.json").read_text("utf-8")
    for english, spanish_text in json.loads(raw)["es"].items():
        pairs[_key(english)] = spanish_text
    for entry in accommodations.load_library():
        if not (entry.title_es and entry.description_es):
            continue
        pairs[_key(entry.title)] = entry.title_es
        pairs[_key(entry.description)] = entry.description_es
        # The plan editor's "use this" writes "Title: description".
        pairs[_key(f"{entry.title}: {entry.description}")] = (
            f"{entry.title_es}: {entry.description_es}"
        )
    return pairs


def spanish(text: str) -> str | None:
    """The Spanish of one of Tandem's own texts, or None when staff wrote it."""
    if not text:
        return None
    found = _pairs().get(_key(text))
    if found is None:
        return None
    # End as the writer's text ends: with its full stop, or without one where the page goes on
    # with the sentence (". Applies to: ...").
    if text.rstrip().endswith("."):
        return found if found.endswith(".") else found + "."
    return found.rstrip(".")


def _reading_spanish(language: str | None = None) -> bool:
    return (language or translation.get_language() or "en").startswith("es")


def spanish_or_same(text: str, language: str | None = None) -> str:
    """`text` in the active (or given) language when it is Tandem's words; else unchanged."""
    if not _reading_spanish(language):
        return text
    return spanish(text) or text


@dataclass(frozen=True, slots=True)
class Shown:
    """A text as a reader sees it: its words and, when they are English on a page in another
    language, "en" (so the page marks it for screen readers and the translation notice)."""

    text: str
    lang: str = ""

    @property
    def html(self) -> SafeString:
        if self.lang:
            return format_html('<span lang="{}">{}</span>', self.lang, self.text)
        return format_html("{}", self.text)

    def __str__(self) -> str:
        return self.text


def shown(
    text: str, language: str | None = None, translated: Mapping[str, str] | None = None
) -> Shown:
    """`text` for a reader of the active (or given) language: Tandem's words translated; staff's
    words from the plan's published translation (`translated`: English paragraph to Spanish)
    or, until there is one, as written and marked as English."""
    text = (text or "").strip()
    if not text or not _reading_spanish(language):
        return Shown(text)
    found = spanish(text)
    if found is None and translated:
        lines = [line.strip() for line in text.splitlines() if line.strip()]
        if lines and all(line in translated for line in lines):
            found = "\n".join(translated[line] for line in lines)
    return Shown(found) if found is not None else Shown(text, "en")


def translated_lines(text: str, translated: Mapping[str, str] | None) -> str:
    """`text` with each line the published translation has replaced by its Spanish; other lines
    (Tandem's own words, already in the page's language) unchanged."""
    if not translated or not _reading_spanish():
        return text
    return "\n".join(translated.get(line.strip(), line) for line in (text or "").splitlines())
