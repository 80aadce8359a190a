"""A second factor for staff: an authenticator app (TOTP, django-otp) and ten recovery codes.

Who must have one (OWASP ASVS 2.7): district administrators while `TWO_FACTOR_FOR_ADMINS` is on
(the default), and all staff of a district whose `settings["accounts"]` has
`"second_factor_for_all_staff": true`. Anyone on staff may set one up.

At sign-in the session is marked (`SESSION_KEY`): VERIFY when the person has an app (the code is
asked before any page), ENROL when they must have one and do not (the set-up page comes first).
`SecondFactorMiddleware` keeps the session there until it is DONE. Five wrong codes sign the
session out, and each wrong code counts as a failed sign-in for the lockout (django-axes).

Lives in `web`, not `accounts`: who must have one is read from districts and roles (people,
access), which sit above accounts.
"""

from __future__ import annotations

from base64 import b32encode
from typing import Any

import django_otp
import segno
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth.signals import user_login_failed
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext as _
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from tandem import audit
from tandem.access.policy import standing
from tandem.accounts.models import User
from tandem.audit.catalogue import Action
from tandem.core import clock
from tandem.people.models import District, StaffRole

SESSION_KEY = "tandem_second_factor"
FAILURES_KEY = "tandem_second_factor_failures"
VERIFY, ENROL, DONE = "verify", "enrol", "done"
MAX_FAILURES = 5
RECOVERY_CODES = 10
SETTING = "second_factor_for_all_staff"


# --- who --------------------------------------------------------------------------------------


def eligible(user: Any) -> bool:
    """Staff (and the Django superuser) may use a second factor; parents sign in without one."""
    return bool(user.is_authenticated and (standing(user).is_staff_member or user.is_superuser))


def district_requires(district: District) -> bool:
    return bool(((district.settings or {}).get("accounts") or {}).get(SETTING))


def districts_of(user: Any) -> QuerySet[District]:
    """The districts where the user holds a role today."""
    roles = StaffRole.objects.active_on(clock.today()).filter(staff__user=user)
    return District.objects.filter(pk__in=roles.values("district_id"))


def required(user: Any) -> bool:
    if not eligible(user):
        return False
    s = standing(user)
    if settings.TWO_FACTOR_FOR_ADMINS and (s.admin_district_ids or user.is_superuser):
        return True
    return any(district_requires(d) for d in districts_of(user).only("settings"))


def app_device(user: Any, *, confirmed: bool = True) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=confirmed).order_by("-pk").first()


def state_for(user: Any) -> str | None:
    if app_device(user) is not None:
        return VERIFY
    return ENROL if required(user) else None


def on_sign_in(sender: Any, request: HttpRequest | None, user: User, **kwargs: Any) -> None:
    session = getattr(request, "session", None)
    if session is None:
        return
    session.pop(FAILURES_KEY, None)
    if state := state_for(user):
        session[SESSION_KEY] = state
    else:
        session.pop(SESSION_KEY, None)


def pending(request: HttpRequest) -> str | None:
    """VERIFY or ENROL while the session still owes its second factor, else None."""
    session, user = request.session, request.user
    state = session.get(SESSION_KEY)
    if state is None:
        return None
    if user.is_verified():  # type: ignore[union-attr]
        if state != DONE:
            session[SESSION_KEY] = DONE
        return None
    if state == DONE:  # the app that verified this session was reset or replaced since
        state = _refresh(request)
    return state


def _refresh(request: HttpRequest) -> str | None:
    if state := state_for(request.user):
        request.session[SESSION_KEY] = state
    else:
        request.session.pop(SESSION_KEY, None)
    return state


def owes_code(request: HttpRequest) -> bool:
    """The session waits for a code and there is an app to check it with (an administrator may
    have reset it meanwhile: then the session is asked what it owes now)."""
    if pending(request) != VERIFY:
        return False
    if app_device(request.user) is None:
        _refresh(request)
        return False
    return True


def _done(request: HttpRequest, device: Device) -> None:
    django_otp.login(request, device)
    request.session[SESSION_KEY] = DONE
    request.session.pop(FAILURES_KEY, None)


def _district(user: Any) -> District | None:
    return districts_of(user).order_by("pk").first()


# --- setting up an app ------------------------------------------------------------------------


def pending_app(user: User) -> TOTPDevice:
    """The app being set up: the same secret until it is confirmed (a reload shows it again)."""
    return app_device(user, confirmed=False) or TOTPDevice.objects.create(
        user=user, name="Authenticator app", confirmed=False
    )


def secret_text(device: TOTPDevice) -> str:
    """The secret in base32, in groups of four, for typing into an app by hand."""
    secret = b32encode(device.bin_key).decode()
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def qr_svg(device: TOTPDevice) -> str:
    """The app's set-up link as an inline SVG QR code (drawn here: no script, no other site)."""
    svg = segno.make(device.config_url, error="m").svg_inline(scale=5, svgclass="tandem-qr")
    label = _("QR code to scan with an authenticator app")
    return svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)


