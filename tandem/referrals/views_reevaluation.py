"""Start a reevaluation, waive the triennial, and record the efforts to reach a parent."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tandem.access.policy import Need, access_student
from tandem.referrals import queries, reevaluations
from tandem.referrals.forms import ConsentAttemptForm, ReevaluationForm, WaiverForm
from tandem.referrals.gate import record_page
from tandem.referrals.models import (
    Consent,
    ConsentKind,
    Deadline,
    EligibilityOutcome,
    ReevaluationKind,
)


@login_required
@require_http_methods(["GET", "POST"])
def reevaluation_new(request, public_id):  # type: ignore[no-untyped-def]
    student = access_student(
        request.user,
        public_id,
        need=Need.WRITE,
        action="student.viewed" if request.method == "GET" else None,
    )
    decision = queries.latest_eligibility(student)
    section_504 = decision is not None and decision.outcome == EligibilityOutcome.SECTION_504
    guardian = queries.rights_holder(student)
    form = ReevaluationForm(
        request.POST or None,
        initial={
            "kind": ReevaluationKind.SECTION_504_PERIODIC
            if section_504
            else ReevaluationKind.TRIENNIAL,
            "requested_on": timezone.localdate(),
            "language": guardian.preferred_language if guardian else "en",
        },
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            referral = reevaluations.start_reevaluation(
                actor=request.user,
                student=student,
                kind=data["kind"],
                requested_on=data["requested_on"],
                requested_by=data["requested_by"],
                areas_of_concern=data["areas_of_concern"],
                description=data["description"],
                early_agreement=form.agreement(),
                refusal=form.refusal(),
            )
        except ValidationError as error:
            form.add_action_errors(error)
        else:
            notice = referral.notices.first()
            if notice is not None:
                messages.success(
                    request, _("The request was refused and the prior written notice saved.")
                )
                return redirect("notice_detail", notice_id=notice.public_id)
            messages.success(request, _("The reevaluation was started."))
            return redirect("referral_detail", referral_id=referral.public_id)
    return render(
        request,
        "referrals/reevaluation_new.html",
        {
            "student": student,
            "form": form,
            "decision": decision,
            "due": queries.reevaluation_due(student),
            "not_before": queries.reevaluation_not_before(student),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def reevaluation_waiver(request, deadline_id):  # type: ignore[no-untyped-def]
    deadline, student = record_page(
        request, Deadline, deadline_id, student_path="student", need=Need.WRITE
    )
    form = WaiverForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            reevaluations.waive_reevaluation(
                actor=request.user, deadline=deadline, agreement=form.agreement()
            )
        except ValidationError as error:
            form.add_action_errors(error)
        else:
            messages.success(request, _("The waiver was recorded."))
            return redirect("student", public_id=student.public_id)
    return render(
        request,
        "referrals/reevaluation_waiver.html",
        {"student": student, "deadline": deadline, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def consent_attempts(request, consent_id):  # type: ignore[no-untyped-def]
    consent, student = record_page(
        request, Consent, consent_id, student_path="student", need=Need.WRITE
    )
    form = ConsentAttemptForm(request.POST or None, initial={"attempted_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            reevaluations.record_consent_attempt(
                actor=request.user, consent=consent, **form.cleaned_data
            )
        except ValidationError as error:
            form.add_action_errors(error)
        else:
            messages.success(request, _("The attempt to reach the parent was saved."))
            return redirect("consent_attempts", consent_id=consent.public_id)
    return render(
        request,
        "referrals/consent_attempts.html",
        {
            "student": student,
            "consent": consent,
            "referral": consent.referral,
            "attempts": list(consent.attempts.all()),
            "form": form,
            "reevaluation": consent.kind == ConsentKind.REEVALUATION,
        },
    )
