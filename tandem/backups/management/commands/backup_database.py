"""`manage.py backup_database --out tandem-2026-05-04.sqlite3` (or .dump on PostgreSQL)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tandem.backups.database import BackupFailed, backup_database
from tandem.backups.management.commands._common import actor, add_actor


class Command(BaseCommand):
    help = (
        "Copy the whole database to FILE while Tandem keeps serving: SQLite's online backup "
        "(a SQLite file), or pg_dump --format=custom on PostgreSQL (restore with pg_restore; "
        "docs/operations.md). Audited."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--out", required=True, help="the file to write (replaced if there)")
        add_actor(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        out = Path(options["out"])
        if not out.parent.is_dir():
            raise CommandError(f"--out: no folder {str(out.parent)!r}")
        try:
            result = backup_database(actor=actor(options["as_email"]), out=out)
        except BackupFailed as error:
            raise CommandError(f"no backup was written: {error}") from None
        self.stdout.write(
            f"Backed up the {result.engine} database to {out} ({result.bytes:,} bytes) in "
            f"{result.seconds:.1f} s."
        )
        self.stdout.write(
            f"Audit log head, to keep with the backup (verify_audit --anchor): {result.anchor}"
        )
