"""Forms for the family pages and the staff's paper-signature and invitation pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.accounts.models import Language
from tandem.core import limits
from tandem.core.forms import DATE, UswdsMixin
from tandem.portal.models import Decision


class SignForm(UswdsMixin, forms.Form):
    decision = forms.ChoiceField(
        label=_("Your answer"),
        choices=Decision.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose your answer.")},
    )
    parts = forms.MultipleChoiceField(
        label=_("If you agree to some parts only, check the parts you agree to"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    reason = forms.CharField(
        label=_("Comment or reason"),
        required=False,
        max_length=limits.SHORT_NOTE,
        widget=forms.Textarea(attrs={"rows": 3, "class": "usa-textarea"}),
    )
    typed_name = forms.CharField(
        label=_("Type your full name to sign"),
        max_length=limits.NAME,
        help_text=_("Typing your name here is the same as signing on paper."),
        error_messages={"required": _("Type your full name to sign.")},
        widget=forms.TextInput(attrs={"class": "usa-input", "autocomplete": "name"}),
    )
    agree = forms.BooleanField(
        label=_("I read this form. I understand that I sign it by typing my name."),
        error_messages={"required": _("Check the box to show you read the form.")},
    )

    def __init__(self, *args: Any, parts: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["parts"].choices = parts
        if not parts:
            del self.fields["parts"]
            self.fields["decision"].choices = [
                c for c in Decision.choices if c[0] != Decision.PARTIAL
            ]


class PaperSignatureForm(UswdsMixin, forms.Form):
    guardian = forms.ChoiceField(label=_("Parent who signed"))
    decision = forms.ChoiceField(
        label=_("Answer on the form"), choices=Decision.choices, widget=forms.RadioSelect
    )
    parts = forms.MultipleChoiceField(
        label=_("Parts consented to (for a partial answer)"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    reason = forms.CharField(
        max_length=limits.NOTE,
        label=_("Reason or comment written on the form"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "class": "usa-textarea"}),
    )
    typed_name = forms.CharField(
        label=_("Name as signed"),
        max_length=limits.NAME,
        widget=forms.TextInput(attrs={"class": "usa-input"}),
    )
    signed_on = forms.DateField(label=_("Date signed"), widget=DATE)
    language = forms.ChoiceField(
        label=_("Language of the form"),
        choices=Language.choices,
        widget=forms.Select(attrs={"class": "usa-select"}),
    )
    scan = forms.FileField(
        label=_("Scan of the signed form"),
        help_text=_("PDF, PNG or JPEG, up to 10 MB."),
        widget=forms.ClearableFileInput(attrs={"class": "usa-file-input"}),
    )

    def __init__(
        self,
        *args: Any,
        guardians: list[tuple[str, str]],
        parts: list[tuple[str, str]],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["guardian"].choices = guardians
        self.fields["guardian"].widget.attrs["class"] = "usa-select"
        self.fields["parts"].choices = parts
        if not parts:
            del self.fields["parts"]
            self.fields["decision"].choices = [
                c for c in Decision.choices if c[0] != Decision.PARTIAL
            ]


class RightsTransferForm(UswdsMixin, forms.Form):
    """The student's own contact for their rights at the age of majority (300.520)."""

    email = forms.EmailField(
        label=_("The student's email address"),
        required=False,
        max_length=254,  # RFC 5321, as Django's EmailField on the guardian
        help_text=_(
            "For their own portal account. Leave it empty to serve the student on paper: they "
            "lose nothing."
        ),
    )
    language = forms.ChoiceField(
        label=_("The language the student reads"), choices=Language.choices
    )
