"""A rate limit on the API per account (`API_RATE_LIMIT`, e.g. "600/m"; empty turns it off).

Counted per signed-in person, whether by token or by browser session, since authentication runs
before it; a call over the limit gets 429 with `Retry-After` in the JSON error envelope. The
count lives in Django's cache: per process with the default local-memory cache (so each web
process allows the rate), shared when CACHES points at Redis or the database. Kept here rather
than ninja's own throttles, whose state sits on one instance shared by every thread.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from ninja.throttling import BaseThrottle

_UNITS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


def parse_rate(rate: str) -> tuple[int, int]:
    """'600/m' -> (600, 60). Settings check it at start-up, so a bad value never reaches here."""
    count, _, unit = rate.partition("/")
    return int(count), _UNITS[unit[:1]]


class AccountRateThrottle(BaseThrottle):
    def allow_request(self, request: HttpRequest) -> bool:
        rate = settings.API_RATE_LIMIT
        if not rate:
            return True
        limit, window = parse_rate(rate)
        who = getattr(request, "auth", None)
        ident = f"user:{who.pk}" if getattr(who, "pk", None) else f"addr:{self.get_ident(request)}"
        key = f"tandem_api_rate:{ident}"
        now = time.time()
        recent = [t for t in cache.get(key, []) if t > now - window]
        if len(recent) >= limit:
            return False
        cache.set(key, [now, *recent][:limit], window)
        return True

    def wait(self) -> float | None:
        return float(parse_rate(settings.API_RATE_LIMIT)[1]) if settings.API_RATE_LIMIT else None
