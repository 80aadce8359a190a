"""Import a district's earlier special-education and 504 records from Ed-Fi XML interchanges
(Data Standard 5.2; a folder or a zip): a dry run, or --apply.

    manage.py import_edfi /srv/edfi/grand-bend/ --district grand-bend            # dry run
    manage.py import_edfi /srv/edfi/grand-bend.zip --district grand-bend --apply

The dry run prints what would be added and changed per kind, the plans in force and ended, and
every refused or noted element (file, element, path, value, reason), and writes nothing. --apply
writes all of it or nothing; the plans' author is --as (an email), else the district's first
district administrator. Exit code 1 when the files cannot be read at all (nothing is written).
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from tandem.accounts.models import User
from tandem.core import clock
from tandem.interop import actions_edfi, edfi_import
from tandem.interop.edfi_run import EdfiResult
from tandem.interop.edfi_xml import EdfiFileError, Source
from tandem.interop.management.commands.import_oneroster import find_district
from tandem.interop.oneroster import write_problems
from tandem.people.models import District, Role


def responsible(district: District, email: str | None) -> User:
    if email:
        user = User.objects.filter(email__iexact=email, is_active=True).first()
        if user is None:
            raise CommandError(f"no active account with the email {email!r}")
        return user
    user = (User.objects.filter(is_active=True, staff__roles__district=district,
                                staff__roles__role=Role.DISTRICT_ADMIN,
                                staff__roles__end_date__isnull=True)
            .order_by("pk").first())  # fmt: skip
    if user is None:
        raise CommandError("the district has no district administrator: name the person "
                           "responsible with --as EMAIL")  # fmt: skip
    return user


class Command(BaseCommand):
    help = "Import Ed-Fi XML special-education and 504 records into a district (dry run/--apply)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("path", help="a folder of Ed-Fi XML interchanges or a zip of them")
        parser.add_argument("--district", required=True, help="the district's slug or public id")
        parser.add_argument("--apply", action="store_true", help="write it (all or nothing)")
        parser.add_argument("--as", dest="as_email", help="email of the person responsible")
        parser.add_argument("--problems-csv", help="also write the problems to this CSV")
        parser.add_argument("--max-problems", type=int, default=200,
                            help="how many problems to print (all go to --problems-csv)")  # fmt: skip

    def handle(self, *args: Any, **options: Any) -> None:
        district = find_district(options["district"])
        try:
            source = Source(options["path"])
            if options["apply"]:
                actor = responsible(district, options["as_email"])
                result = actions_edfi.import_edfi(source=source, district=district, actor=actor)
            else:
                result = edfi_import.plan(source, district, today=clock.today(), apply=False)
        except EdfiFileError as error:
            raise CommandError(f"nothing was imported: {error}") from error
        except CommandError:
            raise
        except Exception as error:  # noqa: BLE001 - the transaction was rolled back: say so
            raise CommandError(
                f"nothing was imported (everything was rolled back): {type(error).__name__}: "
                f"{error}"
            ) from error
        self.report(result, district, options)

    def report(self, result: EdfiResult, district: District, options: dict[str, Any]) -> None:
        out = self.stdout
        what = "Applied" if result.applied else "Dry run (nothing written)"
        out.write(f"{what}: Ed-Fi records for {district.name}")
        out.write(f"{'kind':<18}{'added':>9}{'changed':>9}{'unchanged':>11}{'refused':>9}")
        for kind, t in sorted(result.counts.items()):
            out.write(f"{kind:<18}{t.added:>9}{t.changed:>9}{t.unchanged:>11}{t.refused:>9}")
        for label, table in (("in force", result.in_force), ("ended", result.ended)):
            out.write(f"plans {label}: " + (", ".join(f"{k} {n}" for k, n in sorted(table.items()))
                                            or "none"))  # fmt: skip
        out.write(f"{result.problem_count} problems ({result.refused_rows} refused)")
        for p in result.problems[: options["max_problems"]]:
            out.write(f"  {p.severity}: {p.file} element {p.row}, {p.column}={p.value!r}: "
                      f"{p.reason}")  # fmt: skip
        if path := options.get("problems_csv"):
            with open(path, "w", newline="", encoding="utf-8") as target:
                write_problems(target, [p.as_list() for p in result.problems])
