"""Every portal page, persona by persona: who gets through, who gets 403, who never finds it."""

from __future__ import annotations

import pytest
from django.urls import reverse

READERS = ("director", "principal", "case_manager", "teacher", "psych", "contractor", "parent")
OUTSIDERS = ("stranger", "oak_director")


@pytest.mark.parametrize("persona", READERS + OUTSIDERS + ("uncle",))
def test_staff_family_page_is_for_readers(world, persona):
    url = reverse("portal_family", args=[world.maya.public_id])
    status = world.client_for(persona).get(url).status_code
    assert status == (200 if persona in READERS else 404)


@pytest.mark.parametrize(
    ("persona", "invite", "paper"),
    # Inviting a parent is part of the profile (Cap.EDIT_PROFILE); recording a signed consent is
    # part of the evaluation (Cap.RUN_EVALUATION).
    [
        ("case_manager", True, True),
        ("psych", False, True),
        ("contractor", False, False),
        ("teacher", False, False),
    ],
)
def test_staff_family_page_offers_only_what_the_decision_holds(
    world, consent, persona, invite, paper
):
    from tandem.people.models import Guardian, StudentGuardian

    guardian = Guardian.objects.create(
        district=world.riverside, first_name="Ana", last_name="Park", email="ana@example.org"
    )
    StudentGuardian.objects.create(student=world.maya, guardian=guardian, relationship="mother")
    html = (
        world.client_for(persona)
        .get(reverse("portal_family", args=[world.maya.public_id]))
        .content.decode()
    )
    invite_url = reverse("portal_invite", args=[world.maya.public_id, guardian.public_id])
    assert (invite_url in html) is invite
    assert (reverse("portal_paper_signature", args=[consent.public_id]) in html) is paper


@pytest.mark.parametrize("persona", READERS + OUTSIDERS + ("uncle",))
def test_printing_a_consent_is_for_readers(world, consent, persona):
    url = reverse("portal_consent_print", args=[consent.public_id])
    status = world.client_for(persona).get(url).status_code
    assert status == (200 if persona in READERS else 404)


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("parent", 200),
        ("case_manager", 403),  # staff record paper signatures; they do not sign as the family
        ("director", 403),
        ("uncle", 403),  # on file without educational rights: told so plainly
        ("stranger", 404),
        ("oak_director", 404),
    ],
)
def test_signing_is_for_the_family(world, consent, persona, status):
    response = world.client_for(persona).get(reverse("portal_sign", args=[consent.public_id]))
    assert response.status_code == status
    if persona == "uncle":
        assert "do not hold educational rights" in response.content.decode()


@pytest.mark.parametrize(
    ("persona", "status"), [("parent", 302), ("teacher", 403), ("stranger", 404)]
)
def test_opening_a_document_is_for_the_family(world, persona, status):
    url = reverse("portal_open", args=[world.maya.public_id])
    response = world.client_for(persona).get(url, {"url": "/family/rights/"})
    assert response.status_code == status


def test_invitation_of_a_guardian_of_another_student_is_not_found(world):
    from tandem.people.models import Guardian, StudentGuardian

    guardian = Guardian.objects.create(
        district=world.riverside, first_name="Rosa", last_name="Park", email="rosa@example.org"
    )
    StudentGuardian.objects.create(student=world.leo, guardian=guardian, relationship="mother")
    url = reverse("portal_invite", args=[world.maya.public_id, guardian.public_id])
    assert world.client_for("director").post(url).status_code == 404
    guardian.refresh_from_db()
    assert guardian.user is None
