"""Maya's family reads Spanish; the district has an interpreter with no tie to Maya."""

from __future__ import annotations

from typing import Any

import pytest

from tandem.people.models import Guardian, Role, Staff
from tests.factories import make_staff
from tests.plans.test_lifecycle import active_plan


@pytest.fixture
def spanish(world) -> Any:  # type: ignore[no-untyped-def]
    """Maya's mother reads Spanish (her account and her guardian record say so)."""
    parent = world.users["parent"]
    parent.preferred_language = "es"
    parent.save(update_fields=["preferred_language"])
    Guardian.objects.filter(user=parent).update(preferred_language="es")
    return world


@pytest.fixture
def interpreter(world) -> Staff:  # type: ignore[no-untyped-def]
    """A district interpreter: staff of Riverside, on nobody's team."""
    return make_staff("interpreter@r.test", [(Role.TEACHER, world.riverside, None)], first="Inés")


@pytest.fixture
def plan(spanish) -> Any:  # type: ignore[no-untyped-def]
    """Maya's IEP in force, written in English."""
    return active_plan(spanish)
