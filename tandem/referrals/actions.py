"""The only write path for referral to eligibility: checked, validated, audited, in one transaction.

Every action takes the acting user first and refuses, changing nothing, when the user may not
change the student's record (404 when they may not even see it, as elsewhere) or when the input
breaks a rule (a ValidationError keyed by field name).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from datetime import date, timedelta
from pathlib import PurePath
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem import audit
from tandem.access.capabilities import Cap
from tandem.access.gatekeepers import ASSESSMENT_REOPENER, is_owner
from tandem.access.policy import Need, require
from tandem.accounts.models import Language, User
from tandem.audit.catalogue import Action
from tandem.compliance import actions as deadlines
from tandem.core import clock
from tandem.people.models import (
    WRITING_TEAM_ROLES,
    Role,
    Staff,
    StaffRole,
    Student,
    TeamMembership,
    TeamRole,
)
from tandem.referrals import eligibility_group as group
from tandem.referrals import queries
from tandem.referrals.models import (
    AreaOfConcern,
    Assessment,
    AssessmentArea,
    AssessmentPlan,
    CaseReview,
    CaseReviewDecision,
    Consent,
    ConsentKind,
    ConsentMethod,
    ConsentResponse,
    Deadline,
    DeadlineBasis,
    DeadlineKind,
    EligibilityDecision,
    EligibilityOutcome,
    EvaluationReport,
    Evidence,
    NoticeAction,
    PriorWrittenNotice,
    Referral,
    ReferralSource,
    ReferralStatus,
    Track,
)
from tandem.rules import deadlines as engine

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
# extension -> (magic prefix, content type); TXT has no magic and is sniffed as UTF-8 text.
UPLOAD_TYPES: dict[str, tuple[bytes, str]] = {
    ".pdf": (b"%PDF", "application/pdf"),
    ".png": (b"\x89PNG\r\n\x1a\n", "image/png"),
    ".jpg": (b"\xff\xd8\xff", "image/jpeg"),
    ".jpeg": (b"\xff\xd8\xff", "image/jpeg"),
    ".docx": (b"PK\x03\x04", DOCX),
    ".txt": (b"", "text/plain"),
}
_SNIFF_BYTES = 2048
# How far before a school year's first day its calendar is used (the summer before it).
_SUMMER_BEFORE = timedelta(days=120)

log = logging.getLogger(__name__)


@dataclass(frozen=True, kw_only=True)
class NoticeContent:
    """The seven elements of prior written notice (34 CFR 300.503(b)), in the parent's language."""

    action_described: str
    reasons: str
    evaluation_basis: str
    procedural_safeguards_statement: str
    sources_of_help: str
    options_considered: str
    other_factors: str
    language: str = Language.ENGLISH


# --- helpers ----------------------------------------------------------------------------------


def _save(instance: Model, actor: User, *, exclude: Iterable[str] = ()) -> None:
    instance.full_clean(exclude=list(exclude))
    instance._history_user = actor  # type: ignore[attr-defined]
    instance.save()


def _refuse(field: str, message: str) -> ValidationError:
    return ValidationError({field: message})


def _not_future(field: str, day: date | None) -> None:
    """A date that records something done cannot be after today (it would lock later steps)."""
    if day is not None and day > clock.today():
        raise _refuse(
            field,
            _("%(day)s is in the future; give the date it actually happened.") % {"day": day},
        )


def _lock_referral(referral: Referral) -> Referral:
    return (
        Referral.objects.select_for_update(of=("self",))
        .select_related("student")
        .get(pk=referral.pk)
    )


def _require_open(referral: Referral, *statuses: str) -> None:
    if referral.status not in statuses:
        raise _refuse(
            "referral",
            _("This referral is %(status)s; this step is not possible now.")
            % {"status": referral.get_status_display()},
        )


# Kept for the family portal's consent signature until it calls the compliance actions itself.
_store_deadline = deadlines.compute_deadline


EVALUATION_KINDS = (DeadlineKind.INITIAL_EVALUATION, DeadlineKind.SECTION_504_EVALUATION)


