"""Sign-in throttling counts failures per account, whatever address they come from.

The sign-in form posts `username` (the email address); counting on the user model's `email`
field, as axes does by default, recorded an empty name and so locked addresses only: unlimited
guessing against one account from many addresses, and a school's shared address locked out for
everyone after ten typos (OWASP ASVS 2.2.1).
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any


def account_name(request: Any, credentials: dict[str, Any] | None) -> str:
    """The account a sign-in names, as the user model stores it (trimmed, case-folded)."""
    name = (credentials or {}).get("username") or ""
    if not name and request is not None:
        name = request.POST.get("username", "") if hasattr(request, "POST") else ""
    return str(name).strip().lower()


def address_paused(request: Any) -> bool:
    """Whether sign-in from this request's address is paused: many failures, many accounts.

    The per-account lockout above stops guessing one password; this stops one address guessing
    across many accounts (credential stuffing). Its limit is far above what a school's shared
    address produces by typing mistakes (`SIGN_IN_ADDRESS_LIMIT` failures in
    `SIGN_IN_ADDRESS_MINUTES`, default 100 in 15), so it is never a lockout switch for colleagues.
    """
    from axes.helpers import get_client_ip_address
    from axes.models import AccessFailureLog
    from django.conf import settings
    from django.utils import timezone

    limit = settings.SIGN_IN_ADDRESS_LIMIT
    if not settings.AXES_ENABLED or not limit:
        return False
    since = timezone.now() - timedelta(minutes=settings.SIGN_IN_ADDRESS_MINUTES)
    failures = AccessFailureLog.objects.filter(
        ip_address=get_client_ip_address(request), attempt_time__gte=since
    )
    return failures.count() >= limit
