"""The one access policy: who may see and change which student's record (docs/access.md).

A legitimate educational interest comes from a relationship in force today (a caseload, team
membership, a class roster, a provider assignment, school or district leadership, guardianship
as an educational-rights holder), never from a role alone. What each relationship lets a person
do is the capability matrix in `capabilities.py`.

Every page and endpoint fetches student data through `students_with` / `students_visible_to`
(lists) or the gatekeepers in `gatekeepers.py` (one record); a record out of reach is a 404, the
same answer as a record that does not exist, and a record in reach without the capability asked
for is a 403. The decision for one student is computed once per request (`decision_for`) and is
handed to templates as `access` (`{% if access.can.write_plan %}`).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NoReturn

from django.core.exceptions import PermissionDenied
from django.db.models import CharField, Exists, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Concat
from django.http import Http404

from tandem import audit
from tandem.access import purposes
from tandem.access.capabilities import (
    LEADER_TIES,
    Cap,
    Tie,
    caps_for,
    team,
    team_roles_granting,
    ties_granting,
)
from tandem.accounts.models import User
from tandem.audit import context as audit_context
from tandem.audit.catalogue import Action
from tandem.core import clock
from tandem.people.models import (
    CaseloadAssignment,
    ClassEnrollment,
    District,
    ProviderAssignment,
    Role,
    School,
    Staff,
    StaffRole,
    Student,
    StudentGuardian,
    TeamMembership,
)


@dataclass(frozen=True, slots=True)
class Standing:
    """What a user holds today, computed once per request: roles, not yet relationships."""

    staff_id: int | None
    guardian_id: int | None
    admin_district_ids: frozenset[int]
    admin_school_ids: frozenset[int]
    roles: frozenset[str]
    # An evaluator's or 504 coordinator's places (Tie.SCHOOL_EVALUATOR): schools, or districts
    # where the role is district-wide.
    evaluator_district_ids: frozenset[int] = frozenset()
    evaluator_school_ids: frozenset[int] = frozenset()

    @property
    def is_staff_member(self) -> bool:
        return self.staff_id is not None


# Roles that stand to the students of their schools as Tie.SCHOOL_EVALUATOR (child find).
_SCHOOL_EVALUATOR_ROLES = frozenset({Role.EVALUATOR, Role.COORDINATOR_504})


def _day(today: date | None) -> date:
    return today or clock.today()


def _related(user: User, name: str) -> Any:
    try:
        return getattr(user, name)
    except Exception:  # RelatedObjectDoesNotExist
        return None


def standing(user: User, *, today: date | None = None) -> Standing:
    """The user's roles in force today (cached on the user object for the request)."""
    day = _day(today)
    cached = getattr(user, "_tandem_standing", None)
    if cached is not None and cached[0] == day:
        return cached[1]
    staff_id = guardian_id = None
    districts: set[int] = set()
    schools: set[int] = set()
    roles: set[str] = set()
    evaluator_districts: set[int] = set()
    evaluator_schools: set[int] = set()
    if user.is_authenticated and user.is_active:
        staff = _related(user, "staff")
        if staff is not None:
            staff_id = staff.pk
            for role, district_id, school_id in (
                StaffRole.objects.active_on(day)
                .filter(staff=staff)
                .values_list("role", "district_id", "school_id")
            ):
                roles.add(role)
                if role == Role.DISTRICT_ADMIN:
                    districts.add(district_id)
                elif role == Role.SCHOOL_ADMIN and school_id is not None:
                    schools.add(school_id)
                elif role in _SCHOOL_EVALUATOR_ROLES and school_id is None:
                    evaluator_districts.add(district_id)
                elif role in _SCHOOL_EVALUATOR_ROLES:
                    evaluator_schools.add(school_id)
        guardian = _related(user, "guardian")
        if guardian is not None:
            guardian_id = guardian.pk
    result = Standing(
        staff_id=staff_id,
        guardian_id=guardian_id,
        admin_district_ids=frozenset(districts),
        admin_school_ids=frozenset(schools),
        roles=frozenset(roles),
        evaluator_district_ids=frozenset(evaluator_districts),
        evaluator_school_ids=frozenset(evaluator_schools),
    )
    user._tandem_standing = (day, result)  # type: ignore[attr-defined]
    return result


# --- lists: students a person may read, or act on ------------------------------------------


