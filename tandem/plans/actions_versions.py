"""Making a new version of a plan: finalize a draft into the student's active plan, amend or
correct an active plan (each a new immutable version with its snapshot and hash), and start the
annual review as a new draft pre-filled from the active plan.

Every action takes the acting user and refuses, changing nothing, when the user may not change
the student's record or when the input breaks a rule (a ValidationError keyed by field name;
PlanNotReady listing what blocks the plan). What a correction may change is decided in
`correction_limits.py`, what blocks finalizing in `readiness.py`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Model
from django.utils.translation import gettext as _

from tandem import audit
from tandem.access.capabilities import Cap
from tandem.access.policy import require
from tandem.accounts.models import User
from tandem.audit.catalogue import Action
from tandem.compliance import actions as deadlines
from tandem.plans import actions_pdf
from tandem.plans.actions_common import (
    ITEM_FIELDS,
    Changes,
    check_section_size,
    find_item,
    lock_plan,
    one_year_after,
    save_item,
    set_item_fields,
    write_section,
)
from tandem.plans.correction_limits import check_correction
from tandem.plans.eligibility_gate import check_kind
from tandem.plans.models import (
    EDITABLE_STATUSES,
    Accommodation,
    Goal,
    Plan,
    PlanKind,
    PlanSection,
    PlanStatus,
    PlanVersion,
    SectionKey,
    Service,
    VersionKind,
)
from tandem.plans.readiness import PlanNotReady, Problem, pre_finalize_check
from tandem.plans.snapshots import content_hash, snapshot_of


def _freeze(
    plan: Plan,
    actor: User,
    kind: str,
    *,
    reason: str = "",
    without_meeting: bool = False,
    parent_agreement_date: date | None = None,
) -> PlanVersion:
    snapshot = snapshot_of(plan)
    number = (plan.versions.aggregate(n=Max("number"))["n"] or 0) + 1
    version = PlanVersion(
        plan=plan,
        number=number,
        kind=kind,
        snapshot=snapshot,
        content_hash=content_hash(snapshot),
        reason=reason,
        amended_without_meeting=without_meeting,
        parent_agreement_date=parent_agreement_date,
        created_by=actor,
    )
    version.full_clean()
    version.save()
    plan.current_version = version
    plan.save(update_fields=["current_version"])
    # A version never changes, so neither does its PDF: the worker makes it once, now.
    actions_pdf.queue_version_pdfs(version)
    return version


@transaction.atomic
def finalize_plan(*, actor: User, plan: Plan, effective_from: date, today: date) -> PlanVersion:
    """Freeze the draft as the student's active plan from `effective_from`."""
    require(actor, plan.student, Cap.WRITE_PLAN)
    plan = lock_plan(plan)
    if plan.status not in EDITABLE_STATUSES:
        raise ValidationError({"status": _("Only a draft can be finalized.")})
    problems = pre_finalize_check(plan=plan, today=today, effective_from=effective_from)
    if problems:
        raise PlanNotReady(problems)
    previous = Plan.objects.select_for_update(of=("self",)).active_for(plan.student, kind=plan.kind)
    if previous is not None:
        previous.status = PlanStatus.SUPERSEDED
        day_before = effective_from - timedelta(days=1)
        if previous.effective_to is None or previous.effective_to > day_before:
            previous.effective_to = max(day_before, previous.effective_from or day_before)
        previous.save(update_fields=["status", "effective_to"])
    plan.effective_from = effective_from
    if plan.kind == PlanKind.IEP and plan.meeting_date:
        # 300.324(b)(1)(i): reviewed at least annually, counted from the meeting.
        plan.annual_review_due = one_year_after(plan.meeting_date)
        plan.effective_to = plan.effective_to or plan.annual_review_due
    plan.status = PlanStatus.ACTIVE
    plan.full_clean()
    plan.save()
    kind = VersionKind.ANNUAL_REVIEW if plan.based_on_id else VersionKind.ORIGINAL
    version = _freeze(plan, actor, kind)
    # The initial-IEP-meeting and the replaced plan's review are met; this plan's are stored.
    deadlines.record_plan_in_force(
        student=plan.student,
        plan=plan,
        section_504=plan.kind == PlanKind.SECTION_504,
        meeting_on=plan.meeting_date,
        effective_from=effective_from,
        effective_to=plan.effective_to,
        actor=actor,
    )
    audit.record(
        actor=actor,
        action=Action.PLAN__FINALIZED,
        student=plan.student,
        target=version,
        detail={
            "plan": str(plan.public_id),
            "version": version.number,
            "hash": version.content_hash,
            "superseded": str(previous.public_id) if previous else None,
        },
    )
    return version


