"""The only write path for IEPs and 504 Plans: checked, validated, audited, in one transaction.

Every action takes the acting user first and refuses, changing nothing, when the user may not
change the student's record (404 when they may not even see it) or when the input breaks a rule
(a ValidationError keyed by field name). Drafts are edited piece by piece with optimistic
checks; an active plan changes only by amendment or correction, each a new immutable version.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Max, Model
from django.http import Http404
from django.utils.translation import gettext as _

from tandem.access import audit
from tandem.access.models import User
from tandem.access.policy import Need, can
from tandem.people.models import Student
from tandem.plans.models import (
    EDITABLE_STATUSES,
    Accommodation,
    AccommodationKind,
    Goal,
    Plan,
    PlanKind,
    PlanSection,
    PlanStatus,
    PlanVersion,
    SectionKey,
    Service,
    VersionKind,
    content_is_empty,
)
from tandem.rules import deadlines as engine
from tandem.rules.accommodations import Kind as WordingKind
from tandem.rules.accommodations import classify_wording
from tandem.rules.goals import check_goal
from tandem.rules.profiles import Rule, load_profile

SERVICE_FIELDS = (
    "category",
    "name",
    "minutes",
    "times",
    "per",
    "setting",
    "start_date",
    "end_date",
    "provider_role",
    "delivery_mode",
    "group_size",
)
ACCOMMODATION_FIELDS = (
    "kind",
    "category",
    "text",
    "applies_to",
    "frequency_condition",
    "provider_role",
    "responsible_staff",
)
GOAL_FIELDS = ("area", "text", "baseline", "plaafp_need")
_ITEM_FIELDS: dict[type[Model], tuple[str, ...]] = {
    Service: SERVICE_FIELDS,
    Accommodation: ACCOMMODATION_FIELDS,
    Goal: GOAL_FIELDS,
}
_ITEM_EVENT = {Service: "service", Accommodation: "accommodation", Goal: "goal"}


class StaleEdit(Exception):  # noqa: N818 - the domain's word for it
    """Someone else saved first: nothing was written; here is what they saved."""

    def __init__(
        self,
        *,
        current_content: Any,
        current_revision: int,
        saved_by: User | None,
        saved_at: datetime | None,
    ) -> None:
        self.current_content = current_content
        self.current_revision = current_revision
        self.saved_by = saved_by
        self.saved_at = saved_at
        who = (saved_by.get_full_name() or saved_by.email) if saved_by else _("someone else")
        super().__init__(
            _("%(name)s saved a newer version of this while you were editing; yours was not saved.")
            % {"name": who}
        )


class PlanNotReady(ValidationError):
    """Finalizing refused: the plan has problems, listed."""

    def __init__(self, problems: Sequence[Problem]) -> None:
        self.problems = list(problems)
        errors: dict[str, list[str]] = {}
        for problem in self.problems:
            errors.setdefault(problem.field, []).append(problem.message)
        super().__init__(errors)


@dataclass(frozen=True, slots=True)
class Problem:
    """Something that blocks finalizing: where it is (a field or section) and what is wrong."""

    field: str
    message: str


@dataclass(frozen=True, kw_only=True)
class Changes:
    """What an amendment or correction changes; items are addressed by their public id."""

    sections: Mapping[str, Any] = field(default_factory=dict)
    plan_fields: Mapping[str, date | None] = field(default_factory=dict)
    add_services: Sequence[Mapping[str, Any]] = ()
    update_services: Mapping[Any, Mapping[str, Any]] = field(default_factory=dict)
    remove_services: Sequence[Any] = ()
    add_accommodations: Sequence[Mapping[str, Any]] = ()
    update_accommodations: Mapping[Any, Mapping[str, Any]] = field(default_factory=dict)
    remove_accommodations: Sequence[Any] = ()
    add_goals: Sequence[Mapping[str, Any]] = ()
    update_goals: Mapping[Any, Mapping[str, Any]] = field(default_factory=dict)
    remove_goals: Sequence[Any] = ()


# --- helpers ----------------------------------------------------------------------------------


def _require_write(actor: User, student: Student) -> None:
    # Out of sight is "absent" (404); in sight but read-only is 403.
    if not can(actor, Need.READ, student):
        raise Http404
    if not can(actor, Need.WRITE, student):
        raise PermissionDenied


def _lock(plan: Plan) -> Plan:
    return Plan.objects.select_for_update(of=("self",)).select_related("student").get(pk=plan.pk)


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


def _set_fields(instance: Model, allowed: Sequence[str], data: Mapping[str, Any]) -> None:
    unknown = sorted(set(data) - set(allowed))
    if unknown:
        raise ValidationError(
            {unknown[0]: _("This field cannot be set here: %(f)s.") % {"f": ", ".join(unknown)}}
        )
    for name, value in data.items():
        setattr(instance, name, value)
    if isinstance(instance, Goal):
        instance.analysis = check_goal(
            instance.text, plaafp_need=instance.plaafp_need or None
        ).to_json()


def _item_save(instance: Model) -> None:
    instance.full_clean(exclude=["plan"])
    instance.save()


def _find(model: type[Model], plan: Plan, public_id: Any) -> Any:
    item = model.objects.filter(plan=plan, public_id=public_id).first()  # type: ignore[attr-defined]
    if item is None:
        raise ValidationError({"public_id": _("No such item in this plan.")})
    return item


# --- drafts -----------------------------------------------------------------------------------


@transaction.atomic
def create_draft(
    *, actor: User, student: Student, kind: str, today: date, meeting_date: date | None = None
) -> Plan:
    """Start an empty draft IEP or 504 Plan for the student."""
    _require_write(actor, student)
    if kind not in PlanKind.values:
        raise ValidationError({"kind": _("Choose an IEP or a 504 Plan.")})
    if Plan.objects.filter(student=student, kind=kind, status__in=EDITABLE_STATUSES).exists():
        raise ValidationError({"kind": _("The student already has a draft of this kind.")})
    plan = Plan(student=student, kind=kind, meeting_date=meeting_date, created_by=actor)
    plan.full_clean()
    plan.save()
    audit.record(
        actor=actor,
        action="plan.draft_created",
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
    _require_write(actor, plan.student)
    plan = _lock(plan)
    _require_editable(plan)
    plan.meeting_date = meeting_date
    plan.effective_to = effective_to
    plan.full_clean()
    plan.lock_version += 1
    plan.save()
    audit.record(actor=actor, action="plan.dates_changed", student=plan.student, target=plan)
    return plan


@transaction.atomic
def save_section(
    *, actor: User, plan: Plan, key: str, content: Any, expected_revision: int
) -> PlanSection:
    """Save one section if nobody saved it since `expected_revision`; otherwise StaleEdit."""
    _require_write(actor, plan.student)
    plan = _lock(plan)
    _require_editable(plan)
    if key not in SectionKey.values:
        raise ValidationError({"key": _("Unknown section.")})
    section = (
        PlanSection.objects.select_for_update(of=("self",))
        .select_related("updated_by")
        .filter(plan=plan, key=key)
        .first()
    )
    if section is None:
        section = PlanSection(plan=plan, key=key)
    if section.revision != expected_revision:
        raise StaleEdit(
            current_content=section.content,
            current_revision=section.revision,
            saved_by=section.updated_by,
            saved_at=section.updated_at,
        )
    section.content = content
    section.revision += 1
    section.updated_by = actor
    section.full_clean(exclude=["plan"])
    section.save()
    audit.record(
        actor=actor,
        action="plan.section_saved",
        student=plan.student,
        target=plan,
        detail={"section": key, "revision": section.revision},
    )
    return section


def _add_item(
    model: type[Model], actor: User, plan: Plan, data: Mapping[str, Any], expected: int | None
) -> Any:
    _require_write(actor, plan.student)
    plan = _lock(plan)
    _require_editable(plan)
    _check_lock(plan, expected)
    item = model(plan=plan)
    _set_fields(item, _ITEM_FIELDS[model], data)
    _item_save(item)
    _bump(plan)
    audit.record(
        actor=actor,
        action=f"plan.{_ITEM_EVENT[model]}_added",
        student=plan.student,
        target=item,
    )
    return item


def _update_item(
    model: type[Model], actor: User, item: Any, data: Mapping[str, Any], expected: int | None
) -> Any:
    _require_write(actor, item.plan.student)
    plan = _lock(item.plan)
    _require_editable(plan)
    _check_lock(plan, expected)
    item = model.objects.get(pk=item.pk)  # type: ignore[attr-defined]
    _set_fields(item, _ITEM_FIELDS[model], data)
    _item_save(item)
    _bump(plan)
    audit.record(
        actor=actor,
        action=f"plan.{_ITEM_EVENT[model]}_changed",
        student=plan.student,
        target=item,
        detail={"fields": sorted(data)},
    )
    return item


def _remove_item(model: type[Model], actor: User, item: Any, expected: int | None) -> None:
    _require_write(actor, item.plan.student)
    plan = _lock(item.plan)
    _require_editable(plan)
    _check_lock(plan, expected)
    audit.record(
        actor=actor,
        action=f"plan.{_ITEM_EVENT[model]}_removed",
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


# --- checks -----------------------------------------------------------------------------------


def _section_present(plan: Plan, key: str) -> bool:
    section = PlanSection.objects.filter(plan=plan, key=key).first()
    return section is not None and not content_is_empty(section.content)


def _plan_end(plan: Plan, start: date) -> date:
    if plan.effective_to:
        return plan.effective_to
    if plan.meeting_date:
        return _one_year_after(plan.meeting_date)
    return _one_year_after(start)


def _one_year_after(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def _age_deadline(rule: Rule, student: Student) -> date | None:
    try:
        profile = load_profile(student.district.state)
        dob = student.date_of_birth
        return engine.compute(rule, profile, dob, dob=dob).due
    except (ValueError, LookupError):
        return None


def pre_finalize_check(
    *, plan: Plan, today: date, effective_from: date | None = None
) -> list[Problem]:
    """Everything that blocks finalizing the plan, each with where it is and what to do."""
    problems: list[Problem] = []
    start = effective_from or plan.effective_from or today
    is_iep = plan.kind == PlanKind.IEP
    if is_iep and plan.meeting_date is None:
        problems.append(Problem("meeting_date", _("The meeting date is missing.")))
    if plan.meeting_date and start < plan.meeting_date:
        problems.append(Problem("effective_from", _("The plan takes effect before its meeting.")))
    if plan.effective_to and plan.effective_to < start:
        problems.append(Problem("effective_to", _("The plan ends before it takes effect.")))
    if is_iep and not _section_present(plan, SectionKey.PLAAFP):
        problems.append(
            Problem("section:plaafp", _("The present levels (PLAAFP) section is missing."))
        )
    if not is_iep and not _section_present(plan, SectionKey.SECTION_504_IMPAIRMENT):
        problems.append(
            Problem(
                "section:section_504_impairment",
                _("The impairment and the major life activities it limits are missing."),
            )
        )
    if is_iep and not plan.goals.exists():
        problems.append(Problem("goals", _("An IEP needs at least one measurable annual goal.")))
    for service in plan.services.all():
        where = f"service:{service.public_id}"
        if not service.has_frequency:
            problems.append(
                Problem(
                    where,
                    _("%(name)s has no frequency or duration (minutes, times, per).")
                    % {"name": service.name},
                )
            )
        if service.start_date and service.end_date and service.end_date < service.start_date:
            problems.append(
                Problem(where, _("%(name)s ends before it starts.") % {"name": service.name})
            )
    for item in plan.accommodations.filter(kind=AccommodationKind.ACCOMMODATION):
        verdict = classify_wording(item.text)
        if verdict.kind is WordingKind.MODIFICATION:
            words = verdict.cue or item.text
            problems.append(
                Problem(
                    f"accommodation:{item.public_id}",
                    _(
                        "“%(words)s” changes what is taught or expected: file it as a "
                        "modification, which has consequences for tests."
                    )
                    % {"words": words},
                )
            )
    if is_iep:
        end = _plan_end(plan, start)
        transition_due = _age_deadline(Rule.TRANSITION_SERVICES, plan.student)
        if (
            transition_due
            and transition_due <= end
            and not _section_present(plan, SectionKey.TRANSITION)
        ):
            problems.append(
                Problem(
                    "section:transition",
                    _(
                        "The student reaches the state's transition age (%(date)s) while this "
                        "plan is in effect: the transition section is required."
                    )
                    % {"date": transition_due.isoformat()},
                )
            )
        rights_due = _age_deadline(Rule.TRANSFER_OF_RIGHTS, plan.student)
        if (
            rights_due
            and rights_due <= end
            and not _section_present(plan, SectionKey.TRANSFER_OF_RIGHTS)
        ):
            problems.append(
                Problem(
                    "section:transfer_of_rights",
                    _(
                        "The statement on the transfer of rights at the age of majority is "
                        "required from %(date)s."
                    )
                    % {"date": rights_due.isoformat()},
                )
            )
    return problems


# --- versions ---------------------------------------------------------------------------------


def _iso(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def snapshot_of(plan: Plan) -> dict[str, Any]:
    """Every section, service, accommodation and goal of the plan, as plain JSON."""
    return {
        "plan": {
            "kind": plan.kind,
            "meeting_date": _iso(plan.meeting_date),
            "effective_from": _iso(plan.effective_from),
            "effective_to": _iso(plan.effective_to),
            "annual_review_due": _iso(plan.annual_review_due),
        },
        "sections": {s.key: s.content for s in plan.sections.order_by("key")},
        "services": [
            {"lineage": str(s.lineage), **{f: _iso(getattr(s, f)) for f in SERVICE_FIELDS}}
            for s in plan.services.order_by("category", "name", "lineage")
        ],
        "accommodations": [
            {
                "lineage": str(a.lineage),
                **{
                    f: _iso(getattr(a, f)) for f in ACCOMMODATION_FIELDS if f != "responsible_staff"
                },
                "responsible_staff": a.responsible_staff_id,
            }
            for a in plan.accommodations.order_by("kind", "category", "lineage")
        ],
        "goals": [
            _goal_snapshot(g)
            for g in plan.goals.prefetch_related("objectives").order_by("area", "lineage")
        ],
    }


def _goal_snapshot(goal: Goal) -> dict[str, Any]:
    out: dict[str, Any] = {
        "lineage": str(goal.lineage),
        **{f: getattr(goal, f) for f in GOAL_FIELDS},
    }
    # Short-term objectives (tandem.goals) are frozen with their goal; a goal without any keeps
    # the shape (and the hash) it always had.
    objectives = [o.text for o in goal.objectives.all()]  # type: ignore[attr-defined]
    if objectives:
        out["objectives"] = objectives
    return out


def content_hash(snapshot: Mapping[str, Any]) -> str:
    """SHA-256 of the canonical JSON of a snapshot."""
    canonical = json.dumps(snapshot, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


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
    return version


@transaction.atomic
def finalize_plan(*, actor: User, plan: Plan, effective_from: date, today: date) -> PlanVersion:
    """Freeze the draft as the student's active plan from `effective_from`."""
    _require_write(actor, plan.student)
    plan = _lock(plan)
    if plan.status not in EDITABLE_STATUSES:
        raise ValidationError({"status": _("Only a draft can be finalized.")})
    problems = pre_finalize_check(plan=plan, today=today, effective_from=effective_from)
    if problems:
        raise PlanNotReady(problems)
    previous = (
        Plan.objects.select_for_update(of=("self",))
        .filter(student=plan.student, kind=plan.kind, status=PlanStatus.ACTIVE)
        .first()
    )
    if previous is not None:
        previous.status = PlanStatus.SUPERSEDED
        day_before = effective_from - timedelta(days=1)
        if previous.effective_to is None or previous.effective_to > day_before:
            previous.effective_to = max(day_before, previous.effective_from or day_before)
        previous.save(update_fields=["status", "effective_to"])
    plan.effective_from = effective_from
    if plan.kind == PlanKind.IEP and plan.meeting_date:
        # 300.324(b)(1)(i): reviewed at least annually, counted from the meeting.
        plan.annual_review_due = _one_year_after(plan.meeting_date)
        plan.effective_to = plan.effective_to or plan.annual_review_due
    plan.status = PlanStatus.ACTIVE
    plan.full_clean()
    plan.save()
    kind = VersionKind.ANNUAL_REVIEW if plan.based_on_id else VersionKind.ORIGINAL
    version = _freeze(plan, actor, kind)
    audit.record(
        actor=actor,
        action="plan.finalized",
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
        section, _created = PlanSection.objects.get_or_create(plan=plan, key=key)
        section.content = content
        section.revision += 1
        section.updated_by = actor
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
            _find(model, plan, public_id).delete()
        for public_id, data in updates.items():
            item = _find(model, plan, public_id)
            _set_fields(item, _ITEM_FIELDS[model], data)
            _item_save(item)
        for data in adds:
            item = model(plan=plan)
            _set_fields(item, _ITEM_FIELDS[model], data)
            _item_save(item)
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
    _require_write(actor, plan.student)
    plan = _lock(plan)
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
        action="plan.amended",
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
    _require_write(actor, plan.student)
    plan = _lock(plan)
    if plan.status != PlanStatus.ACTIVE:
        raise ValidationError({"status": _("Only an active plan can be corrected.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Say what the correction fixes.")})
    meeting_before = plan.meeting_date
    _apply(
        plan,
        changes,
        actor,
        allowed_plan_fields=("meeting_date", "effective_from", "effective_to"),
    )
    if plan.kind == PlanKind.IEP and plan.meeting_date and plan.meeting_date != meeting_before:
        # A wrong meeting date made a wrong annual review date.
        plan.annual_review_due = _one_year_after(plan.meeting_date)
        plan.save(update_fields=["annual_review_due"])
    problems = _content_problems(plan, today)
    if problems:
        raise PlanNotReady(problems)
    version = _freeze(plan, actor, VersionKind.CORRECTION, reason=reason.strip())
    audit.record(
        actor=actor,
        action="plan.corrected",
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
    _require_write(actor, plan.student)
    plan = _lock(plan)
    if plan.status != PlanStatus.ACTIVE:
        raise ValidationError({"status": _("An annual review starts from the active plan.")})
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
            for name in _ITEM_FIELDS[model]:
                setattr(copy, name, getattr(item, name))
            if isinstance(copy, Goal):
                copy.analysis = item.analysis
            copies.append(copy)
        model.objects.bulk_create(copies)  # type: ignore[attr-defined]
    _copy_objectives(plan, draft)
    audit.record(
        actor=actor,
        action="plan.annual_review_started",
        student=plan.student,
        target=draft,
        detail={"from": str(plan.public_id), "today": today.isoformat()},
    )
    return draft


def _copy_objectives(source: Plan, draft: Plan) -> None:
    """Carry each goal's short-term objectives into the new draft's copy of the goal."""
    from django.apps import apps

    objective = apps.get_model("goals", "GoalObjective")
    by_lineage = {g.lineage: g for g in draft.goals.all()}
    objective.objects.bulk_create(
        objective(goal=by_lineage[o.goal.lineage], text=o.text, order=o.order)
        for o in objective.objects.filter(goal__plan=source).select_related("goal")
        if o.goal.lineage in by_lineage
    )
