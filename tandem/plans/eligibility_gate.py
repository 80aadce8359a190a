"""Which kind of plan the student's eligibility allows: an IEP rests on an IDEA eligibility.

A student whose latest eligibility decision found them eligible under Section 504 only (not
under IDEA, 34 CFR 300.8 and 300.306) has no basis for an IEP: starting one is refused, and the
504 Plan is offered instead. The reverse stays allowed: a student eligible under IDEA is also
protected by Section 504, and implementing an IEP is one means of meeting 504's FAPE duty
(34 CFR 104.33(b)(2)); nothing in COMPLIANCE.md forbids a 504 Plan for that student, and the
IEP-to-504 move (an IEP exit) is its own step in `transitions.py`.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import formats
from django.utils.translation import gettext as _

from tandem.people.models import Student
from tandem.plans.models import PlanKind
from tandem.referrals.models import EligibilityDecision, EligibilityOutcome


def only_504(student: Student) -> EligibilityDecision | None:
    """The student's latest eligibility decision when it found them eligible under 504 only."""
    decision = (
        EligibilityDecision.objects.filter(student=student)
        .order_by("-decided_on", "-id")
        .only("outcome", "decided_on")
        .first()
    )
    if decision is not None and decision.outcome == EligibilityOutcome.SECTION_504:
        return decision
    return None


def iep_refusal(student: Student, *, reviewing: bool = False) -> str:
    """Why an IEP cannot be started (or reviewed) for the student ('' when it can)."""
    decision = only_504(student)
    if decision is None:
        return ""
    facts = {
        "day": formats.date_format(decision.decided_on, "DATE_FORMAT"),
        "name": student.display_name,
    }
    if reviewing:
        return (
            _(
                "The IEP cannot be reviewed as an IEP: the latest eligibility decision (%(day)s) "
                "found %(name)s eligible under Section 504 only, not for special education under "
                "IDEA. Move the IEP to a 504 Plan instead."
            )
            % facts
        )
    return (
        _(
            "An IEP cannot be started: the latest eligibility decision (%(day)s) found %(name)s "
            "eligible under Section 504 only, not for special education under IDEA. Start a 504 "
            "Plan instead, or reevaluate if the team suspects a need for special education."
        )
        % facts
    )


def check_kind(student: Student, kind: str, *, reviewing: bool = False) -> None:
    """Refuse (naming the field) a plan kind the student's eligibility does not allow."""
    if kind == PlanKind.IEP and (why := iep_refusal(student, reviewing=reviewing)):
        raise ValidationError({"kind": why})
