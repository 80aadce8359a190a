"""Forms of the revision pages: input parsing only; the rules live in actions.py."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.validators import MaxLengthValidator
from django.utils.translation import gettext_lazy as _

from tandem.accounts.models import Language
from tandem.core import limits
from tandem.core.forms import UswdsMixin
from tandem.referrals.forms import NoticeElementsMixin


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


class DeclineForm(NoticeElementsMixin, UswdsMixin, forms.Form):
    """A refusal is prior written notice (34 CFR 300.503(b)): every element, in the family's
    language, then an optional note for the requester."""

    language = forms.ChoiceField(
        label=_("Language of the notice"),
        choices=Language.choices,
        help_text=_("The family's language. Write every part of the notice in it."),
    )
    note = forms.CharField(
        max_length=limits.NOTE,
        label=_("Note for the requester"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        elements = self.element_fields(required=True)
        for field in elements.values():
            field.max_length = limits.LONG_TEXT
            field.validators.append(MaxLengthValidator(limits.LONG_TEXT))
            field.widget.attrs.update({"class": "usa-textarea", "maxlength": limits.LONG_TEXT})
            field.error_messages["required"] = _(
                "Prior written notice needs this part (34 CFR 300.503(b))."
            )
        # The elements first, in the regulation's order; the language and the note after.
        self.fields = {**elements, **self.fields}

    def decline_kwargs(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {"content": self.notice_content(data["language"]), "note": data["note"]}
