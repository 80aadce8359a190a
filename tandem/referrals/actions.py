"""The only write path for referral to eligibility: checked, validated, audited, in one transaction.

Every action takes the acting user first and refuses, changing nothing, when the user may not
change the student's record (404 when they may not even see it, as elsewhere) or when the input
breaks a rule (a ValidationError keyed by field name).

This module holds the referral, its documents, the case review and prior written notice;
consent is in `actions_consent.py`, the evaluation and eligibility in `actions_evaluation.py`
(their actions are named here too, for the callers that take every step from one module).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from tandem import audit
from tandem.access.capabilities import Cap
from tandem.access.policy import require
from tandem.accounts.models import User
from tandem.compliance import actions as deadlines
from tandem.people.models import (
    Student,
)
from tandem.referrals.actions_common import (
    DOCX,
    MAX_UPLOAD_BYTES,
    UPLOAD_TYPES,
    NoticeContent,
    _answer_referral,
    _issue_notice,
    _lock_referral,
    _refuse,
    _require_open,
    _save,
    _sniff,
    check_upload,
)
from tandem.referrals.actions_consent import (
    EVALUATION_CONSENT_KINDS,
    EVALUATION_KINDS,
    carry_consent_to_referral,
    record_consent_response,
    request_consent,
)
from tandem.referrals.actions_evaluation import (
    REEVALUATION_KINDS,
    add_assessment,
    add_to_assessment_plan,
    complete_assessment,
    complete_evaluation_report,
    decide_eligibility,
    mark_eligibility_notice_sent,
    may_record,
    plan_assessments,
    reopen_assessment,
    reopen_refusal,
    require_evaluator,
)
from tandem.referrals.models import (
    CaseReview,
    CaseReviewDecision,
    DeadlineKind,
    Evidence,
    NoticeAction,
    PriorWrittenNotice,
    Referral,
    ReferralSource,
    ReferralStatus,
    Track,
)
from tandem.rules import deadlines as engine

# How far before a school year's first day its calendar is used (the summer before it).
_SUMMER_BEFORE = timedelta(days=120)


log = logging.getLogger(__name__)


# Kept for the family portal's consent signature until it calls the compliance actions itself.
_store_deadline = deadlines.compute_deadline


@transaction.atomic
def create_referral(
    *,
    actor: User,
    student: Student,
    source: str,
    received_on: date,
    areas_of_concern: Sequence[str],
    description: str,
    source_name: str = "",
    track: str = Track.UNDECIDED,
) -> Referral:
    """Record a concern raised about a student (lifecycle step 1)."""
    require(actor, student, Cap.START_REFERRAL)
    referral = Referral(
        student=student,
        source=source,
        source_name=source_name,
        received_on=received_on,
        areas_of_concern=list(areas_of_concern),
        description=description,
        track=track,
        created_by=actor,
    )
    _save(referral, actor)
    _start_assessment_plan_clock(referral, actor)
    audit.record(
        actor=actor,
        action="referral.created",
        student=student,
        target=referral,
        detail={"source": source, "areas_of_concern": list(areas_of_concern)},
    )
    return referral


def _start_assessment_plan_clock(referral: Referral, actor: User) -> None:
    """Where the state sets a clock for answering a referral (California: a proposed assessment
    plan within 15 days, Cal. Educ. Code 56321(a)), store it from the day the referral came in."""
    student = referral.student
    if referral.track == Track.SECTION_504 or referral.is_reevaluation:
        return
    try:
        has_clock = engine.load_profile(student.district.state).has(engine.Rule.ASSESSMENT_PLAN)
    except engine.InvalidInput:
        return
    if not has_clock:
        return
    try:
        with transaction.atomic():
            deadlines.compute_deadline(
                actor=actor,
                student=student,
                kind=DeadlineKind.ASSESSMENT_PLAN,
                trigger=referral.received_on,
                source=referral,
                field="received_on",
            )
    except ValidationError:
        # No calendar covers the day yet: a concern is never refused for that. The district's
        # deadline page lists referrals without an answer date until the calendar is added.
        log.warning("no calendar to count the assessment-plan clock of referral %s", referral.pk)


@transaction.atomic
def add_evidence(
    *, actor: User, referral: Referral, kind: str, upload: UploadedFile, summary: str = ""
) -> Evidence:
    """Attach a document to a referral after checking its type (name and content) and size."""
    referral = _lock_referral(referral)
    require(actor, referral.student, Cap.START_REFERRAL)
    original_name, content_type = _sniff(upload)
    evidence = Evidence(
        referral=referral,
        kind=kind,
        summary=summary,
        original_name=original_name[:255],
        content_type=content_type,
        size=upload.size or 0,
        uploaded_by=actor,
    )
    evidence.full_clean(exclude=["file"])
    evidence.file.save(original_name, upload, save=False)
    try:
        evidence.save()
        audit.record(
            actor=actor,
            action="referral.evidence_added",
            student=referral.student,
            target=evidence,
            detail={"kind": kind, "content_type": content_type, "size": evidence.size},
        )
    except Exception:
        evidence.file.delete(save=False)  # the rollback does not remove files
        raise
    return evidence


@transaction.atomic
def _open_with_evidence(
    *,
    actor: User,
    student: Student,
    evidence: Iterable[dict[str, Any]],
    stored: list[Evidence],
    **fields: Any,
) -> Referral:
    referral = create_referral(actor=actor, student=student, **fields)
    for row in evidence:
        if row.get("file"):
            stored.append(
                add_evidence(
                    actor=actor,
                    referral=referral,
                    kind=row["kind"],
                    upload=row["file"],
                    summary=row.get("summary", ""),
                )
            )
    return referral


def open_referral(
    *, actor: User, student: Student, evidence: Iterable[dict[str, Any]] = (), **fields: Any
) -> Referral:
    """A referral with the documents behind it (rows of `kind`, `file`, `summary`), all or
    nothing: on a refusal no row is kept and no file stays in storage."""
    stored: list[Evidence] = []
    try:
        return _open_with_evidence(
            actor=actor, student=student, evidence=evidence, stored=stored, **fields
        )
    except Exception:
        for item in stored:  # the rollback does not remove files
            item.file.delete(save=False)
        raise


def decisions_refusing_parent(referral: Referral) -> tuple[str, ...]:
    """The case-review decisions that refuse a parent's request to evaluate (300.503(a)(2)).

    Not evaluating refuses it; so does moving to a 504 plan instead, unless the parent asked for
    a 504 plan in the first place.
    """
    if referral.source != ReferralSource.PARENT:
        return ()
    refusing = [CaseReviewDecision.NO_ACTION, CaseReviewDecision.GENERAL_EDUCATION_INTERVENTION]
    if referral.track != Track.SECTION_504:
        refusing.append(CaseReviewDecision.GATHER_504_INFORMATION)
    return tuple(refusing)


@transaction.atomic
def record_case_review(
    *,
    actor: User,
    referral: Referral,
    decided_on: date,
    decision: str,
    reason: str,
    notice: NoticeContent | None = None,
) -> CaseReview:
    """Decide what to do with a referral; refusing a parent's request for evaluation needs PWN."""
    referral = _lock_referral(referral)
    require(actor, referral.student, Cap.RUN_EVALUATION)
    _require_open(referral, ReferralStatus.OPEN)
    if hasattr(referral, "case_review"):
        raise _refuse("referral", _("This referral already has a case review."))
    if decided_on < referral.received_on:
        raise _refuse(
            "decided_on",
            _("The review (%(day)s) cannot come before the referral was received (%(received)s).")
            % {"day": decided_on, "received": referral.received_on},
        )
    not_evaluating = decision in (
        CaseReviewDecision.NO_ACTION,
        CaseReviewDecision.GENERAL_EDUCATION_INTERVENTION,
    )
    refuses_parent = decision in decisions_refusing_parent(referral)
    if refuses_parent and notice is None:
        raise _refuse(
            "notice",
            _(
                "The parent asked for an evaluation; refusing it needs prior written notice "
                "(34 CFR 300.503). Give its seven elements."
            )
            if not_evaluating
            else _(
                "The parent asked for a special-education evaluation; gathering information for "
                "a 504 plan instead refuses it, and needs prior written notice (34 CFR 300.503). "
                "Give its seven elements."
            ),
        )
    review = CaseReview(
        referral=referral, decided_on=decided_on, decision=decision, reason=reason, decided_by=actor
    )
    _save(review, actor)
    issued = None
    if refuses_parent:
        assert notice is not None
        issued = _issue_notice(
            actor=actor,
            student=referral.student,
            referral=referral,
            action=NoticeAction.REFUSES,
            content=notice,
            issued_on=decided_on,
        )
    if decision == CaseReviewDecision.EVALUATE_SPECIAL_EDUCATION:
        referral.track = Track.IEP
    elif decision == CaseReviewDecision.GATHER_504_INFORMATION:
        referral.track = Track.SECTION_504
    elif not_evaluating:
        referral.status = ReferralStatus.CLOSED
        referral.closed_reason = reason
    _save(referral, actor)
    audit.record(
        actor=actor,
        action="referral.case_reviewed",
        student=referral.student,
        target=review,
        detail={
            "decision": decision,
            "prior_written_notice": str(issued.public_id) if issued else None,
        },
    )
    return review


