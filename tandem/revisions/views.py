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

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tandem import audit
from tandem.access.capabilities import Cap
from tandem.access.gatekeepers import access_owned, refuse_unless
from tandem.access.policy import Access, student_access
from tandem.access.routes import writes
from tandem.accounts.models import User
from tandem.audit.catalogue import Action
from tandem.communication.deliveries import mark_opened
from tandem.core import clock
from tandem.core.handling import run_action
from tandem.meetings.models import MeetingKind
from tandem.meetings.pages import Scheduling
from tandem.meetings.views import schedule_page
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
    rows = list(queries.queue_for(request.user, status=shown, mine=mine)[:200])
    audit.record(
        actor=request.user,
        action=Action.REVISION__QUEUE_VIEWED,
        detail={"status": status, "rows": len(rows)},
    )
    context = {"rows": rows, "status": status, "mine": mine, "statuses": Status.choices}
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
    """Amend without a meeting, or decline with prior written notice."""
    rr, access = _answerable(request, revision_id)
    outcome = request.POST.get("outcome")
    if outcome not in ("amend", "decline"):
        raise Http404
    amend, decline = pages.outcome_forms(request.POST)
    form = amend if outcome == "amend" else decline
    act = _outcome(request.user, rr, outcome)  # type: ignore[arg-type]
    message = _("The outcome was recorded and the requester told.")
    if done := run_action(request, form, act, then=pages.detail_url(rr), message=message):
        return done
    context = pages.detail(rr, access, request.user, amend=amend, decline=decline)  # type: ignore[arg-type]
    return render(request, "revisions/revision_detail.html", context)


def _outcome(actor: User, rr: RevisionRequest, outcome: str) -> Callable[[dict[str, Any]], Any]:
    if outcome == "amend":
        return lambda data: actions.record_amendment(
            actor=actor, revision=rr, note=data["outcome_note"]
        )
    return lambda data: actions.decline_revision_request(actor=actor, revision=rr, **data)


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
