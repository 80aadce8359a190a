"""The only write path for IEPs and 504 Plans: checked, validated, audited, in one transaction.

Every action takes the acting user first and refuses, changing nothing, when the user may not
change the student's record (404 when they may not even see it) or when the input breaks a rule
(a ValidationError keyed by field name). Drafts are edited piece by piece with optimistic
checks; an active plan changes only by amendment or correction, each a new immutable version.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.apps import apps
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Model, Q
from django.urls import reverse
from django.utils.translation import gettext as _

from tandem import audit
from tandem.access.capabilities import Cap
from tandem.access.policy import require
from tandem.accounts.models import User
from tandem.audit.catalogue import Action
from tandem.compliance import actions as deadlines
from tandem.core import clock
from tandem.people.models import Student
from tandem.plans.eligibility_gate import check_kind
from tandem.plans.forms_editor import compute_lre, specs_for
from tandem.plans.models import (
    EDITABLE_STATUSES,
    SECTION_TEXT_LIMIT,
    Accommodation,
    AccommodationKind,
    ConsentToServices,
    Goal,
    Plan,
    PlanEvent,
    PlanEventKind,
    PlanKind,
    PlanSection,
    PlanStatus,
    PlanVersion,
    SectionKey,
    Service,
    ServicesConsentAnswer,
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
    plan = _lock(plan)
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
    plan = _lock(plan)
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


def _field_label(key: str, name: str) -> str:
    labels = {spec.name: str(spec.label) for spec in specs_for(key)}
    return labels.get(name, name.replace("_", " ").capitalize())


def _longest_text(value: Any) -> int:
    if isinstance(value, str):
        return len(value)
    if isinstance(value, Mapping):
        return max((_longest_text(v) for v in value.values()), default=0)
    if isinstance(value, list | tuple):
        return max((_longest_text(v) for v in value), default=0)
    return 0


def check_section_size(key: str, content: Any) -> None:
    """Refuse a section whose free text is longer than SECTION_TEXT_LIMIT, naming the field."""
    fields = content if isinstance(content, Mapping) else {"text": content}
    for name, value in fields.items():
        length = _longest_text(value)
        if length > SECTION_TEXT_LIMIT:
            raise ValidationError(
                {
                    str(name): _(
                        "%(field)s is %(length)s characters long; a field of a plan section "
                        "holds at most %(limit)s. Shorten it (or attach the long report to the "
                        "student's record and summarize it here); nothing was saved."
                    )
                    % {
                        "field": _field_label(key, str(name)),
                        "length": f"{length:,}",
                        "limit": f"{SECTION_TEXT_LIMIT:,}",
                    }
                }
            )


def _own_run(section: PlanSection, actor: User, expected_revision: int) -> bool:
    """Whether every save since `expected_revision` is the actor's own: their newer save (an
    autosave still on its way when they pressed Save) is not someone else's."""
    return (
        section.pk is not None
        and section.updated_by_id == actor.pk
        and section.author_since <= expected_revision < section.revision
    )


def _write_section(section: PlanSection, actor: User, content: Any) -> None:
    """Set the section's new content and revision, keeping track of the author's run."""
    if section.updated_by_id != actor.pk or section.revision == 0:
        section.author_since = section.revision
    section.content = content
    section.revision += 1
    section.updated_by = actor


@transaction.atomic
def save_section(
    *, actor: User, plan: Plan, key: str, content: Any, expected_revision: int
) -> PlanSection:
    """Save one section if nobody else saved it since `expected_revision`; otherwise StaleEdit.

    A revision made stale only by the same person's own later saves (an autosave in flight when
    they pressed Save) is not a conflict: their newest text is saved.
    """
    require(actor, plan.student, Cap.WRITE_PLAN)
    plan = _lock(plan)
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
    _write_section(section, actor, content)
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
    plan = _lock(plan)
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
    plan = _lock(plan)
    _require_editable(plan)
    _check_lock(plan, expected)
    item = model(plan=plan)
    _set_fields(item, _ITEM_FIELDS[model], data)
    _item_save(item)
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
    plan = _lock(item.plan)
    _require_editable(plan)
    _check_lock(plan, expected)
    item = model.objects.get(pk=item.pk)  # type: ignore[attr-defined]
    _set_fields(item, _ITEM_FIELDS[model], data)
    _item_save(item)
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
    plan = _lock(item.plan)
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


# --- checks -----------------------------------------------------------------------------------


# Words a team types to fill a box it has not written yet: they say nothing.
PLACEHOLDERS = frozenset(
    {"tbd", "tba", "n/a", "na", "none", "-", "--", "---", "?", "todo", "to be determined", "x"}
)


