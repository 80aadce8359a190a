"""Demo providers (issue 12): profiles, contracts, licences, teletherapy consent and a day.

- BrightPath's teletherapist (teletherapist@brightpath.example) works by teletherapy from her
  own time zone (Mountain), under a BrightPath contract with each district, with a California
  licence that expires within 60 days (so it shows on the leaders' "Licences to renew" page)
  and a Texas one. Her discipline follows the students she is assigned (the demo world gives
  her occupational therapy mandates; speech would make her an SLP with CCC-SLP).
- Riverside's SLP (slp@riverside.example) works in person, a district employee (no contract).
- Oak Valley requires the parent's consent to teletherapy: all but one of her Oak Valley
  students have it recorded, so her day shows one session without it.
- Her day of sessions: four teletherapy sessions on the demo's last school day, two in each
  district, each with its https join link and on-site facilitator.

Written through the same actions the pages use (audited); does nothing when already seeded.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time, timedelta
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404

from tandem.accounts.models import User
from tandem.core import clock
from tandem.demo import referrals as referrals_demo
from tandem.demo import world as people_demo
from tandem.people.models import ProviderAssignment
from tandem.services import actions, actions_providers
from tandem.services.actions import Attendee
from tandem.services.actions_providers import ProfileInput
from tandem.services.models import (
    AttendanceCode,
    Discipline,
    Modality,
    ProviderLicence,
    ProviderModality,
    ProviderProfile,
    ServiceSettings,
    StudentLocation,
)
from tandem.services.queries import services_to_log

AGENCY = "BrightPath Therapy"
# Valid NPIs (the CMS check digit) for the demo's two providers.
TELETHERAPIST_NPI = "1234567893"
SLP_NPI = "1987654328"
SESSION_TIMES = (time(9, 0), time(13, 0))  # school time, one session of each district each


def _user(email: str) -> User | None:
    return User.objects.filter(email=email).select_related("staff").first()


def _last_school_day(today: date) -> date:
    day = today
    while day.weekday() >= 5:
        day -= timedelta(days=1)
    return day


def _discipline(staff: Any) -> tuple[str, str]:
    areas = " ".join(
        ProviderAssignment.objects.filter(staff=staff).values_list("service_area", flat=True)
    ).lower()
    if "speech" in areas:
        return Discipline.SLP, "CCC-SLP"
    return Discipline.OT, "OTR/L"


def _profiles(tele: User, slp: User, director: User) -> None:
    discipline, credentials = _discipline(tele.staff)
    actions_providers.save_profile(
        actor=director,
        staff=tele.staff,
        data=ProfileInput(
            discipline=discipline,
            credentials=credentials,
            npi=TELETHERAPIST_NPI,
            modality=ProviderModality.TELETHERAPY,
            weekly_capacity=1500,
            time_zone="America/Denver",
            working_days="0,1,2,3,4",
            day_starts=time(7, 0),
            day_ends=time(15, 30),
            languages="English, Spanish",
        ),
    )
    actions_providers.save_profile(
        actor=director,
        staff=slp.staff,
        data=ProfileInput(
            discipline=Discipline.SLP,
            credentials="CCC-SLP",
            npi=SLP_NPI,
            modality=ProviderModality.IN_PERSON,
            weekly_capacity=1800,
            time_zone="America/Los_Angeles",
            day_starts=time(7, 45),
            day_ends=time(15, 15),
            languages="English, Tamil",
        ),
    )


def _contracts_and_licences(tele: User, leaders: dict[Any, User], today: date) -> None:
    school_year_end = date(today.year + (1 if today.month >= 7 else 0), 6, 30)
    for district, leader in leaders.items():
        actions_providers.add_contract(
            actor=leader,
            staff=tele.staff,
            district=district,
            agency=AGENCY,
            start_date=date(school_year_end.year - 1, 7, 1),
            end_date=school_year_end if district.state == "CA" else None,
        )
    ProviderLicence.objects.get_or_create(
        staff=tele.staff,
        state="CA",
        number="OT 118204",
        defaults={
            "credentials": "OTR/L",
            "issued": date(2019, 3, 1),
            "expires": today + timedelta(days=41),
        },
    )
    ProviderLicence.objects.get_or_create(
        staff=tele.staff,
        state="TX",
        number="1029384",
        defaults={"credentials": "OTR/L", "issued": date(2021, 5, 1), "expires": date(2028, 5, 31)},
    )


def _consents(tele: User, leaders: dict[Any, User], today: date) -> None:
    for district, leader in leaders.items():
        if district.state != "TX":
            continue
        ServiceSettings.objects.update_or_create(
            district=district, defaults={"teletherapy_consent_required": True}
        )
        assigned = (
            ProviderAssignment.objects.filter(staff=tele.staff, district=district)
            .select_related("student")
            .order_by("student__legal_last_name", "student_id")
        )
        for assignment in list(assigned)[1:]:  # the first has none recorded yet
            actions_providers.record_teletherapy_consent(
                actor=leader, student=assignment.student, given=True, on=today - timedelta(days=60)
            )


def _day(tele: User, day: date) -> int:
    services = services_to_log(tele, today=day)
    by_district: dict[int, list[Any]] = {}
    for service in services:
        by_district.setdefault(service.plan.student.district_id, []).append(service)
    logged = 0
    for line in by_district.values():
        for start, service in zip(SESSION_TIMES, line, strict=False):
            student = service.plan.student
            # On Fridays the students join from home with a parent beside them (Medicaid's place
            # of service 10); the rest of the week from school with the paraeducator (02).
            at_home = day.weekday() == 4
            try:
                with clock.fixed(day), transaction.atomic():
                    actions.log_session(
                        actor=tele,
                        day=day,
                        start_time=start,
                        minutes=30,
                        attendees=[Attendee(student, service, AttendanceCode.DELIVERED)],
                        modality=Modality.TELETHERAPY,
                        platform="Zoom",
                        join_url=f"https://brightpath.example/room/{student.public_id.hex[:10]}",
                        facilitator="A parent at home" if at_home else "Ms. Alvarez (paraeducator)",
                        student_location=StudentLocation.HOME
                        if at_home
                        else StudentLocation.SCHOOL,
                        note="Fine-motor work on a shared whiteboard; the facilitator set up the tools.",
                    )
                logged += 1
            except (ValidationError, Http404, PermissionDenied):
                continue  # a clash with a session already logged, or not on her list that day
    return logged


def seed(*, log: Callable[[str], None] = lambda _: None) -> None:
    """Profiles, contracts, licences, teletherapy consent and the teletherapist's day."""
    tele, slp = _user(people_demo.TELETHERAPIST), _user(people_demo.SLP)
    director, oak = _user(people_demo.DIRECTOR), _user(people_demo.OAK_VALLEY_DIRECTOR)
    if None in (tele, slp, director, oak) or not hasattr(tele, "staff"):
        log("  providers: the demo's providers are missing")
        return
    assert tele is not None and slp is not None and director is not None and oak is not None
    if ProviderProfile.objects.filter(staff=tele.staff).exists():
        log("  providers: nothing to add")
        return
    today = referrals_demo.demo_today(clock.today())
    leaders = {
        director.staff.roles.first().district: director,  # type: ignore[union-attr]
        oak.staff.roles.first().district: oak,  # type: ignore[union-attr]
    }
    with clock.fixed(today), transaction.atomic():
        _profiles(tele, slp, director)
        _contracts_and_licences(tele, leaders, today)
        _consents(tele, leaders, today)
    logged = _day(tele, _last_school_day(today))
    log(f"  providers: 2 profiles, 2 contracts, {logged} teletherapy sessions on the day")
