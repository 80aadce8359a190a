"""Consent: asking the parent, recording the answer, and what the answer starts (34 CFR 300.300).

Checked, validated, audited, in one transaction, as every referral action (`actions.py`).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from tandem import audit
from tandem.access.capabilities import Cap
from tandem.access.policy import require
from tandem.accounts.models import User
from tandem.compliance import actions as deadlines
from tandem.referrals.actions_common import (
    _answer_referral,
    _lock_referral,
    _not_future,
    _refuse,
    _require_open,
    _save,
    _sniff,
)
from tandem.referrals.models import (
    AreaOfConcern,
    CaseReviewDecision,
    Consent,
    ConsentKind,
    ConsentResponse,
    Deadline,
    DeadlineKind,
    NoticeAction,
    Referral,
    ReferralStatus,
    Track,
)

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


@transaction.atomic
def request_consent(
    *, actor: User, referral: Referral, kind: str, sent_on: date, method: str
) -> Consent:
    """Send the parent a consent request; initial evaluation follows the review and the PWN."""
    referral = _lock_referral(referral)
    require(actor, referral.student, Cap.RUN_EVALUATION)
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
    require(actor, student, Cap.RUN_EVALUATION)
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
