"""Communication pages with the personas: notifications, settings, the contact log, messages."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tandem.accounts.models import AuditEvent
from tandem.communication import actions
from tandem.communication.models import (
    ContactEntry,
    Delivery,
    Message,
    MessageRead,
    Notification,
    NotificationPreference,
)
from tandem.communication.notify import notify

# --- notifications -------------------------------------------------------------------------------


def test_notifications_list_badge_and_mark_read(world, django_capture_on_commit_callbacks):
    cm = world.users["case_manager"]
    with django_capture_on_commit_callbacks(execute=True):
        notify([cm], subject="First thing", body="Body one", url="/students/")
        notify([cm], subject="Second thing", body="")
    client = world.client_for("case_manager")
    page = client.get(reverse("notifications"))
    assert page.status_code == 200
    text = page.content.decode()
    assert "First thing" in text and "Second thing" in text
    badge = client.get(reverse("notification_badge")).content.decode()
    assert 'class="usa-tag">2<' in badge  # the header badge, fetched by htmx
    one = Notification.objects.get(subject="First thing")
    client.post(reverse("notifications"), {"notification": str(one.public_id)})
    one.refresh_from_db()
    assert one.read_at is not None
    assert Notification.objects.filter(read_at__isnull=True).count() == 1
    client.post(reverse("notifications"), {})
    assert not Notification.objects.filter(read_at__isnull=True).exists()
    # someone else's notifications are untouched by my "mark all"
    notify([world.users["psych"]], subject="Psych's", body="")
    client.post(reverse("notifications"), {})
    assert Notification.objects.filter(read_at__isnull=True).count() == 1
    assert "Psych's" not in client.get(reverse("notifications")).content.decode()
    assert "usa-tag" not in client.get(reverse("notification_badge")).content.decode()


def test_notifications_bad_id_is_refused_clearly(world):
    client = world.client_for("case_manager")
    response = client.post(reverse("notifications"), {"notification": "nope"}, follow=True)
    assert "not found" in response.content.decode()


def test_notification_settings_save_and_bad_input(world):
    client = world.client_for("teacher")
    assert client.get(reverse("notification_settings")).status_code == 200
    response = client.post(
        reverse("notification_settings"),
        {"email_enabled": "on", "frequency": "digest", "muted_kinds": ["message"]},
    )
    assert response.status_code == 302
    pref = NotificationPreference.objects.get(user=world.users["teacher"])
    assert (pref.email_enabled, pref.frequency, pref.muted_kinds) == (True, "digest", ["message"])
    bad = client.post(reverse("notification_settings"), {"frequency": "hourly"})
    assert bad.status_code == 200
    assert "How often" in bad.content.decode()
    pref.refresh_from_db()
    assert pref.frequency == "digest"


def test_anonymous_is_sent_to_sign_in(world):
    assert world.client_for("anonymous").get(reverse("notifications")).status_code == 302


# --- communication log ---------------------------------------------------------------------------


def _contact(client, student, **extra):  # type: ignore[no-untyped-def]
    data = {
        "contacted_on": timezone.localdate().isoformat(),
        "method": "phone",
        "family_member": "Grace Lopez",
        "language": "Spanish",
        "interpreter": "Luis Ortega",
        "summary": "Talked about reading at home.",
        "follow_up": "",
        "follow_up_on": "",
        "follow_up_owner": "",
    } | extra
    return client.post(reverse("comm_log", args=[student.public_id]), data)


def test_case_manager_logs_a_contact_with_follow_up(world, django_capture_on_commit_callbacks):
    client = world.client_for("case_manager")
    psych = world.users["psych"]
    with django_capture_on_commit_callbacks(execute=True):
        response = _contact(
            client,
            world.maya,
            follow_up="Send the reading log",
            follow_up_on=(timezone.localdate() + timedelta(days=3)).isoformat(),
            follow_up_owner=str(psych.pk),
        )
    assert response.status_code == 302
    entry = ContactEntry.objects.get()
    assert entry.staff == world.users["case_manager"] and entry.interpreter == "Luis Ortega"
    assert entry.follow_up_owner == psych
    assert Notification.objects.filter(recipient=psych).exists()
    assert AuditEvent.objects.filter(action="communication.contact_logged").exists()
    page = client.get(reverse("comm_log", args=[world.maya.public_id]))
    assert "Talked about reading" in page.content.decode()


def test_contact_bad_input_names_fields_and_saves_nothing(world):
    client = world.client_for("case_manager")
    future = (timezone.localdate() + timedelta(days=2)).isoformat()
    response = _contact(client, world.maya, summary="", contacted_on=future, method="fax")
    assert response.status_code == 200
    text = response.content.decode()
    assert "Nothing was saved" in text and "Summary" in text and "Method" in text
    assert not ContactEntry.objects.exists()
    response = _contact(client, world.maya, contacted_on=future)
    assert "cannot be in the future" in response.content.decode()
    response = _contact(client, world.maya, follow_up_on=timezone.localdate().isoformat())
    assert "Describe the follow-up" in response.content.decode()
    assert not ContactEntry.objects.exists()


@pytest.mark.parametrize("persona", ["teacher", "principal"])
def test_read_only_roles_read_but_cannot_write_the_log(world, persona):
    actions.add_contact(
        actor=world.users["case_manager"],
        student=world.maya,
        contacted_on=date.today(),
        method="email",
        summary="Sent the schedule.",
    )
    client = world.client_for(persona)
    page = client.get(reverse("comm_log", args=[world.maya.public_id]))
    if persona == "principal":  # school leadership writes
        assert page.status_code == 200
        return
    assert page.status_code == 200 and "Sent the schedule" in page.content.decode()
    assert "Add a contact" not in page.content.decode()
    assert _contact(client, world.maya).status_code == 403
    assert ContactEntry.objects.count() == 1


@pytest.mark.parametrize("persona", ["stranger", "oak_director", "parent", "uncle"])
def test_outsiders_and_families_get_404_on_the_log(world, persona):
    client = world.client_for(persona)
    assert client.get(reverse("comm_log", args=[world.maya.public_id])).status_code == 404
    assert _contact(client, world.maya).status_code == 404
    assert not ContactEntry.objects.exists()


def test_log_search_filter_and_csv(world):
    cm = world.users["case_manager"]
    for method, summary in [
        ("phone", "Bus schedule"),
        ("letter", "=HYPERLINK(evil)"),
        ("email", "Reading"),
    ]:
        actions.add_contact(
            actor=cm, student=world.maya, contacted_on=date.today(), method=method, summary=summary
        )
    client = world.client_for("teacher")
    url = reverse("comm_log", args=[world.maya.public_id])
    text = client.get(url, {"q": "bus"}).content.decode()
    assert "Bus schedule" in text and "Reading" not in text
    text = client.get(url, {"method": "email"}).content.decode()
    assert "Reading" in text and "Bus schedule" not in text
    csv = client.get(url, {"format": "csv"})
    assert csv["Content-Type"].startswith("text/csv")
    body = csv.content.decode()
    assert "Bus schedule" in body and "'=HYPERLINK" in body
    assert AuditEvent.objects.filter(action="communication.log_exported").exists()


def test_log_queries_do_not_grow_with_rows(world, django_assert_max_num_queries):
    cm = world.users["case_manager"]
    for i in range(25):
        actions.add_contact(
            actor=cm,
            student=world.maya,
            contacted_on=date.today(),
            method="phone",
            summary=f"Call {i}",
            follow_up="x",
            follow_up_owner=cm,
        )
    client = world.client_for("case_manager")
    with django_assert_max_num_queries(40):
        assert client.get(reverse("comm_log", args=[world.maya.public_id])).status_code == 200


# --- messages ------------------------------------------------------------------------------------


def test_parent_writes_team_gets_email_after_commit(world, django_capture_on_commit_callbacks):
    client = world.client_for("parent")
    url = reverse("message_thread", args=[world.maya.public_id])
    page = client.get(url)
    assert page.status_code == 200
    family_url = reverse("family_message", args=[world.maya.public_id])
    assert f'action="{family_url}"' in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(family_url, {"body": "Maya is struggling with homework."})
    assert response.status_code == 302
    assert response["Location"] == url
    message = Message.objects.get()
    assert message.from_family
    recipients = {m.to[0] for m in mail.outbox}
    assert world.users["case_manager"].email in recipients
    assert world.users["psych"].email in recipients
    assert world.users["parent"].email not in recipients
    assert world.users["teacher"].email not in recipients  # not on the writing team


def test_staff_writes_family_gets_email_and_a_delivery(world, django_capture_on_commit_callbacks):
    client = world.client_for("case_manager")
    url = reverse("message_thread", args=[world.maya.public_id])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"body": "Our meeting is next week."})
    assert [m.to for m in mail.outbox] == [[world.users["parent"].email]]  # not the uncle
    delivery = Delivery.objects.get()
    assert delivery.guardian == world.users["parent"].guardian and delivery.opened_at is None
    world.client_for("parent").get(url)
    delivery.refresh_from_db()
    assert delivery.opened_at is not None


def test_read_receipts_are_shown_to_staff_only(world):
    actions.send_message(actor=world.users["parent"], student=world.maya, body="Hello team")
    message = Message.objects.get()
    world.client_for("case_manager").get(reverse("message_thread", args=[world.maya.public_id]))
    readers = set(
        MessageRead.objects.filter(message=message).values_list("reader__email", flat=True)
    )
    assert readers == {world.users["parent"].email, world.users["case_manager"].email}
    staff_page = world.client_for("psych").get(
        reverse("message_thread", args=[world.maya.public_id])
    )
    assert "Read by:" in staff_page.content.decode() and "Cara" in staff_page.content.decode()
    family_page = world.client_for("parent").get(
        reverse("message_thread", args=[world.maya.public_id])
    )
    assert "Read by:" not in family_page.content.decode()


@pytest.mark.parametrize("persona", ["stranger", "oak_director", "uncle", "parent"])
def test_message_to_unreachable_student_is_404_and_logged(world, persona):
    student = world.leo if persona == "parent" else world.maya
    client = world.client_for(persona)
    url = reverse("message_thread", args=[student.public_id])
    assert client.post(url, {"body": "hi"}).status_code == 404
    assert client.get(url).status_code == 404
    assert not Message.objects.exists()
    denied = AuditEvent.objects.filter(action="access.denied", actor=world.users[persona])
    assert denied.count() == 2
    assert denied.first().student_id == student.pk


def test_malformed_student_id_is_not_routed(world):
    client = world.client_for("parent")
    assert client.post("/students/not-a-uuid/messages/", {"body": "x"}).status_code == 404
    assert not Message.objects.exists()


def test_read_only_staff_cannot_send(world):
    client = world.client_for("teacher")
    url = reverse("message_thread", args=[world.maya.public_id])
    page = client.get(url)
    assert page.status_code == 200 and "Send a message" not in page.content.decode()
    assert client.post(url, {"body": "hi"}).status_code == 403
    assert not Message.objects.exists()


def test_empty_message_is_refused_naming_the_field(world):
    client = world.client_for("parent")
    response = client.post(reverse("family_message", args=[world.maya.public_id]), {"body": " "})
    assert response.status_code == 200
    assert "Your message" in response.content.decode()
    assert not Message.objects.exists()


def test_thread_queries_do_not_grow_with_messages(world, django_assert_max_num_queries):
    for i in range(20):
        actions.send_message(actor=world.users["parent"], student=world.maya, body=f"m{i}")
        actions.send_message(actor=world.users["case_manager"], student=world.maya, body=f"r{i}")
    client = world.client_for("psych")
    url = reverse("message_thread", args=[world.maya.public_id])
    client.get(url)
    with django_assert_max_num_queries(30):
        assert client.get(url).status_code == 200


# --- the capability matrix: the team logs and writes, the family writes as the family ------------


def test_a_provider_logs_a_contact(world):
    # The contractor serves Maya: a provider tie holds LOG_CONTACTS.
    response = _contact(world.client_for("contractor"), world.maya)
    assert response.status_code == 302
    assert ContactEntry.objects.get().staff == world.users["contractor"]


@pytest.mark.parametrize(
    ("persona", "status"),
    [("case_manager", 403), ("teacher", 403), ("stranger", 404), ("uncle", 404)],
)
def test_only_the_family_posts_as_the_family(world, persona, status):
    url = reverse("family_message", args=[world.maya.public_id])
    assert world.client_for(persona).post(url, {"body": "hi"}).status_code == status
    assert not Message.objects.exists()


def test_the_family_cannot_post_as_the_team(world):
    url = reverse("message_thread", args=[world.maya.public_id])
    assert world.client_for("parent").post(url, {"body": "hi"}).status_code == 403
    assert not Message.objects.exists()


def test_send_message_action_follows_the_matrix(world):
    from django.core.exceptions import PermissionDenied
    from django.http import Http404

    with pytest.raises(PermissionDenied):
        actions.send_message(actor=world.users["teacher"], student=world.maya, body="hi")
    with pytest.raises(Http404):
        actions.send_message(actor=world.users["uncle"], student=world.maya, body="hi")
    sent = actions.send_message(actor=world.users["contractor"], student=world.maya, body="hi")
    assert not sent.from_family
    assert not Message.objects.filter(author=world.users["teacher"]).exists()
