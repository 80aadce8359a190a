"""Provider profiles and contracts: who reads, who edits, and every refusal names its field."""

from __future__ import annotations

from datetime import date

import pytest
from django.urls import reverse

from tandem.accounts.models import AuditEvent
from tandem.audit.catalogue import Action
from tandem.core import clock
from tandem.people.models import Role
from tandem.services.models import Discipline, ProviderContract, ProviderLicence, ProviderProfile
from tests.conftest import START
from tests.factories import make_staff

TODAY = date(2026, 1, 15)
VALID_NPI = "1234567893"  # CMS's own example of a valid check digit


@pytest.fixture
def coordinator(world):  # type: ignore[no-untyped-def]
    staff = make_staff(
        "coord504@r.test", [(Role.COORDINATOR_504, world.riverside, None)], first="Cory"
    )
    world.users["coordinator"] = staff.user
    return staff.user


@pytest.fixture
def olive(world):  # type: ignore[no-untyped-def]
    return world.users["contractor"].staff


def _profile_url(staff) -> str:  # type: ignore[no-untyped-def]
    return reverse("provider_profile", args=[staff.public_id])


def _edit_url(staff) -> str:  # type: ignore[no-untyped-def]
    return reverse("provider_profile_edit", args=[staff.public_id])


def _form(**overrides):  # type: ignore[no-untyped-def]
    data = {
        "discipline": Discipline.OT,
        "credentials": "OTR/L",
        "npi": VALID_NPI,
        "modality": "both",
        "weekly_capacity": "1200",
        "time_zone": "America/New_York",
        "working_days": ["0", "1", "2", "3"],
        "day_starts": "08:00",
        "day_ends": "16:00",
        "languages": "English, Spanish",
    }
    data.update(overrides)
    return data


def _get(world, persona, url):  # type: ignore[no-untyped-def]
    with clock.fixed(TODAY):
        return world.client_for(persona).get(url)


def _post(world, persona, url, data):  # type: ignore[no-untyped-def]
    with clock.fixed(TODAY):
        return world.client_for(persona).post(url, data)


def test_the_profile_is_read_by_the_provider_the_leader_and_the_coordinator(
    world, olive, coordinator
) -> None:  # type: ignore[no-untyped-def]
    ProviderLicence.objects.create(
        staff=olive, state="CA", number="OT 77", expires=date(2026, 2, 1)
    )
    for persona in ("contractor", "director", "coordinator", "oak_director"):
        response = _get(world, persona, _profile_url(olive))
        assert response.status_code == 200, persona
        assert "OT 77" in response.content.decode()
    for persona in ("stranger", "teacher", "parent"):
        assert _get(world, persona, _profile_url(olive)).status_code == 404, persona


def test_the_provider_fills_in_their_own_profile(world, olive) -> None:  # type: ignore[no-untyped-def]
    assert _get(world, "contractor", _edit_url(olive)).status_code == 200
    response = _post(world, "contractor", _edit_url(olive), _form())
    assert response.status_code == 302
    profile = ProviderProfile.objects.get(staff=olive)
    assert (profile.discipline, profile.npi, profile.time_zone) == (
        Discipline.OT,
        VALID_NPI,
        "America/New_York",
    )
    assert profile.working_days == "0,1,2,3"
    assert AuditEvent.objects.filter(action=Action.PROVIDER_PROFILE__SAVED).count() == 1
    page = _get(world, "contractor", _profile_url(olive)).content.decode()
    assert "OTR/L" in page and "America/New_York" in page


def test_the_provider_cannot_change_their_discipline_once_set(world, olive) -> None:  # type: ignore[no-untyped-def]
    ProviderProfile.objects.create(staff=olive, discipline=Discipline.OT)
    response = _post(world, "contractor", _edit_url(olive), _form(discipline=Discipline.SLP))
    assert response.status_code == 302
    assert ProviderProfile.objects.get(staff=olive).discipline == Discipline.OT


def test_a_leader_edits_the_profile_and_a_coordinator_reading_it_gets_403(
    world, olive, coordinator
) -> None:  # type: ignore[no-untyped-def]
    assert _post(world, "director", _edit_url(olive), _form()).status_code == 302
    assert _post(world, "coordinator", _edit_url(olive), _form()).status_code == 403
    assert _get(world, "coordinator", _edit_url(olive)).status_code == 403
    assert _post(world, "stranger", _edit_url(olive), _form()).status_code == 404


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("npi", "1234567890"),  # the check digit is wrong
        ("npi", "12345"),
        ("time_zone", "Mars/Olympus"),
        ("day_ends", "07:00"),
        ("weekly_capacity", "-5"),
    ],
)
def test_bad_input_names_the_field_and_changes_nothing(world, olive, field, value) -> None:  # type: ignore[no-untyped-def]
    ProviderProfile.objects.create(staff=olive, discipline=Discipline.OT, npi="")
    response = _post(world, "contractor", _edit_url(olive), _form(**{field: value}))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert f'href="#id_{field}' in response.content.decode()
    profile = ProviderProfile.objects.get(staff=olive)
    assert (profile.npi, profile.time_zone) == ("", "America/Chicago")
    assert not AuditEvent.objects.filter(action=Action.PROVIDER_PROFILE__SAVED).exists()


def test_an_assistant_needs_a_supervisor(world, olive) -> None:  # type: ignore[no-untyped-def]
    response = _post(world, "director", _edit_url(olive), _form(discipline=Discipline.COTA))
    assert response.status_code == 400
    assert "supervisor" in response.context["form"].errors
    assert not ProviderProfile.objects.exists()
    supervisor = world.users["case_manager"].staff
    response = _post(
        world,
        "director",
        _edit_url(olive),
        _form(discipline=Discipline.COTA, supervisor=str(supervisor.public_id)),
    )
    assert response.status_code == 302
    assert ProviderProfile.objects.get(staff=olive).supervisor == supervisor


