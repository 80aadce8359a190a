"""Queue the meeting reminders that are due and send the meeting emails still waiting."""

from __future__ import annotations

from django.core.management.base import BaseCommand

from tandem.meetings.tasks import send_meeting_reminders


class Command(BaseCommand):
    help = (
        "Queue a reminder to every invitee of a meeting starting within two days (once each), "
        "then retry meeting emails the mail server refused before. Run it from cron every "
        "15 minutes, for example '*/15 * * * * manage.py send_meeting_reminders'."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument(
            "--now", action="store_true", help="run here and now instead of queueing a task"
        )

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        if options["now"]:
            result = send_meeting_reminders.call()
            self.stdout.write(
                "Reminders queued: {reminders}; emails sent: {sent}; to retry: {retry}.".format(
                    **result
                )
            )
            return
        task = send_meeting_reminders.enqueue()
        self.stdout.write(f"Queued the meeting reminders (task {task.id}).")