def _evaluation_deadline(consent: Consent, received_on: date, actor: User | None) -> Deadline:
    """The evaluation's clock from consent: IDEA's (300.301(c)), or the district's for a 504
    evaluation ("reasonable time", 34 CFR 104.35), which IDEA's clock does not bind."""
    referral = consent.referral
    review = getattr(referral, "case_review", None)
    is_504 = referral.track == Track.SECTION_504 or (
        review is not None and review.decision == CaseReviewDecision.GATHER_504_INFORMATION
    )
    if is_504:
        kind, options = DeadlineKind.SECTION_504_EVALUATION, {}
    else:
        # California's end-of-year rule keys on the referral (Cal. Educ. Code 56344(a)).
        kind, options = DeadlineKind.INITIAL_EVALUATION, {"referral": referral.received_on}
    return deadlines.compute_deadline(
        actor=actor,
        student=consent.student,
        kind=kind,
        trigger=received_on,
        source=consent,
        field="received_on",
        **options,
    )


def _initial_evaluation_deadline(referral: Referral) -> Deadline | None:
    consent_ids = [
        str(pid)
        for pid in referral.consents.filter(kind=ConsentKind.INITIAL_EVALUATION).values_list(
            "public_id", flat=True
        )
    ]
    return (
        Deadline.objects.filter(
            student_id=referral.student_id,
            kind__in=EVALUATION_KINDS,
            source_type=Consent._meta.label_lower,
            source_id__in=consent_ids,
        )
        .order_by("-computed_at")
        .first()
    )


def check_upload(upload: UploadedFile) -> tuple[str, str]:
    """The checked name and content type of an upload, or a ValidationError on `file`."""
    return _sniff(upload)


def _sniff(upload: UploadedFile) -> tuple[str, str]:
    """The checked extension and content type of an upload, or a ValidationError on `file`."""
    name = PurePath(upload.name or "").name
    extension = PurePath(name).suffix.lower()
    if extension not in UPLOAD_TYPES:
        raise _refuse(
            "file",
            _("Upload a PDF, PNG, JPEG, Word (.docx) or text file; %(name)s is not one.")
            % {"name": name},
        )
    if upload.size is None or upload.size == 0:
        raise _refuse("file", _("The file is empty."))
    if upload.size > MAX_UPLOAD_BYTES:
        raise _refuse(
            "file",
            _("The file is %(size).1f MB; the limit is 10 MB.") % {"size": upload.size / 1048576},
        )
    upload.seek(0)
    head = upload.read(_SNIFF_BYTES)
    upload.seek(0)
    magic, content_type = UPLOAD_TYPES[extension]
    # TXT has no magic: accept it only if it reads as text.
    matches = head.startswith(magic) if magic else b"\x00" not in head and _is_text(head)
    if not matches:
        raise _refuse(
            "file",
            _("%(name)s does not contain what its name says (%(ext)s).")
            % {"name": name, "ext": extension},
        )
    return name, content_type


def _is_text(head: bytes) -> bool:
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character cut at the sniff boundary is still text.
        return error.start >= len(head) - 3
    return True


# --- referral and evidence --------------------------------------------------------------------


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


def _answer_referral(referral: Referral, on: date, actor: User) -> None:
    """The referral was answered: an assessment plan sent for consent, or a refusal noticed."""
    deadlines.meet_deadlines(
        kinds=[DeadlineKind.ASSESSMENT_PLAN], source=referral, on=on, actor=actor
    )


@transaction.atomic
def add_evidence(
    *, actor: User, referral: Referral, kind: str, upload: UploadedFile, summary: str = ""
) -> Evidence:
    """Attach a document to a referral after checking its type (name and content) and size."""
    referral = _lock_referral(referral)
    require(actor, referral.student, Need.WRITE)
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


# --- case review and notice -------------------------------------------------------------------


def _issue_notice(
    *,
    actor: User,
    student: Student,
    referral: Referral | None,
    action: str,
    content: NoticeContent,
    issued_on: date,
) -> PriorWrittenNotice:
    notice = PriorWrittenNotice(
        student=student,
        referral=referral,
        action=action,
        issued_on=issued_on,
        issued_by=actor,
        **asdict(content),
    )
    _save(notice, actor)
    return notice


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
    require(actor, referral.student, Need.WRITE)
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
    require(actor, student, Need.WRITE)
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


# --- consent ----------------------------------------------------------------------------------


