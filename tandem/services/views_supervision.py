"""Supervision pages: the sessions awaiting a supervisor's co-signature, the assistants'
supervision minutes against the state's rule, and recording supervision."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from tandem import audit
from tandem.access.capabilities import Cap
from tandem.access.policy import standing
from tandem.access.routes import Scope, writes
from tandem.accounts.models import User
from tandem.audit.catalogue import Action
from tandem.core import clock
from tandem.core.handling import run_action
from tandem.people.models import Staff
from tandem.services import actions_supervision as actions
from tandem.services import queries_supervision as q
from tandem.services.forms_supervision import (
    CosignForm,
    SupervisionForm,
    VoidSupervisionForm,
    posted_ids,
)
from tandem.services.models import SupervisionLog


def _staff_only(user: User) -> None:
    if standing(user).staff_id is None:
        raise Http404  # families supervise no one


def _record_queue_reads(user: User, queue: q.Queue) -> None:
    """Each student the queue lists is a read of their record (the family sees it)."""
    for entry in queue.entries:
        for row in entry.attendance:
            audit.record(
                actor=user, action=Action.COSIGNATURE_QUEUE__VIEWED, student=row.student, target=row
            )


def _cosigned(rows: list[Any]) -> str:
    return ngettext("%(n)s session was co-signed.", "%(n)s sessions were co-signed.", len(rows)) % {
        "n": len(rows)
    }


@writes(Cap.RECORD_PROGRESS)
@require_http_methods(["GET", "POST"])
def cosign_queue(request: HttpRequest) -> HttpResponse:
    """The assistants' sessions awaiting the supervisor's co-signature: co-sign one or several."""
    user: User = request.user  # type: ignore[assignment]
    _staff_only(user)
    posting = request.method == "POST"
    chosen = q.posted_sessions(posted_ids(request.POST)) if posting else []
    for session in chosen:
        actions.check_cosigner(user, session)  # out of reach 404, not the supervisor 403
    form = CosignForm(request.POST if posting else None)
    if done := run_action(
        request,
        form,
        lambda data: actions.cosign_sessions(actor=user, sessions=chosen),
        then=reverse("cosign_queue"),
        message=_cosigned,
    ):
        return done
    queue = q.awaiting_cosignature(user)
    _record_queue_reads(user, queue)
    context = {"form": form, "queue": queue}
    return render(request, "services/cosign.html", context, status=400 if posting else 200)


def _record_view(
    user: User, profiles: list[Any], students: dict[int, list[q.StudentSupervision]]
) -> None:
    """The page names each student an assistant served lately: each one's log finds it."""
    if profiles:
        named = [s.student.pk for served in students.values() for s in served if s.student]
        audit.record(
            actor=user,
            action=Action.SUPERVISION__VIEWED,
            detail={"assistants": [str(p.staff.public_id) for p in profiles][:50]},
            students=named,
        )


@require_GET
def supervision(request: HttpRequest) -> HttpResponse:
    """Each assistant's supervision minutes per period against the state's rule."""
    user: User = request.user  # type: ignore[assignment]
    _staff_only(user)
    today = clock.today()
    profiles = q.assistants_in_view(user, today=today)
    rows = q.supervision_figures(profiles, today=today)
    students = q.students_supervised(profiles, user, today=today)
    _record_view(user, profiles, students)
    for row in rows:
        row.students = students.get(row.profile.staff_id, [])
    context = {
        "rows": rows,
        "logs": q.recent_logs(profiles, today=today),
        "supervises": bool(q.supervisees(user)),
        "staff_id": standing(user).staff_id,
        "today": today,
    }
    return render(request, "services/supervision.html", context)


@writes(Scope.SELF)
@require_http_methods(["GET", "POST"])
def supervision_record(request: HttpRequest) -> HttpResponse:
    """A supervisor records supervision given to one of their assistants."""
    user: User = request.user  # type: ignore[assignment]
    _staff_only(user)
    today, mine = clock.today(), q.supervisees(user)
    if not mine:  # sees assistants' figures without supervising any: may not record
        raise PermissionDenied if q.assistants_in_view(user, today=today) else Http404
    assistants = Staff.objects.filter(pk__in=[p.staff_id for p in mine]).select_related("user")
    sessions = q.observable_sessions(user, today=today)
    form = SupervisionForm(
        request.POST or None, assistants=assistants, sessions=sessions, initial={"day": today}
    )
    if done := run_action(
        request,
        form,
        lambda data: actions.record_supervision(actor=user, **data),
        then=reverse("supervision"),
        message=_("The supervision was recorded."),
    ):
        return done
    status = 400 if request.method == "POST" else 200
    return render(request, "services/supervision_record.html", {"form": form}, status=status)


@writes(Scope.SELF)
@require_http_methods(["GET", "POST"])
def supervision_void(request: HttpRequest, log_id: UUID) -> HttpResponse:
    """The supervisor who recorded an entry sets it aside with the reason (it stays on file).

    Only their own entries are found (404 for anyone else's): an entry is its supervisor's word.
    """
    user: User = request.user  # type: ignore[assignment]
    _staff_only(user)
    staff_id = standing(user).staff_id
    log = get_object_or_404(
        SupervisionLog.objects.select_related("assistant__user").filter(void__isnull=True),
        public_id=log_id,
        supervisor_id=staff_id,
    )
    form = VoidSupervisionForm(request.POST or None)
    void = lambda data: actions.void_supervision(actor=user, log=log, reason=data["reason"])  # noqa: E731
    message = _("The entry was set aside. It stays on file and no longer counts.")
    if done := run_action(request, form, void, then=reverse("supervision"), message=message):
        return done
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "log": log}
    return render(request, "services/supervision_void.html", context, status=status)
