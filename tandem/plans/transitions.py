"""Transitions of a plan's student: exit (FS009 basis of exit), IEP to 504, school or grade change.

Like `actions.py`, every function takes the acting user first, refuses (changing nothing) when
the user may not change the student's record, validates with a ValidationError keyed by field
name, locks what it changes, and records an audit event. A plan's version history is untouched:
transitions are kept as `PlanEvent` rows next to it (the plan's history).
"""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from tandem import audit
from tandem.access.capabilities import Cap
from tandem.access.policy import require
from tandem.accounts.models import User
from tandem.audit.catalogue import Action
from tandem.people.models import Enrollment, Grade, School, Student
from tandem.plans.models import (
    EDITABLE_STATUSES,
    Accommodation,
    AccommodationKind,
    ExitReason,
    Plan,
    PlanEvent,
    PlanEventKind,
    PlanKind,
    PlanSection,
    PlanStatus,
    SectionKey,
    fs009_code,
)

LIVE_STATUSES = (PlanStatus.DRAFT, PlanStatus.PROPOSED, PlanStatus.ACTIVE)


def _lock(plan: Plan) -> Plan:
    return Plan.objects.select_for_update(of=("self",)).select_related("student").get(pk=plan.pk)


def _check_exit_date(plan: Plan, exit_date: date | None, today: date) -> date:
    if exit_date is None:
        raise ValidationError({"exit_date": _("Give the date the student exited.")})
    if exit_date > today:
        raise ValidationError(
            {"exit_date": _("Record an exit on or after the day it happens, not before.")}
        )
    if plan.effective_from and exit_date < plan.effective_from:
        raise ValidationError(
            {
                "exit_date": _("The exit date is before the plan took effect (%(day)s).")
                % {"day": plan.effective_from.isoformat()}
            }
        )
    return exit_date


def _end(plan: Plan, reason: str, exit_date: date) -> None:
    plan.status = PlanStatus.ENDED
    plan.exit_reason = reason
    plan.exit_date = exit_date
    plan.effective_to = max(exit_date, plan.effective_from or exit_date)
    plan.full_clean()
    plan.save(update_fields=["status", "exit_reason", "exit_date", "effective_to"])


def _close_drafts(actor: User, plan: Plan, exit_date: date) -> list[Plan]:
    """An unfinished draft of the same kind (an annual review) ends with the plan."""
    drafts = list(
        Plan.objects.select_for_update(of=("self",)).filter(
            student=plan.student, kind=plan.kind, status__in=EDITABLE_STATUSES
        )
    )
    for draft in drafts:
        draft.status = PlanStatus.ENDED
        draft.save(update_fields=["status"])
        audit.record(
            actor=actor,
            action=Action.PLAN__DRAFT_CLOSED,
            student=plan.student,
            target=draft,
            detail={"because": str(plan.public_id), "on": exit_date.isoformat()},
        )
    return drafts


@transaction.atomic
def exit_plan(
    *,
    actor: User,
    plan: Plan,
    reason: str,
    exit_date: date | None,
    today: date,
    note: str = "",
) -> Plan:
    """End the active plan: the student exits with an FS009 basis of exit on `exit_date`."""
    require(actor, plan.student, Cap.WRITE_PLAN)
    plan = _lock(plan)
    if plan.status != PlanStatus.ACTIVE:
        raise ValidationError({"status": _("Only an active plan can be ended with an exit.")})
    if reason not in ExitReason.values:
        raise ValidationError({"reason": _("Choose the basis of exit.")})
    exit_date = _check_exit_date(plan, exit_date, today)
    _end(plan, reason, exit_date)
    closed = _close_drafts(actor, plan, exit_date)
    PlanEvent.objects.create(
        plan=plan,
        kind=PlanEventKind.EXITED,
        happened_on=exit_date,
        detail={"reason": reason, "fs009": fs009_code(reason)},
        note=note.strip(),
        recorded_by=actor,
    )
    audit.record(
        actor=actor,
        action=Action.PLAN__EXITED,
        student=plan.student,
        target=plan,
        detail={
            "exit_reason": reason,
            "fs009": fs009_code(reason),
            "exit_date": exit_date.isoformat(),
            "drafts_closed": [str(d.public_id) for d in closed],
        },
    )
    return plan