def is_placeholder(value: Any) -> bool:
    """Whether a section value says nothing: blank, or only a placeholder ("TBD", "N/A", "-")."""
    if isinstance(value, str):
        words = value.strip().strip(".").strip().lower()
        return not words or words in PLACEHOLDERS
    if isinstance(value, dict):
        return all(is_placeholder(v) for v in value.values())
    if isinstance(value, list):
        return all(is_placeholder(v) for v in value)
    return content_is_empty(value)


def _content(plan: Plan, key: str) -> dict[str, Any]:
    section = PlanSection.objects.filter(plan=plan, key=key).first()
    content = section.content if section is not None else {}
    if isinstance(content, str):
        return {"text": content}
    return content if isinstance(content, dict) else {}


def _section_present(plan: Plan, key: str) -> bool:
    return not is_placeholder(_content(plan, key))


def is_initial_iep(plan: Plan) -> bool:
    """An IEP that starts special education: not an annual review, and no IEP was ever in effect
    for the student. 300.300(b) asks consent to the initial provision of services for it."""
    if plan.kind != PlanKind.IEP or plan.based_on_id is not None:
        return False
    return (
        not Plan.objects.filter(student=plan.student, kind=PlanKind.IEP)
        .exclude(pk=plan.pk)
        .filter(current_version__isnull=False)
        .exists()
    )


def services_consent(plan: Plan) -> ConsentToServices | None:
    """The parent's newest answer to consent to the initial provision of services, if any."""
    return plan.services_consents.order_by("-answered_on", "-id").first()


def _has_services_consent(plan: Plan) -> bool:
    answer = services_consent(plan)
    if answer is not None:
        return answer.answer == ServicesConsentAnswer.YES
    # A consent to initial services signed through the referral (the parent portal) counts too.
    consent = apps.get_model("referrals", "Consent")
    newest = (
        consent.objects.filter(student=plan.student, kind="initial_services")
        .exclude(response="pending")
        .order_by("-received_on", "-id")
        .first()
    )
    return newest is not None and newest.response == "given"


def _goal_problems(plan: Plan) -> list[Problem]:
    """Each goal the goal checker itself finds not specific, measurable or time-bound."""
    problems = []
    for goal in plan.goals.order_by("area", "id"):
        smart = check_goal(goal.text, plaafp_need=goal.plaafp_need or None).smart
        missing = [
            label
            for ok, label in (
                (smart.specific, _("specific")),
                (smart.measurable, _("measurable")),
                (smart.time_bound, _("time-bound")),
            )
            if not ok
        ]
        if missing:
            problems.append(
                Problem(
                    f"goal:{goal.public_id}",
                    _(
                        "The %(area)s goal is not %(missing)s, by the goal checker's own "
                        "reading: rewrite it as a measurable annual goal."
                    )
                    % {"area": goal.area or _("annual"), "missing": ", ".join(missing)},
                )
            )
    return problems


def _lre_problems(plan: Plan) -> list[Problem]:
    """300.320(a)(5): when the services take the student out of the regular class, say why."""
    lre = _content(plan, SectionKey.LRE)
    reading = compute_lre(
        plan.services.all(), district=plan.student.district, placement=lre.get("placement", "")
    )
    removed = (reading.ok and reading.outside_minutes > 0) or bool(lre.get("placement"))
    explained = not is_placeholder(lre.get("removal_explanation", "")) or not is_placeholder(
        lre.get("text", "")
    )
    if removed and not explained:
        minutes = reading.outside_minutes if reading.ok else 0
        return [
            Problem(
                "section:lre",
                _(
                    "The student is out of the regular class %(minutes)s minutes a week, but the "
                    "least restrictive environment section does not explain why."
                )
                % {"minutes": minutes},
            )
        ]
    return []


def _assessment_problems(plan: Plan) -> list[Problem]:
    """300.320(a)(6)(ii) and (a)(2)(ii): an alternate assessment needs its reasons, and the goals
    of a student assessed against alternate standards need short-term objectives."""
    content = _content(plan, SectionKey.ASSESSMENTS)
    problems = []
    for which, why, message in (
        (
            "state",
            "state_why",
            _(
                "The student takes the alternate state assessment, but the plan does not say why "
                "the regular assessment is not appropriate and why the alternate one is."
            ),
        ),
        (
            "district",
            "district_why",
            _(
                "The student takes an alternate district assessment, but the plan does not say "
                "why, or which assessment instead."
            ),
        ),
    ):
        if content.get(which) == "alternate" and is_placeholder(content.get(why, "")):
            problems.append(Problem("section:assessments", message))
    if content.get("state") == "alternate":
        objective = apps.get_model("goals", "GoalObjective")
        with_objectives = set(
            objective.objects.filter(goal__plan=plan).values_list("goal_id", flat=True)
        )
        for goal in plan.goals.order_by("area", "id"):
            if goal.pk not in with_objectives:
                problems.append(
                    Problem(
                        f"goal:{goal.public_id}",
                        _(
                            "The %(area)s goal has no short-term objectives or benchmarks; a "
                            "student who takes the alternate assessment needs them."
                        )
                        % {"area": goal.area or _("annual")},
                    )
                )
    return problems


