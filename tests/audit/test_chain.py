"""The audit log's hash chain: every event chained onto the one before it, verify_audit walks it
and names the first event a rewrite, a removal or a slipped-in row broke; an audit write costs
one query, as before the chain."""

from __future__ import annotations

import io
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from tandem import audit
from tandem.accounts.models import AuditEvent
from tandem.audit import chain, context
from tandem.audit.catalogue import Action
from tests.factories import make_user

pytestmark = pytest.mark.django_db

TABLE = "access_auditevent"


def write(n: int, **kwargs):  # type: ignore[no-untyped-def]
    user = make_user(f"chain{AuditEvent.objects.count()}@example.org", first="Ann", last="Ré")
    return [
        audit.record(
            actor=user,
            action=Action.STUDENTS__SEARCHED,
            detail={"q": f"ló{i}", "n": i, "nested": {"b": [1, 2.5, None], "a": True}},
            purpose="annual review",
            **kwargs,
        )
        for i in range(n)
    ]


def verify() -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("verify_audit", stdout=out, stderr=err)
        code = 0
    except SystemExit as exit_:
        code = int(exit_.code or 0)
    return code, out.getvalue(), err.getvalue()


def raw(sql: str, params=()) -> None:  # type: ignore[no-untyped-def]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)


def lifted(sql: str, params=()) -> None:  # type: ignore[no-untyped-def]
    """Run `sql` as someone with the database in hand would: the append-only triggers lifted."""
    if connection.vendor == "sqlite":
        raw("DROP TRIGGER audit_no_update")
        raw("DROP TRIGGER audit_no_delete")
        raw(sql, params)
        raw(
            f"CREATE TRIGGER audit_no_update BEFORE UPDATE ON {TABLE} "
            "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
        )
        raw(
            f"CREATE TRIGGER audit_no_delete BEFORE DELETE ON {TABLE} "
            "BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
        )
    else:  # as a superuser may: triggers do not fire for a replica
        raw("SET LOCAL session_replication_role = replica")
        raw(sql, params)
        raw("SET LOCAL session_replication_role = origin")


def test_each_event_is_chained_onto_the_one_before():
    events = write(3)
    first_before = AuditEvent.objects.filter(id__lt=events[0].id).order_by("-id").first()
    assert events[0].prev_hash == (first_before.hash if first_before else "")
    assert events[1].prev_hash == events[0].hash
    assert events[2].prev_hash == events[1].hash
    stored = AuditEvent.objects.get(pk=events[2].pk)
    assert (stored.prev_hash, stored.hash) == (events[2].prev_hash, events[2].hash)
    text = chain.canonical({name: getattr(stored, name) for name in chain.FIELDS})
    assert stored.hash == chain.link(stored.prev_hash, text)
    assert len(stored.hash) == 64


def test_verify_audit_says_ok_with_the_count_and_the_head():
    events = write(4)
    code, out, err = verify()
    assert code == 0, err
    assert f"OK: {AuditEvent.objects.count()} audit events chained" in out
    assert f"head {events[-1].pk}:{events[-1].hash}" in out


def test_an_empty_log_verifies():
    if AuditEvent.objects.exists():
        pytest.skip("the world wrote events")
    code, out, _ = verify()
    assert code == 0 and "OK: 0 audit events" in out


@pytest.mark.parametrize(
    "column, value",
    [
        ("action", "student.viewed"),
        ("purpose", "nothing to see"),
        ("actor_label", "Someone Else"),
        ("ip", "10.0.0.9"),
        ("detail", '{"q": "other"}'),
    ],
)
def test_a_changed_event_is_named(column, value):
    events = write(3)
    lifted(f"UPDATE {TABLE} SET {column} = %s WHERE id = %s", [value, events[1].pk])
    code, _, err = verify()
    assert code == 1
    assert f"BROKEN at event {events[1].pk}" in err
    assert "changed after it was written" in err


def test_a_back_dated_event_is_named():
    events = write(3)
    earlier = events[1].at - timedelta(days=40)
    lifted(f"UPDATE {TABLE} SET at = %s WHERE id = %s", [earlier, events[1].pk])
    code, _, err = verify()
    assert code == 1 and f"BROKEN at event {events[1].pk}" in err


