"""Who must be invited to which meeting (300.321), transition age, and the notice lead time (300.322).

Pure reads: the team is taken from the student's relationships in force on the meeting day.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Q
from django.utils.translation import gettext as _

from tandem.compliance.actions import engine_calendar
from tandem.people.models import (
    CaseloadAssignment,
    ClassEnrollment,
    ProviderAssignment,
    Relationship,
    Role,
    StaffRole,
    Student,
    TeamMembership,
    TeamRole,
)
from tandem.people.relations import rights_holder_links
from tandem.rules import deadlines as engine
from tandem.rules.profiles import FEDERAL, AgeRule, Rule

from .models import MeetingKind, MemberRole

IEP_KINDS = frozenset(
    {
        MeetingKind.ELIGIBILITY,
        MeetingKind.INITIAL_IEP,
        MeetingKind.ANNUAL_REVIEW,
        MeetingKind.REEVALUATION,
        MeetingKind.AMENDMENT,
        MeetingKind.TRANSITION,
        MeetingKind.MANIFESTATION,
    }
)
SECTION_504_KINDS = frozenset({MeetingKind.SECTION_504, MeetingKind.SECTION_504_REVIEW})
# Meetings where evaluation results are discussed: someone who can explain them must come.
EVALUATION_KINDS = frozenset(
    {MeetingKind.ELIGIBILITY, MeetingKind.INITIAL_IEP, MeetingKind.REEVALUATION}
)
# Meetings that develop or review the IEP; the student is invited from transition age.
PLANNING_KINDS = frozenset(
    {
        MeetingKind.INITIAL_IEP,
        MeetingKind.ANNUAL_REVIEW,
        MeetingKind.AMENDMENT,
        MeetingKind.TRANSITION,
    }
)

# States whose meeting notice lead time the parent may shorten by agreement (the rule's own
# note, COMPLIANCE.md §2: NY "sooner only if the parent agrees", TX 19 TAC 89.1015 "waivable").
# Where the lead time is only district policy (federal default), the parent may also agree.
WAIVABLE_NOTICE_STATES = frozenset({"NY", "TX"})


def required_roles(kind: str, *, transition: bool) -> list[str]:
    """The roles that must be invited to a meeting of `kind` (300.321(a)-(b); 104.35(c))."""
    roles = [MemberRole.PARENT]
    if kind in SECTION_504_KINDS:
        roles += [MemberRole.COORDINATOR_504, MemberRole.GENERAL_EDUCATION_TEACHER]
        return [str(r) for r in roles]
    if kind == MeetingKind.OTHER:
        return [str(MemberRole.PARENT), str(MemberRole.CASE_MANAGER)]
    roles += [
        MemberRole.SPECIAL_EDUCATION_TEACHER,
        MemberRole.GENERAL_EDUCATION_TEACHER,
        MemberRole.DISTRICT_REPRESENTATIVE,
    ]
    if kind in EVALUATION_KINDS:
        roles.append(MemberRole.EVALUATOR)
    if transition or kind == MeetingKind.TRANSITION:
        roles.append(MemberRole.STUDENT)
    return [str(r) for r in roles]


def profile_for(student: Student) -> engine.StateProfile:
    try:
        return engine.load_profile(student.district.state)
    except engine.UnknownState:
        return engine.load_profile(FEDERAL)


def transition_age_years(student: Student) -> int:
    spec = profile_for(student).spec(Rule.TRANSITION_SERVICES)
    months = spec.age_months if isinstance(spec, AgeRule) else 16 * 12
    return months // 12


def transition_applies(student: Student, kind: str, day: date) -> bool:
    """Transition is discussed when the plan made at this meeting is in effect at transition age.

    300.320(b): from the first IEP in effect when the child turns the state's age (16 federally);
    the plan runs a year from the meeting.
    """
    if kind == MeetingKind.TRANSITION:
        return True
    if kind not in PLANNING_KINDS:
        return False
    return student.age_on(day + timedelta(days=365)) >= transition_age_years(student)


@dataclass(frozen=True)
class Candidate:
    """Someone who could be invited: a key the form posts back, who, in which role."""

    key: str
    name: str
    role: str
    role_label: str
    required: bool
    staff_id: int | None = None
    guardian_id: int | None = None
    is_student: bool = False


_TEAM_TO_MEMBER = {
    TeamRole.CASE_MANAGER: MemberRole.CASE_MANAGER,
    TeamRole.SPECIAL_EDUCATION_TEACHER: MemberRole.SPECIAL_EDUCATION_TEACHER,
    TeamRole.GENERAL_EDUCATION_TEACHER: MemberRole.GENERAL_EDUCATION_TEACHER,
    TeamRole.PSYCHOLOGIST: MemberRole.EVALUATOR,
    TeamRole.ADMINISTRATOR: MemberRole.DISTRICT_REPRESENTATIVE,
    TeamRole.COORDINATOR_504: MemberRole.COORDINATOR_504,
}


def candidates(student: Student, kind: str, day: date) -> list[Candidate]:
    """Everyone who could be invited, the required members of `kind` marked, in a stable order.

    Parents holding educational rights; the team (case manager counts as the special education
    teacher when none is named; the school psychologist explains evaluations); the class
    teachers (general education); the school's principal (district representative); the
    504 coordinator; the student from transition age.
    """
    transition = transition_applies(student, kind, day)
    needed = set(required_roles(kind, transition=transition))
    out: list[Candidate] = []
    seen: set[tuple[str, int]] = set()
    filled: set[str] = set()

    def add(role: str, *, name: str, staff_id=None, guardian_id=None, is_student=False) -> None:  # type: ignore[no-untyped-def]
        ident = ("g", guardian_id) if guardian_id else ("s", staff_id) if staff_id else ("x", 0)
        if ident in seen:
            return
        seen.add(ident)
        required = role in needed and (role not in filled or role == MemberRole.PARENT)
        if required:
            filled.add(role)
        prefix = "guardian" if guardian_id else "staff" if staff_id else "student"
        key = f"{prefix}:{guardian_id or staff_id or 0}:{role}"
        out.append(
            Candidate(
                key=key,
                name=name,
                role=role,
                role_label=str(MemberRole(role).label),
                required=required,
                staff_id=staff_id,
                guardian_id=guardian_id,
                is_student=is_student,
            )
        )

    links = rights_holder_links(student)
    own_rights = any(link.relationship == Relationship.SELF for link in links)
    for link in links:
        # A student holding their own rights (300.520) takes the parent's place on the team,
        # named as the student so nobody reads them as a parent.
        name = str(link.guardian)
        if link.relationship == Relationship.SELF:
            name = f"{name} ({Relationship.SELF.label})"
        add(MemberRole.PARENT, name=name, guardian_id=link.guardian_id)
    cases = list(
        CaseloadAssignment.objects.active_on(day)
        .filter(student=student)
        .select_related("staff__user")
        .order_by("id")
    )
    team = list(
        TeamMembership.objects.active_on(day)
        .filter(student=student)
        .select_related("staff__user")
        .order_by("id")
    )
    has_sped = any(m.role == TeamRole.SPECIAL_EDUCATION_TEACHER for m in team)
    for m in team:
        if m.role == TeamRole.SPECIAL_EDUCATION_TEACHER:
            add(MemberRole.SPECIAL_EDUCATION_TEACHER, name=str(m.staff.user), staff_id=m.staff_id)
    for c in cases:
        # A case manager on the caseload is the special education teacher unless one is named.
        role = MemberRole.CASE_MANAGER if has_sped else MemberRole.SPECIAL_EDUCATION_TEACHER
        add(role, name=str(c.staff.user), staff_id=c.staff_id)
    for m in team:
        role = _TEAM_TO_MEMBER.get(m.role, MemberRole.RELATED_SERVICE_PROVIDER)
        if m.role == TeamRole.CASE_MANAGER and not has_sped:
            role = MemberRole.SPECIAL_EDUCATION_TEACHER
        add(role, name=str(m.staff.user), staff_id=m.staff_id)
    for p in (
        ProviderAssignment.objects.active_on(day)
        .filter(student=student)
        .select_related("staff__user")
        .order_by("id")
    ):
        add(MemberRole.RELATED_SERVICE_PROVIDER, name=str(p.staff.user), staff_id=p.staff_id)
    for e in (
        ClassEnrollment.objects.active_on(day)
        .filter(student=student)
        .select_related("section__teacher__user")
        .order_by("section__period", "id")
    ):
        teacher = e.section.teacher
        add(MemberRole.GENERAL_EDUCATION_TEACHER, name=str(teacher.user), staff_id=teacher.pk)
    leader_filter = Q(role=Role.SCHOOL_ADMIN, school_id=student.school_id) | Q(
        role=Role.COORDINATOR_504, school_id=student.school_id
    )
    if kind in SECTION_504_KINDS:
        leader_filter |= Q(
            role=Role.COORDINATOR_504, district_id=student.district_id, school__isnull=True
        )
    leaders = (
        StaffRole.objects.active_on(day)
        .filter(leader_filter)
        .select_related("staff__user")
        .order_by("role", "id")
    )
    for r in leaders:
        role = (
            MemberRole.DISTRICT_REPRESENTATIVE
            if r.role == Role.SCHOOL_ADMIN
            else MemberRole.COORDINATOR_504
        )
        add(role, name=str(r.staff.user), staff_id=r.staff_id)
    if not own_rights and (transition or student.age_on(day) >= transition_age_years(student)):
        add(MemberRole.STUDENT, name=student.display_name, is_student=True)
    return out


def missing_roles(kind: str, *, transition: bool, invited_roles: set[str]) -> list[str]:
    return [r for r in required_roles(kind, transition=transition) if r not in invited_roles]


# --- notice lead time ----------------------------------------------------------------------


@dataclass(frozen=True)
class NoticeTiming:
    send_by: date
    citation: str
    explanation: str
    policy_only: bool
    waivable: bool


def notice_timing(student: Student, meeting_day: date) -> NoticeTiming:
    """The last day the notice may go out for a meeting on `meeting_day` (the deadline engine)."""
    profile = profile_for(student)
    calendar = engine_calendar(student, meeting_day)
    result = engine.compute(Rule.MEETING_NOTICE, profile, meeting_day, calendar=calendar)
    return NoticeTiming(
        send_by=result.due,
        citation=result.citation,
        explanation=result.explanation,
        policy_only=result.policy_only,
        waivable=result.policy_only or profile.code in WAIVABLE_NOTICE_STATES,
    )


def too_late_message(timing: NoticeTiming, meeting_at: datetime) -> str:
    return _(
        "The notice is too late for a meeting on %(day)s: it had to go out by %(send_by)s "
        "(%(citation)s)."
    ) % {
        "day": meeting_at.date().isoformat(),
        "send_by": timing.send_by.isoformat(),
        "citation": timing.citation,
    }
