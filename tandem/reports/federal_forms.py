"""What the federal-count pages ask for: the child count's date, the exiting count's school year."""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.core.forms import DATE, UswdsMixin


class CountDateForm(UswdsMixin, forms.Form):
    """The child count date: the state picks one day between October 1 and December 1."""

    day = forms.DateField(
        label=_("Count date"),
        help_text=_("Your state's child count date, between October 1 and December 1."),
        widget=DATE,
        error_messages={
            "required": _("Enter the count date."),
            "invalid": _("Enter the count date like 2026-10-07."),
        },
    )

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_day(self) -> date:
        day: date = self.cleaned_data["day"]
        if not date(day.year, 10, 1) <= day <= date(day.year, 12, 1):
            raise forms.ValidationError(
                _("The count date must be between October 1 and December 1 (IDEA section 618).")
            )
        if day > self.today:
            raise forms.ValidationError(
                _("The count date has not come yet: the records of that day do not exist.")
            )
        return day


class SchoolYearForm(UswdsMixin, forms.Form):
    """The exiting count's school year, named by the year it starts (July 1 to June 30)."""

    year = forms.IntegerField(
        label=_("School year starting in"),
        help_text=_("The year of its July 1: 2025 is July 1, 2025 to June 30, 2026."),
        min_value=2000,
        error_messages={
            "required": _("Enter the year the school year starts in."),
            "invalid": _("Enter the year as four digits, like 2025."),
            "min_value": _("Enter a year from 2000 on."),
        },
    )

    def __init__(self, *args: Any, today: date, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.today = today

    def clean_year(self) -> int:
        year: int = self.cleaned_data["year"]
        if date(year, 7, 1) > self.today:
            raise forms.ValidationError(_("That school year has not started yet."))
        return year
