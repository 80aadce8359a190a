"""Maya's active IEP (speech 30 minutes 2 times a week, from tests/progress) and her SLP."""

from __future__ import annotations

import pytest

from tests.progress.conftest import active_iep
from tests.progress.conftest import slp as slp  # noqa: F401  (re-exported fixture)


@pytest.fixture
def speech(world):  # type: ignore[no-untyped-def]
    plan = active_iep(world)
    return plan.services.get(name="Speech-language therapy")
