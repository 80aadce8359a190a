"""`{{ text|family }}`: Tandem's own words in the reader's language, staff's words marked.

On a Spanish page, a service name, a setting, a library accommodation or a goal area that Tandem
wrote shows in Spanish; anything else staff wrote shows as written inside `<span lang="en">`, so
a screen reader reads it as English and the page does not pass it off as a translation.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.safestring import SafeString

from tandem.core.words import shown, translated_lines

register = template.Library()


@register.filter
def family(value: Any, translated: Any = None) -> SafeString:
    """`{{ text|family }}`, or `{{ text|family:published }}` with the plan's published
    translation (English paragraph to Spanish) for what staff wrote."""
    return shown(str(value or ""), translated=translated or None).html


@register.filter
def family_lines(value: Any, translated: Any = None) -> str:
    """A section's text with each line the published translation covers in Spanish."""
    return translated_lines(str(value or ""), translated or None)
