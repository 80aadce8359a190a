"""Copy the whole database to a file while Tandem goes on serving (`manage.py backup_database`).

SQLite: the online backup API (sqlite3.Connection.backup) from a connection of its own, which
copies a consistent snapshot page by page; writers go on meanwhile (WAL) and a page they change
mid-copy makes SQLite restart the step, so the file is always one moment of the database. Copying
the .sqlite3 file with cp can catch it half-written, and misses what is still in the -wal file.

PostgreSQL: `pg_dump --format=custom`, restored with `pg_restore` (docs/operations.md). The
password goes to pg_dump in PGPASSWORD, never on its command line, where `ps` shows it.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from django.db import connection

from tandem import audit
from tandem.accounts.models import AuditEvent, User
from tandem.audit.catalogue import Action

PAGES_PER_STEP = 1024  # about 4 MB a step, then the lock is let go for the server's writers
BUSY_SECONDS = 120  # a source locked this long (a writer that never lets go) fails the backup
SQLITE_BUSY, SQLITE_LOCKED = 5, 6


class BackupFailed(Exception):
    pass


@dataclass
class BackupResult:
    path: Path
    engine: str
    bytes: int
    seconds: float
    # The audit log's head when the backup was made (`id:hash`, the backup's own event): kept
    # with the backup, `verify_audit --anchor` later proves the log still runs through it, so
    # even the newest events cannot be cut off unseen (docs/operations.md).
    anchor: str


def _sqlite(settings: dict[str, Any], out: Path) -> None:
    name = str(settings["NAME"])
    in_memory = name == ":memory:" or "mode=memory" in name
    if in_memory:  # a test database: only this process's own connection reaches it
        if connection.in_atomic_block:
            raise BackupFailed("an in-memory database cannot be copied from inside a transaction")
        connection.ensure_connection()
        source = connection.connection
    else:
        source = sqlite3.connect(name, timeout=30)
    target = sqlite3.connect(out)
    try:
        source.backup(target, pages=PAGES_PER_STEP, sleep=0.005, progress=_give_up_when_stuck())
        result = target.execute("PRAGMA integrity_check").fetchone()
        if result is None or result[0] != "ok":
            raise BackupFailed(f"the copy fails SQLite's integrity check: {result}")
        target.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
    finally:
        target.close()
        if not in_memory:
            source.close()


def _give_up_when_stuck():  # type: ignore[no-untyped-def]
    """Python retries a busy step for ever; a backup that waits BUSY_SECONDS fails instead."""
    since: list[float] = []

    def progress(status: int, remaining: int, total: int) -> None:
        if status not in (SQLITE_BUSY, SQLITE_LOCKED):
            since.clear()
            return
        since.append(since[0] if since else time.monotonic())
        if time.monotonic() - since[0] > BUSY_SECONDS:
            raise BackupFailed(f"the database stayed locked for {BUSY_SECONDS} s")

    return progress


def pg_environment(settings: dict[str, Any]) -> dict[str, str]:
    """libpq's variables for the connection settings; the password only ever here."""
    env = dict(os.environ)
    for key, variable in (
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
        ("NAME", "PGDATABASE"),
    ):
        if settings.get(key):
            env[variable] = str(settings[key])
    if mode := settings.get("OPTIONS", {}).get("sslmode"):
        env["PGSSLMODE"] = str(mode)
    return env


def _postgres(settings: dict[str, Any], out: Path) -> None:
    program = shutil.which("pg_dump")
    if program is None:
        raise BackupFailed("pg_dump is not installed (Debian: apt-get install postgresql-client)")
    done = subprocess.run(  # noqa: S603 - a fixed program, no shell; the values are settings
        [program, "--format=custom", "--no-password", f"--file={out}"],
        env=pg_environment(settings),
        capture_output=True,
        text=True,
        check=False,
    )
    if done.returncode != 0:
        raise BackupFailed(f"pg_dump exited with status {done.returncode}: {done.stderr.strip()}")


def backup_database(*, actor: User | None, out: Path) -> BackupResult:
    """Copy the database to `out` (a temporary name until whole), then audit it."""
    started = time.monotonic()
    settings = connection.settings_dict
    partial = out.with_name(out.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        if connection.vendor == "sqlite":
            _sqlite(settings, partial)
        elif connection.vendor == "postgresql":
            _postgres(settings, partial)
        else:
            raise BackupFailed(f"no backup procedure for {connection.vendor}")
        os.replace(partial, out)
    finally:
        partial.unlink(missing_ok=True)
    size = out.stat().st_size
    event = audit.record(
        actor=actor,
        action=Action.DATABASE__BACKED_UP,
        detail={"file": out.name, "bytes": size, "engine": connection.vendor},
    )
    head = AuditEvent.objects.values_list("hash", flat=True).get(pk=event.pk)
    anchor = f"{event.pk}:{head}"
    return BackupResult(out, connection.vendor, size, time.monotonic() - started, anchor)
