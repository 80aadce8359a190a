"""Writing a draft IEP or 504 Plan: start it, set its dates, save its sections, add, change
and remove its services, accommodations and goals, record the parent's consent to initial
services, or discard it.

Every action takes the acting user and refuses, changing nothing, when the user may not change
the student's record (404 when they may not even see it) or when the input breaks a rule (a
ValidationError keyed by field name). Sections and items are saved with optimistic checks: a
save made stale by someone else's raises StaleEdit. Finalizing a draft is in
`actions_versions.py`.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils.translation import gettext as _

from tandem import audit
from tandem.access.capabilities import Cap
from tandem.access.policy import require
from tandem.accounts.models import User
from tandem.audit.catalogue import Action
from tandem.core import clock
from tandem.people.models import Student
from tandem.plans.actions_common import (
    ITEM_FIELDS,
    StaleEdit,
    check_section_size,
    lock_plan,
    save_item,
    set_item_fields,
    write_section,
)
from tandem.plans.eligibility_gate import check_kind
from tandem.plans.models import (
    EDITABLE_STATUSES,
    Accommodation,
    ConsentToServices,
    Goal,
    Plan,
    PlanEvent,
    PlanEventKind,
    PlanKind,
    PlanSection,
    PlanStatus,
    SectionKey,
    Service,
    ServicesConsentAnswer,
)
from tandem.plans.readiness import is_initial_iep

# What each item's add, change and removal is called in the audit log.
_ITEM_ACTIONS: dict[type[Model], tuple[Action, Action, Action]] = {
    Service: (
        Action.PLAN__SERVICE_ADDED,
        Action.PLAN__SERVICE_CHANGED,
        Action.PLAN__SERVICE_REMOVED,
    ),
    Accommodation: (
        Action.PLAN__ACCOMMODATION_ADDED,
        Action.PLAN__ACCOMMODATION_CHANGED,
        Action.PLAN__ACCOMMODATION_REMOVED,
    ),
    Goal: (Action.PLAN__GOAL_ADDED, Action.PLAN__GOAL_CHANGED, Action.PLAN__GOAL_REMOVED),
}


# --- helpers ----------------------------------------------------------------------------------


def _require_editable(plan: Plan) -> None:
    if plan.status not in EDITABLE_STATUSES:
        raise ValidationError(
            {"status": _("Only a draft can be edited; amend or correct an active plan instead.")}
        )


def _check_lock(plan: Plan, expected_lock_version: int | None) -> None:
    if expected_lock_version is not None and expected_lock_version != plan.lock_version:
        raise StaleEdit(
            current_content=None,
            current_revision=plan.lock_version,
            saved_by=None,
            saved_at=None,
        )


def _bump(plan: Plan) -> None:
    plan.lock_version += 1
    plan.save(update_fields=["lock_version"])


# --- drafts -----------------------------------------------------------------------------------


@transaction.atomic
def create_draft(
    *, actor: User, student: Student, kind: str, today: date, meeting_date: date | None = None
) -> Plan:
    """Start an empty draft IEP or 504 Plan for the student."""
    require(actor, student, Cap.WRITE_PLAN)
    if kind not in PlanKind.values:
        raise ValidationError({"kind": _("Choose an IEP or a 504 Plan.")})
    check_kind(student, kind)
    if Plan.objects.filter(student=student, kind=kind, status__in=EDITABLE_STATUSES).exists():
        raise ValidationError({"kind": _("The student already has a draft of this kind.")})
    plan = Plan(student=student, kind=kind, meeting_date=meeting_date, created_by=actor)
    plan.full_clean()
    plan.save()
    audit.record(
        actor=actor,
        action=Action.PLAN__DRAFT_CREATED,
        student=student,
        target=plan,
        detail={"kind": kind, "today": today.isoformat()},
    )
    return plan


@transaction.atomic
def update_draft_dates(
    *, actor: User, plan: Plan, meeting_date: date | None, effective_to: date | None = None
) -> Plan:
    """Set the draft's meeting date (and planned end)."""
    require(actor, plan.student, Cap.WRITE_PLAN)
    plan = lock_plan(plan)
    _require_editable(plan)
    plan.meeting_date = meeting_date
    plan.effective_to = effective_to
    plan.full_clean()
    plan.lock_version += 1
    plan.save()
    audit.record(actor=actor, action=Action.PLAN__DATES_CHANGED, student=plan.student, target=plan)
    return plan


