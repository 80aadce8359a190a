"""What the web pages show, built from plain values (a user, a student, a day), not a request.

Each function reads through the access policy's scoped lists or for a student the page has
already passed the gatekeeper for; none of them decides who may see what.
"""

from __future__ import annotations

import datetime as dt
from itertools import pairwise
from typing import Any

from django.db.models import Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem.access import purposes, queries
from tandem.access.policy import standing
from tandem.accounts.models import AuditEvent, AuditListing, User
from tandem.audit import downloads
from tandem.audit.catalogue import Action, words
from tandem.communication.queries import open_follow_ups
from tandem.compliance.queries import deadline_status, next_deadline_by_student
from tandem.core import clock
from tandem.people.models import Role, Student
from tandem.plans.acknowledgements import unread_plans
from tandem.services.alerts import open_alerts_for
from tandem.web import queries as home_queries

HOME_SECTIONS = ("schools", "caseload", "sections", "assignments", "team", "children", "plans_504")


def _caseload(user: User, today: dt.date) -> list[Student]:
    """The case manager's students, each with their next legal deadline and where it stands,
    and the open service alerts (below the minutes, a pattern of absences)."""
    caseload = list(queries.caseload_for(user, today=today))
    due = next_deadline_by_student(caseload, today=today)
    alerts = open_alerts_for(caseload)
    for student in caseload:
        student.service_alerts = alerts.get(student.pk, [])  # type: ignore[attr-defined]
        student.next_deadline = due.get(student.pk)  # type: ignore[attr-defined]
        student.next_deadline_status = (  # type: ignore[attr-defined]
            deadline_status(student.next_deadline, today) if student.next_deadline else None  # type: ignore[attr-defined]
        )
    return caseload


def _sections(user: User, today: dt.date) -> list[Any]:
    """The teacher's classes, each student marked with the kinds of plan in force and the plans
    the teacher has not yet marked as read (300.323(d))."""
    sections = queries.roster_sections_for(user, today=today)
    rosters = [(section, list(section.current_enrollments)) for section in sections]  # type: ignore[attr-defined]
    student_ids = [e.student_id for _, roster in rosters for e in roster]
    kinds = home_queries.plan_kinds_in_force(student_ids)
    staff_id = standing(user, today=today).staff_id
    unread = unread_plans(staff_id, student_ids) if staff_id is not None else {}
    for section, roster in rosters:
        for enrollment in roster:
            enrollment.plan_kinds = kinds.get(enrollment.student_id, [])
            enrollment.unread_plans = unread.get(enrollment.student_id, [])
        section.with_plan = len([e for e in roster if e.plan_kinds])  # type: ignore[attr-defined]
    return sections


def home_context(user: User, *, today: dt.date) -> dict[str, Any]:
    """A staff member's home: one section for each relationship they hold today."""
    s = standing(user, today=today)
    context: dict[str, Any] = {"today": today}
    if s.admin_district_ids or s.admin_school_ids:
        context["schools"] = list(queries.school_counts_for(user, today=today))
        context["overview"] = home_queries.leader_overview(
            user, today=today, schools=context["schools"]
        )
    if Role.CASE_MANAGER in s.roles:
        context["caseload"] = _caseload(user, today)
    if Role.TEACHER in s.roles:
        context["sections"] = _sections(user, today)
    if Role.COORDINATOR_504 in s.roles:
        context["plans_504"] = home_queries.coordinator_504(user, today=today)
    if Role.PROVIDER in s.roles:
        context["assignments"] = list(queries.provider_caseload_for(user, today=today))
    if s.roles & {Role.EVALUATOR, Role.COORDINATOR_504} or (s.is_staff_member and not s.roles):
        context["team"] = list(queries.team_students_for(user, today=today))
    if s.guardian_id is not None:
        context["children"] = list(queries.children_of(user, today=today))
    if s.is_staff_member and (follow_ups := open_follow_ups(user)):
        context["follow_ups"] = follow_ups
    context["nothing"] = not any(k in context for k in (*HOME_SECTIONS, "follow_ups"))
    return context


