"""Forms of a teacher's concern: input parsing only; the rules live in concerns.py."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.core import limits
from tandem.core.forms import UswdsMixin
from tandem.referrals.models import AreaOfConcern


class ConcernForm(UswdsMixin, forms.Form):
    areas_of_concern = forms.MultipleChoiceField(
        label=_("Areas of concern"),
        choices=AreaOfConcern.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one area of concern.")},
    )
    description = forms.CharField(
        label=_("What you have seen, and what you have tried"),
        help_text=_(
            "Describe what the student does or finds hard in class, how often, and the "
            "interventions or supports you have tried and how they went."
        ),
        widget=forms.Textarea(attrs={"rows": 6}),
        max_length=limits.NOTE,
    )


class DeclineForm(UswdsMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why the concern is declined"),
        help_text=_("The teacher who raised it reads this on the referral's page."),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=limits.SHORT_NOTE,
    )
