"""The only write path for the portal: signatures (online and on paper) and invitations.

Every action takes the acting user first, checks who may do it, validates, writes one audit event
in the same transaction, and refuses with a ValidationError keyed by field name, changing nothing.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.core.mail import send_mail
from django.db import transaction
from django.http import Http404
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _

from tandem import audit
from tandem.access.capabilities import Cap
from tandem.access.policy import require
from tandem.accounts.models import Language, User
from tandem.audit.catalogue import Action
from tandem.communication.deliveries import record_delivery
from tandem.core import clock
from tandem.documents.pdf import render_pdf
from tandem.people.models import Guardian, Student, StudentGuardian
from tandem.portal.documents import SignableDocument, consent_document
from tandem.portal.models import Decision, Signature, SignatureMethod
from tandem.referrals import actions as referral_actions
from tandem.referrals.models import (
    Consent,
    ConsentKind,
    ConsentResponse,
)

RESPONSE_FOR = {
    Decision.GIVE: ConsentResponse.GIVEN,
    Decision.REFUSE: ConsentResponse.REFUSED,
    Decision.PARTIAL: ConsentResponse.PARTIAL,
}
LANGUAGES = tuple(Language.values)


def _refuse(field: str, message: str) -> ValidationError:
    return ValidationError({field: [message]})


def _lock_consent(consent: Consent) -> Consent:
    return (
        Consent.objects.select_for_update(of=("self",))
        .select_related("student__district", "student__school", "referral")
        .get(pk=consent.pk)
    )


def _check_answer(
    *,
    consent: Consent,
    decision: str,
    parts_given: Sequence[str],
    typed_name: str,
    document: SignableDocument,
) -> tuple[list[str], list[str]]:
    """The parts given and refused, or the first reason the answer cannot be taken."""
    if consent.response != ConsentResponse.PENDING:
        raise _refuse(
            "decision",
            _("This consent was already answered (%(answer)s).")
            % {"answer": consent.get_response_display()},
        )
    if decision not in Decision.values:
        raise _refuse("decision", _("Choose yes, no, or some parts only."))
    if not typed_name.strip():
        raise _refuse("typed_name", _("Type your full name to sign."))
    codes = [code for code, _words in document.parts]
    given = [code for code in codes if code in set(parts_given)]
    unknown = sorted(set(parts_given) - set(codes))
    if unknown:
        raise _refuse("parts", _("Choose only the parts listed on this form."))
    if decision == Decision.PARTIAL:
        if not codes:
            raise _refuse("decision", _("This form has no parts to choose from. Answer yes or no."))
        if not given:
            raise _refuse("parts", _("Choose the parts you agree to."))
        if len(given) == len(codes):
            raise _refuse(
                "parts", _("You chose every part. Answer yes instead, or leave some parts out.")
            )
        refused = [code for code in codes if code not in given]
        return given, refused
    if decision == Decision.GIVE:
        return codes, []
    return [], codes


def _record_on_consent(
    *,
    actor: User,
    consent: Consent,
    decision: str,
    given: list[str],
    refused: list[str],
    reason: str,
    document: SignableDocument,
    received_on: date,
) -> None:
    """Write the answer on the consent and its referral, as `record_consent_response` does.

    The parent may not write the record (only read it), so this follows the same steps for them:
    the referral's status and, for a first evaluation, the legal clock from the day of consent.
    """
    labels = dict(document.parts)
    response = RESPONSE_FOR[Decision(decision)]
    consent.response = response
    consent.received_on = received_on
    if decision == Decision.PARTIAL:
        with translation.override(settings.LANGUAGE_CODE):
            consent.partial_note = _("Consented to: %(given)s. Not consented to: %(refused)s.") % {
                "given": "; ".join(labels[c] for c in given),
                "refused": "; ".join(labels[c] for c in refused),
            }
    if decision == Decision.REFUSE:
        with translation.override(settings.LANGUAGE_CODE):
            consent.refused_reason = reason.strip() or _("No reason given (signed online).")
    if decision == Decision.PARTIAL and consent.kind != ConsentKind.INITIAL_SERVICES:
        consent.areas_agreed = list(given)
        consent.areas_refused = list(refused)
    consent.full_clean(exclude=["document"])
    # The referral moves on as when staff record the answer: a partial consent to evaluate
    # starts the evaluation of the agreed areas and the legal clock.
    referral_actions.carry_consent_to_referral(actor=actor, consent=consent)
    consent._history_user = actor  # type: ignore[attr-defined]
    consent.save()


def _freeze_pdf(signature: Signature, document: SignableDocument) -> None:
    context = {"signature": signature, "document": document, "student": signature.student}
    pdf = render_pdf(None, "portal/signed_pdf.html", context, language=document.language)  # type: ignore[arg-type]
    signature.signed_pdf_hash = hashlib.sha256(pdf).hexdigest()
    signature.signed_pdf.save(f"{signature.public_id}.pdf", ContentFile(pdf), save=False)


def _deliver_signed_copy(signature: Signature) -> None:
    """The signed copy goes to the family's documents."""
    record_delivery(
        student=signature.student,
        guardian=signature.guardian,
        kind="signed_consent",
        title=signature.document_title,
        url=reverse("portal_signature_pdf", args=[signature.public_id]),
        document_hash=signature.signed_pdf_hash,
    )


