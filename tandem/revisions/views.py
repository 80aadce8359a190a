"""Revision request pages: ask, the queue, one request with its outcome, a meeting to answer it.

Thin views: the gatekeeper first (anyone in reach may ask, a parent as the family; answering
needs `Cap.ANSWER_REVISIONS` and, through `queries.ANSWERED_BY`, being the person the request is
routed to or a leader), forms parse, `actions.py` decides and writes, `pages.py` builds what the
templates show.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import Any
from uuid import UUID

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tandem import audit
from tandem.access.capabilities import Cap
from tandem.access.gatekeepers import access_owned, refuse_unless
from tandem.access.policy import Access, student_access
from tandem.access.routes import writes
from tandem.accounts.models import User
from tandem.audit import downloads
from tandem.audit.catalogue import Action
from tandem.communication.deliveries import mark_opened
from tandem.core import clock
from tandem.core.handling import run_action
from tandem.meetings.models import MeetingKind
from tandem.meetings.pages import Scheduling
from tandem.meetings.views import schedule_page
from tandem.plans import pages_lifecycle as plan_pages
from tandem.plans import readiness
from tandem.plans.forms_lifecycle import Amendment
from tandem.plans.models import Plan
from tandem.revisions import actions, pages, queries
from tandem.revisions.evidence import progress_evidence
from tandem.revisions.forms import RevisionRequestForm
from tandem.revisions.models import RevisionRequest, Status


# Anyone who may read the record may ask (a parent asks as the family: checked by the action).
@writes(Cap.READ)
@require_http_methods(["GET", "POST"])
def revision_new(request: HttpRequest, student_id: UUID) -> HttpResponse:
    viewed = Action.STUDENT__VIEWED if request.method == "GET" else None
    access = student_access(request.user, student_id, action=viewed)  # type: ignore[arg-type]
    goal = queries.goal_of(access.student, request.GET.get("goal") or request.POST.get("goal"))
    evidence = progress_evidence(goal) if goal is not None else {}
    form = RevisionRequestForm(request.POST if request.method == "POST" else None)
    ask = lambda data: actions.open_revision_request(  # noqa: E731
        actor=request.user, student=access.student, goal=goal, evidence=evidence, **data
    )
    message = _("Your request was sent to the case manager. You can follow it here.")
    if done := run_action(request, form, ask, then=pages.detail_url, message=message):
        return done
    context = pages.new(access, form, goal, evidence)
    return render(request, "revisions/revision_new.html", context)


@require_GET
def revision_list(request: HttpRequest) -> HttpResponse:
    status = request.GET.get("status", Status.OPEN)
    if status not in Status.values and status != "all":
        status = Status.OPEN
    mine = request.GET.get("mine") == "1"
    shown = "" if status == "all" else status
    queue = queries.queue_for(request.user, status=shown, mine=mine)
    if fmt := downloads.wanted(request):
        return pages.queue_download(request, queue, fmt)
    rows = list(queue[:200])
    audit.record(
        actor=request.user,
        action=Action.REVISION__QUEUE_VIEWED,
        detail={"status": status, "rows": len(rows)},
        students=[rr.student_id for rr in rows],
    )
    context = {"rows": rows, "status": status, "mine": mine, "statuses": Status.choices}
    context["download_query"] = request.GET.urlencode()
    return render(request, "revisions/revision_list.html", context)


def _answerable(request: HttpRequest, revision_id: UUID) -> tuple[RevisionRequest, Access]:
    """The request, for the one it is routed to (or a leader) holding ANSWER_REVISIONS."""
    return access_owned(  # type: ignore[no-any-return]
        request.user,  # type: ignore[arg-type]
        queries.with_details(),
        revision_id,
        need=Cap.ANSWER_REVISIONS,
        owner=queries.ANSWERED_BY,
    )


def _not_amendable(rr: RevisionRequest, plan: Plan | None) -> str | None:
    """Why this request cannot be answered by an amendment now, or None."""
    if rr.status != Status.OPEN:
        return _("This request is already answered.")
    if plan is None:
        return _("The student has no plan in effect to amend.")
    return None


@writes(Cap.ANSWER_REVISIONS)
@require_http_methods(["GET", "POST"])
def revision_detail(request: HttpRequest, revision_id: UUID) -> HttpResponse:
    if request.method == "POST":
        return _answer(request, revision_id)
    viewed = Action.REVISION__VIEWED
    rr, access = access_owned(request.user, queries.with_details(), revision_id, action=viewed)  # type: ignore[arg-type]
    mark_opened(request.user, request.path)
    context = pages.detail(rr, access, request.user)  # type: ignore[arg-type]
    return render(request, "revisions/revision_detail.html", context)


def _answer(request: HttpRequest, revision_id: UUID) -> HttpResponse:
    """Decline with prior written notice (an amendment has its own page, `revision_amend`)."""
    rr, access = _answerable(request, revision_id)
    if request.POST.get("outcome") != "decline":
        raise Http404
    form = pages.decline_form(rr, request.POST)
    decline = lambda _data: actions.decline_revision_request(  # noqa: E731
        actor=request.user, revision=rr, **form.decline_kwargs()
    )
    message = _("The request was declined; the prior written notice is on the family's portal.")
    if done := run_action(request, form, decline, then=pages.detail_url(rr), message=message):
        return done
    context = pages.detail(rr, access, request.user, decline=form)  # type: ignore[arg-type]
    return render(request, "revisions/revision_detail.html", context)


def _amend(actor: User, rr: RevisionRequest, amendment: Amendment) -> Callable[..., Any]:
    """The amendment, answering the request; the plan's check puts problems on their rows."""

    def amend(data: dict[str, Any]) -> Any:
        changes = amendment.changes()
        if changes is None:
            raise ValidationError(_("Nothing was changed: edit the plan before saving."))
        try:
            return actions.amend_for_request(
                actor=actor,
                revision=rr,
                changes=changes,
                parent_agreement_date=data["parent_agreement_date"],
                reason=data["reason"].strip(),
                today=clock.today(),
            )
        except readiness.PlanNotReady as refusal:
            raise amendment.place(refusal.problems) from None

    return amend


