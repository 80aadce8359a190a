"""Service pages: a provider logs a session (one student or a group), a student's minutes."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods

from tandem.access.capabilities import Cap
from tandem.access.policy import parse_public_id, require, standing, student_access
from tandem.access.routes import writes
from tandem.accounts.models import User
from tandem.audit.catalogue import Action
from tandem.core import clock
from tandem.core.handling import run_action
from tandem.plans.models import Goal, Service
from tandem.services import actions, alerts, compensatory, queries
from tandem.services.actions import Attendee
from tandem.services.forms import AddendumForm, LogSessionForm, makeup_field_name
from tandem.services.models import ServiceSession, StudentLocation


def _refuse_out_of_reach(user: User, posted: list[str], services: list[Service]) -> None:
    """A posted student row the page did not offer: 404 out of reach, 403 without the right.

    The same answers as a gatekeeper's, so a forged id learns nothing; a row in reach that is
    simply not this provider's service is left to the form ("Select a valid choice").
    """
    offered = {str(s.public_id) for s in services}
    for value in posted:
        if value in offered:
            continue
        key = parse_public_id(value)
        service = Service.objects.select_related("plan__student").filter(public_id=key).first()
        if service is None:
            raise Http404
        require(user, service.plan.student, Cap.RECORD_PROGRESS)


def _goals_of_plans(plan_ids: set[int]) -> dict[int, list[Any]]:
    """The goals of the plans logged, by plan (one query): a session's data points."""
    by_plan: dict[int, list[Any]] = {}
    for goal in Goal.objects.filter(plan_id__in=plan_ids).select_related("plan").order_by("id"):
        by_plan.setdefault(goal.plan.pk, []).append(goal)
    return by_plan


def _log(user: User, form: LogSessionForm) -> Any:
    def run(data: dict[str, Any]) -> ServiceSession:
        attendees = [
            Attendee(
                student=service.plan.student,
                service=service,
                code=code,
                makes_up=missed,
                makeup_field=makeup_field_name(service),
                data=form.goal_data(service),
            )
            for service, code, missed in form.chosen()
        ]
        return actions.log_session(
            actor=user,
            day=data["day"],
            start_time=data["start_time"],
            minutes=data["minutes"],
            attendees=attendees,
            modality=data["modality"],
            platform=data.get("platform") or "",
            minutes_lost=data.get("minutes_lost") or 0,
            join_url=data.get("join_url") or "",
            facilitator=data.get("facilitator") or "",
            student_location=data.get("student_location") or StudentLocation.SCHOOL,
            note=data.get("note") or "",
        )

    return run


def _logged_message(form: LogSessionForm) -> Any:
    # Read after the form is valid: the count is of the students actually logged.
    def message(session: ServiceSession) -> str:
        count = len(form.chosen())
        text = ngettext(
            "The session was logged and signed for %(n)s student.",
            "The session was logged and signed for %(n)s students.",
            count,
        ) % {"n": count}
        if session.needs_cosignature:
            text += " " + _("It awaits your supervisor's co-signature.")
        return text

    return message


def _saved_url(request: HttpRequest) -> str:
    """The log page again, naming the browser's copy of the form (its `draft` id) as saved.

    offline_form.js keeps what was typed until this answer: only the redirect after a save
    names the copy, so an error page or an unreachable server never clears it. Echoed only
    when it is an id.
    """
    then = reverse("session_log")
    try:
        return f"{then}?{urlencode({'saved': str(UUID(request.POST.get('draft', '')))})}"
    except ValueError:
        return then


@writes(Cap.RECORD_PROGRESS)
@require_http_methods(["GET", "POST"])
def session_log(request: HttpRequest) -> HttpResponse:
    """Log one session for one student or a group, in one submission."""
    user: User = request.user  # type: ignore[assignment]
    if standing(user).staff_id is None:
        raise Http404  # a family logs no sessions
    today = clock.today()
    services = queries.services_to_log(user, today=today)
    posting = request.method == "POST"
    if posting:
        _refuse_out_of_reach(user, request.POST.getlist("students"), services)
    form = LogSessionForm(
        request.POST if posting else None,
        services=services,
        open_misses=compensatory.open_misses({s.plan.student for s in services}),
        goals=_goals_of_plans({s.plan.pk for s in services}),
        initial={"day": today, "minutes": 30},
    )
    then = _saved_url(request)  # used only after a save
    if done := run_action(
        request, form, _log(user, form), then=then, message=_logged_message(form)
    ):
        return done
    context = {"form": form, "rows": form.rows(), "today": today}
    return render(request, "services/log.html", context, status=400 if posting else 200)


@require_GET
def student_services(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """A student's services: minutes mandated, delivered, missed and owed, and the sessions."""
    access = student_access(
        request.user,  # type: ignore[arg-type]
        public_id,
        action=Action.SERVICE_MINUTES__VIEWED,
    )
    student, today = access.student, clock.today()
    context = {
        "student": student,
        "access": access,
        "today": today,
        "minutes": queries.minutes_for_student(student, today=today),
        "ledger": compensatory.ledger_for_student(student, today=today),
        "alerts": alerts.open_alerts_for([student]).get(student.pk, []),
        "sessions": queries.sessions_of_student(student),
    }
    return render(request, "services/student.html", context)


@writes(Cap.RECORD_PROGRESS)
@require_http_methods(["GET", "POST"])
def session_addendum(request: HttpRequest, public_id: UUID, session_id: UUID) -> HttpResponse:
    """Add a correction to a signed session log of this student: a reason and the text."""
    user: User = request.user  # type: ignore[assignment]
    posting = request.method == "POST"  # the write is audited by the action
    access = student_access(
        user,
        public_id,
        need=Cap.RECORD_PROGRESS,
        action=None if posting else Action.SERVICE_MINUTES__VIEWED,
    )
    student = access.student
    session = queries.session_of_student(student, session_id)
    form = AddendumForm(request.POST if posting else None)
    if done := run_action(
        request,
        form,
        lambda data: actions.add_addendum(actor=user, session=session, **data),
        then=reverse("student_services", args=[student.public_id]),
        message=_("The correction was added. The signed log is unchanged."),
    ):
        return done
    context = {"student": student, "access": access, "session": session, "form": form}
    return render(request, "services/addendum.html", context, status=400 if posting else 200)