@transaction.atomic
def sign_consent(
    *,
    actor: User,
    consent: Consent,
    decision: str,
    typed_name: str,
    language: str,
    parts_given: Sequence[str] = (),
    reason: str = "",
    ip: str | None = None,
    user_agent: str = "",
    now: datetime | None = None,
) -> Signature:
    """A rights-holding parent answers a consent online and signs; the form is frozen as a PDF."""
    consent = _lock_consent(consent)
    student = consent.student
    link = (
        StudentGuardian.objects.select_related("guardian")
        .filter(student=student, guardian__user=actor)
        .first()
        if actor.is_authenticated
        else None
    )
    if link is not None and not link.educational_rights_holder:
        # A relative on file is told why, in plain words; anyone else meets the policy below.
        raise _refuse(
            "signer",
            _(
                "Only a parent or guardian who holds educational rights for %(name)s can sign. "
                "The school's records say you do not. Please call the school if this is wrong."
            )
            % {"name": student.first_name},
        )
    require(actor, student, Cap.ACT_AS_FAMILY)
    if link is None:  # the policy's rights holder always has a link; kept for the type checker
        raise Http404
    if language not in LANGUAGES:
        raise _refuse("language", _("Choose English or Spanish."))
    document = consent_document(consent, language=language)
    given, refused = _check_answer(
        consent=consent,
        decision=decision,
        parts_given=parts_given,
        typed_name=typed_name,
        document=document,
    )
    moment = now or clock.now()
    signature = Signature(
        student=student,
        guardian=link.guardian,
        document_kind=document.kind,
        document_title=document.title,
        consent=consent,
        object_type=Consent._meta.label_lower,
        object_id=str(consent.public_id),
        document_text=document.text,
        document_hash=document.hash,
        language=language,
        decision=decision,
        parts_given=given,
        parts_refused=refused,
        reason=reason.strip(),
        typed_name=typed_name.strip(),
        signed_at=moment,
        ip=ip,
        user_agent=user_agent[:300],
        method=SignatureMethod.ONLINE,
        signed_by=actor,
        recorded_by=actor,
    )
    signature.full_clean(exclude=["signed_pdf", "scan"])
    _record_on_consent(
        actor=actor,
        consent=consent,
        decision=decision,
        given=given,
        refused=refused,
        reason=reason,
        document=document,
        received_on=timezone.localtime(moment).date(),
    )
    _freeze_pdf(signature, document)
    try:
        signature.save()
        audit.record(
            actor=actor,
            action=Action.CONSENT__SIGNED,
            student=student,
            target=consent,
            detail={
                "signature": str(signature.public_id),
                "decision": decision,
                "parts_given": given,
                "parts_refused": refused,
                "document_hash": document.hash,
                "language": language,
            },
        )
        _deliver_signed_copy(signature)
    except Exception:
        signature.signed_pdf.delete(save=False)
        raise
    return signature


