"""The transfer of rights at the age of majority (300.520): the student becomes the rights
holder with an account of their own, the parents are told and keep receiving notices."""

from __future__ import annotations

from datetime import date

import pytest
from django.core import mail
from django.urls import reverse

from tandem.accounts.models import AuditEvent
from tandem.core import clock
from tandem.people.models import Relationship, StudentGuardian
from tandem.people.relations import majority_on, notice_recipients, rights_holder_links


def _adult(world, years: int = 18, days: int = 3) -> None:
    """Maya turns `years` `days` days ago (Riverside is in California: majority at 18)."""
    today = clock.today()
    born = date(today.year - years, today.month, min(today.day, 28))
    world.maya.date_of_birth = born.replace(day=max(1, born.day - days)) if days else born
    world.maya.grade = "12"
    world.maya.save(update_fields=["date_of_birth", "grade"])


def _url(world) -> str:
    return reverse("portal_rights_transfer", args=[world.maya.public_id])


def _transfer(world, client, **data):
    with_data = {"email": "maya@r.test", "language": "es"} | data
    return client.post(_url(world), with_data)


def test_before_the_age_of_majority_the_transfer_is_refused_and_nothing_changes(world):
    _adult(world, years=17)
    client = world.client_for("case_manager")
    page = client.get(_url(world))
    assert page.status_code == 200
    assert majority_on(world.maya).isoformat() > clock.today().isoformat()
    response = _transfer(world, client)
    assert response.status_code == 400
    assert "reaches the age of majority on" in response.content.decode()
    assert [link.guardian.first_name for link in rights_holder_links(world.maya)] == ["Grace"]
    assert not AuditEvent.objects.filter(action="rights.transferred").exists()


def test_at_majority_the_student_holds_the_rights_and_everyone_is_told(
    world, django_capture_on_commit_callbacks
):
    _adult(world)
    with django_capture_on_commit_callbacks(execute=True):
        response = _transfer(world, world.client_for("case_manager"))
    assert response.status_code == 302
    own = StudentGuardian.objects.get(student=world.maya, relationship=Relationship.SELF)
    assert own.educational_rights_holder and own.guardian.user is not None
    assert own.guardian.preferred_language == "es"
    mother = StudentGuardian.objects.get(student=world.maya, guardian__first_name="Grace")
    assert not mother.educational_rights_holder
    assert mother.rights_transferred_on == majority_on(world.maya)
    # Both are told, each in their own language; the student's mail carries the password link.
    by_address = {m.to[0]: m for m in mail.outbox}
    assert "now belong to Maya" in by_address["parent@r.test"].body
    assert (
        reverse("password_reset_confirm", args=["x", "y"]).split("x")[0]
        in by_address["maya@r.test"].body
    )
    assert "mayoría de edad" in by_address["maya@r.test"].body
    event = AuditEvent.objects.get(action="rights.transferred")
    assert event.student_id == world.maya.pk
    # Notices still reach the mother (300.520(a)(1)(i)); the student comes first.
    assert [link.guardian.first_name for link in notice_recipients(world.maya)] == [
        "Maya",
        "Grace",
    ]


def test_the_parent_is_told_plainly_and_the_student_reads_their_own_page(world):
    _adult(world)
    assert _transfer(world, world.client_for("case_manager"), email="").status_code == 302
    own = StudentGuardian.objects.get(student=world.maya, relationship=Relationship.SELF)
    assert own.guardian.user is None  # no email: served on paper
    parent = world.client_for("parent")
    home = parent.get(reverse("portal_home")).content.decode()
    assert "reached the age of majority" in home
    child = parent.get(reverse("portal_child", args=[world.maya.public_id]))
    assert child.status_code == 403
    assert "now belong to Maya" in child.content.decode()
    # The student, given an account later, reads their own records.
    from tests.factories import make_user

    own.guardian.user = make_user("maya.adult@r.test", first="Maya")
    own.guardian.save(update_fields=["user"])
    client = world.client_for("parent")
    client.force_login(own.guardian.user)
    home = client.get(reverse("portal_home")).content.decode()
    assert "My plan and records" in home
    page = client.get(reverse("portal_child", args=[world.maya.public_id]))
    assert page.status_code == 200
    assert "Your rights are yours now" in page.content.decode()


def test_a_second_transfer_is_refused_cleanly(world):
    _adult(world)
    client = world.client_for("case_manager")
    assert _transfer(world, client).status_code == 302
    again = _transfer(world, client, email="other@r.test")
    assert again.status_code in (200, 400)
    assert StudentGuardian.objects.filter(relationship=Relationship.SELF).count() == 1


def test_the_family_page_offers_the_transfer_only_at_majority(world):
    _adult(world, years=17)
    url = reverse("portal_family", args=[world.maya.public_id])
    client = world.client_for("case_manager")
    assert _url(world) not in client.get(url).content.decode()
    _adult(world)
    assert _url(world) in client.get(url).content.decode()


@pytest.mark.parametrize("persona, status", [("teacher", 403), ("oak_director", 404)])
def test_others_cannot_transfer(world, persona, status):
    _adult(world)
    assert _transfer(world, world.client_for(persona)).status_code == status
    assert not StudentGuardian.objects.filter(relationship=Relationship.SELF).exists()


def test_the_adult_student_is_invited_to_meetings_as_the_student_once(world):
    from tandem.meetings.rules import candidates

    _adult(world)
    _transfer(world, world.client_for("case_manager"))
    names = [c.name for c in candidates(world.maya, "annual_review", clock.today())]
    assert sum("Maya" in n for n in names) == 1
    assert any("The student (adult)" in n for n in names)
