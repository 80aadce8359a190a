"""`manage.py seed_demo`: the demo districts, students, families, staff and demo logins.

The work is done by `tandem.demo.world` (`--reset` by `tandem.demo.reset`, the printout by
`tandem.demo.summary`); this command only reads the options and prints.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import IntegrityError

from tandem.demo import (
    communication,
    goals,
    meetings,
    portal,
    progress,
    reports,
    revisions,
    services,
    services_family,
)
from tandem.demo import plans as plans_demo
from tandem.demo import referrals as referrals_demo
from tandem.demo import world as demo
from tandem.demo.districts import DEMO_SLUGS
from tandem.demo.personas import DEMO_PASSWORD
from tandem.demo.reset import ResetRefused, demo_exists, reset_demo
from tandem.demo.summary import login_lines, summary_lines

# Seeded in this order after the plans: each may use what the ones before it made.
LATER_DEMOS = (
    goals,
    progress,
    reports,
    meetings,
    revisions,
    communication,
    portal,
    services,
    services_family,
)


class Command(BaseCommand):
    help = (
        "Create the demo districts Riverside Unified and Oak Valley School District with students, "
        "families, staff, rosters, caseloads and teams, and demo logins (password "
        f"'{DEMO_PASSWORD}'). Does nothing if they exist, unless --reset is given."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument(
            "--students",
            type=int,
            default=demo.DEFAULT_STUDENTS,
            help=f"students in Riverside (Oak Valley gets a quarter, at least 60); "
            f"default {demo.DEFAULT_STUDENTS}, minimum {demo.MIN_STUDENTS}",
        )
        parser.add_argument(
            "--seed", type=int, default=demo.DEFAULT_SEED, help="the same seed gives the same world"
        )
        parser.add_argument(
            "--reset",
            action="store_true",
            help="remove the demo districts first; refused if audit events or other records "
            "refer to them (the audit log is append-only)",
        )
        parser.add_argument(
            "--no-referrals",
            dest="referrals",
            action="store_false",
            help="leave out the referrals and evaluations in every stage, and the plans (they "
            "are audited, so --reset is refused once they exist)",
        )
        parser.add_argument(
            "--no-plans",
            dest="plans",
            action="store_false",
            help="leave out the IEPs and 504 Plans in every status (audited too)",
        )
        parser.add_argument("--quiet", action="store_true", help="print only a one-line summary")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        students, seed, reset, quiet = (options[k] for k in ("students", "seed", "reset", "quiet"))
        if students < demo.MIN_STUDENTS:
            raise CommandError(f"--students: the demo needs at least {demo.MIN_STUDENTS}")

        def log(line: str) -> None:
            if not quiet:
                self.stdout.write(line)

        if demo_exists():
            if not reset:
                slugs = ", ".join(DEMO_SLUGS)
                self.stdout.write(
                    f"The demo districts already exist ({slugs}); nothing to do. "
                    "Use --reset to rebuild them."
                )
                return
            try:
                reset_demo(log=log)
            except ResetRefused as error:
                raise CommandError(str(error)) from None
            except IntegrityError as error:
                raise CommandError(f"Other records refer to the demo data: {error}") from None

        result = demo.seed_demo(students, seed, log=log)
        if options["referrals"]:
            referrals_demo.seed_referrals(result.plan, log=log)
            if options["plans"]:
                plans_demo.seed_plans(result.plan, log=log)
                for module in LATER_DEMOS:
                    module.seed(result.plan, log=log)
        if quiet:
            self.stdout.write(
                f"Seeded {len(result.plan.students):,} demo students in {result.seconds:.1f} s."
            )
            return
        self.stdout.write("")
        self.stdout.write("\n".join(summary_lines(result)))
        self.stdout.write("")
        self.stdout.write("\n".join(login_lines(result.plan)))
