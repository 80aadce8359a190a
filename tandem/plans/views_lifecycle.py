"""The living document after finalizing: annual review, amendment, correction, transitions.

Thin views: the gatekeeper first with `Cap.WRITE_PLAN` (404 out of reach, 403 without the
capability), forms parse, the actions in `actions_versions.py` and `transitions.py` decide and write; a
refusal changes nothing and is shown next to the fields it names and in the error summary.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tandem.access.capabilities import Cap
from tandem.access.gatekeepers import access_plan
from tandem.access.policy import Access
from tandem.access.routes import writes
from tandem.core import clock
from tandem.core.handling import run_action
from tandem.plans import actions_versions, readiness, transitions
from tandem.plans import pages_lifecycle as pages
from tandem.plans.forms_lifecycle import (
    Amendment,
    AnnualReviewForm,
    CorrectionForm,
    ExitForm,
    SchoolChangeForm,
    To504Form,
    correction_changes,
    target_form,
)
from tandem.plans.models import Plan, PlanStatus


def _writable(request: HttpRequest, plan_id: UUID, page: str) -> tuple[Plan, Access]:
    return access_plan(  # type: ignore[no-any-return]
        request.user,  # type: ignore[arg-type]
        plan_id,
        need=Cap.WRITE_PLAN,
        detail={"page": page},
    )


def _refuse(request: HttpRequest, plan: Plan, message: str) -> HttpResponse:
    messages.error(request, message)
    return redirect("plan_detail", plan_id=plan.public_id)


def _posted(request: HttpRequest) -> Any:
    return request.POST if request.method == "POST" else None


def _version_saved(words: str) -> Callable[[Any], str]:
    """The success message naming the new version (`words` has a %(number)s)."""
    return lambda version: words % {"number": version.number}


# --- annual review ----------------------------------------------------------------------------


@writes(Cap.WRITE_PLAN)
@require_http_methods(["GET", "POST"])
def plan_annual_review(request: HttpRequest, plan_id: UUID) -> HttpResponse:
    plan, access = _writable(request, plan_id, "annual_review")
    if plan.status != PlanStatus.ACTIVE:
        return _refuse(request, plan, _("An annual review starts from the active plan."))
    form = AnnualReviewForm(_posted(request))
    start = lambda data: actions_versions.start_annual_review(  # noqa: E731
        actor=request.user, plan=plan, today=clock.today(), **data
    )
    message = _(
        "The annual review draft is ready, filled in from the plan in effect: "
        "change only what is different this year."
    )
    if done := run_action(request, form, start, message=message, then=pages.draft_url):
        return done
    context = pages.annual_review(plan, access, form)
    return render(request, "plans/lifecycle/annual_review.html", context)


# --- amendment --------------------------------------------------------------------------------


def _amend(request: HttpRequest, plan: Plan, amendment: Amendment) -> Callable[..., Any]:
    """The amendment action; the check's problems are put on their rows and sections."""

    def amend(data: dict[str, Any]) -> Any:
        changes = amendment.changes()
        if changes is None:
            raise ValidationError(_("Nothing was changed: edit the plan before saving."))
        try:
            return actions_versions.amend_plan(
                actor=request.user,  # type: ignore[arg-type]
                plan=plan,
                changes=changes,
                with_meeting=data["with_meeting"] == "yes",
                parent_agreement_date=data["parent_agreement_date"],
                today=clock.today(),
                reason=data["reason"].strip(),
            )
        except readiness.PlanNotReady as refusal:
            raise amendment.place(refusal.problems) from None

    return amend


@writes(Cap.WRITE_PLAN)
@require_http_methods(["GET", "POST"])
def plan_amend(request: HttpRequest, plan_id: UUID) -> HttpResponse:
    plan, access = _writable(request, plan_id, "amend")
    if plan.status != PlanStatus.ACTIVE:
        return _refuse(request, plan, _("Only an active plan can be amended."))
    amendment = Amendment(plan, _posted(request))
    message = _version_saved(
        _("The plan was amended: version %(number)s. The annual review date did not change.")
    )
    if done := run_action(
        request,
        amendment.form,
        _amend(request, plan, amendment),
        forms=tuple(amendment.formsets.values()),
        message=message,
        then=pages.detail_url(plan),
    ):
        return done
    return render(request, "plans/lifecycle/amend.html", pages.amend(plan, access, amendment))


# --- correction -------------------------------------------------------------------------------


