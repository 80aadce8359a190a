"""What the backup commands share: the optional person responsible (--as)."""

from __future__ import annotations

from django.core.management.base import CommandError, CommandParser

from tandem.accounts.models import User


def add_actor(parser: CommandParser) -> None:
    parser.add_argument(
        "--as",
        dest="as_email",
        default="",
        help="email of the person responsible, recorded in the audit log (else the command line)",
    )


def actor(email: str) -> User | None:
    if not email:
        return None
    user = User.objects.filter(email__iexact=email.strip(), is_active=True).first()
    if user is None:
        raise CommandError(f"--as: no active account has the address {email!r}")
    return user
