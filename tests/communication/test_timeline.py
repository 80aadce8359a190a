"""Messages, logged contacts and documents sent, in one family timeline (issue 13)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from tandem.communication import actions
from tandem.communication.deliveries import record_delivery
from tandem.people.relations import rights_holder

pytestmark = pytest.mark.django_db


def _history(world):  # type: ignore[no-untyped-def]
    today = timezone.localdate()
    actions.add_contact(
        actor=world.users["case_manager"],
        student=world.maya,
        contacted_on=today - timedelta(days=3),
        method="phone",
        summary="Called about the reading log.",
        follow_up="Send the log home.",
        follow_up_owner=world.users["case_manager"],
    )
    actions.send_message(actor=world.users["parent"], student=world.maya, body="Thank you!")
    record_delivery(
        student=world.maya,
        guardian=rights_holder(world.maya),
        kind="notice",
        title="Prior written notice",
        url="/notices/x/",
        sent_by=world.users["case_manager"],
    )


def test_the_team_reads_everything_with_the_family_newest_first(world):
    _history(world)
    client = world.client_for("case_manager")
    url = reverse("family_timeline", args=[world.maya.public_id])
    page = client.get(url)
    assert page.status_code == 200
    kinds = [e.kind for e in page.context["entries"]]
    # The contact was three days ago; the message and the document were sent today.
    assert sorted(kinds[:2]) == ["document", "message"] and kinds[2] == "contact"
    text = page.content.decode()
    for words in ("Thank you!", "Called about the reading log.", "Prior written notice"):
        assert words in text
    assert "not opened yet" in text and "Message from the family" in text
    only = client.get(url, {"kind": "contact"}).context["entries"]
    assert [e.kind for e in only] == ["contact"]
    assert client.get(url, {"kind": "bogus"}).context["kind"] == ""
    student_page = client.get(reverse("student", args=[world.maya.public_id])).content.decode()
    assert url in student_page


@pytest.mark.parametrize(("persona", "status"), [("parent", 404), ("stranger", 404)])
def test_outsiders_and_the_family_do_not_get_the_team_timeline(world, persona, status):
    _history(world)
    url = reverse("family_timeline", args=[world.maya.public_id])
    assert world.client_for(persona).get(url).status_code == status


def test_timeline_queries_do_not_grow(world, django_assert_max_num_queries):
    _history(world)
    client = world.client_for("case_manager")
    url = reverse("family_timeline", args=[world.maya.public_id])
    with django_assert_max_num_queries(40) as captured:
        client.get(url)
    first = len(captured)
    for _ in range(4):
        _history(world)
    with django_assert_max_num_queries(first):
        client.get(url)
