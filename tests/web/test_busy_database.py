"""A locked database: the request is run again when nothing was kept, or answered honestly.

The lock is real: a second SQLite connection holds the write lock on a file database while the
view tries to write there. (The suite's own database is in memory and cannot be locked.)
"""

from __future__ import annotations

import json
import sqlite3
import threading

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from tandem.core.busy import BusyDatabaseMiddleware
from tandem.core.saving import SavedWrites, is_lock_error


@pytest.fixture
def locked_file(tmp_path):
    path = tmp_path / "locked.sqlite3"
    setup = sqlite3.connect(path)
    setup.execute("CREATE TABLE t (x INTEGER)")
    setup.commit()
    setup.close()
    holder = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
    holder.execute("BEGIN IMMEDIATE")
    yield path, holder
    if holder.in_transaction:
        holder.execute("COMMIT")
    holder.close()


def _writer(path):
    calls = []

    def view(request):
        calls.append(1)
        conn = sqlite3.connect(path, timeout=0.05)
        try:
            conn.execute("INSERT INTO t VALUES (1)")
            conn.commit()
        except sqlite3.OperationalError as exc:
            from django.db import OperationalError

            raise OperationalError(str(exc)) from exc
        finally:
            conn.close()
        return HttpResponse("saved")

    return view, calls


def _run(request, view):
    middleware = BusyDatabaseMiddleware(lambda r: view(r))
    return middleware.process_view(request, view, (), {})


def test_lock_released_before_the_retry_saves_once(locked_file):
    path, holder = locked_file
    view, calls = _writer(path)
    threading.Timer(0.1, lambda: holder.execute("COMMIT")).start()
    request = RequestFactory().post("/students/x/communication/")
    request._tandem_writes = SavedWrites()
    response = _run(request, view)
    assert response.status_code == 200
    assert len(calls) >= 2
    assert sqlite3.connect(path).execute("SELECT count(*) FROM t").fetchone()[0] == 1


# No database mark: a request runs outside any transaction, and a transactional test would flush
# the append-only audit log on PostgreSQL.
def test_lock_that_stays_answers_503_not_saved_in_both_languages(locked_file):
    path, _holder = locked_file
    view, calls = _writer(path)
    request = RequestFactory().post("/students/x/communication/")
    request._tandem_writes = SavedWrites()
    response = _run(request, view)
    assert response.status_code == 503
    assert response["Retry-After"]
    body = response.content.decode()
    assert "was not saved" in body and "no se guardó" in body
    assert len(calls) == 3  # the first try and two retries


def test_lock_after_a_kept_write_is_not_retried_and_says_so(locked_file):
    path, _holder = locked_file
    view, calls = _writer(path)
    request = RequestFactory().post("/students/x/communication/")
    request._tandem_writes = SavedWrites()
    request._tandem_writes.saved = True  # an earlier statement of this request was committed
    response = _run(request, view)
    assert response.status_code == 503
    assert "may have been saved" in response.content.decode()
    assert len(calls) == 1


def test_api_gets_the_json_envelope_when_busy(locked_file):
    path, _holder = locked_file
    view, _calls = _writer(path)
    request = RequestFactory().post("/api/v1/goals/x/data-points")
    request._tandem_writes = SavedWrites()
    response = _run(request, view)
    assert response.status_code == 503
    error = json.loads(response.content)["error"]
    assert error["code"] == "busy" and error["saved"] is False


def test_other_database_errors_are_not_mistaken_for_a_lock():
    from django.db import OperationalError

    assert is_lock_error(OperationalError("database is locked"))
    assert not is_lock_error(OperationalError("no such table: t"))
    assert not is_lock_error(ValueError("database is locked"))


@pytest.mark.django_db
def test_saved_writes_count_only_committed_user_rows(django_user_model):
    from django.db import connection, transaction

    from tandem import audit

    writes = SavedWrites()
    with connection.execute_wrapper(writes):
        audit.record(actor=None, action="students.searched")  # bookkeeping, not the user's work
        assert not writes.saved
        try:
            with transaction.atomic():
                django_user_model.objects.create_user(email="rolled@back.example")
                raise RuntimeError
        except RuntimeError:
            pass
        assert not writes.saved  # rolled back: nothing kept
    # Inside the test's own transaction an on-commit hook never fires; outside it, it would.
    assert not writes.saved


def test_500_page_tells_whether_a_submission_was_kept(client, settings):
    from tandem.web.views.errors import server_error

    request = RequestFactory().post("/students/x/communication/")
    request._tandem_writes = SavedWrites()
    body = server_error(request).content.decode()
    assert "What you just sent was not saved" in body
    assert "Nothing you saved was lost" not in body
    request._tandem_writes.saved = True
    assert "may have been saved" in server_error(request).content.decode()
    get = RequestFactory().get("/students/")
    assert "Nothing was changed" in server_error(get).content.decode()
