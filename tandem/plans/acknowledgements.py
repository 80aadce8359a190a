"""Who has read a plan (34 CFR 300.323(d)): each teacher and provider who carries it out is told
of their part in it, and says so with "I have read this plan" (`actions_acknowledgements.py`).

The version that asks to be read is the newest one that set the child's program: the original,
an amendment or an annual review's plan. A correction fixes spelling or a wrong date and never
the program (`correction_limits.py`), so a reading of the version it corrects still counts;
anything else needs a new reading. Reads only: the caller has passed the plan's gatekeeper.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db.models import Exists, IntegerField, OuterRef, Subquery
from django.utils.translation import gettext_lazy as _

from tandem.access.capabilities import Cap, Tie
from tandem.access.policy import Access, staff_holding, standing
from tandem.people.models import Staff, TeamRole
from tandem.plans.models import Plan, PlanAcknowledgement, PlanStatus, PlanVersion, VersionKind

_TIE_WORDS = {
    Tie.ROSTER: _("Teacher of a class the student is in"),
    Tie.PROVIDER: _("Assigned to serve the student"),
}


def version_to_read(plan: Plan) -> PlanVersion | None:
    """The newest version that set the program (corrections aside); None for a draft."""
    if plan.current_version_id is None:
        return None
    return plan.versions.exclude(kind=VersionKind.CORRECTION).order_by("-number").first() or (
        plan.current_version
    )


def reading_by(plan: Plan, version: PlanVersion, staff_id: int) -> PlanAcknowledgement | None:
    """The staff member's newest reading of `version` or of a later correction of it."""
    return (
        PlanAcknowledgement.objects.filter(
            plan=plan, staff_id=staff_id, version__number__gte=version.number
        )
        .select_related("version")
        .order_by("-acknowledged_at", "-id")
        .first()
    )


@dataclass(frozen=True, slots=True)
class Reader:
    """Someone who carries the plan out, how they stand to the student, and their reading."""

    staff: Staff
    how: list[str]
    reading: PlanAcknowledgement | None


def _how(ties: frozenset[str]) -> list[str]:
    words = []
    for tie in sorted(ties):
        if tie.startswith("team:"):
            words.append(str(TeamRole(tie.split(":", 1)[1]).label))
        elif tie in _TIE_WORDS:
            words.append(str(_TIE_WORDS[Tie(tie)]))
    return words


def readers_of(plan: Plan, version: PlanVersion, *, today: date) -> list[Reader]:
    """Everyone who carries the plan out today, those who have not read it first (3 queries
    and the policy's)."""
    held = staff_holding(plan.student, Cap.ACKNOWLEDGE_PLAN, today=today)
    readings: dict[int, PlanAcknowledgement] = {}
    for reading in (
        PlanAcknowledgement.objects.filter(
            plan=plan, staff_id__in=held, version__number__gte=version.number
        )
        .select_related("version")
        .order_by("acknowledged_at", "id")
    ):
        readings[reading.staff_id] = reading  # the newest wins
    people = Staff.objects.filter(pk__in=held).select_related("user")
    readers = [Reader(staff, _how(held[staff.pk]), readings.get(staff.pk)) for staff in people]
    readers.sort(key=lambda r: (r.reading is not None, r.staff.user.last_name, r.staff.pk))
    return readers


def page_context(plan: Plan, access: Access, *, today: date) -> dict[str, Any] | None:
    """The plan page's part: the viewer's prompt or reading, and for the plan's writers the list
    of who has read it. None when nothing is to be read (a draft, an ended plan)."""
    version = version_to_read(plan) if plan.status == PlanStatus.ACTIVE else None
    viewer = access.viewer
    if version is None or viewer is None:
        return None
    staff_id = standing(viewer, today=today).staff_id
    mine = None
    if access.has(Cap.ACKNOWLEDGE_PLAN) and staff_id is not None:
        mine = reading_by(plan, version, staff_id)
    readers = readers_of(plan, version, today=today) if access.has(Cap.WRITE_PLAN) else None
    return {
        "version": version,
        "asks": access.has(Cap.ACKNOWLEDGE_PLAN) and staff_id is not None and mine is None,
        "mine": mine,
        "readers": readers,
        "read_count": sum(r.reading is not None for r in readers or ()),
    }


def unread_plans(staff_id: int, student_ids: list[int]) -> dict[int, list[Plan]]:
    """For each student, their plans in force that the staff member has not read (one query)."""
    to_read = Subquery(
        PlanVersion.objects.filter(plan=OuterRef("pk"))
        .exclude(kind=VersionKind.CORRECTION)
        .order_by("-number")
        .values("number")[:1],
        output_field=IntegerField(),
    )
    read = PlanAcknowledgement.objects.filter(
        plan=OuterRef("pk"), staff_id=staff_id, version__number__gte=OuterRef("to_read")
    )
    plans = (
        Plan.objects.filter(
            student_id__in=student_ids,
            status=PlanStatus.ACTIVE,
            current_version__isnull=False,
        )
        .annotate(to_read=to_read)
        .filter(~Exists(read))
        .only("public_id", "kind", "student_id")
        .order_by("kind", "id")
    )
    found: dict[int, list[Plan]] = {}
    for plan in plans:
        found.setdefault(plan.student_id, []).append(plan)
    return found
