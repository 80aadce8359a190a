"""The district administrator's page of service settings (one district at a time)."""

from __future__ import annotations

from uuid import UUID

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods

from tandem.access.policy import districts_administered_by
from tandem.access.routes import Scope, writes
from tandem.accounts.models import User
from tandem.core.handling import run_action
from tandem.services import actions_settings
from tandem.services.settings_forms import ServiceSettingsForm, always_owed


@require_GET
def service_settings_index(request: HttpRequest) -> HttpResponse:
    """The first district the user administers (most administer one); others 404."""
    district = districts_administered_by(request.user).order_by("name", "id").first()  # type: ignore[arg-type]
    if district is None:
        raise Http404
    return redirect("service_settings", district.public_id)


def _saved(changed: dict[str, object]) -> str:
    if not changed:
        return _("Nothing changed.")
    return _(
        "Saved. The minutes pages and the director's page use the new settings from now on; "
        "a log already marked late stays as it was."
    )


@writes(Scope.DISTRICT)
@require_http_methods(["GET", "POST"])
def service_settings(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """Threshold, makeup window, late logs, the absence pattern and teletherapy consent."""
    user: User = request.user  # type: ignore[assignment]
    districts = districts_administered_by(user).order_by("name", "id")
    district = get_object_or_404(districts, public_id=public_id)
    posting = request.method == "POST"
    form = ServiceSettingsForm(
        request.POST if posting else None, initial=actions_settings.current(district)
    )
    if done := run_action(
        request,
        form,
        lambda data: actions_settings.save(actor=user, district=district, data=data),
        then=reverse("service_settings", args=[district.public_id]),
        message=_saved,
    ):
        return done
    context = {
        "form": form,
        "district": district,
        "districts": list(districts),
        "always_owed": always_owed(),
    }
    return render(request, "services/settings.html", context, status=400 if posting else 200)
