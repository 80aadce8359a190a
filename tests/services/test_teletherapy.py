"""The teletherapist's day across districts and time zones, consent, and licences to renew."""

from __future__ import annotations

from datetime import date, time

import pytest
from django.urls import reverse

from tandem.accounts.models import AuditEvent
from tandem.audit.catalogue import Action
from tandem.core import clock
from tandem.people.models import Role
from tandem.services.models import (
    AttendanceCode,
    Discipline,
    Modality,
    ProviderContract,
    ProviderLicence,
    ProviderModality,
    ProviderProfile,
    ServiceSession,
    ServiceSettings,
    SessionAttendance,
    TeletherapyConsent,
)
from tests.conftest import START
from tests.factories import make_staff

DAY = date(2026, 1, 14)
TODAY = date(2026, 1, 15)
DAY_URL = reverse("teletherapy_day")


def _session(world, student, service, start, **extra):  # type: ignore[no-untyped-def]
    olive = world.users["contractor"].staff
    session = ServiceSession.objects.create(
        created_by=olive.user,
        provider=olive,
        day=DAY,
        start_time=start,
        minutes=30,
        modality=Modality.TELETHERAPY,
        **extra,
    )
    SessionAttendance.objects.create(
        session=session,
        student=student,
        service=service,
        lineage=service.lineage,
        code=AttendanceCode.DELIVERED,
        minutes=30,
    )
    return session


@pytest.fixture
def day(world, speech):  # type: ignore[no-untyped-def]
    """Maya (Riverside, Pacific) at 8:00 and Sam (Oak Valley, Central) at 9:00, school time."""
    world.oak_valley.time_zone = "America/Chicago"
    world.oak_valley.save()
    olive = world.users["contractor"].staff
    ProviderProfile.objects.create(
        staff=olive,
        discipline=Discipline.SLP,
        modality=ProviderModality.TELETHERAPY,
        time_zone="America/New_York",
    )
    ServiceSettings.objects.create(district=world.oak_valley, teletherapy_consent_required=True)
    maya = _session(
        world,
        world.maya,
        speech,
        time(8, 0),
        join_url="https://meet.example/maya",
        facilitator="Ms. Aide",
    )
    sam = _session(world, world.sam, speech, time(9, 0), join_url="https://meet.example/sam")
    return maya, sam


def _get(world, persona, url=DAY_URL, **params):  # type: ignore[no-untyped-def]
    with clock.fixed(TODAY):
        return world.client_for(persona).get(url, params)


def test_the_day_lists_every_district_in_the_providers_time(world, day) -> None:  # type: ignore[no-untyped-def]
    response = _get(world, "contractor", day=DAY.isoformat())
    assert response.status_code == 200
    entries = response.context["entries"]
    # Sam's 9:00 in Chicago is 10:00 in New York, before Maya's 8:00 in Los Angeles (11:00).
    assert [e.first.student for e in entries] == [world.sam, world.maya]
    assert [e.starts.strftime("%H:%M") for e in entries] == ["10:00", "11:00"]
    assert [e.school_time.strftime("%H:%M") for e in entries] == ["09:00", "08:00"]
    html = response.content.decode()
    assert 'href="https://meet.example/maya"' in html and "Ms. Aide" in html
    assert "Prairie Elementary" in html and "Oak Valley School District" in html
    # Oak Valley requires the parent's consent and none is recorded; Riverside does not.
    assert entries[0].consent[world.sam.pk] == "missing"
    assert entries[1].consent[world.maya.pk] == "not_required"
    assert AuditEvent.objects.filter(action=Action.TELETHERAPY_DAY__VIEWED).count() == 2


def test_a_recorded_consent_shows_and_a_later_withdrawal_wins(world, day) -> None:  # type: ignore[no-untyped-def]
    director = world.users["oak_director"]
    TeletherapyConsent.objects.create(
        created_by=director, student=world.sam, district=world.oak_valley, on=date(2025, 9, 1)
    )
    entries = _get(world, "contractor", day=DAY.isoformat()).context["entries"]
    assert entries[0].consent[world.sam.pk] == "given"
    TeletherapyConsent.objects.create(
        created_by=director,
        student=world.sam,
        district=world.oak_valley,
        on=date(2026, 1, 10),
        given=False,
    )
    entries = _get(world, "contractor", day=DAY.isoformat()).context["entries"]
    assert entries[0].consent[world.sam.pk] == "withdrawn"


def test_an_ended_contract_takes_the_district_off_the_day(world, day) -> None:  # type: ignore[no-untyped-def]
    olive = world.users["contractor"].staff
    for district, end in ((world.riverside, date(2026, 1, 10)), (world.oak_valley, None)):
        ProviderContract.objects.create(
            created_by=world.users["director"],
            staff=olive,
            district=district,
            agency="BrightPath",
            start_date=START,
            end_date=end,
        )
    entries = _get(world, "contractor", day=DAY.isoformat()).context["entries"]
    assert [e.first.student for e in entries] == [world.sam]


def test_the_day_is_the_viewers_own_and_a_family_has_none(world, day) -> None:  # type: ignore[no-untyped-def]
    assert _get(world, "parent").status_code == 404
    assert _get(world, "stranger", day=DAY.isoformat()).context["entries"] == []
    bad = _get(world, "contractor", day="not-a-date")
    assert bad.status_code == 400 and "day" in bad.context["form"].errors


