"""Start a reevaluation, waive the triennial, and record the efforts to reach a parent."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tandem.access.capabilities import Cap
from tandem.access.policy import access_student
from tandem.access.routes import writes
from tandem.core.handling import run_action
from tandem.referrals import queries, reevaluations
from tandem.referrals.forms import ConsentAttemptForm, ReevaluationForm, WaiverForm
from tandem.referrals.gate import record_page
from tandem.referrals.models import (
    Consent,
    ConsentKind,
    Deadline,
    ReevaluationKind,
)


def _started(referral) -> str:  # type: ignore[no-untyped-def]
    """A refused request shows its notice; a started reevaluation its referral."""
    notice = referral.notices.first()
    if notice is not None:
        return reverse("notice_detail", args=[notice.public_id])
    return reverse("referral_detail", args=[referral.public_id])


def _started_message(referral) -> str:  # type: ignore[no-untyped-def]
    if referral.notices.exists():
        return _("The request was refused and the prior written notice saved.")
    return _("The reevaluation was started.")


@login_required
@writes(Cap.RUN_EVALUATION)
@require_http_methods(["GET", "POST"])
def reevaluation_new(request, public_id):  # type: ignore[no-untyped-def]
    viewed = "student.viewed" if request.method == "GET" else None
    student = access_student(request.user, public_id, need=Cap.RUN_EVALUATION, action=viewed)
    page = queries.reevaluation_page(student)
    kind = (
        ReevaluationKind.SECTION_504_PERIODIC if page["section_504"] else ReevaluationKind.TRIENNIAL
    )
    initial = {"kind": kind, "requested_on": timezone.localdate(), "language": page["language"]}
    form = ReevaluationForm(request.POST or None, initial=initial)
    if done := run_action(
        request,
        form,
        lambda _data: reevaluations.start_reevaluation(
            actor=request.user, student=student, **form.start_kwargs()
        ),
        then=_started,
        message=_started_message,
    ):
        return done
    context = page | {"student": student, "form": form}
    return render(request, "referrals/reevaluation_new.html", context)


@login_required
@writes(Cap.RUN_EVALUATION)
@require_http_methods(["GET", "POST"])
def reevaluation_waiver(request, deadline_id):  # type: ignore[no-untyped-def]
    deadline, student = record_page(
        request, Deadline, deadline_id, student_path="student", need=Cap.RUN_EVALUATION
    )
    form = WaiverForm(request.POST or None)
    if done := run_action(
        request,
        form,
        lambda _data: reevaluations.waive_reevaluation(
            actor=request.user, deadline=deadline, agreement=form.agreement()
        ),
        then=reverse("student", args=[student.public_id]),
        message=_("The waiver was recorded."),
    ):
        return done
    context = {"student": student, "deadline": deadline, "form": form}
    return render(request, "referrals/reevaluation_waiver.html", context)


@login_required
@writes(Cap.RUN_EVALUATION)
@require_http_methods(["GET", "POST"])
def consent_attempts(request, consent_id):  # type: ignore[no-untyped-def]
    consent, student = record_page(
        request, Consent, consent_id, student_path="student", need=Cap.RUN_EVALUATION
    )
    form = ConsentAttemptForm(request.POST or None, initial={"attempted_on": timezone.localdate()})
    if done := run_action(
        request,
        form,
        lambda data: reevaluations.record_consent_attempt(
            actor=request.user, consent=consent, **data
        ),
        then=reverse("consent_attempts", args=[consent.public_id]),
        message=_("The attempt to reach the parent was saved."),
    ):
        return done
    context = {"student": student, "consent": consent, "referral": consent.referral, "form": form}
    context["attempts"] = list(consent.attempts.all())
    context["reevaluation"] = consent.kind == ConsentKind.REEVALUATION
    return render(request, "referrals/consent_attempts.html", context)
