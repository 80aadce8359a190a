"""The pages' middleware: the user's language, sign-in, idle time-out and refused input."""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.middleware import LoginRequiredMiddleware
from django.shortcuts import render
from django.urls import reverse
from django.utils import translation

from tandem.accounts.throttle import address_paused


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


class SignInAddressLimitMiddleware:
    """A sign-in posted from an address with too many recent failures gets 429, before any
    password is checked (tandem/accounts/throttle.py says why the limit is per address too)."""

    def __init__(self, get_response):  # type: ignore[no-untyped-def]
        self.get_response = get_response

    def __call__(self, request):  # type: ignore[no-untyped-def]
        signing_in = request.method == "POST" and request.path_info == reverse("login")
        if signing_in and address_paused(request):
            context = {"minutes": settings.SIGN_IN_ADDRESS_MINUTES}
            return render(request, "auth/sign_in_paused.html", context, status=429)
        return self.get_response(request)


class RefuseNulMiddleware:
    """A form or link that sends the NUL character gets a 400 page naming the field.

    PostgreSQL cannot store NUL in text, so such a value would otherwise end in a 500 wherever it
    reached the database. Browsers never send it from what a person types; checking every field
    of every page here keeps each form from having to. The API refuses NUL itself, in its error
    format (tandem/api/parser.py).
    """

    _OWN_CHECK = ("/api/", "/static/")

    def __init__(self, get_response):  # type: ignore[no-untyped-def]
        self.get_response = get_response

    def __call__(self, request):  # type: ignore[no-untyped-def]
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):  # type: ignore[no-untyped-def]
        if request.path_info.startswith(self._OWN_CHECK):
            return None
        sources = [request.GET]
        if request.method == "POST":
            sources.append(request.POST)
        for data in sources:
            for name, values in data.lists():
                if "\x00" in name or any("\x00" in value for value in values):
                    context = {"field": name.replace("\x00", "")}
                    return render(request, "errors/400.html", context, status=400)
        return None


class IdleTimeoutMiddleware:
    """A signed-in session ends after `SESSION_IDLE_MINUTES` without a request, and in any case
    `SESSION_COOKIE_AGE` seconds after it began (the absolute limit stays).

    The next request is then signed out: a page goes to the sign-in page (which brings the
    person back), the API answers 401, and the plan editor keeps unsaved text on the device
    until the person signs in again. Time here is the wall clock, as for Django's own session
    expiry, not `tandem.core.clock`: a clock fixed for a demo or a test must not sign anyone out.
    The session is written at most once a minute, not on every request (one writer on SQLite).
    """

    STARTED = "tandem_session_started"
    SEEN = "tandem_session_seen"
    TOUCH_SECONDS = 60
    # htmx elements that ask the server by themselves on a timer (the plan editor's check for
    # another person's save, a report batch's progress): a tab left open is not a person at work.
    PASSIVE_TRIGGERS = frozenset({"poll-region", "batch-status", "idle-check"})

    def __init__(self, get_response):  # type: ignore[no-untyped-def]
        self.get_response = get_response

    def __call__(self, request):  # type: ignore[no-untyped-def]
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            self._check(request)
        return self.get_response(request)

    @classmethod
    def signed_in(cls, sender, request, user, **kwargs) -> None:  # type: ignore[no-untyped-def]
        """`user_logged_in`: both clocks start now (the sign-in saves the session anyway)."""
        session = getattr(request, "session", None)
        if session is not None:
            now = time.time()
            session[cls.STARTED] = now
            cls._seen(session, now, started=now)

    @classmethod
    def _seen(cls, session, now: float, *, started: float) -> None:  # type: ignore[no-untyped-def]
        session[cls.SEEN] = now
        # The cookie and the stored session end with the idle time too, never after the limit.
        left = min(
            settings.SESSION_IDLE_MINUTES * 60, settings.SESSION_COOKIE_AGE - (now - started)
        )
        session.set_expiry(max(1, int(left)))

    @classmethod
    def seconds_left(cls, session) -> int:  # type: ignore[no-untyped-def]
        """How long this session has before the idle time-out or the absolute limit signs it out."""
        now = time.time()
        started = session.get(cls.STARTED, now)
        seen = session.get(cls.SEEN, started)
        left = min(
            settings.SESSION_IDLE_MINUTES * 60 - (now - seen),
            settings.SESSION_COOKIE_AGE - (now - started),
        )
        return max(0, int(left))

    @classmethod
    def stay(cls, session) -> None:  # type: ignore[no-untyped-def]
        """The person said they are still here: the idle clock starts again (not the limit)."""
        now = time.time()
        cls._seen(session, now, started=session.get(cls.STARTED, now))

    def _check(self, request) -> None:  # type: ignore[no-untyped-def]
        session = request.session
        now = time.time()
        started = session.get(self.STARTED)
        seen = session.get(self.SEEN, started)
        if started is not None and (
            now - seen > settings.SESSION_IDLE_MINUTES * 60
            or now - started > settings.SESSION_COOKIE_AGE
        ):
            logout(request)  # the sign-in middleware now sends the page to the sign-in form
            return
        if started is None:  # a session from before the time-out existed: its clocks start now
            started = session[self.STARTED] = now
        if self._passive(request) and seen is not None:
            return
        if seen is None or now - seen >= self.TOUCH_SECONDS:
            self._seen(session, now, started=started)

    def _passive(self, request) -> bool:  # type: ignore[no-untyped-def]
        headers = request.headers
        return (
            bool(headers.get("HX-Request")) and headers.get("HX-Trigger") in self.PASSIVE_TRIGGERS
        )
