"""The case managers' caseloads a leader oversees: who carries which students today, with the
plan in force and the next legal date of each. The page and its download read the same rows.

The students come from the leader's reach (`tandem.access.districts.lead_reach`): a principal
sees the part of a caseload that is in their schools, a district administrator all of it.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _

from tandem.access.districts import LeadReach
from tandem.audit import downloads
from tandem.audit.catalogue import Action
from tandem.compliance.queries import deadline_status, next_deadline, next_deadline_of
from tandem.core import clock
from tandem.people.models import CaseloadAssignment, School, Staff
from tandem.plans.models import Plan, PlanKind, PlanStatus

# Case managers a page shows, each with every student of their caseload.
PAGE_SIZE = 10
_STAFF_BY_NAME = ("user__last_name", "user__first_name", "id")


def assignments(
    reach: LeadReach, *, today: dt.date, school: School | None = None, staff: Staff | None = None
) -> QuerySet[CaseloadAssignment]:
    """The caseload assignments in force today of the reach's enrolled students, filtered (as
    the home page counts them: a student who left is no one's caseload, even before the
    assignment is ended)."""
    enrolled = Q(student__exit_date__isnull=True) | Q(student__exit_date__gte=today)
    rows = CaseloadAssignment.objects.active_on(today).filter(enrolled, student__in=reach.students)
    if school is not None:
        rows = rows.filter(student__school=school)
    if staff is not None:
        rows = rows.filter(staff=staff)
    return rows  # type: ignore[no-any-return]


def case_managers(rows: QuerySet[CaseloadAssignment]) -> QuerySet[Staff]:
    """The people who carry `rows`, by name."""
    staff_ids = rows.values("staff_id")
    return Staff.objects.filter(pk__in=staff_ids).select_related("user").order_by(*_STAFF_BY_NAME)


def _in_force(kind: str) -> Exists:
    return Exists(
        Plan.objects.filter(student_id=OuterRef("student_id"), kind=kind, status=PlanStatus.ACTIVE)
    )


def with_details(rows: QuerySet[CaseloadAssignment]) -> QuerySet[CaseloadAssignment]:
    """`rows` with their people, the plans in force and the next legal date: one query."""
    return (
        rows.select_related("staff__user", "student__school")
        .annotate(
            has_iep=_in_force(PlanKind.IEP),
            has_504=_in_force(PlanKind.SECTION_504),
            **next_deadline_of("student_id"),
        )
        .order_by(
            *(f"staff__{key}" for key in _STAFF_BY_NAME),
            "student__legal_last_name",
            "student__legal_first_name",
            "student_id",
        )
    )


def plan_kinds(row: CaseloadAssignment) -> list[str]:
    """The kinds of plan in force for the row's student, as `with_details` annotated them."""
    flags = ((row.has_iep, PlanKind.IEP), (row.has_504, PlanKind.SECTION_504))  # type: ignore[attr-defined]
    return [str(kind.label) for held, kind in flags if held]


@dataclass
class Caseload:
    staff: Staff
    rows: list[CaseloadAssignment] = field(default_factory=list)

    @property
    def student_count(self) -> int:
        return len({row.student_id for row in self.rows})


def caseloads(rows: QuerySet[CaseloadAssignment], staff: list[Staff]) -> list[Caseload]:
    """The caseloads of `staff` (one page of them), each row with its plans and next date."""
    today = clock.today()
    found = {person.pk: Caseload(person) for person in staff}
    for row in with_details(rows.filter(staff__in=staff)):
        row.plan_kinds = plan_kinds(row)  # type: ignore[attr-defined]
        row.next_deadline = deadline = next_deadline(row)  # type: ignore[attr-defined]
        row.next_status = deadline_status(deadline, today) if deadline else None  # type: ignore[attr-defined]
        found[row.staff_id].rows.append(row)
    return list(found.values())


def _name(staff: Staff) -> str:
    return str(staff.user.get_full_name() or staff.user.email)


def download(request: HttpRequest, rows: QuerySet[CaseloadAssignment], fmt: str) -> HttpResponse:
    """One line per caseload assignment of the filtered list (every page), each student logged."""
    header = [
        _("Case manager"),
        _("Email"),
        _("Student"),
        _("Student id"),
        _("School"),
        _("Grade"),
        _("Plan in force"),
        _("Next legal deadline"),
        _("Due on"),
        _("Since"),
    ]

    def line(row: CaseloadAssignment) -> list[object]:
        deadline, student = next_deadline(row), row.student
        return [
            _name(row.staff),
            row.staff.user.email,
            f"{student.last_name}, {student.first_name}",
            student.sis_id,
            student.school.name,
            student.get_grade_display(),
            ", ".join(plan_kinds(row)),
            deadline.get_kind_display() if deadline else "",  # type: ignore[attr-defined]
            deadline.due_on.isoformat() if deadline else "",
            row.start_date.isoformat(),
        ]

    return downloads.download(
        request,
        items=with_details(rows).iterator(chunk_size=2000),
        title=_("Caseloads"),
        header=header,
        row=line,
        whose=lambda row: (row.student.district_id, row.student_id),
        fmt=fmt,
        filename=f"caseloads-{clock.today().isoformat()}",
        action=Action.CASELOADS__EXPORTED,
    )
