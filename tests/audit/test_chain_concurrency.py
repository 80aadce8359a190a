"""Two writers at once never chain onto the same event (PostgreSQL: the advisory lock; SQLite has
one writer at a time). Threads write with connections of their own, so their events are
committed; the test removes them afterwards as a superuser, with the triggers off."""

from __future__ import annotations

import threading
import time

import pytest
from django.db import connection, connections, transaction

from tandem import audit
from tandem.accounts.models import AuditEvent
from tandem.audit import chain
from tandem.audit.catalogue import Action

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(connection.vendor != "postgresql", reason="threads need PostgreSQL"),
]

THREADS, EACH = 8, 15


def _writer(ids: list[int], errors: list[BaseException], start: threading.Barrier) -> None:
    try:
        start.wait()
        for i in range(EACH):
            if i % 2:
                ids.append(audit.record(actor=None, action=Action.STUDENTS__SEARCHED).pk)
            else:  # inside a transaction that lasts a little after its audit write
                with transaction.atomic():
                    ids.append(audit.record(actor=None, action=Action.STUDENTS__SEARCHED).pk)
                    time.sleep(0.002)
    except BaseException as error:  # noqa: BLE001 - reported by the test
        errors.append(error)
    finally:
        connections.close_all()


def _purge(ids: list[int]) -> None:
    def run() -> None:
        try:
            with transaction.atomic(), connection.cursor() as cursor:
                # As a superuser may (the test database's role is one): triggers off for a
                # replica. The application's own role cannot (test_no_role_may_purge_the_log).
                cursor.execute("SET LOCAL session_replication_role = replica")
                cursor.execute("DELETE FROM access_auditevent WHERE id = ANY(%s)", [ids])
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()


def test_concurrent_writers_make_one_chain():
    ids: list[int] = []
    errors: list[BaseException] = []
    start = threading.Barrier(THREADS)
    threads = [threading.Thread(target=_writer, args=(ids, errors, start)) for _ in range(THREADS)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert not errors, errors
        assert len(ids) == THREADS * EACH
        rows = list(
            AuditEvent.objects.filter(id__in=ids).order_by("id").values_list("prev_hash", "hash")
        )
        prevs = [prev for prev, _ in rows]
        assert len(set(prevs)) == len(prevs), "two events chained onto the same predecessor"
        for (_, before), (after_prev, _) in zip(rows, rows[1:], strict=False):
            assert after_prev == before
        report = chain.verify()
        assert report.broken is None, report.broken
        assert report.count == len(ids)
    finally:
        _purge(ids)


def test_no_role_may_purge_the_log(world):
    """The switch that once let any role empty the log is gone."""
    event = audit.record(actor=None, action=Action.STUDENTS__SEARCHED)
    refused = pytest.raises(Exception, match="append-only")
    with refused, transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL tandem.audit_purge = 'on'")
        cursor.execute("DELETE FROM access_auditevent WHERE id = %s", [event.pk])
    assert AuditEvent.objects.filter(pk=event.pk).exists()
