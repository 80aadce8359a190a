"""Reads for the home pages' counts: grouped queries whose number never grows with students.

Every count starts from the access policy (`students_visible_to`) and, for leaders, is narrowed
to the schools they lead, so a principal counts their school and a director their district.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, F, OuterRef, Q, QuerySet, Subquery

from tandem.access.policy import schools_led_by, students_visible_to
from tandem.accounts.models import User
from tandem.compliance.models import Deadline, DeadlineBasis, DeadlineKind
from tandem.compliance.queries import (
    deadlines_visible_to,
    urgent_counts_by_school_and_kind,
    urgent_counts_for_caseloads,
)
from tandem.people.models import CaseloadAssignment, School, Student
from tandem.plans.models import Plan, PlanKind, PlanStatus

# The plan statuses a leader counts: being written, waiting for the family, in force.
PLAN_STATUSES = (PlanStatus.DRAFT, PlanStatus.PROPOSED, PlanStatus.ACTIVE)
# How many 504 plans the coordinator's home lists (soonest review first); the rest are counted.
PLANS_504_SHOWN = 50
_504_REVIEW = DeadlineKind.SECTION_504_ANNUAL_REVIEW
_504_REEVALUATION = DeadlineKind.SECTION_504_REEVALUATION
_504_KINDS = (DeadlineKind.SECTION_504_EVALUATION, _504_REVIEW, _504_REEVALUATION)


def _enrolled(today: dt.date) -> Q:
    return Q(exit_date__isnull=True) | Q(exit_date__gte=today)


def led_students(user: User, *, today: dt.date) -> QuerySet[Student]:
    """Enrolled students of the schools `user` leads, as the policy lets them read."""
    return students_visible_to(user, today=today).filter(
        _enrolled(today), school_id__in=schools_led_by(user).values("pk")
    )


def without_case_manager(students: QuerySet[Student], *, today: dt.date) -> QuerySet[Student]:
    """Of `students`, those with a plan being written or in force, or an open legal date, who
    have no case manager today: nobody answers for them."""
    in_special_education = Q(
        pk__in=Plan.objects.filter(status__in=PLAN_STATUSES).values("student_id")
    ) | Q(
        pk__in=Deadline.objects.filter(met_on__isnull=True, status_basis=DeadlineBasis.DUE).values(
            "student_id"
        )
    )
    return students.filter(in_special_education).exclude(
        pk__in=CaseloadAssignment.objects.active_on(today).values("student_id")
    )


@dataclass
class Count2:
    """Overdue and due within 14 days, with the deadlines list's filter for the row."""

    label: str
    query: str
    overdue: int = 0
    soon: int = 0
    students: int | None = None


@dataclass
class LeaderOverview:
    total: Count2
    by_school: list[Count2] = field(default_factory=list)
    by_kind: list[Count2] = field(default_factory=list)
    by_case_manager: list[Count2] = field(default_factory=list)
    no_case_manager: Count2 | None = None
    plans: list[dict[str, Any]] = field(default_factory=list)
    plan_statuses: list[tuple[str, str]] = field(default_factory=list)


def _staff_name(row: dict[str, Any]) -> str:
    full = f"{row['staff__user__first_name']} {row['staff__user__last_name']}".strip()
    return full or str(row["staff__user__email"])


