"""For the last district administrator, who cannot sign in without their authenticator app and
has no one to reset it: run on the server, it removes the app and its recovery codes (audited).
"""

from django.core.management.base import BaseCommand, CommandError

from tandem.accounts.models import User
from tandem.web import two_factor


class Command(BaseCommand):
    help = (
        "Remove the authenticator app and recovery codes of EMAIL: they set up a new app at "
        "their next sign-in. Recorded in the audit log."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("email")

    def handle(self, *args, email, **options):  # type: ignore[no-untyped-def]
        user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
        if user is None:
            raise CommandError(f"EMAIL: no active account has the address {email!r}")
        had = two_factor.reset(actor=None, user=user)
        if had:
            self.stdout.write(f"Removed the authenticator app of {user.email}.")
        else:
            self.stdout.write(f"{user.email} had no authenticator app; nothing to remove.")
        self.stdout.write("They set up a new one at their next sign-in, if one is required.")