@transaction.atomic
def record_services_consent(
    *, actor: User, plan: Plan, answer: str, answered_on: date, today: date, note: str = ""
) -> ConsentToServices:
    """Record the parent's answer to consent to the initial provision of services (300.300(b)).

    Asked on the student's first IEP while it is a draft; a refusal is recorded as given (the
    school may not override it, 300.300(b)(3)), and the IEP cannot be finalized without a "yes".
    """
    require(actor, plan.student, Cap.WRITE_PLAN)
    plan = lock_plan(plan)
    _require_editable(plan)
    if not is_initial_iep(plan):
        raise ValidationError(
            {
                "answer": _(
                    "Consent to the initial provision of services is asked only on the "
                    "student's first IEP."
                )
            }
        )
    if answer not in ServicesConsentAnswer.values:
        raise ValidationError({"answer": _("Choose the parent's answer.")})
    if answered_on > today:
        raise ValidationError({"answered_on": _("The date of the answer cannot be in the future.")})
    consent = ConsentToServices(
        plan=plan, answer=answer, answered_on=answered_on, note=note.strip(), recorded_by=actor
    )
    consent.full_clean()
    consent.save()
    audit.record(
        actor=actor,
        action=Action.PLAN__SERVICES_CONSENT_RECORDED,
        student=plan.student,
        target=plan,
        detail={"answer": answer, "answered_on": answered_on.isoformat()},
    )
    return consent


def _own_run(section: PlanSection, actor: User, expected_revision: int) -> bool:
    """Whether every save since `expected_revision` is the actor's own: their newer save (an
    autosave still on its way when they pressed Save) is not someone else's."""
    return (
        section.pk is not None
        and section.updated_by_id == actor.pk
        and section.author_since <= expected_revision < section.revision
    )


@transaction.atomic
def save_section(
    *, actor: User, plan: Plan, key: str, content: Any, expected_revision: int
) -> PlanSection:
    """Save one section if nobody else saved it since `expected_revision`; otherwise StaleEdit.

    A revision made stale only by the same person's own later saves (an autosave in flight when
    they pressed Save) is not a conflict: their newest text is saved.
    """
    require(actor, plan.student, Cap.WRITE_PLAN)
    plan = lock_plan(plan)
    _require_editable(plan)
    if key not in SectionKey.values:
        raise ValidationError({"key": _("Unknown section.")})
    check_section_size(key, content)
    section = (
        PlanSection.objects.select_for_update(of=("self",))
        .select_related("updated_by")
        .filter(plan=plan, key=key)
        .first()
    )
    if section is None:
        section = PlanSection(plan=plan, key=key)
    if section.revision != expected_revision and not _own_run(section, actor, expected_revision):
        raise StaleEdit(
            current_content=section.content,
            current_revision=section.revision,
            saved_by=section.updated_by,
            saved_at=section.updated_at,
        )
    overtook = section.revision != expected_revision
    write_section(section, actor, content)
    # The plan is locked and the actor signed in: checking that both exist is a wasted query.
    section.full_clean(exclude=["plan", "updated_by"])
    section.save()
    detail: dict[str, Any] = {"section": key, "revision": section.revision}
    if overtook:
        detail["based_on_own"] = expected_revision
    audit.record(
        actor=actor,
        action=Action.PLAN__SECTION_SAVED,
        student=plan.student,
        target=plan,
        detail=detail,
    )
    return section


@transaction.atomic
def discard_draft(*, plan: Plan, actor: User, reason: str, today: date | None = None) -> Plan:
    """Discard a draft nobody will finalize: it leaves the student's plans and a new draft can
    be started. Nothing is deleted; the plan is marked discarded, with the reason, in its
    history and the audit log. A plan that was ever in effect is never discarded."""
    require(actor, plan.student, Cap.WRITE_PLAN)
    today = today or clock.today()
    plan = lock_plan(plan)
    reason = (reason or "").strip()
    if plan.status not in EDITABLE_STATUSES or plan.current_version_id is not None:
        raise ValidationError(
            {
                "status": _(
                    "Only a draft can be discarded; this plan is %(status)s. A finalized plan "
                    "is a legal record: amend it, correct it or end it instead."
                )
                % {"status": plan.get_status_display().lower()}
            }
        )
    if not reason:
        raise ValidationError({"reason": _("Say why the draft is discarded.")})
    plan.status = PlanStatus.DISCARDED
    plan.save(update_fields=["status"])
    PlanEvent.objects.create(
        plan=plan,
        kind=PlanEventKind.DISCARDED,
        happened_on=today,
        note=reason,
        recorded_by=actor,
    )
    audit.record(
        actor=actor,
        action=Action.PLAN__DRAFT_DISCARDED,
        student=plan.student,
        target=plan,
        detail={
            "reason": reason,
            "kind": plan.kind,
            "sections": plan.sections.count(),
            "services": plan.services.count(),
            "accommodations": plan.accommodations.count(),
            "goals": plan.goals.count(),
            "today": today.isoformat(),
        },
    )
    return plan


