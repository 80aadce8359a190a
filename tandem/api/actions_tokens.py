"""The writes on API tokens: issue one (its raw value returned once) and revoke one.

Only a token's SHA-256 digest is stored. Tokens are never deleted: a revoked one keeps its row,
dated, so that its owner (and the audit log) can tell what it was and when it stopped working.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tandem import audit
from tandem.accounts.models import ApiToken, TokenScope, User
from tandem.audit.catalogue import Action

PREFIX = "tdm_"
EXPIRY_DAYS = (30, 90, 365)
LABEL_MAX = 100


def digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def _now() -> datetime:
    # Real time, not tandem.core.clock: a token's life is a security matter, and the demo's or a
    # test's fixed clock must not keep an expired token alive.
    return timezone.now()


def issue_token(
    *,
    actor: User | None,
    user: User,
    label: str = "",
    scope: str = TokenScope.WRITE,
    days: int | None = None,
) -> str:
    """Create a token for `user` and return it; only its digest is kept.

    `days` defaults to TANDEM_API_TOKEN_DAYS; `scope` "read" refuses every write through the API.
    """
    label = label.strip()
    if len(label) > LABEL_MAX:
        raise ValidationError(
            {"label": _("Keep the label to %(n)s characters or fewer.") % {"n": LABEL_MAX}}
        )
    if scope not in TokenScope.values:
        raise ValidationError({"scope": _("Choose read only, or read and write.")})
    days = settings.TANDEM_API_TOKEN_DAYS if days is None else days
    if days < 1:
        raise ValidationError({"days": _("A token must last at least one day.")})
    raw = PREFIX + secrets.token_urlsafe(32)
    now = _now()
    with transaction.atomic():
        token = ApiToken.objects.create(
            user=user,
            digest=digest(raw),
            prefix=raw[len(PREFIX) : len(PREFIX) + 8],
            label=label,
            scope=scope,
            expires_at=now + timedelta(days=days),
        )
        audit.record(
            actor=actor or user,
            action=Action.API_TOKEN__ISSUED,
            target=token,
            detail={"for": user.email, "label": label, "scope": scope, "days": days},
        )
    return raw


def revoke_token(*, actor: User, token_id: int) -> ApiToken:
    """Revoke one of `actor`'s own tokens (another's, or none: 404 from the caller's lookup).

    Revoking a revoked token changes nothing and writes nothing.
    """
    with transaction.atomic():
        token = ApiToken.objects.select_for_update(of=("self",)).get(pk=token_id, user=actor)
        if token.revoked_at is not None:
            return token
        token.revoked_at = _now()
        token.save(update_fields=["revoked_at"])
        audit.record(
            actor=actor,
            action=Action.API_TOKEN__REVOKED,
            target=token,
            detail={"label": token.label, "prefix": token.prefix},
        )
    return token
