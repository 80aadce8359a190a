"""Reads for the retention schedule: when a student left, which types of their records are due
for review, and what holds their destruction back. Query counts do not grow with students."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db.models import Case, DateField, Exists, F, Max, OuterRef, QuerySet, When

from tandem.people.models import Student
from tandem.plans.models import EDITABLE_STATUSES, Plan, PlanStatus
from tandem.records import destruction
from tandem.records.models import (
    DestructionProposal,
    ProposalStatus,
    RecordsHold,
    RecordsRequest,
    RequestStatus,
)
from tandem.records.retention import RecordType, due_dates, schedule_for

_OPEN_PLAN = {PlanStatus.ACTIVE, *EDITABLE_STATUSES}


def with_exit(students: QuerySet[Student]) -> QuerySet[Student]:
    """`exited_on`: the day the student left the district, or else left special education and
    504 (no plan in force or in the making, and the last plan's exit date); None otherwise."""
    open_plan = Plan.objects.filter(student=OuterRef("pk"), status__in=_OPEN_PLAN)
    return students.annotate(
        last_plan_exit=Max("plans__exit_date"), has_open_plan=Exists(open_plan)
    ).annotate(
        exited_on=Case(
            When(exit_date__isnull=False, then=F("exit_date")),
            When(has_open_plan=False, then=F("last_plan_exit")),
            default=None,
            output_field=DateField(),
        )
    )


@dataclass
class Hold:
    label: str
    reason: str
    since: date
    hold: RecordsHold | None = None
    request: RecordsRequest | None = None


@dataclass
class TypeDue:
    kind: str
    label: str
    due_on: date
    count: int
    destroyed: bool

    def is_due(self, today: date) -> bool:
        return not self.destroyed and self.due_on <= today


@dataclass
class StudentDue:
    student: Student
    exited_on: date
    types: list[TypeDue]
    holds: list[Hold] = field(default_factory=list)
    proposal: DestructionProposal | None = None
    today: date | None = None

    @property
    def due(self) -> list[TypeDue]:
        assert self.today is not None
        return [t for t in self.types if t.is_due(self.today)]


def _holds(students: QuerySet[Student]) -> dict[int, list[Hold]]:
    out: dict[int, list[Hold]] = {}
    for hold in RecordsHold.objects.filter(student__in=students, released_on__isnull=True):
        out.setdefault(hold.student_id, []).append(
            Hold(str(hold.get_kind_display()), hold.reason, hold.placed_on, hold=hold)
        )
    for rr in RecordsRequest.objects.filter(student__in=students, status=RequestStatus.OPEN):
        out.setdefault(rr.student_id, []).append(
            Hold(str(rr.get_kind_display()), rr.details, rr.requested_on, request=rr)
        )
    return out


def _destroyed(students: QuerySet[Student]) -> dict[int, set[str]]:
    out: dict[int, set[str]] = {}
    done = DestructionProposal.objects.filter(
        student__in=students, status=ProposalStatus.DESTROYED
    ).values_list("student_id", "record_types")
    for student_id, kinds in done:
        out.setdefault(student_id, set()).update(kinds)
    return out


def _open_proposals(students: QuerySet[Student]) -> dict[int, DestructionProposal]:
    rows = DestructionProposal.objects.filter(
        student__in=students, status=ProposalStatus.NOTICE_SENT
    )
    return {p.student_id: p for p in rows}


def schedules(students: list[Student], *, today: date) -> list[StudentDue]:
    """Each exited student of `students` (annotated by `with_exit`) with each type's due date,
    count, holds and open proposal. Seven queries beside the students', whatever their number."""
    ids = Student.objects.filter(pk__in=[s.pk for s in students])
    counts = destruction.counts_for(ids)
    holds, destroyed, proposals = _holds(ids), _destroyed(ids), _open_proposals(ids)
    out = []
    for student in students:
        exited: date | None = getattr(student, "exited_on", None)
        if exited is None:
            continue
        due = due_dates(exited, schedule_for(student.district.settings))
        types = [
            TypeDue(
                kind=kind,
                label=str(kind.label),
                due_on=due[kind],
                count=counts.get(student.pk, {}).get(kind, 0),
                destroyed=kind in destroyed.get(student.pk, set()),
            )
            for kind in RecordType
        ]
        out.append(
            StudentDue(
                student=student,
                exited_on=exited,
                types=types,
                holds=holds.get(student.pk, []),
                proposal=proposals.get(student.pk),
                today=today,
            )
        )
    return out


def due_for_review(students: QuerySet[Student], *, today: date) -> list[StudentDue]:
    """Students of `students` (from the policy) who left, with a type past its period and not
    yet destroyed; the longest past due first."""
    exited = list(
        with_exit(students)
        .filter(exited_on__isnull=False, exited_on__lte=today)
        .select_related("district", "school")
        .order_by("exited_on", "legal_last_name", "id")
    )
    return [row for row in schedules(exited, today=today) if row.due]


def one(student: Student, *, today: date) -> StudentDue | None:
    """The schedule of one student, or None if they have not left."""
    annotated = with_exit(Student.objects.filter(pk=student.pk)).select_related("district")
    rows = schedules(list(annotated), today=today)
    return rows[0] if rows else None


def summary(rows: list[StudentDue]) -> dict[str, Any]:
    return {
        "students": len(rows),
        "held": sum(1 for r in rows if r.holds),
        "notified": sum(1 for r in rows if r.proposal is not None),
        "to_notify": sum(1 for r in rows if r.proposal is None and not r.holds),
    }
