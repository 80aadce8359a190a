"""What the translation pages show, built from plain values: the views fetch, act and render."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.urls import reverse

from tandem.access.capabilities import Cap
from tandem.access.policy import Access
from tandem.accounts.models import User
from tandem.core import clock
from tandem.translations import actions, queries
from tandem.translations.forms import AssignForm, EditorForm
from tandem.translations.models import TranslatedParagraph, Translation, TranslationStatus
from tandem.translations.paragraphs import part_label, section_title


@dataclass
class Part:
    """One part of a section: its label ("" for the section's main text) and its paragraphs."""

    name: str
    label: str
    rows: list[Any] = field(default_factory=list)


@dataclass
class Section:
    """A section of the plan in the editor or on the translation's page, part by part."""

    key: str
    title: str
    parts: list[Part] = field(default_factory=list)


def sections(rows: list[Any], paragraph: Any = lambda row: row) -> list[Section]:
    """`rows` (paragraphs, or (paragraph, field) pairs) grouped by section and part, in order."""
    out: list[Section] = []
    for row in rows:
        p: TranslatedParagraph = paragraph(row)
        if not out or out[-1].key != p.section:
            out.append(Section(p.section, section_title(p.section)))
        parts = out[-1].parts
        if not parts or parts[-1].name != p.field:
            label = "" if p.field == "text" else part_label(p.section, p.field)
            parts.append(Part(p.field, label))
        parts[-1].rows.append(row)
    return out


def detail_url(translation: Translation) -> str:
    return reverse("translation_detail", args=[translation.public_id])


def detail(
    translation: Translation, access: Access, viewer: User, *, assign: AssignForm | None = None
) -> dict[str, Any]:
    """The translation's page: where it stands, the text side by side, and what `viewer` may do."""
    plan = translation.plan
    writer = access.has(Cap.WRITE_PLAN)
    rows = queries.paragraphs(translation)
    is_open = translation.is_open
    if writer and is_open and assign is None:
        staff = queries.translators(plan.student.district, today=clock.today())
        initial = {"translator": translation.translator} if translation.translator else None
        assign = AssignForm(initial=initial, staff=staff)
    return {
        "translation": translation,
        "plan": plan,
        "student": plan.student,
        "access": access,
        "sections": sections(rows),
        "empty": sum(1 for r in rows if not r.text.strip()),
        "from_memory": sum(1 for r in rows if r.from_memory),
        "assign": assign if writer and is_open else None,
        "may_edit": actions.may_translate(viewer, translation),
        "may_review": writer and translation.status == TranslationStatus.TRANSLATED,
        "may_publish": writer and translation.status == TranslationStatus.REVIEWED,
        "overdue": is_open and clock.today() > translation.due_on,
    }


def editor(translation: Translation, form: EditorForm) -> dict[str, Any]:
    """The side-by-side editor: each English paragraph beside its Spanish field."""
    plan = translation.plan
    return {
        "translation": translation,
        "plan": plan,
        "student": plan.student,
        "form": form,
        "sections": sections(form.pairs(), paragraph=lambda pair: pair.row),
        "from_memory": sum(1 for row in form.rows if row.from_memory),
    }