@transaction.atomic
def request_consent(
    *, actor: User, referral: Referral, kind: str, sent_on: date, method: str
) -> Consent:
    """Send the parent a consent request; initial evaluation follows the review and the PWN."""
    referral = _lock_referral(referral)
    require(actor, referral.student, Need.WRITE)
    _require_open(referral, ReferralStatus.OPEN, ReferralStatus.IN_EVALUATION)
    if referral.is_reevaluation:
        if kind != ConsentKind.REEVALUATION:
            raise _refuse("kind", _("For a reevaluation, ask for consent to reevaluate."))
        # CONSENT-04 after notice proposing the reevaluation (300.503(a)), as for the first.
        if (
            referral.track == Track.IEP
            and not referral.notices.filter(
                action=NoticeAction.PROPOSES, issued_on__lte=sent_on
            ).exists()
        ):
            raise _refuse(
                "sent_on",
                _(
                    "Issue prior written notice proposing the reevaluation before asking "
                    "for consent."
                ),
            )
    elif kind == ConsentKind.REEVALUATION:
        raise _refuse("kind", _("Consent to reevaluate is asked on a reevaluation."))
    if kind == ConsentKind.INITIAL_EVALUATION:
        review = getattr(referral, "case_review", None)
        if review is None or review.decision not in (
            CaseReviewDecision.EVALUATE_SPECIAL_EDUCATION,
            CaseReviewDecision.GATHER_504_INFORMATION,
        ):
            raise _refuse(
                "referral", _("The case review has not decided to evaluate this student.")
            )
        # CONSENT-01: consent to evaluate is sought after prior written notice (300.503).
        if (
            review.decision == CaseReviewDecision.EVALUATE_SPECIAL_EDUCATION
            and not referral.notices.filter(
                action=NoticeAction.PROPOSES, issued_on__lte=sent_on
            ).exists()
        ):
            raise _refuse(
                "sent_on",
                _("Issue prior written notice proposing the evaluation before asking for consent."),
            )
    consent = Consent(
        student=referral.student, referral=referral, kind=kind, sent_on=sent_on, method=method
    )
    _save(consent, actor)
    if kind == ConsentKind.INITIAL_EVALUATION:
        _answer_referral(referral, sent_on, actor)
    audit.record(
        actor=actor,
        action="consent.requested",
        student=referral.student,
        target=consent,
        detail={"kind": kind, "method": method},
    )
    return consent


@transaction.atomic
def record_consent_response(
    *,
    actor: User,
    consent: Consent,
    response: str,
    received_on: date,
    partial_note: str = "",
    refused_reason: str = "",
    document: UploadedFile | None = None,
    areas_agreed: Sequence[str] | None = None,
) -> Consent:
    """Record the parent's answer; given consent to evaluate starts the evaluation clock.

    A partial consent to evaluate names the areas of concern agreed (`areas_agreed`); the others
    are refused, and the evaluation goes ahead on the agreed ones.
    """
    consent = (
        Consent.objects.select_for_update(of=("self",))
        .select_related("student__district", "student__school", "referral")
        .get(pk=consent.pk)
    )
    student = consent.student
    require(actor, student, Need.WRITE)
    if consent.response != ConsentResponse.PENDING:
        raise _refuse("response", _("The answer to this request is already recorded."))
    if response == ConsentResponse.PENDING:
        raise _refuse("response", _("Record the parent's answer: given, refused or partial."))
    _not_future("received_on", received_on)
    if (
        response == ConsentResponse.NO_RESPONSE
        and not consent.attempts.filter(attempted_on__lte=received_on).exists()
    ):
        raise _refuse(
            "response",
            _(
                "Record the reasonable efforts to reach the parent first "
                "(34 CFR 300.300(c)(2)(i), 300.322(d))."
            ),
        )
    consent.response = response
    consent.received_on = received_on
    consent.partial_note = partial_note
    consent.refused_reason = refused_reason
    _set_consented_areas(consent, areas_agreed)
    consent.full_clean(exclude=["document"])
    if document is not None:
        _sniff(document)
    deadline = carry_consent_to_referral(actor=actor, consent=consent)
    if document is not None:
        consent.document.save(document.name or "consent", document, save=False)
    consent._history_user = actor  # type: ignore[attr-defined]
    try:
        consent.save()
        audit.record(
            actor=actor,
            action="consent.response_recorded",
            student=student,
            target=consent,
            detail={
                "kind": consent.kind,
                "response": response,
                "deadline_due": deadline.due_on.isoformat() if deadline else None,
            },
        )
    except Exception:
        if document is not None:
            consent.document.delete(save=False)
        raise
    return consent


