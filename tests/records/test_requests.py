"""A parent's requests to see (IDEA 34 CFR 300.613) or amend (300.618) the records.

The parent asks from the portal or staff record a request made otherwise; the due date comes
from the state's rules (California: 5 business days, before the next meeting if sooner) and is
stored as a deadline; an amendment is decided within a reasonable time. Whoever keeps the
record answers: an inspection is never refused, a refused amendment gives the reason and tells
the parent of the right to a hearing (REC-10).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from tandem.accounts.models import AuditEvent
from tandem.compliance.models import Deadline, DeadlineKind
from tandem.core import clock
from tandem.meetings.models import Meeting, MeetingKind, MeetingStatus
from tandem.records.actions import AMEND_DAYS
from tandem.records.models import RecordsRequest, RequestStatus

pytestmark = pytest.mark.django_db
MONDAY = date(2026, 3, 2)


def ask(world: Any, kind: str = "inspect", **extra: Any) -> Any:
    url = reverse("records_request_ask", args=[world.maya.public_id])
    return world.client_for("parent").post(url, {"kind": kind, "details": "All of it."} | extra)


def ledger() -> tuple[Any, ...]:
    return (
        tuple(RecordsRequest.objects.values_list("status", "answered_on", "answer")),
        Deadline.objects.count(),
        AuditEvent.objects.filter(action__startswith="records_request.")
        .exclude(action="records_request.viewed")
        .count(),
    )


def test_the_parent_asks_to_see_the_records_and_gets_the_states_date(world) -> None:  # type: ignore[no-untyped-def]
    with clock.fixed(MONDAY):
        assert ask(world).status_code == 302
    rr = RecordsRequest.objects.get()
    assert (rr.requested_by, rr.requested_on, rr.from_portal) == ("Grace Lee", MONDAY, True)
    assert rr.due_on == date(2026, 3, 9)  # California: 5 business days (Ed. Code 56504)
    deadline = Deadline.objects.get(kind=DeadlineKind.RECORDS_INSPECTION)
    assert deadline.due_on == rr.due_on and deadline.student == world.maya
    assert AuditEvent.objects.filter(action="records_request.made", student=world.maya).exists()
    page = world.client_for("parent").get(reverse("records_student", args=[world.maya.public_id]))
    assert "Waiting for an answer" in page.content.decode()


def test_a_meeting_sooner_brings_the_date_forward(world) -> None:  # type: ignore[no-untyped-def]
    starts = timezone.make_aware(datetime(2026, 3, 5, 15))
    Meeting.objects.create(
        student=world.maya,
        kind=MeetingKind.choices[0][0],
        status=MeetingStatus.SCHEDULED,
        starts_at=starts,
        ends_at=starts + timedelta(hours=1),
        place_details="Room 4",
        organizer=world.users["case_manager"].staff,
        created_by=world.users["case_manager"],
    )
    with clock.fixed(MONDAY):
        ask(world)
    assert RecordsRequest.objects.get().due_on == date(2026, 3, 4)  # the day before the meeting


def test_an_amendment_is_decided_within_a_reasonable_time(world) -> None:  # type: ignore[no-untyped-def]
    with clock.fixed(MONDAY):
        ask(world, "amend")
    rr = RecordsRequest.objects.get()
    assert rr.due_on == MONDAY + timedelta(days=AMEND_DAYS)
    assert "300.618" in rr.due_reason


def test_staff_record_a_request_by_letter(world) -> None:  # type: ignore[no-untyped-def]
    url = reverse("records_request_new", args=[world.maya.public_id])
    with clock.fixed(MONDAY):
        response = world.client_for("case_manager").post(
            url,
            {
                "kind": "inspect",
                "details": "The evaluation.",
                "requested_by": "Grace Lopez, by letter",
                "requested_on": "2026-02-27",
            },
        )
    assert response.status_code == 302
    rr = RecordsRequest.objects.get()
    assert (rr.requested_on, rr.from_portal) == (date(2026, 2, 27), False)
    assert rr.due_on == date(2026, 3, 6)


def test_the_leader_lists_and_grants_and_the_deadline_is_met(world) -> None:  # type: ignore[no-untyped-def]
    with clock.fixed(MONDAY):
        ask(world)
    rr = RecordsRequest.objects.get()
    leader = world.client_for("director")
    with clock.fixed(MONDAY):
        listing = leader.get(reverse("records_requests")).content.decode()
        assert world.maya.display_name in listing
        url = reverse("records_request_answer", args=[rr.public_id])
        assert leader.get(url).status_code == 200
        response = leader.post(
            url, {"outcome": "granted", "answered_on": "2026-03-02", "answer": "Shown in room 4."}
        )
    assert response.status_code == 302
    rr.refresh_from_db()
    assert (rr.status, rr.answered_by) == (RequestStatus.GRANTED, world.users["director"])
    assert Deadline.objects.get(kind=DeadlineKind.RECORDS_INSPECTION).met_on == MONDAY
    assert AuditEvent.objects.filter(action="records_request.answered").count() == 1


def test_a_refused_amendment_tells_the_parent_of_the_hearing(world) -> None:  # type: ignore[no-untyped-def]
    ask(world, "amend")
    rr = RecordsRequest.objects.get()
    url = reverse("records_request_answer", args=[rr.public_id])
    world.client_for("case_manager").post(
        url,
        {
            "outcome": "refused",
            "answered_on": clock.today().isoformat(),
            "answer": "The reading level is the tester's.",
        },
    )
    rr.refresh_from_db()
    assert rr.status == RequestStatus.REFUSED
    page = world.client_for("parent").get(reverse("records_student", args=[world.maya.public_id]))
    html = page.content.decode()
    assert "The reading level is the tester&#x27;s." in html
    assert "right to a hearing" in html and "300.619" in html


@pytest.mark.parametrize(
    ("kind", "data", "field", "words"),
    [
        ("amend", {"outcome": "refused", "answer": ""}, "answer", "Say why"),
        ("inspect", {"outcome": "refused", "answer": "No."}, "outcome", "cannot be refused"),
        ("inspect", {"outcome": ""}, "outcome", "Choose granted or refused."),
        ("inspect", {"outcome": "granted", "answered_on": "2099-01-01"}, "answered_on", "future"),
        ("inspect", {"outcome": "granted", "answered_on": "2020-01-01"}, "answered_on", "before"),
    ],
)
def test_bad_answers_are_named_and_nothing_saved(world, kind, data, field, words) -> None:  # type: ignore[no-untyped-def]
    ask(world, kind)
    rr = RecordsRequest.objects.get()
    before = ledger()
    post = {"answered_on": clock.today().isoformat()} | data
    url = reverse("records_request_answer", args=[rr.public_id])
    response = world.client_for("case_manager").post(url, post)
    assert response.status_code == 200
    assert words in response.context["form"].errors[field][0]
    assert ledger() == before


@pytest.mark.parametrize(("data", "field"), [({"kind": ""}, "kind"), ({"details": ""}, "details")])
def test_a_bad_request_is_named(world, data, field) -> None:  # type: ignore[no-untyped-def]
    response = ask(world, **data) if "kind" not in data else ask(world, kind="", details="x")
    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert RecordsRequest.objects.count() == 0


def test_staff_cannot_date_a_request_in_the_future(world) -> None:  # type: ignore[no-untyped-def]
    url = reverse("records_request_new", args=[world.maya.public_id])
    response = world.client_for("case_manager").post(
        url,
        {"kind": "inspect", "details": "x", "requested_by": "G", "requested_on": "2099-01-01"},
    )
    assert "future" in response.context["form"].errors["requested_on"][0]
    assert RecordsRequest.objects.count() == 0


@pytest.mark.parametrize("persona", ["teacher", "psych", "contractor", "parent"])
def test_readers_and_the_parent_cannot_answer(world, persona) -> None:  # type: ignore[no-untyped-def]
    ask(world)
    rr = RecordsRequest.objects.get()
    url = reverse("records_request_answer", args=[rr.public_id])
    before = ledger()
    client = world.client_for(persona)
    assert client.get(url).status_code == 403
    post = {"outcome": "granted", "answered_on": clock.today().isoformat()}
    assert client.post(url, post).status_code == 403
    new = reverse("records_request_new", args=[world.maya.public_id])
    assert client.post(new, {"kind": "inspect", "details": "x"}).status_code == 403
    assert ledger() == before


@pytest.mark.parametrize("persona", ["case_manager", "teacher", "director"])
def test_only_the_parent_asks_from_the_portal(world, persona) -> None:  # type: ignore[no-untyped-def]
    url = reverse("records_request_ask", args=[world.maya.public_id])
    response = world.client_for(persona).post(url, {"kind": "inspect", "details": "x"})
    assert response.status_code == 403
    assert RecordsRequest.objects.count() == 0


@pytest.mark.parametrize("persona", ["stranger", "oak_director", "uncle"])
def test_outsiders_get_404(world, persona) -> None:  # type: ignore[no-untyped-def]
    ask(world)
    rr = RecordsRequest.objects.get()
    client = world.client_for(persona)
    before = ledger()
    assert client.get(reverse("records_request_answer", args=[rr.public_id])).status_code == 404
    assert (
        client.post(reverse("records_request_ask", args=[world.maya.public_id])).status_code == 404
    )
    assert ledger() == before
    assert world.maya.display_name not in client.get(reverse("records_requests")).content.decode()


def test_the_list_query_count_is_fixed(world) -> None:  # type: ignore[no-untyped-def]
    leader = world.client_for("director")
    ask(world)
    leader.get(reverse("records_requests"))
    with CaptureQueriesContext(connection) as one:
        leader.get(reverse("records_requests"))
    for _n in range(3):
        ask(world, "amend")
    with CaptureQueriesContext(connection) as four:
        leader.get(reverse("records_requests"))
    assert len(four) == len(one)