@transaction.atomic
def issue_prior_written_notice(
    *,
    actor: User,
    student: Student,
    action: str,
    content: NoticeContent,
    issued_on: date,
    referral: Referral | None = None,
    proposed_action_on: date | None = None,
) -> PriorWrittenNotice:
    """Record prior written notice of an action proposed or refused (34 CFR 300.503).

    A proposal with the day the school would act puts the notice's "send by" date in the
    deadlines view, met on the day of the notice (late if it went out after that date).
    """
    require(actor, student, Cap.RUN_EVALUATION)
    if referral is not None and referral.student_id != student.pk:
        raise _refuse("referral", _("The referral is for another student."))
    if action != NoticeAction.PROPOSES:
        proposed_action_on = None  # a refusal announces no action to count back from
    notice = _issue_notice(
        actor=actor,
        student=student,
        referral=referral,
        action=action,
        content=content,
        issued_on=issued_on,
    )
    if proposed_action_on is not None:
        notice.proposed_action_on = proposed_action_on
        notice.save(update_fields=["proposed_action_on"])
        deadline = deadlines.compute_deadline(
            student=student,
            kind=DeadlineKind.PRIOR_WRITTEN_NOTICE,
            trigger=proposed_action_on,
            source=notice,
            field="proposed_action_on",
            actor=actor,
        )
        deadlines.meet_deadline(deadline, on=issued_on, actor=actor)
    if referral is not None and action == NoticeAction.REFUSES:
        _answer_referral(referral, issued_on, actor)
    audit.record(
        actor=actor,
        action="notice.issued",
        student=student,
        target=notice,
        detail={"action": action, "language": content.language},
    )
    return notice


# The steps of consent and the evaluation are named here too, for callers that take every
# step of a referral from this one module (the demo, the portal, tests).
__all__ = [
    "DOCX",
    "EVALUATION_CONSENT_KINDS",
    "EVALUATION_KINDS",
    "MAX_UPLOAD_BYTES",
    "NoticeContent",
    "REEVALUATION_KINDS",
    "UPLOAD_TYPES",
    "add_assessment",
    "add_evidence",
    "add_to_assessment_plan",
    "carry_consent_to_referral",
    "check_upload",
    "complete_assessment",
    "complete_evaluation_report",
    "create_referral",
    "decide_eligibility",
    "decisions_refusing_parent",
    "issue_prior_written_notice",
    "log",
    "mark_eligibility_notice_sent",
    "may_record",
    "open_referral",
    "plan_assessments",
    "record_case_review",
    "record_consent_response",
    "reopen_assessment",
    "reopen_refusal",
    "request_consent",
    "require_evaluator",
]