EVALUATION_CONSENT_KINDS = (ConsentKind.INITIAL_EVALUATION, ConsentKind.REEVALUATION)


def _set_consented_areas(consent: Consent, areas_agreed: Sequence[str] | None) -> None:
    """On a partial consent to evaluate: the areas agreed and refused, out of the referral's."""
    consent.areas_agreed = []
    consent.areas_refused = []
    referral = consent.referral
    if (
        consent.response != ConsentResponse.PARTIAL
        or consent.kind not in EVALUATION_CONSENT_KINDS
        or referral is None
    ):
        return
    areas = [str(a) for a in referral.areas_of_concern]
    agreed = [a for a in areas if a in set(areas_agreed or ())]
    unknown = sorted(set(areas_agreed or ()) - set(areas))
    if unknown:
        raise _refuse("areas_agreed", _("Choose only areas of concern of this referral."))
    if not agreed:
        raise _refuse(
            "areas_agreed", _("Choose the areas of concern the parent consented to evaluate.")
        )
    if len(agreed) == len(areas):
        raise _refuse(
            "areas_agreed",
            _("The parent agreed to every area: record the consent as given, not partial."),
        )
    consent.areas_agreed = agreed
    consent.areas_refused = [a for a in areas if a not in agreed]
    if not consent.partial_note.strip():
        labels = dict(AreaOfConcern.choices)
        consent.partial_note = _("Consented to: %(given)s. Not consented to: %(refused)s.") % {
            "given": "; ".join(str(labels.get(a, a)) for a in consent.areas_agreed),
            "refused": "; ".join(str(labels.get(a, a)) for a in consent.areas_refused),
        }


def carry_consent_to_referral(*, actor: User, consent: Consent) -> Deadline | None:
    """Move the consent's referral on from the answer just recorded on `consent` (not saved).

    Refused closes the referral; consent to evaluate, given in full or in part (the agreed
    areas), starts the evaluation and its legal clock from the day it was received
    (300.301(c)(1)); a reevaluation may also go ahead without an answer after reasonable efforts
    (300.300(c)(2)). Shared by staff recording the answer and the parent signing online.
    """
    referral = consent.referral
    if referral is None:
        return None
    referral = _lock_referral(referral)
    response = consent.response
    evaluates = consent.kind in EVALUATION_CONSENT_KINDS and response in (
        ConsentResponse.GIVEN,
        ConsentResponse.PARTIAL,
    )
    if response == ConsentResponse.REFUSED:
        referral.status = ReferralStatus.CLOSED
        referral.closed_reason = consent.refused_reason
        _save(referral, actor)
    elif evaluates or (
        consent.kind == ConsentKind.REEVALUATION and response == ConsentResponse.NO_RESPONSE
    ):
        referral.status = ReferralStatus.IN_EVALUATION
        _save(referral, actor)
    if evaluates and consent.kind == ConsentKind.INITIAL_EVALUATION:
        # 300.301(c)(1): counted from the day the agency receives consent.
        return _evaluation_deadline(consent, consent.received_on, actor)
    return None


# --- evaluation -------------------------------------------------------------------------------


@transaction.atomic
def plan_assessments(*, actor: User, referral: Referral, created_on: date) -> AssessmentPlan:
    """Open the assessment plan of a referral whose evaluation consent was given."""
    referral = _lock_referral(referral)
    require(actor, referral.student, Need.WRITE)
    _require_open(referral, ReferralStatus.IN_EVALUATION)
    if hasattr(referral, "assessment_plan"):
        raise _refuse("referral", _("This referral already has an assessment plan."))
    plan = AssessmentPlan(referral=referral, created_on=created_on)
    _save(plan, actor)
    audit.record(actor=actor, action="evaluation.planned", student=referral.student, target=plan)
    return plan


