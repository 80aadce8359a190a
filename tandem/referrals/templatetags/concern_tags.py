"""The home page's "Concerns to review" section: teachers' concerns waiting for the viewer."""

from __future__ import annotations

from typing import Any

from django import template

from tandem.core import clock
from tandem.referrals.concern_queries import concerns_to_review

register = template.Library()


@register.inclusion_tag("referrals/_concerns_home.html", takes_context=True)
def concerns_to_review_section(context: Any) -> dict[str, Any]:
    """Shown only when a concern waits: one query for a person with none."""
    user = context["request"].user
    return {"concerns": list(concerns_to_review(user, today=clock.today()))}
