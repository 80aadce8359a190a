"""The tail every form page shares: validate, run the action, show its refusal or move on.

    form = ReferralForm(request.POST or None)
    if done := run_action(
        request, form, lambda data: actions.open_referral(actor=request.user, **data),
        message=_("The referral was opened."), then=lambda referral: referral.get_absolute_url(),
    ):
        return done
    return render(request, "referrals/new.html", {"form": form, ...})

A refusal from the action (a `ValidationError`) changes nothing (actions are atomic) and is put
on the fields it names; the page is then rendered again with `includes/error_summary.html`.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, TypeVar

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect

from tandem.core.forms import put_errors

T = TypeVar("T")


def run_action(
    request: HttpRequest,
    form: Any,
    action: Callable[[dict[str, Any]], T],
    *,
    then: str | Callable[[T], Any],
    message: str | Callable[[T], str] | None = None,
    forms: tuple[Any, ...] = (),
) -> HttpResponse | None:
    """On a valid POST run `action(cleaned_data)` and redirect to `then`; else None (render).

    `forms` are further forms or formsets that must be valid too; the action reads them itself.
    """
    if request.method != "POST":
        return None
    valid = form.is_valid()
    if not all([f.is_valid() for f in forms]) or not valid:
        return None
    try:
        result = action(form.cleaned_data)
    except ValidationError as error:
        put_errors(form, error)
        return None
    if message is not None:
        messages.success(request, message(result) if callable(message) else message)
    target = then(result) if callable(then) else then
    return target if isinstance(target, HttpResponse) else redirect(target)
