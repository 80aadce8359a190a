"""The offline queue posts JSON, past the forms: its writer bounds the note and refuses NUL
(issue 16), and the entry is answered "invalid" naming the note, nothing saved."""

from __future__ import annotations

import json
import uuid
from datetime import timedelta

import pytest
from django.urls import reverse

from tandem.core import clock, limits
from tandem.progress.models import DataPoint


@pytest.mark.parametrize("note", ["n" * (limits.SHORT_NOTE + 1), "ran\x00out"])
def test_a_queued_note_too_long_or_with_nul_is_refused(world, goals, note) -> None:  # type: ignore[no-untyped-def]
    entry = {
        "goal": str(goals.speech.public_id),
        "taken_on": (clock.today() - timedelta(days=1)).isoformat(),
        "measures": {"percent": "60"},
        "note": note,
        "client_key": str(uuid.uuid4()),
    }
    response = world.client_for("case_manager").post(
        reverse("progress_collect"),
        json.dumps({"entries": [entry]}),
        content_type="application/json",
    )
    [result] = response.json()["results"]
    assert result["status"] == "invalid" and list(result["errors"]) == ["note"]
    assert not DataPoint.objects.exists()
