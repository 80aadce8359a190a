"""The second factor's pages: set up an authenticator app, enter its code at sign-in, and the
district administrator's page to reset a staff member's app and to require one of all staff.

The rules and writes are in `tandem.web.two_factor`; a refused code is a 400 naming the field.
"""

from __future__ import annotations

from uuid import UUID

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from tandem.access.policy import districts_administered_by
from tandem.access.routes import Scope, writes
from tandem.core.forms import put_errors
from tandem.web import two_factor
from tandem.web.two_factor_forms import RequirementForm, SetupForm, VerifyForm


def _next(request: HttpRequest) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return reverse("home")


@writes(Scope.SELF)
@require_http_methods(["GET", "POST"])
def two_factor_setup(request: HttpRequest) -> HttpResponse:
    user = request.user
    if not two_factor.eligible(user):
        raise Http404
    form = SetupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            codes = two_factor.confirm_app(request, form.cleaned_data["code"])
        except ValidationError as error:
            put_errors(form, error)
        else:
            context = {"codes": codes, "next": _next(request)}
            return render(request, "account/two_factor_codes.html", context)
    device = two_factor.pending_app(user)  # type: ignore[arg-type]
    context = {
        "form": form,
        "qr": two_factor.qr_svg(device),
        "secret": two_factor.secret_text(device),
        "enrolled": two_factor.app_device(user) is not None,
        "next": _next(request),
    }
    return render(
        request, "account/two_factor_setup.html", context, status=400 if form.errors else 200
    )


@writes(Scope.SELF)
@require_http_methods(["GET", "POST"])
def two_factor_verify(request: HttpRequest) -> HttpResponse:
    if not two_factor.owes_code(request):
        return redirect(_next(request))
    form = VerifyForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if two_factor.check_code(request, form.cleaned_data["code"]):
            return redirect(_next(request))
        if two_factor.wrong_code(request):
            messages.error(request, _("Too many wrong codes: you were signed out. Sign in again."))
            return redirect("login")
        form.add_error(
            "code",
            _("That code does not work. Enter the code the app shows now, or a recovery code."),
        )
    context = {"form": form, "next": _next(request)}
    status = 400 if form.errors else 200
    return render(request, "auth/two_factor_verify.html", context, status=status)


@require_GET
def two_factor_staff(request: HttpRequest) -> HttpResponse:
    districts = districts_administered_by(request.user)  # type: ignore[arg-type]
    if not districts.exists():
        raise Http404
    choices = [
        (d, RequirementForm(initial={"required": two_factor.district_requires(d)}, prefix=d.slug))
        for d in districts
    ]
    people = two_factor.staff_of(districts, but=request.user)  # type: ignore[arg-type]
    context = {
        "people": people,
        "districts": choices,
        "admins_required": settings.TWO_FACTOR_FOR_ADMINS,
    }
    return render(request, "account/two_factor_staff.html", context)


@writes(Scope.DISTRICT)
@require_POST
def two_factor_reset(request: HttpRequest, public_id: UUID) -> HttpResponse:
    districts = districts_administered_by(request.user)  # type: ignore[arg-type]
    people = two_factor.staff_of(districts, but=request.user)  # type: ignore[arg-type]
    person = get_object_or_404(people, staff__public_id=public_id)
    district = districts.filter(staff_roles__staff__user=person).first()
    two_factor.reset(actor=request.user, user=person, district=district)  # type: ignore[arg-type]
    name = person.get_full_name() or person.email
    message = _("Removed the authenticator app and recovery codes of %(name)s.") % {"name": name}
    messages.success(request, message)
    return redirect("two_factor_staff")


@writes(Scope.DISTRICT)
@require_POST
def two_factor_district(request: HttpRequest, public_id: UUID) -> HttpResponse:
    districts = districts_administered_by(request.user)  # type: ignore[arg-type]
    district = get_object_or_404(districts, public_id=public_id)
    form = RequirementForm(request.POST, prefix=district.slug)
    required = form.is_valid() and form.cleaned_data["required"]
    two_factor.set_district_requirement(
        actor=request.user,  # type: ignore[arg-type]
        district=district,
        required=required,
    )
    messages.success(request, _("Saved. It applies from each person's next sign-in."))
    return redirect("two_factor_staff")
