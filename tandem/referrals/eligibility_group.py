"""Who decided eligibility: the people who may be named present, and the group the law asks for.

IDEA, 34 CFR 300.306(a)(1): "a group of qualified professionals and the parent of the child"
determines eligibility. Section 504, 34 CFR 104.35(c): decisions are made by "a group of persons
knowledgeable about the child, the meaning of the evaluation data, and the placement options".

What Tandem enforces (each refusal names its field):

- `team_present`: the staff named are on the student's team (TeamMembership) or caseload
  (CaseloadAssignment), teach the student (class roster), evaluated for this referral, or are the
  person recording the decision (a 504 coordinator or principal who chaired it), on the day of
  the decision or today.
- `others_present`: every other person (a parent by name, a physician, an advocate) is given
  with a name and a role, one a line: "Dr. Ann Lee, pediatrician".
- `team_present`: at least two people in all (staff, others, and the parent when present): a
  group, never one person alone.
- For an IDEA decision (eligible for an IEP, or not eligible after an IDEA evaluation):
  `team_present` names at least one evaluator who conducted an assessment of this referral (the
  qualified professional who can interpret it, 300.306(c)(1)), and `parent_present` says the parent
  was present, or was invited and did not come (the group may proceed then, as 300.322(d) allows
  for a meeting the parent does not attend).
- A 504 decision needs no assessment (the information it rests on is recorded instead): two
  knowledgeable people suffice, e.g. the 504 coordinator and the classroom teacher.

Until the decision stores the other people and the invitation itself (a model field), they are
kept in the decision's audit event, which is append-only, and read back from there.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _

from tandem.accounts.models import AuditEvent, User
from tandem.audit.catalogue import Action
from tandem.people.models import (
    CaseloadAssignment,
    ClassEnrollment,
    Staff,
    Student,
    TeamMembership,
)
from tandem.referrals.models import (
    Assessment,
    EligibilityDecision,
    EligibilityOutcome,
    Referral,
    Track,
)

MAX_OTHERS = 12
MAX_OTHER_LENGTH = 200


@dataclass(frozen=True, slots=True)
class Other:
    """Someone present who is not on the staff list: a name and a role."""

    name: str
    role: str

    def __str__(self) -> str:
        return f"{self.name} ({self.role})"


def parse_others(text: str) -> list[Other]:
    """One person a line, "name, role" (the last comma separates them); refusals on the field."""
    others = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        line = line.strip()
        if not line:
            continue
        name, _comma, role = line.rpartition(",")
        name, role = name.strip(), role.strip()
        if not name or not role:
            raise _refuse(
                "others_present",
                _('Line %(number)d: give a name and a role, such as "Ann Lee, pediatrician".')
                % {"number": number},
            )
        if len(line) > MAX_OTHER_LENGTH:
            raise _refuse(
                "others_present",
                _("Line %(number)d is longer than %(limit)d characters.")
                % {"number": number, "limit": MAX_OTHER_LENGTH},
            )
        others.append(Other(name=name, role=role))
    if len(others) > MAX_OTHERS:
        raise _refuse(
            "others_present",
            _("Name at most %(limit)d other people.") % {"limit": MAX_OTHERS},
        )
    return others


def _refuse(field: str, message: str) -> ValidationError:
    return ValidationError({field: message})


# --- who may be named -------------------------------------------------------------------------


def _on(rows: Any, days: Iterable[date]) -> Any:
    query = Q()
    for day in days:
        query |= Q(start_date__lte=day) & (Q(end_date__isnull=True) | Q(end_date__gte=day))
    return rows.filter(query)


def _evaluator_ids(referral: Referral) -> set[int]:
    return set(
        Assessment.objects.filter(plan__referral=referral).values_list("evaluator_id", flat=True)
    )


def people_ids(
    referral: Referral, student: Student, *, days: Sequence[date], actor: User
) -> dict[int, list[str]]:
    """Staff who may be named present, each with what ties them to the student (for labels)."""
    roles: dict[int, list[str]] = {}

    def add(staff_id: int, label: Any) -> None:
        labels = roles.setdefault(staff_id, [])
        if str(label) not in labels:
            labels.append(str(label))

    for membership in _on(TeamMembership.objects.filter(student=student), days):
        add(membership.staff_id, membership.get_role_display())
    for staff_id in _on(CaseloadAssignment.objects.filter(student=student), days).values_list(
        "staff_id", flat=True
    ):
        add(staff_id, _("case manager"))
    enrollments = _on(ClassEnrollment.objects.filter(student=student), days)
    for staff_id in enrollments.values_list("section__teacher_id", flat=True):
        add(staff_id, _("classroom teacher"))
    for assessment in Assessment.objects.filter(plan__referral=referral):
        add(
            assessment.evaluator_id,
            _("evaluator: %(area)s") % {"area": assessment.get_area_display()},
        )
    own = Staff.objects.filter(user=actor).values_list("pk", flat=True).first()
    if own is not None:
        add(own, _("recording the decision"))
    return roles


def present_choices(
    referral: Referral, student: Student, *, today: date, actor: User
) -> tuple[QuerySet[Staff], dict[int, list[str]]]:
    """The staff to choose from on the form, and their labels' roles."""
    roles = people_ids(referral, student, days=[today], actor=actor)
    staff = (
        Staff.objects.filter(pk__in=list(roles))
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "id")
    )
    return staff, roles


