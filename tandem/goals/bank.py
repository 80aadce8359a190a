"""The shipped goal bank: a JSON file of templates, loaded on install and by `load_goal_bank`.

Shipped templates have no district and a stable `code`; loading again updates them in place and
never touches a district's or a person's own templates.
"""

from __future__ import annotations

import json
from functools import cache
from importlib.resources import files
from typing import Any

SOURCE = "data/goal_bank.json"
FIELDS = ("area", "grade_band", "title", "text", "slots")


@cache
def shipped() -> tuple[dict[str, Any], ...]:
    """The templates in the data file, as plain dicts."""
    raw = json.loads(files("tandem.goals").joinpath(SOURCE).read_text(encoding="utf-8"))
    return tuple(raw["templates"])


@cache
def _spanish() -> dict[str, tuple[str, str]]:
    return {
        entry["code"]: (entry["title_es"], entry["text_es"])
        for entry in shipped()
        if entry.get("title_es") and entry.get("text_es")
    }


def in_language(code: str | None, language: str) -> tuple[str, str] | None:
    """A shipped template's (title, text) in `language`, or None when the bank has only the
    English (a district's or a person's own template, or a language the bank lacks)."""
    if not code or not language.startswith("es"):
        return None
    return _spanish().get(code)


def load_bank(model: Any = None) -> tuple[int, int]:
    """Create or update every shipped template; returns (created, updated).

    `model` is the GoalTemplate class (a migration passes its historical model).
    """
    if model is None:
        from tandem.goals.models import GoalTemplate as model  # noqa: N813
    existing = {t.code: t for t in model.objects.filter(district__isnull=True, code__isnull=False)}
    created = updated = 0
    for entry in shipped():
        values = {name: entry[name] for name in FIELDS}
        row = existing.get(entry["code"])
        if row is None:
            model.objects.create(code=entry["code"], **values)
            created += 1
        elif any(getattr(row, name) != value for name, value in values.items()):
            for name, value in values.items():
                setattr(row, name, value)
            row.save()
            updated += 1
    return created, updated
