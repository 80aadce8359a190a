"""The only write path for people data: validated, audited, with field history."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from tandem import audit
from tandem.accounts.models import User
from tandem.audit.catalogue import Action
from tandem.people.models import Guardian, Student

STUDENT_EDITABLE_FIELDS = (
    "preferred_first_name",
    "preferred_last_name",
    "grade",
    "home_language",
    "english_learner",
    "state_id",
)
GUARDIAN_EDITABLE_FIELDS = ("email", "phone", "address", "preferred_language", "needs_interpreter")


def _ensure_history_baseline(instance: Any) -> None:
    """Records created in bulk (seeding, imports) have no history row yet; without one the
    first change could not show what the field said before it."""
    history = type(instance).history
    if not history.filter(id=instance.pk).exists():
        history.bulk_history_create(
            [instance], default_change_reason="baseline before first change"
        )


def _apply(instance: Any, fields: tuple[str, ...], changes: dict[str, Any]) -> dict[str, list[Any]]:
    unknown = set(changes) - set(fields)
    if unknown:
        raise ValidationError(
            {name: "This field cannot be changed here." for name in sorted(unknown)}
        )
    changed: dict[str, list[Any]] = {}
    for name, value in changes.items():
        old = getattr(instance, name)
        if old != value:
            changed[name] = [old, value]
            setattr(instance, name, value)
    return changed


@transaction.atomic
def update_student_profile(
    *, actor: User, student: Student, changes: dict[str, Any],
    fields: tuple[str, ...] = STUDENT_EDITABLE_FIELDS,
) -> Student:  # fmt: skip
    """Change a student's editable profile fields, keeping who changed what from what to what.

    The caller has passed the gatekeeper: `student_access(..., need=Cap.EDIT_PROFILE)`, or a
    district administrator's with the roster's wider `fields` (people sits below the policy).
    """
    student = Student.objects.select_for_update(of=("self",)).get(pk=student.pk)
    _ensure_history_baseline(student)
    changed = _apply(student, fields, changes)
    if not changed:
        return student
    student.full_clean()
    student._history_user = actor  # type: ignore[attr-defined]
    student.save()
    audit.record(
        actor=actor,
        action=Action.STUDENT__UPDATED,
        student=student,
        target=student,
        detail={"fields": {k: [str(v[0]), str(v[1])] for k, v in changed.items()}},
    )
    return student


@transaction.atomic
def update_guardian_contact(
    *, actor: User, guardian: Guardian, student: Student, changes: dict[str, Any]
) -> Guardian:
    """Change a guardian's contact details, recorded against the student whose page it was."""
    guardian = Guardian.objects.select_for_update(of=("self",)).get(pk=guardian.pk)
    _ensure_history_baseline(guardian)
    changed = _apply(guardian, GUARDIAN_EDITABLE_FIELDS, changes)
    if not changed:
        return guardian
    guardian.full_clean()
    guardian._history_user = actor  # type: ignore[attr-defined]
    guardian.save()
    audit.record(
        actor=actor,
        action=Action.GUARDIAN__UPDATED,
        student=student,
        target=guardian,
        detail={"fields": {k: [str(v[0]), str(v[1])] for k, v in changed.items()}},
    )
    return guardian
