from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from tandem.people.models import Role, TeamMembership, TeamRole
from tandem.plans.models import Goal, Plan, PlanKind, PlanStatus
from tests.conftest import START
from tests.factories import make_staff


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


@pytest.fixture
def answerers(world):  # type: ignore[no-untyped-def]
    """Two more people on Maya's team who are not the case manager her requests are routed to:
    a speech-language pathologist (no ANSWER_REVISIONS) and a 504 coordinator (who holds it)."""
    slp = make_staff("slp@r.test", [(Role.PROVIDER, world.riverside, world.north)], first="Sol")
    coordinator = make_staff(
        "504@r.test", [(Role.COORDINATOR_504, world.riverside, world.north)], first="Cleo"
    )
    for staff, role in ((slp, TeamRole.SPEECH_LANGUAGE), (coordinator, TeamRole.COORDINATOR_504)):
        TeamMembership.objects.create(staff=staff, student=world.maya, role=role, start_date=START)
    world.users.update(slp=slp.user, coordinator=coordinator.user)
    return world
