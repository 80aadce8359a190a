from django.conf import settings
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
        if settings.TWO_FACTOR_FOR_ADMINS:
            self.stdout.write(
                "Second factor: district administrators set up an authenticator app at their "
                "first sign-in (TWO_FACTOR_FOR_ADMINS=true)."
            )
        else:
            self.stdout.write(
                "Second factor: optional in the demo; any staff account can set up an "
                "authenticator app at /account/two-factor/ after signing in."
            )
