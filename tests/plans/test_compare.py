"""Plain-English differences between two snapshots (no database)."""

from __future__ import annotations

import pytest

from tandem.plans.compare import compare_snapshots, frequency

SERVICE = {
    "lineage": "s1",
    "name": "Speech-language therapy",
    "minutes": 30,
    "times": 2,
    "per": "week",
}


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        (
            {"services": [SERVICE]},
            {"services": [{**SERVICE, "times": 3}]},
            ["Speech-language therapy: 30 min 2x/week → 30 min 3x/week"],
        ),
        (
            {"services": []},
            {"services": [SERVICE]},
            ["Added service: Speech-language therapy, 30 min 2x/week"],
        ),
        ({"services": [SERVICE]}, {"services": []}, ["Removed service: Speech-language therapy"]),
        (
            {"sections": {"esy": {"text": "Not needed"}}},
            {"sections": {"esy": {"text": "Needed for reading"}}},
            ["Extended school year: “Not needed” → “Needed for reading”"],
        ),
        (
            {"plan": {"meeting_date": "2025-09-10"}},
            {"plan": {"meeting_date": "2025-09-12"}},
            ["Meeting date: 2025-09-10 → 2025-09-12"],
        ),
        ({"services": [SERVICE]}, {"services": [SERVICE]}, []),
    ],
)
def test_differences_in_plain_words(old, new, expected) -> None:  # type: ignore[no-untyped-def]
    assert [str(d) for d in compare_snapshots(old, new)] == expected


def test_missing_frequency_is_said() -> None:
    assert frequency({"minutes": None}) == "no frequency or duration"
