"""Import a district's OneRoster 1.1/1.2 CSV roster (a folder or a zip): a dry run, or --apply.

    manage.py import_oneroster /srv/sis/nightly.zip --district riverside            # dry run
    manage.py import_oneroster /srv/sis/nightly/ --district riverside --apply       # nightly

The dry run prints what would be added, changed and ended per kind and every refused row (file,
row, column, value, reason) and writes nothing. --apply writes all of it or nothing. The exit
code is 1 when the files cannot be read at all (nothing is written), 0 otherwise (refused rows
are reported, not fatal).
"""

from __future__ import annotations

import uuid
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tandem.core import clock
from tandem.interop import actions, roster
from tandem.interop.oneroster import RosterFileError, Source, write_problems
from tandem.interop.roster_run import Result
from tandem.people.models import District


def find_district(key: str) -> District:
    try:
        return District.objects.get(public_id=uuid.UUID(key))
    except (ValueError, District.DoesNotExist):
        pass
    try:
        return District.objects.get(slug=key)
    except District.DoesNotExist:
        raise CommandError(f"no district with the slug or public id {key!r}") from None


class Command(BaseCommand):
    help = "Import a OneRoster CSV roster (folder or zip) into a district: a dry run, or --apply."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="a folder of OneRoster CSV files or a zip of them")
        parser.add_argument("--district", required=True, help="the district's slug or public id")
        parser.add_argument("--apply", action="store_true", help="write it (all or nothing)")
        parser.add_argument("--problems-csv", help="also write the refused rows to this CSV")
        parser.add_argument("--max-problems", type=int, default=200,
                            help="how many problems to print (all go to --problems-csv)")  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        district = find_district(options["district"])
        try:
            source = Source(options["path"])
            if options["apply"]:
                result = actions.import_roster(source=source, district=district, actor=None)
            else:
                result = roster.plan(source, district, today=clock.today(), apply=False)
        except RosterFileError as error:
            raise CommandError(f"nothing was imported: {error}") from error
        except Exception as error:  # noqa: BLE001 - the transaction was rolled back: say so
            raise CommandError(
                f"nothing was imported (everything was rolled back): {type(error).__name__}: "
                f"{error}"
            ) from error
        self.report(result, district, options)

    def report(self, result: Result, district: District, options: dict[str, Any]) -> None:
        out = self.stdout
        what = "Applied" if result.applied else "Dry run (nothing written)"
        out.write(f"{what}: OneRoster roster for {district.name}")
        out.write(f"{'kind':<18}{'added':>9}{'changed':>9}{'ended':>9}{'unchanged':>11}"
                  f"{'refused':>9}")  # fmt: skip
        for kind, t in sorted(result.counts.items()):
            out.write(f"{kind:<18}{t.added:>9}{t.changed:>9}{t.ended:>9}{t.unchanged:>11}"
                      f"{t.refused:>9}")  # fmt: skip
        out.write(f"{result.problem_count} problems ({result.refused_rows} rows refused)")
        for p in result.problems[: options["max_problems"]]:
            out.write(f"  {p.severity}: {p.file}.csv row {p.row}, {p.column}={p.value!r}: "
                      f"{p.reason}")  # fmt: skip
        if path := options.get("problems_csv"):
            with open(path, "w", newline="", encoding="utf-8") as target:
                write_problems(target, [p.as_list() for p in result.problems])
