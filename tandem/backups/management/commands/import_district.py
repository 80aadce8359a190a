"""`manage.py import_district riverside.zip`: a district's export, checked, loaded all or nothing."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import DatabaseError

from tandem.backups.archive import ArchiveError
from tandem.backups.management.commands._common import actor, add_actor
from tandem.backups.restore import import_district


class Command(BaseCommand):
    help = (
        "Load a zip written by export_district: checks every member's SHA-256 and the migration "
        "state, refuses a district (or any row or file) already here, then loads everything in "
        "one transaction and copies the uploaded files. Exit status 1 and nothing changed on "
        "any refusal or error. Audited."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the zip written by export_district")
        add_actor(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        responsible = actor(options["as_email"])
        try:
            result = import_district(actor=responsible, path=Path(options["file"]))
        except ArchiveError as error:
            raise CommandError(f"nothing was imported: {error}") from None
        except DatabaseError as error:
            raise CommandError(
                f"nothing was imported (everything was rolled back): {type(error).__name__}: "
                f"{error}"
            ) from None
        for table, rows in sorted(result.rows.items()):
            if rows:
                self.stdout.write(f"{rows:>9,}  {table}")
        self.stdout.write(
            f"Imported {result.district.name}: {result.total:,} rows and {result.media:,} files "
            f"in {result.seconds:.1f} s. Audit events appended to this log's chain: "
            f"{result.audit_events:,} ({result.audit_hashes_kept:,} with their original hash)."
        )
