"""Referral, case review, prior written notice, consent, and the stored documents."""

from __future__ import annotations

import mimetypes
from pathlib import PurePath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tandem.access.capabilities import Cap
from tandem.access.policy import Need, access_student, can
from tandem.referrals import actions, queries
from tandem.referrals.forms import (
    CaseReviewForm,
    ConsentRequestForm,
    ConsentResponseForm,
    EvidenceFormSet,
    NoticeForm,
    ReferralForm,
)
from tandem.referrals.gate import download, pdf_response, record_page, referral_page
from tandem.referrals.models import (
    AreaOfConcern,
    Consent,
    ConsentKind,
    Evidence,
    NoticeAction,
    PriorWrittenNotice,
)


def _language_of_parent(student) -> str:  # type: ignore[no-untyped-def]
    guardian = queries.rights_holder(student)
    return guardian.preferred_language if guardian else "en"


@login_required
@require_http_methods(["GET", "POST"])
def referral_new(request, public_id):  # type: ignore[no-untyped-def]
    student = access_student(
        request.user,
        public_id,
        need=Cap.START_REFERRAL,
        action="student.viewed" if request.method == "GET" else None,
    )
    data = request.POST if request.method == "POST" else None
    files = request.FILES if request.method == "POST" else None
    form = ReferralForm(data, initial={"received_on": timezone.localdate()})
    evidence = EvidenceFormSet(data, files, prefix="evidence")
    if request.method == "POST" and all([form.is_valid(), evidence.is_valid()]):
        stored: list[Evidence] = []
        try:
            with transaction.atomic():
                referral = actions.create_referral(
                    actor=request.user, student=student, **form.cleaned_data
                )
                for row in evidence.cleaned_data:
                    if row.get("file"):
                        stored.append(
                            actions.add_evidence(
                                actor=request.user,
                                referral=referral,
                                kind=row["kind"],
                                upload=row["file"],
                                summary=row.get("summary", ""),
                            )
                        )
        except ValidationError as error:
            for item in stored:  # the rollback does not remove files
                item.file.delete(save=False)
            form.add_action_errors(error)
        else:
            messages.success(request, _("The referral was saved."))
            return redirect("referral_detail", referral_id=referral.public_id)
    return render(
        request,
        "referrals/referral_new.html",
        {"student": student, "form": form, "evidence": evidence},
    )


