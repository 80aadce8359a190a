"""The filters of the director's page and its downloads: a school and a discipline."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from tandem.accounts.models import User
from tandem.services.director import DISCIPLINES, Filters, parse_filters, schools_of


def _select() -> forms.Select:
    return forms.Select(attrs={"class": "usa-select"})


class DirectorFilterForm(forms.Form):
    school = forms.ChoiceField(label=_("School"), required=False, widget=_select())
    discipline = forms.ChoiceField(label=_("Discipline"), required=False, widget=_select())

    def __init__(self, data: Any, *, user: User) -> None:
        super().__init__(data)
        self._user = user
        everyone = [("", _("All"))]
        self.fields["school"].choices = everyone + [
            (str(s.public_id), s.name) for s in schools_of(user)
        ]
        self.fields["discipline"].choices = everyone + list(DISCIPLINES.items())

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if not self.errors:
            try:
                data["filters"] = parse_filters(
                    self._user, data.get("school"), data.get("discipline")
                )
            except ValidationError as exc:
                for name, messages in exc.message_dict.items():
                    for message in messages:
                        self.add_error(name, message)
        return data

    def filters(self) -> Filters:
        """The chosen filters; none when the form was not sent. Call after is_valid()."""
        if not self.is_bound:
            return Filters()
        return self.cleaned_data.get("filters") or Filters()
