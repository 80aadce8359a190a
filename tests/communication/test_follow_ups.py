"""A follow-up from the contact log is a task on its owner's home page until marked done
(issue 13, "Communication")."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tandem.accounts.models import AuditEvent
from tandem.communication import actions
from tandem.communication.models import ContactEntry

pytestmark = pytest.mark.django_db


def _contact(world, owner="case_manager", days=3, **extra):  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    return actions.add_contact(
        actor=world.users["case_manager"],
        student=world.maya,
        contacted_on=today,
        method="phone",
        summary="Called about the reading log.",
        follow_up=extra.pop("follow_up", "Send the reading log home."),
        follow_up_on=today + timedelta(days=days) if days is not None else None,
        follow_up_owner=world.users[owner],
        **extra,
    )


def test_the_owner_finds_it_on_home_and_marks_it_done(world):
    entry = _contact(world)
    overdue = _contact(world, follow_up="Call back about the bus.")
    ContactEntry.objects.filter(pk=overdue.pk).update(
        follow_up_on=timezone.localdate() - timedelta(days=2)
    )
    client = world.client_for("case_manager")
    home = client.get(reverse("home"))
    text = home.content.decode()
    assert "Your follow-ups with families" in text
    rows = home.context["follow_ups"]
    assert [r.pk for r in rows] == [overdue.pk, entry.pk]  # soonest due first
    assert "Overdue" in text and "Send the reading log home." in text
    done = reverse("follow_up_done", args=[entry.public_id])
    response = client.post(done, {"next": reverse("home")})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    entry.refresh_from_db()
    assert entry.follow_up_done_at is not None
    assert entry.follow_up_done_by == world.users["case_manager"]
    assert AuditEvent.objects.filter(action="communication.follow_up_done").count() == 1
    assert [r.pk for r in client.get(reverse("home")).context["follow_ups"]] == [overdue.pk]
    # Twice is refused, named, and changes nothing.
    again = client.post(done, follow=True)
    assert "already done" in again.content.decode()
    assert AuditEvent.objects.filter(action="communication.follow_up_done").count() == 1
    log = client.get(reverse("comm_log", args=[world.maya.public_id])).content.decode()
    assert "done on" in log


def test_only_the_owner_or_a_leader_marks_it_done(world):
    entry = _contact(world, owner="case_manager")
    done = reverse("follow_up_done", args=[entry.public_id])
    assert world.client_for("teacher").post(done).status_code == 403  # reads, does not log
    assert world.client_for("stranger").post(done).status_code == 404
    assert world.client_for("parent").post(done).status_code in (403, 404)
    entry.refresh_from_db()
    assert entry.follow_up_done_at is None
    assert world.client_for("principal").post(done).status_code == 302
    entry.refresh_from_db()
    assert entry.follow_up_done_by == world.users["principal"]


def test_a_follow_up_out_of_reach_is_not_on_home(world):
    _contact(world)
    assert "follow_ups" not in world.client_for("teacher").get(reverse("home")).context
    # An unsafe "next" is not followed.
    entry = _contact(world)
    response = world.client_for("case_manager").post(
        reverse("follow_up_done", args=[entry.public_id]), {"next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("comm_log", args=[world.maya.public_id])


def test_home_queries_do_not_grow_with_follow_ups(world, django_assert_max_num_queries):
    client = world.client_for("case_manager")
    _contact(world)
    with django_assert_max_num_queries(80) as captured:
        client.get(reverse("home"))
    first = len(captured)
    for _ in range(5):
        _contact(world)
    with django_assert_max_num_queries(first):
        client.get(reverse("home"))
