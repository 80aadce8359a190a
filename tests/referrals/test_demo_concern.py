"""The demo shows one teacher's concern waiting for the Riverside case manager."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.utils import timezone

from tandem.accounts.models import User
from tandem.demo import personas
from tandem.demo import referrals as referrals_demo
from tandem.referrals.concern_queries import concerns_to_review
from tandem.referrals.models import Referral, ReferralStatus

pytestmark = pytest.mark.django_db


def test_one_concern_waits_for_the_case_manager():
    call_command("seed_demo", "--students", "120", "--no-plans", stdout=StringIO())
    today = referrals_demo.demo_today(timezone.localdate())
    waiting = Referral.objects.filter(status=ReferralStatus.AWAITING_ACCEPTANCE)
    (concern,) = waiting
    teacher = User.objects.get(email=personas.TEACHER)
    manager = User.objects.get(email=personas.CASE_MANAGER)
    assert concern.concern_raised_by == teacher
    assert (today - concern.received_on).days == 2
    assert list(concerns_to_review(manager, today=today)) == [concern]
