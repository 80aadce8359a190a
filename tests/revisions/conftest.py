from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tandem.plans.models import Goal, Plan, PlanKind, PlanStatus


@pytest.fixture
def maya_goal(world):  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    plan = Plan.objects.create(
        student=world.maya,
        kind=PlanKind.IEP,
        status=PlanStatus.ACTIVE,
        meeting_date=today - timedelta(days=60),
        effective_from=today - timedelta(days=60),
        effective_to=today + timedelta(days=300),
        created_by=world.users["case_manager"],
    )
    return Goal.objects.create(
        plan=plan,
        area="Reading fluency",
        text="By June, Maya will read 90 words correct per minute on 3 of 4 probes.",
    )
