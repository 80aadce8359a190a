"""The class sheet: every student of one class with a plan in force, and their accommodations
and modifications, on one printable page for the teacher (IDEA 300.323(d)).

Reads only, in a fixed number of queries whatever the class size; students come through the
access policy, so the sheet lists only those the reader may read today.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Prefetch, Q
from django.http import Http404
from django.utils.translation import pgettext_lazy

from tandem.access.policy import parse_public_id, schools_led_by, standing, students_visible_to
from tandem.accounts.models import User
from tandem.people.models import ClassEnrollment, ClassSection, Student
from tandem.plans.models import Accommodation, AccommodationKind, AppliesTo, Plan, PlanStatus

# Short codes for where an accommodation applies, so the printed sheet fits one page; the
# sheet prints their key above the table.
PLACE_CODES = {
    AppliesTo.CLASSROOM: pgettext_lazy("where an accommodation applies, short", "C"),
    AppliesTo.TESTS: pgettext_lazy("where an accommodation applies, short", "T"),
    AppliesTo.STATE_ASSESSMENTS: pgettext_lazy("where an accommodation applies, short", "SA"),
    AppliesTo.HEALTH_MEDICAL: pgettext_lazy("where an accommodation applies, short", "H"),
    AppliesTo.BEHAVIORAL: pgettext_lazy("where an accommodation applies, short", "B"),
    AppliesTo.TRANSPORTATION: pgettext_lazy("where an accommodation applies, short", "Tr"),
    AppliesTo.EXTRACURRICULAR: pgettext_lazy("where an accommodation applies, short", "X"),
}


def place_key() -> list[tuple[str, str]]:
    """Each short code with the place it stands for, for the printed key."""
    return [(str(code), str(AppliesTo(place).label)) for place, code in PLACE_CODES.items()]


@dataclass
class SheetRow:
    student: Student
    plans: list[Plan] = field(default_factory=list)


@dataclass
class ClassSheet:
    section: ClassSection
    rows: list[SheetRow]
    enrolled: int
    key: list[tuple[str, str]] = field(default_factory=place_key)


def section_for(user: User, public_id: object, *, today: date) -> ClassSection:
    """The class, if `user` teaches it today or leads its school; else 404 (absent or not theirs)."""
    key = parse_public_id(public_id)
    s = standing(user, today=today)
    mine = Q(teacher_id=s.staff_id) if s.staff_id is not None else Q(pk__in=[])
    led = Q(school_id__in=schools_led_by(user).values("pk"))
    section = (
        ClassSection.objects.active_on(today)  # type: ignore[attr-defined]
        .filter(mine | led, public_id=key)
        .select_related("school__district", "teacher__user")
        .first()
    )
    if section is None:
        raise Http404
    return section  # type: ignore[no-any-return]


def class_sheet(user: User, section: ClassSection, *, today: date) -> ClassSheet:
    """The section's current students the reader may read, and the plans in force of those who
    have one, with their accommodations: three queries."""
    enrollments = list(
        ClassEnrollment.objects.active_on(today)
        .filter(section=section, student__in=students_visible_to(user, today=today))
        .select_related("student")
        .order_by("student__legal_last_name", "student__legal_first_name", "student_id")
    )
    students = [e.student for e in enrollments]
    plans: dict[int, list[Plan]] = {}
    for plan in (
        Plan.objects.filter(student__in=students, status=PlanStatus.ACTIVE)
        .prefetch_related(
            Prefetch(
                "accommodations",
                queryset=Accommodation.objects.order_by("kind", "category", "id"),
            )
        )
        .order_by("kind", "id")
    ):
        for item in plan.accommodations.all():  # type: ignore[attr-defined]
            known = [p for p in item.applies_to if p in AppliesTo.values]
            item.places = [AppliesTo(p).label for p in known]
            item.codes = [str(PLACE_CODES[AppliesTo(p)]) for p in known]
        items = list(plan.accommodations.all())  # type: ignore[attr-defined]
        plan.accommodation_rows = [i for i in items if i.kind == AccommodationKind.ACCOMMODATION]  # type: ignore[attr-defined]
        plan.modification_rows = [i for i in items if i.kind == AccommodationKind.MODIFICATION]  # type: ignore[attr-defined]
        plans.setdefault(plan.student_id, []).append(plan)  # type: ignore[attr-defined]
    rows = [SheetRow(s, plans[s.pk]) for s in students if s.pk in plans]
    return ClassSheet(section=section, rows=rows, enrolled=len(students))
