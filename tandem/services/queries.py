"""Reads for the service pages: what a provider may log, and a student's minutes and sessions.

The minutes come from `tandem.rules.services` (mandated, delivered, missed by cause, owed per
school week); this module gathers the plan's services, the school calendar and the logged
attendance, and adds the weeks up over three windows. A fixed number of queries per page,
however many sessions are logged (tests/services/test_views.py pins it).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.http import Http404
from django.utils.translation import get_language

from tandem.access.capabilities import Cap
from tandem.access.policy import parse_public_id, standing, students_with
from tandem.accounts.models import User
from tandem.compliance.actions import engine_calendar
from tandem.people.models import CaseloadAssignment, ProviderAssignment, Student, TeamMembership
from tandem.plans.models import PlanStatus, Service
from tandem.progress.responsibility import ALL, role_for_service
from tandem.rules import services as rules
from tandem.rules.calendar import SchoolCalendar
from tandem.services.compensatory import settings_for
from tandem.services.graph import minutes_graph_svg, weeks_of
from tandem.services.models import (
    AttendanceCode,
    ServiceSession,
    SessionAddendum,
    SessionAttendance,
)

# Team roles that answer for every service of the student (as for goals: responsibility.py).
_EVERY_SERVICE_ROLES = frozenset({"case_manager", "special_education_teacher", "administrator"})
_WEEK = timedelta(days=7)


# --- the log page ------------------------------------------------------------------------------


def _roles_by_student(user: User, day: date) -> dict[int, set[str]]:
    """Per student: the provider roles the user serves them in, or ALL (3 queries)."""
    staff_id = standing(user, today=day).staff_id
    roles: dict[int, set[str]] = defaultdict(set)
    if staff_id is None:
        return roles
    for student_id in (
        CaseloadAssignment.objects.active_on(day)
        .filter(staff_id=staff_id)
        .values_list("student_id", flat=True)
    ):
        roles[student_id].add(ALL)
    for student_id, role in (
        TeamMembership.objects.active_on(day)
        .filter(staff_id=staff_id)
        .values_list("student_id", "role")
    ):
        roles[student_id].add(ALL if role in _EVERY_SERVICE_ROLES else role)
    for student_id, area in (
        ProviderAssignment.objects.active_on(day)
        .filter(staff_id=staff_id)
        .values_list("student_id", "service_area")
    ):
        if role := role_for_service(area):
            roles[student_id].add(role)
    return roles


def services_to_log(user: User, *, today: date) -> list[Service]:
    """Services of active plans, in force today, that `user` delivers and may log (5 queries).

    A provider logs the services of their discipline (the SLP speech, the OT occupational
    therapy) for students on whom they hold RECORD_PROGRESS; a case manager any service of
    their students. Leaders log nothing unless they also serve the student.
    """
    roles = _roles_by_student(user, today)
    if not roles:
        return []
    writable = students_with(user, Cap.RECORD_PROGRESS, today=today).filter(pk__in=list(roles))
    services = (
        Service.objects.filter(
            plan__status=PlanStatus.ACTIVE,
            plan__student__in=writable,
            minutes__isnull=False,
            times__isnull=False,
        )
        .exclude(per="")
        .filter(Q(start_date__isnull=True) | Q(start_date__lte=today))
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=today))
        .select_related("plan__student__district", "plan__student__school")
        .order_by(
            "plan__student__legal_last_name",
            "plan__student__legal_first_name",
            "plan__student_id",
            "name",
            "id",
        )
    )
    kept = []
    for service in services:
        held = roles[service.plan.student_id]
        if ALL in held or role_for_service(service.name) in held:
            kept.append(service)
    return kept


# --- the minutes page --------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Window:
    """Weeks added up under one heading: this week, the last four, the year to date."""

    key: str
    start: date
    end: date
    totals: rules.Totals
    missed: list[tuple[str, int]]  # (label, minutes) by cause
    below: bool  # delivered and made up under the mandate (percent < 100)


@dataclass(slots=True)
class ServiceMinutes:
    """One service of the active plan and its minutes, or why none can be counted."""

    service: Service
    windows: list[Window] = field(default_factory=list)
    uncounted: str = ""  # "no_frequency": the plan writes no minutes to count
    weeks: list[Any] = field(
        default_factory=list
    )  # graph.Week, for the delivered-vs-mandated graph

    @property
    def graph_svg(self) -> Any:
        return minutes_graph_svg(
            self.weeks, name=self.service.name, key=str(self.service.public_id)
        )


def _fallback_calendar(start: date, end: date) -> SchoolCalendar:
    """Every weekday a school day: used when the district has no calendar for the year."""
    return SchoolCalendar(first_day=start, last_day=max(end, start + timedelta(days=1)))


def _mandate(service: Service, today: date) -> rules.Mandate:
    plan = service.plan
    assert service.minutes and service.times  # only services with a frequency are counted
    return mandate_of(
        service.minutes,
        service.times,
        service.per,
        start=service.start_date or plan.effective_from,
        end=service.end_date or plan.effective_to,
        today=today,
    )


def mandate_of(
    minutes: int, times: int, per: str, *, start: date | None, end: date | None, today: date
) -> rules.Mandate:
    """The mandate of a service with a frequency, from its fields (the service's dates, else its
    plan's; a plan with no dates runs a year from today)."""
    begins = start or today
    ends = end or (begins + timedelta(days=364))
    return rules.Mandate(
        minutes=minutes, times=times, per=rules.Per(per), start=begins, end=max(ends, begins)
    )


def _rules_session(row: SessionAttendance) -> rules.Session:
    session = row.session
    # The student's own link (SessionAttendance.makes_up) first, then the session's.
    makeup = row.makes_up.session if row.makes_up is not None else session.makeup_of
    return rules.Session(
        day=session.day,
        code=rules.Code(row.code),
        minutes=row.minutes,
        planned=session.minutes,
        makeup_for=makeup.day if makeup is not None else None,
    )


def _window(key: str, periods: Sequence[rules.Period], start: date, end: date) -> Window:
    chosen = [p for p in periods if p.start <= end and p.end >= start]
    return window_of_totals(key, start, end, rules.totals(chosen))


@lru_cache(maxsize=8)
def _code_labels(language: str | None) -> dict[str, str]:
    """Attendance codes' labels in `language` (the active one when called): read once, not once
    per window (a district's page builds tens of thousands)."""
    return {value: str(label) for value, label in AttendanceCode.choices}


def window_of_totals(key: str, start: date, end: date, totals: rules.Totals) -> Window:
    """The window's figures for the page: the totals, the misses labelled by cause."""
    labels = _code_labels(get_language())
    missed = [
        (str(labels.get(code.value, code.value)), minutes)
        for code, minutes in sorted(totals.missed.items(), key=lambda item: item[0].value)
        if minutes
    ]
    percent = totals.percent
    return Window(key, start, end, totals, missed, percent is not None and percent < 100)


def minutes_for_student(student: Student, *, today: date) -> list[ServiceMinutes]:
    """Per service of the student's active plans: the three windows' figures (4 queries)."""
    services = list(
        Service.objects.filter(plan__student=student, plan__status=PlanStatus.ACTIVE)
        .select_related("plan")
        .order_by("plan__kind", "category", "name", "id")
    )
    counted = [s for s in services if s.has_frequency]
    lineages = {s.lineage for s in counted}
    by_lineage: dict[Any, list[rules.Session]] = defaultdict(list)
    if lineages:
        for row in SessionAttendance.objects.filter(
            student=student, lineage__in=lineages
        ).select_related("session__makeup_of", "makes_up__session"):
            by_lineage[row.lineage].append(_rules_session(row))
    calendar = engine_calendar(student, today) if counted else None
    minute_rules = settings_for(student.district.settings).minute_rules
    monday = today - timedelta(days=today.weekday())
    result = []
    for service in services:
        if not service.has_frequency:
            result.append(ServiceMinutes(service, uncounted="no_frequency"))
            continue
        mandate = _mandate(service, today)
        periods = rules.account(
            mandate,
            calendar or _fallback_calendar(mandate.start, mandate.end),
            by_lineage[service.lineage],
            minute_rules,
        )
        year_start = mandate.start
        if calendar is not None and calendar.first_day > year_start:
            year_start = calendar.first_day
        windows = [
            _window("week", periods, monday, monday + timedelta(days=6)),
            _window("four_weeks", periods, monday - 4 * _WEEK, monday - timedelta(days=1)),
            _window("year", periods, year_start, monday + timedelta(days=6)),
        ]
        weeks = weeks_of(periods, today=today)
        result.append(ServiceMinutes(service, windows=windows, weeks=weeks))
    return result


def sessions_of_student(student: Student) -> list[tuple[ServiceSession, SessionAttendance]]:
    """The sessions logged for `student`, newest first, each with the student's own row.

    Other students of a group are counted, never named (their records are not this reader's).
    """
    group = (
        SessionAttendance.objects.filter(session=OuterRef("session_id"))
        .values("session")
        .annotate(n=Count("id"))
        .values("n")
    )
    found = (
        SessionAttendance.objects.filter(student=student)
        .select_related(
            "session__provider__user", "session__cosignature__supervisor__user", "service"
        )
        .annotate(group=Coalesce(Subquery(group, output_field=IntegerField()), 1))
        .order_by("-session__day", "-session__start_time", "-session_id")
    )
    rows = list(found)
    addenda: dict[int, list[Any]] = defaultdict(list)
    if rows:
        for addendum in SessionAddendum.objects.filter(
            session_id__in=[row.session_id for row in rows]
        ).select_related("created_by"):
            addenda[addendum.session_id].append(addendum)
    result = []
    for row in rows:
        session = row.session
        session.addenda_list = addenda.get(session.pk, [])
        session.group_size = row.group
        result.append((session, row))
    return result


def session_of_student(student: Student, session_id: object) -> ServiceSession:
    """One signed session this student attended, by public id; anything else is not found."""
    key = parse_public_id(session_id)
    session = (
        ServiceSession.objects.filter(public_id=key, attendance__student=student)
        .select_related("provider__user")
        .first()
    )
    if session is None:
        raise Http404
    return session
