"""A page's form or link carrying the NUL character gets a 400 page naming the field, and nothing
is saved (issue 16)."""

from __future__ import annotations

from django.urls import reverse

from tandem.people.models import Guardian


def test_form_with_nul_is_refused_naming_the_field(world):
    guardian = Guardian.objects.get(user=world.users["parent"])
    url = reverse("guardian_edit", args=[world.maya.public_id, guardian.public_id])
    data = {"email": "parent@r.test", "phone": "555-0100", "address": "1 Main\x00 St"}
    response = world.client_for("case_manager").post(url, data | {"preferred_language": "en"})
    assert response.status_code == 400
    html = response.content.decode()
    assert "“address”" in html and "NUL" in html
    guardian.refresh_from_db()
    assert (guardian.address, guardian.phone) == ("", "")


def test_search_link_with_nul_is_refused(world):
    response = world.client_for("case_manager").get(reverse("student_search"), {"q": "ma\x00"})
    assert response.status_code == 400
    assert "“q”" in response.content.decode()


def test_sign_in_form_with_nul_is_refused(world, client):
    response = client.post(reverse("login"), {"username": "cm@r.test\x00", "password": "x"})
    assert response.status_code == 400


def test_ordinary_form_still_saves(world):
    guardian = Guardian.objects.get(user=world.users["parent"])
    url = reverse("guardian_edit", args=[world.maya.public_id, guardian.public_id])
    data = {"email": "parent@r.test", "phone": "555-0100", "preferred_language": "en"}
    response = world.client_for("case_manager").post(url, data)
    assert response.status_code == 302
    guardian.refresh_from_db()
    assert guardian.phone == "555-0100"
