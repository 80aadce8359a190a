"""Reads for the deadlines views, the API and the digest, scoped by the one access policy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from uuid import UUID

from django.db import models
from django.db.models import Count, F, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.utils.translation import gettext_lazy as _

from tandem.access.policy import schools_led_by, standing, students_visible_to
from tandem.accounts.models import User
from tandem.compliance.models import Deadline, DeadlineBasis
from tandem.people.models import (
    CaseloadAssignment,
    Role,
    School,
    Staff,
    Student,
    TeamMembership,
)

# Roles answerable for meeting legal dates; a teacher or a provider alone does not get the page.
COMPLIANCE_ROLES = frozenset(
    {
        Role.DISTRICT_ADMIN,
        Role.SCHOOL_ADMIN,
        Role.CASE_MANAGER,
        Role.EVALUATOR,
        Role.COORDINATOR_504,
    }
)
# "Open" is the default view: every date still to be met. "All" adds met and waived dates.
OPEN = "open"
ALL = "all"


SOON = timedelta(days=14)
LATER = timedelta(days=30)


class DeadlineStatus(models.TextChoices):
    MET = "met", _("Met")
    MET_LATE = "met_late", _("Met late")
    OVERDUE = "overdue", _("Overdue")
    DUE_14 = "due_14", _("Due within 14 days")
    DUE_30 = "due_30", _("Due within 30 days")
    ON_TRACK = "on_track", _("On track")
    NOT_APPLICABLE = "not_applicable", _("Does not apply")


def deadline_status(deadline: Deadline, today: date) -> DeadlineStatus:
    """Where a stored deadline stands on `today`."""
    if deadline.met_on is not None:
        return DeadlineStatus.MET if deadline.met_on <= deadline.due_on else DeadlineStatus.MET_LATE
    if deadline.status_basis != DeadlineBasis.DUE:
        return DeadlineStatus.NOT_APPLICABLE
    if deadline.due_on < today:
        return DeadlineStatus.OVERDUE
    if deadline.due_on <= today + SOON:
        return DeadlineStatus.DUE_14
    if deadline.due_on <= today + LATER:
        return DeadlineStatus.DUE_30
    return DeadlineStatus.ON_TRACK


def _status_filter(status: str, today: date) -> Q:
    # The same table as deadline_status, in SQL (a test holds the two together).
    unmet = Q(met_on__isnull=True, status_basis=DeadlineBasis.DUE)
    conditions = {
        DeadlineStatus.MET: Q(met_on__isnull=False, met_on__lte=F("due_on")),
        DeadlineStatus.MET_LATE: Q(met_on__isnull=False, met_on__gt=F("due_on")),
        DeadlineStatus.OVERDUE: unmet & Q(due_on__lt=today),
        DeadlineStatus.DUE_14: unmet & Q(due_on__gte=today, due_on__lte=today + SOON),
        DeadlineStatus.DUE_30: unmet & Q(due_on__gt=today + SOON, due_on__lte=today + LATER),
        DeadlineStatus.ON_TRACK: unmet & Q(due_on__gt=today + LATER),
        DeadlineStatus.NOT_APPLICABLE: Q(met_on__isnull=True) & ~Q(status_basis=DeadlineBasis.DUE),
    }
    return conditions[DeadlineStatus(status)]


def deadlines_visible_to(
    user: User,
    *,
    today: date,
    status: str | None = None,
    school: School | None = None,
    kind: str | None = None,
) -> QuerySet[Deadline]:
    """Stored deadlines of the students `user` may read, soonest first, optionally filtered."""
    deadlines = Deadline.objects.filter(student__in=students_visible_to(user, today=today))
    if status is not None:
        deadlines = deadlines.filter(_status_filter(status, today))
    if school is not None:
        deadlines = deadlines.filter(school=school)
    if kind is not None:
        deadlines = deadlines.filter(kind=kind)
    return deadlines.select_related("student", "school", "district").order_by("due_on", "id")


def next_deadline_by_student(students: list[Student], *, today: date) -> dict[int, Deadline]:
    """Each student's earliest open legal deadline, in one query (for caseload tables)."""
    found: dict[int, Deadline] = {}
    rows = Deadline.objects.filter(
        student__in=[s.pk for s in students], met_on__isnull=True, status_basis=DeadlineBasis.DUE
    ).order_by("student_id", "due_on", "id")
    for deadline in rows:
        found.setdefault(deadline.student_id, deadline)
    return found


