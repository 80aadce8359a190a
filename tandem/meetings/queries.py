"""Reads for the meeting pages, the student page, the portal and the API.

No read here decides access: the pages fetch one meeting through the shared gatekeeper
(`tandem.access.gatekeepers.access_owned`, with `meetings_with_people()` as the source), and the
lists are scoped by the policy's `students_visible_to`.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Prefetch, Q, QuerySet

from tandem.access.policy import schools_led_by, standing, students_visible_to
from tandem.accounts.models import User
from tandem.core import clock
from tandem.people.models import Student
from tandem.plans.models import Plan, PlanKind, PlanStatus

from .models import (
    OPEN_STATUSES,
    Meeting,
    MeetingInvitee,
    MeetingKind,
    MeetingStatus,
    Response,
)
from .rules import SECTION_504_KINDS


def _with_people(qs: QuerySet[Meeting]) -> QuerySet[Meeting]:
    return qs.select_related(
        "student__school", "student__district", "organizer__user"
    ).prefetch_related(
        Prefetch(
            "invitees",
            queryset=MeetingInvitee.objects.select_related("staff__user", "guardian", "excusal"),
        ),
        "time_options",
    )


def meetings_with_people() -> QuerySet[Meeting]:
    """Meetings with their student, organizer, invitees and times: one page's worth of reads."""
    return _with_people(Meeting.objects.all())


def upcoming_for_student(student: Student, *, now: datetime | None = None) -> list[Meeting]:
    """The student's meetings not yet held (proposed or scheduled, ending after now), soonest first.

    The caller has already passed the access policy for `student`.
    """
    moment = now or clock.now()
    return list(
        _with_people(
            Meeting.objects.filter(
                student=student, status__in=OPEN_STATUSES, ends_at__gt=moment
            ).order_by("starts_at", "id")
        )
    )


def meetings_for_student(student: Student) -> list[Meeting]:
    return list(_with_people(Meeting.objects.filter(student=student).order_by("-starts_at", "-id")))


def overlapping_invitations(
    starts_at: datetime,
    ends_at: datetime,
    *,
    staff_ids: Sequence[int] = (),
    guardian_ids: Sequence[int] = (),
    exclude: Meeting | None = None,
) -> list[MeetingInvitee]:
    """Invitations of these people to other open meetings overlapping [starts_at, ends_at)."""
    who = Q(pk__in=[])
    if staff_ids:
        who |= Q(staff_id__in=list(staff_ids))
    if guardian_ids:
        who |= Q(guardian_id__in=list(guardian_ids))
    qs = (
        MeetingInvitee.objects.filter(who)
        .filter(
            meeting__status__in=OPEN_STATUSES,
            meeting__starts_at__lt=ends_at,
            meeting__ends_at__gt=starts_at,
        )
        .exclude(response=Response.DECLINED)
        .select_related("meeting", "staff__user", "guardian")
        .order_by("meeting__starts_at", "id")
    )
    if exclude is not None:
        qs = qs.exclude(meeting=exclude)
    return list(qs)


@dataclass
class Conflict:
    person: str
    other: Meeting
    during: str


def conflicts_of(meeting: Meeting) -> list[MeetingInvitee]:
    """Invitees of `meeting` who are also invited to another open meeting at the same time."""
    invitees = list(meeting.invitees.all())
    return overlapping_invitations(
        meeting.starts_at,
        meeting.ends_at,
        staff_ids=[i.staff_id for i in invitees if i.staff_id],
        guardian_ids=[i.guardian_id for i in invitees if i.guardian_id],
        exclude=meeting,
    )


def meetings_for_user(
    user: User,
    *,
    scope: str = "upcoming",
    kind: str = "",
    status: str = "",
    school_id: int | None = None,
    now: datetime | None = None,
) -> QuerySet[Meeting]:
    """Meetings the user organizes, is invited to, or oversees (school leaders), in reach.

    `scope`: "upcoming" (not ended, not cancelled), "past", or "all".
    """
    moment = now or clock.now()
    s = standing(user)
    mine = Q(pk__in=[])
    if s.staff_id is not None:
        mine |= Q(organizer_id=s.staff_id) | Q(invitees__staff_id=s.staff_id)
    if s.guardian_id is not None:
        mine |= Q(invitees__guardian_id=s.guardian_id)
    led = schools_led_by(user).values("pk")
    mine |= Q(student__school_id__in=led)
    qs = Meeting.objects.filter(mine).filter(student__in=students_visible_to(user)).distinct()
    if scope == "upcoming":
        qs = qs.filter(ends_at__gt=moment).exclude(status=MeetingStatus.CANCELLED)
        qs = qs.order_by("starts_at", "id")
    elif scope == "past":
        qs = qs.filter(Q(ends_at__lte=moment) | Q(status=MeetingStatus.CANCELLED)).order_by(
            "-starts_at", "-id"
        )
    else:
        qs = qs.order_by("-starts_at", "-id")
    if kind in MeetingKind.values:
        qs = qs.filter(kind=kind)
    if status in MeetingStatus.values:
        qs = qs.filter(status=status)
    if school_id:
        qs = qs.filter(student__school_id=school_id)
    return qs.select_related("student__school", "student__district").prefetch_related("invitees")


def awaiting_answer(meeting: Meeting) -> list[MeetingInvitee]:
    return [i for i in meeting.invitees.all() if i.guardian_id and i.response == Response.PENDING]


def guardian_invitee(user: User, meeting: Meeting) -> MeetingInvitee | None:
    s = standing(user)
    if s.guardian_id is None:
        return None
    return next((i for i in meeting.invitees.all() if i.guardian_id == s.guardian_id), None)


def plan_for_meeting(student: Student, kind: str) -> Plan | None:
    """The plan a meeting is about: the active one (or the draft for an initial IEP / 504)."""
    plan_kind = (
        PlanKind.SECTION_504
        if kind in SECTION_504_KINDS
        else None
        if kind == MeetingKind.OTHER
        else PlanKind.IEP
    )
    active = Plan.objects.active_for(student, kind=plan_kind)
    if active is not None:
        return active
    plans = Plan.objects.filter(student=student)
    if plan_kind is not None:
        plans = plans.filter(kind=plan_kind)
    live = plans.exclude(status__in=[PlanStatus.ENDED, PlanStatus.SUPERSEDED, PlanStatus.DISCARDED])
    return live.order_by("-created_at").first()
