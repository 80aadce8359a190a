"""API bearer tokens: shown once, stored as a SHA-256 digest."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from tandem import audit
from tandem.accounts.models import ApiToken, User

PREFIX = "tdm_"


def _digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def issue_token(*, actor: User | None, user: User, label: str = "") -> str:
    """Create a token for `user` and return it; only its digest is kept."""
    raw = PREFIX + secrets.token_urlsafe(32)
    ApiToken.objects.create(
        user=user,
        digest=_digest(raw),
        prefix=raw[len(PREFIX) : len(PREFIX) + 8],
        label=label,
        expires_at=timezone.now() + timedelta(days=settings.TANDEM_API_TOKEN_DAYS),
    )
    audit.record(
        actor=actor or user, action="api_token.issued", detail={"for": user.email, "label": label}
    )
    return raw


def user_for_token(raw: str) -> User | None:
    """The active user a valid, unexpired, unrevoked token belongs to."""
    if not raw.startswith(PREFIX):
        return None
    now = timezone.now()
    token = (
        ApiToken.objects.select_related("user")
        .filter(digest=_digest(raw), revoked_at__isnull=True, expires_at__gt=now)
        .filter(Q(user__is_active=True))
        .first()
    )
    if token is None:
        return None
    # Writing on every call would serialise readers; a minute's precision is enough.
    if token.last_used_at is None or now - token.last_used_at > timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
    return token.user
