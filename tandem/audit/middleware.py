"""Records the channel, client address and stated purpose of each request for the audit log."""

from __future__ import annotations

from django.conf import settings

from tandem.accounts.models import Channel
from tandem.audit import context

PURPOSE_HEADER = "HTTP_X_ACCESS_PURPOSE"
# The purpose the reader chose for this session (tandem/access/purposes.py), stored as a code.
SESSION_KEY = "access_purpose"


def client_ip(request) -> str | None:  # type: ignore[no-untyped-def]
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None):
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR") or None


class RequestContextMiddleware:
    def __init__(self, get_response):  # type: ignore[no-untyped-def]
        self.get_response = get_response

    def __call__(self, request):  # type: ignore[no-untyped-def]
        channel = Channel.API if request.path.startswith("/api/") else Channel.WEB
        # Never from the query string: a crafted link must not write a reason into the log.
        session = getattr(request, "session", None)
        chosen = session.get(SESSION_KEY, "") if session is not None else ""
        purpose = (request.META.get(PURPOSE_HEADER) or chosen or "")[:300]
        purpose = purpose.replace("\x00", "")  # PostgreSQL cannot store NUL in text
        token = context.set_current(
            context.RequestContext(
                channel=channel, ip=client_ip(request), purpose=purpose, method=request.method
            )
        )
        try:
            return self.get_response(request)
        finally:
            context.reset(token)
