"""What the progress pages show and do, from plain values: the views only fetch and answer.

The collection page lists the goals a staff member records data for (`responsibility.py`), one
form per goal row and one date for the session; the browser's offline queue posts the same
entries as JSON, each saved on its own. The goal page shows one goal's graph and decision.
"""

from __future__ import annotations

import json
import uuid
from collections import OrderedDict
from collections.abc import Callable, Sequence
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from tandem import audit
from tandem.access.capabilities import Cap
from tandem.access.gatekeepers import access_owned, is_owner
from tandem.access.policy import Access
from tandem.accounts.models import User
from tandem.audit.catalogue import Action
from tandem.plans.models import Goal, PlanStatus
from tandem.progress import actions, picker
from tandem.progress.forms import (
    CorrectPointForm,
    GoalEntryForm,
    GoalPointForm,
    PhaseChangeForm,
    SessionDateForm,
)
from tandem.progress.measures import metric_for
from tandem.progress.models import DataPoint
from tandem.progress.queries import fmt, goals_with_students, progress_for, progress_for_goals
from tandem.progress.responsibility import responsible_goals

MAX_JSON_ENTRIES = 200
Row = tuple[Goal, GoalEntryForm]


# --- the collection page -----------------------------------------------------------------------


def collect_goals(
    user: User, *, today: date, asked: picker.Chosen
) -> tuple[list[Goal], dict[str, Any]]:
    """The goals shown (the students asked for, else all) and the picker over all of them."""
    every = responsible_goals(user, today=today)
    return picker.narrow(every, asked), picker.choices(every, asked)


def session_day(value: str | None, today: date) -> date:
    """The `?date=` of the last session saved, never after today; today when absent or bad."""
    try:
        day = date.fromisoformat(value) if value else today
    except ValueError:
        day = today
    return min(day, today)


def row_forms(goals: Sequence[Goal], data: Any = None) -> list[Row]:
    return [
        (goal, GoalEntryForm(data, prefix=f"g-{goal.public_id}", metric=metric_for(goal)))
        for goal in goals
    ]


def _put_on_rows(error: ValidationError, filled: Sequence[Row]) -> ValidationError:
    """Put a session's refusal on its rows ("<index>.<field>"); return what is the date form's."""
    left: dict[str, list[str]] = {}
    for key, messages in error.message_dict.items():
        index, _dot, name = key.partition(".")
        if not name:  # a single entry: the key is the field itself
            index, name = "0", key
        if name == "taken_on" or not index.isdigit() or int(index) >= len(filled):
            left.setdefault("taken_on" if name == "taken_on" else "__all__", []).extend(messages)
            continue
        form = filled[int(index)][1]
        for message in messages:
            form.add_error(form.field_for(name), message)
    return ValidationError(left)


def record_session(user: User, rows: Sequence[Row], taken_on: date) -> list[Any]:
    """Save the rows filled in (all or none); a refusal is put on the rows it names."""
    filled = [(goal, form) for goal, form in rows if form.measures()]
    if not filled:
        raise ValidationError(_("Enter at least one result."))
    entries = [
        actions.Entry(
            goal,
            form.measures(),
            form.cleaned_data.get("note") or "",
            form.cleaned_data.get("client_key") or uuid.uuid4(),
            bool(form.cleaned_data.get("confirm_duplicate")),
        )
        for goal, form in filled
    ]
    try:
        return actions.record_session(user, taken_on=taken_on, entries=entries)
    except ValidationError as error:
        raise _put_on_rows(error, filled) from None


def saved_message(results: Sequence[tuple[Any, bool]]) -> str:
    saved = sum(created for _point, created in results)
    return ngettext("%(n)s result saved.", "%(n)s results saved.", saved) % {"n": saved}


def collect_url(taken_on: date, students: Sequence[str] = ()) -> str:
    """The collection page for a date, showing the same students (`picker.choices()["ids"]`)."""
    params = {"date": taken_on.isoformat(), picker.PARAM: list(students)}
    return f"{reverse('progress_collect')}?{urlencode(params, doseq=True)}"


def _mine(user: User, goal: Goal, gp: Any) -> dict[str, Any] | None:
    """The viewer's own last result on this goal, to correct or void from the page."""
    point = next(
        (p for p in reversed(gp.points) if p.recorded_by_id == user.pk and p.goal_id == goal.pk),
        None,
    )
    return None if point is None else {"point": point, "value": fmt(point.value, gp.unit)}


