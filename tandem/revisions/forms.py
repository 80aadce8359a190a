"""Forms of the revision pages: input parsing only; the rules live in actions.py."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.core import limits
from tandem.core.forms import UswdsMixin


class RevisionRequestForm(UswdsMixin, forms.Form):
    reason = forms.CharField(
        label=_("Why should the plan change?"),
        help_text=_("For example: what you see at home or in class, or what the data shows."),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=limits.NOTE,
    )
    proposed_change = forms.CharField(
        label=_("What would you change?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        max_length=limits.NOTE,
    )


class AmendForm(UswdsMixin, forms.Form):
    outcome_note = forms.CharField(
        max_length=limits.NOTE,
        label=_("The amendment and the parent's agreement"),
        help_text=_("What changes, and how the parent agreed to amend without a meeting."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DeclineForm(UswdsMixin, forms.Form):
    prior_written_notice = forms.CharField(
        max_length=limits.LONG_TEXT,
        label=_("Prior written notice"),
        help_text=_(
            "What the district refuses and why, what it considered, the data it used, and "
            "the parent's procedural safeguards."
        ),
        widget=forms.Textarea(attrs={"rows": 6}),
    )
    note = forms.CharField(
        max_length=limits.NOTE,
        label=_("Note for the requester"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
