"""Medicaid reads: a student's consent record, and the export of signed sessions for billing.

**Consent** (34 CFR 300.154(d)(2)): `status_on(entries, day)` reads a student's dated entries
(`MedicaidConsent`: consent given, withdrawn, yearly notice, Medicaid ID) as they stood on a day.
Consent is in force from the day the parent signed until a withdrawal; a notice counts for a
year (365 days: "annually", 300.154(d)(2)(v)).

**Export**: one line per student per session in a district and a date range, built from
docs/services.md ("The Medicaid export") with the district's state profile (`medicaid_profiles`). `lines()` walks
the attendance rows in (student, day, time) order with `QuerySet.iterator()` and yields each as
billable or not with every reason found, so memory stays constant however many sessions: per
chunk of rows it loads the consent entries of that chunk's students only; the providers and their
licences in the district's state are read once. The CSV views stream what it yields.

Reasons a session cannot be billed (docs/services.md, "The Medicaid export"):
no consent on file, consent withdrawn, no yearly notice in force, no Medicaid ID, the rendering
provider without an NPI, no licence in the state or one lapsed on the day, an assistant without a
supervisor (or a supervisor without an NPI), an assistant's session not co-signed by the
supervisor (NOTE-1), the log unsigned, the log entered late (after the district's
`late_after_days`) with no correction giving the reason (NOTE-2: "hold billing until a reason is
given"), no IEP or 504 plan in force on the
day (or a plan the state does not bill), a session not held (attendance), a consult, a service
with no procedure code in the profile, and too few minutes for one unit.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from typing import Any

from django.db.models import Count, Exists, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils.translation import gettext_lazy as _

from tandem.people.models import District, Student
from tandem.plans.models import PlanStatus
from tandem.services import medicaid_profiles as profiles
from tandem.services.director import discipline_of
from tandem.services.models import (
    AttendanceCode,
    MedicaidConsent,
    MedicaidEntryKind,
    Modality,
    ProviderLicence,
    SessionAddendum,
    SessionAttendance,
    SessionCoSignature,
    StudentLocation,
)

NOTICE_LASTS = timedelta(days=365)
CHUNK = 2000

# --- consent -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Status:
    """A student's public-insurance record as it stood on one day."""

    consent_on: date | None = None  # the consent in force (None: none, or withdrawn)
    consent_by: str = ""
    withdrawn_on: date | None = None  # the last withdrawal, if consent is not in force
    notice_on: date | None = None  # the last written notification on or before the day
    medicaid_id: str = ""

    @property
    def notice_due(self) -> date | None:
        """The day by which the next yearly notice is due (None when there has been none)."""
        return self.notice_on + NOTICE_LASTS if self.notice_on else None


def status_on(entries: Sequence[MedicaidConsent], day: date) -> Status:
    """The record on `day` from a student's entries (any order), and the latest Medicaid ID."""
    consent_on: date | None = None
    consent_by = ""
    withdrawn_on = notice_on = None
    medicaid_id = ""
    for entry in sorted(entries, key=lambda e: (e.on, e.pk or 0)):
        if entry.medicaid_id:
            medicaid_id = entry.medicaid_id  # the student's identifier, whenever it was recorded
        if entry.on > day:
            continue
        if entry.kind == MedicaidEntryKind.CONSENT:
            consent_on, withdrawn_on = entry.on, None
            consent_by = _by(entry)
        elif entry.kind == MedicaidEntryKind.WITHDRAWAL and consent_on is not None:
            consent_on, withdrawn_on, consent_by = None, entry.on, ""
        elif entry.kind == MedicaidEntryKind.NOTICE:
            notice_on = entry.on
    return Status(consent_on, consent_by, withdrawn_on, notice_on, medicaid_id)


def _by(entry: MedicaidConsent) -> str:
    user = entry.created_by if entry.created_by_id else None
    return (user.get_full_name() or user.email) if user is not None else ""


def entries_of(student: Student) -> list[MedicaidConsent]:
    """A student's entries, oldest first, with who recorded each (1 query)."""
    return list(
        MedicaidConsent.objects.filter(student=student)
        .select_related("created_by")
        .order_by("on", "id")
    )


def notice_current_on(status: Status, day: date) -> bool:
    return status.notice_on is not None and day - status.notice_on < NOTICE_LASTS


# --- the export ----------------------------------------------------------------------------------