@transaction.atomic
def add_assessment(
    *,
    actor: User,
    plan: AssessmentPlan,
    area: str,
    evaluator: Staff,
    due_on: date,
    instrument: str = "",
    today: date | None = None,
) -> Assessment:
    """Assign one assessment to an evaluator, due no later than the legal deadline.

    The evaluator joins the student's team for the evaluation (COMPLIANCE §7.2), so that they
    can open the record and record the results.
    """
    plan = AssessmentPlan.objects.select_related("referral__student").get(pk=plan.pk)
    referral = _lock_referral(plan.referral)
    require(actor, referral.student, Need.WRITE)
    _require_open(referral, ReferralStatus.IN_EVALUATION)
    day = today or timezone.localdate()
    if not (
        StaffRole.objects.active_on(day)
        .filter(staff=evaluator, district_id=referral.student.district_id)
        .exists()
    ):
        raise _refuse("evaluator", _("Choose an evaluator who works in the student's district."))
    if due_on < plan.created_on:
        raise _refuse(
            "due_on",
            _("An assessment cannot be due (%(due)s) before the plan was made (%(made)s).")
            % {"due": due_on, "made": plan.created_on},
        )
    if area in queries.refused_assessment_areas(referral):
        raise _refuse(
            "area",
            _(
                "The parent did not consent to evaluate %(area)s: the consent covers only "
                "%(agreed)s (34 CFR 300.300)."
            )
            % {
                "area": AssessmentArea(area).label,
                "agreed": queries.consented_areas_words(referral),
            },
        )
    legal = _initial_evaluation_deadline(referral)
    if legal is not None and due_on > legal.due_on:
        raise _refuse(
            "due_on",
            _(
                "The evaluation is legally due %(legal)s (%(citation)s); an assessment due "
                "%(due)s would miss it."
            )
            % {"legal": legal.due_on, "citation": legal.citation, "due": due_on},
        )
    assessment = Assessment(
        plan=plan, area=area, evaluator=evaluator, due_on=due_on, instrument=instrument
    )
    _save(assessment, actor)
    membership = _join_evaluation_team(
        student=referral.student, evaluator=evaluator, area=area, day=min(day, plan.created_on)
    )
    audit.record(
        actor=actor,
        action="assessment.added",
        student=referral.student,
        target=assessment,
        detail={
            "area": area,
            "evaluator": str(evaluator.public_id),
            "due_on": due_on.isoformat(),
            "team_role_added": membership.role if membership else None,
        },
    )
    return assessment


# The team role an evaluator takes for an area, when they hold no evaluator role.
_AREA_TEAM_ROLE = {
    AssessmentArea.SPEECH_LANGUAGE: TeamRole.SPEECH_LANGUAGE,
    AssessmentArea.OCCUPATIONAL_THERAPY: TeamRole.OCCUPATIONAL_THERAPIST,
    AssessmentArea.PHYSICAL_THERAPY: TeamRole.PHYSICAL_THERAPIST,
    AssessmentArea.HEALTH: TeamRole.NURSE,
    AssessmentArea.ACADEMIC: TeamRole.SPECIAL_EDUCATION_TEACHER,
}


def _join_evaluation_team(
    *, student: Student, evaluator: Staff, area: str, day: date
) -> TeamMembership | None:
    """An active team membership for the evaluator, unless they already may change the record."""
    if (
        TeamMembership.objects.active_on(day)
        .filter(staff=evaluator, student=student, role__in=WRITING_TEAM_ROLES)
        .exists()
    ):
        return None
    if StaffRole.objects.filter(staff=evaluator, role=Role.EVALUATOR).exists():
        role = TeamRole.PSYCHOLOGIST
    else:
        role = _AREA_TEAM_ROLE.get(AssessmentArea(area), TeamRole.OTHER)
    # Already on the team in this role (from a date after `day`, or open-ended): one row per
    # person and role, never a second (the team list would show the evaluator twice).
    if (
        TeamMembership.objects.filter(staff=evaluator, student=student, role=role)
        .exclude(end_date__lt=day)
        .exists()
    ):
        return None
    membership = TeamMembership(staff=evaluator, student=student, role=role, start_date=day)
    membership.full_clean()
    membership.save()
    return membership


