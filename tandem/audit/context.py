"""Who is asking, from where and why: set once per request, read by the audit log."""

from __future__ import annotations

from contextvars import ContextVar
from dataclasses import dataclass

from tandem.accounts.models import Channel


@dataclass(frozen=True, slots=True)
class RequestContext:
    channel: str = Channel.COMMAND
    ip: str | None = None
    purpose: str = ""
    # The HTTP method ("" outside a request): an API token that may only read refuses writes.
    method: str = ""


# RequestContext is frozen, so a shared default cannot be mutated.
_DEFAULT = RequestContext()
_current: ContextVar[RequestContext] = ContextVar("tandem_request_context", default=_DEFAULT)


def current() -> RequestContext:
    return _current.get()


def set_current(context: RequestContext):  # type: ignore[no-untyped-def]
    return _current.set(context)


def reset(token) -> None:  # type: ignore[no-untyped-def]
    _current.reset(token)