@login_required
@require_GET
def referral_detail(request, referral_id):  # type: ignore[no-untyped-def]
    referral, student = referral_page(request, referral_id, steps=True)
    queries.attach_deadlines([referral], student=student)
    context = {
        "student": student,
        "referral": referral,
        "can_write": can(request.user, Need.WRITE, student),
        "steps": queries.steps_done(referral),
        "next": queries.next_step(referral),
        "deadline": queries.legal_deadline(referral),
        "areas": [AreaOfConcern(a).label for a in referral.areas_of_concern],
    }
    return render(request, "referrals/referral_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def case_review(request, referral_id):  # type: ignore[no-untyped-def]
    referral, student = referral_page(request, referral_id, need=Need.WRITE)
    refusing = actions.decisions_refusing_parent(referral)
    form = CaseReviewForm(
        request.POST or None,
        parent_request=bool(refusing),
        refusing=refusing,
        initial={"decided_on": timezone.localdate(), "language": _language_of_parent(student)},
    )
    if request.method == "POST" and form.is_valid():
        notice = (
            form.notice_content(form.cleaned_data["language"] or "en")
            if form.refuses_parent
            else None
        )
        try:
            actions.record_case_review(
                actor=request.user,
                referral=referral,
                decided_on=form.cleaned_data["decided_on"],
                decision=form.cleaned_data["decision"],
                reason=form.cleaned_data["reason"],
                notice=notice,
            )
        except ValidationError as error:
            form.add_action_errors(error)
        else:
            messages.success(request, _("The case review was saved."))
            return redirect("referral_detail", referral_id=referral.public_id)
    return render(
        request,
        "referrals/case_review.html",
        {"student": student, "referral": referral, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def notice_new(request, referral_id):  # type: ignore[no-untyped-def]
    referral, student = referral_page(request, referral_id, need=Need.WRITE)
    form = NoticeForm(
        request.POST or None,
        initial={
            "action": NoticeAction.PROPOSES,
            "issued_on": timezone.localdate(),
            "language": _language_of_parent(student),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            notice = actions.issue_prior_written_notice(
                actor=request.user,
                student=student,
                referral=referral,
                action=form.cleaned_data["action"],
                content=form.notice_content(form.cleaned_data["language"]),
                issued_on=form.cleaned_data["issued_on"],
                proposed_action_on=form.cleaned_data["proposed_action_on"],
            )
        except ValidationError as error:
            form.add_action_errors(error)
        else:
            messages.success(request, _("The prior written notice was saved."))
            return redirect("notice_detail", notice_id=notice.public_id)
    return render(
        request,
        "referrals/notice_new.html",
        {"student": student, "referral": referral, "form": form},
    )


def _notice(request, notice_id):  # type: ignore[no-untyped-def]
    return record_page(
        request, PriorWrittenNotice, notice_id, student_path="student", need=Need.READ
    )


@login_required
@require_GET
def notice_detail(request, notice_id):  # type: ignore[no-untyped-def]
    notice, student = _notice(request, notice_id)
    return render(
        request,
        "referrals/notice_detail.html",
        {"student": student, "notice": notice, "referral": notice.referral},
    )


@login_required
@require_GET
def notice_pdf(request, notice_id):  # type: ignore[no-untyped-def]
    notice, student = _notice(request, notice_id)
    return pdf_response(
        request,
        "referrals/notice_pdf.html",
        {"student": student, "notice": notice},
        language=notice.language,
        filename=f"prior-written-notice-{notice.issued_on}.pdf",
    )


@login_required
@require_http_methods(["GET", "POST"])
def consent_request(request, referral_id):  # type: ignore[no-untyped-def]
    referral, student = referral_page(request, referral_id, need=Need.WRITE)
    form = ConsentRequestForm(
        request.POST or None,
        initial={
            "kind": ConsentKind.REEVALUATION
            if referral.is_reevaluation
            else ConsentKind.INITIAL_EVALUATION,
            "sent_on": timezone.localdate(),
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            consent = actions.request_consent(
                actor=request.user, referral=referral, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_action_errors(error)
        else:
            messages.success(request, _("The consent request was saved."))
            return redirect("consent_response", consent_id=consent.public_id)
    return render(
        request,
        "referrals/consent_request.html",
        {"student": student, "referral": referral, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def consent_response(request, consent_id):  # type: ignore[no-untyped-def]
    consent, student = record_page(
        request, Consent, consent_id, student_path="student", need=Need.WRITE
    )
    reevaluation = consent.kind == ConsentKind.REEVALUATION
    form = ConsentResponseForm(
        request.POST or None,
        request.FILES or None,
        reevaluation=reevaluation,
        areas=consent.referral.areas_of_concern
        if consent.referral_id and consent.kind != ConsentKind.INITIAL_SERVICES
        else (),
        initial={"received_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        try:
            actions.record_consent_response(
                actor=request.user,
                consent=consent,
                response=form.cleaned_data["response"],
                received_on=form.cleaned_data["received_on"],
                partial_note=form.cleaned_data["partial_note"],
                refused_reason=form.cleaned_data["refused_reason"],
                document=form.cleaned_data["document"],
                areas_agreed=form.cleaned_data.get("areas_agreed") or (),
            )
        except ValidationError as error:
            form.add_action_errors(error)
        else:
            messages.success(request, _("The parent's answer was saved."))
            if consent.referral_id:
                return redirect("referral_detail", referral_id=consent.referral.public_id)
            return redirect("student", public_id=student.public_id)
    return render(
        request,
        "referrals/consent_response.html",
        {
            "student": student,
            "consent": consent,
            "referral": consent.referral,
            "form": form,
            "reevaluation": reevaluation,
            "attempts": list(consent.attempts.all()),
        },
    )


@login_required
@require_GET
def evidence_download(request, evidence_id):  # type: ignore[no-untyped-def]
    evidence, student = record_page(
        request, Evidence, evidence_id, student_path="referral__student", need=Need.READ
    )
    return download(
        request,
        student=student,
        record=evidence,
        field=evidence.file,
        name=evidence.original_name,
        content_type=evidence.content_type,
    )


@login_required
@require_GET
def consent_document(request, consent_id):  # type: ignore[no-untyped-def]
    consent, student = record_page(
        request, Consent, consent_id, student_path="student", need=Need.READ
    )
    suffix = PurePath(consent.document.name or "").suffix
    content_type = mimetypes.types_map.get(suffix, "application/octet-stream")
    return download(
        request,
        student=student,
        record=consent,
        field=consent.document,
        name=f"signed-consent-{consent.sent_on}{suffix}",
        content_type=content_type,
    )
