"""Reads for the deadlines views, the API and the digest, scoped by the one access policy."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from uuid import UUID

from django.db.models import Prefetch, Q, QuerySet

from tandem.access.models import User
from tandem.access.policy import schools_led_by, standing
from tandem.people.models import CaseloadAssignment, Role, School, Staff, TeamMembership
from tandem.referrals.models import Deadline, DeadlineBasis
from tandem.referrals.queries import SOON, DeadlineStatus, deadline_status, deadlines_visible_to

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
    "school_by_public_id",
    "schools_for_filter",
    "staff_with_digest_deadlines",
    "with_status",
]
