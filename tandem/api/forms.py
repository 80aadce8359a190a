"""The form of the API tokens page (tandem/web/views/api_tokens.py)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tandem.accounts.models import TokenScope
from tandem.api.actions_tokens import EXPIRY_DAYS, LABEL_MAX


class ApiTokenForm(forms.Form):
    label = forms.CharField(
        label=_("Label"),
        max_length=LABEL_MAX,
        help_text=_(
            "What the token is for, so you know which one to revoke (for example: "
            "“district reporting script”)."
        ),
    )
    scope = forms.ChoiceField(
        label=_("What it may do"),
        choices=TokenScope.choices,
        initial=TokenScope.READ,
        widget=forms.RadioSelect,
        help_text=_(
            "A read-only token can read records but the API refuses any change made with it."
        ),
    )
    days = forms.TypedChoiceField(
        label=_("Expires after"),
        choices=(),
        coerce=int,
        initial=90,
    )

    def __init__(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.fields["days"].choices = [  # type: ignore[attr-defined]
            (d, gettext("%(n)s days") % {"n": d}) for d in EXPIRY_DAYS
        ]
