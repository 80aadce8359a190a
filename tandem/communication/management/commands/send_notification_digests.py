"""Queue today's notification digest emails."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from tandem.communication.tasks import send_digests


class Command(BaseCommand):
    help = (
        "Queue the daily notification digest: one email per user who chose 'once a day' and has "
        "notifications waiting. Run it once a day from cron, for example "
        "'0 17 * * * manage.py send_notification_digests'; a db_worker sends the emails."
    )

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        result = send_digests.enqueue()
        self.stdout.write(f"Queued the notification digests (task {result.id}).")
