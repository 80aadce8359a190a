"""Writers for service delivery: a provider logs (and signs) a session for one or more students.

Every refusal names its field and saves nothing (the whole submission is one transaction).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from tandem import audit
from tandem.access.capabilities import Cap
from tandem.access.policy import require
from tandem.audit.catalogue import Action
from tandem.core import clock
from tandem.people.models import Student
from tandem.plans.models import PlanStatus, Service
from tandem.services import compensatory
from tandem.services.models import (
    AttendanceCode,
    Modality,
    ProviderLicence,
    ServiceSession,
    SessionAddendum,
    SessionAttendance,
)

# District settings with their defaults until districts carry them (SERVICES.md NOTE-2: a note
# more than 7 days after the service is late; a school day of 7 hours bounds one session).
LATE_AFTER_DAYS = 7
SCHOOL_DAY_MINUTES = 420
NOT_HELD = frozenset(
    {
        AttendanceCode.STUDENT_ABSENT,
        AttendanceCode.STUDENT_REFUSED,
        AttendanceCode.STUDENT_UNAVAILABLE,
        AttendanceCode.PROVIDER_ABSENT,
        AttendanceCode.PROVIDER_UNAVAILABLE,
        AttendanceCode.SCHOOL_CLOSED,
        AttendanceCode.FACILITATOR_MISSING,
        AttendanceCode.NO_SCHOOL,
    }
)


@dataclass(frozen=True)
class Attendee:
    """One student in the submission: the plan service (line) served and their outcome."""

    student: Student
    service: Service
    code: str
    minutes: int | None = None  # None: the session's minutes when held, 0 when not
    makes_up: SessionAttendance | None = None  # MAKEUP: the student's missed row it replaces
    makeup_field: str = "makeup"  # the field a refusal about the makeup names


def active_service(student: Student, lineage: Any, day: date) -> Service | None:
    """The version of a service line in force for `student` on `day`, if any."""
    return (
        Service.objects.filter(
            lineage=lineage, plan__student=student, plan__status=PlanStatus.ACTIVE
        )
        .filter(Q(start_date__isnull=True) | Q(start_date__lte=day))
        .filter(Q(end_date__isnull=True) | Q(end_date__gte=day))
        .first()
    )


def _licence_for(provider: Any, state: str, day: date) -> ProviderLicence | None:
    return (
        ProviderLicence.objects.filter(staff=provider, state=state, expires__gte=day)
        .order_by("-expires")
        .first()
    )


def _overlapping(provider: Any, day: date, start: time, minutes: int) -> ServiceSession | None:
    begin = datetime.combine(day, start)
    end = begin + timedelta(minutes=minutes)
    for other in ServiceSession.objects.filter(provider=provider, day=day):
        other_begin = datetime.combine(day, other.start_time)
        if other_begin < end and begin < other_begin + timedelta(minutes=other.minutes):
            return other
    return None


@transaction.atomic
def log_session(
    *,
    actor: Any,
    day: date,
    start_time: time,
    minutes: int,
    attendees: list[Attendee],
    modality: str = Modality.IN_PERSON,
    platform: str = "",
    minutes_lost: int = 0,
    note: str = "",
    makeup_of: ServiceSession | None = None,
    sign: bool = True,
) -> ServiceSession:
    """Log one session for one student or a group, signed with the licence held that day."""
    provider = actor.staff
    # Reach first: a student outside the provider's assignment is not found (404), a read-only
    # tie (a roster teacher) is refused (403), before anything about the input is said.
    for attendee in attendees:
        require(actor, attendee.student, Cap.RECORD_PROGRESS)
    today = clock.today()
    if not attendees:
        raise ValidationError({"students": _("Choose at least one student.")})
    if day > today:
        raise ValidationError({"day": _("The session date is in the future.")})
    if minutes < 1 or minutes > SCHOOL_DAY_MINUTES:
        raise ValidationError(
            {
                "minutes": _("Minutes must be between 1 and %(most)s (a school day).")
                % {"most": SCHOOL_DAY_MINUTES}
            }
        )
    if minutes_lost > minutes:
        raise ValidationError(
            {"minutes_lost": _("Minutes lost cannot be more than the session's minutes.")}
        )
    other = _overlapping(provider, day, start_time, minutes)
    if other is not None:
        raise ValidationError(
            {
                "start_time": _(
                    "You already have a session at that time: %(day)s at %(start)s, %(minutes)s minutes."
                )
                % {
                    "day": other.day.isoformat(),
                    "start": other.start_time.strftime("%H:%M"),
                    "minutes": other.minutes,
                }
            }
        )
    signed_licence = ""
    signed_credentials = ""
    for attendee in attendees:
        student = attendee.student
        name = student.first_name
        if attendee.code not in AttendanceCode.values:
            raise ValidationError(
                {"code": _("Choose an attendance code for %(name)s.") % {"name": name}}
            )
        if active_service(student, attendee.service.lineage, day) is None:
            raise ValidationError(
                {
                    "students": _("%(name)s has no active mandate for this service on that date.")
                    % {"name": name}
                }
            )
        compensatory.check_makeup(
            student=student,
            lineage=attendee.service.lineage,
            code=attendee.code,
            missed=attendee.makes_up,
            day=day,
            key=attendee.makeup_field,
        )
        state = student.district.state
        licence = _licence_for(provider, state, day)
        if modality == Modality.TELETHERAPY and licence is None:
            raise ValidationError(
                {
                    "modality": _(
                        "Your licence does not cover %(state)s on that date (none, or lapsed): "
                        "no teletherapy with %(name)s."
                    )
                    % {"state": state, "name": name}
                }
            )
        lapsed = ProviderLicence.objects.filter(staff=provider, state=state, expires__lt=day)
        if licence is None and lapsed.exists():
            raise ValidationError(
                {"day": _("Your %(state)s licence had lapsed on that date.") % {"state": state}}
            )
        if licence is not None and not signed_licence:
            signed_licence = f"{licence.state} {licence.number}"
            signed_credentials = licence.credentials
    now = clock.now()
    session = ServiceSession.objects.create(
        created_by=actor,
        provider=provider,
        day=day,
        start_time=start_time,
        minutes=minutes,
        modality=modality,
        platform=platform if modality == Modality.TELETHERAPY else "",
        minutes_lost=minutes_lost,
        note=note,
        late=(today - day).days > LATE_AFTER_DAYS,
        makeup_of=makeup_of,
        signed_at=now if sign else None,
        signed_licence=signed_licence,
        signed_credentials=signed_credentials,
    )
    for attendee in attendees:
        held = attendee.code not in NOT_HELD
        counted = attendee.minutes if attendee.minutes is not None else (minutes if held else 0)
        if attendee.code == AttendanceCode.TECH_FAILURE and attendee.minutes is None:
            counted = max(0, minutes - minutes_lost)
        SessionAttendance.objects.create(
            session=session,
            student=attendee.student,
            service=attendee.service,
            lineage=attendee.service.lineage,
            code=attendee.code,
            minutes=counted,
            makes_up=attendee.makes_up,
        )
        audit.record(
            actor=actor,
            action=Action.SERVICE_SESSION__LOGGED,
            student=attendee.student,
            target=session,
            detail={"code": attendee.code, "minutes": counted}
            | ({"makes_up": str(attendee.makes_up.session.public_id)} if attendee.makes_up else {}),
        )
        if sign:
            audit.record(
                actor=actor,
                action=Action.SERVICE_SESSION__SIGNED,
                student=attendee.student,
                target=session,
            )
    return session


@transaction.atomic
def add_addendum(*, actor: Any, session: ServiceSession, reason: str, text: str) -> SessionAddendum:
    """A correction to a signed log: a new row with its reason, never an edit."""
    students = [row.student for row in session.attendance.select_related("student__district")]
    for student in students:
        require(actor, student, Cap.RECORD_PROGRESS)
    if not reason.strip():
        raise ValidationError({"reason": _("Give the reason for the correction.")})
    if not text.strip():
        raise ValidationError({"text": _("Write the correction.")})
    addendum = SessionAddendum.objects.create(
        created_by=actor, session=session, reason=reason.strip(), text=text.strip()
    )
    for student in students:
        audit.record(
            actor=actor,
            action=Action.SERVICE_SESSION__ADDENDUM_ADDED,
            student=student,
            target=session,
            detail={"reason": addendum.reason[:100]},
        )
    return addendum
