"""Reevaluation: start one, waive the triennial, and reach a parent who does not answer.

A reevaluation is a `Referral` with `purpose=reevaluation`, so that its notice, consent,
assessments, report and eligibility decision are the same records and pages as the first
evaluation. The rules that are its own live here (34 CFR 300.303, 300.300(c); 34 CFR 104.35(d)):

- it is for a student whose latest eligibility decision found them eligible;
- not more than once a year unless the parent and the district agree (the agreement is stored);
  a parent's request within the year is refused with prior written notice;
- the triennial may be waived when the parent and the district agree it is not needed;
- consent to reevaluate is not needed when the parent did not answer reasonable efforts.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from django.db import transaction
from django.utils.translation import gettext as _

from tandem import audit
from tandem.access.capabilities import Cap
from tandem.access.policy import require
from tandem.accounts.models import User
from tandem.compliance import actions as deadlines
from tandem.people.models import Student
from tandem.referrals import queries
from tandem.referrals.actions_common import NoticeContent, _issue_notice, _refuse, _save
from tandem.referrals.actions_evaluation import _engine_disability
from tandem.referrals.models import (
    AgreementKind,
    Consent,
    ConsentAttempt,
    ConsentResponse,
    Deadline,
    DeadlineBasis,
    DeadlineKind,
    EligibilityOutcome,
    NoticeAction,
    Purpose,
    ReevaluationAgreement,
    ReevaluationKind,
    Referral,
    ReferralSource,
    ReferralStatus,
    Track,
)
from tandem.rules import deadlines as engine

SOURCE_OF_KIND = {
    ReevaluationKind.PARENT_REQUEST: ReferralSource.PARENT,
    ReevaluationKind.TEACHER_REQUEST: ReferralSource.TEACHER,
}
TRACK_OF_OUTCOME = {
    EligibilityOutcome.IEP: Track.IEP,
    EligibilityOutcome.SECTION_504: Track.SECTION_504,
}


@dataclass(frozen=True, kw_only=True)
class Agreement:
    """Who agreed, and when, for the parent and for the district."""

    parent_name: str
    parent_agreed_on: date
    district_name: str
    district_agreed_on: date
    note: str = ""


def _agreement(
    actor: User, student: Student, kind: str, agreed: Agreement, **links: object
) -> ReevaluationAgreement:
    record = ReevaluationAgreement(
        student=student,
        kind=kind,
        parent_name=agreed.parent_name,
        parent_agreed_on=agreed.parent_agreed_on,
        district_name=agreed.district_name,
        district_agreed_on=agreed.district_agreed_on,
        note=agreed.note,
        recorded_by=actor,
        **links,
    )
    _save(record, actor)
    return record


@transaction.atomic
def start_reevaluation(
    *,
    actor: User,
    student: Student,
    kind: str,
    requested_on: date,
    requested_by: str,
    areas_of_concern: Sequence[str],
    description: str,
    early_agreement: Agreement | None = None,
    refusal: NoticeContent | None = None,
) -> Referral:
    """Open a reevaluation; or, for a parent's request within the year, refuse it with notice.

    Returns the reevaluation, closed when `refusal` was given (the notice hangs off it).
    """
    student = (
        Student.objects.select_for_update(of=("self",))
        .select_related("district")
        .get(pk=student.pk)
    )
    require(actor, student, Cap.RUN_EVALUATION)
    decision = queries.latest_eligibility(student)
    track = TRACK_OF_OUTCOME.get(decision.outcome) if decision is not None else None
    if decision is None or track is None:
        raise _refuse(
            "kind",
            _(
                "Only a student found eligible for an IEP or a 504 plan can be reevaluated; "
                "make a referral instead."
            ),
        )
    if kind == ReevaluationKind.SECTION_504_PERIODIC and track != Track.SECTION_504:
        raise _refuse("kind", _("The 504 periodic reevaluation is for a student with a 504 plan."))
    if kind == ReevaluationKind.TRIENNIAL and track != Track.IEP:
        raise _refuse(
            "kind", _("A 504 plan is reevaluated periodically: choose the 504 reevaluation.")
        )
    if requested_on < decision.decided_on:
        raise _refuse(
            "requested_on",
            _("The request (%(day)s) cannot come before the last eligibility decision (%(last)s).")
            % {"day": requested_on, "last": decision.decided_on},
        )
    if queries.open_reevaluation(student) is not None:
        raise _refuse("kind", _("A reevaluation of this student is already in progress."))
    earliest = queries.reevaluation_not_before(student)
    too_soon = earliest is not None and requested_on < earliest.due_on
    if refusal is not None and not (too_soon and kind == ReevaluationKind.PARENT_REQUEST):
        raise _refuse(
            "refuse",
            _(
                "Only a parent's request within a year of the last evaluation is refused here "
                "(34 CFR 300.303(b)(1))."
            ),
        )
    if too_soon and early_agreement is None and refusal is None:
        assert earliest is not None
        message = _(
            "Not more than once a year: the earliest date for a reevaluation is %(day)s "
            "(%(citation)s), unless the parent and the district agree. Record their agreement."
        ) % {"day": earliest.due_on, "citation": earliest.citation}
        if kind == ReevaluationKind.PARENT_REQUEST:
            message += " " + _("Or refuse the parent's request with prior written notice.")
        raise _refuse("requested_on", message)
    if early_agreement is not None and not too_soon:
        raise _refuse(
            "parent_name",
            _("No agreement is needed: the last evaluation is more than a year old."),
        )
    referral = Referral(
        student=student,
        purpose=Purpose.REEVALUATION,
        reevaluation_kind=kind,
        source=SOURCE_OF_KIND.get(kind, ReferralSource.OTHER),
        source_name=requested_by,
        received_on=requested_on,
        areas_of_concern=list(areas_of_concern),
        description=description,
        track=track,
        created_by=actor,
    )
    notice = None
    if refusal is not None:
        assert earliest is not None
        referral.status = ReferralStatus.CLOSED
        referral.closed_reason = _(
            "The request was refused: it came within a year of the last evaluation "
            "(earliest date %(day)s, %(citation)s)."
        ) % {"day": earliest.due_on, "citation": earliest.citation}
    _save(referral, actor)
    agreement = None
    if early_agreement is not None:
        agreement = _agreement(
            actor, student, AgreementKind.EARLY, early_agreement, referral=referral
        )
    if refusal is not None:
        notice = _issue_notice(
            actor=actor,
            student=student,
            referral=referral,
            action=NoticeAction.REFUSES,
            content=refusal,
            issued_on=requested_on,
        )
    audit.record(
        actor=actor,
        action="reevaluation.refused" if refusal is not None else "reevaluation.started",
        student=student,
        target=referral,
        detail={
            "kind": kind,
            "requested_on": requested_on.isoformat(),
            "not_before": earliest.due_on.isoformat() if earliest else None,
            "early_agreement": str(agreement.public_id) if agreement else None,
            "prior_written_notice": str(notice.public_id) if notice else None,
        },
    )
    return referral


@transaction.atomic
def waive_reevaluation(*, actor: User, deadline: Deadline, agreement: Agreement) -> Deadline:
    """The parent and the district agree the triennial is not needed (34 CFR 300.303(b)(2)).

    The waived deadline keeps its date with the status "waived"; the engine counts the next one
    from the agreement, which is stored as a new due deadline. Returns the new one.
    """
    deadline = (
        Deadline.objects.select_for_update(of=("self",))
        .select_related("student__district", "student__school")
        .get(pk=deadline.pk)
    )
    student = deadline.student
    require(actor, student, Cap.RUN_EVALUATION)
    if deadline.kind != DeadlineKind.REEVALUATION:
        raise _refuse(
            "deadline", _("Only the IDEA reevaluation can be waived (34 CFR 300.303(b)(2)).")
        )
    if deadline.met_on is not None or deadline.status_basis != DeadlineBasis.DUE:
        raise _refuse("deadline", _("This reevaluation is already done or waived."))
    if queries.open_reevaluation(student) is not None:
        raise _refuse(
            "deadline",
            _("A reevaluation is in progress; close it before recording a waiver."),
        )
    agreed_on = max(agreement.parent_agreed_on, agreement.district_agreed_on)
    if agreed_on < deadline.trigger_on:
        raise _refuse(
            "parent_agreed_on",
            _("The agreement (%(day)s) cannot come before the last evaluation (%(last)s).")
            % {"day": agreed_on, "last": deadline.trigger_on},
        )
    decision = queries.latest_eligibility(student)
    disability = _engine_disability(decision.primary_category) if decision is not None else None
    try:
        profile = engine.load_profile(deadline.state)
        result = engine.compute(
            engine.Rule.REEVALUATION,
            profile,
            deadline.trigger_on,
            waiver=agreed_on,
            disability=disability,
        )
    except engine.InvalidInput as error:
        raise _refuse("deadline", str(error)) from None
    record = _agreement(actor, student, AgreementKind.WAIVER, agreement, deadline=deadline)
    deadlines.waive_deadline(deadline, explanation=result.explanation, actor=actor)
    following = deadlines.store_deadline(
        student=student,
        kind=DeadlineKind.REEVALUATION,
        state=result.state,
        trigger_on=agreed_on,
        due_on=result.due,
        citation=result.citation,
        explanation=result.explanation,
        source=record,
        actor=actor,
    )
    audit.record(
        actor=actor,
        action="reevaluation.waived",
        student=student,
        target=record,
        detail={
            "waived_due": deadline.due_on.isoformat(),
            "agreed_on": agreed_on.isoformat(),
            "next_due": following.due_on.isoformat(),
        },
    )
    return following


@transaction.atomic
def record_consent_attempt(
    *, actor: User, consent: Consent, attempted_on: date, method: str, note: str
) -> ConsentAttempt:
    """One of the reasonable efforts to reach a parent who has not answered (300.322(d))."""
    consent = (
        Consent.objects.select_for_update(of=("self",)).select_related("student").get(pk=consent.pk)
    )
    require(actor, consent.student, Cap.RUN_EVALUATION)
    if consent.response != ConsentResponse.PENDING:
        raise _refuse("attempted_on", _("The parent's answer is already recorded."))
    if attempted_on < consent.sent_on:
        raise _refuse(
            "attempted_on",
            _("An attempt (%(day)s) cannot come before the request was sent (%(sent)s).")
            % {"day": attempted_on, "sent": consent.sent_on},
        )
    attempt = ConsentAttempt(
        consent=consent, attempted_on=attempted_on, method=method, note=note, recorded_by=actor
    )
    _save(attempt, actor)
    audit.record(
        actor=actor,
        action="consent.attempt_recorded",
        student=consent.student,
        target=attempt,
        detail={"method": method, "attempted_on": attempted_on.isoformat()},
    )
    return attempt
