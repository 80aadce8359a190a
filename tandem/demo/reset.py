"""Removing the demo world (`seed_demo --reset`): the demo districts and everything `seed_demo`
created in them. The audit log is append-only (database triggers refuse deletes), so it
refuses, changing nothing, when audit events or any other records (plans, evaluations, ...)
refer to the demo districts, students, guardians or accounts.
"""

from __future__ import annotations

from typing import Any

from django.db import models, transaction
from django.db.models import Q

from tandem.accounts.models import AuditEvent, User
from tandem.demo.districts import DEMO_SLUGS
from tandem.demo.world_writer import Log
from tandem.people.models import (
    CaseloadAssignment,
    ClassEnrollment,
    ClassSection,
    District,
    Enrollment,
    Guardian,
    ProviderAssignment,
    School,
    SchoolCalendar,
    Staff,
    StaffRole,
    Student,
    StudentGuardian,
    TeamMembership,
)


def demo_exists() -> bool:
    return District.objects.filter(slug__in=DEMO_SLUGS).exists()


class ResetRefused(Exception):
    """The demo data cannot be removed without touching records it must not touch."""


def _blockers(
    model: type[models.Model], rows: models.QuerySet[Any], handled: set[type[models.Model]]
) -> list[str]:
    """Other tables with rows referring to `rows` (history tables carry no constraints)."""
    found = []
    for rel in model._meta.related_objects:
        other = rel.related_model
        if other in handled or not getattr(rel.field, "db_constraint", True):
            continue
        if other._default_manager.filter(**{f"{rel.field.name}__in": rows}).exists():
            found.append(other._meta.label)
    return found


def reset_demo(*, log: Log = lambda _: None) -> None:
    """Remove the demo districts and everything `seed_demo` created in them, or refuse."""
    district_ids = list(District.objects.filter(slug__in=DEMO_SLUGS).values_list("pk", flat=True))
    if not district_ids:
        return
    students = Student.objects.filter(district_id__in=district_ids)
    guardians = Guardian.objects.filter(district_id__in=district_ids)
    in_demo = set(
        StaffRole.objects.filter(district_id__in=district_ids).values_list("staff_id", flat=True)
    )
    elsewhere = set(
        StaffRole.objects.filter(staff_id__in=in_demo)
        .exclude(district_id__in=district_ids)
        .values_list("staff_id", flat=True)
    )
    staff_ids = sorted(in_demo - elsewhere)
    user_ids = set(Staff.objects.filter(pk__in=staff_ids).values_list("user_id", flat=True))
    user_ids |= set(guardians.exclude(user=None).values_list("user_id", flat=True))
    if AuditEvent.objects.filter(
        Q(district_id__in=district_ids)
        | Q(student__district_id__in=district_ids)
        | Q(actor_id__in=user_ids)
    ).exists():
        raise ResetRefused(
            "The audit log has events about the demo districts, students or accounts; it is "
            "append-only, so the demo data cannot be removed. Seed a fresh database instead."
        )
    links = {
        Enrollment,
        StudentGuardian,
        ClassEnrollment,
        CaseloadAssignment,
        TeamMembership,
        ProviderAssignment,
    }
    blockers = _blockers(Student, students, links | {AuditEvent}) + _blockers(
        Guardian, guardians, {StudentGuardian}
    )
    if blockers:
        raise ResetRefused(
            "Other records refer to the demo students or guardians ("
            + ", ".join(sorted(set(blockers)))
            + "); --reset only removes what seed_demo created. Seed a fresh database instead."
        )
    try:
        with transaction.atomic():
            for model in (
                ProviderAssignment,
                TeamMembership,
                CaseloadAssignment,
                ClassEnrollment,
                StudentGuardian,
                Enrollment,
            ):
                # `student_id IN (subquery)`, not a join: planners do well with it even before
                # fresh rows have statistics.
                model.objects.filter(student_id__in=students.values("pk")).delete()
            # Students and guardians have history signals, so the ORM would load every row and
            # write a "deleted" history row for each; nothing else refers to them now.
            n_students = students._raw_delete(students.db)
            guardians._raw_delete(guardians.db)
            schools = School.objects.filter(district_id__in=district_ids)
            ClassSection.objects.filter(school_id__in=schools.values("pk")).delete()
            StaffRole.objects.filter(district_id__in=district_ids).delete()
            Staff.objects.filter(pk__in=staff_ids).delete()
            User.objects.filter(pk__in=user_ids).delete()
            SchoolCalendar.objects.filter(district_id__in=district_ids).delete()
            schools.delete()
            District.objects.filter(pk__in=district_ids).delete()
    except (models.ProtectedError, models.RestrictedError) as error:
        raise ResetRefused(f"Other records refer to the demo data: {error.args[0]}") from None
    log(
        f"Removed the demo districts: {n_students:,} students, {len(staff_ids):,} staff, "
        f"{len(user_ids):,} accounts."
    )
