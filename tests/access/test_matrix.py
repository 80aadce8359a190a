"""The generated persona matrix: every route and API operation, read from the URL configuration.

1. Every page view and API operation that accepts a POST declares what it needs with `@writes`
   (tandem.access.routes), except the few on the commented allow-list below. A new route is
   covered without anyone writing a test for it.
2. A sample of student-scoped routes, filled with the shared world's objects, asked as personas:
   an outsider gets 404, a read-only tie gets 403 on a POST it lacks the capability for, and the
   right tie is let through.
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from tandem.access.routes import declared

# Views that accept a POST but change no student's record, each with why.
NOT_DECLARED = {
    # Django's own: signing in and out, and the language switch (a cookie).
    "django.contrib.auth.views.LoginView",
    "django.contrib.auth.views.LogoutView",
    "django.contrib.auth.views.PasswordResetView",
    "django.contrib.auth.views.PasswordResetConfirmView",
    "django.contrib.auth.views.PasswordChangeView",
    "django.views.i18n.set_language",
}
# Apps not yet moved to `@writes`: none left (referrals declared theirs in issue 14).
PENDING_APPS: tuple[str, ...] = ()


def _patterns(resolver: Any = None, prefix: str = "") -> Iterator[tuple[str, URLPattern]]:
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if getattr(entry, "app_name", None) == "admin":
                continue  # Django's admin: staff only, its own permissions
            yield from _patterns(entry, prefix + str(entry.pattern))
        elif isinstance(entry, URLPattern):
            yield prefix + str(entry.pattern), entry


def _name(view: Callable[..., Any]) -> str:
    view = getattr(view, "func", view)  # a functools.partial
    view = getattr(view, "view_class", view)
    while hasattr(view, "__wrapped__") and not hasattr(view, "view_class"):
        view = view.__wrapped__
    return f"{view.__module__}.{view.__qualname__}"


def _methods(view: Callable[..., Any]) -> set[str] | None:
    """The methods a `require_http_methods` decorator lets through, if there is one."""
    while view is not None:
        for name, cell in zip(view.__code__.co_freevars, view.__closure__ or (), strict=False):
            if name == "request_method_list":
                return set(cell.cell_contents)
        view = getattr(view, "__wrapped__", None)
    return None


def accepts_post(view: Callable[..., Any]) -> bool:
    if hasattr(view, "view_class"):
        return hasattr(view.view_class, "post")
    view = getattr(view, "func", view)  # a functools.partial
    if getattr(view, "__module__", "").startswith("ninja"):
        return False  # the API's dispatch: its operations are checked one by one
    allowed = _methods(view)
    if allowed is not None:
        return "POST" in allowed
    inner = inspect.unwrap(view)
    source = inspect.getsource(inner)
    return "POST" in source or "run_action(" in source


def test_every_post_route_declares_what_it_needs() -> None:
    missing = []
    for route, pattern in _patterns():
        view = pattern.callback
        name = _name(view)
        if name in NOT_DECLARED or name.startswith(PENDING_APPS):
            continue
        if accepts_post(view) and declared(view) is None:
            missing.append(f"{route} -> {name}")
    assert missing == []


def test_every_api_write_declares_what_it_needs() -> None:
    from tandem.api.api import api

    missing = []
    for prefix, router in api._routers:
        for path, view in router.path_operations.items():
            for operation in view.operations:
                writes = set(operation.methods) & {"POST", "PUT", "PATCH", "DELETE"}
                if writes and declared(operation.view_func) is None:
                    missing.append(f"{operation.methods} {prefix}{path}")
    assert missing == []


# --- personas on a sample of student-scoped routes ---------------------------------------------

# (route name, persona with the capability, read-only persona refused, POST data)
SAMPLE = (
    ("student_edit", "case_manager", "teacher", {"grade": "3", "home_language": "English"}),
    ("revision_new", "case_manager", None, {"reason": "Time to look again."}),
    ("meeting_new", "case_manager", "teacher", {}),
)


@pytest.mark.django_db
def test_personas_on_student_routes(world) -> None:  # type: ignore[no-untyped-def]
    from django.urls import resolve

    student = world.maya
    failures = []
    for name, allowed, read_only, data in SAMPLE:
        url = reverse(name, args=[student.public_id])
        view = resolve(url).func
        assert declared(view) is not None, name
        outsider = world.client_for("stranger")
        for method in ("get", "post"):
            status = getattr(outsider, method)(url, data).status_code
            if status != 404:
                failures.append(f"outsider {method} {name}: {status}")
        if read_only is not None:
            status = world.client_for(read_only).post(url, data).status_code
            if status != 403:
                failures.append(f"{read_only} post {name}: {status}")
        status = world.client_for(allowed).get(url).status_code
        if status != 200:
            failures.append(f"{allowed} get {name}: {status}")
    assert failures == []
