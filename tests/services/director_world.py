"""Mandates for the director's numbers: Maya underserved, Leo unserved (no SLP), Ana served.

Each student has the shared active IEP (tests/progress: speech 30 minutes 2 times a week from
Wednesday 2025-09-10). No school calendar in the test world, so every weekday is a school day.
On TODAY (Wednesday 2025-10-01) the last four complete weeks run from 2025-09-01 to 2025-09-28
and owe 36 + 60 + 60 = 156 minutes.

* Maya (North): the SLP delivered 3 sessions of 4 and was out for the fourth (owed): 90 of 156.
* Leo (North): no speech-language pathologist is assigned: unserved, the shortage.
* Ana (South): 6 sessions delivered: 156 of 156 (a week's extra minutes do not carry over).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, time

from tandem.core import clock
from tandem.people.models import CaseloadAssignment, Student, TeamMembership, TeamRole
from tandem.services import actions
from tandem.services.actions import Attendee
from tandem.services.models import AttendanceCode
from tests.conftest import START
from tests.factories import make_staff, make_student
from tests.progress.conftest import active_iep

TODAY = date(2025, 10, 1)
D, OUT = AttendanceCode.DELIVERED, AttendanceCode.PROVIDER_ABSENT
MAYA_LOG = (
    (date(2025, 9, 15), D),
    (date(2025, 9, 17), D),
    (date(2025, 9, 22), OUT),
    (date(2025, 9, 24), D),
)
ANA_LOG = tuple((date(2025, 9, day), D) for day in (10, 12, 15, 17, 22, 24))


@dataclass
class Mandates:
    maya: object
    leo: object
    ana: object


def speech_of(world, student: Student):  # type: ignore[no-untyped-def]
    """An active IEP for `student` with the case manager on the caseload; its speech service."""
    cm = world.users["case_manager"].staff
    if student != world.maya:
        CaseloadAssignment.objects.create(staff=cm, student=student, start_date=START)
    plan = active_iep(world, student=student)
    return plan.services.get(name="Speech-language therapy")


def serve(slp_user, student: Student) -> None:
    TeamMembership.objects.create(
        staff=slp_user.staff, student=student, role=TeamRole.SPEECH_LANGUAGE, start_date=START
    )


def log(slp_user, service, student: Student, days, slot: int = 0) -> None:  # type: ignore[no-untyped-def]
    """Sessions of 30 minutes; each student's own `slot` in the SLP's day (no overlap)."""
    minutes = 8 * 60 + 35 * slot
    with clock.fixed(TODAY):
        for day, code in days:
            actions.log_session(
                actor=slp_user,
                day=day,
                start_time=time(minutes // 60, minutes % 60),
                minutes=30,
                attendees=[Attendee(student, service, code)],
                note="Articulation drill.",
            )


def make_slp(world):  # type: ignore[no-untyped-def]
    from tandem.people.models import Role

    staff = make_staff("slp@r.test", [(Role.PROVIDER, world.riverside, None)], first="Sally")
    world.users["slp"] = staff.user
    return staff.user


def mandates(world) -> Mandates:  # type: ignore[no-untyped-def]
    slp = make_slp(world)
    maya, leo, ana = (speech_of(world, s) for s in (world.maya, world.leo, world.ana))
    serve(slp, world.maya)
    serve(slp, world.ana)
    log(slp, maya, world.maya, MAYA_LOG)
    log(slp, ana, world.ana, ANA_LOG, slot=1)
    return Mandates(maya, leo, ana)


def more_students(world, slp_user, n: int) -> None:  # type: ignore[no-untyped-def]
    """`n` more North students with a served speech mandate and two logged sessions each."""
    for i in range(n):
        student = make_student(world.north, first=f"Kid{i}", last=f"Extra{i:02d}")
        service = speech_of(world, student)
        serve(slp_user, student)
        days = ((date(2025, 9, 15), D), (date(2025, 9, 22), OUT))
        log(slp_user, service, student, days, slot=2 + i)