def _row_errors(groups: Sequence[dict[str, Any]]) -> list[dict[str, str]]:
    """Each row's refusals for the error summary, named by student and goal."""
    items = []
    for group in groups:
        name = group["student"].display_name
        for row in group["rows"]:
            form, area = row["form"], row["goal"].area
            items += [
                {"anchor": "", "label": "", "message": f"{name}, {area}: {e}"}
                for e in form.non_field_errors()
            ]
            for field in form:
                items += [
                    {
                        "anchor": field.auto_id,
                        "label": f"{name}, {area}, {field.label}",
                        "message": e,
                    }
                    for e in field.errors
                ]
    return items


def collect_context(
    user: User, date_form: SessionDateForm, rows: Sequence[Row], chosen: dict[str, Any]
) -> dict[str, Any]:
    """The collection page: the rows grouped by student with each goal's state and the viewer's
    last result, and the choice of students (`picker.choices`); audited."""
    progress = {gp.goal.pk: gp for gp in progress_for_goals([goal for goal, _f in rows])}
    students: OrderedDict[int, dict[str, Any]] = OrderedDict()
    for goal, form in rows:
        student = goal.plan.student
        group = students.setdefault(student.pk, {"student": student, "rows": []})
        gp = progress[goal.pk]
        group["rows"].append({"goal": goal, "form": form, "gp": gp, "mine": _mine(user, goal, gp)})
    groups = list(students.values())
    # The picker names every student the user records for, shown or not: each is named.
    named = {g["student"].pk for g in groups} | {c.student.pk for c in chosen["choices"]}
    audit.record(
        actor=user,
        action=Action.PROGRESS__COLLECT_VIEWED,
        detail={"shown": len(groups)},
        students=named,
    )
    return {
        "date_form": date_form,
        "groups": groups,
        "row_errors": _row_errors(groups),
        "picker": chosen,
        "goal_count": len(rows),
    }


# --- the offline queue ---------------------------------------------------------------------------


def _bad_request(message: str) -> tuple[dict[str, Any], int]:
    return {"error": {"status": 400, "message": message}}, 400


def answer_queue(user: User, body: bytes, goals: Sequence[Goal]) -> tuple[dict[str, Any], int]:
    """Entries queued by the browser: each saved on its own, answered by its client key."""
    try:
        entries = list(json.loads(body or b"{}").get("entries") or [])
    except (ValueError, AttributeError, TypeError):
        return _bad_request(_("Not valid JSON."))
    if len(entries) > MAX_JSON_ENTRIES:
        return _bad_request(_("Too many entries."))
    by_id = {str(g.public_id): g for g in goals}
    return {"results": [_queued(user, raw, by_id) for raw in entries]}, 200


def _queued(user: User, raw: Any, by_id: dict[str, Goal]) -> dict[str, Any]:
    raw = raw if isinstance(raw, dict) else {}
    result: dict[str, Any] = {"client_key": str(raw.get("client_key") or "")}
    try:
        client_key = uuid.UUID(result["client_key"])
        goal = by_id.get(str(raw.get("goal") or ""))
        if goal is None:  # not on the page: the gatekeeper says whether it is theirs to record
            goal, _access = access_owned(
                user,
                goals_with_students(),
                raw.get("goal"),
                need=Cap.RECORD_PROGRESS,
                via="plan__student",
            )
        taken_on = date.fromisoformat(str(raw.get("taken_on") or ""))
        point, created = actions.record_data_point(
            user,
            goal,
            taken_on=taken_on,
            measures=raw.get("measures") or {},
            note=str(raw.get("note") or ""),
            client_key=client_key,
            confirm_duplicate=raw.get("confirm_duplicate") is True,
        )
    except Http404:
        return {**result, "status": "not_found"}
    except PermissionDenied:
        return {**result, "status": "forbidden"}
    except ValidationError as error:
        return {**result, "status": "invalid", "errors": error.message_dict}
    except ValueError:
        errors = {"taken_on": [_("Enter a date like 2026-03-14.")]}
        return {**result, "status": "invalid", "errors": errors}
    return {**result, "status": "saved" if created else "duplicate", "id": str(point.public_id)}


# --- the goal page -------------------------------------------------------------------------------


