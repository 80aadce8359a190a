"""Error pages: plain, translated, never a stack trace, and honest about what was saved."""

from django.shortcuts import render

from tandem.core.busy import error_envelope
from tandem.core.saving import saved_during

_SAFE = ("GET", "HEAD", "OPTIONS")


def bad_request(request, exception=None):  # type: ignore[no-untyped-def]
    return render(request, "errors/400.html", status=400)


def forbidden(request, exception=None):  # type: ignore[no-untyped-def]
    return render(request, "errors/403.html", status=403)


def not_found(request, exception=None):  # type: ignore[no-untyped-def]
    return render(request, "errors/404.html", status=404)


def server_error(request):  # type: ignore[no-untyped-def]
    saved = bool(saved_during(request))
    if request.path.startswith("/api/"):
        message = (
            "Server error; part of the request may have been saved."
            if saved
            else ("Server error; nothing was saved.")
        )
        return error_envelope(500, "server_error", message, saved=saved)
    context = {"writing": request.method not in _SAFE, "saved": saved}
    return render(request, "errors/500.html", context, status=500)
