"""Export a district's special-education and 504 records as Ed-Fi JSON: a zip of one JSON Lines
file per Ed-Fi ODS/API resource (Data Standard 5.2, and 6.1's IEP entities), and a manifest.

    manage.py export_edfi --district grand-bend --out /srv/exports/grand-bend-edfi.zip

Every student of the district is written and named in the audit log, as given out by --as (an
email), else by the district's first district administrator.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tandem.access.capabilities import Cap
from tandem.access.policy import students_with
from tandem.interop import actions_edfi
from tandem.interop.management.commands.import_edfi import responsible
from tandem.interop.management.commands.import_oneroster import find_district


class Command(BaseCommand):
    help = "Export a district's records as Ed-Fi JSON (a zip of one file per resource)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--district", required=True, help="the district's slug or public id")
        parser.add_argument("--out", required=True, type=Path, help="the zip file to write")
        parser.add_argument("--as", dest="as_email", help="email of the person responsible")

    def handle(self, *args: Any, **options: Any) -> None:
        district = find_district(options["district"])
        actor = responsible(district, options["as_email"])
        # The person's reach, as on the page: the policy decides, not the command.
        students = students_with(actor, Cap.READ).filter(district=district)
        out: Path = options["out"]
        if not out.parent.is_dir():
            raise CommandError(f"no folder {out.parent} to write the export in")
        with open(out, "wb") as target:
            manifest = actions_edfi.export_edfi(actor=actor, district=district,
                                                students=students, target=target)  # fmt: skip
        self.stdout.write(f"Ed-Fi export of {district.name} written to {out}")
        for name, count in manifest.counts.items():
            self.stdout.write(f"{name:<45}{count:>9,}")
