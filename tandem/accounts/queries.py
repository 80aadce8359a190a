"""Reads of accounts: a person's API tokens."""

from __future__ import annotations

from django.db.models import QuerySet

from tandem.accounts.models import ApiToken, User


def tokens_of(user: User) -> QuerySet[ApiToken]:
    """A person's own tokens, newest first, revoked and expired ones included (one query)."""
    return ApiToken.objects.filter(user=user).order_by("-created_at", "-id")
