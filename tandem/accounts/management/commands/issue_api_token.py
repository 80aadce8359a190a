from django.core.management.base import BaseCommand, CommandError

from tandem.accounts.models import User
from tandem.accounts.tokens import issue_token


class Command(BaseCommand):
    help = "Print a new API token for EMAIL (use it as 'Authorization: Bearer TOKEN')."

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("email")
        parser.add_argument("--label", default="issued from the command line")

    def handle(self, *args, email, label, **options):  # type: ignore[no-untyped-def]
        user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
        if user is None:
            raise CommandError(f"EMAIL: no active account has the address {email!r}")
        self.stdout.write(issue_token(actor=None, user=user, label=label))
