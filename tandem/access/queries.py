"""Lists of students and relationships as each user sees them, always through the policy."""

from __future__ import annotations

from datetime import date
from uuid import UUID

from django.db.models import Count, Prefetch, Q, QuerySet

from tandem.access.policy import (
    provider_assignments_in_force,
    schools_led_by,
    standing,
    students_visible_to,
)
from tandem.accounts.models import User
from tandem.people.models import (
    CaseloadAssignment,
    ClassEnrollment,
    ClassSection,
    ProviderAssignment,
    School,
    Student,
    StudentGuardian,
    TeamMembership,
)


def _active(prefix: str, day: date) -> Q:
    return Q(**{f"{prefix}start_date__lte": day}) & (
        Q(**{f"{prefix}end_date__isnull": True}) | Q(**{f"{prefix}end_date__gte": day})
    )


def search_students(
    user: User, query: str, *, today: date, school: UUID | None = None
) -> QuerySet[Student]:
    """Students the user may see whose name or id contains every word of `query`."""
    students = students_visible_to(user, today=today).select_related("school")
    if school is not None:
        students = students.filter(school__public_id=school)
    for word in query.lower().split()[:6]:
        students = students.filter(search_text__contains=word)
    return students.order_by("legal_last_name", "legal_first_name", "id")


def caseload_for(user: User, *, today: date) -> QuerySet[Student]:
    """The students on the user's caseload as case manager."""
    s = standing(user, today=today)
    if s.staff_id is None:
        return Student.objects.none()
    mine = CaseloadAssignment.objects.filter(_active("", today), staff_id=s.staff_id)
    return (
        students_visible_to(user, today=today)
        .filter(pk__in=mine.values("student_id"))
        .select_related("school")
        .annotate(guardian_count=Count("guardian_links", distinct=True))
        .order_by("legal_last_name", "legal_first_name", "id")
    )


def team_students_for(user: User, *, today: date) -> QuerySet[TeamMembership]:
    """The user's current team memberships, with the student and school."""
    s = standing(user, today=today)
    if s.staff_id is None:
        return TeamMembership.objects.none()
    visible = students_visible_to(user, today=today).values("pk")
    return (
        TeamMembership.objects.filter(_active("", today), staff_id=s.staff_id, student__in=visible)
        .select_related("student", "student__school")
        .order_by("student__legal_last_name", "student__legal_first_name", "id")
    )


def roster_sections_for(user: User, *, today: date) -> list[ClassSection]:
    """The user's classes today, each with its current students prefetched."""
    s = standing(user, today=today)
    if s.staff_id is None:
        return []
    visible = students_visible_to(user, today=today).values("pk")
    current = (
        ClassEnrollment.objects.filter(_active("", today), student__in=visible)
        .select_related("student")
        .order_by("student__legal_last_name", "student__legal_first_name")
    )
    return list(
        ClassSection.objects.filter(_active("", today), teacher_id=s.staff_id)
        .select_related("school")
        .prefetch_related(Prefetch("enrollments", queryset=current, to_attr="current_enrollments"))
        .order_by("period", "name")
    )


def provider_caseload_for(user: User, *, today: date) -> QuerySet[ProviderAssignment]:
    """The provider's assigned students across schools and districts."""
    s = standing(user, today=today)
    if s.staff_id is None:
        return ProviderAssignment.objects.none()
    visible = students_visible_to(user, today=today).values("pk")
    return (
        provider_assignments_in_force(today)
        .filter(staff_id=s.staff_id, student__in=visible)
        .select_related("student", "student__school", "district")
        .order_by("district__name", "student__school__name", "student__legal_last_name", "id")
    )


def school_counts_for(user: User, *, today: date) -> QuerySet[School]:
    """The schools the user leads, with counts of students, caseloads and English learners."""
    enrolled = Q(students__exit_date__isnull=True) | Q(students__exit_date__gte=today)
    on_caseload = Q(
        students__case_managers__start_date__lte=today,
    ) & (
        Q(students__case_managers__end_date__isnull=True)
        | Q(students__case_managers__end_date__gte=today)
    )
    return (
        schools_led_by(user)
        .select_related("district")
        .annotate(
            student_count=Count("students", filter=enrolled, distinct=True),
            caseload_count=Count("students", filter=enrolled & on_caseload, distinct=True),
            english_learner_count=Count(
                "students", filter=enrolled & Q(students__english_learner=True), distinct=True
            ),
        )
        .order_by("district__name", "name")
    )


def children_of(user: User, *, today: date) -> QuerySet[Student]:
    """A guardian's children whose educational rights they hold."""
    return (
        students_visible_to(user, today=today)
        .filter(guardian_links__guardian__user=user, guardian_links__educational_rights_holder=True)
        .select_related("school", "district")
        .distinct()
        .order_by("date_of_birth")
    )


def overview_for(student: Student, *, today: date) -> dict[str, object]:
    """Everything on the student overview, in a fixed number of queries."""
    return {
        "guardians": list(
            StudentGuardian.objects.filter(student=student)
            .select_related("guardian")
            .order_by("-primary_contact", "guardian__last_name")
        ),
        "team": list(
            TeamMembership.objects.filter(student=student)
            .select_related("staff__user")
            .order_by("end_date", "role")
        ),
        "case_managers": list(
            CaseloadAssignment.objects.filter(_active("", today), student=student).select_related(
                "staff__user"
            )
        ),
        "enrollments": list(student.enrollments.select_related("school").order_by("-entry_date")),
        "providers": list(
            ProviderAssignment.objects.filter(_active("", today), student=student).select_related(
                "staff__user"
            )
        ),
    }
