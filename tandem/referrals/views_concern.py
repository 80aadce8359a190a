"""A teacher's concern: raise it, and the case manager's page to accept or decline it."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem.access.capabilities import Cap
from tandem.access.policy import standing, student_access
from tandem.access.routes import writes
from tandem.core import clock
from tandem.core.handling import run_action
from tandem.people.models import Student
from tandem.referrals import concern_queries, concerns
from tandem.referrals.concern_forms import ConcernForm, DeclineForm
from tandem.referrals.gate import referral_page
from tandem.referrals.models import AreaOfConcern, Referral, ReferralStatus


def _detail(referral: Referral) -> str:
    return reverse("referral_detail", args=[referral.public_id])


@login_required
@writes(Cap.RAISE_CONCERN)
@require_http_methods(["GET", "POST"])
def concern_new(request: HttpRequest, public_id: str) -> HttpResponse:
    viewed = "student.viewed" if request.method == "GET" else None
    student = student_access(
        request.user,  # type: ignore[arg-type]
        public_id,
        need=Cap.RAISE_CONCERN,
        action=viewed,
    ).student
    form = ConcernForm(request.POST or None)
    if done := run_action(
        request,
        form,
        lambda data: concerns.raise_concern(actor=request.user, student=student, **data),
        then=_detail,
        message=_("Your concern was sent. You will see the answer on this page."),
    ):
        return done
    reviewers = concern_queries.reviewers_of(student, today=clock.today())
    context = {"student": student, "form": form, "reviewers": reviewers}
    status = 400 if request.method == "POST" else 200
    return render(request, "referrals/concern_new.html", context, status=status)


def _review(
    request: HttpRequest, referral: Referral, student: Student, **forms_: Any
) -> HttpResponse:
    """The concern with its two answers; after a refused answer, 400 with the form's errors."""
    context = {
        "student": student,
        "referral": referral,
        "areas": [AreaOfConcern(a).label for a in referral.areas_of_concern],
        "accept_form": forms_.get("accept_form") or forms.Form(),
        "decline_form": forms_.get("decline_form") or DeclineForm(),
    }
    status = 400 if request.method == "POST" else 200
    return render(request, "referrals/concern_review.html", context, status=status)


@login_required
@require_GET
def concern_review(request: HttpRequest, referral_id: str) -> HttpResponse:
    referral, student = referral_page(request, referral_id, need=Cap.RUN_EVALUATION)
    if referral.status != ReferralStatus.AWAITING_ACCEPTANCE:
        return redirect(_detail(referral))  # answered: the referral's page says how
    return _review(request, referral, student)


@login_required
@writes(Cap.RUN_EVALUATION)
@require_POST
def concern_accept(request: HttpRequest, referral_id: str) -> HttpResponse:
    referral, student = referral_page(request, referral_id, need=Cap.RUN_EVALUATION)
    form = forms.Form(request.POST)
    if done := run_action(
        request,
        form,
        lambda data: concerns.accept_concern(actor=request.user, referral=referral),
        then=_detail,
        message=_("The concern was accepted: it is now an open referral."),
    ):
        return done
    return _review(request, referral, student, accept_form=form)


@login_required
@writes(Cap.RUN_EVALUATION)
@require_POST
def concern_decline(request: HttpRequest, referral_id: str) -> HttpResponse:
    referral, student = referral_page(request, referral_id, need=Cap.RUN_EVALUATION)
    form = DeclineForm(request.POST)
    if done := run_action(
        request,
        form,
        lambda data: concerns.decline_concern(
            actor=request.user, referral=referral, reason=data["reason"]
        ),
        then=_detail,
        message=_("The concern was declined; the teacher will see your reason."),
    ):
        return done
    return _review(request, referral, student, decline_form=form)


@login_required
@require_GET
def concerns_waiting(request: HttpRequest) -> HttpResponse:
    if not standing(request.user).is_staff_member:  # type: ignore[arg-type]
        raise Http404
    waiting = concern_queries.concerns_to_review(request.user, today=clock.today())  # type: ignore[arg-type]
    return render(request, "referrals/concerns_waiting.html", {"concerns": list(waiting)})