def test_a_removed_event_breaks_the_link_of_the_next():
    events = write(3)
    lifted(f"DELETE FROM {TABLE} WHERE id = %s", [events[1].pk])
    code, _, err = verify()
    assert code == 1
    assert f"BROKEN at event {events[2].pk}" in err
    assert f"is not the hash of event {events[0].pk}" in err
    assert "removed" in err


def test_removing_the_first_events_is_named():
    events = write(3)
    lifted(f"DELETE FROM {TABLE} WHERE id <= %s", [events[0].pk])
    code, _, err = verify()
    assert code == 1 and f"BROKEN at event {events[1].pk}" in err
    assert "events before it were removed" in err


def test_a_rewritten_chain_is_caught_by_an_anchor_kept_elsewhere():
    events = write(3)
    _, out, _ = verify()
    anchor = out.split("head ")[1].strip()
    # Someone rewrites event 2 and recomputes every hash from there: the chain holds again...
    lifted(f"UPDATE {TABLE} SET purpose = 'rewritten' WHERE id = %s", [events[1].pk])
    prev = events[0].hash
    for event in AuditEvent.objects.filter(id__gte=events[1].pk).order_by("id"):
        values = {name: getattr(event, name) for name in chain.FIELDS}
        digest = chain.link(prev, chain.canonical(values))
        lifted(
            f"UPDATE {TABLE} SET prev_hash = %s, hash = %s WHERE id = %s", [prev, digest, event.pk]
        )
        prev = digest
    assert verify()[0] == 0
    # ...but not through the head an earlier run printed.
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit_:
        call_command("verify_audit", anchor=anchor, stdout=io.StringIO(), stderr=err)
    assert exit_.value.code == 1
    assert f"BROKEN at event {events[-1].pk}" in err.getvalue()
    out = io.StringIO()
    call_command("verify_audit", anchor=f"{events[-1].pk}:{prev}", stdout=out)
    assert "OK" in out.getvalue()


def test_an_event_inserted_without_the_chain_is_named():
    events = write(2)
    raw(
        f"INSERT INTO {TABLE} (at, actor_label, action, object_type, object_id, channel, purpose,"
        " detail) VALUES (%s, 'x', 'student.viewed', '', '', 'web', '', '{}')",
        [events[0].at],
    )
    code, _, err = verify()
    assert code == 1 and "BROKEN at event" in err


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's REPLACE INTO")
@pytest.mark.parametrize("verb", ["REPLACE INTO", "INSERT OR REPLACE INTO", "INSERT INTO"])
def test_sqlite_refuses_rewriting_or_slipping_in_rows(verb):
    from django.db import IntegrityError, OperationalError

    events = write(2)
    with pytest.raises((IntegrityError, OperationalError)), transaction.atomic():
        raw(
            f"{verb} {TABLE} (id, at, actor_label, action, object_type, object_id, channel,"
            " purpose, detail, prev_hash, hash) VALUES (%s, %s, 'x', 'student.viewed', '', '',"
            " 'web', '', '{}', '', '')",
            [events[0].pk, events[0].at],
        )
    assert verify()[0] == 0


def test_the_model_refuses_to_write_outside_the_chain():
    with pytest.raises(PermissionError):
        AuditEvent(action="student.viewed").save()
    with pytest.raises(PermissionError):
        AuditEvent.objects.bulk_create([AuditEvent(action="student.viewed")])


def test_an_audit_write_is_one_query_in_a_transaction_or_not():
    user = make_user("cost@example.org")
    for atomic in (False, True):
        with CaptureQueriesContext(connection) as queries:
            if atomic:
                with transaction.atomic():
                    audit.record(actor=user, action=Action.STUDENTS__SEARCHED)
            else:
                audit.record(actor=user, action=Action.STUDENTS__SEARCHED)
        writes = [q["sql"] for q in queries if "access_auditevent" in q["sql"]]
        assert len(writes) == 1, writes


def test_the_request_context_is_hashed_too():
    user = make_user("ctx@example.org")
    token = context.set_current(
        context.RequestContext(channel="api", ip="::ffff:10.0.0.1", purpose="why", method="GET")
    )
    try:
        event = audit.record(actor=user, action=Action.STUDENTS__SEARCHED)
    finally:
        context.reset(token)
    assert verify()[0] == 0
    lifted(f"UPDATE {TABLE} SET channel = 'web' WHERE id = %s", [event.pk])
    assert verify()[0] == 1