def leader_overview(
    user: User, *, today: dt.date, schools: list[School] | None = None
) -> LeaderOverview:
    """Counts for a director or principal, in five grouped queries (four with `schools`, the
    schools they lead, already read)."""
    students = led_students(user, today=today)
    led = {s.pk: s for s in (schools if schools is not None else schools_led_by(user))}
    deadlines = deadlines_visible_to(user, today=today).filter(school_id__in=list(led))
    total = Count2(label="", query="")
    unowned = Count2("", "case_manager=none")
    by_school: dict[int, Count2] = {}
    by_kind: dict[str, Count2] = {}
    for row in urgent_counts_by_school_and_kind(deadlines, today=today):
        school = led[row["school_id"]]
        kind = str(row["kind"])
        s = by_school.setdefault(school.pk, Count2(school.name, f"school={school.public_id}"))
        k = by_kind.setdefault(kind, Count2(str(DeadlineKind(kind).label), f"kind={kind}"))
        for c in (s, k, total):
            c.overdue += row["overdue"]  # type: ignore[operator]
            c.soon += row["soon"]  # type: ignore[operator]
        unowned.overdue += row["unowned_overdue"]  # type: ignore[operator]
        unowned.soon += row["unowned_soon"]  # type: ignore[operator]
    assignments = CaseloadAssignment.objects.active_on(today).filter(student__in=students)
    managers = [
        Count2(
            _staff_name(row),
            f"case_manager={row['staff__public_id']}",
            row["overdue"],  # type: ignore[arg-type]
            row["soon"],  # type: ignore[arg-type]
            row["students"],  # type: ignore[arg-type]
        )
        for row in urgent_counts_for_caseloads(assignments, deadlines, today=today)
    ]
    managers.sort(key=lambda c: (-c.overdue, -c.soon, c.label.lower()))
    unowned.students = without_case_manager(students, today=today).count()
    plans: dict[str, dict[str, Any]] = {
        kind: {"kind": label, "counts": {status: 0 for status in PLAN_STATUSES}}
        for kind, label in PlanKind.choices
    }
    for row in (
        Plan.objects.filter(student__in=students, status__in=PLAN_STATUSES)
        .order_by()
        .values("kind", "status")
        .annotate(n=Count("id"))
    ):
        plans[str(row["kind"])]["counts"][row["status"]] = row["n"]
    return LeaderOverview(
        total=total,
        by_school=sorted(by_school.values(), key=lambda c: c.label),
        by_kind=sorted(by_kind.values(), key=lambda c: (-c.overdue, -c.soon, c.label)),
        by_case_manager=managers,
        no_case_manager=unowned,
        plans=[
            {"kind": p["kind"], "counts": [p["counts"][s] for s in PLAN_STATUSES]}
            for p in plans.values()
        ],
        plan_statuses=[(str(s), str(PlanStatus(s).label)) for s in PLAN_STATUSES],
    )


def _next_due(kind: str) -> Subquery:
    return Subquery(
        Deadline.objects.filter(
            student_id=OuterRef("student_id"),
            kind=kind,
            met_on__isnull=True,
            status_basis=DeadlineBasis.DUE,
        )
        .order_by("due_on")
        .values("due_on")[:1]
    )


@dataclass
class Coordinator504:
    plans: list[Plan]
    total: int
    counts: list[Count2]


def coordinator_504(user: User, *, today: dt.date) -> Coordinator504:
    """The 504 plans of every student the coordinator's schools (or district) give them,
    soonest review first, and the 504 dates overdue or due soon: four queries."""
    students = students_visible_to(user, today=today).filter(_enrolled(today))
    plans = (
        Plan.objects.filter(
            student__in=students, kind=PlanKind.SECTION_504, status__in=PLAN_STATUSES
        )
        .annotate(review_due=_next_due(_504_REVIEW), reevaluation_due=_next_due(_504_REEVALUATION))
        .select_related("student", "student__school")
        .order_by(
            F("review_due").asc(nulls_last=True),
            "student__legal_last_name",
            "student__legal_first_name",
            "id",
        )
    )
    counts = {str(k): Count2(str(DeadlineKind(k).label), f"kind={k}") for k in _504_KINDS}
    deadlines = deadlines_visible_to(user, today=today).filter(kind__in=_504_KINDS)
    for row in urgent_counts_by_school_and_kind(deadlines, today=today):
        c = counts[str(row["kind"])]
        c.overdue += row["overdue"]  # type: ignore[operator]
        c.soon += row["soon"]  # type: ignore[operator]
    return Coordinator504(
        plans=list(plans[:PLANS_504_SHOWN]), total=plans.count(), counts=list(counts.values())
    )


def plan_kinds_in_force(student_ids: list[int]) -> dict[int, list[str]]:
    """The kinds of plan in force for each student, in one query (for the teacher's rosters)."""
    found: dict[int, list[str]] = {}
    rows = (
        Plan.objects.filter(student_id__in=student_ids, status=PlanStatus.ACTIVE)
        .order_by("kind")
        .values_list("student_id", "kind")
    )
    for student_id, kind in rows:
        found.setdefault(student_id, []).append(str(PlanKind(kind).label))
    return found
