"""Which goals a staff member records data for: their caseload, their services, their team roles.

A case manager (caseload, or the case-manager team role), a special education teacher, an
administrator or a 504 coordinator on the team answers for every goal of the student; a
provider answers for the goals of their service (the SLP for speech and language goals, the OT
for fine motor goals...), from the team role or the provider assignment's service area. Only
students on whom the user holds RECORD_PROGRESS today count (the capability matrix decides who
may record; this module only decides which of the student's goals are theirs). A fixed number
of queries, whatever the caseload.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import date

from tandem.access.capabilities import Cap
from tandem.access.policy import standing, students_with
from tandem.accounts.models import User
from tandem.core import clock
from tandem.people.models import CaseloadAssignment, ProviderAssignment, TeamMembership, TeamRole
from tandem.plans.models import Goal, PlanStatus

ALL = "*"

# Words of a goal's area each kind of provider answers for.
ROLE_AREAS: dict[str, tuple[str, ...]] = {
    TeamRole.CASE_MANAGER: (ALL,),
    TeamRole.SPECIAL_EDUCATION_TEACHER: (ALL,),
    TeamRole.ADMINISTRATOR: (ALL,),
    TeamRole.COORDINATOR_504: (ALL,),
    TeamRole.SPEECH_LANGUAGE: (
        "speech",
        "language",
        "articulation",
        "communication",
        "fluency",
        "voice",
        "pragmatic",
    ),
    TeamRole.OCCUPATIONAL_THERAPIST: ("fine motor", "motor", "handwriting", "sensory", "self-care"),
    TeamRole.PHYSICAL_THERAPIST: ("gross motor", "mobility", "motor"),
    TeamRole.PSYCHOLOGIST: ("social", "behavior", "emotional"),
    TeamRole.COUNSELOR: ("social", "behavior", "emotional", "transition"),
    TeamRole.SOCIAL_WORKER: ("social", "behavior", "emotional"),
    TeamRole.NURSE: ("health", "self-care"),
}

SERVICE_ROLES = (
    ("speech", TeamRole.SPEECH_LANGUAGE),
    ("language", TeamRole.SPEECH_LANGUAGE),
    ("occupational", TeamRole.OCCUPATIONAL_THERAPIST),
    ("physical", TeamRole.PHYSICAL_THERAPIST),
    ("counsel", TeamRole.COUNSELOR),
    ("psycholog", TeamRole.PSYCHOLOGIST),
    ("behavior", TeamRole.PSYCHOLOGIST),
)


def role_for_service(service_area: str) -> str | None:
    text = service_area.lower()
    return next((role for word, role in SERVICE_ROLES if word in text), None)


def area_matches(area: str, words: set[str]) -> bool:
    if ALL in words:
        return True
    text = area.lower()
    return any(word in text for word in words)


def responsible_goals(user: User, *, today: date | None = None) -> list[Goal]:
    """Goals of active plans the user records data for, by student name then goal (5 queries)."""
    day = today or clock.today()
    s = standing(user, today=day)
    if s.staff_id is None:
        return []
    words: dict[int, set[str]] = defaultdict(set)
    for student_id in (
        CaseloadAssignment.objects.active_on(day)
        .filter(staff_id=s.staff_id)
        .values_list("student_id", flat=True)
    ):
        words[student_id].add(ALL)
    for student_id, role in (
        TeamMembership.objects.active_on(day)
        .filter(staff_id=s.staff_id)
        .values_list("student_id", "role")
    ):
        words[student_id].update(ROLE_AREAS.get(role, ()))
    for student_id, service in (
        ProviderAssignment.objects.active_on(day)
        .filter(staff_id=s.staff_id)
        .values_list("student_id", "service_area")
    ):
        role = role_for_service(service)
        words[student_id].update(ROLE_AREAS.get(role, ()) if role else ())
    words = {k: v for k, v in words.items() if v}
    if not words:
        return []
    writable = students_with(user, Cap.RECORD_PROGRESS, today=day).filter(pk__in=list(words))
    goals = (
        Goal.objects.filter(plan__status=PlanStatus.ACTIVE, plan__student__in=writable)
        .select_related("plan__student__district", "plan__student__school")
        .order_by(
            "plan__student__legal_last_name",
            "plan__student__legal_first_name",
            "plan__student_id",
            "id",
        )
    )
    return [g for g in goals if area_matches(g.area, words[g.plan.student_id])]
