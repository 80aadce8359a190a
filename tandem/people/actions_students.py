"""The district's roster, students' side: add a student, enrol them at a school, end an enrolment.

The roster import's rules (tandem/interop/roster_users.py), for one student at a time: a student
is matched by their SIS id, unique in the district, so a second record is never made; a new
student starts with an open enrolment at their school; a move to another school or grade ends
the open stay on the day the new one starts (as tandem/plans/transitions.py records it); nothing
is deleted: ending an enrolment dates it. The caller has passed the gatekeeper
(tandem/access/administration.py): people sits below the access policy.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tandem import audit
from tandem.accounts.models import User
from tandem.audit.catalogue import Action
from tandem.core import clock
from tandem.people.conflicts import AlreadyOnRecord
from tandem.people.models import Enrollment, Grade, School, Student

# Who the student is, as the roster import keeps it (its STUDENT_FIELDS but school and grade).
IDENTITY_FIELDS = (
    "legal_first_name",
    "legal_middle_name",
    "legal_last_name",
    "preferred_first_name",
    "preferred_last_name",
    "date_of_birth",
    "sex",
    "hispanic_latino",
    "race_american_indian",
    "race_asian",
    "race_black",
    "race_pacific_islander",
    "race_white",
)
# What a district administrator may change on a record; school and grade move with an enrolment.
ROSTER_FIELDS = (*IDENTITY_FIELDS, "state_id", "home_language", "english_learner")
EXIT_REASON_MAX = int(getattr(Enrollment._meta.get_field("exit_reason"), "max_length", 100))
ON_THE_DAY = gettext_lazy("Record the change on or after the day it happens.")


def _lock(student: Student) -> Student:
    """One enrolment change at a time per student: the open stay stays the only open one."""
    return (
        Student.objects.select_for_update(of=("self",))
        .select_related("school", "district")
        .get(pk=student.pk)
    )


def _already(student: Student) -> AlreadyOnRecord:
    return AlreadyOnRecord(
        _("A student with this SIS id is already on record in the district."),
        existing=student.public_id,
        field="sis_id",
    )


def _built(
    school: School, sis_id: str, grade: str, entry_date: date, values: dict[str, Any]
) -> Student:
    """The new student, checked (a known SIS id: 409), not saved yet."""
    if entry_date > clock.today():
        raise ValidationError({"entry_date": ON_THE_DAY})
    known = Student.objects.filter(district_id=school.district_id, sis_id=sis_id).first()
    if known is not None:
        raise _already(known)
    student = Student(district=school.district, school=school, sis_id=sis_id, grade=grade,
                      enrollment_date=entry_date, **values)  # fmt: skip
    # The SIS id was looked up above, and the database's constraint holds against a race.
    student.full_clean(exclude=["district", "school"], validate_unique=False,
                       validate_constraints=False)  # fmt: skip
    return student


def _audit(actor: User, action: Action, student: Student, **detail: object) -> None:
    audit.record(actor=actor, action=action, student=student, target=student, detail=detail)


@transaction.atomic
def add_student(
    *, actor: User, school: School, sis_id: str, grade: str, entry_date: date,
    values: dict[str, Any],
) -> Student:  # fmt: skip
    """Add a student enrolled at `school` from `entry_date`; a known SIS id is refused (409)."""
    student = _built(school, sis_id, grade, entry_date, values)
    student._history_user = actor  # type: ignore[attr-defined]
    try:
        with transaction.atomic():
            student.save()
    except IntegrityError:  # the same SIS id, added a moment ago
        raise _already(Student.objects.get(district=school.district, sis_id=sis_id)) from None
    Enrollment.objects.create(student=student, school=school, grade=grade, entry_date=entry_date)
    _audit(actor, Action.STUDENT__ADDED, student, school=str(school.public_id), grade=grade,
           entry_date=str(entry_date))  # fmt: skip
    return student


def _open_stay(student: Student) -> Enrollment | None:
    return (
        Enrollment.objects.select_for_update(of=("self",))
        .select_related("school")
        .filter(student=student, exit_date__isnull=True)
        .order_by("-entry_date", "-id")
        .first()
    )


def _check_entry(student: Student, stay: Enrollment | None, school: School, on: date) -> None:
    if school.district_id != student.district_id:
        raise ValidationError(
            {
                "school": _(
                    "Choose a school of this district; a move to another district is an exit "
                    "(moved, known to be continuing)."
                )
            }
        )
    if on > clock.today():
        raise ValidationError({"entry_date": ON_THE_DAY})
    if on <= student.date_of_birth:
        raise ValidationError({"entry_date": _("The entry date must be after the date of birth.")})
    if stay is not None and on < stay.entry_date:
        raise ValidationError(
            {"entry_date": _("The student enrolled at the current school later than that date.")}
        )


def _close(stay: Enrollment, school: School, on: date) -> None:
    """The open stay ends the day the next one starts, saying why (as transitions.py does)."""
    moved = stay.school_id != school.pk
    reason = (
        _("Transferred to %(school)s") % {"school": school.name} if moved else _("Changed grade")
    )
    stay.exit_date, stay.exit_reason = on, reason[:EXIT_REASON_MAX]
    stay.save(update_fields=["exit_date", "exit_reason"])


@transaction.atomic
def enrol_student(
    *, actor: User, student: Student, school: School, grade: str, entry_date: date
) -> tuple[Enrollment, bool]:
    """Enrol the student at `school` in `grade` from `entry_date`, ending the open stay that day;
    the open stay's school and grade again change nothing (False, the stay in force returned)."""
    student = _lock(student)
    if grade not in Grade.values:
        raise ValidationError({"grade": _("Choose a grade.")})
    stay = _open_stay(student)
    if stay is not None and (stay.school_id, stay.grade) == (school.pk, grade):
        return stay, False
    _check_entry(student, stay, school, entry_date)
    if stay is not None:
        _close(stay, school, entry_date)
    new = Enrollment.objects.create(student=student, school=school, grade=grade,
                                    entry_date=entry_date)  # fmt: skip
    before = {"school": str(student.school.public_id), "grade": student.grade}
    student.school, student.grade = school, grade
    student._history_user = actor  # type: ignore[attr-defined]
    student.save()
    after = {"school": str(school.public_id), "grade": grade}
    _audit(actor, Action.STUDENT__ENROLLED, student, to=after, entry_date=str(entry_date),
           **{"from": before})  # fmt: skip
    return new, True


