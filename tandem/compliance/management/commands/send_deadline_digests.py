"""Queue today's deadline digest emails."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from tandem.compliance.tasks import send_deadline_digests


class Command(BaseCommand):
    help = (
        "Queue the daily deadline digest: one email to each staff member whose caseload or team "
        "has deadlines overdue or due within 14 days. Run it once a day from cron, for example "
        "'0 6 * * * manage.py send_deadline_digests'; a db_worker sends the emails."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("--date", help="count from this day (YYYY-MM-DD) instead of today")

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        day = timezone.localdate()
        if options["date"]:
            try:
                day = date.fromisoformat(options["date"])
            except ValueError:
                raise CommandError("--date: use YYYY-MM-DD") from None
        result = send_deadline_digests.enqueue(day.isoformat())
        self.stdout.write(f"Queued the deadline digest for {day.isoformat()} (task {result.id}).")