def _enrollments_in_classes(day: date) -> QuerySet[Any]:
    """Enrollments in force on `day` in class sections in force that day (Tie.ROSTER)."""
    return (
        ClassEnrollment.objects.active_on(day)
        .filter(section__start_date__lte=day)
        .filter(Q(section__end_date__isnull=True) | Q(section__end_date__gte=day))
    )


def _roster(staff_id: int, day: date) -> QuerySet[Any]:
    return _enrollments_in_classes(day).filter(section__teacher_id=staff_id)


def provider_assignments_in_force(day: date) -> QuerySet[ProviderAssignment]:
    """Provider assignments in force on `day` (Tie.PROVIDER).

    The assignment's own dates, and for a contractor (a provider with any contract at all) a
    contract with the assignment's district in force that day too: when the contract ends, the
    provider sees nothing more of that district. A district's own employees hold no contract
    and are unaffected. The contracts (services' ProviderContract) are read by their reverse
    name only, so this layer imports nothing from above it.
    """
    has_contract = Exists(
        District.objects.filter(provider_contracts__staff_id=OuterRef("staff_id"))
    )
    covered = Exists(
        District.objects.filter(
            Q(pk=OuterRef("district_id")),
            Q(provider_contracts__staff_id=OuterRef("staff_id")),
            Q(provider_contracts__start_date__lte=day),
            Q(provider_contracts__end_date__isnull=True) | Q(provider_contracts__end_date__gte=day),
        )
    )
    return ProviderAssignment.objects.active_on(day).filter(~has_contract | covered)


def _filter_for_ties(user: User, ties: frozenset[str], day: date) -> Q | None:
    """Students with whom `user` has at least one of `ties` today."""
    s = standing(user, today=day)
    parts: list[Q] = []
    if Tie.DISTRICT_LEADER in ties and s.admin_district_ids:
        parts.append(Q(district_id__in=s.admin_district_ids))
    if Tie.SCHOOL_LEADER in ties and s.admin_school_ids:
        parts.append(Q(school_id__in=s.admin_school_ids))
    if Tie.SCHOOL_EVALUATOR in ties and (s.evaluator_school_ids or s.evaluator_district_ids):
        parts.append(
            Q(school_id__in=s.evaluator_school_ids) | Q(district_id__in=s.evaluator_district_ids)
        )
    if s.staff_id is not None:
        if Tie.CASELOAD in ties:
            caseload = CaseloadAssignment.objects.active_on(day).filter(staff_id=s.staff_id)
            parts.append(Q(pk__in=caseload.values("student_id")))
        roles = sorted(t.split(":", 1)[1] for t in ties if t.startswith("team:"))
        if roles:
            members = TeamMembership.objects.active_on(day).filter(
                staff_id=s.staff_id, role__in=roles
            )
            parts.append(Q(pk__in=members.values("student_id")))
        if Tie.PROVIDER in ties:
            assigned = provider_assignments_in_force(day).filter(staff_id=s.staff_id)
            parts.append(Q(pk__in=assigned.values("student_id")))
        if Tie.ROSTER in ties:
            parts.append(Q(pk__in=_roster(s.staff_id, day).values("student_id")))
    if Tie.RIGHTS_HOLDER in ties and s.guardian_id is not None:
        links = StudentGuardian.objects.filter(
            guardian_id=s.guardian_id, educational_rights_holder=True
        )
        parts.append(Q(pk__in=links.values("student_id")))
    if not parts:
        return None
    combined = parts[0]
    for part in parts[1:]:
        combined |= part
    return combined


def students_with(user: User, cap: Cap, *, today: date | None = None) -> QuerySet[Student]:
    """Every student on whom `user` holds `cap` today."""
    condition = _filter_for_ties(user, ties_granting(cap), _day(today))
    return Student.objects.none() if condition is None else Student.objects.filter(condition)


