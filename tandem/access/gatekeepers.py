"""Gatekeepers: the only way a view or an endpoint fetches one record of a student's.

`access_owned` is the one generic gatekeeper for "an object that belongs to a student": it
finds the object by its public id, follows `via` to its student, and answers as the student
would (404 out of reach, the same as absent; 403 without the capability), recording the access.
The typed wrappers below name the usual objects; an app with another kind of record calls
`access_owned` with its own queryset. Models are named by label ("plans.Plan") so that the policy
stays below the apps whose records it guards.

Ownership: some writes belong to one person among those who hold the capability, e.g. an
evaluator records their own assessment, and the person a family's request is routed to answers
it. `owner=Owner("evaluator", unless=Cap.RUN_EVALUATION)` adds that check; leaders always pass.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.apps import apps
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from tandem import audit
from tandem.access.capabilities import Cap
from tandem.access.policy import (
    Access,
    can,
    decision_for,
    parse_public_id,
    record_refusal,
    refuse,
    standing,
)
from tandem.accounts.models import User


@dataclass(frozen=True, slots=True)
class Owner:
    """The field naming the one person who may act (a Staff or a User), unless `unless` is held."""

    field: str
    unless: Cap | None = None


def _queryset(source: str | QuerySet[Any] | type[Model]) -> QuerySet[Any]:
    if isinstance(source, QuerySet):
        return source
    model = apps.get_model(source) if isinstance(source, str) else source
    return model._default_manager.all()


def _student_of(obj: Any, via: str) -> Any:
    owner = obj
    for part in via.split("__"):
        owner = getattr(owner, part)
    return owner


def is_owner(user: User, obj: Any, field_name: str) -> bool:
    """Whether `obj.<field_name>` is this user (or this user's staff record)."""
    related = obj._meta.get_field(field_name).related_model
    value = getattr(obj, f"{field_name}_id")
    if value is None:
        return False
    if related._meta.label == "people.Staff":
        return value == standing(user).staff_id
    return value == user.pk


def access_owned(
    user: User,
    source: str | QuerySet[Any] | type[Model],
    public_id: object,
    *,
    need: Cap = Cap.READ,
    via: str = "student",
    owner: Owner | None = None,
    action: str | None = None,
    detail: dict[str, Any] | None = None,
    page: str = "",
) -> tuple[Any, Access]:
    """The object and the decision on its student; 404 out of reach, 403 without `need`."""
    qs = _queryset(source)
    label = qs.model._meta.label_lower
    try:
        key = parse_public_id(public_id)
    except Http404:
        record_refusal(user, public_id, student=None, page=page or label)
        raise
    obj = qs.select_related(via).filter(public_id=key).first()
    student = _student_of(obj, via) if obj is not None else None
    decision = decision_for(user, student) if student is not None else None
    if decision is None or Cap.READ not in decision.caps:
        record_refusal(user, key, student=student, page=page or label)
        raise Http404
    if not can(user, need, student):
        refuse(user, student, need, page=page or label, target=obj)
    if owner is not None and not decision.is_leader:
        holds_override = owner.unless is not None and decision.has(owner.unless)
        if not holds_override and not is_owner(user, obj, owner.field):
            refuse(user, student, f"owner:{owner.field}", page=page or label, target=obj)
    if action:
        audit.record(actor=user, action=action, student=student, target=obj, detail=detail)
    return obj, decision


# --- typed wrappers ----------------------------------------------------------------------------


def access_plan(
    user: User,
    plan_id: object,
    *,
    need: Cap = Cap.READ,
    action: str | None = "plan.viewed",
    detail: dict[str, Any] | None = None,
) -> tuple[Any, Access]:
    """An IEP or 504 Plan (with its current version) and the decision on its student."""
    plans = _queryset("plans.Plan").select_related("student__school", "current_version")
    return access_owned(user, plans, plan_id, need=need, action=action, detail=detail)


def access_goal(
    user: User,
    goal_id: object,
    *,
    need: Cap = Cap.READ,
    action: str | None = None,
) -> tuple[Any, Access]:
    """A goal (with its plan) and the decision on its student."""
    goals = _queryset("plans.Goal").select_related("plan__student__school")
    return access_owned(user, goals, goal_id, need=need, via="plan__student", action=action)


def access_referral(
    user: User, referral_id: object, *, need: Cap = Cap.READ, action: str | None = None
) -> tuple[Any, Access]:
    referrals = _queryset("referrals.Referral").select_related("student__school")
    return access_owned(user, referrals, referral_id, need=need, action=action)


def access_meeting(
    user: User, meeting_id: object, *, need: Cap = Cap.READ, action: str | None = None
) -> tuple[Any, Access]:
    meetings = _queryset("meetings.Meeting").select_related("student__school")
    return access_owned(user, meetings, meeting_id, need=need, action=action)


def access_report(
    user: User, report_id: object, *, need: Cap = Cap.READ, action: str | None = None
) -> tuple[Any, Access]:
    reports = _queryset("reports.ProgressReport").select_related("student__school")
    return access_owned(user, reports, report_id, need=need, action=action)


# Correcting or voiding a data point is its recorder's act; whoever manages the team may also.
DATA_POINT_CHANGER = Owner("recorded_by", unless=Cap.MANAGE_TEAM)


def access_data_point(user: User, point_id: object) -> tuple[Any, Access]:
    """A data point still in force, for its recorder, the team's manager or a leader (404/403)."""
    points = _queryset("progress.DataPoint").filter(goal__isnull=False, voided_at__isnull=True)
    points = points.select_related(
        "goal__plan__student__district", "goal__plan__student__school", "student", "recorded_by"
    )
    return access_owned(
        user,
        points,
        point_id,
        need=Cap.RECORD_PROGRESS,
        via="student",
        owner=DATA_POINT_CHANGER,
    )


# Reopening an assessment recorded by mistake is its evaluator's act; whoever runs the
# evaluation (RUN_EVALUATION) may also, and leaders always may.
ASSESSMENT_REOPENER = Owner("evaluator", unless=Cap.RUN_EVALUATION)


def access_assessment(
    user: User, assessment_id: object, *, action: str | None = None
) -> tuple[Any, Access]:
    """An assessment, for its evaluator, who runs the evaluation, or a leader (404/403)."""
    assessments = _queryset("referrals.Assessment").select_related(
        "plan__referral__student__school", "evaluator__user"
    )
    return access_owned(
        user,
        assessments,
        assessment_id,
        need=Cap.RECORD_ASSESSMENT,
        via="plan__referral__student",
        owner=ASSESSMENT_REOPENER,
        action=action,
    )


def refuse_unless(decision: Access, cap: Cap) -> None:
    """403 unless the decision holds `cap` (the student is already known to be in reach)."""
    if not decision.has(cap):
        refuse(decision.viewer, decision.student, cap, page="decision")


# --- a task given to one person ----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Assignee:
    """The field naming the one person a task on a student's record is given to (a district
    translator), and which of those records are still open to them (`open`, a Q)."""

    field: str
    open: Q


def access_assigned(
    user: User,
    source: str | QuerySet[Any] | type[Model],
    public_id: object,
    *,
    assignee: Assignee,
    need: Cap = Cap.READ,
    via: str = "student",
    action: str | None = None,
) -> tuple[Any, Access]:
    """The object for the person it is assigned to while it is open, though they may have no tie
    to its student; for anyone else, `access_owned` (404 out of reach, 403 without `need`).

    The task is the assignee's legitimate educational interest in that one record (FERPA
    99.31(a)(1)): a district's translator sees the plan text they translate, not the student's
    record. The decision returned is the policy's own, so it grants the assignee nothing more.
    """
    qs = _queryset(source)
    try:
        key = parse_public_id(public_id)
    except Http404:
        key = None
    if key is not None and user.is_authenticated and user.is_active:
        mine = qs.select_related(via).filter(assignee.open, public_id=key).first()
        if mine is not None and is_owner(user, mine, assignee.field):
            student = _student_of(mine, via)
            if action:
                detail = {"as": "assignee"}
                audit.record(actor=user, action=action, student=student, target=mine, detail=detail)
            return mine, decision_for(user, student)
    return access_owned(user, qs, public_id, need=need, via=via, action=action)
