"""Demo data for the reports app, seeded by `manage.py seed_demo` after the progress data.

Every active IEP of the demo districts gets its progress-report due dates as compliance
deadlines (from the current period on). The last period's report is issued for six students
whose IEP was in effect then (frozen, with its PDF in the parent's language, delivered to the
portal, the deadline met on time), the demo families' children and casemanager@'s students
first; the current period's report is drafted from the data for them and for the children of
parent@ and madre@ (Spanish), whose IEPs began in November: their first reports are the current
period's drafts, which the case manager issues in the browser test. Deterministic."""

from __future__ import annotations

import time as timer
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from typing import Any

from django.utils import timezone

from tandem.access.capabilities import Cap
from tandem.access.policy import decision_for
from tandem.accounts.models import User
from tandem.core import clock
from tandem.demo import districts, personas
from tandem.demo import referrals as referrals_demo
from tandem.people.models import CaseloadAssignment, Role, StaffRole, StudentGuardian
from tandem.plans.models import Goal, Plan, PlanKind, PlanStatus
from tandem.reports import actions, schedule
from tandem.reports.models import ProgressReport

# Last period's reports issued (the demo families and the case manager's students first, among
# IEPs in effect then); the current period is drafted for them and for the families' children.
ISSUED = 6
CASE_MANAGER_STUDENTS = 3


def _demo_today() -> date:
    return referrals_demo.demo_today(clock.today())


def _writer(plan_row: Plan, today: date) -> User:
    """Who drafts and issues a demo report: one who holds ISSUE_REPORTS on the student (the
    case manager, else the plan's author), else a district administrator."""
    assignment = (
        CaseloadAssignment.objects.active_on(today)
        .filter(student_id=plan_row.student_id)
        .select_related("staff__user")
        .order_by("id")
        .first()
    )
    candidates = ([assignment.staff.user] if assignment else []) + [plan_row.created_by]
    for user in candidates:
        if decision_for(user, plan_row.student).has(Cap.ISSUE_REPORTS):
            return user
    admin = (
        StaffRole.objects.active_on(today)
        .filter(role=Role.DISTRICT_ADMIN, district_id=plan_row.student.district_id)
        .select_related("staff__user")
        .order_by("id")
        .first()
    )
    return admin.staff.user if admin else plan_row.created_by


def seed(plan: Any, *, log: Callable[[str], None] = lambda _: None) -> None:
    """Seed this app's demo records for the demo world `plan` (a tandem.demo.world plan)."""
    started = timer.perf_counter()
    slugs = districts.DEMO_SLUGS
    if ProgressReport.objects.filter(student__district__slug__in=slugs).exists():
        log("  the demo progress reports already exist; nothing to add")
        return
    today = _demo_today()
    plans = list(
        Plan.objects.filter(
            kind=PlanKind.IEP,
            status=PlanStatus.ACTIVE,
            student__district__slug__in=slugs,
            pk__in=Goal.objects.values("plan_id"),
        )
        .select_related("student__district", "student__school", "created_by")
        .order_by("student__legal_last_name", "student__legal_first_name", "id")
    )
    deadlines = 0
    for row in plans:
        upcoming = [p for p in schedule.periods_for(row) if p.due >= today]
        deadlines += len(schedule.write_deadlines(row, periods=upcoming))

    family = set(
        StudentGuardian.objects.filter(
            guardian__user__email__in=(personas.PARENT, personas.MADRE),
            educational_rights_holder=True,
        ).values_list("student_id", flat=True)
    )
    caseload = list(
        CaseloadAssignment.objects.active_on(today)
        .filter(staff__user__email=personas.CASE_MANAGER)
        .order_by("student__legal_last_name", "id")
        .values_list("student_id", flat=True)
    )
    first = [p for p in plans if p.student_id in family]
    first += [p for p in plans if p.student_id in caseload[:CASE_MANAGER_STUDENTS]]
    ordered = list(dict.fromkeys(first + plans))  # the families and the caseload first
    issued = drafted = 0
    for row in ordered:
        current, last = schedule.current_and_last(row, today)
        wanted = row in first
        if last is not None and issued < ISSUED:
            writer = _writer(row, today)
            report = actions.draft_report(actor=writer, student=row.student, period=last)
            when = timezone.make_aware(datetime.combine(last.due - timedelta(days=2), time(15, 30)))
            actions.issue_report(actor=writer, report=report, issued_at=when)
            issued += 1
            wanted = True
        if wanted and current is not None:
            actions.draft_report(actor=_writer(row, today), student=row.student, period=current)
            drafted += 1
    log(
        f"  {deadlines} progress-report deadlines, {issued} reports issued for the last period "
        f"and {drafted} drafted for the current one in {timer.perf_counter() - started:.1f}s"
    )
