"""Recount stored deadlines with the current calendars and state rules."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from tandem.compliance.actions import recompute_district_deadlines
from tandem.people.models import District


class Command(BaseCommand):
    help = (
        "Recompute every unmet stored deadline from its trigger date, the district's state rules "
        "and school calendar, and update the dates that changed. Runs now, in this process; "
        "calendar edits already queue the same work in the background."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--district", metavar="SLUG", help="only this district (its slug)")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        districts = District.objects.order_by("slug")
        if options["district"]:
            districts = districts.filter(slug=options["district"])
            if not districts.exists():
                raise CommandError(f"No district with the slug {options['district']!r}.")
        for district in districts:
            result = recompute_district_deadlines(district=district)
            self.stdout.write(
                f"{district.slug}: {result.checked} checked, {result.changed} changed, "
                f"{result.skipped} kept (the rule needs more than a trigger date and a calendar)"
            )
