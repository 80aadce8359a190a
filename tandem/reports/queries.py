"""Reading progress reports, always through the one access policy.

`issued_reports_for(student)` is what the parent portal lists (the caller has already checked
the student's access). Staff see drafts and issued reports; guardians holding educational rights
see only issued ones. One report is fetched by the views through `access_owned` over
`reports_readable_by(user)`; a school's batches are read through the reader's leadership.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from tandem.access.policy import schools_led_by, standing, students_visible_to
from tandem.accounts.models import User
from tandem.people.models import MarkingPeriod, School, Student
from tandem.plans.models import Plan, PlanKind, PlanStatus
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


def reports_readable_by(user: User) -> QuerySet[ProgressReport]:
    """Reports as pages read them (no PDF bytes): staff see drafts, families issued ones only.

    The gatekeeper (`access_owned`) then decides on the report's student: a draft asked for by
    a parent is not found, the same answer as a report that does not exist.
    """
    reports = ProgressReport.objects.select_related(
        "student__school", "student__district", "plan", "issued_by", "created_by"
    ).defer("pdf")
    return reports if is_staff_reader(user) else reports.filter(status=ReportStatus.ISSUED)


def reporting_plan(student: Student) -> Plan | None:
    """The student's IEP in effect: the plan whose goals are reported on."""
    plans = Plan.objects.select_related("student__district", "student__school")
    return plans.active_for(student, kind=PlanKind.IEP)


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


def leads_school(user: User, school: School | None) -> bool:
    """Whether `user` leads `school` (its principal, or an administrator of its district)."""
    return school is not None and schools_led_by(user).filter(pk=school.pk).exists()


def batches_visible_to(user: User) -> QuerySet[ReportBatch]:
    """Batches a person may follow: those of the schools they lead, and those they started.

    A batch is a school's, not a student's: leadership decides, not a tie to a student.
    """
    led = schools_led_by(user).values("pk")
    return ReportBatch.objects.filter(Q(school__in=led) | Q(created_by_id=user.pk)).select_related(
        "school", "created_by"
    )


def batches_for(user: User, school: School) -> QuerySet[ReportBatch]:
    """Recent batches of the school that `user` may follow, newest first."""
    return batches_visible_to(user).filter(school=school).order_by("-created_at", "-id")