def _add_item(
    model: type[Model], actor: User, plan: Plan, data: Mapping[str, Any], expected: int | None
) -> Any:
    require(actor, plan.student, Cap.WRITE_PLAN)
    plan = lock_plan(plan)
    _require_editable(plan)
    _check_lock(plan, expected)
    item = model(plan=plan)
    set_item_fields(item, ITEM_FIELDS[model], data)
    save_item(item)
    _bump(plan)
    audit.record(
        actor=actor,
        action=_ITEM_ACTIONS[model][0],
        student=plan.student,
        target=item,
    )
    return item


def _update_item(
    model: type[Model], actor: User, item: Any, data: Mapping[str, Any], expected: int | None
) -> Any:
    require(actor, item.plan.student, Cap.WRITE_PLAN)
    plan = lock_plan(item.plan)
    _require_editable(plan)
    _check_lock(plan, expected)
    item = model.objects.get(pk=item.pk)  # type: ignore[attr-defined]
    set_item_fields(item, ITEM_FIELDS[model], data)
    save_item(item)
    _bump(plan)
    audit.record(
        actor=actor,
        action=_ITEM_ACTIONS[model][1],
        student=plan.student,
        target=item,
        detail={"fields": sorted(data)},
    )
    return item


def _remove_item(model: type[Model], actor: User, item: Any, expected: int | None) -> None:
    require(actor, item.plan.student, Cap.WRITE_PLAN)
    plan = lock_plan(item.plan)
    _require_editable(plan)
    _check_lock(plan, expected)
    audit.record(
        actor=actor,
        action=_ITEM_ACTIONS[model][2],
        student=plan.student,
        target=item,
    )
    model.objects.filter(pk=item.pk).delete()  # type: ignore[attr-defined]
    _bump(plan)


@transaction.atomic
def add_service(
    *, actor: User, plan: Plan, data: Mapping[str, Any], expected_lock_version: int | None = None
) -> Service:
    """Add a service to a draft."""
    return _add_item(Service, actor, plan, data, expected_lock_version)


@transaction.atomic
def update_service(
    *,
    actor: User,
    service: Service,
    data: Mapping[str, Any],
    expected_lock_version: int | None = None,
) -> Service:
    """Change a draft's service."""
    return _update_item(Service, actor, service, data, expected_lock_version)


@transaction.atomic
def remove_service(
    *, actor: User, service: Service, expected_lock_version: int | None = None
) -> None:
    """Remove a service from a draft."""
    _remove_item(Service, actor, service, expected_lock_version)


@transaction.atomic
def add_accommodation(
    *, actor: User, plan: Plan, data: Mapping[str, Any], expected_lock_version: int | None = None
) -> Accommodation:
    """Add an accommodation or modification to a draft."""
    return _add_item(Accommodation, actor, plan, data, expected_lock_version)


@transaction.atomic
def update_accommodation(
    *,
    actor: User,
    accommodation: Accommodation,
    data: Mapping[str, Any],
    expected_lock_version: int | None = None,
) -> Accommodation:
    """Change a draft's accommodation or modification."""
    return _update_item(Accommodation, actor, accommodation, data, expected_lock_version)


@transaction.atomic
def remove_accommodation(
    *, actor: User, accommodation: Accommodation, expected_lock_version: int | None = None
) -> None:
    """Remove an accommodation or modification from a draft."""
    _remove_item(Accommodation, actor, accommodation, expected_lock_version)


@transaction.atomic
def add_goal(
    *, actor: User, plan: Plan, data: Mapping[str, Any], expected_lock_version: int | None = None
) -> Goal:
    """Add a goal to a draft, with the goal checker's analysis."""
    return _add_item(Goal, actor, plan, data, expected_lock_version)


@transaction.atomic
def update_goal(
    *, actor: User, goal: Goal, data: Mapping[str, Any], expected_lock_version: int | None = None
) -> Goal:
    """Change a draft's goal and recompute its analysis."""
    return _update_item(Goal, actor, goal, data, expected_lock_version)


@transaction.atomic
def remove_goal(*, actor: User, goal: Goal, expected_lock_version: int | None = None) -> None:
    """Remove a goal from a draft."""
    _remove_item(Goal, actor, goal, expected_lock_version)