def staff_holding(
    student: Student, cap: Cap, *, today: date | None = None
) -> dict[int, frozenset[str]]:
    """Staff (by id) who hold `cap` on `student` today through a tie to this one student
    (caseload, team, class roster, provider), each with those ties.

    The other direction of `students_with`, for lists of people such as who has read a plan.
    Leaders and school evaluators stand to whole schools and districts: they are not listed.
    """
    day, ties = _day(today), ties_granting(cap)
    found: dict[int, set[str]] = {}

    def add(rows: Any, tie: str | None = None) -> None:
        for staff_id, *rest in rows:
            found.setdefault(staff_id, set()).add(tie or team(rest[0]))

    if Tie.CASELOAD in ties:
        caseload = CaseloadAssignment.objects.active_on(day).filter(student=student)
        add(caseload.values_list("staff_id"), Tie.CASELOAD)
    roles = sorted(t.split(":", 1)[1] for t in ties if t.startswith("team:"))
    if roles:
        members = TeamMembership.objects.active_on(day).filter(student=student, role__in=roles)
        add(members.values_list("staff_id", "role"))
    if Tie.PROVIDER in ties:
        assigned = provider_assignments_in_force(day).filter(student=student)
        add(assigned.values_list("staff_id"), Tie.PROVIDER)
    if Tie.ROSTER in ties:
        taught = _enrollments_in_classes(day).filter(student=student)
        add(taught.values_list("section__teacher_id"), Tie.ROSTER)
    # A person whose account is closed holds nothing (`decision_for`).
    open_ids = set(
        Staff.objects.filter(pk__in=found, user__is_active=True).values_list("pk", flat=True)
    )
    return {staff_id: frozenset(t) for staff_id, t in found.items() if staff_id in open_ids}


def staff_ties_in_district(district: District, *, today: date | None = None) -> dict[int, set[str]]:
    """Every active staff member (by id) who holds a tie to some student of `district` today,
    with those ties: the district's list of who may open students' records (IDEA 34 CFR
    300.623(d)), read from the same rows the decisions are, so it cannot drift from them.

    Leaders and school evaluators come from their roles (they stand to whole schools); the
    others from their caseloads, team places, provider assignments and class rosters.
    """
    day = _day(today)
    found: dict[int, set[str]] = {}
    role_ties = {
        Role.DISTRICT_ADMIN: Tie.DISTRICT_LEADER,
        Role.SCHOOL_ADMIN: Tie.SCHOOL_LEADER,
        Role.EVALUATOR: Tie.SCHOOL_EVALUATOR,
        Role.COORDINATOR_504: Tie.SCHOOL_EVALUATOR,
    }
    roles = StaffRole.objects.active_on(day).filter(district=district, role__in=list(role_ties))
    for staff_id, role, school_id in roles.values_list("staff_id", "role", "school_id"):
        if role == Role.SCHOOL_ADMIN and school_id is None:
            continue  # a principal without a school leads no students (`standing`)
        found.setdefault(staff_id, set()).add(role_ties[Role(role)])
    mine = {"student__district": district}
    rows: list[tuple[QuerySet[Any], str | None]] = [
        (
            CaseloadAssignment.objects.active_on(day).filter(**mine).values_list("staff_id"),
            Tie.CASELOAD,
        ),
        (
            TeamMembership.objects.active_on(day).filter(**mine).values_list("staff_id", "role"),
            None,
        ),
        (provider_assignments_in_force(day).filter(**mine).values_list("staff_id"), Tie.PROVIDER),
        (
            _enrollments_in_classes(day).filter(**mine).values_list("section__teacher_id"),
            Tie.ROSTER,
        ),
    ]
    for queryset, tie in rows:
        for staff_id, *rest in queryset.distinct():
            found.setdefault(staff_id, set()).add(tie or team(rest[0]))
    # A person whose account is closed holds nothing (`decision_for`).
    open_ids = set(
        Staff.objects.filter(pk__in=found, user__is_active=True).values_list("pk", flat=True)
    )
    return {staff_id: ties for staff_id, ties in found.items() if staff_id in open_ids}


def students_visible_to(
    user: User, *, need: Cap = Cap.READ, today: date | None = None
) -> QuerySet[Student]:
    """Every student `user` may read today (or act on, with another capability)."""
    return students_with(user, Cap(need), today=today)


# --- one student: the decision ---------------------------------------------------------------


class _CapView:
    """`access.can.write_plan` in templates; an unknown name is an error, not a silent False."""

    __slots__ = ("_caps",)

    def __init__(self, caps: frozenset[Cap]) -> None:
        self._caps = caps

    def __getitem__(self, name: str) -> bool:
        return Cap(name) in self._caps

    def __getattr__(self, name: str) -> bool:
        try:
            return Cap(name) in self._caps
        except ValueError:
            raise AttributeError(name) from None


