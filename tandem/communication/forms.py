"""Forms of the communication pages: input parsing only; the rules live in actions.py."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.communication.models import ContactMethod, Frequency, NotificationKind
from tandem.core import limits
from tandem.core.forms import DATE, UswdsMixin


class ContactForm(UswdsMixin, forms.Form):
    contacted_on = forms.DateField(label=_("Date of the contact"), widget=DATE)
    method = forms.ChoiceField(label=_("Method"), choices=ContactMethod.choices)
    family_member = forms.CharField(
        label=_("Family member contacted"), max_length=limits.NAME, required=False
    )
    language = forms.CharField(label=_("Language used"), max_length=40, initial="English")
    interpreter = forms.CharField(
        label=_("Interpreter"),
        max_length=limits.NAME,
        required=False,
        help_text=_("Name of the interpreter, if one was used."),
    )
    summary = forms.CharField(
        max_length=limits.NOTE, label=_("Summary"), widget=forms.Textarea(attrs={"rows": 4})
    )
    follow_up = forms.CharField(
        max_length=limits.NOTE,
        label=_("Follow-up needed"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    follow_up_on = forms.DateField(label=_("Follow-up by"), widget=DATE, required=False)
    follow_up_owner = forms.TypedChoiceField(
        label=_("Follow-up owner"), required=False, coerce=int, empty_value=None
    )

    def __init__(self, *args, owners=(), **kwargs):  # type: ignore[no-untyped-def]
        super().__init__(*args, **kwargs)
        self.owners = {u.pk: u for u in owners}
        self.fields["follow_up_owner"].choices = [("", _("Nobody"))] + [
            (u.pk, u.get_full_name() or u.email) for u in owners
        ]

    def action_kwargs(self) -> dict:  # type: ignore[type-arg]
        data = dict(self.cleaned_data)
        data["follow_up_owner"] = self.owners.get(data.get("follow_up_owner"))  # type: ignore[arg-type]
        return data


class MessageForm(UswdsMixin, forms.Form):
    body = forms.CharField(
        label=_("Your message"), widget=forms.Textarea(attrs={"rows": 4}), max_length=limits.NOTE
    )


class MarkReadForm(forms.Form):
    """Mark one notification (or, with none, all of them) read; then open its link, if given."""

    notification = forms.UUIDField(required=False)
    open = forms.CharField(required=False, max_length=limits.LINE)


class PreferenceForm(UswdsMixin, forms.Form):
    email_enabled = forms.BooleanField(label=_("Send me email"), required=False)
    frequency = forms.ChoiceField(
        label=_("How often"), choices=Frequency.choices, widget=forms.RadioSelect
    )
    muted_kinds = forms.MultipleChoiceField(
        label=_("No email for these kinds (they still show in Tandem)"),
        choices=NotificationKind.choices,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
