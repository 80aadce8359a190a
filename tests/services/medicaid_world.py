"""Maya's speech (Riverside, CA: the federal profile) with an SLP who can bill, and helpers.

Maya's active IEP (tests/progress): speech 30 minutes 2 times a week from 2025-09-10. The SLP
has an NPI and a California licence; the parent consented on 2025-09-01 and was given the
yearly notice the same day; the Medicaid ID is on the consent entry.
"""

from __future__ import annotations

from datetime import date, time

from tandem.core import clock
from tandem.rules import npi
from tandem.services import actions
from tandem.services.actions import Attendee
from tandem.services.models import (
    AttendanceCode,
    MedicaidConsent,
    MedicaidEntryKind,
    ProviderLicence,
    ProviderProfile,
)

TODAY = date(2025, 10, 1)


def an_npi(first_nine: str = "123456789") -> str:
    return first_nine + str(npi.check_digit(first_nine))


def billing_slp(slp_user, state: str = "CA", npi_number: str | None = None):  # type: ignore[no-untyped-def]
    ProviderProfile.objects.create(
        staff=slp_user.staff,
        discipline="slp",
        credentials="CCC-SLP",
        npi=an_npi() if npi_number is None else npi_number,
    )
    ProviderLicence.objects.create(
        staff=slp_user.staff,
        state=state,
        number="SLP1234",
        credentials="CCC-SLP",
        issued=date(2020, 1, 1),
        expires=date(2027, 1, 1),
    )
    return slp_user


def consent(student, by, on=date(2025, 9, 1), medicaid_id="MC12345678"):  # type: ignore[no-untyped-def]
    MedicaidConsent.objects.create(
        student=student,
        kind=MedicaidEntryKind.CONSENT,
        on=on,
        medicaid_id=medicaid_id,
        created_by=by,
    )
    MedicaidConsent.objects.create(
        student=student, kind=MedicaidEntryKind.NOTICE, on=on, created_by=by
    )


def log(
    user,
    day,
    service,
    student,
    *,
    start=time(9, 0),
    minutes=30,
    code=AttendanceCode.DELIVERED,
    others=(),
    logged_on=None,
    **extra,
):  # type: ignore[no-untyped-def]
    """Logs the session on its own day (on time), or on `logged_on` (late after 7 days)."""
    attendees = [Attendee(student, service, code)] + [Attendee(s, v, code) for s, v in others]
    with clock.fixed(logged_on or day):
        return actions.log_session(
            actor=user,
            day=day,
            start_time=start,
            minutes=minutes,
            attendees=attendees,
            note="Articulation drill.",
            **extra,
        )