@transaction.atomic
def record_paper_signature(
    *,
    actor: User,
    consent: Consent,
    guardian: Guardian,
    decision: str,
    typed_name: str,
    signed_on: date,
    scan: UploadedFile,
    language: str,
    parts_given: Sequence[str] = (),
    reason: str = "",
) -> Signature:
    """Staff record a consent the parent signed on paper, with a scan of the signed form."""
    consent = _lock_consent(consent)
    student = consent.student
    require(actor, student, Cap.RUN_EVALUATION)
    link = StudentGuardian.objects.filter(student=student, guardian=guardian).first()
    if link is None:
        raise _refuse("guardian", _("Choose a parent or guardian of this student."))
    if not link.educational_rights_holder:
        raise _refuse(
            "guardian",
            _("%(name)s does not hold educational rights for this student and cannot consent.")
            % {"name": guardian},
        )
    if language not in LANGUAGES:
        raise _refuse("language", _("Choose English or Spanish."))
    if scan is None:
        raise _refuse("scan", _("Upload the scan of the signed form."))
    if signed_on > clock.today():
        raise _refuse("signed_on", _("The form cannot be signed in the future."))
    if signed_on < consent.sent_on:
        raise _refuse(
            "signed_on",
            _("The form cannot be signed before it was sent (%(day)s).") % {"day": consent.sent_on},
        )
    name, content_type = referral_actions.check_upload(scan)
    document = consent_document(consent, language=language)
    given, refused = _check_answer(
        consent=consent,
        decision=decision,
        parts_given=parts_given,
        typed_name=typed_name,
        document=document,
    )
    labels = dict(document.parts)
    with translation.override(settings.LANGUAGE_CODE):
        partial_note = (
            _("Consented to: %(given)s. Not consented to: %(refused)s.")
            % {
                "given": "; ".join(labels[c] for c in given),
                "refused": "; ".join(labels[c] for c in refused),
            }
            if decision == Decision.PARTIAL
            else ""
        )
        refused_reason = (
            (reason.strip() or _("No reason given (signed on paper)."))
            if decision == Decision.REFUSE
            else ""
        )
    signature = Signature(
        student=student,
        guardian=guardian,
        document_kind=document.kind,
        document_title=document.title,
        consent=consent,
        object_type=Consent._meta.label_lower,
        object_id=str(consent.public_id),
        document_text=document.text,
        document_hash=document.hash,
        language=language,
        decision=decision,
        parts_given=given,
        parts_refused=refused,
        reason=reason.strip(),
        typed_name=typed_name.strip(),
        signed_at=timezone.make_aware(datetime.combine(signed_on, datetime.min.time())),
        method=SignatureMethod.PAPER,
        recorded_by=actor,
        scan_content_type=content_type,
    )
    signature.full_clean(exclude=["signed_pdf", "scan"])
    referral_actions.record_consent_response(
        actor=actor,
        consent=consent,
        response=RESPONSE_FOR[Decision(decision)],
        received_on=signed_on,
        partial_note=partial_note,
        refused_reason=refused_reason,
        document=scan,
        areas_agreed=given if decision == Decision.PARTIAL else None,
    )
    scan.seek(0)
    signature.scan.save(name, scan, save=False)
    try:
        signature.save()
        audit.record(
            actor=actor,
            action=Action.CONSENT__PAPER_SIGNATURE_RECORDED,
            student=student,
            target=consent,
            detail={
                "signature": str(signature.public_id),
                "decision": decision,
                "parts_given": given,
                "guardian": str(guardian.public_id),
            },
        )
    except Exception:
        signature.scan.delete(save=False)
        raise
    return signature


def invitation_link(user: User, base_url: str) -> str:
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return base_url.rstrip("/") + reverse(
        "password_reset_confirm", kwargs={"uidb64": uid, "token": token}
    )


def _send_invitation(user_id: int, base_url: str, language: str) -> None:
    user = User.objects.get(pk=user_id)
    with translation.override(language):
        context: dict[str, Any] = {"user": user, "link": invitation_link(user, base_url)}
        subject = render_to_string("portal/email/invitation_subject.txt", context).strip()
        body = render_to_string("portal/email/invitation.txt", context)
    send_mail(subject, body, None, [user.email])


def portal_account(actor: User, guardian: Guardian) -> User:
    """The guardian's portal account, made (without a password) if they have none yet.

    Refused, naming the email field, when the guardian has no email, already chose a password,
    or another account uses the address. The caller holds the transaction and has checked access.
    """
    guardian = (
        Guardian.objects.select_for_update(of=("self",))
        .select_related("user", "district")
        .get(pk=guardian.pk)
    )
    email = (guardian.email or "").strip().lower()
    if not email:
        raise _refuse(
            "email",
            _(
                "%(name)s has no email address. Serve this parent on paper: print each document "
                "and record paper signatures. They lose nothing."
            )
            % {"name": guardian},
        )
    user = guardian.user
    if user is not None and user.has_usable_password():
        raise _refuse(
            "email",
            _(
                "%(name)s already has an account. They can reset their password from the sign-in page."
            )
            % {"name": guardian},
        )
    if user is None:
        existing = User.objects.filter(email__iexact=email).first()
        if existing is not None:
            raise _refuse(
                "email",
                _("Another account already uses %(email)s. Check the parent's email address.")
                % {"email": email},
            )
        user = User.objects.create_user(
            email=email,
            password=None,
            first_name=guardian.first_name,
            last_name=guardian.last_name,
        )
        user.preferred_language = guardian.preferred_language
        user.save()
        guardian.user = user
        guardian._history_user = actor  # type: ignore[attr-defined]
        guardian.save(update_fields=["user"])
    return user


@transaction.atomic
def invite_guardian(*, actor: User, student: Student, guardian: Guardian, base_url: str) -> User:
    """Give a parent of `student` a portal account and email them a link to choose a password.

    Sending again is allowed until they have chosen one; a parent without email is served on
    paper instead. The guardian's account is part of the student's profile (Cap.EDIT_PROFILE).
    """
    require(actor, student, Cap.EDIT_PROFILE)
    if not StudentGuardian.objects.filter(student=student, guardian=guardian).exists():
        raise Http404
    user = portal_account(actor, guardian)
    email = user.email
    language = guardian.preferred_language if guardian.preferred_language in LANGUAGES else "en"
    audit.record(
        actor=actor,
        action=Action.PORTAL__INVITED,
        district=guardian.district,
        target=guardian,
        detail={"email": email, "language": language},
    )
    user_id = user.pk
    transaction.on_commit(lambda: _send_invitation(user_id, base_url, language))
    return user