def test_the_day_does_not_grow_in_queries_with_sessions(
    world, day, speech, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    for hour in range(10, 15):
        _session(world, world.maya, speech, time(hour, 0))
    # Reads are fixed; each student listed is one audit insert.
    client = world.client_for("contractor")
    with clock.fixed(TODAY), django_assert_max_num_queries(16 + 7):
        response = client.get(DAY_URL, {"day": DAY.isoformat()})
    assert len(response.context["entries"]) == 7


def test_a_join_link_must_be_https(world) -> None:  # type: ignore[no-untyped-def]
    from django.core.exceptions import ValidationError

    session = ServiceSession(
        provider=world.users["contractor"].staff,
        created_by=world.users["contractor"],
        day=DAY,
        start_time=time(9, 0),
        minutes=30,
        join_url="http://meet.example/x",
    )
    with pytest.raises(ValidationError) as refused:
        session.full_clean()
    assert "join_url" in refused.value.message_dict


# --- the parent's consent, recorded by the case manager -----------------------------------------


def _consent_url(student) -> str:  # type: ignore[no-untyped-def]
    return reverse("teletherapy_consent", args=[student.public_id])


def _post(world, persona, url, data):  # type: ignore[no-untyped-def]
    with clock.fixed(TODAY):
        return world.client_for(persona).post(url, data)


def test_the_case_manager_records_the_parents_answer(world) -> None:  # type: ignore[no-untyped-def]
    url = _consent_url(world.maya)
    assert _get(world, "case_manager", url).status_code == 200
    response = _post(world, "case_manager", url, {"given": "yes", "on": "2026-01-12"})
    assert response.status_code == 302
    row = TeletherapyConsent.objects.get(student=world.maya)
    assert (row.given, row.on, row.district) == (True, date(2026, 1, 12), world.riverside)
    assert AuditEvent.objects.filter(action=Action.TELETHERAPY_CONSENT__RECORDED).count() == 1


def test_consent_refusals_and_personas(world) -> None:  # type: ignore[no-untyped-def]
    url = _consent_url(world.maya)
    future = _post(world, "case_manager", url, {"given": "yes", "on": "2026-02-01"})
    assert future.status_code == 400 and "on" in future.context["form"].errors
    missing = _post(world, "case_manager", url, {"on": "2026-01-10"})
    assert missing.status_code == 400 and "given" in missing.context["form"].errors
    assert _post(world, "contractor", url, {"given": "yes", "on": "2026-01-10"}).status_code == 403
    assert _post(world, "teacher", url, {"given": "yes", "on": "2026-01-10"}).status_code == 403
    assert _post(world, "stranger", url, {"given": "yes", "on": "2026-01-10"}).status_code == 404
    assert _get(world, "stranger", url).status_code == 404
    assert not TeletherapyConsent.objects.exists()


# --- licences to renew -------------------------------------------------------------------------

LICENCES_URL = reverse("provider_licences")


@pytest.fixture
def licences(world):  # type: ignore[no-untyped-def]
    olive = world.users["contractor"].staff
    cara = world.users["case_manager"].staff
    soon = ProviderLicence.objects.create(
        staff=olive, state="CA", number="OT 1", expires=date(2026, 2, 14)
    )
    lapsed = ProviderLicence.objects.create(
        staff=cara, state="CA", number="SE 9", expires=date(2026, 1, 5)
    )
    # Renewed: the old TX licence lapsed, a new one runs to 2028: neither is shown.
    ProviderLicence.objects.create(staff=olive, state="TX", number="OT 2", expires=date(2025, 6, 1))
    ProviderLicence.objects.create(staff=olive, state="TX", number="OT 3", expires=date(2028, 6, 1))
    return soon, lapsed


def test_leaders_and_coordinators_see_licences_lapsed_or_expiring_with_days_left(
    world, licences
) -> None:  # type: ignore[no-untyped-def]
    soon, lapsed = licences
    coord = make_staff("c504@r.test", [(Role.COORDINATOR_504, world.riverside, None)])
    world.users["coordinator"] = coord.user
    for persona in ("director", "coordinator"):
        response = _get(world, persona, LICENCES_URL)
        assert response.status_code == 200
        rows = response.context["rows"]
        assert [(r.licence, r.days_left) for r in rows] == [(lapsed, -10), (soon, 30)]
        html = response.content.decode()
        assert "OT 2" not in html and "OT 3" not in html
        assert 'data-days="30"' in html and "Lapsed" in html


def test_the_licences_page_is_not_for_providers_teachers_or_families(world, licences) -> None:  # type: ignore[no-untyped-def]
    for persona in ("contractor", "teacher", "case_manager", "parent"):
        assert _get(world, persona, LICENCES_URL).status_code == 404, persona


def test_the_licences_page_does_not_grow_in_queries(
    world, licences, django_assert_max_num_queries
) -> None:  # type: ignore[no-untyped-def]
    for i in range(8):
        staff = make_staff(f"p{i}@r.test", [(Role.PROVIDER, world.riverside, None)])
        ProviderLicence.objects.create(staff=staff, state="CA", number=f"X{i}", expires=TODAY)
    client = world.client_for("director")
    with clock.fixed(TODAY), django_assert_max_num_queries(16):
        response = client.get(LICENCES_URL)
    assert len(response.context["rows"]) == 10
