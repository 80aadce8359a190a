"""One teacher's concern waiting for the Riverside case manager (after the demo referrals).

David Brooks (teacher@riverside.example) raises a concern about a student of his grade 3
homeroom who is on Emily Chen's caseload (casemanager@riverside.example): new attention
concerns the IEP does not address. It waits for her on her home page ("Concerns to review"),
raised two days before demo today, through `concerns.raise_concern` like the page. The first
such student by name with no referral in progress; the same world gives the same concern.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

from tandem.access.capabilities import Cap
from tandem.access.policy import students_with
from tandem.accounts.models import User
from tandem.core import clock
from tandem.demo import personas
from tandem.people.models import CaseloadAssignment
from tandem.referrals import concerns
from tandem.referrals.models import AreaOfConcern, Referral, ReferralStatus

DESCRIPTION = (
    "Since October he leaves his seat several times in every lesson and finishes about half of "
    "his independent work. I moved his seat near me, gave him a checklist for each task and "
    "short movement breaks for four weeks; the checklist helped for a week, the rest did not. "
    "His reading group (in his IEP) goes well; this is in math and science."
)
IN_PROGRESS = (
    ReferralStatus.AWAITING_ACCEPTANCE,
    ReferralStatus.OPEN,
    ReferralStatus.IN_EVALUATION,
)


def seed_concern(anchor: date, *, log: Callable[[str], None] = lambda _: None) -> Referral | None:
    """Raise the demo concern as of `anchor` (demo today); None if no student fits."""
    users = {
        u.email: u for u in User.objects.filter(email__in=[personas.TEACHER, personas.CASE_MANAGER])
    }
    teacher, manager = users.get(personas.TEACHER), users.get(personas.CASE_MANAGER)
    if teacher is None or manager is None:
        return None
    raised = anchor - timedelta(days=2)
    caseload = CaseloadAssignment.objects.active_on(raised).filter(staff__user=manager)
    student = (
        students_with(teacher, Cap.RAISE_CONCERN, today=raised)
        .filter(pk__in=caseload.values("student_id"))
        .exclude(referrals__status__in=IN_PROGRESS)
        .order_by("legal_last_name", "legal_first_name", "id")
        .first()
    )
    if student is None:
        return None
    with clock.fixed(raised):
        referral = concerns.raise_concern(
            actor=teacher,
            student=student,
            areas_of_concern=[AreaOfConcern.ATTENTION, AreaOfConcern.BEHAVIOR],
            description=DESCRIPTION,
        )
    log(f"  1 teacher's concern waiting for {manager.email} ({student.display_name})")
    return referral
