"""Events that show many students at once (lists, exports, API pages) name each one: the event
keeps their count and digest inside the hash chain, an index row per student lets "who opened
this record" find it, and verify_audit reports an index that no longer matches."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.urls import reverse

from tandem import audit
from tandem.accounts.models import AuditEvent, AuditListing
from tandem.audit.catalogue import Action
from tandem.web.pages import record_of_access


def _verify() -> tuple[int, str]:
    err = io.StringIO()
    try:
        call_command("verify_audit", stdout=io.StringIO(), stderr=err)
        return 0, err.getvalue()
    except SystemExit as exit_:
        return int(exit_.code or 0), err.getvalue()


def test_an_event_naming_many_students_is_found_from_each(world):
    event = audit.record(
        actor=world.users["director"],
        action=Action.STUDENTS__SEARCHED,
        students=[world.maya, world.leo, world.maya.pk],
    )
    assert event.detail["students_listed"]["count"] == 2
    assert AuditListing.objects.filter(event_id=event.pk).count() == 2
    assert event in record_of_access(world.maya, with_refusals=False)
    assert event in record_of_access(world.leo, with_refusals=False)
    assert event not in record_of_access(world.ana, with_refusals=False)
    assert _verify()[0] == 0


def test_the_index_is_append_only_and_a_slipped_in_row_is_reported(world):
    event = audit.record(actor=None, action=Action.STUDENTS__SEARCHED, students=[world.maya])
    with pytest.raises(PermissionError):
        AuditListing.objects.filter(event_id=event.pk).delete()
    refused = pytest.raises(Exception, match="append-only")
    with refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM access_auditlisting WHERE event_id = %s", [event.pk])
    # An insert is what the triggers allow: adding Ana to the event is caught by the digest.
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO access_auditlisting (event_id, student_id) VALUES (%s, %s)",
            [event.pk, world.ana.pk],
        )
    code, err = _verify()
    assert code == 1 and f"event {event.pk}" in err and "changed" in err


def test_the_api_student_list_and_the_home_page_name_their_students(world):
    token_client = world.client_for("case_manager")
    token_client.get(reverse("home"))
    home = AuditEvent.objects.filter(action=Action.HOME__VIEWED).latest("id")
    assert home in record_of_access(world.maya, with_refusals=False)
    world.client_for("director").get(reverse("student_search"), {"q": "lopez"})
    found = AuditEvent.objects.filter(action=Action.STUDENTS__SEARCHED).latest("id")
    assert found in record_of_access(world.maya, with_refusals=False)


def test_an_older_event_with_its_own_listed_detail_is_not_read_as_an_index(world):
    # The progress page once kept {"listed": [public ids]} in its detail: not a digest.
    audit.record(actor=None, action=Action.PROGRESS__COLLECT_VIEWED, detail={"listed": ["a", "b"]})
    audit.record(actor=None, action=Action.STUDENTS__SEARCHED, students=[world.maya])
    assert _verify()[0] == 0
