"""What the meeting actions share: the lock, the refusal, the clock and the district's day.

The actions are the only write path for meetings, by job: `actions_scheduling.py` proposing,
moving and cancelling a meeting; `actions_notices.py` the notice, the outbox and reminders;
`actions_answers.py` the family's answer; `actions_record.py` excusals, holding the meeting, next
steps and minutes.

Every action takes the acting user first and asks the capability matrix (`require`: 404 out of
reach, 403 without the capability): scheduling, notices, excusals, attendance and minutes need
`Cap.SCHEDULE_MEETINGS`; a family's answer needs `Cap.ACT_AS_FAMILY`. It validates, writes in
one transaction and records the audit event. A refusal is a ValidationError keyed by the form
field it is about, and changes nothing.
"""

from __future__ import annotations

import zoneinfo
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.utils import timezone

from tandem.accounts.models import User
from tandem.core import clock
from tandem.people.models import Staff, Student

from .models import Meeting


def lock_meeting(meeting: Meeting) -> Meeting:
    return (
        Meeting.objects.select_for_update(of=("self",))
        .select_related("student__district", "student__school")
        .get(pk=meeting.pk)
    )


def refuse(field_name: str, message: str) -> ValidationError:
    return ValidationError({field_name: [message]})


def now_or_clock(now: datetime | None) -> datetime:
    return now or clock.now()


def local_day(student: Student, moment: datetime) -> date:
    return timezone.localtime(moment, zone_of(student)).date()


def zone_of(student: Student) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(student.district.time_zone)


def staff_of(user: User) -> Staff | None:
    try:
        return user.staff  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - a user without a staff profile
        return None