def next_deadline_of(student_field: str) -> dict[str, Subquery]:
    """Annotations naming the earliest open legal date of the row's student (`student_field`
    holds its id): `next_kind` and `next_due`, two subqueries in the row's own query, so a list
    and its download read the same thing without a query per row (see `next_deadline`)."""
    earliest = Deadline.objects.filter(_open(), student_id=OuterRef(student_field)).order_by(
        "due_on", "id"
    )
    return {
        "next_kind": Subquery(earliest.values("kind")[:1]),
        "next_due": Subquery(earliest.values("due_on")[:1]),
    }


def next_due_of_kind(kind: str, student_field: str = "student_id") -> Subquery:
    """The due date of the row's student's earliest open legal date of `kind` (a subquery)."""
    earliest = Deadline.objects.filter(_open(), kind=kind, student_id=OuterRef(student_field))
    return Subquery(earliest.order_by("due_on", "id").values("due_on")[:1])


def next_deadline(row: object) -> Deadline | None:
    """The deadline `next_deadline_of` annotated on `row`, unsaved, for its kind and status."""
    due = getattr(row, "next_due", None)
    if due is None:
        return None
    return Deadline(kind=row.next_kind, due_on=due, status_basis=DeadlineBasis.DUE)  # type: ignore[attr-defined]


class Sort:
    DUE = "due"
    DUE_DESC = "-due"
    STUDENT = "student"

    ORDERING = {
        DUE: ("due_on", "id"),
        DUE_DESC: ("-due_on", "-id"),
        STUDENT: ("student__legal_last_name", "student__legal_first_name", "due_on", "id"),
    }


def may_track_deadlines(user: User) -> bool:
    """Whether `user` holds a role that answers for deadlines (the page, the list API, digests)."""
    return bool(standing(user).roles & COMPLIANCE_ROLES)


@dataclass(frozen=True, slots=True, kw_only=True)
class DeadlineFilters:
    status: str = OPEN
    school: School | None = None
    kind: str | None = None
    case_manager: Staff | None = None
    # Only the deadlines of students who have no case manager today (no one answers for them).
    no_case_manager: bool = False
    sort: str = Sort.DUE


def _open() -> Q:
    return Q(met_on__isnull=True, status_basis=DeadlineBasis.DUE)


def deadlines_for(user: User, *, today: date, filters: DeadlineFilters) -> QuerySet[Deadline]:
    """The deadlines `user` may read, filtered, sorted, with each student's case managers."""
    status = None if filters.status in (OPEN, ALL) else filters.status
    deadlines = deadlines_visible_to(
        user, today=today, status=status, school=filters.school, kind=filters.kind
    )
    if filters.status == OPEN:
        deadlines = deadlines.filter(_open())
    if filters.case_manager is not None:
        deadlines = deadlines.filter(
            student_id__in=CaseloadAssignment.objects.active_on(today)
            .filter(staff=filters.case_manager)
            .values("student_id")
        )
    if filters.no_case_manager:
        deadlines = deadlines.exclude(
            student_id__in=CaseloadAssignment.objects.active_on(today).values("student_id")
        )
    return deadlines.prefetch_related(
        Prefetch(
            "student__case_managers",
            queryset=CaseloadAssignment.objects.active_on(today).select_related("staff__user"),
            to_attr="current_case_managers",
        )
    ).order_by(*Sort.ORDERING.get(filters.sort, Sort.ORDERING[Sort.DUE]))


def schools_for_filter(user: User, *, today: date) -> QuerySet[School]:
    """Schools the user leads, and schools where they can see a deadline."""
    seen = deadlines_visible_to(user, today=today).values("school_id")
    return School.objects.filter(Q(pk__in=schools_led_by(user).values("pk")) | Q(pk__in=seen))


def case_managers_for_filter(user: User, *, today: date) -> QuerySet[Staff]:
    """Current case managers of the students whose deadlines `user` can see."""
    students = deadlines_visible_to(user, today=today).values("student_id")
    return (
        Staff.objects.filter(
            pk__in=CaseloadAssignment.objects.active_on(today)
            .filter(student_id__in=students)
            .values("staff_id")
        )
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "id")
    )


def school_by_public_id(user: User, public_id: UUID | str, *, today: date) -> School | None:
    """A school the user may filter on, or None (unknown and out of reach look the same)."""
    try:
        key = UUID(str(public_id))
    except ValueError:
        return None
    return schools_for_filter(user, today=today).filter(public_id=key).first()


def case_managers_of(deadline: Deadline) -> list[Staff]:
    """The case managers prefetched by `deadlines_for` (no query)."""
    return [a.staff for a in getattr(deadline.student, "current_case_managers", [])]