@transaction.atomic
def complete_assessment(
    *,
    actor: User,
    assessment: Assessment,
    completed_on: date,
    summary: str,
    scores: dict[str, Any] | None = None,
    instrument: str | None = None,
) -> Assessment:
    """Record an assessment's results."""
    assessment = (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("plan__referral__student")
        .get(pk=assessment.pk)
    )
    student = assessment.plan.referral.student
    require(actor, student, Need.WRITE)
    if assessment.completed_on is not None:
        raise _refuse("completed_on", _("This assessment is already complete."))
    _not_future("completed_on", completed_on)
    if completed_on < assessment.plan.created_on:
        raise _refuse(
            "completed_on",
            _("An assessment cannot be completed (%(day)s) before the plan was made (%(made)s).")
            % {"day": completed_on, "made": assessment.plan.created_on},
        )
    if not summary.strip():
        raise _refuse("summary", _("Summarise the results."))
    assessment.completed_on = completed_on
    assessment.summary = summary
    assessment.scores = scores or {}
    if instrument is not None:
        assessment.instrument = instrument
    _save(assessment, actor)
    audit.record(
        actor=actor,
        action="assessment.completed",
        student=student,
        target=assessment,
        detail={"area": assessment.area, "completed_on": completed_on.isoformat()},
    )
    return assessment


def reopen_refusal(assessment: Assessment) -> ValidationError | None:
    """Why this assessment cannot be reopened now (keyed by field), or None when it can.

    Only a completed assessment, and only while the evaluation runs: once the evaluation report
    is written it rests on the results, and once eligibility is decided the evaluation is over.
    """
    referral = assessment.plan.referral
    if assessment.completed_on is None:
        return _refuse(
            "completed_on", _("This assessment is not complete; there is nothing to reopen.")
        )
    if hasattr(referral, "evaluation_report") or referral.status != ReferralStatus.IN_EVALUATION:
        return _refuse(
            "referral",
            _("The evaluation report is written; an assessment it rests on cannot be reopened."),
        )
    return None


@transaction.atomic
def reopen_assessment(*, actor: User, assessment: Assessment, reason: str) -> Assessment:
    """Reopen an assessment recorded by mistake: its evaluator, or who runs the evaluation.

    The results are cleared for re-entry; the field history keeps what was recorded, and the
    audit event keeps why it was reopened. Who may: `ASSESSMENT_REOPENER` (the access policy).
    """
    assessment = (
        Assessment.objects.select_for_update(of=("self",))
        .select_related("plan__referral__student", "evaluator")
        .get(pk=assessment.pk)
    )
    referral = assessment.plan.referral
    student = referral.student
    decision = require(actor, student, Cap.RECORD_ASSESSMENT)
    unless = ASSESSMENT_REOPENER.unless
    may = decision.is_leader or (unless is not None and decision.has(unless))
    if not may and not is_owner(actor, assessment, ASSESSMENT_REOPENER.field):
        raise PermissionDenied
    refusal = reopen_refusal(assessment)
    if refusal is not None:
        raise refusal
    if not reason.strip():
        raise _refuse("reason", _("Say why the assessment is reopened."))
    was = assessment.completed_on
    assert was is not None
    assessment.completed_on = None
    assessment._change_reason = reason.strip()[:100]  # type: ignore[attr-defined]
    _save(assessment, actor)
    audit.record(
        actor=actor,
        action=Action.ASSESSMENT__REOPENED,
        student=student,
        target=assessment,
        detail={
            "area": assessment.area,
            "was_completed_on": was.isoformat(),
            "reason": reason.strip(),
        },
    )
    return assessment


@transaction.atomic
def complete_evaluation_report(
    *, actor: User, referral: Referral, completed_on: date, summary: str
) -> EvaluationReport:
    """Write the evaluation report once every planned assessment is complete."""
    referral = _lock_referral(referral)
    require(actor, referral.student, Need.WRITE)
    _require_open(referral, ReferralStatus.IN_EVALUATION)
    if hasattr(referral, "evaluation_report"):
        raise _refuse("referral", _("This referral already has an evaluation report."))
    _not_future("completed_on", completed_on)
    plan = getattr(referral, "assessment_plan", None)
    assessments = list(plan.assessments.all()) if plan is not None else []
    if not assessments:
        raise _refuse("assessments", _("Plan and complete the assessments first."))
    open_ = [a for a in assessments if a.completed_on is None]
    if open_:
        raise _refuse(
            "assessments",
            _("Not every assessment is complete: %(areas)s.")
            % {"areas": ", ".join(str(a.get_area_display()) for a in open_)},
        )
    last = max(a.completed_on for a in assessments if a.completed_on is not None)
    if completed_on < last:
        raise _refuse(
            "completed_on",
            _("The report (%(day)s) cannot be completed before the last assessment (%(last)s).")
            % {"day": completed_on, "last": last},
        )
    report = EvaluationReport(
        referral=referral, completed_on=completed_on, summary=summary, completed_by=actor
    )
    _save(report, actor)
    audit.record(
        actor=actor,
        action="evaluation.report_completed",
        student=referral.student,
        target=report,
        detail={"completed_on": completed_on.isoformat()},
    )
    return report


