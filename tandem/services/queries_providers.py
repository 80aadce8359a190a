"""Reads for providers: who may see a profile, the licences to renew, the teletherapist's day.

A provider's profile is not a student's record: it is opened by the provider themself and by
the leaders (district administrators) and coordinators (504 coordinators, district-wide or at
a school) of a district the provider serves today: by a role there, a contract with it, or an
assignment to one of its students. Anyone else gets 404, as for a record out of reach.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.db.models import Q
from django.http import Http404

from tandem.access.policy import provider_assignments_in_force, standing, students_visible_to
from tandem.accounts.models import User
from tandem.core import clock
from tandem.people.models import Role, Staff, StaffRole
from tandem.services.models import (
    Modality,
    ProviderContract,
    ProviderLicence,
    ProviderProfile,
    ServiceSession,
    ServiceSettings,
    SessionAttendance,
    TeletherapyConsent,
)

EXPIRING_WITHIN_DAYS = 60
_COORDINATOR_ROLES = (Role.DISTRICT_ADMIN, Role.COORDINATOR_504)


def led_district_ids(user: User) -> frozenset[int]:
    """Districts the user administers today: they edit profiles and contracts there."""
    return standing(user).admin_district_ids


def coordinated_district_ids(user: User, *, today: date) -> frozenset[int]:
    """Districts where the user is an administrator or a 504 coordinator today."""
    s = standing(user, today=today)
    if s.staff_id is None:
        return frozenset()
    roles = StaffRole.objects.active_on(today).filter(
        staff_id=s.staff_id, role__in=_COORDINATOR_ROLES
    )
    return frozenset(roles.values_list("district_id", flat=True))


def _contract_in_force(today: date) -> Q:
    return Q(start_date__lte=today) & (Q(end_date__isnull=True) | Q(end_date__gte=today))


def served_district_ids(staff_ids: list[int], *, today: date) -> dict[int, set[int]]:
    """For each provider, the districts they serve today (3 queries for any number)."""
    served: dict[int, set[int]] = defaultdict(set)
    sources: list[Any] = [
        StaffRole.objects.active_on(today).filter(staff_id__in=staff_ids),
        ProviderContract.objects.filter(_contract_in_force(today), staff_id__in=staff_ids),
        provider_assignments_in_force(today).filter(staff_id__in=staff_ids),
    ]
    for rows in sources:
        for staff_id, district_id in rows.values_list("staff_id", "district_id"):
            served[staff_id].add(district_id)
    return served


@dataclass(frozen=True)
class ProfileStanding:
    """What the viewer may do with one provider's profile."""

    is_self: bool
    is_leader: bool  # an administrator of a district the provider serves
    can_read: bool

    @property
    def can_edit(self) -> bool:
        return self.is_self or self.is_leader

    @property
    def can_manage_contracts(self) -> bool:
        return self.is_leader


def profile_standing(user: User, staff: Staff, *, today: date | None = None) -> ProfileStanding:
    day = today or clock.today()
    is_self = standing(user, today=day).staff_id == staff.pk
    served = served_district_ids([staff.pk], today=day).get(staff.pk, set())
    is_leader = bool(served & led_district_ids(user))
    coordinates = bool(served & coordinated_district_ids(user, today=day))
    return ProfileStanding(is_self=is_self, is_leader=is_leader, can_read=is_self or coordinates)


def staff_in_reach(user: User, public_id: Any) -> tuple[Staff, ProfileStanding]:
    """The provider and the viewer's standing; 404 when the viewer may not read the profile."""
    staff = Staff.objects.select_related("user").filter(public_id=public_id).first()
    if staff is None:
        raise Http404
    decided = profile_standing(user, staff)
    if not decided.can_read:
        raise Http404
    return staff, decided


@dataclass
class ProfilePage:
    profile: ProviderProfile | None
    licences: list[ProviderLicence]
    contracts: list[ProviderContract]
    supervisees: list[ProviderProfile] = field(default_factory=list)


def profile_page(staff: Staff, user: User, *, today: date) -> ProfilePage:
    """The profile, the licences (latest first) and the contracts the viewer may see."""
    profile = ProviderProfile.objects.select_related("supervisor__user").filter(staff=staff).first()
    contracts = ProviderContract.objects.filter(staff=staff).select_related("district")
    if standing(user, today=today).staff_id != staff.pk:
        contracts = contracts.filter(district_id__in=coordinated_district_ids(user, today=today))
    return ProfilePage(
        profile=profile,
        licences=list(ProviderLicence.objects.filter(staff=staff).order_by("state", "-expires")),
        contracts=list(contracts.order_by("district__name", "-start_date")),
        supervisees=list(
            ProviderProfile.objects.filter(supervisor=staff).select_related("staff__user")
        ),
    )


# --- the coordinator's licences page -----------------------------------------------------------


