"""Where a teacher's concern goes, and the concerns waiting for one person (see concerns.py)."""

from __future__ import annotations

from datetime import date

from django.db.models import Q, QuerySet

from tandem.access.capabilities import Cap
from tandem.access.policy import standing, students_with
from tandem.accounts.models import User
from tandem.people.models import (
    CaseloadAssignment,
    Role,
    Staff,
    StaffRole,
    Student,
    TeamMembership,
    TeamRole,
)
from tandem.referrals.models import Referral, ReferralStatus


def _case_managers(day: date) -> tuple[QuerySet[CaseloadAssignment], QuerySet[TeamMembership]]:
    """Who manages a student's case today: a caseload, or the case manager's place on the team."""
    return (
        CaseloadAssignment.objects.active_on(day),
        TeamMembership.objects.active_on(day).filter(role=TeamRole.CASE_MANAGER),
    )


def reviewers_of(student: Student, *, today: date) -> list[Staff]:
    """Who a concern about `student` goes to: the case manager, else the school's lead."""
    caseload, team = _case_managers(today)
    managers = Q(pk__in=caseload.filter(student=student).values("staff_id")) | Q(
        pk__in=team.filter(student=student).values("staff_id")
    )
    people = list(Staff.objects.filter(managers).select_related("user"))
    if not people:
        leads = StaffRole.objects.active_on(today).filter(
            role=Role.SCHOOL_ADMIN, school_id=student.school_id
        )
        people = list(Staff.objects.filter(pk__in=leads.values("staff_id")).select_related("user"))
    return people


def concerns_to_review(user: User, *, today: date) -> QuerySet[Referral]:
    """Teachers' concerns waiting for `user`: as the student's case manager, as the lead of a
    school where the student has no case manager, or as the district's administrator."""
    s = standing(user, today=today)
    caseload, team = _case_managers(today)
    routed = Q(student__district_id__in=s.admin_district_ids)
    if s.staff_id is not None:
        routed |= Q(student__in=caseload.filter(staff_id=s.staff_id).values("student_id"))
        routed |= Q(student__in=team.filter(staff_id=s.staff_id).values("student_id"))
    unmanaged = ~Q(student__in=caseload.values("student_id")) & ~Q(
        student__in=team.values("student_id")
    )
    routed |= Q(student__school_id__in=s.admin_school_ids) & unmanaged
    return (
        Referral.objects.filter(
            routed,
            status=ReferralStatus.AWAITING_ACCEPTANCE,
            student__in=students_with(user, Cap.RUN_EVALUATION, today=today),
        )
        .select_related("student", "student__school", "concern_raised_by")
        .order_by("received_on", "id")
    )