NO_CONSENT, WITHDRAWN, NO_NOTICE, NO_MEDICAID_ID = (
    "no_consent",
    "consent_withdrawn",
    "no_notice",
    "no_medicaid_id",
)
NO_NPI, NO_LICENCE, LAPSED_LICENCE, NO_SUPERVISOR, SUPERVISOR_NO_NPI = (
    "no_npi",
    "no_licence",
    "lapsed_licence",
    "no_supervisor",
    "supervisor_no_npi",
)
NOT_COSIGNED = "not_cosigned"
LATE = "late_without_reason"
UNSIGNED, NO_PLAN, PLAN_NOT_BILLED, NOT_HELD, CONSULT, NO_CODE, UNDER_MINIMUM = (
    "unsigned",
    "no_plan_in_force",
    "plan_not_billed",
    "not_held",
    "consult",
    "no_procedure_code",
    "under_minimum",
)
REASONS: dict[str, Any] = {
    NO_CONSENT: _("No parental consent to bill public insurance on file"),
    WITHDRAWN: _("The parent withdrew consent to bill public insurance"),
    NO_NOTICE: _("No written notification to the parent in the past year"),
    NO_MEDICAID_ID: _("No Medicaid ID"),
    NO_NPI: _("The provider has no NPI"),
    NO_LICENCE: _("The provider holds no licence in the district's state"),
    LAPSED_LICENCE: _("The provider's licence had lapsed on the day"),
    NO_SUPERVISOR: _("An assistant's session without a supervisor"),
    SUPERVISOR_NO_NPI: _("The supervisor has no NPI"),
    NOT_COSIGNED: _("Not co-signed by the supervisor"),
    LATE: _("Logged late, with no reason given yet (add a correction that gives the reason)"),
    UNSIGNED: _("The session log is not signed"),
    NO_PLAN: _("No IEP or 504 plan with this service in force on the day"),
    PLAN_NOT_BILLED: _("The state does not bill this kind of plan"),
    NOT_HELD: _("The session was not held"),
    CONSULT: _("A consult, not a direct service"),
    NO_CODE: _("No procedure code for this service in the state profile"),
    UNDER_MINIMUM: _("Too few minutes for one unit"),
}
# Attendance whose minutes were direct time with the student (docs/services.md, "Attendance codes").
BILLABLE_CODES = frozenset(
    {
        AttendanceCode.DELIVERED,
        AttendanceCode.DELIVERED_PARTIAL,
        AttendanceCode.MAKEUP,
        AttendanceCode.COMPENSATORY,
        AttendanceCode.TECH_FAILURE,
    }
)
# The provider's discipline (tandem.services.models.Discipline): the assistants', for supervision.
_ASSISTANTS = frozenset({"slpa", "cota", "pta"})


@dataclass(slots=True)
class Provider:
    name: str
    npi: str
    credentials: str
    discipline: str
    supervisor_id: int | None
    licences: list[ProviderLicence] = field(default_factory=list)

    @property
    def is_assistant(self) -> bool:
        return self.discipline in _ASSISTANTS

    def licence_on(self, day: date) -> ProviderLicence | None:
        for licence in self.licences:  # newest expiry first
            if licence.expires >= day and (licence.issued is None or licence.issued <= day):
                return licence
        return None


@dataclass(slots=True)
class Line:
    """One student's part in one session, billable or not (with every reason)."""

    row: SessionAttendance
    student: Student
    start: time
    end: time
    minutes: int
    group_size: int
    discipline: str
    code: str = ""
    modifiers: list[str] = field(default_factory=list)
    units: int = 0
    place: str = ""
    provider: Provider | None = None
    licence: ProviderLicence | None = None
    supervisor: Provider | None = None
    supervisor_licence: ProviderLicence | None = None
    cosigned_licence: str | None = None  # the supervisor's licence at co-signature, if any
    status: Status = field(default_factory=Status)
    reasons: list[str] = field(default_factory=list)

    @property
    def billable(self) -> bool:
        return not self.reasons

    @property
    def session(self) -> Any:
        return self.row.session

    @property
    def plan(self) -> Any:
        return self.row.service.plan


def attendance_in(district: District, start: date, end: date) -> QuerySet[SessionAttendance]:
    """Every student's row of every session in the district between two dates (both included)."""
    return SessionAttendance.objects.filter(
        student__district=district, session__day__gte=start, session__day__lte=end
    )


