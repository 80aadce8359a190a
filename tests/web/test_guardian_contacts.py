"""A parent on the staff pages of their own child never sees the contact details of a guardian
who does not hold educational rights; staff see everyone's (issue 16)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tandem.people.models import Guardian

UNCLE_EMAIL = "hugo.lopez@example.test"
UNCLE_PHONE = "555-0199"


@pytest.fixture
def uncle(world):  # type: ignore[no-untyped-def]
    """Maya's uncle is on file without educational rights, with a phone and an email."""
    guardian = Guardian.objects.get(user=world.users["uncle"])
    guardian.email, guardian.phone = UNCLE_EMAIL, UNCLE_PHONE
    guardian.save()
    parent = Guardian.objects.get(user=world.users["parent"])
    parent.phone = "555-0100"
    parent.save()
    return guardian


def _page(world, persona: str, name: str) -> str:  # type: ignore[no-untyped-def]
    response = world.client_for(persona).get(reverse(name, args=[world.maya.public_id]))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.parametrize("name", ["student", "portal_family"])
def test_parent_does_not_see_the_other_guardians_contact(world, uncle, name):
    html = _page(world, "parent", name)
    assert "Hugo" in html  # the guardian is listed, only the contact is withheld
    assert UNCLE_EMAIL not in html and UNCLE_PHONE not in html
    assert "Kept by the school" in html


def test_parent_still_sees_the_rights_holders_contact(world, uncle):
    html = _page(world, "parent", "student")
    assert "parent@r.test" in html and "555-0100" in html


@pytest.mark.parametrize("persona", ["case_manager", "director", "teacher"])
@pytest.mark.parametrize("name", ["student", "portal_family"])
def test_staff_see_every_guardians_contact(world, uncle, persona, name):
    html = _page(world, persona, name)
    assert UNCLE_EMAIL in html
    if name == "student":
        assert UNCLE_PHONE in html


@pytest.mark.parametrize(("persona", "shown"), [("parent", False), ("case_manager", True)])
def test_api_withholds_the_contact_from_a_parent(world, client, uncle, persona, shown):
    client.force_login(world.users[persona])
    body = client.get(f"/api/v1/students/{world.maya.public_id}").json()
    hugo = next(g for g in body["guardians"] if g["name"].startswith("Hugo"))
    assert (hugo["email"], hugo["phone"]) == ((UNCLE_EMAIL, UNCLE_PHONE) if shown else (None, None))
    grace = next(g for g in body["guardians"] if g["name"].startswith("Grace"))
    assert grace["email"] == "parent@r.test"