def _apply(
    plan: Plan, changes: Changes, actor: User, *, allowed_plan_fields: Sequence[str]
) -> None:
    for key, content in changes.sections.items():
        if key not in SectionKey.values:
            raise ValidationError({"key": _("Unknown section.")})
        check_section_size(key, content)
        section, _created = PlanSection.objects.get_or_create(plan=plan, key=key)
        write_section(section, actor, content)
        section.save()
    for name, value in changes.plan_fields.items():
        if name not in allowed_plan_fields:
            raise ValidationError({name: _("This date cannot be changed this way.")})
        setattr(plan, name, value)
    groups: list[tuple[type[Model], Sequence[Any], Mapping[Any, Any], Sequence[Any]]] = [
        (Service, changes.add_services, changes.update_services, changes.remove_services),
        (
            Accommodation,
            changes.add_accommodations,
            changes.update_accommodations,
            changes.remove_accommodations,
        ),
        (Goal, changes.add_goals, changes.update_goals, changes.remove_goals),
    ]
    for model, adds, updates, removes in groups:
        for public_id in removes:
            find_item(model, plan, public_id).delete()
        for public_id, data in updates.items():
            item = find_item(model, plan, public_id)
            set_item_fields(item, ITEM_FIELDS[model], data)
            save_item(item)
        for data in adds:
            item = model(plan=plan)
            set_item_fields(item, ITEM_FIELDS[model], data)
            save_item(item)
    plan.full_clean()
    plan.lock_version += 1
    plan.save()


def _content_problems(plan: Plan, today: date) -> list[Problem]:
    return pre_finalize_check(plan=plan, today=today, effective_from=plan.effective_from)


@transaction.atomic
def amend_plan(
    *,
    actor: User,
    plan: Plan,
    changes: Changes,
    with_meeting: bool,
    parent_agreement_date: date | None,
    today: date,
    reason: str = "",
) -> PlanVersion:
    """Amend an active plan into a new version; the annual review date does not move."""
    require(actor, plan.student, Cap.WRITE_PLAN)
    plan = lock_plan(plan)
    if plan.status != PlanStatus.ACTIVE:
        raise ValidationError({"status": _("Only an active plan can be amended.")})
    if not with_meeting and parent_agreement_date is None:
        # 34 CFR 300.324(a)(4): without a meeting only if the parent and the agency agree.
        raise ValidationError(
            {
                "parent_agreement_date": _(
                    "An amendment without a meeting needs the date of the parent's agreement."
                )
            }
        )
    _apply(plan, changes, actor, allowed_plan_fields=("effective_to",))
    problems = _content_problems(plan, today)
    if problems:
        raise PlanNotReady(problems)
    version = _freeze(
        plan,
        actor,
        VersionKind.AMENDMENT,
        reason=reason,
        without_meeting=not with_meeting,
        parent_agreement_date=None if with_meeting else parent_agreement_date,
    )
    audit.record(
        actor=actor,
        action=Action.PLAN__AMENDED,
        student=plan.student,
        target=version,
        detail={
            "plan": str(plan.public_id),
            "version": version.number,
            "with_meeting": with_meeting,
            "hash": version.content_hash,
        },
    )
    return version


