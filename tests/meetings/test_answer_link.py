"""A parent without an account answers the meeting invitation through the signed, expiring link
in the notice's email (issue 13, "Meetings"): their own invitation, nothing else of the record."""

from __future__ import annotations

import re

import pytest
from django.test import Client
from django.urls import reverse

from tandem.accounts.models import AuditEvent
from tandem.meetings import answer_links
from tandem.meetings.models import MeetingInvitee, MeetingStatus, Response
from tandem.people.models import Guardian, StudentGuardian
from tests.meetings.conftest import schedule

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https?://\S+/meetings/answer/(\S+)/")


@pytest.fixture
def abuela(world):  # type: ignore[no-untyped-def]
    """Maya's grandmother: she holds educational rights, reads Spanish, and has no account."""
    guardian = Guardian.objects.create(
        district=world.riverside,
        first_name="Rosa",
        last_name="Lopez",
        email="rosa@example.com",
        preferred_language="es",
    )
    StudentGuardian.objects.create(
        student=world.maya, guardian=guardian, relationship="grandparent"
    )
    return guardian


def _scheduled_with_links(world, mailoutbox, capture):  # type: ignore[no-untyped-def]
    with capture(execute=True):
        meeting = schedule(world)
    (mail,) = [m for m in mailoutbox if m.to == ["rosa@example.com"]]
    return meeting, mail


def test_the_email_to_a_parent_without_an_account_carries_her_link(
    world, abuela, mailoutbox, django_capture_on_commit_callbacks
):
    meeting, mail = _scheduled_with_links(world, mailoutbox, django_capture_on_commit_callbacks)
    token = LINK.search(mail.body).group(1)
    invitee = answer_links.invitee_for(token)
    assert invitee is not None and invitee.guardian == abuela and invitee.meeting == meeting
    # A parent with an account signs in to the meeting's page instead: no link in her email.
    (account_mail,) = [m for m in mailoutbox if m.to == [world.users["parent"].email]]
    assert not LINK.search(account_mail.body)
    assert reverse("meeting_respond", args=[meeting.public_id]) in account_mail.body


def test_she_answers_in_her_language_without_signing_in(
    world, abuela, mailoutbox, django_capture_on_commit_callbacks
):
    meeting, mail = _scheduled_with_links(world, mailoutbox, django_capture_on_commit_callbacks)
    url = reverse("meeting_answer_link", args=[LINK.search(mail.body).group(1)])
    client = Client()
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    assert '<html lang="es">' in text and "¿Puede venir?" in text
    assert "Maya" in text and "North Elementary, room 12" in text
    assert AuditEvent.objects.filter(
        action="meeting.viewed", actor=None, detail__via="answer link"
    ).exists()
    # Bad input first: no answer chosen is refused, named, and nothing is saved.
    bad = client.post(url, {"answer": ""})
    assert bad.status_code == 400
    invitee = MeetingInvitee.objects.get(meeting=meeting, guardian=abuela)
    assert invitee.response == Response.PENDING
    done = client.post(url, {"answer": Response.ACCEPTED, "note": "Voy con mi hija."})
    assert done.status_code == 302 and done["Location"] == url
    invitee.refresh_from_db()
    assert invitee.response == Response.ACCEPTED and invitee.response_note == "Voy con mi hija."
    answered = AuditEvent.objects.get(action="meeting.answered", student=world.maya)
    assert answered.actor is None and answered.detail["via"] == "answer link"
    after = client.get(url).content.decode()
    assert "Gracias" in after
    # The link opens this page only: the meeting's own page still asks to sign in.
    assert client.get(reverse("meeting_detail", args=[meeting.public_id])).status_code == 302
    assert client.get(reverse("meeting_notice_pdf", args=[meeting.public_id])).status_code == 302


def test_a_forged_or_expired_link_opens_nothing(
    world, abuela, mailoutbox, django_capture_on_commit_callbacks, monkeypatch
):
    meeting, mail = _scheduled_with_links(world, mailoutbox, django_capture_on_commit_callbacks)
    token = LINK.search(mail.body).group(1)
    client = Client()
    forged = token[:-3] + ("abc" if not token.endswith("abc") else "xyz")
    assert client.get(reverse("meeting_answer_link", args=[forged])).status_code == 404
    assert client.post(reverse("meeting_answer_link", args=[forged]), {}).status_code == 404
    monkeypatch.setattr(answer_links, "LINK_DAYS", -1)
    expired = client.get(reverse("meeting_answer_link", args=[token]))
    # Said in her language, with the school to call.
    assert expired.status_code == 410 and "Este enlace ya no sirve" in expired.content.decode()
    assert world.maya.school.name in expired.content.decode()
    assert (
        client.post(
            reverse("meeting_answer_link", args=[token]), {"answer": Response.ACCEPTED}
        ).status_code
        == 410
    )
    assert MeetingInvitee.objects.get(meeting=meeting, guardian=abuela).response == "pending"


def test_the_link_stops_when_she_no_longer_holds_the_rights_or_the_meeting_is_cancelled(
    world, abuela, mailoutbox, django_capture_on_commit_callbacks
):
    meeting, mail = _scheduled_with_links(world, mailoutbox, django_capture_on_commit_callbacks)
    url = reverse("meeting_answer_link", args=[LINK.search(mail.body).group(1)])
    client = Client()
    meeting.status = MeetingStatus.CANCELLED
    meeting.save(update_fields=["status"])
    page = client.get(url)
    assert page.status_code == 200 and "¿Puede venir?" not in page.content.decode()
    refused = client.post(url, {"answer": Response.ACCEPTED})
    assert refused.status_code == 400
    assert MeetingInvitee.objects.get(meeting=meeting, guardian=abuela).response == "pending"
    StudentGuardian.objects.filter(guardian=abuela).update(educational_rights_holder=False)
    assert client.get(url).status_code == 404
