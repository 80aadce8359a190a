"""A session that owes its second factor sees only the page that asks for it.

Placed after django-otp's OTPMiddleware (which knows whether the session is verified). While
`tandem.web.two_factor.pending` says VERIFY, every page goes to the code page and ENROL to the
set-up page, except signing out, the language, static files and /healthz. The idle warning's
question answers 401 (a fetch must not follow a redirect), htmx requests get an empty 401, and
the API does not take this session as signed in (API tokens are a separate sign-in).
"""

from __future__ import annotations

from urllib.parse import urlencode

from django.contrib.auth.models import AnonymousUser
from django.http import HttpResponse, JsonResponse
from django.shortcuts import redirect
from django.urls import reverse

from tandem.web import two_factor

PAGES = {two_factor.VERIFY: "two_factor_verify", two_factor.ENROL: "two_factor_setup"}


class SecondFactorMiddleware:
    def __init__(self, get_response):  # type: ignore[no-untyped-def]
        self.get_response = get_response

    def __call__(self, request):  # type: ignore[no-untyped-def]
        user = getattr(request, "user", None)
        if (
            user is None
            or not user.is_authenticated
            or two_factor.SESSION_KEY not in request.session
        ):
            return self.get_response(request)
        state = two_factor.pending(request)
        if state is None:
            return self.get_response(request)
        request.second_factor_pending = state  # base.html then shows no menu, no idle warning
        return self._guard(request, state) or self.get_response(request)

    def _guard(self, request, state: str):  # type: ignore[no-untyped-def]
        path = request.path_info
        if path.startswith("/api/"):
            request.user = AnonymousUser()
            return None
        page = reverse(PAGES[state])
        if path.startswith("/static/") or path in self._open(page):
            return None
        if path == reverse("session_time"):
            return JsonResponse({"signed_in": False, "second_factor": state}, status=401)
        if request.headers.get("HX-Request"):
            return HttpResponse(status=401)
        return redirect(f"{page}?{urlencode({'next': request.get_full_path()})}")

    @staticmethod
    def _open(page: str) -> set[str]:
        return {page, reverse("logout"), reverse("set_language"), reverse("healthz")}