@transaction.atomic
def confirm_app(request: HttpRequest, code: str) -> list[str]:
    """Confirm the app with its first code; it replaces any earlier app and recovery codes.

    Returns the new recovery codes, shown once. The session counts as verified."""
    user: User = request.user  # type: ignore[assignment]
    device = (
        TOTPDevice.objects.select_for_update(of=("self",))
        .filter(user=user, confirmed=False)
        .order_by("-pk")
        .first()
    )
    if device is None:
        raise ValidationError({"code": _("This set-up has ended. Scan the new QR code below.")})
    if not device.verify_token(code):
        raise ValidationError(
            {"code": _("That code does not match. Enter the 6 digits the app shows now.")}
        )
    replaced = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
    StaticDevice.objects.filter(user=user).delete()
    device.confirmed = True
    device.save(update_fields=["confirmed"])
    codes = [StaticToken.random_token() for _n in range(RECOVERY_CODES)]
    holder = StaticDevice.objects.create(user=user, name="Recovery codes", confirmed=True)
    StaticToken.objects.bulk_create(StaticToken(device=holder, token=c) for c in codes)
    _done(request, device)
    audit.record(
        actor=user,
        action=Action.TWO_FACTOR__ENROLLED,
        district=_district(user),
        target=user,
        detail={"replaced": replaced},
    )
    return codes


# --- the code at sign-in ----------------------------------------------------------------------


def normalized(code: str) -> str:
    return "".join(code.split()).replace("-", "").lower()


def check_code(request: HttpRequest, code: str) -> Device | None:
    """The device that accepts `code` (6 digits: the app; otherwise a recovery code, used up)."""
    user = request.user
    token = normalized(code)
    model = TOTPDevice if token.isdigit() else StaticDevice
    for device in model.objects.devices_for_user(user, confirmed=True):
        if found := django_otp.verify_token(user, device.persistent_id, token):
            kind = "recovery_code" if isinstance(found, StaticDevice) else "app"
            _done(request, found)
            audit.record(
                actor=user,  # type: ignore[arg-type]
                action=Action.TWO_FACTOR__VERIFIED,
                district=_district(user),
                target=user,  # type: ignore[arg-type]
                detail={"with": kind},
            )
            return found  # type: ignore[no-any-return]
    return None


def wrong_code(request: HttpRequest) -> bool:
    """Count a wrong code (audited, and a failed sign-in for the lockout); True when the session
    was signed out for it."""
    user: User = request.user  # type: ignore[assignment]
    failures = request.session.get(FAILURES_KEY, 0) + 1
    request.session[FAILURES_KEY] = failures
    user_login_failed.send(__name__, credentials={"username": user.email}, request=request)
    locked = failures >= MAX_FAILURES
    audit.record(
        actor=user,
        action=Action.TWO_FACTOR__LOCKED_OUT if locked else Action.TWO_FACTOR__FAILED,
        district=_district(user),
        target=user,
        detail={"attempt": failures},
    )
    if locked:
        logout(request)
    return locked


# --- the district administrator's page and the reset -----------------------------------------


def staff_of(districts: QuerySet[District], *, but: User) -> QuerySet[User]:
    """Everyone with a role today in these districts, but `but`, each with `has_app`."""
    roles = StaffRole.objects.active_on(clock.today()).filter(district__in=districts)
    apps = TOTPDevice.objects.filter(user=OuterRef("pk"), confirmed=True)
    return (
        User.objects.filter(staff__in=roles.values("staff_id"))
        .exclude(pk=but.pk)
        .annotate(has_app=Exists(apps))
        .select_related("staff")
        .order_by("last_name", "first_name", "email")
    )


@transaction.atomic
def reset(*, actor: User | None, user: User, district: District | None = None) -> bool:
    """Remove the person's app and recovery codes: they set up a new app at their next sign-in
    (or go on without one where none is required). Returns whether there was one."""
    had = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
    TOTPDevice.objects.filter(user=user).delete()
    StaticDevice.objects.filter(user=user).delete()
    audit.record(
        actor=actor,
        action=Action.TWO_FACTOR__RESET,
        district=district or _district(user),
        target=user,
        detail={"had_app": had},
    )
    return had


@transaction.atomic
def set_district_requirement(*, actor: User, district: District, required: bool) -> District:
    district = District.objects.select_for_update(of=("self",)).get(pk=district.pk)
    chosen = dict(district.settings or {})
    chosen["accounts"] = {**(chosen.get("accounts") or {}), SETTING: required}
    district.settings = chosen
    district.save(update_fields=["settings"])
    audit.record(
        actor=actor,
        action=Action.TWO_FACTOR__REQUIREMENT_CHANGED,
        district=district,
        target=district,
        detail={"all_staff": required},
    )
    return district
