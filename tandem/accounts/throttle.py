"""Sign-in throttling counts failures per account, whatever address they come from.

The sign-in form posts `username` (the email address); counting on the user model's `email`
field, as axes does by default, recorded an empty name and so locked addresses only: unlimited
guessing against one account from many addresses, and a school's shared address locked out for
everyone after ten typos (OWASP ASVS 2.2.1).
"""

from __future__ import annotations

from typing import Any


def account_name(request: Any, credentials: dict[str, Any] | None) -> str:
    """The account a sign-in names, as the user model stores it (trimmed, case-folded)."""
    name = (credentials or {}).get("username") or ""
    if not name and request is not None:
        name = request.POST.get("username", "") if hasattr(request, "POST") else ""
    return str(name).strip().lower()
