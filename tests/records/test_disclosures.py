"""FERPA 34 CFR 99.32: disclosures outside the school officials, recorded by whoever keeps the
record (leaders and the case manager), kept as written, and shown to the parent beside who
opened the record (99.32(c))."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from tandem.accounts.models import AuditEvent
from tandem.core import clock
from tandem.core.models import AppendOnlyError
from tandem.records.models import Disclosure

pytestmark = pytest.mark.django_db


def good(**changes: Any) -> dict[str, Any]:
    data = {
        "kind": "transfer",
        "party": "J. Ortiz, Lakeside Unified",
        "basis": "99.31(a)(2)",
        "interest": "Maya enrolls at Lakeside Elementary on Monday.",
        "records": "The IEP in force and the 2025 evaluation report.",
        "disclosed_on": clock.today().isoformat(),
    }
    return data | changes


def ledger() -> tuple[int, int]:
    return Disclosure.objects.count(), AuditEvent.objects.filter(
        action="disclosure.recorded"
    ).count()


@pytest.mark.parametrize("persona", ["case_manager", "director", "principal"])
def test_keepers_record_a_disclosure(world, persona) -> None:  # type: ignore[no-untyped-def]
    client = world.client_for(persona)
    url = reverse("disclosure_new", args=[world.maya.public_id])
    assert client.get(url).status_code == 200
    response = client.post(url, good())
    assert response.status_code == 302
    d = Disclosure.objects.get()
    assert (d.party, d.basis, d.released_by) == (
        "J. Ortiz, Lakeside Unified",
        "99.31(a)(2)",
        world.users[persona],
    )
    event = AuditEvent.objects.get(action="disclosure.recorded")
    assert event.student == world.maya and event.detail["basis"] == "99.31(a)(2)"


def test_the_parent_sees_disclosures_beside_who_opened_the_record(world) -> None:  # type: ignore[no-untyped-def]
    world.client_for("case_manager").post(
        reverse("disclosure_new", args=[world.maya.public_id]), good()
    )
    log = reverse("student_access_log", args=[world.maya.public_id])
    html = world.client_for("parent").get(log).content.decode()
    assert "J. Ortiz, Lakeside Unified" in html
    assert "Maya enrolls at Lakeside Elementary on Monday." in html
    assert "99.31(a)(2)" in html
    assert "Cara Lee" in html  # who released it
    records = reverse("records_student", args=[world.maya.public_id])
    assert "J. Ortiz" in world.client_for("parent").get(records).content.decode()


@pytest.mark.parametrize(
    ("changes", "field", "words"),
    [
        ({"party": ""}, "party", "Name who received the records."),
        ({"interest": " "}, "interest", "Say why they needed the records."),
        ({"basis": "99.31(a)(9)"}, "basis", "This legal basis does not fit the disclosure"),
        (
            {"disclosed_on": (clock.today() + timedelta(days=2)).isoformat()},
            "disclosed_on",
            "The date cannot be in the future.",
        ),
        ({"records": "x" * 2001}, "records", "2,001"),
    ],
)
def test_bad_input_is_named_and_nothing_saved(world, changes, field, words) -> None:  # type: ignore[no-untyped-def]
    url = reverse("disclosure_new", args=[world.maya.public_id])
    before = ledger()
    response = world.client_for("case_manager").post(url, good(**changes))
    assert response.status_code == 200
    assert words in response.context["form"].errors[field][0]
    assert ledger() == before


@pytest.mark.parametrize("persona", ["teacher", "psych", "contractor", "parent"])
def test_readers_cannot_record_one(world, persona) -> None:  # type: ignore[no-untyped-def]
    client = world.client_for(persona)
    url = reverse("disclosure_new", args=[world.maya.public_id])
    before = ledger()
    assert client.get(url).status_code == 403
    assert client.post(url, good()).status_code == 403
    assert ledger() == before


@pytest.mark.parametrize("persona", ["stranger", "oak_director", "uncle"])
def test_outsiders_get_404(world, persona) -> None:  # type: ignore[no-untyped-def]
    client = world.client_for(persona)
    before = ledger()
    for name in ("disclosure_new", "records_student"):
        url = reverse(name, args=[world.maya.public_id])
        assert client.get(url).status_code == 404
    assert (
        client.post(reverse("disclosure_new", args=[world.maya.public_id]), good()).status_code
        == 404
    )
    assert ledger() == before


@pytest.mark.parametrize("persona", ["teacher", "contractor"])
def test_the_records_page_is_not_for_every_reader(world, persona) -> None:  # type: ignore[no-untyped-def]
    url = reverse("records_student", args=[world.maya.public_id])
    assert world.client_for(persona).get(url).status_code == 403


def test_a_disclosure_is_kept_as_written(world) -> None:  # type: ignore[no-untyped-def]
    world.client_for("case_manager").post(
        reverse("disclosure_new", args=[world.maya.public_id]), good()
    )
    d = Disclosure.objects.get()
    d.party = "someone else"
    with pytest.raises(AppendOnlyError):
        d.save()
    with pytest.raises(AppendOnlyError):
        Disclosure.objects.all().delete()


def test_the_records_page_query_count_is_fixed(world) -> None:  # type: ignore[no-untyped-def]
    client = world.client_for("case_manager")
    url = reverse("records_student", args=[world.maya.public_id])
    add = reverse("disclosure_new", args=[world.maya.public_id])
    client.post(add, good())
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(4):
        client.post(add, good(party=f"Agency {n}"))
    with CaptureQueriesContext(connection) as five:
        assert client.get(url).status_code == 200
    assert len(five) == len(one)
