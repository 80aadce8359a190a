"""The people who implement a plan (300.323(d)): what each of their students' plans asks of them,
and the record that an accommodation was provided.

`implementation_for` reads in a fixed number of queries whatever the number of students, and
marks the students on whom the reader may record (`Cap.RECORD_ACCOMMODATIONS`: the class teacher,
the special education teacher, the case manager, leaders); `record_provided` is the only write
path for `AccommodationProvided`; `provided_for` is the plan's side of that record.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max, Prefetch, Q, QuerySet
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from tandem import audit
from tandem.access.capabilities import Cap
from tandem.access.policy import require, standing, students_visible_to, students_with
from tandem.access.queries import roster_sections_for
from tandem.accounts.models import User
from tandem.audit.catalogue import Action
from tandem.people.models import (
    CaseloadAssignment,
    ClassEnrollment,
    ClassSection,
    ProviderAssignment,
    Student,
    TeamMembership,
)
from tandem.plans.models import (
    Accommodation,
    AccommodationKind,
    AccommodationProvided,
    AppliesTo,
    Goal,
    Plan,
    PlanStatus,
    Service,
)

NOTE_MAX = 300


@dataclass
class StudentPlans:
    """One student and their active plans, each with what the viewer implements."""

    student: Student
    plans: list[Plan] = field(default_factory=list)
    can_record: bool = False


@dataclass
class Group:
    """A class section (or, with `section` None, the students met another way)."""

    section: ClassSection | None
    students: list[StudentPlans] = field(default_factory=list)


def _implementer_students(staff_id: int, day: date) -> Q:
    """Students the staff member works with today: roster, caseload, team or provider."""
    roster = (
        ClassEnrollment.objects.active_on(day)
        .filter(section__teacher_id=staff_id, section__start_date__lte=day)
        .filter(Q(section__end_date__isnull=True) | Q(section__end_date__gte=day))
    )
    return (
        Q(pk__in=roster.values("student_id"))
        | Q(
            pk__in=CaseloadAssignment.objects.active_on(day)
            .filter(staff_id=staff_id)
            .values("student_id")
        )
        | Q(
            pk__in=TeamMembership.objects.active_on(day)
            .filter(staff_id=staff_id)
            .values("student_id")
        )
        | Q(
            pk__in=ProviderAssignment.objects.active_on(day)
            .filter(staff_id=staff_id)
            .values("student_id")
        )
    )


_WORD = re.compile(r"[a-z]{4,}")


def _stems(text: str) -> set[str]:
    return {word[:6] for word in _WORD.findall(text.lower())}


def _services_for(services: list[Service], areas: list[str]) -> list[Service]:
    """The services a provider delivers: those named like their assignment, else all of them."""
    matched = [
        service
        for service in services
        if any(
            _stems(area) and _stems(area) <= _stems(f"{service.name} {service.provider_role}")
            for area in areas
        )
    ]
    return matched or services


def _plans_by_student(student_ids: set[int], staff_id: int | None) -> dict[int, list[Plan]]:
    accommodations = Accommodation.objects.annotate(
        last_provided=Max("provided_records__provided_on")
    ).order_by("kind", "category", "id")
    plans = (
        Plan.objects.filter(student_id__in=student_ids, status=PlanStatus.ACTIVE)
        .prefetch_related(
            Prefetch("accommodations", queryset=accommodations),
            Prefetch("goals", queryset=Goal.objects.order_by("area", "id")),
            Prefetch("services", queryset=Service.objects.order_by("category", "name", "id")),
        )
        .order_by("kind", "id")
    )
    result: dict[int, list[Plan]] = {}
    for plan in plans:
        for item in plan.accommodations.all():
            item.places = [AppliesTo(p).label for p in item.applies_to if p in AppliesTo.values]
            item.is_mine = staff_id is not None and item.responsible_staff_id == staff_id
        plan.accommodation_rows = [
            a for a in plan.accommodations.all() if a.kind == AccommodationKind.ACCOMMODATION
        ]
        plan.modification_rows = [
            a for a in plan.accommodations.all() if a.kind == AccommodationKind.MODIFICATION
        ]
        result.setdefault(plan.student_id, []).append(plan)
    return result


def implementation_for(user: User, *, today: date) -> list[Group]:
    """Per class section, then for the other students the user works with: active plans only."""
    s = standing(user, today=today)
    if s.staff_id is None:
        return []
    sections = roster_sections_for(user, today=today)
    on_roster = {e.student_id for section in sections for e in section.current_enrollments}
    others = list(
        students_visible_to(user, today=today)
        .filter(_implementer_students(s.staff_id, today))
        .exclude(pk__in=on_roster)
        .select_related("school")
        .order_by("legal_last_name", "legal_first_name", "id")
    )
    areas: dict[int, list[str]] = {}
    for student_id, area in (
        ProviderAssignment.objects.active_on(today)
        .filter(staff_id=s.staff_id)
        .values_list("student_id", "service_area")
    ):
        areas.setdefault(student_id, []).append(area)
    plans = _plans_by_student(on_roster | {o.pk for o in others}, s.staff_id)
    recordable = set(
        students_with(user, Cap.RECORD_ACCOMMODATIONS, today=today)
        .filter(pk__in=list(plans))
        .values_list("pk", flat=True)
    )

    def entry(student: Student) -> StudentPlans | None:
        found = plans.get(student.pk)
        if not found:
            return None
        for plan in found:
            services = list(plan.services.all())
            plan.my_services = (
                _services_for(services, areas[student.pk]) if student.pk in areas else []
            )
        return StudentPlans(student=student, plans=found, can_record=student.pk in recordable)

    groups = []
    for section in sections:
        rows = [entry(e.student) for e in section.current_enrollments]
        groups.append(Group(section=section, students=[r for r in rows if r is not None]))
    rest = [r for r in (entry(student) for student in others) if r is not None]
    if rest:
        groups.append(Group(section=None, students=rest))
    return groups


def accommodation_row(user: User, accommodation: Accommodation, *, today: date) -> Accommodation:
    """One accommodation, annotated as on the page (after a record, for the htmx swap)."""
    row = (
        Accommodation.objects.annotate(last_provided=Max("provided_records__provided_on"))
        .select_related("plan__student")
        .get(pk=accommodation.pk)
    )
    row.places = [AppliesTo(p).label for p in row.applies_to if p in AppliesTo.values]
    s = standing(user, today=today)
    row.is_mine = s.staff_id is not None and row.responsible_staff_id == s.staff_id
    return row


def _short(day: date) -> str:
    return date_format(day, "SHORT_DATE_FORMAT")


def record_provided(
    *,
    actor: User,
    accommodation: Accommodation,
    provided_on: date,
    note: str = "",
    today: date,
) -> AccommodationProvided:
    """Record that `accommodation` was provided on `provided_on`; audited; refuses, storing
    nothing, a future day or a day outside the plan's effective dates."""
    plan = accommodation.plan
    student = plan.student
    require(actor, student, Cap.RECORD_ACCOMMODATIONS)
    if plan.status != PlanStatus.ACTIVE:
        raise ValidationError(
            {"provided_on": _("Only the accommodations of an active plan can be recorded.")}
        )
    if provided_on > today:
        raise ValidationError({"provided_on": _("The date cannot be in the future.")})
    start, end = plan.effective_from, plan.effective_to
    if (start and provided_on < start) or (end and provided_on > end):
        if start and end:
            message = _("Choose a day from %(start)s to %(end)s, while the plan is in effect.") % {
                "start": _short(start),
                "end": _short(end),
            }
        elif start:
            message = _("Choose a day on or after %(start)s, when the plan took effect.") % {
                "start": _short(start)
            }
        else:
            message = _("Choose a day on or before %(end)s, when the plan ends.") % {
                "end": _short(end)  # type: ignore[arg-type]
            }
        raise ValidationError({"provided_on": message})
    note = (note or "").strip()
    if len(note) > NOTE_MAX:
        raise ValidationError(
            {"note": _("Keep the note under %(max)s characters.") % {"max": NOTE_MAX}}
        )
    with transaction.atomic():
        record = AccommodationProvided.objects.create(
            plan=plan,
            accommodation=accommodation,
            accommodation_lineage=accommodation.lineage,
            student=student,
            provided_on=provided_on,
            note=note,
            recorded_by=actor,
        )
        audit.record(
            actor=actor,
            action=Action.ACCOMMODATION__PROVIDED,
            student=student,
            target=accommodation,
            detail={
                "plan": str(plan.public_id),
                "provided_on": provided_on.isoformat(),
                "note": bool(note),
            },
        )
    return record


def provided_for(plan: Plan) -> QuerySet[AccommodationProvided]:
    """Everything recorded as provided under `plan`, newest first (the caller checks access)."""
    return (
        AccommodationProvided.objects.filter(plan=plan)
        .select_related("accommodation", "recorded_by")
        .order_by("-provided_on", "-recorded_at", "-id")
    )
