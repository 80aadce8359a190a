"""Progress pages: recording a session for one student or a group, and a goal's progress."""

from __future__ import annotations

from uuid import UUID

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from tandem.access.capabilities import Cap
from tandem.access.gatekeepers import access_data_point, access_owned
from tandem.access.policy import standing
from tandem.access.routes import writes
from tandem.core import clock
from tandem.core.handling import run_action
from tandem.plans.models import Goal
from tandem.progress import actions, pages, picker
from tandem.progress.forms import GoalPointForm, PhaseChangeForm, SessionDateForm, VoidPointForm
from tandem.progress.measures import metric_for
from tandem.progress.queries import goals_with_students


@writes(Cap.RECORD_PROGRESS)
@require_http_methods(["GET", "POST"])
def progress_collect(request: HttpRequest) -> HttpResponse:
    user = request.user
    if standing(user).staff_id is None:  # type: ignore[arg-type]
        raise Http404  # a family has no goals to record
    today, asked = clock.today(), picker.chosen(request.GET)
    goals, chosen = pages.collect_goals(user, today=today, asked=asked)  # type: ignore[arg-type]
    if request.method == "POST" and request.content_type == "application/json":
        answer, status = pages.answer_queue(user, request.body, goals)  # type: ignore[arg-type]
        return JsonResponse(answer, status=status)
    data = request.POST if request.method == "POST" else None
    day = pages.session_day(request.GET.get("date"), today)
    date_form = SessionDateForm(data, initial={"taken_on": day})
    rows = pages.row_forms(goals, data)
    if data is not None and (done := _save_session(request, date_form, rows, chosen["ids"])):
        return done
    context = pages.collect_context(user, date_form, rows, chosen)  # type: ignore[arg-type]
    status = 200 if data is None else 400
    return render(request, "progress/collect.html", context, status=status)


def _save_session(
    request: HttpRequest, date_form: SessionDateForm, rows: list[pages.Row], students: list[str]
) -> HttpResponse | None:
    """Save the session's filled rows at once, then back to the page for the same date and
    the same students."""
    return run_action(
        request,
        date_form,
        lambda data: pages.record_session(request.user, rows, data["taken_on"]),  # type: ignore[arg-type]
        forms=tuple(form for _goal, form in rows),
        message=pages.saved_message,
        then=lambda _results: pages.collect_url(date_form.cleaned_data["taken_on"], students),
    )


@writes(Cap.RECORD_PROGRESS)
@require_http_methods(["GET", "POST"])
def goal_progress(request: HttpRequest, goal_id: UUID) -> HttpResponse:
    user, posting = request.user, request.method == "POST"
    goal, access = access_owned(
        user,  # type: ignore[arg-type]
        goals_with_students(),
        goal_id,
        need=Cap.RECORD_PROGRESS if posting else Cap.READ,
        via="plan__student",
    )
    phase = posting and request.POST.get("form") == "phase"
    initial = {"taken_on": clock.today()}
    point_form = GoalPointForm(
        request.POST if posting and not phase else None,
        prefix="point",
        metric=metric_for(goal),
        initial=initial,
    )
    phase_form = PhaseChangeForm(request.POST if phase else None, prefix="phase")
    if posting and (done := _record(request, goal, point_form, phase_form, phase=phase)):
        return done
    forms = {"point_form": point_form, "phase_form": phase_form}
    context = pages.goal_context(user, goal, access, **forms)  # type: ignore[arg-type]
    return render(request, "progress/goal.html", context, status=400 if posting else 200)


def _record(
    request: HttpRequest,
    goal: Goal,
    point_form: GoalPointForm,
    phase_form: PhaseChangeForm,
    *,
    phase: bool,
) -> HttpResponse | None:
    """Run the goal page's action for the form posted, then back to the goal."""
    user = request.user
    then = reverse("goal_progress", args=[goal.public_id])
    if phase:
        record = pages.record_phase(user, goal, phase_form)  # type: ignore[arg-type]
        message = _("The instruction change was recorded.")
        return run_action(request, phase_form, record, message=message, then=then)
    record = pages.record_point(user, goal, point_form)  # type: ignore[arg-type]
    return run_action(request, point_form, record, message=_("The result was saved."), then=then)


@writes(Cap.RECORD_PROGRESS)
@require_http_methods(["GET", "POST"])
def point_void(request: HttpRequest, point_id: UUID) -> HttpResponse:
    """Void a point recorded by mistake, with the reason: kept, struck through, left out."""
    user = request.user
    point, access = access_data_point(user, point_id)  # type: ignore[arg-type]
    back = pages.back_to(request.GET.get("next"), point)
    form = VoidPointForm(request.POST if request.method == "POST" else None)
    done = run_action(
        request,
        form,
        lambda data: actions.void_data_point(user, point, reason=data["reason"]),  # type: ignore[arg-type]
        then=back,
        message=_("The point was voided. It stays in the table, struck through, with the reason."),
    )
    if done:
        return done
    context = pages.point_context(user, point, access, back=back, form=form)  # type: ignore[arg-type]
    status = 400 if request.method == "POST" else 200
    return render(request, "progress/point_void.html", context, status=status)


@writes(Cap.RECORD_PROGRESS)
@require_http_methods(["GET", "POST"])
def point_correct(request: HttpRequest, point_id: UUID) -> HttpResponse:
    """Correct a point's date, result or note, with the reason: the original is kept."""
    user = request.user
    point, access = access_data_point(user, point_id)  # type: ignore[arg-type]
    back = pages.back_to(request.GET.get("next"), point)
    form = pages.correct_form(point, request.POST if request.method == "POST" else None)
    done = run_action(
        request,
        form,
        pages.correct_point(user, point, form),  # type: ignore[arg-type]
        then=back,
        message=_("The point was corrected. The original is kept in its history."),
    )
    if done:
        return done
    context = pages.point_context(user, point, access, back=back, form=form)  # type: ignore[arg-type]
    status = 400 if request.method == "POST" else 200
    return render(request, "progress/point_correct.html", context, status=status)
