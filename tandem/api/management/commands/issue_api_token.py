from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tandem.accounts.models import TokenScope, User
from tandem.api.actions_tokens import issue_token


class Command(BaseCommand):
    help = (
        "Print a new API token for EMAIL (use it as 'Authorization: Bearer TOKEN'); it is shown "
        "only this once. --label names it on the person's API tokens page (/account/api-tokens/); "
        "--read-only makes a token the API refuses for any write (POST, PUT, PATCH, DELETE); "
        "--days sets how long it lasts (default: TANDEM_API_TOKEN_DAYS). Revoke tokens on that page."
    )

    def add_arguments(self, parser):  # type: ignore[no-untyped-def]
        parser.add_argument("email", help="the address of an active account")
        parser.add_argument("--label", default="issued from the command line")
        parser.add_argument(
            "--read-only", action="store_true", help="refuse writes (default: read and write)"
        )
        parser.add_argument("--days", type=int, default=None, help="days until it expires")

    def handle(self, *args, email, label, read_only, days, **options):  # type: ignore[no-untyped-def]
        user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
        if user is None:
            raise CommandError(f"EMAIL: no active account has the address {email!r}")
        scope = TokenScope.READ if read_only else TokenScope.WRITE
        try:
            raw = issue_token(actor=None, user=user, label=label, scope=scope, days=days)
        except ValidationError as error:
            raise CommandError(
                "; ".join(f"--{k}: {' '.join(v)}" for k, v in error.message_dict.items())
            ) from error
        self.stdout.write(raw)