def test_a_supervisor_takes_no_more_assistants_than_the_state_allows(world, olive) -> None:  # type: ignore[no-untyped-def]
    """Olive works in Riverside (California): an SLP there supervises at most 2 SLPAs in school
    (docs/services.md SUP-2); a third is refused, naming the supervisor field and the rule."""
    supervisor = world.users["case_manager"].staff
    for n in (1, 2):
        other = make_staff(f"slpa{n}@r.test", [(Role.PROVIDER, world.riverside, None)])
        ProviderProfile.objects.create(
            staff=other, discipline=Discipline.SLPA, supervisor=supervisor
        )
    form = _form(discipline=Discipline.SLPA, supervisor=str(supervisor.public_id))
    response = _post(world, "director", _edit_url(olive), form)
    assert response.status_code == 400
    errors = " ".join(response.context["form"].errors["supervisor"])
    assert "already supervises 2 assistants" in errors and "California" in errors
    assert not ProviderProfile.objects.filter(staff=olive).exists()
    # Another kind of assistant is not counted toward the SLPA cap.
    response = _post(world, "director", _edit_url(olive), {**form, "discipline": Discipline.COTA})
    assert response.status_code == 302
    # Saving an assistant already under the supervisor again is not refused (not counted twice).
    ProviderProfile.objects.filter(
        supervisor=supervisor, discipline=Discipline.SLPA
    ).first().delete()
    ProviderProfile.objects.filter(staff=olive).update(discipline=Discipline.SLPA)
    response = _post(world, "director", _edit_url(olive), form)
    assert response.status_code == 302, response.context["form"].errors
    response = _post(world, "director", _edit_url(olive), {**form, "credentials": "SLPA"})
    assert response.status_code == 302


# --- contracts ---------------------------------------------------------------------------------


def _contract_url(staff) -> str:  # type: ignore[no-untyped-def]
    return reverse("provider_contract_add", args=[staff.public_id])


def _contract_form(world, **overrides):  # type: ignore[no-untyped-def]
    data = {
        "district": str(world.riverside.public_id),
        "agency": "BrightPath Therapy",
        "start_date": "2025-08-01",
        "end_date": "2026-01-31",
    }
    data.update(overrides)
    return data


def test_a_leader_records_a_contract_and_the_provider_loses_the_district_after_it(
    world, olive
) -> None:  # type: ignore[no-untyped-def]
    response = _post(world, "director", _contract_url(olive), _contract_form(world))
    assert response.status_code == 302
    contract = ProviderContract.objects.get(staff=olive)
    assert (contract.district, contract.end_date) == (world.riverside, date(2026, 1, 31))
    assert AuditEvent.objects.filter(action=Action.PROVIDER_CONTRACT__ADDED).count() == 1
    maya = reverse("student", args=[world.maya.public_id])
    with clock.fixed(date(2026, 1, 31)):
        assert world.client_for("contractor").get(maya).status_code == 200
    with clock.fixed(date(2026, 2, 1)):
        assert world.client_for("contractor").get(maya).status_code == 404


def test_a_contract_is_refused_with_its_field_named_and_nothing_saved(world, olive) -> None:  # type: ignore[no-untyped-def]
    bad = _contract_form(world, end_date="2025-07-01")
    response = _post(world, "director", _contract_url(olive), bad)
    assert response.status_code == 400
    assert "end_date" in response.context["contract_form"].errors
    no_agency = _post(world, "director", _contract_url(olive), _contract_form(world, agency=""))
    assert "agency" in no_agency.context["contract_form"].errors
    # Another district's leader cannot record a contract with Riverside: not one of theirs.
    other = _post(world, "oak_director", _contract_url(olive), _contract_form(world))
    assert other.status_code == 400
    assert "district" in other.context["contract_form"].errors
    assert not ProviderContract.objects.exists()


def test_contracts_are_the_leaders_not_the_providers_nor_the_coordinators(
    world, olive, coordinator
) -> None:  # type: ignore[no-untyped-def]
    assert (
        _post(world, "contractor", _contract_url(olive), _contract_form(world)).status_code == 403
    )
    assert (
        _post(world, "coordinator", _contract_url(olive), _contract_form(world)).status_code == 403
    )
    assert _post(world, "stranger", _contract_url(olive), _contract_form(world)).status_code == 404
    assert not ProviderContract.objects.exists()


def test_a_leader_ends_a_contract(world, olive, coordinator) -> None:  # type: ignore[no-untyped-def]
    contract = ProviderContract.objects.create(
        created_by=world.users["director"],
        staff=olive,
        district=world.riverside,
        agency="BrightPath",
        start_date=START,
    )
    url = reverse("provider_contract_end", args=[olive.public_id, contract.public_id])
    assert _get(world, "director", url).status_code == 200
    assert _post(world, "coordinator", url, {"end_date": "2026-01-20"}).status_code == 403
    assert _post(world, "stranger", url, {"end_date": "2026-01-20"}).status_code == 404
    refused = _post(world, "director", url, {"end_date": "2025-01-01"})
    assert refused.status_code == 400 and "end_date" in refused.context["form"].errors
    assert _post(world, "director", url, {"end_date": "2026-01-20"}).status_code == 302
    contract.refresh_from_db()
    assert contract.end_date == date(2026, 1, 20)
    assert AuditEvent.objects.filter(action=Action.PROVIDER_CONTRACT__ENDED).count() == 1