# The columns a line reads: loading only these keeps a large month quick (models are costly).
_FIELDS = (
    "code",
    "minutes",
    "student_id",
    "session_id",
    "service_id",
    "session__public_id",
    "session__day",
    "session__start_time",
    "session__minutes",
    "session__modality",
    "session__signed_at",
    "session__needs_cosignature",
    "session__late",
    "session__provider_id",
    "student__legal_first_name",
    "student__legal_middle_name",
    "student__legal_last_name",
    "student__date_of_birth",
    "student__sis_id",
    "student__district_id",
    "service__name",
    "service__category",
    "service__start_date",
    "service__end_date",
    "service__plan_id",
    "service__plan__kind",
    "service__plan__status",
    "service__plan__effective_from",
    "service__plan__effective_to",
)


def _rows(district: District, start: date, end: date) -> QuerySet[SessionAttendance]:
    group = (
        SessionAttendance.objects.filter(session=OuterRef("session_id"))
        .values("session")
        .annotate(n=Count("id"))
        .values("n")
    )
    # The supervisor's licence at co-signature; None when the session has no co-signature.
    cosigned = SessionCoSignature.objects.filter(session=OuterRef("session_id")).values("licence")
    # A late log is held until a correction (an addendum, with its reason) explains it.
    explained = Exists(SessionAddendum.objects.filter(session=OuterRef("session_id")))
    return (
        attendance_in(district, start, end)
        .select_related("session", "student", "service__plan")
        .only(*_FIELDS)
        .annotate(group=Coalesce(Subquery(group, output_field=IntegerField()), 1))
        .annotate(cosigned_licence=Subquery(cosigned[:1]), explained=explained)
        .order_by("student_id", "session__day", "session__start_time", "session_id")
    )


def _providers(state: str) -> dict[int, Provider]:
    """Every provider with a profile or a licence, and their licences in `state` (2 queries)."""
    from tandem.services.models import ProviderProfile  # the providers' part (migration 0003)

    found: dict[int, Provider] = {}
    for profile in ProviderProfile.objects.select_related("staff__user"):
        user = profile.staff.user
        found[profile.staff_id] = Provider(
            name=user.get_full_name() or user.email,
            npi=profile.npi,
            credentials=profile.credentials,
            discipline=profile.discipline,
            supervisor_id=profile.supervisor_id,
        )
    for licence in (
        ProviderLicence.objects.filter(state=state)
        .select_related("staff__user")
        .order_by("staff_id", "-expires")
    ):
        if licence.staff_id not in found:
            user = licence.staff.user
            found[licence.staff_id] = Provider(
                name=user.get_full_name() or user.email,
                npi="",
                credentials=licence.credentials,
                discipline="",
                supervisor_id=None,
            )
        found[licence.staff_id].licences.append(licence)
    return found


def _provider(providers: dict[int, Provider], session: Any) -> Provider:
    if session.provider_id not in providers:  # no profile, no licence: nothing to bill by
        user = session.provider.user  # once per such provider, then kept
        providers[session.provider_id] = Provider(
            user.get_full_name() or user.email, "", "", "", None
        )
    return providers[session.provider_id]


def _plan_in_force(row: SessionAttendance, day: date) -> bool:
    service, plan = row.service, row.service.plan
    if plan.status not in (PlanStatus.ACTIVE, PlanStatus.SUPERSEDED, PlanStatus.ENDED):
        return False
    if plan.effective_from is None or plan.effective_from > day:
        return False
    if plan.effective_to is not None and plan.effective_to < day:
        return False
    if service.start_date is not None and service.start_date > day:
        return False
    return service.end_date is None or service.end_date >= day


def _end(start: time, minutes: int) -> time:
    return (datetime.combine(date(2000, 1, 1), start) + timedelta(minutes=minutes)).time()


def _chunks(rows: Iterable[SessionAttendance], size: int) -> Iterator[list[SessionAttendance]]:
    chunk: list[SessionAttendance] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) >= size:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def lines(district: District, start: date, end: date, *, chunk: int = CHUNK) -> Iterator[Line]:
    """Every student-session line of the district in the range, billable or with its reasons."""
    profile = profiles.profile_for(district.state)
    providers = _providers(district.state)
    # The student's minutes of one code earlier the same day (timed units add up by day).
    disciplines: dict[str, str] = {}
    day_key: tuple[int, date] | None = None
    day_minutes: dict[str, int] = {}
    rows = _rows(district, start, end).iterator(chunk_size=chunk)
    for batch in _chunks(rows, chunk):
        entries: dict[int, list[MedicaidConsent]] = {}
        for entry in MedicaidConsent.objects.filter(
            student_id__in={row.student_id for row in batch}
        ).select_related("created_by"):
            entries.setdefault(entry.student_id, []).append(entry)
        for row in batch:
            session = row.session
            if day_key != (row.student_id, session.day):
                day_key, day_minutes = (row.student_id, session.day), {}
            line = _line(
                row, profile, providers, entries.get(row.student_id, []), day_minutes, disciplines
            )
            yield line


