"""The home page's "Your tools": each role finds the pages built for its job, and only those."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _links(world, persona: str) -> str:  # type: ignore[no-untyped-def]
    response = world.client_for(persona).get(reverse("home"))
    assert response.status_code == 200
    return response.content.decode()


def test_district_administrator_finds_rosters_medicaid_and_licences(world) -> None:  # type: ignore[no-untyped-def]
    page = _links(world, "director")
    for name in ("roster_imports", "medicaid_export", "provider_licences", "api_tokens"):
        assert f'href="{reverse(name)}"' in page, name
    assert f'href="{reverse("teletherapy_day")}"' not in page


def test_provider_finds_their_day_log_and_profile(world) -> None:  # type: ignore[no-untyped-def]
    page = _links(world, "contractor")
    staff = world.users["contractor"].staff
    for url in (reverse("session_log"), reverse("teletherapy_day")):
        assert f'href="{url}"' in page
    assert f'href="{reverse("provider_profile", args=[staff.public_id])}"' in page
    assert f'href="{reverse("medicaid_export")}"' not in page
    assert f'href="{reverse("roster_imports")}"' not in page


def test_teacher_sees_no_leaders_or_providers_tools(world) -> None:  # type: ignore[no-untyped-def]
    page = _links(world, "teacher")
    for name in ("roster_imports", "medicaid_export", "provider_licences", "teletherapy_day"):
        assert f'href="{reverse(name)}"' not in page, name
    assert f'href="{reverse("api_tokens")}"' in page