def _check_end(stay: Enrollment, end_date: date) -> None:
    if end_date < stay.entry_date:
        day = date_format(stay.entry_date, "DATE_FORMAT")
        message = _("The end date cannot be before the student enrolled (%(day)s).")
        raise ValidationError({"end_date": message % {"day": day}})
    if end_date > clock.today():
        raise ValidationError({"end_date": ON_THE_DAY})


@transaction.atomic
def end_enrollment(
    *, actor: User, student: Student, end_date: date, reason: str
) -> tuple[Enrollment, bool]:
    """End the open enrolment on `end_date`, its last day; the row stays as history.

    Ending again on the same day changes nothing (False); with no open enrolment otherwise, 422.
    """
    student = _lock(student)
    stay = _open_stay(student)
    if stay is None:
        last = Enrollment.objects.filter(student=student).order_by("-entry_date", "-id").first()
        if last is not None and last.exit_date == end_date:
            return last, False
        raise ValidationError({"end_date": _("The student has no open enrolment to end.")})
    _check_end(stay, end_date)
    stay.exit_date, stay.exit_reason = end_date, reason.strip()[:EXIT_REASON_MAX]
    stay.save(update_fields=["exit_date", "exit_reason"])
    _audit(actor, Action.STUDENT__ENROLLMENT_CLOSED, student, school=str(stay.school.public_id),
           entry_date=str(stay.entry_date), exit_date=str(end_date),
           reason=stay.exit_reason)  # fmt: skip
    return stay, True
