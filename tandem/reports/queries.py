"""Reading progress reports, always through the one access policy.

`issued_reports_for(student)` is what the parent portal lists (the caller has already checked
the student's access). Staff see drafts and issued reports; guardians holding educational rights
see only issued ones.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from tandem.access import audit
from tandem.access.models import User
from tandem.access.policy import (
    Need,
    access_student,
    can,
    parse_public_id,
    schools_led_by,
    standing,
    students_visible_to,
)
from tandem.people.models import MarkingPeriod, School, Student
from tandem.plans.models import PlanKind, PlanStatus
from tandem.reports.models import ProgressReport, ReportBatch, ReportStatus


def issued_reports_for(student: Student) -> QuerySet[ProgressReport]:
    """The student's issued reports, newest period first (no PDF bytes loaded)."""
    return (
        ProgressReport.objects.filter(student=student, status=ReportStatus.ISSUED)
        .defer("pdf", "snapshot")
        .order_by("-period_end", "-id")
    )


def reports_of_student(student: Student, *, include_drafts: bool) -> list[ProgressReport]:
    reports = ProgressReport.objects.filter(student=student).defer("pdf", "snapshot")
    if not include_drafts:
        reports = reports.filter(status=ReportStatus.ISSUED)
    return list(reports.order_by("-period_end", "-id"))


def is_staff_reader(user: User) -> bool:
    return standing(user).is_staff_member


def access_report(
    user: User,
    report_id: object,
    *,
    need: Need = Need.READ,
    action: str | None = "progress_report.viewed",
) -> tuple[ProgressReport, Student]:
    """The report and its student if `user` may read it; drafts only for staff. Audited.

    Out of reach (or a draft asked for by a parent) is a 404, like a report that does not exist.
    """
    key = parse_public_id(report_id)
    report = (
        ProgressReport.objects.select_related("student", "plan", "issued_by", "created_by")
        .defer("pdf")
        .filter(public_id=key)
        .first()
    )
    if report is None:
        raise Http404
    student = access_student(user, report.student.public_id, need=Need.READ, action=None)
    if not report.is_issued and not is_staff_reader(user):
        raise Http404
    if need is Need.WRITE and not can(user, Need.WRITE, student):
        raise PermissionDenied
    report.student = student
    if action:
        audit.record(actor=user, action=action, student=student, target=report)
    return report, student


def pdf_bytes(report: ProgressReport) -> bytes | None:
    row = ProgressReport.objects.filter(pk=report.pk).values_list("pdf", flat=True).first()
    return bytes(row) if row is not None else None


def schools_for(user: User) -> QuerySet[School]:
    """Schools the user leads, and schools of students with an active IEP the user can see."""
    seen = (
        students_visible_to(user)
        .filter(plans__kind=PlanKind.IEP, plans__status=PlanStatus.ACTIVE)
        .values("school_id")
    )
    return (
        School.objects.filter(Q(pk__in=schools_led_by(user).values("pk")) | Q(pk__in=seen))
        .select_related("district")
        .order_by("name")
    )


def marking_periods_for(school: School) -> list[MarkingPeriod]:
    """The marking periods of the school's calendar (its own, else its district's)."""
    rows = list(
        MarkingPeriod.objects.filter(calendar__district_id=school.district_id)
        .filter(Q(calendar__school__isnull=True) | Q(calendar__school=school))
        .select_related("calendar")
        .order_by("start", "id")
    )
    own = {r.calendar.school_year for r in rows if r.calendar.school_id is not None}
    return [
        r for r in rows if r.calendar.school_id is not None or r.calendar.school_year not in own
    ]


def school_rows(user: User, school: School, period: MarkingPeriod) -> list[dict[str, Any]]:
    """Each student with an active IEP at `school` the user can see, with the period's report.

    Three queries however many students.
    """
    students = list(
        students_visible_to(user)
        .filter(school=school, plans__kind=PlanKind.IEP, plans__status=PlanStatus.ACTIVE)
        .distinct()
        .order_by("legal_last_name", "legal_first_name", "id")
    )
    reports = ProgressReport.objects.filter(
        student__in=[s.pk for s in students],
        period_end__gte=period.start,
        period_end__lte=period.end,
    ).defer("pdf", "snapshot")
    by_student: dict[int, ProgressReport] = {}
    for report in reports.order_by("period_end", "id"):
        by_student[report.student_id] = report
    return [{"student": s, "report": by_student.get(s.pk)} for s in students]


def batches_for(user: User, school: School) -> QuerySet[ReportBatch]:
    """Recent batches of the school: all of them for its leaders, one's own otherwise."""
    batches = ReportBatch.objects.filter(school=school).select_related("created_by")
    if not schools_led_by(user).filter(pk=school.pk).exists():
        batches = batches.filter(created_by=user)
    return batches.order_by("-created_at", "-id")


def access_batch(user: User, batch_id: object) -> ReportBatch:
    key = parse_public_id(batch_id)
    batch = ReportBatch.objects.select_related("school", "created_by").filter(public_id=key).first()
    if batch is None:
        raise Http404
    if (
        batch.created_by_id != user.pk
        and not schools_led_by(user).filter(pk=batch.school_id).exists()
    ):
        raise Http404
    return batch
