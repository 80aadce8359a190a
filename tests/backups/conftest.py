"""A migrated database with nothing in it, and a way to run manage.py against it in a process of
its own (the import's "fresh empty database")."""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection

ROOT = Path(settings.BASE_DIR)


def manage(
    database: Path, *args: str, media: Path | None = None
) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ, DATABASE_URL=f"sqlite:///{database}", DEBUG="true")
    env.pop("DATABASE_URL_FILE", None)
    if media is not None:
        env["MEDIA_ROOT"] = str(media)
    return subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )


def _is_empty(path: Path) -> bool:
    with sqlite3.connect(path) as db:
        districts = db.execute("SELECT COUNT(*) FROM people_district").fetchone()[0]
        events = db.execute("SELECT COUNT(*) FROM access_auditevent").fetchone()[0]
    return districts == 0 and events == 0


@pytest.fixture(scope="session")
def empty_database(tmp_path_factory, django_db_setup, django_db_blocker) -> Path:  # type: ignore[no-untyped-def]
    """On SQLite the test database copied before any test writes (SQLite's online backup, as
    backup_database does it); elsewhere `migrate` into a new SQLite file (slower)."""
    path = tmp_path_factory.mktemp("empty") / "empty.sqlite3"
    if connection.vendor == "sqlite":
        from tandem.backups.database import _sqlite

        with django_db_blocker.unblock():
            _sqlite(connection.settings_dict, path)
        if _is_empty(path):
            return path
        path.unlink()
    done = manage(path, "manage.py", "migrate", "--no-input", "-v0")
    assert done.returncode == 0, done.stderr
    return path


@pytest.fixture
def fresh_database(empty_database: Path, tmp_path: Path) -> Path:
    target = tmp_path / "restored.sqlite3"
    shutil.copy(empty_database, target)
    return target
