"""The plans of the schools a leader leads, IEP and 504, as one list and its download.

Where a plan stands reads in four words: a draft (being written, or proposed and waiting for the
family), in force, ended (ended, or replaced by the next plan), and imported (brought in from the
district's earlier system, in force or not: a mark beside the other three). A discarded draft is
no plan and is left out.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import models
from django.db.models import Case, DateField, F, Prefetch, Q, QuerySet, When
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tandem.access.districts import LeadReach
from tandem.audit import downloads
from tandem.audit.catalogue import Action
from tandem.compliance.models import DeadlineKind
from tandem.compliance.queries import next_due_of_kind
from tandem.core import clock
from tandem.people.models import CaseloadAssignment, School
from tandem.plans.models import Plan, PlanKind, PlanStatus

PAGE_SIZE = 50


class ListStatus(models.TextChoices):
    DRAFT = "draft", gettext_lazy("Draft or proposed")
    IN_FORCE = "in_force", gettext_lazy("In force")
    ENDED = "ended", gettext_lazy("Ended")
    IMPORTED = "imported", gettext_lazy("Imported")


_DRAFTS = (PlanStatus.DRAFT, PlanStatus.PROPOSED)
_ENDED = (PlanStatus.ENDED, PlanStatus.SUPERSEDED)
_WHERE = {
    ListStatus.DRAFT: Q(status__in=_DRAFTS),
    ListStatus.IN_FORCE: Q(status=PlanStatus.ACTIVE),
    ListStatus.ENDED: Q(status__in=_ENDED),
    ListStatus.IMPORTED: Q(imported=True),
}


@dataclass(frozen=True, slots=True)
class PlanFilters:
    school: School | None = None
    kind: str = ""  # a PlanKind, or every kind
    status: str = ""  # a ListStatus, or every status


def _next_review() -> Case:
    """A plan in force: its student's open annual review date of the plan's law, else the date
    the plan itself names. Drafts and ended plans have no next review."""
    reviews = (
        (PlanKind.IEP, DeadlineKind.ANNUAL_REVIEW),
        (PlanKind.SECTION_504, DeadlineKind.SECTION_504_ANNUAL_REVIEW),
    )
    return Case(
        *(
            When(
                status=PlanStatus.ACTIVE,
                kind=kind,
                then=Coalesce(next_due_of_kind(deadline), F("annual_review_due")),
            )
            for kind, deadline in reviews
        ),
        default=None,
        output_field=DateField(),
    )


def plans_for(reach: LeadReach, *, today: dt.date, filters: PlanFilters) -> QuerySet[Plan]:
    """The reach's plans, filtered, with the student, the school, the next annual review and
    the case managers of today: a fixed number of queries however many plans."""
    plans = Plan.objects.filter(student__in=reach.students).exclude(status=PlanStatus.DISCARDED)
    if filters.school is not None:
        plans = plans.filter(student__school=filters.school)
    if filters.kind:
        plans = plans.filter(kind=filters.kind)
    if filters.status:
        plans = plans.filter(_WHERE[ListStatus(filters.status)])
    managers = CaseloadAssignment.objects.active_on(today).select_related("staff__user")
    return (
        plans.select_related("student__school")
        .annotate(next_review=_next_review())
        .prefetch_related(
            Prefetch("student__case_managers", queryset=managers, to_attr="current_managers")
        )
        .order_by(
            "student__legal_last_name",
            "student__legal_first_name",
            "student_id",
            "kind",
            "-created_at",
            "-id",
        )
    )


def status_words(plan: Plan) -> str:
    """Where the plan stands, in the list's words (a draft keeps its own: draft or proposed)."""
    if plan.status == PlanStatus.ACTIVE:
        return str(ListStatus.IN_FORCE.label)
    if plan.status in _ENDED:
        return str(ListStatus.ENDED.label)
    return str(plan.get_status_display())  # type: ignore[attr-defined]


def case_manager_names(plan: Plan) -> list[str]:
    """The student's case managers today, as `plans_for` prefetched them (no query)."""
    found = getattr(plan.student, "current_managers", [])
    return [a.staff.user.get_full_name() or a.staff.user.email for a in found]


def download(request: HttpRequest, plans: QuerySet[Plan], fmt: str) -> HttpResponse:
    """Every plan of the filtered list (not only the page), one line each, each student logged."""
    header = [
        _("Student"),
        _("Student id"),
        _("School"),
        _("Kind of plan"),
        _("Status"),
        _("Imported"),
        _("Effective from"),
        _("Effective to"),
        _("Next annual review"),
        _("Case manager"),
    ]

    def day(value: dt.date | None) -> str:
        return value.isoformat() if value else ""

    def line(plan: Plan) -> list[object]:
        student = plan.student
        return [
            f"{student.last_name}, {student.first_name}",
            student.sis_id,
            student.school.name,
            plan.get_kind_display(),  # type: ignore[attr-defined]
            status_words(plan),
            _("Yes") if plan.imported else "",
            day(plan.effective_from),
            day(plan.effective_to),
            day(plan.next_review),  # type: ignore[attr-defined]
            ", ".join(case_manager_names(plan)),
        ]

    return downloads.download(
        request,
        items=plans.iterator(chunk_size=2000),
        title=_("Plans"),
        header=header,
        row=line,
        whose=lambda plan: (plan.student.district_id, plan.student_id),
        fmt=fmt,
        filename=f"plans-{clock.today().isoformat()}",
        action=Action.PLANS__EXPORTED,
    )