@transaction.atomic
def correct_plan(
    *, actor: User, plan: Plan, reason: str, changes: Changes, today: date
) -> PlanVersion:
    """Fix an error (a typo, a wrong date) in an active plan: one audited correction version."""
    require(actor, plan.student, Cap.WRITE_PLAN)
    plan = lock_plan(plan)
    if plan.status != PlanStatus.ACTIVE:
        raise ValidationError({"status": _("Only an active plan can be corrected.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Say what the correction fixes.")})
    check_correction(plan, changes)
    meeting_before = plan.meeting_date
    _apply(
        plan,
        changes,
        actor,
        allowed_plan_fields=("meeting_date", "effective_from", "effective_to"),
    )
    if plan.kind == PlanKind.IEP and plan.meeting_date and plan.meeting_date != meeting_before:
        # A wrong meeting date made a wrong annual review date.
        plan.annual_review_due = one_year_after(plan.meeting_date)
        plan.save(update_fields=["annual_review_due"])
    problems = _content_problems(plan, today)
    if problems:
        raise PlanNotReady(problems)
    version = _freeze(plan, actor, VersionKind.CORRECTION, reason=reason.strip())
    audit.record(
        actor=actor,
        action=Action.PLAN__CORRECTED,
        student=plan.student,
        target=version,
        detail={"plan": str(plan.public_id), "version": version.number, "reason": reason.strip()},
    )
    return version


@transaction.atomic
def start_annual_review(
    *, actor: User, plan: Plan, today: date, meeting_date: date | None = None
) -> Plan:
    """A new draft pre-filled from the active plan, so the team edits only what changed."""
    require(actor, plan.student, Cap.WRITE_PLAN)
    plan = lock_plan(plan)
    if plan.status != PlanStatus.ACTIVE:
        raise ValidationError({"status": _("An annual review starts from the active plan.")})
    check_kind(plan.student, plan.kind, reviewing=True)
    if Plan.objects.filter(
        student=plan.student, kind=plan.kind, status__in=EDITABLE_STATUSES
    ).exists():
        raise ValidationError({"kind": _("The student already has a draft of this kind.")})
    draft = Plan(
        student=plan.student,
        kind=plan.kind,
        based_on=plan,
        meeting_date=meeting_date,
        created_by=actor,
    )
    draft.full_clean()
    draft.save()
    PlanSection.objects.bulk_create(
        PlanSection(plan=draft, key=s.key, content=s.content, revision=0, updated_by=actor)
        for s in plan.sections.all()
    )
    for model in (Service, Accommodation, Goal):
        copies = []
        for item in model.objects.filter(plan=plan):  # type: ignore[attr-defined]
            copy = model(plan=draft, lineage=item.lineage)
            for name in ITEM_FIELDS[model]:
                setattr(copy, name, getattr(item, name))
            if isinstance(copy, Goal):
                copy.analysis = item.analysis
            copies.append(copy)
        model.objects.bulk_create(copies)  # type: ignore[attr-defined]
    _copy_objectives(plan, draft)
    audit.record(
        actor=actor,
        action=Action.PLAN__ANNUAL_REVIEW_STARTED,
        student=plan.student,
        target=draft,
        detail={"from": str(plan.public_id), "today": today.isoformat()},
    )
    return draft


def _copy_objectives(source: Plan, draft: Plan) -> None:
    """Carry each goal's short-term objectives into the new draft's copy of the goal."""
    # Objectives belong to tandem.goals, above this app: named by label, never imported.
    objective = apps.get_model("goals", "GoalObjective")
    by_lineage = {g.lineage: g for g in draft.goals.all()}
    objective.objects.bulk_create(
        objective(goal=by_lineage[o.goal.lineage], text=o.text, order=o.order)
        for o in objective.objects.filter(goal__plan=source).select_related("goal")
        if o.goal.lineage in by_lineage
    )