def _amendment(request: HttpRequest, rr: RevisionRequest, plan: Plan) -> Amendment:
    """The amendment as posted (always without a meeting: a meeting answers the request by its
    own page), or prefilled from the request."""
    if request.method != "POST":
        amendment = Amendment(plan, None)
        amendment.form.initial.update(pages.amend_initial(rr))
        return amendment
    data = request.POST.copy()
    data["with_meeting"] = "no"
    return Amendment(plan, data)


@writes(Cap.ANSWER_REVISIONS)
@require_http_methods(["GET", "POST"])
def revision_amend(request: HttpRequest, revision_id: UUID) -> HttpResponse:
    """Answer the request by amending the plan without a meeting: the plan's amendment page,
    and the request resolved by the version it makes (300.324(a)(4))."""
    rr, access = _answerable(request, revision_id)
    refuse_unless(access, Cap.WRITE_PLAN)
    plan = Plan.objects.active_for(rr.student)
    if why := _not_amendable(rr, plan):
        messages.error(request, why)
        return redirect(pages.detail_url(rr))
    assert plan is not None  # _not_amendable said why otherwise
    amendment = _amendment(request, rr, plan)
    message = _("The plan was amended: version %(number)s. The request is answered.")
    if done := run_action(
        request,
        amendment.form,
        _amend(request.user, rr, amendment),  # type: ignore[arg-type]
        forms=tuple(amendment.formsets.values()),
        message=lambda version: message % {"number": version.number},
        then=pages.detail_url(rr),
    ):
        return done
    context = pages.amend_page(rr, plan_pages.amend(plan, access, amendment))
    return render(request, "plans/lifecycle/amend.html", context)


@writes(Cap.ANSWER_REVISIONS)
@require_http_methods(["GET", "POST"])
def revision_meeting(request: HttpRequest, revision_id: UUID) -> HttpResponse:
    """Answer the request with a meeting: the scheduling page, the meeting linked to the request."""
    rr, access = _answerable(request, revision_id)
    refuse_unless(access, Cap.SCHEDULE_MEETINGS)
    source = request.POST if request.method == "POST" else request.GET
    scheduling = Scheduling.start(
        rr.student,
        source.get("kind", MeetingKind.AMENDMENT),
        today=clock.today(),
        purpose=pages.meeting_purpose(rr),
        scheduler=partial(actions.schedule_revision_meeting, revision=rr),
    )
    return schedule_page(request, access, scheduling, revision=rr)
