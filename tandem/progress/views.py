"""Progress pages: recording a session for one student or a group, and a goal's progress."""

from __future__ import annotations

import json
import uuid
from collections import OrderedDict
from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods

from tandem.access import audit
from tandem.access.policy import Need, access_student, can, parse_public_id, standing
from tandem.plans.models import Goal
from tandem.progress import actions
from tandem.progress.attention import revision_url
from tandem.progress.forms import GoalEntryForm, PhaseChangeForm, SessionDateForm
from tandem.progress.graphs import goal_graph_svg
from tandem.progress.measures import metric_for
from tandem.progress.queries import progress_for, progress_for_goals
from tandem.progress.responsibility import responsible_goals

MAX_JSON_ENTRIES = 200


def _date_from(value: str | None, default: date) -> date:
    if not value:
        return default
    try:
        return date.fromisoformat(value)
    except ValueError:
        return default


def _row_forms(goals: list[Goal], data: Any = None) -> list[tuple[Goal, GoalEntryForm]]:
    return [
        (goal, GoalEntryForm(data, prefix=f"g-{goal.public_id}", metric=metric_for(goal)))
        for goal in goals
    ]


def _apply_errors(
    exc: ValidationError, filled: list[tuple[Goal, GoalEntryForm]], date_form: SessionDateForm
) -> None:
    for key, messages_ in exc.message_dict.items():
        index, _dot, field = key.partition(".")
        if not field:  # a single entry: the key is the field itself
            index, field = "0", key
        if field == "taken_on":
            for message in messages_:
                date_form.add_error("taken_on", message)
            continue
        try:
            _goal, form = filled[int(index)]
        except (ValueError, IndexError):
            date_form.add_error(None, " ".join(messages_))
            continue
        target = form.field_for(field)
        for message in messages_:
            form.add_error(target, message)


def _json_collect(request: HttpRequest, goals: list[Goal]) -> JsonResponse:
    """Entries queued by the browser: each saved on its own, answered by its client key."""
    try:
        payload = json.loads(request.body or b"{}")
        entries = list(payload.get("entries") or [])
    except (ValueError, AttributeError, TypeError):
        return JsonResponse({"error": {"status": 400, "message": _("Not valid JSON.")}}, status=400)
    if len(entries) > MAX_JSON_ENTRIES:
        return JsonResponse(
            {"error": {"status": 400, "message": _("Too many entries.")}}, status=400
        )
    by_id = {str(g.public_id): g for g in goals}
    results = []
    for raw in entries:
        raw = raw if isinstance(raw, dict) else {}
        key = str(raw.get("client_key") or "")
        result: dict[str, Any] = {"client_key": key}
        try:
            client_key = uuid.UUID(key)
            goal = by_id.get(str(raw.get("goal") or ""))
            if goal is None:
                goal = _reachable_goal(request, raw.get("goal"))
            taken_on = date.fromisoformat(str(raw.get("taken_on") or ""))
        except Http404:
            results.append({**result, "status": "not_found"})
            continue
        except ValueError:
            results.append(
                {
                    **result,
                    "status": "invalid",
                    "errors": {"taken_on": [_("Enter a date like 2026-03-14.")]},
                }
            )
            continue
        try:
            point, created = actions.record_data_point(
                request.user,  # type: ignore[arg-type]
                goal,
                taken_on=taken_on,
                measures=raw.get("measures") or {},
                note=str(raw.get("note") or ""),
                client_key=client_key,
            )
        except ValidationError as exc:
            results.append({**result, "status": "invalid", "errors": exc.message_dict})
            continue
        except PermissionDenied:
            results.append({**result, "status": "forbidden"})
            continue
        results.append(
            {**result, "status": "saved" if created else "duplicate", "id": str(point.public_id)}
        )
    return JsonResponse({"results": results})


def _reachable_goal(request: HttpRequest, goal_id: Any) -> Goal:
    key = parse_public_id(goal_id)
    goal = (
        Goal.objects.select_related("plan__student__district", "plan__student__school")
        .filter(public_id=key)
        .first()
    )
    if goal is None:
        raise Http404
    access_student(request.user, goal.plan.student.public_id, action=None)  # type: ignore[arg-type]
    return goal


