"""Check every student's service minutes and absences; tell case managers once per episode."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError

from tandem.core import clock
from tandem.services import director
from tandem.services.alerts import check_all
from tandem.services.tasks import check_service_minutes


class Command(BaseCommand):
    help = (
        "Check each student's minutes over the last four weeks against the district's threshold "
        "(default 90%) and their absences, and notify the case managers of each new episode "
        "once, and count every mandate for the director's page. Run it daily from cron, e.g. '30 6 * * * manage.py check_service_minutes'; a "
        "db_worker runs the queued task, or pass --now to run it here."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--date", help="check as of this day (YYYY-MM-DD) instead of today")
        parser.add_argument("--now", action="store_true", help="run here instead of queueing")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        day = clock.today()
        if options["date"]:
            try:
                day = date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError("--date: use YYYY-MM-DD") from None
        if options["now"]:
            result = check_all(today=day).as_dict()
            self.stdout.write(
                "Checked {checked} students: {opened} alerts opened, {closed} closed.".format(
                    **result
                )
            )
            counted = director.count_ahead(today=day)
            self.stdout.write(f"Counted {counted} mandates for the director's page.")
            return
        queued = check_service_minutes.enqueue(day.isoformat())
        self.stdout.write(f"Queued the service minutes check for {day} (task {queued.id}).")
