"""The idle warning asks how long the session has left, and "Stay signed in" restarts the clock.

The question is passive (idle.js sends it as the `idle-check` trigger, which the idle time-out
does not count as activity); the answer is only a number. Signed out, both answer 401 so that the
page can say so instead of following a redirect to the sign-in form.
"""

from __future__ import annotations

from django.contrib.auth.decorators import login_not_required
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from tandem.access.routes import Scope, writes
from tandem.web.middleware import IdleTimeoutMiddleware


@writes(Scope.SELF)
@login_not_required  # answers 401 itself: a fetch must not be sent to the sign-in page
@never_cache
@require_http_methods(["GET", "POST"])
def session_time(request: HttpRequest) -> JsonResponse:
    if not request.user.is_authenticated:
        return JsonResponse({"signed_in": False, "seconds_left": 0}, status=401)
    if request.method == "POST":
        IdleTimeoutMiddleware.stay(request.session)
    left = IdleTimeoutMiddleware.seconds_left(request.session)
    return JsonResponse({"signed_in": True, "seconds_left": left})