@login_required
@require_http_methods(["GET", "POST"])
def progress_collect(request: HttpRequest) -> HttpResponse:
    user = request.user
    if standing(user).staff_id is None:  # type: ignore[arg-type]
        raise Http404
    today = timezone.localdate()
    goals = responsible_goals(user, today=today)  # type: ignore[arg-type]
    only = request.GET.get("student")
    if only:
        key = str(parse_public_id(only))
        goals = [g for g in goals if str(g.plan.student.public_id) == key]
    if request.method == "POST" and request.content_type == "application/json":
        return _json_collect(request, goals)

    if request.method == "POST":
        date_form = SessionDateForm(request.POST)
        rows = _row_forms(goals, request.POST)
        valid = date_form.is_valid()
        filled: list[tuple[Goal, GoalEntryForm]] = []
        for goal, form in rows:
            if not form.is_valid():
                valid = False
            elif form.measures():
                filled.append((goal, form))
        if valid and not filled:
            date_form.add_error(None, _("Enter at least one result."))
            valid = False
        if valid:
            entries = [
                actions.Entry(
                    goal,
                    form.measures(),
                    form.cleaned_data.get("note") or "",
                    form.cleaned_data.get("client_key") or uuid.uuid4(),
                )
                for goal, form in filled
            ]
            try:
                results = actions.record_session(
                    user,  # type: ignore[arg-type]
                    taken_on=date_form.cleaned_data["taken_on"],
                    entries=entries,
                )
            except ValidationError as exc:
                _apply_errors(exc, filled, date_form)
            else:
                saved = sum(created for _p, created in results)
                messages.success(
                    request,
                    ngettext("%(n)s result saved.", "%(n)s results saved.", saved) % {"n": saved},
                )
                day = date_form.cleaned_data["taken_on"].isoformat()
                url = reverse("progress_collect") + f"?date={day}"
                if only:
                    url += f"&student={only}"
                return redirect(url)
        status = 400
    else:
        day = _date_from(request.GET.get("date"), today)
        date_form = SessionDateForm(initial={"taken_on": min(day, today)})
        rows = _row_forms(goals)
        status = 200
    progress = {gp.goal.pk: gp for gp in progress_for_goals(goals)}
    students: OrderedDict[int, dict[str, Any]] = OrderedDict()
    for goal, form in rows:
        student = goal.plan.student
        group = students.setdefault(student.pk, {"student": student, "rows": []})
        group["rows"].append({"goal": goal, "form": form, "gp": progress[goal.pk]})
    audit.record(
        actor=user,  # type: ignore[arg-type]
        action="progress.collect_viewed",
        detail={"students": [str(g["student"].public_id) for g in students.values()]},
    )
    errors = bool(date_form.errors) or any(f.errors for _g, f in rows)
    context = {
        "date_form": date_form,
        "groups": list(students.values()),
        "has_errors": errors,
        "only": only,
        "goal_count": len(rows),
    }
    return render(request, "progress/collect.html", context, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def goal_progress(request: HttpRequest, goal_id: str) -> HttpResponse:
    key = parse_public_id(goal_id)
    goal = (
        Goal.objects.select_related("plan__student__district", "plan__student__school")
        .filter(public_id=key)
        .first()
    )
    if goal is None:
        raise Http404
    student = access_student(request.user, goal.plan.student.public_id, action=None)  # type: ignore[arg-type]
    goal.plan.student = student
    can_write = can(request.user, Need.WRITE, student)  # type: ignore[arg-type]
    metric = metric_for(goal)
    point_form = GoalEntryForm(prefix="point", metric=metric)
    date_form = SessionDateForm(prefix="point", initial={"taken_on": timezone.localdate()})
    phase_form = PhaseChangeForm(prefix="phase")
    status = 200
    if request.method == "POST":
        if not can_write:
            raise PermissionDenied
        if request.POST.get("form") == "phase":
            phase_form = PhaseChangeForm(request.POST, prefix="phase")
            if phase_form.is_valid():
                try:
                    actions.record_phase_change(
                        request.user,  # type: ignore[arg-type]
                        goal,
                        **phase_form.cleaned_data,
                    )
                except ValidationError as exc:
                    for field, msgs in exc.message_dict.items():
                        target = field if field in phase_form.fields else None
                        if field == "taken_on":
                            target = "changed_on"
                        for m in msgs:
                            phase_form.add_error(target, m)
                else:
                    messages.success(request, _("The instruction change was recorded."))
                    return redirect("goal_progress", goal_id=goal.public_id)
        else:
            point_form = GoalEntryForm(request.POST, prefix="point", metric=metric)
            date_form = SessionDateForm(request.POST, prefix="point")
            if date_form.is_valid() and point_form.is_valid():
                if not point_form.measures():
                    point_form.add_error(
                        point_form.shown[0] if point_form.shown else None,
                        _("Enter the result for this goal: %(what)s.")
                        % {"what": str(metric.label).lower()},
                    )
                else:
                    try:
                        actions.record_data_point(
                            request.user,  # type: ignore[arg-type]
                            goal,
                            taken_on=date_form.cleaned_data["taken_on"],
                            measures=point_form.measures(),
                            note=point_form.cleaned_data.get("note") or "",
                            client_key=point_form.cleaned_data.get("client_key"),
                        )
                    except ValidationError as exc:
                        _apply_errors(exc, [(goal, point_form)], date_form)
                    else:
                        messages.success(request, _("The result was saved."))
                        return redirect("goal_progress", goal_id=goal.public_id)
        status = 400
    audit.record(
        actor=request.user,  # type: ignore[arg-type]
        action="progress.goal_viewed",
        student=student,
        target=goal,
    )
    gp = progress_for(goal)
    context = {
        "student": student,
        "goal": goal,
        "gp": gp,
        "graph": goal_graph_svg(gp),
        "can_write": can_write and goal.plan.status == "active",
        "revision_url": revision_url(goal) if can_write else "",
        "point_form": point_form,
        "date_form": date_form,
        "phase_form": phase_form,
        "has_errors": bool(point_form.errors or date_form.errors or phase_form.errors),
    }
    return render(request, "progress/goal.html", context, status=status)
