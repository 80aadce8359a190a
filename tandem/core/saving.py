"""What a request has saved so far, so that no answer claims more (or less) than the truth."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from django.db import OperationalError

# Rows a request writes for its own bookkeeping, not the user's submission: the record of
# access, the session, sign-in throttling and a token's last use.
_BOOKKEEPING = ("access_auditevent", "django_session", "axes_", "access_apitoken")
_WRITE = re.compile(r"\s*(INSERT|UPDATE|DELETE|REPLACE)\b[^\"']*[\"']?(\w+)", re.IGNORECASE)
_LOCK_MESSAGES = ("database is locked", "database table is locked", "deadlock detected")


class SavedWrites:
    """Whether a user's write has been committed during this request.

    A write outside a transaction is kept at once; one inside a transaction is kept only when the
    outermost transaction commits, so it is counted from an on-commit hook (dropped on rollback).
    """

    def __init__(self) -> None:
        self.saved = False

    def _mark(self) -> None:
        self.saved = True

    def __call__(
        self, execute: Callable[..., Any], sql: str, params: Any, many: bool, context: Any
    ) -> Any:
        result = execute(sql, params, many, context)
        match = None if self.saved else _WRITE.match(sql)
        if match and not match.group(2).lower().startswith(_BOOKKEEPING):
            conn = context["connection"]
            if not conn.in_atomic_block:
                self._mark()
            elif not any(hook is self._mark for _, hook, _ in conn.run_on_commit):
                conn.on_commit(self._mark)
        return result


def is_lock_error(exc: BaseException) -> bool:
    return isinstance(exc, OperationalError) and any(m in str(exc) for m in _LOCK_MESSAGES)


def saved_during(request: Any) -> bool | None:
    """True if the request committed a write of the user's, False if not, None if unknown."""
    writes = getattr(request, "_tandem_writes", None)
    return None if writes is None else writes.saved