@transaction.atomic
def move_iep_to_504(
    *, actor: User, plan: Plan, exit_date: date | None, today: date, note: str = ""
) -> Plan:
    """End the IEP (no longer eligible under IDEA) and start a 504 draft with its accommodations.

    The accommodations keep their lineage, so what was provided stays linked; modifications
    (which change what is taught) are not carried over: a 504 Plan gives access, and the team
    decides them again if needed.
    """
    require(actor, plan.student, Cap.WRITE_PLAN)
    plan = _lock(plan)
    if plan.kind != PlanKind.IEP or plan.status != PlanStatus.ACTIVE:
        raise ValidationError({"status": _("Only an active IEP can move to a 504 Plan.")})
    exit_date = _check_exit_date(plan, exit_date, today)
    existing = Plan.objects.filter(
        student=plan.student, kind=PlanKind.SECTION_504, status__in=LIVE_STATUSES
    ).first()
    if existing is not None:
        raise ValidationError(
            {
                "kind": _("The student already has a 504 Plan (%(status)s); use that one.")
                % {"status": existing.get_status_display()}
            }
        )
    _end(plan, ExitReason.NO_LONGER_ELIGIBLE, exit_date)
    _close_drafts(actor, plan, exit_date)
    draft = Plan(
        student=plan.student,
        kind=PlanKind.SECTION_504,
        meeting_date=None,
        created_by=actor,
    )
    draft.full_clean()
    draft.save()
    carried = [
        Accommodation(
            plan=draft,
            lineage=item.lineage,
            kind=item.kind,
            category=item.category,
            text=item.text,
            applies_to=item.applies_to,
            frequency_condition=item.frequency_condition,
            provider_role=item.provider_role,
            responsible_staff_id=item.responsible_staff_id,
        )
        for item in plan.accommodations.filter(kind=AccommodationKind.ACCOMMODATION)
    ]
    Accommodation.objects.bulk_create(carried)
    keep = (SectionKey.PARENT_CONCERNS, SectionKey.STRENGTHS, SectionKey.PARENT_PARTICIPATION)
    PlanSection.objects.bulk_create(
        PlanSection(plan=draft, key=s.key, content=s.content, revision=0, updated_by=actor)
        for s in plan.sections.filter(key__in=keep)
    )
    PlanEvent.objects.create(
        plan=plan,
        kind=PlanEventKind.CONVERTED_TO_504,
        happened_on=exit_date,
        detail={
            "reason": ExitReason.NO_LONGER_ELIGIBLE,
            "fs009": fs009_code(ExitReason.NO_LONGER_ELIGIBLE),
            "accommodations": len(carried),
        },
        note=note.strip(),
        related_plan=draft,
        recorded_by=actor,
    )
    PlanEvent.objects.create(
        plan=draft,
        kind=PlanEventKind.CREATED_FROM_IEP,
        happened_on=exit_date,
        detail={"accommodations": len(carried)},
        related_plan=plan,
        recorded_by=actor,
    )
    audit.record(
        actor=actor,
        action=Action.PLAN__MOVED_TO_504,
        student=plan.student,
        target=draft,
        detail={
            "iep": str(plan.public_id),
            "exit_date": exit_date.isoformat(),
            "accommodations": len(carried),
        },
    )
    return draft


@transaction.atomic
def change_school(
    *,
    actor: User,
    plan: Plan,
    school: School | None,
    grade: str,
    on_date: date | None,
    today: date,
    note: str = "",
) -> list[PlanEvent]:
    """The student moves to another school of the district or another grade; the plan follows.

    The open enrollment closes and a new one opens; the plan stays as it is (active plans stay
    active), and the new school's staff see it through the access policy, which follows the
    student's school. Recorded in the history of each of the student's live plans. The school
    and grade are the student's profile: it takes the capability to edit it, not only the plan.
    """
    require(actor, plan.student, Cap.EDIT_PROFILE)
    plan = _lock(plan)
    if plan.status not in LIVE_STATUSES:
        raise ValidationError({"status": _("This plan has ended; the change was not recorded.")})
    student = Student.objects.select_for_update(of=("self",)).get(pk=plan.student_id)
    if on_date is None:
        raise ValidationError({"on_date": _("Give the date of the change.")})
    if on_date > today:
        raise ValidationError({"on_date": _("Record the change on or after the day it happens.")})
    new_school = school or student.school
    if new_school.district_id != student.district_id:
        raise ValidationError(
            {
                "school": _(
                    "Choose a school of this district; a move to another district is an exit "
                    "(moved, known to be continuing)."
                )
            }
        )
    if grade not in Grade.values:
        raise ValidationError({"grade": _("Choose a grade.")})
    if new_school.pk == student.school_id and grade == student.grade:
        raise ValidationError({"school": _("Neither the school nor the grade changes.")})
    before = {"school": student.school.name, "grade": student.grade}
    moved = new_school.pk != student.school_id
    open_stay = (
        Enrollment.objects.select_for_update(of=("self",))
        .filter(student=student, exit_date__isnull=True)
        .order_by("-entry_date")
        .first()
    )
    if open_stay is not None and on_date < open_stay.entry_date:
        raise ValidationError(
            {"on_date": _("The student enrolled at the current school later than that date.")}
        )
    if open_stay is not None:
        open_stay.exit_date = on_date
        open_stay.exit_reason = (
            _("Transferred to %(school)s") % {"school": new_school.name}
            if moved
            else _("Changed grade")
        )
        open_stay.save(update_fields=["exit_date", "exit_reason"])
    Enrollment.objects.create(student=student, school=new_school, grade=grade, entry_date=on_date)
    student.school = new_school
    student.grade = grade
    student.full_clean()
    student.save()
    after = {"school": new_school.name, "grade": grade}
    kind = PlanEventKind.SCHOOL_CHANGE if moved else PlanEventKind.GRADE_CHANGE
    plans = list(
        Plan.objects.select_for_update(of=("self",)).filter(
            student=student, status__in=LIVE_STATUSES
        )
    )
    events = PlanEvent.objects.bulk_create(
        PlanEvent(
            plan=p,
            kind=kind,
            happened_on=on_date,
            detail={"from": before, "to": after},
            note=note.strip(),
            recorded_by=actor,
        )
        for p in plans
    )
    audit.record(
        actor=actor,
        action=Action.STUDENT__SCHOOL_CHANGED if moved else Action.STUDENT__GRADE_CHANGED,
        student=student,
        target=plan,
        detail={"from": before, "to": after, "on": on_date.isoformat()},
    )
    return events


def history_of(plan: Plan) -> list[PlanEvent]:
    """The plan's transitions, oldest first (one query)."""
    return list(
        PlanEvent.objects.filter(plan=plan)
        .select_related("related_plan", "recorded_by")
        .order_by("happened_on", "id")
    )