def revision_url(goal: Goal) -> str:
    """The new revision request for the goal's student, with the goal as evidence."""
    base = reverse("revision_new", args=[goal.plan.student.public_id])
    return f"{base}?goal={goal.public_id}"


def record_point(user: User, goal: Goal, form: GoalPointForm) -> Callable[[dict[str, Any]], Any]:
    """The goal page's action: one result, its refusal keyed by the form's fields."""

    def record(data: dict[str, Any]) -> Any:
        try:
            return actions.record_data_point(
                user,
                goal,
                taken_on=data["taken_on"],
                measures=form.measures(),
                note=data.get("note") or "",
                client_key=data.get("client_key"),
                confirm_duplicate=bool(data.get("confirm_duplicate")),
            )
        except ValidationError as error:
            raise form.keyed(error) from None

    return record


def record_phase(user: User, goal: Goal, form: PhaseChangeForm) -> Callable[[dict[str, Any]], Any]:
    """The goal page's other action: an instruction change."""

    def record(data: dict[str, Any]) -> Any:
        try:
            return actions.record_phase_change(user, goal, **data)
        except ValidationError as error:
            raise form.keyed(error) from None

    return record


def goal_context(
    user: User,
    goal: Goal,
    access: Access,
    *,
    point_form: GoalPointForm,
    phase_form: PhaseChangeForm,
) -> dict[str, Any]:
    """The goal page: its graph, decision and data, and the forms when the reader may record."""
    student = access.student
    audit.record(actor=user, action=Action.PROGRESS__GOAL_VIEWED, student=student, target=goal)
    gp = progress_for(goal)
    return {
        "student": student,
        "goal": goal,
        "gp": gp,
        "access": access,
        "plan_open": goal.plan.status == PlanStatus.ACTIVE,
        "revision_url": revision_url(goal),
        "point_form": point_form,
        "phase_form": phase_form,
        **table_context(user, access, gp),
    }


def goal_url(goal: Goal) -> str:
    return reverse("goal_progress", args=[goal.public_id])


def may_change_any(access: Access) -> bool:
    """Whether the reader may void or correct anyone's points (not only their own)."""
    unless = actions.CHANGED_BY.unless
    return access.is_leader or (unless is not None and access.has(unless))


def table_context(user: User, access: Access, gp: Any) -> dict[str, Any]:
    """The goal page's data table: voided points struck through, "Correct" and "Void" links."""
    return {
        "table_rows": gp.table_rows,
        "may_record": access.has(Cap.RECORD_PROGRESS),
        "may_change_any": may_change_any(access),
        "viewer_id": user.pk,
    }


# --- voiding and correcting a point ----------------------------------------------------------------


def correct_form(point: DataPoint, data: Any = None) -> CorrectPointForm:
    return CorrectPointForm(
        data, metric=metric_for(point.goal), initial=CorrectPointForm.initial_for(point)
    )


def correct_point(
    user: User, point: DataPoint, form: CorrectPointForm
) -> Callable[[dict[str, Any]], Any]:
    """The correction page's action: its refusal keyed by the form's fields."""

    def correct(data: dict[str, Any]) -> Any:
        try:
            return actions.correct_data_point(
                user,
                point,
                taken_on=data["taken_on"],
                measures=form.measures(),
                note=data.get("note") or "",
                reason=data["reason"],
                confirm_duplicate=bool(data.get("confirm_duplicate")),
            )
        except ValidationError as error:
            raise form.keyed(error) from None

    return correct


def back_to(asked: str | None, point: DataPoint) -> str:
    """Where the void and correct pages lead back: the collection page they were opened from
    (`?next=`, only that page's own address), else the point's goal."""
    collect = reverse("progress_collect")
    if asked and asked.startswith(collect) and url_has_allowed_host_and_scheme(asked, None):
        return asked
    return goal_url(point.goal)  # type: ignore[arg-type]


def point_context(
    user: User, point: DataPoint, access: Access, *, back: str, **forms: Any
) -> dict[str, Any]:
    """The void and correct pages: the point as recorded, its goal and the way back."""
    goal = point.goal
    assert goal is not None  # access_data_point only finds points with a goal
    return {
        "student": access.student,
        "goal": goal,
        "point": point,
        "value": fmt(point.value, metric_for(goal).unit),
        "mine": is_owner(user, point, "recorded_by"),
        "goal_url": goal_url(goal),
        "back_url": back,
        "back_to_collect": back != goal_url(goal),
        **forms,
    }
