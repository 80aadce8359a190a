"""Referral, case review, prior written notice, consent, and the stored documents."""

from __future__ import annotations

import mimetypes
from pathlib import PurePath

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tandem.access.capabilities import Cap
from tandem.access.policy import access_student, decision_for
from tandem.access.routes import writes
from tandem.communication.deliveries import mark_opened
from tandem.core.handling import run_action
from tandem.referrals import actions, actions_consent, queries
from tandem.referrals.forms import (
    CaseReviewForm,
    ConsentRequestForm,
    ConsentResponseForm,
    EvidenceFormSet,
    NoticeForm,
    ReferralForm,
)
from tandem.referrals.gate import download, may_take, pdf_response, record_page, referral_page
from tandem.referrals.models import (
    AreaOfConcern,
    Consent,
    ConsentKind,
    Evidence,
    NoticeAction,
    PriorWrittenNotice,
)


def _viewed(request):  # type: ignore[no-untyped-def]
    return "student.viewed" if request.method == "GET" else None


def _detail(referral) -> str:  # type: ignore[no-untyped-def]
    return reverse("referral_detail", args=[referral.public_id])


@login_required
@writes(Cap.START_REFERRAL)
@require_http_methods(["GET", "POST"])
def referral_new(request, public_id):  # type: ignore[no-untyped-def]
    student = access_student(
        request.user, public_id, need=Cap.START_REFERRAL, action=_viewed(request)
    )
    posted = request.method == "POST"
    data, files = (request.POST, request.FILES) if posted else (None, None)
    form = ReferralForm(data, initial={"received_on": timezone.localdate()})
    evidence = EvidenceFormSet(data, files, prefix="evidence")
    if done := run_action(
        request,
        form,
        lambda fields: actions.open_referral(
            actor=request.user, student=student, evidence=evidence.cleaned_data, **fields
        ),
        then=_detail,
        message=_("The referral was saved."),
        forms=(evidence,),
    ):
        return done
    context = {"student": student, "form": form, "evidence": evidence}
    return render(request, "referrals/referral_new.html", context)


@login_required
@require_GET
def referral_detail(request, referral_id):  # type: ignore[no-untyped-def]
    referral, student = referral_page(request, referral_id, steps=True)
    queries.attach_deadlines([referral], student=student)
    next_step = queries.next_step(referral)
    context = {
        "student": student,
        "referral": referral,
        "can_write": decision_for(request.user, student).has(Cap.RUN_EVALUATION),
        "steps": queries.steps_done(referral),
        "next": next_step,
        "take_next": may_take(request.user, student, next_step),
        "deadline": queries.legal_deadline(referral),
        "areas": [AreaOfConcern(a).label for a in referral.areas_of_concern],
    }
    return render(request, "referrals/referral_detail.html", context)


@login_required
@writes(Cap.RUN_EVALUATION)
@require_http_methods(["GET", "POST"])
def case_review(request, referral_id):  # type: ignore[no-untyped-def]
    referral, student = referral_page(request, referral_id, need=Cap.RUN_EVALUATION)
    refusing = actions.decisions_refusing_parent(referral)
    form = CaseReviewForm(
        request.POST or None,
        parent_request=bool(refusing),
        refusing=refusing,
        initial={"decided_on": timezone.localdate(), "language": queries.parent_language(student)},
    )
    if done := run_action(
        request,
        form,
        lambda _data: actions.record_case_review(
            actor=request.user, referral=referral, **form.review_kwargs()
        ),
        then=_detail(referral),
        message=_("The case review was saved."),
    ):
        return done
    context = {"student": student, "referral": referral, "form": form}
    return render(request, "referrals/case_review.html", context)


@login_required
@writes(Cap.RUN_EVALUATION)
@require_http_methods(["GET", "POST"])
def notice_new(request, referral_id):  # type: ignore[no-untyped-def]
    referral, student = referral_page(request, referral_id, need=Cap.RUN_EVALUATION)
    initial = {"action": NoticeAction.PROPOSES, "issued_on": timezone.localdate()}
    form = NoticeForm(
        request.POST or None, initial=initial | {"language": queries.parent_language(student)}
    )
    if done := run_action(
        request,
        form,
        lambda _data: actions.issue_prior_written_notice(
            actor=request.user, student=student, referral=referral, **form.notice_kwargs()
        ),
        then=lambda notice: reverse("notice_detail", args=[notice.public_id]),
        message=_("The prior written notice was saved."),
    ):
        return done
    context = {"student": student, "referral": referral, "form": form}
    return render(request, "referrals/notice_new.html", context)


def _notice(request, notice_id):  # type: ignore[no-untyped-def]
    return record_page(request, PriorWrittenNotice, notice_id, student_path="student")


@login_required
@require_GET
def notice_detail(request, notice_id):  # type: ignore[no-untyped-def]
    notice, student = _notice(request, notice_id)
    mark_opened(request.user, request.path)  # a parent reading it from a link, not the portal
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
@writes(Cap.RUN_EVALUATION)
@require_http_methods(["GET", "POST"])
def consent_request(request, referral_id):  # type: ignore[no-untyped-def]
    referral, student = referral_page(request, referral_id, need=Cap.RUN_EVALUATION)
    kind = ConsentKind.REEVALUATION if referral.is_reevaluation else ConsentKind.INITIAL_EVALUATION
    form = ConsentRequestForm(
        request.POST or None, initial={"kind": kind, "sent_on": timezone.localdate()}
    )
    if done := run_action(
        request,
        form,
        lambda data: actions_consent.request_consent(actor=request.user, referral=referral, **data),
        then=lambda consent: reverse("consent_response", args=[consent.public_id]),
        message=_("The consent request was saved."),
    ):
        return done
    context = {"student": student, "referral": referral, "form": form}
    return render(request, "referrals/consent_request.html", context)


@login_required
@writes(Cap.RUN_EVALUATION)
@require_http_methods(["GET", "POST"])
def consent_response(request, consent_id):  # type: ignore[no-untyped-def]
    consent, student = record_page(
        request, Consent, consent_id, student_path="student", need=Cap.RUN_EVALUATION
    )
    form = ConsentResponseForm.for_consent(consent, request.POST or None, request.FILES or None)
    done_page = (
        _detail(consent.referral)
        if consent.referral_id
        else reverse("student", args=[student.public_id])
    )
    if done := run_action(
        request,
        form,
        lambda _data: actions_consent.record_consent_response(
            actor=request.user, consent=consent, **form.answer_kwargs()
        ),
        then=done_page,
        message=_("The parent's answer was saved."),
    ):
        return done
    context = {"student": student, "consent": consent, "referral": consent.referral, "form": form}
    context |= {"reevaluation": consent.kind == ConsentKind.REEVALUATION}
    context["attempts"] = list(consent.attempts.all())
    return render(request, "referrals/consent_response.html", context)


@login_required
@require_GET
def evidence_download(request, evidence_id):  # type: ignore[no-untyped-def]
    evidence, student = record_page(
        request, Evidence, evidence_id, student_path="referral__student"
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
    consent, student = record_page(request, Consent, consent_id, student_path="student")
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
