"""The demo's SLP assistant: sessions awaiting the SLP's co-signature, supervision recorded, a
week below California's rule, and the pages that show them to the SLP."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from tandem.accounts.models import User
from tandem.core import clock
from tandem.demo import personas
from tandem.demo import referrals as referrals_demo
from tandem.services.models import (
    ProviderProfile,
    ServiceSession,
    SessionCoSignature,
    SupervisionLog,
)

pytestmark = pytest.mark.django_db


def test_the_demo_assistant_works_under_the_slp() -> None:
    out = StringIO()
    call_command("seed_demo", "--students", "120", stdout=out)
    slp = User.objects.get(email=personas.SLP)
    slpa = User.objects.get(email=personas.SLP_ASSISTANT)
    assert slpa.check_password(personas.DEMO_PASSWORD)
    profile = ProviderProfile.objects.get(staff=slpa.staff)
    assert profile.is_assistant and profile.supervisor == slp.staff and profile.supervised_since
    sessions = ServiceSession.objects.filter(provider=slpa.staff)
    assert sessions.count() >= 6 and all(s.needs_cosignature for s in sessions)
    cosigned = SessionCoSignature.objects.filter(session__in=sessions)
    assert cosigned.exists() and all(c.supervisor == slp.staff and c.licence for c in cosigned)
    awaiting = sessions.exclude(pk__in=cosigned.values("session_id"))
    assert awaiting.exists()
    assert SupervisionLog.objects.filter(assistant=slpa.staff, supervisor=slp.staff).exists()
    assert "supervision:" in out.getvalue()

    today = referrals_demo.demo_today(clock.today())
    client = Client()
    client.force_login(slp)
    with clock.fixed(today):
        queue = client.get(reverse("cosign_queue"))
        page = client.get(reverse("supervision"))
        home = client.get(reverse("home"))
    assert queue.status_code == 200
    assert len(queue.context["queue"].entries) == awaiting.count()
    assert page.status_code == 200
    (row,) = page.context["rows"]
    assert row.profile == profile and row.rule.key == "CA-slpa" and row.below
    assert reverse("cosign_queue") in home.content.decode()
    assert reverse("supervision") in home.content.decode()

    # Seeding again adds nothing.
    call_command("seed_demo", "--students", "120", stdout=StringIO())
    assert ServiceSession.objects.filter(provider=slpa.staff).count() == sessions.count()