# --- the group the law asks for ---------------------------------------------------------------


def is_idea(referral: Referral, outcome: str) -> bool:
    """An IDEA determination: an IEP, or not eligible after a special-education evaluation."""
    if outcome == EligibilityOutcome.IEP:
        return True
    return outcome == EligibilityOutcome.NOT_ELIGIBLE and referral.track != Track.SECTION_504


def check_group(
    *,
    referral: Referral,
    student: Student,
    actor: User,
    decided_on: date,
    today: date,
    outcome: str,
    team: Sequence[Staff],
    others: Sequence[Other],
    parent_present: bool,
    parent_invited: bool,
) -> None:
    """Refuse (keyed by field) a decision not made by the group the law asks for."""
    allowed = people_ids(referral, student, days=sorted({decided_on, today}), actor=actor)
    strangers = [str(s) for s in team if s.pk not in allowed]
    if strangers:
        raise _refuse(
            "team_present",
            _(
                "%(names)s: not on the student's team or caseload, not a teacher of the student "
                "and not an evaluator of this referral. Name them under other people present."
            )
            % {"names": ", ".join(strangers)},
        )
    if len(team) + len(others) + (1 if parent_present else 0) < 2:
        raise _refuse(
            "team_present",
            _(
                "A group decides eligibility: name at least two people present, staff or others "
                "(34 CFR 300.306(a)(1); 34 CFR 104.35(c))."
            ),
        )
    if not is_idea(referral, outcome):
        return
    evaluators = _evaluator_ids(referral)
    if evaluators and not evaluators & {s.pk for s in team}:
        raise _refuse(
            "team_present",
            _(
                "Name at least one evaluator who assessed the student for this referral: the "
                "group includes qualified professionals who can interpret the evaluation "
                "(34 CFR 300.306(a)(1), (c)(1))."
            ),
        )
    if not (parent_present or parent_invited):
        raise _refuse(
            "parent_present",
            _(
                "The parent is a member of the group (34 CFR 300.306(a)(1)): record that the "
                "parent was present, or was invited and did not come."
            ),
        )


def audit_detail(others: Sequence[Other], *, parent_invited: bool) -> dict[str, Any]:
    """What the decision's audit event keeps of the group beyond the model's fields."""
    return {
        "others_present": [{"name": o.name, "role": o.role} for o in others],
        "parent_invited": parent_invited,
    }


@dataclass(frozen=True, slots=True)
class Group:
    """Who was there beyond the staff list: the other people, and whether the parent was asked."""

    others: list[Other]
    parent_invited: bool


def group_of(decision: EligibilityDecision) -> Group:
    """The other people present and the parent's invitation, read from the decision's event."""
    event = (
        AuditEvent.objects.filter(
            action=Action.ELIGIBILITY__DECIDED,
            object_type=EligibilityDecision._meta.label_lower,
            object_id=str(decision.public_id),
        )
        .order_by("at", "pk")
        .only("detail")
        .first()
    )
    detail = event.detail if event is not None else {}
    others = [
        Other(name=str(o.get("name", "")), role=str(o.get("role", "")))
        for o in detail.get("others_present", [])
        if isinstance(o, dict)
    ]
    return Group(others=others, parent_invited=bool(detail.get("parent_invited")))