# --- eligibility ------------------------------------------------------------------------------


@transaction.atomic
def decide_eligibility(
    *,
    actor: User,
    referral: Referral,
    decided_on: date,
    outcome: str,
    team_present: Sequence[Staff],
    parent_present: bool,
    primary_category: str = "",
    secondary_categories: Sequence[str] = (),
    has_disability: bool | None = None,
    adverse_effect: bool | None = None,
    needs_sdi: bool | None = None,
    impairment: str = "",
    major_life_activities: Sequence[str] = (),
    substantial_limitation: bool | None = None,
    no_evaluation_reason: str = "",
    others_present: Sequence[group.Other] = (),
    parent_invited: bool = False,
) -> EligibilityDecision:
    """Record the team's eligibility decision; an IEP outcome starts the initial IEP clock.

    The group present is checked against the law (tandem/referrals/eligibility_group.py).
    """
    referral = _lock_referral(referral)
    student = Student.objects.select_related("district", "school").get(pk=referral.student_id)
    require(actor, student, Cap.RUN_EVALUATION)
    _require_open(referral, ReferralStatus.OPEN, ReferralStatus.IN_EVALUATION)
    if not referral.is_reevaluation and not hasattr(referral, "case_review"):
        raise _refuse("referral", _("Review the referral before deciding eligibility."))
    if hasattr(referral, "eligibility"):
        raise _refuse("referral", _("Eligibility for this referral is already decided."))
    _not_future("decided_on", decided_on)
    report = getattr(referral, "evaluation_report", None)
    if report is None:
        if outcome != EligibilityOutcome.SECTION_504:
            raise _refuse(
                "evaluation_report",
                _("Eligibility rests on a completed evaluation report; complete it first."),
            )
        if not no_evaluation_reason.strip():
            raise _refuse(
                "no_evaluation_reason",
                _(
                    "Without a formal evaluation, record the information a 504 decision rests "
                    "on (medical documentation, teacher input, observations)."
                ),
            )
    elif decided_on < report.completed_on:
        raise _refuse(
            "decided_on",
            _("Eligibility (%(day)s) cannot be decided before the report (%(report)s).")
            % {"day": decided_on, "report": report.completed_on},
        )
    if decided_on < referral.received_on:
        raise _refuse(
            "decided_on", _("Eligibility cannot be decided before the referral was received.")
        )
    team = list(team_present)
    if not team:
        raise _refuse(
            "team_present", _("Name the team members who made the decision (34 CFR 300.306).")
        )
    others = list(others_present)
    parent_invited = parent_invited and not parent_present
    decision = EligibilityDecision(
        referral=referral,
        student=student,
        decided_on=decided_on,
        outcome=outcome,
        primary_category=primary_category,
        secondary_categories=list(secondary_categories),
        has_disability=has_disability,
        adverse_effect=adverse_effect,
        needs_sdi=needs_sdi,
        impairment=impairment,
        major_life_activities=list(major_life_activities),
        substantial_limitation=substantial_limitation,
        no_evaluation_reason=no_evaluation_reason,
        parent_present=parent_present,
        decided_by=actor,
    )
    # Every refusal at once, each on its field: the findings (the model) and the group present.
    errors: dict[str, list[str]] = {}
    checks = (
        decision.full_clean,
        lambda: group.check_group(
            referral=referral,
            student=student,
            actor=actor,
            decided_on=decided_on,
            today=clock.today(),
            outcome=outcome,
            team=team,
            others=others,
            parent_present=parent_present,
            parent_invited=parent_invited,
        ),
    )
    for check in checks:
        try:
            check()
        except ValidationError as error:
            for field, messages in error.message_dict.items():
                errors.setdefault(field, []).extend(messages)
    if errors:
        raise ValidationError(errors)
    _save(decision, actor)
    decision.team_present.set(team)
    # 300.301(c)(1): the evaluation timeline ends when eligibility is determined.
    evaluation_deadline = _initial_evaluation_deadline(referral)
    if evaluation_deadline is not None:
        deadlines.meet_deadlines(
            kinds=EVALUATION_KINDS,
            source=(evaluation_deadline.source_type, evaluation_deadline.source_id),
            on=decided_on,
            actor=actor,
        )
    reevaluation_deadlines = _store_reevaluation_deadlines(student, decision, actor)
    meeting_deadline = None
    if outcome == EligibilityOutcome.IEP and not referral.is_reevaluation:
        meeting_deadline = deadlines.compute_deadline(
            actor=actor,
            student=student,
            kind=DeadlineKind.INITIAL_IEP_MEETING,
            trigger=decided_on,
            source=decision,
            field="decided_on",
        )
    referral.status = ReferralStatus.ELIGIBILITY_DECIDED
    if outcome == EligibilityOutcome.IEP:
        referral.track = Track.IEP
    elif outcome == EligibilityOutcome.SECTION_504:
        referral.track = Track.SECTION_504
    _save(referral, actor)
    audit.record(
        actor=actor,
        action="eligibility.decided",
        student=student,
        target=decision,
        detail={
            "outcome": outcome,
            "primary_category": primary_category,
            "edfacts_code": decision.edfacts_code,
            "initial_iep_meeting_due": meeting_deadline.due_on.isoformat()
            if meeting_deadline
            else None,
            "reevaluation_due": {d.kind: d.due_on.isoformat() for d in reevaluation_deadlines},
            "team_present": [str(s.public_id) for s in team],
            "parent_present": parent_present,
            **group.audit_detail(others, parent_invited=parent_invited),
        },
    )
    return decision


