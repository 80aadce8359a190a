from django.core.management.base import BaseCommand

from tandem.accounts.models import User
from tandem.demo.accounts import DEMO_ACCOUNTS, DEMO_PASSWORD


class Command(BaseCommand):
    help = "Print the demo accounts and their password."

    def handle(self, *args, **options):  # type: ignore[no-untyped-def]
        present = set(
            User.objects.filter(email__in=[e for e, _ in DEMO_ACCOUNTS]).values_list(
                "email", flat=True
            )
        )
        width = max(len(email) for email, _ in DEMO_ACCOUNTS)
        self.stdout.write(f"Demo accounts (password: {DEMO_PASSWORD})")
        for email, who in DEMO_ACCOUNTS:
            missing = "" if email in present else "   [missing: run seed_demo]"
            self.stdout.write(f"  {email.ljust(width)}  {who}{missing}")
