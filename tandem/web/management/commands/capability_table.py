"""Print the capability matrix as the Markdown table docs/access.md carries."""

from django.core.management.base import BaseCommand

from tandem.access.table import capability_table


class Command(BaseCommand):
    help = "Print the capability matrix (who may do what with a student's record) as Markdown."

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        self.stdout.write(capability_table(), ending="")
