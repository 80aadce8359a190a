"""The referrals section of the student overview, with its own data (a fixed number of queries)."""

from __future__ import annotations

from typing import Any

from django import template

from tandem.access.policy import Need, can
from tandem.referrals import queries

register = template.Library()


@register.inclusion_tag("referrals/_section.html")
def referrals_section(student: Any, user: Any) -> dict[str, Any]:
    """`student` is already access-checked by the page that includes this section."""
    referrals = queries.referrals_of_student(student)
    return {
        "student": student,
        "section_can_write": can(user, Need.WRITE, student),
        "items": [
            {
                "referral": referral,
                "next": queries.next_step(referral),
                "deadline": queries.legal_deadline(referral),
            }
            for referral in referrals
        ],
    }