@dataclass(frozen=True)
class LicenceRow:
    staff: Staff
    licence: ProviderLicence
    days_left: int  # negative: lapsed that many days ago

    @property
    def lapsed(self) -> bool:
        return self.days_left < 0

    @property
    def days_ago(self) -> int:
        return -self.days_left


def licences_to_renew(user: User, *, today: date) -> list[LicenceRow]:
    """Each provider's latest licence per state that lapsed or expires within 60 days.

    Providers of the districts the user coordinates; a renewed licence hides the old one.
    A fixed number of queries, however many providers (5).
    """
    districts = coordinated_district_ids(user, today=today)
    if not districts:
        return []
    by_role = StaffRole.objects.active_on(today).filter(district_id__in=districts)
    by_contract = ProviderContract.objects.filter(
        _contract_in_force(today), district_id__in=districts
    )
    by_assignment = provider_assignments_in_force(today).filter(district_id__in=districts)
    staff_ids = (
        set(by_role.values_list("staff_id", flat=True))
        | set(by_contract.values_list("staff_id", flat=True))
        | set(by_assignment.values_list("staff_id", flat=True))
    )
    latest: dict[tuple[int, str], ProviderLicence] = {}
    for licence in ProviderLicence.objects.filter(staff_id__in=staff_ids).select_related(
        "staff__user"
    ):
        key = (licence.staff_id, licence.state)
        if key not in latest or licence.expires > latest[key].expires:
            latest[key] = licence
    horizon = today + timedelta(days=EXPIRING_WITHIN_DAYS)
    rows = [
        LicenceRow(staff=lic.staff, licence=lic, days_left=(lic.expires - today).days)
        for lic in latest.values()
        if lic.expires <= horizon
    ]
    return sorted(rows, key=lambda r: (r.days_left, str(r.staff), r.licence.state))


# --- the teletherapist's day -------------------------------------------------------------------


@dataclass
class DayEntry:
    session: ServiceSession
    starts: datetime  # in the provider's time zone
    school_time: datetime  # in the school's (district's) time zone
    attendance: list[SessionAttendance]
    consent: dict[int, str]  # student pk -> "not_required" | "given" | "withdrawn" | "missing"

    @property
    def first(self) -> SessionAttendance:
        return self.attendance[0]

    @property
    def rows(self) -> list[tuple[SessionAttendance, str]]:
        return [(row, self.consent[row.student_id]) for row in self.attendance]


def _consents(rows: list[SessionAttendance], day: date) -> dict[int, str]:
    """Each student's teletherapy consent on `day`, where their district requires it."""
    district_of = {row.student_id: row.student.district_id for row in rows}
    required = set(
        ServiceSettings.objects.filter(
            district_id__in=set(district_of.values()), teletherapy_consent_required=True
        ).values_list("district_id", flat=True)
    )
    answers: dict[int, str] = {}
    for consent in TeletherapyConsent.objects.filter(
        student_id__in=list(district_of), on__lte=day
    ).order_by("on", "id"):
        if consent.district_id == district_of[consent.student_id]:
            answers[consent.student_id] = "given" if consent.given else "withdrawn"
    return {
        row.student_id: (
            answers.get(row.student_id, "missing")
            if district_of[row.student_id] in required
            else "not_required"
        )
        for row in rows
    }


def teletherapy_day(user: User, *, day: date, zone: str) -> list[DayEntry]:
    """The provider's sessions on `day` in every district they serve, in their own time order.

    A session's start is the school's local time; each is shown in the provider's time zone
    too. Only students the provider may read today are listed (a district whose contract has
    ended shows nothing). A fixed number of queries, however many sessions (5).
    """
    s = standing(user)
    if s.staff_id is None:
        return []
    visible = students_visible_to(user).values("pk")
    rows = list(
        SessionAttendance.objects.filter(
            session__provider_id=s.staff_id, session__day=day, student__in=visible
        )
        .select_related("session", "student__school", "student__district")
        .order_by("session_id", "student__legal_last_name", "id")
    )
    consent = _consents(rows, day)
    mine = ZoneInfo(zone)
    grouped: dict[int, list[SessionAttendance]] = defaultdict(list)
    for row in rows:
        grouped[row.session_id].append(row)
    entries = []
    for attendance in grouped.values():
        session = attendance[0].session
        school_zone = ZoneInfo(attendance[0].student.district.time_zone)
        at_school = datetime.combine(day, session.start_time, tzinfo=school_zone)
        entries.append(
            DayEntry(
                session=session,
                starts=at_school.astimezone(mine),
                school_time=at_school,
                attendance=attendance,
                consent={row.student_id: consent[row.student_id] for row in attendance},
            )
        )
    return sorted(entries, key=lambda e: (e.starts, e.session.pk))


def is_teletherapy(entry: DayEntry) -> bool:
    return entry.session.modality == Modality.TELETHERAPY
