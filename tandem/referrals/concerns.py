"""A teacher's concern: raised by any teacher of the student, taken up or declined by the school.

A general-education teacher is usually the first to see that a student struggles. Any teacher
with the student in a class (the roster tie) or on the student's team as the general-education
teacher holds RAISE_CONCERN: they describe what they saw and what they tried, and the concern
becomes a referral *awaiting acceptance*, received on the day they raised it (the district has
the referral from that day; a state's clock for answering it counts from then).

It goes to the student's case manager, or, when the student has none, to the school's special
education lead: the school's administrators (StaffRole school_admin at the student's school),
who lead special education in the building and hold the principal's tie to every student of it
(`concern_queries.concerns_to_review`). District administrators see their district's concerns too.

Accepting or declining needs RUN_EVALUATION, not START_REFERRAL: deciding whether the school
takes up a concern is the first decision of the evaluation process (child find, 34 CFR 300.111),
which belongs to those who run it (the case manager, leaders, the psychologist or the 504
coordinator on the team). A related-service provider may open a referral of their own, but
does not dismiss a teacher's. Accepted, the concern is an open referral that continues the
usual way (case review, notice, consent). Declined, it is closed with the reason, which the
teacher reads on the referral's page. Raising a concern gives the teacher nothing else: every
later step asks for capabilities a teacher does not hold.
"""

from __future__ import annotations

from collections.abc import Sequence

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tandem import audit
from tandem.access.capabilities import Cap
from tandem.access.policy import require
from tandem.accounts.models import User
from tandem.audit.catalogue import Action
from tandem.core import clock
from tandem.people.models import Student
from tandem.referrals.actions import _start_assessment_plan_clock as start_answer_clock
from tandem.referrals.actions_common import _lock_referral, _require_open, _save
from tandem.referrals.models import ConcernDecision, Referral, ReferralSource, ReferralStatus


@transaction.atomic
def raise_concern(
    *, actor: User, student: Student, areas_of_concern: Sequence[str], description: str
) -> Referral:
    """A teacher's concern about a student: a referral awaiting acceptance, received today."""
    require(actor, student, Cap.RAISE_CONCERN)
    if not description.strip():
        raise ValidationError(
            {"description": _("Say what you saw and what you have tried in class.")}
        )
    referral = Referral(
        student=student,
        source=ReferralSource.TEACHER,
        source_name=actor.get_full_name() or actor.email,
        received_on=clock.today(),
        areas_of_concern=list(areas_of_concern),
        description=description.strip(),
        status=ReferralStatus.AWAITING_ACCEPTANCE,
        created_by=actor,
        concern_raised_by=actor,
    )
    _save(referral, actor)
    audit.record(
        actor=actor,
        action=Action.CONCERN__RAISED,
        student=student,
        target=referral,
        detail={"areas_of_concern": list(referral.areas_of_concern)},
    )
    return referral


def _answer(referral: Referral, actor: User, decision: str) -> Referral:
    """Lock the concern, check who answers and that it still waits, and record the answer."""
    referral = _lock_referral(referral)
    require(actor, referral.student, Cap.RUN_EVALUATION)
    _require_open(referral, ReferralStatus.AWAITING_ACCEPTANCE)
    referral.concern_decision = decision
    referral.concern_decided_by = actor
    referral.concern_decided_at = clock.now()
    return referral


@transaction.atomic
def accept_concern(*, actor: User, referral: Referral) -> Referral:
    """Take the concern up: an open referral from the day the teacher raised it."""
    referral = _answer(referral, actor, ConcernDecision.ACCEPTED)
    referral.status = ReferralStatus.OPEN
    _save(referral, actor)
    start_answer_clock(referral, actor)
    audit.record(
        actor=actor,
        action=Action.CONCERN__ACCEPTED,
        student=referral.student,
        target=referral,
        detail={"raised_on": referral.received_on.isoformat()},
    )
    return referral


@transaction.atomic
def decline_concern(*, actor: User, referral: Referral, reason: str) -> Referral:
    """Decline the concern with the reason the teacher will read; the referral is closed."""
    if not reason.strip():
        raise ValidationError(
            {"reason": _("Give the reason, for the teacher who raised the concern.")}
        )
    referral = _answer(referral, actor, ConcernDecision.DECLINED)
    referral.status = ReferralStatus.CLOSED
    referral.closed_reason = reason.strip()
    _save(referral, actor)
    audit.record(
        actor=actor,
        action=Action.CONCERN__DECLINED,
        student=referral.student,
        target=referral,
        detail={"reason": referral.closed_reason},
    )
    return referral
