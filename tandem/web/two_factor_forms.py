"""The second factor's forms: the app's first code, the code at sign-in, the district's choice."""

from __future__ import annotations

from django import forms
from django.core.validators import RegexValidator
from django.utils.translation import gettext_lazy as _

from tandem.core.forms import UswdsMixin

_CODE_ATTRS = {"autocomplete": "one-time-code", "spellcheck": "false", "autocapitalize": "off"}


class SetupForm(UswdsMixin, forms.Form):
    code = forms.CharField(
        label=_("The 6-digit code the app shows"),
        max_length=20,
        validators=[
            RegexValidator(r"^\s*\d{3}\s?\d{3}\s*$", _("Enter the 6 digits the app shows."))
        ],
        error_messages={"required": _("Enter the 6 digits the app shows.")},
        widget=forms.TextInput(attrs={**_CODE_ATTRS, "inputmode": "numeric"}),
    )


class VerifyForm(UswdsMixin, forms.Form):
    code = forms.CharField(
        label=_("Code"),
        help_text=_("The 6 digits your authenticator app shows, or one of your recovery codes."),
        max_length=40,
        error_messages={"required": _("Enter the code from your app or a recovery code.")},
        widget=forms.TextInput(attrs={**_CODE_ATTRS, "autofocus": True}),
    )


class RequirementForm(forms.Form):
    required = forms.BooleanField(
        label=_("Every staff member of the district must use an authenticator app"),
        required=False,
    )
