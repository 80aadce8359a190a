"""The demo's providers: profiles, contracts with both districts, a licence to renew, a day."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from tandem.accounts.models import User
from tandem.core import clock
from tandem.demo import referrals as referrals_demo
from tandem.demo import world as demo
from tandem.services.models import (
    ProviderContract,
    ProviderModality,
    ProviderProfile,
    ServiceSession,
)

pytestmark = pytest.mark.django_db


def test_the_demo_gives_its_providers_profiles_contracts_and_a_teletherapy_day() -> None:
    call_command("seed_demo", "--students", "120", stdout=StringIO())
    tele = User.objects.get(email=demo.TELETHERAPIST)
    slp = User.objects.get(email=demo.SLP)
    profile = ProviderProfile.objects.get(staff=tele.staff)
    assert profile.modality == ProviderModality.TELETHERAPY and profile.npi
    assert ProviderProfile.objects.get(staff=slp.staff).modality == ProviderModality.IN_PERSON
    contracts = ProviderContract.objects.filter(staff=tele.staff)
    assert {c.district.slug for c in contracts} == set(demo.DEMO_SLUGS)
    today = referrals_demo.demo_today(clock.today())
    sessions = ServiceSession.objects.filter(provider=tele.staff, join_url__startswith="https://")
    assert sessions.count() >= 2
    day = sessions.first().day  # type: ignore[union-attr]

    director = Client()
    director.force_login(User.objects.get(email=demo.DIRECTOR))
    with clock.fixed(today):
        licences = director.get(reverse("provider_licences"))
        assert licences.status_code == 200
        assert tele.staff in {row.staff for row in licences.context["rows"]}
        client = Client()
        client.force_login(tele)
        response = client.get(reverse("teletherapy_day"), {"day": day.isoformat()})
    assert response.status_code == 200
    districts = {e.first.student.district_id for e in response.context["entries"]}
    assert len(districts) == 2
    consents = {c for e in response.context["entries"] for c in e.consent.values()}
    assert "missing" in consents or "given" in consents
