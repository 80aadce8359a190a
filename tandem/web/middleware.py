"""A signed-in user's preferred language wins over the browser's."""

from __future__ import annotations

from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.utils import translation


class PreferredLanguageMiddleware:
    def __init__(self, get_response):  # type: ignore[no-untyped-def]
        self.get_response = get_response

    def __call__(self, request):  # type: ignore[no-untyped-def]
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.preferred_language:
            translation.activate(user.preferred_language)
            request.LANGUAGE_CODE = translation.get_language()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", translation.get_language() or "en")
        return response


class SignInRequiredMiddleware(LoginRequiredMiddleware):
    """Every page needs a signed-in user unless its view is marked `@login_not_required`.

    The API answers 401 in its own error format, and the Django admin has its own sign-in.
    """

    _OWN_AUTH = ("/api/", "/django-admin/", "/static/")

    def process_view(self, request, view_func, view_args, view_kwargs):  # type: ignore[no-untyped-def]
        if request.path_info.startswith(self._OWN_AUTH):
            return None
        return super().process_view(request, view_func, view_args, view_kwargs)
