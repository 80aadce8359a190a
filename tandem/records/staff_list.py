"""The district's list of the staff who may open students' records, by position and name
(IDEA 34 CFR 300.623(d): "a current listing of the names and positions of those employees
within the agency who may have access to personally identifiable information", kept for public
inspection).

Nothing here is written by hand: who is on the list is what the access policy grants today
(`staff_ties_in_district`, the same rows the decisions read), and what each may do is the
capability matrix (`caps_for`) over the ties they hold.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Q, QuerySet
from django.utils.translation import gettext_lazy as _

from tandem.access.capabilities import CAP_LABELS, Cap, Tie, caps_for
from tandem.access.policy import staff_ties_in_district, standing
from tandem.accounts.models import User
from tandem.people.models import District, Role, Staff, StaffRole, StudentGuardian, TeamRole

# Whose records a tie opens, in the words a parent reads on the list.
REACH = {
    Tie.DISTRICT_LEADER: _("every student of the district"),
    Tie.SCHOOL_LEADER: _("the students of the school they lead"),
    Tie.SCHOOL_EVALUATOR: _("the students of the schools they serve, to find and evaluate"),
    Tie.CASELOAD: _("the students on their caseload"),
    Tie.PROVIDER: _("the students they are assigned to serve"),
    Tie.ROSTER: _("the students in the classes they teach"),
}
TEAM_REACH = _("the students whose IEP or 504 team they are on, as: %(roles)s")
ROLE_ORDER = [value for value, _label in Role.choices]
# Reading is every tie's: the list names what comes beyond it.
SHOWN_CAPS = [c for c in Cap if c not in (Cap.READ, Cap.ACT_AS_FAMILY)]
# Positions without a role in the district: a contractor, or a team member from elsewhere.
NO_ROLE = _("No role in the district (a contractor or a team member)")


@dataclass
class Person:
    name: str
    title: str
    places: list[str] = field(default_factory=list)
    reach: list[str] = field(default_factory=list)
    may: list[str] = field(default_factory=list)


@dataclass
class Position:
    label: str
    people: list[Person] = field(default_factory=list)


def districts_for(user: User, *, today: date) -> QuerySet[District]:
    """Districts whose list `user` may read: those they lead (as a district administrator or a
    principal), and those of the children whose educational rights they hold (the list is for
    public inspection, 300.623(d); a parent asking to see it should not have to write in)."""
    s = standing(user, today=today)
    led = StaffRole.objects.active_on(today).filter(
        staff_id=s.staff_id, role__in=[Role.DISTRICT_ADMIN, Role.SCHOOL_ADMIN]
    )
    children = StudentGuardian.objects.filter(
        guardian_id=s.guardian_id, educational_rights_holder=True
    )
    return District.objects.filter(
        Q(pk__in=led.values("district_id")) | Q(pk__in=children.values("student__district_id"))
    ).order_by("name")


def _place(role: StaffRole) -> str:
    where = role.school.name if role.school else str(_("district-wide"))
    return f"{role.get_role_display()}, {where}"


def _reach(ties: set[str]) -> list[str]:
    out = [str(label) for tie, label in REACH.items() if tie in ties]
    roles = sorted(str(TeamRole(t.split(":", 1)[1]).label) for t in ties if t.startswith("team:"))
    if roles:
        out.append(str(TEAM_REACH) % {"roles": ", ".join(roles)})
    return out


def positions(district: District, *, today: date) -> list[Position]:
    """Everyone who may open a student's record in `district` today, grouped by position (their
    roles in the district), each with where, whose records and what the matrix lets them do.
    Five queries whatever the district's size."""
    ties = staff_ties_in_district(district, today=today)
    roles: dict[int, list[StaffRole]] = {}
    for role in (
        StaffRole.objects.active_on(today)
        .filter(district=district, staff_id__in=ties)
        .select_related("school")
        .order_by("school__name", "pk")
    ):
        roles.setdefault(role.staff_id, []).append(role)
    for held in roles.values():
        held.sort(key=lambda r: ROLE_ORDER.index(r.role))
    staff = (
        Staff.objects.filter(pk__in=ties)
        .select_related("user")
        .order_by("user__last_name", "user__first_name", "pk")
    )
    grouped: dict[str, Position] = {}
    for member in staff:
        held = roles.get(member.pk, [])
        granted = caps_for(frozenset(ties[member.pk]))
        person = Person(
            name=member.user.get_full_name() or member.user.email,
            title=member.title,
            places=[_place(r) for r in held],
            reach=_reach(ties[member.pk]),
            may=[str(CAP_LABELS[c]) for c in SHOWN_CAPS if c in granted],
        )
        # A person with several roles is listed under the first (the list orders by role).
        label = str(held[0].get_role_display()) if held else str(NO_ROLE)
        grouped.setdefault(label, Position(label)).people.append(person)
    order = [str(Role(r).label) for r in ROLE_ORDER] + [str(NO_ROLE)]
    return sorted(grouped.values(), key=lambda p: order.index(p.label))