@transaction.atomic
def mark_eligibility_notice_sent(
    *, actor: User, referral: Referral, sent_on: date, method: str
) -> EligibilityDecision:
    """Record that the parent was sent written notice of the eligibility decision."""
    referral = _lock_referral(referral)
    require(actor, referral.student, Need.WRITE)
    decision = (
        EligibilityDecision.objects.select_for_update(of=("self",))
        .filter(referral=referral)
        .first()
    )
    if decision is None:
        raise _refuse("referral", _("Decide eligibility before sending its notice."))
    if decision.notice_sent_on is not None:
        raise _refuse("sent_on", _("The notice is already recorded as sent."))
    _not_future("sent_on", sent_on)
    if sent_on < decision.decided_on:
        raise _refuse(
            "sent_on",
            _("The notice cannot be sent (%(day)s) before the decision (%(decided)s).")
            % {"day": sent_on, "decided": decision.decided_on},
        )
    if method not in ConsentMethod.values:
        raise _refuse("method", _("Choose how the notice was sent."))
    decision.notice_sent_on = sent_on
    decision.notice_method = method
    _save(decision, actor)
    audit.record(
        actor=actor,
        action="eligibility.notice_sent",
        student=referral.student,
        target=decision,
        detail={"sent_on": sent_on.isoformat(), "method": method},
    )
    return decision


REEVALUATION_KINDS = (DeadlineKind.REEVALUATION, DeadlineKind.SECTION_504_REEVALUATION)


def _engine_disability(category: str) -> engine.Disability | None:
    try:
        return engine.Disability(category)
    except ValueError:
        return None


def _store_reevaluation_deadlines(
    student: Student, decision: EligibilityDecision, actor: User
) -> list[Deadline]:
    """FED-REEVAL-01/02, 504-04: the next reevaluation, and for IDEA the earliest one.

    A decision on a reevaluation meets the reevaluation that was due.
    """
    if decision.referral.is_reevaluation:
        deadlines.meet_deadlines(
            student=student, kinds=REEVALUATION_KINDS, on=decision.decided_on, actor=actor
        )
    common = {
        "actor": actor,
        "student": student,
        "trigger": decision.decided_on,
        "source": decision,
        "field": "decided_on",
    }
    if decision.outcome == EligibilityOutcome.IEP:
        disability = _engine_disability(decision.primary_category)
        return [
            deadlines.compute_deadline(
                kind=DeadlineKind.REEVALUATION, disability=disability, **common
            ),
            deadlines.compute_deadline(
                kind=DeadlineKind.REEVALUATION_NOT_BEFORE,
                status_basis=DeadlineBasis.EARLIEST,
                **common,
            ),
        ]
    if decision.outcome == EligibilityOutcome.SECTION_504:
        return [deadlines.compute_deadline(kind=DeadlineKind.SECTION_504_REEVALUATION, **common)]
    return []
