"""`manage.py export_district riverside --out riverside.zip`: one district's rows and files."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tandem.backups.export import NoSuchDistrict, export_district, find_district
from tandem.backups.management.commands._common import actor, add_actor


class Command(BaseCommand):
    help = (
        "Write every row of DISTRICT (its slug, name, public id or id) across Tandem, the people "
        "and uploaded files they name, and a manifest of SHA-256 checksums, row counts and the "
        "migration state to one zip. Audited. import_district reads it back."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("district", help="the district's slug, name, public id or id")
        parser.add_argument("--out", required=True, help="the zip to write (replaced if there)")
        add_actor(parser)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            district = find_district(options["district"])
        except NoSuchDistrict as error:
            raise CommandError(str(error)) from None
        out = Path(options["out"])
        if not out.parent.is_dir():
            raise CommandError(f"--out: no folder {str(out.parent)!r}")
        result = export_district(actor=actor(options["as_email"]), district=district, out=out)
        tables = sum(1 for rows in result.rows.values() if rows)
        self.stdout.write(
            f"Exported {district.name}: {result.total:,} rows from {tables} tables and "
            f"{result.media:,} files to {out} ({out.stat().st_size:,} bytes) in "
            f"{result.seconds:.1f} s."
        )
        self.stdout.write(f"SHA-256 of the zip: {result.sha256} (keep it with the file)")
        for stored in result.missing_media:
            self.stderr.write(f"warning: {stored} is named by a row but missing from the storage")