def students_shown(context: dict[str, Any]) -> list[int]:
    """The students a staff home page names, for its audit event (each student's log finds it)."""
    ids = [s.pk for s in context.get("caseload", [])]
    ids += [e.student_id for sec in context.get("sections", []) for e in sec.current_enrollments]
    if "plans_504" in context:
        ids += [plan.student_id for plan in context["plans_504"].plans]
    for key in ("assignments", "team", "follow_ups", "children"):
        ids += [getattr(row, "student_id", None) or row.pk for row in context.get(key, [])]
    return ids


def students_download(request: HttpRequest, found: QuerySet[Student], fmt: str) -> HttpResponse:
    """The students found (every page of them) as a CSV or XLSX file, each named in the log."""
    header = [_("Student"), _("Student id"), _("Grade"), _("School"), _("Date of birth")]
    return downloads.download(
        request,
        items=found.iterator(chunk_size=2000),
        title=_("Students"),
        header=header,
        row=lambda s: [
            f"{s.last_name}, {s.first_name}",
            s.sis_id,
            s.get_grade_display(),
            s.school.name,
            s.date_of_birth.isoformat() if s.date_of_birth else "",
        ],
        whose=lambda s: (s.district_id, s.pk),
        fmt=fmt,
        filename=f"students-{clock.today().isoformat()}",
        action=Action.STUDENTS__EXPORTED,
    )


def audit_download(request: HttpRequest, events: QuerySet[AuditEvent], fmt: str) -> HttpResponse:
    """The log's entries found by the search, as a file; the download is itself logged."""
    header = [
        _("When"),
        _("Who"),
        _("What they did"),
        _("Code"),
        _("Student"),
        _("Student id"),
        _("Channel"),
        _("Address"),
        _("Purpose"),
    ]
    return downloads.download(
        request,
        items=events.iterator(chunk_size=2000),
        title=_("Audit log"),
        header=header,
        row=lambda e: [
            timezone.localtime(e.at).strftime("%Y-%m-%d %H:%M:%S"),
            e.actor_label or _("System"),
            words(e.action),
            e.action,
            e.student.display_name if e.student else "",
            e.student.sis_id if e.student else "",
            str(e.get_channel_display()),
            e.ip or "",
            purposes.words(e.purpose) if e.purpose else "",
        ],
        whose=lambda e: (e.district_id, e.student_id),
        fmt=fmt,
        filename=f"audit-log-{clock.today().isoformat()}",
        action=Action.AUDIT_LOG__EXPORTED,
    )


def profile_changes(student: Student) -> list[dict[str, Any]]:
    """Every change to the profile, newest first: who, when, which field, before and after."""
    changes = []
    records = list(student.history.select_related("history_user").order_by("history_date"))
    for previous, record in pairwise(records):
        for change in record.diff_against(previous).changes:
            changes.append(
                {
                    "when": record.history_date,
                    "who": record.history_user,
                    "field": student._meta.get_field(change.field).verbose_name,
                    "old": change.old,
                    "new": change.new,
                }
            )
    changes.reverse()
    return changes


def record_of_access(student: Student, *, with_refusals: bool) -> QuerySet[AuditEvent]:
    """Who opened the student's record. Refused attempts are for leaders, never for families."""
    # The events about this student, and those that showed them among many (tandem/audit/listings).
    listed = AuditListing.objects.filter(student=student).values("event_id")
    events = AuditEvent.objects.filter(Q(student=student) | Q(pk__in=listed))
    if not with_refusals:
        events = events.exclude(action__in=(Action.ACCESS__DENIED, Action.ACCESS__REFUSED))
    return events.select_related("actor").order_by("-at", "-id")


def audit_search(events: QuerySet[AuditEvent], data: dict[str, Any]) -> QuerySet[AuditEvent]:
    """The district's log narrowed by the search form's cleaned data."""
    if data["actor"]:
        events = events.filter(
            Q(actor_label__icontains=data["actor"]) | Q(actor__email__icontains=data["actor"])
        )
    for word in data["student"].lower().split():
        events = events.filter(student__search_text__contains=word)
    if data["action"]:
        events = events.filter(action__startswith=data["action"])
    tz = timezone.get_current_timezone()
    if data["date_from"]:
        events = events.filter(at__gte=dt.datetime.combine(data["date_from"], dt.time.min, tz))
    if data["date_to"]:
        events = events.filter(at__lte=dt.datetime.combine(data["date_to"], dt.time.max, tz))
    return events