def _line(
    row: SessionAttendance,
    profile: profiles.StateProfile,
    providers: dict[int, Provider],
    entries: list[MedicaidConsent],
    day_minutes: dict[str, int],
    disciplines: dict[str, str],
) -> Line:
    session, day = row.session, row.session.day
    minutes = row.minutes
    group = int(getattr(row, "group", 1) or 1)
    line = Line(
        row=row,
        student=row.student,
        start=session.start_time,
        end=_end(session.start_time, session.minutes),
        minutes=minutes,
        group_size=group,
        discipline=discipline_cached(disciplines, row.service),
    )
    reasons = line.reasons
    if session.signed_at is None:
        reasons.append(UNSIGNED)
    elif session.late and not getattr(row, "explained", False):
        reasons.append(LATE)
    line.cosigned_licence = getattr(row, "cosigned_licence", None)
    if session.needs_cosignature and line.cosigned_licence is None:
        reasons.append(NOT_COSIGNED)
    if row.code == AttendanceCode.CONSULT:
        reasons.append(CONSULT)
    elif row.code not in BILLABLE_CODES or minutes <= 0:
        reasons.append(NOT_HELD)
    if not _plan_in_force(row, day):
        reasons.append(NO_PLAN)
    elif line.plan.kind not in profile.plan_kinds:
        reasons.append(PLAN_NOT_BILLED)
    # Consent and notice, as they stood on the day (300.154(d)(2)(iv),(v)).
    status = line.status = status_on(entries, day)
    if status.consent_on is None:
        reasons.append(WITHDRAWN if status.withdrawn_on else NO_CONSENT)
    elif not notice_current_on(status, day):
        reasons.append(NO_NOTICE)
    if not status.medicaid_id:
        reasons.append(NO_MEDICAID_ID)
    # The rendering provider, and the supervisor of an assistant.
    provider = line.provider = _provider(providers, session)
    if not provider.npi:
        reasons.append(NO_NPI)
    line.licence = provider.licence_on(day)
    if line.licence is None:
        reasons.append(LAPSED_LICENCE if provider.licences else NO_LICENCE)
    if provider.is_assistant:
        supervisor = providers.get(provider.supervisor_id) if provider.supervisor_id else None
        line.supervisor = supervisor
        if supervisor is None:
            reasons.append(NO_SUPERVISOR)
        else:
            line.supervisor_licence = supervisor.licence_on(day)
            if not supervisor.npi:
                reasons.append(SUPERVISOR_NO_NPI)
    # Code, modifiers, place and units by the state's profile.
    procedure = profile.procedures.get((line.discipline, group > 1))
    if procedure is None:
        reasons.append(NO_CODE)
        return line
    earlier = day_minutes.get(procedure.code, 0)
    if not (set(reasons) & {NOT_HELD, CONSULT}):
        day_minutes[procedure.code] = earlier + minutes
    billed = profiles.bill(procedure, minutes, earlier, profile)
    line.code, line.units = billed.code, billed.units
    if billed.units == 0 and not (set(reasons) & {NOT_HELD, CONSULT}):
        reasons.append(UNDER_MINIMUM)
    modifiers = []
    if line.discipline in profile.discipline_modifiers:
        modifiers.append(profile.discipline_modifiers[line.discipline])
    if profile.iep_modifier and line.plan.kind == "iep":
        modifiers.append(profile.iep_modifier)
    if session.modality == Modality.TELETHERAPY:
        modifiers.append(profile.telehealth_modifier)
        at_home = session.student_location == StudentLocation.HOME
        line.place = profile.pos_telehealth_home if at_home else profile.pos_telehealth
    else:
        line.place = profile.pos_school
    line.modifiers = modifiers
    return line


def reason_words(line: Line) -> str:
    return "; ".join(str(REASONS[r]) for r in line.reasons)


def discipline_cached(cache: dict[str, str], service: Any) -> str:
    """`director.discipline_of`, once per service name and category (it reads the name's words)."""
    key = f"{service.category}|{service.name}"
    if key not in cache:
        cache[key] = discipline_of(service)
    return cache[key]
