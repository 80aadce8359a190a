"""backup_database: SQLite's online backup; pg_dump on PostgreSQL, restored with pg_restore."""

from __future__ import annotations

import shutil
import sqlite3
import subprocess
import threading
import uuid
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, connections

from tandem.accounts.models import AuditEvent
from tandem.backups.database import pg_environment
from tandem.people.models import District, School
from tests.backups.conftest import manage

pytestmark = pytest.mark.django_db


def test_sqlite_backup_copies_a_file_database_and_is_audited(
    fresh_database: Path, tmp_path: Path
) -> None:
    # A database file served by another process, as in production (WAL, its own connection).
    out = tmp_path / "copy.sqlite3"
    done = manage(fresh_database, "manage.py", "backup_database", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert "Backed up the sqlite database" in done.stdout
    with sqlite3.connect(out) as copy:
        assert copy.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)
        migrations = copy.execute("SELECT COUNT(*) FROM django_migrations").fetchone()[0]
    with sqlite3.connect(fresh_database) as source:
        assert source.execute("SELECT COUNT(*) FROM django_migrations").fetchone()[0] == migrations
        events = source.execute("SELECT action, id, hash FROM access_auditevent").fetchall()
    assert [e[0] for e in events] == ["database.backed_up"]
    # The head to keep with the backup is printed, and verify_audit accepts it as an anchor.
    anchor = f"{events[0][1]}:{events[0][2]}"
    assert f"(verify_audit --anchor): {anchor}" in done.stdout
    verified = manage(fresh_database, "manage.py", "verify_audit", "--anchor", anchor)
    assert verified.returncode == 0, verified.stderr


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the test database is SQLite's")
def test_a_failed_backup_leaves_no_file_and_says_why(world, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    out = tmp_path / "copy.sqlite3"
    with pytest.raises(CommandError, match="no backup was written: an in-memory database"):
        call_command("backup_database", "--out", str(out), stdout=StringIO())
    assert list(tmp_path.iterdir()) == []
    assert not AuditEvent.objects.filter(action="database.backed_up").exists()


def _in_thread(work) -> None:  # type: ignore[no-untyped-def]
    """Committed from a connection of its own, so that pg_dump (another process) sees it."""
    errors: list[BaseException] = []

    def run() -> None:
        try:
            work()
        except BaseException as error:  # noqa: BLE001 - re-raised below
            errors.append(error)
        finally:
            connections.close_all()

    thread = threading.Thread(target=run)
    thread.start()
    thread.join()
    if errors:
        raise errors[0]


def _counts(run_sql) -> dict[str, int]:  # type: ignore[no-untyped-def]
    tables = run_sql(
        "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY tablename"
    )
    return {t: int(run_sql(f'SELECT COUNT(*) FROM "{t}"')[0]) for t in tables}


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="pg_dump and pg_restore: CI's second run, with DATABASE_URL=postgres://...",
)
def test_pg_dump_restores_with_pg_restore_to_the_same_counts(tmp_path: Path) -> None:
    slug = f"backup-{uuid.uuid4().hex[:8]}"

    def seed() -> None:
        district = District.objects.create(name="Backup Test", state="CA", slug=slug)
        School.objects.create(
            district=district, name="A", code="A", lowest_grade="K", highest_grade="5"
        )

    def unseed() -> None:
        School.objects.filter(district__slug=slug).delete()
        District.objects.filter(slug=slug).delete()

    _in_thread(seed)
    scratch = f"tandem_restore_{uuid.uuid4().hex[:8]}"
    env = pg_environment(connection.settings_dict)
    psql = [shutil.which("psql") or "psql", "-v", "ON_ERROR_STOP=1", "-qAt"]
    try:
        out = tmp_path / "tandem.dump"
        call_command("backup_database", "--out", str(out), stdout=StringIO())
        subprocess.run(
            [*psql, "-d", "postgres", "-c", f"CREATE DATABASE {scratch}"], env=env, check=True
        )
        subprocess.run(
            ["pg_restore", "--no-owner", "--exit-on-error", "-d", scratch, str(out)],
            env=env,
            check=True,
        )

        def query(database: str):  # type: ignore[no-untyped-def]
            def run(sql: str) -> list[str]:
                done = subprocess.run(
                    [*psql, "-d", database, "-c", sql],
                    env=env,
                    check=True,
                    capture_output=True,
                    text=True,
                )
                return done.stdout.split()

            return run

        source = _counts(query(connection.settings_dict["NAME"]))
        assert _counts(query(scratch)) == source
        assert source["people_district"] >= 1 and source["people_school"] >= 1
    finally:
        subprocess.run(
            [*psql, "-d", "postgres", "-c", f"DROP DATABASE IF EXISTS {scratch}"],
            env=env,
            check=False,
        )
        _in_thread(unseed)
