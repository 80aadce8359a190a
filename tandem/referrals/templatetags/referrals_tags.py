"""The referrals section of the student overview, with its own data (a fixed number of queries)."""

from __future__ import annotations

from typing import Any

from django import template

from tandem.access.policy import Need, can
from tandem.referrals import queries
from tandem.referrals.models import EligibilityOutcome, ReferralStatus

register = template.Library()


@register.inclusion_tag("referrals/_section.html")
def referrals_section(student: Any, user: Any) -> dict[str, Any]:
    """`student` is already access-checked by the page that includes this section."""
    referrals = queries.referrals_of_student(student)
    # The decisions are loaded with the referrals: no query unless the student was found eligible.
    decisions = [d for r in referrals if (d := queries.eligibility_of(r)) is not None]
    decision = max(decisions, key=lambda d: (d.decided_on, d.pk), default=None)
    eligible = decision is not None and decision.outcome != EligibilityOutcome.NOT_ELIGIBLE
    reevaluation_open = any(
        r.is_reevaluation and r.status in (ReferralStatus.OPEN, ReferralStatus.IN_EVALUATION)
        for r in referrals
    )
    return {
        "student": student,
        "section_can_write": can(user, Need.WRITE, student),
        "reevaluation_due": queries.reevaluation_due(student) if decisions else None,
        "reevaluation_open": reevaluation_open,
        "can_reevaluate": eligible and not reevaluation_open,
        "items": [
            {
                "referral": referral,
                "next": queries.next_step(referral),
                "deadline": queries.legal_deadline(referral),
            }
            for referral in referrals
        ],
    }
