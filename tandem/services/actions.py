"""Writers for service delivery: a provider logs (and signs) a session for one or more students.

Every refusal names its field and saves nothing (the whole submission is one transaction).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import OuterRef, Q, Subquery
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
    ASSISTANT_DISCIPLINES,
    AttendanceCode,
    Modality,
    ProviderLicence,
    ProviderProfile,
    ServiceSession,
    ServiceSettings,
    SessionAddendum,
    SessionAttendance,
    StudentLocation,
)

# The default of the district's setting `ServiceSettings.late_after_days` (docs/services.md NOTE-2: a
# note more than 7 days after the service is late); a school day of 7 hours bounds one session.
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
    # Goal data taken in the session: (goal, value as typed, the form field a refusal names).
    data: tuple[tuple[Any, str, str], ...] = ()


# The one measure a session log's single value fills, by the goal's metric (progress.measures).
VALUE_MEASURE = {
    "percent": "percent",
    "prompts": "percent",
    "rate": "rate_per_minute",
    "duration": "duration_seconds",
    "count": "count",
    "rubric": "rubric_level",
    "score": "score",
}


def _record_goal_data(actor: Any, session: ServiceSession, attendees: list[Attendee]) -> None:
    """The goals' data points of the session, through progress's one writer: all or none.

    A refusal names the form field, with the student and goal: "Maya Lopez — Articulation: ...".
    """
    from tandem.progress import actions as progress
    from tandem.progress.measures import metric_for

    entries, fields = [], []
    note = _("Session %(day)s") % {"day": session.day.isoformat()}
    for attendee in attendees:
        for goal, value, field in attendee.data:
            if attendee.code in NOT_HELD:
                raise ValidationError(
                    {
                        field: _("%(name)s was not present: no goal data.")
                        % {"name": attendee.student.display_name}
                    }
                )
            measure = VALUE_MEASURE.get(metric_for(goal).metric, "score")
            entries.append(progress.Entry(goal, {measure: value}, note, None, True))
            fields.append((field, f"{attendee.student.display_name} — {goal.area}"))
    if not entries:
        return
    try:
        progress.record_session(actor, taken_on=session.day, entries=entries)
    except ValidationError as error:
        errors: dict[str, list[str]] = {}
        for key, messages in error.message_dict.items():
            index = int(key.split(".", 1)[0]) if len(entries) > 1 else 0
            field, who = fields[index]
            errors.setdefault(field, []).extend(f"{who}: {m}" for m in messages)
        raise ValidationError(errors) from None


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


def _overlapping(
    provider: Any, day: date, start: time, minutes: int, zone: str = "UTC"
) -> ServiceSession | None:
    """The provider's session that overlaps this one, compared in absolute time.

    A session's start is its school's local time (`zone`, the student's district's time zone):
    a teletherapist's 9:00 in Texas and 9:00 in California are two hours apart, not a clash.
    """
    begin = datetime.combine(day, start, tzinfo=ZoneInfo(zone))
    end = begin + timedelta(minutes=minutes)
    zone_of = SessionAttendance.objects.filter(session=OuterRef("pk")).values(
        "student__district__time_zone"
    )[:1]
    others = ServiceSession.objects.filter(
        provider=provider, day__range=(day - timedelta(days=1), day + timedelta(days=1))
    ).annotate(zone=Subquery(zone_of))
    for other in others:
        other_begin = datetime.combine(
            other.day, other.start_time, tzinfo=ZoneInfo(other.zone or zone)
        )
        if other_begin < end and begin < other_begin + timedelta(minutes=other.minutes):
            return other
    return None


def late_after_days(district_id: int) -> int:
    """The district's setting: a log entered more than this many days after its session is late."""
    days = (
        ServiceSettings.objects.filter(district_id=district_id)
        .values_list("late_after_days", flat=True)
        .first()
    )
    return LATE_AFTER_DAYS if days is None else days


def _signs_as_assistant(provider: Any) -> bool:
    """Whether the provider signs as an assistant: their log then awaits a co-signature."""
    discipline = (
        ProviderProfile.objects.filter(staff=provider).values_list("discipline", flat=True).first()
    )
    return discipline in ASSISTANT_DISCIPLINES


def _check_join_url(join_url: str) -> None:
    """A teletherapy join link: a valid https address, or the session would go in the clear."""
    try:
        URLValidator(schemes=["https"])(join_url.strip())
    except ValidationError:
        raise ValidationError(
            {"join_url": _("The join link must be a full https:// address.")}
        ) from None


def _check_one_district(attendees: list[Attendee]) -> None:
    """A group's students are all of one district.

    The start time is the school's local time and the late mark, clash check and billing read
    the district: a group across districts (a teletherapist serving two) has no one answer.
    """
    first = attendees[0].student
    for attendee in attendees[1:]:
        if attendee.student.district_id != first.district_id:
            raise ValidationError(
                {
                    "students": _(
                        "One session is for students of one district: %(a)s is in %(da)s, "
                        "%(b)s in %(db)s. Log them as separate sessions."
                    )
                    % {
                        "a": first.display_name,
                        "da": first.district.name,
                        "b": attendee.student.display_name,
                        "db": attendee.student.district.name,
                    }
                }
            )


def _counted_minutes(attendee: Attendee, minutes: int, modality: str, minutes_lost: int) -> int:
    """The minutes a student got: none when not held; a teletherapy session less those lost.

    Minutes lost to the connection were not service (Medicaid counts direct time only, and
    never more than was given: docs/services.md NOTE-4), whatever the code; a technology failure
    counts them off in person too.
    """
    if attendee.minutes is not None:
        return attendee.minutes
    if attendee.code in NOT_HELD:
        return 0
    if modality == Modality.TELETHERAPY or attendee.code == AttendanceCode.TECH_FAILURE:
        return max(0, minutes - minutes_lost)
    return minutes


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
    join_url: str = "",
    facilitator: str = "",
    student_location: str = StudentLocation.SCHOOL,
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
    _check_one_district(attendees)
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
    if join_url:
        _check_join_url(join_url)
    if student_location not in StudentLocation.values:
        raise ValidationError(
            {"student_location": _("Choose where the student was: at school or at home.")}
        )
    zone = attendees[0].student.district.time_zone
    other = _overlapping(provider, day, start_time, minutes, zone)
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
        if licence is None and ProviderLicence.objects.filter(staff=provider).exists():
            # Licensed elsewhere only: a licence must cover the state the student is served in.
            raise ValidationError(
                {
                    "students": _("Your licences do not cover %(state)s: no session with %(name)s.")
                    % {"state": state, "name": name}
                }
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
        join_url=join_url.strip() if modality == Modality.TELETHERAPY else "",
        facilitator=facilitator.strip() if modality == Modality.TELETHERAPY else "",
        # In person is at school (the only place of service Tandem bills in person).
        student_location=(
            student_location if modality == Modality.TELETHERAPY else StudentLocation.SCHOOL
        ),
        note=note,
        late=(today - day).days > late_after_days(attendees[0].student.district_id),
        makeup_of=makeup_of,
        signed_at=now if sign else None,
        signed_licence=signed_licence,
        signed_credentials=signed_credentials,
        needs_cosignature=sign and _signs_as_assistant(provider),
    )
    for attendee in attendees:
        counted = _counted_minutes(attendee, minutes, modality, minutes_lost)
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
    _record_goal_data(actor, session, attendees)
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
