"""A person's API tokens: see them, create one (its value shown once), revoke one.

Every signed-in person manages only their own tokens; another's token id is a 404. The writes
are in `tandem.api.actions_tokens` (audited: api_token.issued, api_token.revoked).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from tandem.access.routes import Scope, writes
from tandem.accounts import queries
from tandem.accounts.models import ApiToken
from tandem.api import actions_tokens
from tandem.api.forms import ApiTokenForm
from tandem.core import clock
from tandem.core.handling import run_action


def _page(request: HttpRequest, form: ApiTokenForm, new_token: str = "") -> HttpResponse:
    context = {
        "form": form,
        "tokens": queries.tokens_of(request.user),  # type: ignore[arg-type]
        "now": clock.now(),
        "new_token": new_token,
    }
    return render(request, "account/api_tokens.html", context, status=400 if form.errors else 200)


@never_cache  # the new token's value is on the page once: no cache may keep it
@writes(Scope.SELF)
@require_http_methods(["GET", "POST"])
def api_tokens(request: HttpRequest) -> HttpResponse:
    form = ApiTokenForm(request.POST or None)
    if done := run_action(
        request,
        form,
        lambda data: actions_tokens.issue_token(actor=request.user, user=request.user, **data),  # type: ignore[arg-type]
        then=lambda raw: _page(request, ApiTokenForm(), new_token=raw),
    ):
        return done
    return _page(request, form)


@writes(Scope.SELF)
@require_POST
def api_token_revoke(request: HttpRequest, token_id: int) -> HttpResponse:
    try:
        token = actions_tokens.revoke_token(actor=request.user, token_id=token_id)  # type: ignore[arg-type]
    except ApiToken.DoesNotExist:
        raise Http404 from None  # none such, or another person's: the same answer
    label = token.label or token.prefix
    messages.success(request, _("Revoked the token “%(label)s”.") % {"label": label})
    return redirect("api_tokens")