@dataclass(frozen=True, slots=True)
class Access:
    """What one user may do with one student today: computed once, read everywhere."""

    student: Student
    ties: frozenset[str]
    caps: frozenset[Cap] = field(default=frozenset())
    # Who asked: a refusal made from the decision alone (`refuse_unless`) names them in the log.
    viewer: User | None = field(default=None, compare=False, repr=False)

    def has(self, cap: Cap) -> bool:
        return cap in self.caps

    @property
    def can(self) -> _CapView:
        return _CapView(self.caps)

    @property
    def is_leader(self) -> bool:
        return bool(self.ties & LEADER_TIES)

    @property
    def family_only(self) -> bool:
        """The viewer stands to the student only as a parent, with no tie as staff."""
        return bool(self.ties) and not (self.ties - {Tie.RIGHTS_HOLDER})

    def sees_contact_of(self, link: StudentGuardian) -> bool:
        """Whether the viewer may see this guardian's phone and email.

        Staff see every guardian's. A parent sees those of the parents who hold educational
        rights, never those of a guardian who does not (as the portal never shows them): the
        school keeps them to reach that person, not to hand them to the other parent.
        """
        return link.educational_rights_holder or not self.family_only

    def mark_contacts(self, links: list[StudentGuardian]) -> list[StudentGuardian]:
        """The links, each with `contact_shown` set for templates (`{% if link.contact_shown %}`)."""
        for link in links:
            link.contact_shown = self.sees_contact_of(link)  # type: ignore[attr-defined]
        return links


def _ties(user: User, student: Student, day: date) -> frozenset[str]:
    s = standing(user, today=day)
    ties: set[str] = set()
    if student.district_id in s.admin_district_ids:
        ties.add(Tie.DISTRICT_LEADER)
    if student.school_id in s.admin_school_ids:
        ties.add(Tie.SCHOOL_LEADER)
    if (
        student.school_id in s.evaluator_school_ids
        or student.district_id in s.evaluator_district_ids
    ):
        ties.add(Tie.SCHOOL_EVALUATOR)
    text = CharField()
    queries: list[QuerySet[Any]] = []
    if s.staff_id is not None:
        queries += [
            CaseloadAssignment.objects.active_on(day)
            .filter(staff_id=s.staff_id, student_id=student.pk)
            .annotate(tie=Value(str(Tie.CASELOAD), output_field=text))
            .values_list("tie"),
            TeamMembership.objects.active_on(day)
            .filter(staff_id=s.staff_id, student_id=student.pk)
            .annotate(tie=Concat(Value("team:"), "role", output_field=text))
            .values_list("tie"),
            provider_assignments_in_force(day)
            .filter(staff_id=s.staff_id, student_id=student.pk)
            .annotate(tie=Value(str(Tie.PROVIDER), output_field=text))
            .values_list("tie"),
            _roster(s.staff_id, day)
            .filter(student_id=student.pk)
            .annotate(tie=Value(str(Tie.ROSTER), output_field=text))
            .values_list("tie"),
        ]
    if s.guardian_id is not None:
        queries.append(
            StudentGuardian.objects.filter(
                guardian_id=s.guardian_id, student_id=student.pk, educational_rights_holder=True
            )
            .annotate(tie=Value(str(Tie.RIGHTS_HOLDER), output_field=text))
            .values_list("tie")
        )
    if queries:
        union = queries[0].union(*queries[1:], all=True) if len(queries) > 1 else queries[0]
        ties.update(row[0] for row in union)
    return frozenset(ties)


def decision_for(user: User, student: Student, *, today: date | None = None) -> Access:
    """What `user` may do with `student` today (cached on the user object for the request)."""
    day = _day(today)
    cache: dict[tuple[Any, ...], Access] = user.__dict__.setdefault("_tandem_access", {})
    # The school and district are in the key: a move to another school changes the leaders.
    key = (student.pk, student.school_id, student.district_id, day)
    if key not in cache:
        ties = (
            _ties(user, student, day) if user.is_authenticated and user.is_active else frozenset()
        )
        cache[key] = Access(student=student, ties=ties, caps=caps_for(ties), viewer=user)
    return cache[key]


def can(user: User, need: Cap, student: Student, *, today: date | None = None) -> bool:
    """Whether `user` holds `need` on `student` today."""
    return Cap(need) in decision_for(user, student, today=today).caps


