"""Template tags every page uses: `{% load core %}`.

- `{% field form.name %}`: one field the USWDS way (label, hint, error, widget).
- `{% error_summary form formset extra=problems %}`: what was refused, each a link to its field.
"""

from __future__ import annotations

from typing import Any

from django import template

register = template.Library()


def _form_items(form: Any) -> list[dict[str, str]]:
    items: list[dict[str, str]] = []
    if form is None or not hasattr(form, "errors"):
        return items
    if hasattr(form, "forms"):  # a formset
        items += [{"anchor": "", "label": "", "message": str(e)} for e in form.non_form_errors()]
        for sub in form.forms:
            items += _form_items(sub)
        return items
    for name, errors in form.errors.items():
        if name == "__all__" or name not in form.fields:
            items += [{"anchor": "", "label": "", "message": str(e)} for e in errors]
            continue
        bound = form[name]
        items += [
            {"anchor": bound.auto_id or "", "label": str(bound.label), "message": str(e)}
            for e in errors
        ]
    return items


def error_items(*forms: Any, extra: Any = ()) -> list[dict[str, str]]:
    """Every error of `forms` (forms or formsets) and `extra`, each once, in order."""
    items: list[dict[str, str]] = []
    for form in forms:
        items += _form_items(form)
    items += [dict(item) for item in extra or ()]
    seen: set[tuple[str, str]] = set()
    unique = []
    for item in items:
        key = (item.get("anchor", ""), item.get("message", ""))
        if key not in seen:
            seen.add(key)
            unique.append(item)
    return unique


@register.inclusion_tag("includes/error_summary.html")
def error_summary(*forms: Any, extra: Any = ()) -> dict[str, Any]:
    return {"items": error_items(*forms, extra=extra)}


@register.inclusion_tag("includes/field.html")
def field(bound_field: Any) -> dict[str, Any]:
    return {"field": bound_field}
