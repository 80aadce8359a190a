"""API bearer tokens: shown once, stored as a SHA-256 digest; the writes are in actions_tokens."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.utils import timezone

from tandem.accounts.models import ApiToken, User
from tandem.api.actions_tokens import PREFIX, digest, issue_token
from tandem.audit import context

__all__ = ["PREFIX", "ReadOnlyToken", "digest", "issue_token", "user_for_token"]
WRITE_METHODS = frozenset({"POST", "PUT", "PATCH", "DELETE"})


class ReadOnlyToken(PermissionDenied):
    """A read-only token used for a write: the API answers 403 with its JSON envelope."""


def user_for_token(raw: str, *, method: str | None = None) -> User | None:
    """The active user a valid, unexpired, unrevoked token belongs to.

    A read-only token used for a write (`method`, else the current request's method) raises
    ReadOnlyToken, so the API refuses the call (403) before it runs.
    """
    if not raw.startswith(PREFIX):
        return None
    now = timezone.now()  # real time, as in actions_tokens
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=digest(raw), revoked_at__isnull=True, expires_at__gt=now)
        .filter(Q(user__is_active=True))
        .first()
    )
    if token is None:
        return None
    method = (method if method is not None else context.current().method).upper()
    if token.read_only and method in WRITE_METHODS:
        raise ReadOnlyToken("This API token may only read.")
    # Writing on every call would serialise readers; a minute's precision is enough.
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
