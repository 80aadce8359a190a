"""Revision request pages: ask, the queue, one request with its outcome."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tandem.access import audit
from tandem.access.policy import Need, access_student, can, parse_public_id, students_visible_to
from tandem.communication.actions import is_family
from tandem.plans.models import Goal
from tandem.revisions import actions, queries
from tandem.revisions.evidence import progress_evidence
from tandem.revisions.forms import AmendForm, DeclineForm, RevisionRequestForm
from tandem.revisions.models import RevisionRequest, Status


def _goal(student, raw):  # type: ignore[no-untyped-def]
    if not raw:
        return None
    try:
        key = parse_public_id(raw)
    except Http404:
        return None
    return Goal.objects.select_related("plan").filter(public_id=key, plan__student=student).first()


@login_required
@require_http_methods(["GET", "POST"])
def revision_new(request, student_id):  # type: ignore[no-untyped-def]
    student = access_student(
        request.user,
        student_id,
        need=Need.READ,
        action="student.viewed" if request.method == "GET" else None,
    )
    goal = _goal(student, request.GET.get("goal") or request.POST.get("goal"))
    evidence = progress_evidence(goal) if goal is not None else {}
    form = RevisionRequestForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            rr = actions.open_revision_request(
                actor=request.user,
                student=student,
                reason=form.cleaned_data["reason"],
                proposed_change=form.cleaned_data["proposed_change"],
                goal=goal,
                evidence=evidence,
            )
        except ValidationError as error:
            form.add_action_errors(error)
        else:
            messages.success(
                request, _("Your request was sent to the case manager. You can follow it here.")
            )
            return redirect("revision_detail", revision_id=rr.public_id)
    return render(
        request,
        "revisions/revision_new.html",
        {
            "student": student,
            "form": form,
            "goal": goal,
            "evidence": evidence,
            "family": is_family(request.user, student),
        },
    )


@login_required
@require_GET
def revision_list(request):  # type: ignore[no-untyped-def]
    status = request.GET.get("status", Status.OPEN)
    if status not in Status.values and status != "all":
        status = Status.OPEN
    mine = request.GET.get("mine") == "1"
    rows = list(
        queries.queue_for(request.user, status="" if status == "all" else status, mine=mine)[:200]
    )
    audit.record(
        actor=request.user,
        action="revision.queue_viewed",
        detail={"status": status, "rows": len(rows)},
    )
    return render(
        request,
        "revisions/revision_list.html",
        {"rows": rows, "status": status, "mine": mine, "statuses": Status.choices},
    )


def _revision(request, revision_id):  # type: ignore[no-untyped-def]
    key = parse_public_id(revision_id)
    rr = (
        RevisionRequest.objects.select_related(
            "student__school",
            "student__district",
            "plan",
            "goal",
            "requested_by",
            "case_manager",
            "resolved_by",
            "meeting",
        )
        .filter(public_id=key, student__in=students_visible_to(request.user).values("pk"))
        .first()
    )
    if rr is None:
        raise Http404
    return rr


@login_required
@require_http_methods(["GET", "POST"])
def revision_detail(request, revision_id):  # type: ignore[no-untyped-def]
    rr = _revision(request, revision_id)
    student = rr.student
    can_write = can(request.user, Need.WRITE, student)
    amend = AmendForm(
        request.POST if request.POST.get("outcome") == "amend" else None, prefix="amend"
    )
    decline = DeclineForm(
        request.POST if request.POST.get("outcome") == "decline" else None, prefix="decline"
    )
    if request.method == "POST":
        if not can_write:
            raise PermissionDenied
        outcome = request.POST.get("outcome")
        form = amend if outcome == "amend" else decline if outcome == "decline" else None
        if form is None:
            raise Http404
        if form.is_valid():
            try:
                if outcome == "amend":
                    actions.record_amendment(
                        actor=request.user, revision=rr, note=form.cleaned_data["outcome_note"]
                    )
                else:
                    actions.decline_revision_request(
                        actor=request.user,
                        revision=rr,
                        prior_written_notice=form.cleaned_data["prior_written_notice"],
                        note=form.cleaned_data["note"],
                    )
            except ValidationError as error:
                form.add_action_errors(error)
            else:
                messages.success(request, _("The outcome was recorded and the requester told."))
                return redirect("revision_detail", revision_id=rr.public_id)
    else:
        audit.record(actor=request.user, action="revision.viewed", student=student, target=rr)
        from tandem.communication.deliveries import mark_opened

        mark_opened(request.user, request.path)
    return render(
        request,
        "revisions/revision_detail.html",
        {
            "rr": rr,
            "student": student,
            "can_write": can_write,
            "family": is_family(request.user, student),
            "amend": amend,
            "decline": decline,
            "open": rr.status == Status.OPEN,
        },
    )
