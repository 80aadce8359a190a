"""Reads for a student's team page: who may join the team, who is on it, who was.

No access decision here: callers have passed the gatekeeper for the student.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from tandem.accounts.models import AuditEvent
from tandem.audit.catalogue import Action
from tandem.people.models import (
    CaseloadAssignment,
    District,
    ProviderAssignment,
    Role,
    Staff,
    StaffRole,
    Student,
    TeamMembership,
)


def district_staff(district: District, *, today: date) -> QuerySet[Staff]:
    """Active staff of the district today: a role in it, or a contractor assigned there."""
    roles = StaffRole.objects.active_on(today).filter(district=district).values("staff_id")
    contracts = (
        ProviderAssignment.objects.active_on(today).filter(district=district).values("staff_id")
    )
    return (
        Staff.objects.filter(Q(pk__in=roles) | Q(pk__in=contracts), user__is_active=True)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "id")
    )


def case_manager_candidates(district: District, *, today: date) -> QuerySet[Staff]:
    """District staff who hold a case manager role today (in the district or one of its schools)."""
    roles = (
        StaffRole.objects.active_on(today)
        .filter(district=district, role=Role.CASE_MANAGER)
        .values("staff_id")
    )
    return district_staff(district, today=today).filter(pk__in=roles)


def open_memberships(student: Student) -> QuerySet[TeamMembership]:
    """Places on the team with no end date yet: the ones that can be ended."""
    return (
        TeamMembership.objects.filter(student=student, end_date__isnull=True)
        .select_related("staff__user")
        .order_by("role", "staff__user__last_name", "id")
    )


@dataclass(frozen=True, slots=True)
class TeamPage:
    case_managers: list[CaseloadAssignment]  # in force today or planned
    current: list[TeamMembership]  # in force today or planned, with their end if one is set
    past: list[TeamMembership]  # ended, each with `end_reason`

    @property
    def endable(self) -> bool:
        """Whether any place on the team has no end date yet."""
        return any(m.end_date is None for m in self.current)


def _end_reasons(student: Student) -> dict[str, str]:
    """Why each place ended, from the audit record (the rows keep only their dates)."""
    reasons: dict[str, str] = {}
    events = AuditEvent.objects.filter(
        student=student,
        action__in=[Action.TEAM__MEMBER_ENDED, Action.TEAM__CASE_MANAGER_ASSIGNED],
    ).values_list("action", "object_id", "detail")
    for action, object_id, detail in events:
        if action == Action.TEAM__MEMBER_ENDED:
            reasons[object_id] = str(detail.get("reason", ""))
        else:
            for pk in detail.get("ended_memberships", []):
                reasons[str(pk)] = _("A new case manager was assigned.")
    return reasons


def team_page(student: Student, *, today: date) -> TeamPage:
    """The case manager, the team today (and planned), and past members, in four queries."""
    rows = list(
        TeamMembership.objects.filter(student=student)
        .select_related("staff__user")
        .order_by("role", "staff__user__last_name", "-start_date", "id")
    )
    past = [m for m in rows if m.end_date is not None and m.end_date < today]
    reasons = _end_reasons(student) if past else {}
    for m in past:
        m.end_reason = reasons.get(str(m.pk), "")  # type: ignore[attr-defined]
    past.sort(key=lambda m: (m.end_date, m.pk), reverse=True)
    case_managers = list(
        CaseloadAssignment.objects.filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .filter(student=student)
        .select_related("staff__user")
        .order_by("start_date", "id")
    )
    current = [m for m in rows if m.end_date is None or m.end_date >= today]
    return TeamPage(case_managers=case_managers, current=current, past=past)