def require(user: User, student: Student, need: Cap) -> Access:
    """For actions: 404 when the student is out of reach, 403 without the capability."""
    decision = decision_for(user, student)
    if Cap.READ not in decision.caps:
        raise Http404
    if not can(user, need, student):
        refuse(user, student, need, page="action")
    return decision


def parse_public_id(value: object) -> uuid.UUID:
    """A public id from a URL; anything malformed is simply not found."""
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except (TypeError, ValueError):
        raise Http404 from None


def refuse(
    user: User | None,
    student: Student,
    asked_for: object,
    *,
    page: str,
    target: Any = None,
) -> NoReturn:
    """403 for a student in reach without the capability asked for, recorded as refused.

    Only here, where the person may already read the student, does the log name the refusal
    as such; an attempt on a student out of reach stays a 404 (`record_refusal`), so that the
    answer never tells an outsider the student exists.
    """
    if user is not None and user.is_authenticated:
        audit.record(
            actor=user,
            action=Action.ACCESS__REFUSED,
            student=student,
            target=target if target is not None else student,
            detail={"page": page, "asked_for": str(asked_for)[:64]},
        )
    raise PermissionDenied


def record_refusal(user: User, asked_for: object, *, student: Student | None, page: str) -> None:
    """Write a refused attempt to the record of access (never shown to families as an event)."""
    if not user.is_authenticated:
        return
    audit.record(
        actor=user,
        action=Action.ACCESS__DENIED,
        student=student,
        target=student,
        detail={"page": page, "asked_for": str(asked_for)[:64]},
    )


def access_student(
    user: User,
    public_id: object,
    *,
    need: Cap = Cap.READ,
    action: str | None = "student.viewed",
    purpose: str | None = None,
) -> Student:
    """Return the student if `user` holds `need` on them, recording the access; else 404/403."""
    return student_access(user, public_id, need=need, action=action, purpose=purpose).student


def student_access(
    user: User,
    public_id: object,
    *,
    need: Cap = Cap.READ,
    action: str | None = "student.viewed",
    purpose: str | None = None,
) -> Access:
    """The decision on one student, if `user` may read them and holds `need`; else 404/403."""
    try:
        key = parse_public_id(public_id)
    except Http404:
        record_refusal(user, public_id, student=None, page="student")
        raise
    student = Student.objects.select_related("school", "district").filter(public_id=key).first()
    decision = decision_for(user, student) if student is not None else None
    if decision is None or Cap.READ not in decision.caps:
        record_refusal(user, key, student=student, page="student")
        raise Http404
    if not can(user, need, student):  # type: ignore[arg-type]
        refuse(user, student, need, page="student")  # type: ignore[arg-type]
    if action:
        # Without a stated purpose, the log keeps the tie that let the reader in.
        if purpose is None and not audit_context.current().purpose:
            purpose = purposes.from_ties(decision.ties)
        audit.record(actor=user, action=action, student=student, target=student, purpose=purpose)
    return decision


def districts_administered_by(user: User) -> QuerySet[District]:
    return District.objects.filter(pk__in=standing(user).admin_district_ids)


def schools_led_by(user: User) -> QuerySet[School]:
    """Schools the user leads: as a principal, or every school of a district they administer."""
    s = standing(user)
    return School.objects.filter(
        Q(pk__in=s.admin_school_ids) | Q(district_id__in=s.admin_district_ids)
    )


def students_led_by(user: User, *, today: date | None = None) -> QuerySet[Student]:
    """The students of the schools `user` leads today: the leader ties alone, not a caseload or a
    team place, so a district-wide list shows the schools, not the person's own students."""
    condition = _filter_for_ties(user, LEADER_TIES, _day(today))
    return Student.objects.none() if condition is None else Student.objects.filter(condition)


__all__ = [
    "Access",
    "Cap",
    "Standing",
    "Tie",
    "access_student",
    "can",
    "decision_for",
    "districts_administered_by",
    "parse_public_id",
    "record_refusal",
    "refuse",
    "require",
    "schools_led_by",
    "staff_holding",
    "staff_ties_in_district",
    "standing",
    "student_access",
    "students_led_by",
    "students_visible_to",
    "students_with",
    "team",
    "team_roles_granting",
]
