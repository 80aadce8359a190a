"""Tags of the web app's pages: `{% load student_page %}`.

- `{% panel shown %}`: one panel of the student page (tandem/web/panels.py), rendered with the
  page's context plus the panel's own data. It reads; it never asks the access policy.
- `{{ event.action|action_words }}`: an audit code in plain words, from the catalogue.
- `{{ event.purpose|purpose_words }}`: why the record was opened, in plain words.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from tandem.access import purposes
from tandem.audit.catalogue import words

register = template.Library()


@register.simple_tag(takes_context=True)
def panel(context: Any, shown: Any) -> SafeString:
    page = context.template.engine.get_template(shown.template)
    with context.push(**shown.context):
        return page.render(context)  # type: ignore[no-any-return]


@register.filter
def action_words(code: str) -> str:
    return words(code)


@register.filter
def purpose_words(stored: str) -> str:
    """The purpose an event was recorded with, in the reader's language."""
    return purposes.words(stored) if stored else "—"
