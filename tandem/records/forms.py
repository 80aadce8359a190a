"""Forms for records rights: a disclosure, a request (the parent's or staff's), an answer."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.core.forms import UswdsMixin
from tandem.records.models import (
    TEXT_LIMIT,
    DisclosureKind,
    LegalBasis,
    RequestKind,
    RequestStatus,
)

DATE = forms.DateInput(attrs={"type": "date"})


def _text(label: Any, help_text: Any = "", rows: int = 3) -> forms.CharField:
    return forms.CharField(
        label=label,
        help_text=help_text,
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class DisclosureForm(UswdsMixin, forms.Form):
    kind = forms.ChoiceField(label=_("What happened"), choices=DisclosureKind.choices)
    party = forms.CharField(
        label=_("Who received the records"),
        help_text=_("The person and the organization, e.g. 'J. Ortiz, Lakeside Unified'."),
        max_length=200,
    )
    basis = forms.ChoiceField(
        label=_("Legal basis"),
        choices=LegalBasis.choices,
        help_text=_("Disclosures without the parent's consent are allowed only on these grounds."),
    )
    interest = _text(
        _("Their legitimate interest"),
        _("Why they needed the records; in an emergency, the significant threat (99.32(a)(5))."),
    )
    records = _text(_("Which records"), _("E.g. 'the IEP in force and the last evaluation'."))
    disclosed_on = forms.DateField(label=_("Date released"), widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].error_messages["required"] = _("Choose what happened.")
        self.fields["party"].error_messages["required"] = _("Name who received the records.")
        self.fields["basis"].error_messages["required"] = _("Choose the legal basis.")
        self.fields["interest"].error_messages["required"] = _("Say why they needed the records.")
        self.fields["records"].error_messages["required"] = _("Say which records were given.")
        self.fields["disclosed_on"].error_messages["required"] = _("Give the date released.")


class FamilyRequestForm(UswdsMixin, forms.Form):
    """The parent's request, from the portal: the date is today's."""

    kind = forms.ChoiceField(
        label=_("What would you like?"),
        choices=RequestKind.choices,
        widget=forms.RadioSelect,
    )
    details = _text(
        _("Which records, and for an amendment what is wrong"),
        _(
            "For example 'all of the evaluation' or 'the 2025 IEP says he reads at grade 1; "
            "the reading test says grade 2'."
        ),
        rows=5,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].error_messages["required"] = _(
            "Choose whether you want to see the records or amend them."
        )
        self.fields["details"].error_messages["required"] = _(
            "Say which records, and for an amendment what is wrong."
        )


class StaffRequestForm(FamilyRequestForm):
    """A request made by letter, phone or in person, recorded by staff."""

    requested_by = forms.CharField(label=_("Asked by"), max_length=200)
    requested_on = forms.DateField(label=_("Date of the request"), widget=DATE)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["kind"].label = _("The request")
        self.fields["requested_by"].error_messages["required"] = _("Name the parent who asked.")
        self.fields["requested_on"].error_messages["required"] = _("Give the date of the request.")


class AnswerForm(UswdsMixin, forms.Form):
    outcome = forms.ChoiceField(
        label=_("The answer"),
        choices=[
            (RequestStatus.GRANTED, _("Granted: the records were shown, or amended")),
            (RequestStatus.REFUSED, _("Refused: the records will not be amended")),
        ],
        widget=forms.RadioSelect,
    )
    answered_on = forms.DateField(
        label=_("Date"),
        help_text=_("When the records were shown, amended or refused."),
        widget=DATE,
    )
    answer = _text(
        _("What was done, or why it was refused"),
        _("A refusal gives the reason; the parent is told of the right to a hearing."),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["answer"].required = False
        self.fields["outcome"].error_messages["required"] = _("Choose granted or refused.")
        self.fields["answered_on"].error_messages["required"] = _("Give the date of the answer.")