def _correct(
    request: HttpRequest, plan: Plan, target: str, fix: Any, item: Any, reason: Any
) -> Any:
    def correct(data: dict[str, Any]) -> Any:
        changes = correction_changes(plan, target, fix, item)
        if changes is None:
            raise ValidationError(_("Nothing was changed: edit the text or date that is wrong."))
        return actions_versions.correct_plan(
            actor=request.user,  # type: ignore[arg-type]
            plan=plan,
            reason=reason.cleaned_data["reason"],
            changes=changes,
            today=clock.today(),
        )

    return correct


@writes(Cap.WRITE_PLAN)
@require_http_methods(["GET", "POST"])
def plan_correct(request: HttpRequest, plan_id: UUID) -> HttpResponse:
    plan, access = _writable(request, plan_id, "correct")
    if plan.status != PlanStatus.ACTIVE:
        return _refuse(request, plan, _("Only an active plan can be corrected."))
    target = (request.POST if request.method == "POST" else request.GET).get("target") or ""
    if not target:
        return render(request, "plans/lifecycle/correct.html", pages.correction(plan, access, ""))
    fix, item = target_form(plan, target, _posted(request))
    reason = CorrectionForm(_posted(request), prefix="why")
    message = _version_saved(
        _("Corrected: version %(number)s records the correction and its reason.")
    )
    correct = _correct(request, plan, target, fix, item, reason)
    then = pages.detail_url(plan)
    if done := run_action(request, fix, correct, forms=(reason,), message=message, then=then):
        return done
    context = pages.correction(plan, access, target, fix=fix, reason_form=reason)
    return render(request, "plans/lifecycle/correct.html", context)


# --- transitions ------------------------------------------------------------------------------


@writes(Cap.WRITE_PLAN)
@require_http_methods(["GET", "POST"])
def plan_exit(request: HttpRequest, plan_id: UUID) -> HttpResponse:
    plan, access = _writable(request, plan_id, "exit")
    if plan.status != PlanStatus.ACTIVE:
        return _refuse(request, plan, _("Only an active plan can be ended with an exit."))
    form = ExitForm(_posted(request), initial={"exit_date": clock.today()})
    end = lambda data: transitions.exit_plan(  # noqa: E731
        actor=request.user, plan=plan, today=clock.today(), **data
    )
    message = _("The plan has ended; the exit is recorded for federal reporting.")
    if done := run_action(request, form, end, message=message, then=pages.detail_url(plan)):
        return done
    context = pages.base(plan, access, form=form)
    return render(request, "plans/lifecycle/exit.html", context)


def _transition_step(request: HttpRequest, plan: Plan, step: str, form: Any) -> Any:
    """Run the step posted: a school or grade change, or the move from the IEP to a 504 Plan."""
    today = clock.today()
    if step == "move":
        move = lambda data: transitions.change_school(  # noqa: E731
            actor=request.user, plan=plan, today=today, **data
        )
        message = _("The change is recorded; the plan follows the student.")
        return run_action(request, form, move, message=message, then=pages.detail_url(plan))
    to504 = lambda data: transitions.move_iep_to_504(  # noqa: E731
        actor=request.user, plan=plan, today=today, **data
    )
    message = _("The IEP has ended and a 504 Plan draft was started with its accommodations.")
    return run_action(request, form, to504, message=message, then=pages.draft_url)


@writes(Cap.WRITE_PLAN)
@require_http_methods(["GET", "POST"])
def plan_transition(request: HttpRequest, plan_id: UUID) -> HttpResponse:
    plan, access = _writable(request, plan_id, "transition")
    if plan.status not in transitions.LIVE_STATUSES:
        return _refuse(request, plan, _("This plan has ended; the change was not recorded."))
    step = request.POST.get("step") if request.method == "POST" else None
    if step == "to504" and not pages.may_move_to_504(plan):
        raise Http404
    student, today = plan.student, clock.today()
    move = SchoolChangeForm(
        request.POST if step == "move" else None,
        district=student.district_id,
        initial={"school": student.school_id, "grade": student.grade, "on_date": today},
    )
    to504 = To504Form(request.POST if step == "to504" else None, initial={"exit_date": today})
    posted = {"move": move, "to504": to504}.get(step or "")
    if posted is not None and (done := _transition_step(request, plan, step, posted)):  # type: ignore[arg-type]
        return done
    context = pages.transition(plan, access, move, to504, step)
    return render(request, "plans/lifecycle/transition.html", context)