def with_status(deadlines: QuerySet[Deadline] | list[Deadline], today: date) -> list[Deadline]:
    """Attach `status` (a DeadlineStatus) to each deadline, for templates and exports."""
    rows = list(deadlines)
    for deadline in rows:
        deadline.status = deadline_status(deadline, today)  # type: ignore[attr-defined]
    return rows


def digest_deadlines_for(user: User, *, staff: Staff, today: date) -> list[Deadline]:
    """Open deadlines overdue or due within 14 days, for students on `staff`'s caseload or team.

    Narrowed by the access policy too, so an ended relationship or a lost role shows nothing.
    """
    caseload = CaseloadAssignment.objects.active_on(today).filter(staff=staff)
    team = TeamMembership.objects.active_on(today).filter(staff=staff)
    deadlines = (
        deadlines_visible_to(user, today=today)
        .filter(_open(), due_on__lte=today + SOON)
        .filter(
            Q(student_id__in=caseload.values("student_id"))
            | Q(student_id__in=team.values("student_id"))
        )
    )
    return with_status(deadlines, today)


def staff_with_digest_deadlines(*, today: date) -> QuerySet[Staff]:
    """Staff on the caseload or team of a student with an open deadline overdue or due soon."""
    due = Deadline.objects.filter(_open(), due_on__lte=today + SOON).values("student_id")
    return (
        Staff.objects.filter(
            Q(
                pk__in=CaseloadAssignment.objects.active_on(today)
                .filter(student_id__in=due)
                .values("staff_id")
            )
            | Q(
                pk__in=TeamMembership.objects.active_on(today)
                .filter(student_id__in=due)
                .values("staff_id")
            ),
            user__is_active=True,
        )
        .select_related("user")
        .order_by("id")
    )


# --- counts for the leaders' home page -----------------------------------------------------


def urgent(deadlines: QuerySet[Deadline], *, today: date) -> QuerySet[Deadline]:
    """Of `deadlines`, the open ones overdue or due within 14 days (SOON)."""
    return deadlines.filter(_open(), due_on__lte=today + SOON)


def _due_counts(prefix: str, today: date, extra: Q | None = None) -> dict[str, Count]:
    field = f"{prefix}id"
    also = extra if extra is not None else Q()
    return {
        "overdue": Count(field, filter=Q(**{f"{prefix}due_on__lt": today}) & also, distinct=True),
        "soon": Count(field, filter=Q(**{f"{prefix}due_on__gte": today}) & also, distinct=True),
    }


def urgent_counts_by_school_and_kind(
    deadlines: QuerySet[Deadline], *, today: date
) -> list[dict[str, object]]:
    """Overdue and due-soon counts of `deadlines` per (school_id, kind), in one grouped query;
    `unowned_overdue` and `unowned_soon` count those of students with no case manager today."""
    current = CaseloadAssignment.objects.active_on(today).values("student_id")
    unowned = {
        f"unowned_{key}": value
        for key, value in _due_counts("", today, ~Q(student_id__in=current)).items()
    }
    return list(
        urgent(deadlines, today=today)
        .order_by()
        .values("school_id", "kind")
        .annotate(**_due_counts("", today), **unowned)
    )


def urgent_counts_for_caseloads(
    assignments: QuerySet[CaseloadAssignment], deadlines: QuerySet[Deadline], *, today: date
) -> list[dict[str, object]]:
    """Per case manager of `assignments`: their name, how many students, and the overdue and
    due-soon counts of those students' `deadlines`, in one grouped query."""
    counted = Q(student__deadlines__in=urgent(deadlines, today=today).values("pk"))
    return list(
        assignments.order_by()
        .values(
            "staff_id",
            "staff__public_id",
            "staff__user__first_name",
            "staff__user__last_name",
            "staff__user__email",
        )
        .annotate(
            students=Count("student_id", distinct=True),
            **_due_counts("student__deadlines__", today, counted),
        )
    )


__all__ = [
    "ALL",
    "COMPLIANCE_ROLES",
    "OPEN",
    "DeadlineFilters",
    "DeadlineStatus",
    "Sort",
    "case_managers_for_filter",
    "case_managers_of",
    "deadlines_for",
    "digest_deadlines_for",
    "may_track_deadlines",
    "next_deadline",
    "next_deadline_of",
    "next_due_of_kind",
    "school_by_public_id",
    "schools_for_filter",
    "staff_with_digest_deadlines",
    "urgent",
    "urgent_counts_by_school_and_kind",
    "urgent_counts_for_caseloads",
    "with_status",
]
