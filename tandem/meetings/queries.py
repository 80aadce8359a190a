"""Reads for the meeting pages, the student page, the portal and the API."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from django.db.models import Prefetch, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from tandem.access import audit
from tandem.access.models import User
from tandem.access.policy import (
    Need,
    access_student,
    parse_public_id,
    schools_led_by,
    standing,
    students_visible_to,
)
from tandem.people.models import Student

from .models import OPEN_STATUSES, Meeting, MeetingInvitee, MeetingKind, MeetingStatus


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


def upcoming_for_student(student: Student, *, now: datetime | None = None) -> list[Meeting]:
    """The student's meetings not yet held (proposed or scheduled, ending after now), soonest first.

    The caller has already passed the access policy for `student`.
    """
    moment = now or timezone.now()
    return list(
        _with_people(
            Meeting.objects.filter(
                student=student, status__in=OPEN_STATUSES, ends_at__gt=moment
            ).order_by("starts_at", "id")
        )
    )


def meetings_for_student(student: Student) -> list[Meeting]:
    return list(_with_people(Meeting.objects.filter(student=student).order_by("-starts_at", "-id")))


def access_meeting(
    user: User, meeting_id: object, *, need: Need = Need.READ, action: str | None = "meeting.viewed"
) -> Meeting:
    """The meeting if `user` may read (or change) its student; 404 otherwise. Audited."""
    key = parse_public_id(meeting_id)
    meeting = (
        Meeting.objects.filter(public_id=key)
        .only("pk", "student__public_id")
        .select_related("student")
        .first()
    )
    if meeting is None:
        raise Http404
    student = access_student(user, meeting.student.public_id, need=need, action=None)
    meeting = _with_people(Meeting.objects.filter(pk=meeting.pk)).get()
    meeting.student = student
    if action:
        audit.record(actor=user, action=action, student=student, target=meeting)
    return meeting


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
        .exclude(response="declined")
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
    moment = now or timezone.now()
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
    return [i for i in meeting.invitees.all() if i.guardian_id and i.response == "pending"]


def guardian_invitee(user: User, meeting: Meeting) -> MeetingInvitee | None:
    s = standing(user)
    if s.guardian_id is None:
        return None
    return next((i for i in meeting.invitees.all() if i.guardian_id == s.guardian_id), None)


def can_read_student(user: User, student: Student) -> bool:
    from tandem.access.policy import can

    return can(user, Need.READ, student)