TRANSITION_PARTS = ("education", "employment", "services")


def _transition_written(plan: Plan) -> bool:
    """Postsecondary goals and transition services, not placeholders (300.320(b)). A section
    written in the structured fields needs each of them; one written as free text needs text."""
    content = _content(plan, SectionKey.TRANSITION)
    structured = [k for k in (*TRANSITION_PARTS, "course_of_study") if k in content]
    if any(not is_placeholder(content.get(k, "")) for k in structured):
        return all(not is_placeholder(content.get(k, "")) for k in TRANSITION_PARTS)
    return not is_placeholder(content.get("text", ""))


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
    if is_iep:
        for key, message in (
            (
                SectionKey.SPECIAL_FACTORS,
                _(
                    "The special factors section does not record what the team considered "
                    "(behavior, English proficiency, braille, communication, hearing, "
                    "assistive technology)."
                ),
            ),
            (
                SectionKey.PROGRESS_REPORTING,
                _(
                    "The plan does not say how progress toward the goals is measured and when "
                    "the parent receives progress reports."
                ),
            ),
            (
                SectionKey.ASSESSMENTS,
                _(
                    "The plan does not say how the student takes part in state and district "
                    "assessments (with which accommodations, or an alternate assessment)."
                ),
            ),
        ):
            if not _section_present(plan, key):
                problems.append(Problem(f"section:{key}", message))
        problems += _goal_problems(plan)
        if not plan.services.exists():
            problems.append(
                Problem(
                    "services",
                    _(
                        "The IEP lists no special education or related services; add the "
                        "services the student will receive, with how often and where."
                    ),
                )
            )
        problems += _lre_problems(plan)
        problems += _assessment_problems(plan)
        if is_initial_iep(plan) and not _has_services_consent(plan):
            problems.append(
                Problem(
                    "consent",
                    _(
                        "This is the student's first IEP: record the parent's consent to the "
                        "initial provision of services before it takes effect."
                    ),
                )
            )
    else:
        impairment = _content(plan, SectionKey.SECTION_504_IMPAIRMENT)
        named = not is_placeholder(impairment.get("impairment", "")) or not is_placeholder(
            impairment.get("text", "")
        )
        if _section_present(plan, SectionKey.SECTION_504_IMPAIRMENT) and not named:
            problems.append(
                Problem(
                    "section:section_504_impairment",
                    _("The plan does not name the impairment (the disability) it is based on."),
                )
            )
        if not plan.accommodations.exists() and not plan.services.exists():
            problems.append(
                Problem(
                    "accommodations",
                    _(
                        "The 504 Plan lists no accommodations or services; add what the school "
                        "will provide."
                    ),
                )
            )
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
        if not service.start_date:
            problems.append(
                Problem(
                    where,
                    _("%(name)s has no projected start date.") % {"name": service.name},
                )
            )
        if not service.setting.strip():
            problems.append(
                Problem(
                    where,
                    _("%(name)s does not say where it is given (its setting or location).")
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
        if transition_due and transition_due <= end and not _transition_written(plan):
            problems.append(
                Problem(
                    "section:transition",
                    _(
                        "The student reaches the state's transition age (%(date)s) while this "
                        "plan is in effect: write the postsecondary goals and the transition "
                        "services (not “TBD”)."
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
    require(actor, plan.student, Cap.WRITE_PLAN)
    plan = _lock(plan)
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
        plan.annual_review_due = _one_year_after(plan.meeting_date)
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
        _write_section(section, actor, content)
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
    require(actor, plan.student, Cap.WRITE_PLAN)
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


# --- what a correction may change ---------------------------------------------------------------

# A correction fixes the record, never the child's program: spelling and wording in narrative
# text, a name, a mistyped meeting date the record proves. Everything else needs an amendment.
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")
WORDING_SIMILARITY = 0.8  # below this, the text says something else: that is an amendment
# The section fields that decide the program (choices, answers, dates): never a correction.
_SECTION_TEXT_KINDS = ("text", "line")


def _numbers(text: str) -> list[str]:
    return sorted(_NUMBER.findall(text or ""))


def _wording_only(before: str, after: str) -> bool:
    """Whether `after` fixes spelling or wording in `before`: the same numbers, nearly the same
    words."""
    before, after = before or "", after or ""
    if _numbers(before) != _numbers(after):
        return False
    return difflib.SequenceMatcher(None, before, after).ratio() >= WORDING_SIMILARITY


def _criteria(text: str) -> list[dict[str, Any]]:
    """The goal checker's criteria for mastery, without where they sit in the sentence."""
    criteria = check_goal(text).to_json().get("criteria") or []
    where = ("text", "start", "end")
    return [
        {k: v for k, v in c.items() if k not in where}
        for c in criteria  # type: ignore[union-attr]
        if isinstance(c, dict)
    ]


def _amend_instead(plan: Plan, field_name: str, why: str) -> ValidationError:
    link = reverse("plan_amend", args=[plan.public_id])
    return ValidationError(
        {
            field_name: _(
                "%(why)s A correction only fixes spelling or wording, a name, or a mistyped date "
                "the record proves; this changes the child's program, so amend the plan instead "
                "(%(link)s)."
            )
            % {"why": why, "link": link}
        }
    )


def _meeting_on_record(plan: Plan, day: date) -> bool:
    """A meeting of the student's on `day` in the meetings record (held or scheduled)."""
    meeting = apps.get_model("meetings", "Meeting")
    return (
        meeting.objects.filter(student=plan.student)
        .exclude(status="cancelled")
        .filter(Q(held_at__date=day) | Q(starts_at__date=day))
        .exists()
    )


def _section_text_fields(key: str) -> set[str]:
    return {spec.name for spec in specs_for(key) if spec.kind in _SECTION_TEXT_KINDS}


def _check_correction(plan: Plan, changes: Changes) -> None:
    """Refuse, naming the field and why, whatever a correction may not change."""
    if changes.add_services or changes.remove_services:
        raise _amend_instead(plan, "services", _("Adding or removing a service changes it."))
    if changes.add_accommodations or changes.remove_accommodations:
        raise _amend_instead(
            plan, "accommodations", _("Adding or removing an accommodation changes it.")
        )
    if changes.add_goals or changes.remove_goals:
        raise _amend_instead(plan, "goals", _("Adding or removing a goal changes it."))
    for name, value in changes.plan_fields.items():
        if name in ("effective_from", "effective_to") and value != getattr(plan, name):
            raise _amend_instead(
                plan, name, _("The dates the plan is in effect are part of the program.")
            )
        if (
            name == "meeting_date"
            and value != plan.meeting_date
            and (value is None or not _meeting_on_record(plan, value))
        ):
            raise ValidationError(
                {
                    "meeting_date": _(
                        "The record shows no meeting of the student's on that date; a "
                        "meeting date is corrected only to the date the meetings record "
                        "shows."
                    )
                }
            )
    sections = {s.key: s.content for s in plan.sections.all()}
    for key, content in changes.sections.items():
        before = sections.get(key) or {}
        before = before if isinstance(before, dict) else {"text": before}
        after = content if isinstance(content, dict) else {"text": content}
        text_fields = _section_text_fields(key)
        for name in sorted(set(before) | set(after)):
            old, new = before.get(name, ""), after.get(name, "")
            if old == new or (not old and not new):
                continue
            if name not in text_fields:
                raise _amend_instead(
                    plan, name, _("This answer or choice in the section is part of the program.")
                )
            if not _wording_only(str(old), str(new)):
                raise _amend_instead(
                    plan,
                    name,
                    _("The text says something else (a number, minutes or a date changed)."),
                )
    for model, updates, allowed in (
        (Service, changes.update_services, {"name": _("service")}),
        (Accommodation, changes.update_accommodations, {"text": _("accommodation")}),
        (Goal, changes.update_goals, {"text": _("goal"), "baseline": _("baseline")}),
    ):
        for public_id, data in updates.items():
            item = _find(model, plan, public_id)
            for name, value in data.items():
                old = getattr(item, name)
                if old == value:
                    continue
                if name not in allowed:
                    raise _amend_instead(
                        plan,
                        name,
                        _("“%(field)s” is part of what the plan provides.")
                        % {"field": model._meta.get_field(name).verbose_name},
                    )
                if not _wording_only(str(old or ""), str(value or "")):
                    raise _amend_instead(
                        plan,
                        name,
                        _("The new %(what)s says something else, not the same words spelled right.")
                        % {"what": allowed[name]},
                    )
                if isinstance(item, Goal) and name == "text":
                    criteria = [_criteria(str(t)) for t in (old, value)]
                    if criteria[0] != criteria[1]:
                        raise _amend_instead(
                            plan, name, _("The goal's criterion for mastery changed.")
                        )


@transaction.atomic
def correct_plan(
    *, actor: User, plan: Plan, reason: str, changes: Changes, today: date
) -> PlanVersion:
    """Fix an error (a typo, a wrong date) in an active plan: one audited correction version."""
    require(actor, plan.student, Cap.WRITE_PLAN)
    plan = _lock(plan)
    if plan.status != PlanStatus.ACTIVE:
        raise ValidationError({"status": _("Only an active plan can be corrected.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Say what the correction fixes.")})
    _check_correction(plan, changes)
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
    plan = _lock(plan)
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
            for name in _ITEM_FIELDS[model]:
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
