"""Forms of the Medicaid pages: an entry of a student's consent record, and the export's range."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.core.forms import DATE, UswdsMixin
from tandem.people.models import District
from tandem.services.models import MedicaidEntryKind

# The longest range one export covers: a school year and a little more.
LONGEST_RANGE = timedelta(days=366)


class MedicaidEntryForm(UswdsMixin, forms.Form):
    """One dated entry; the action (`actions_medicaid.record_entry`) refuses what does not fit."""

    kind = forms.ChoiceField(
        label=_("What to record"),
        choices=MedicaidEntryKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what to record.")},
    )
    on = forms.DateField(
        label=_("Date"),
        help_text=_("The day the parent signed, withdrew, or was given the written notice."),
        widget=DATE,
        error_messages={
            "required": _("Enter the date."),
            "invalid": _("Enter a date like 2026-03-14."),
        },
    )
    medicaid_id = forms.CharField(
        label=_("Medicaid ID"),
        help_text=_("Letters and digits only, at most 20. Needed to bill."),
        required=False,
        max_length=40,
    )
    note = forms.CharField(label=_("Note"), required=False, max_length=300)


class MedicaidExportForm(UswdsMixin, forms.Form):
    """The district (for a leader of several) and the range of session dates."""

    district = forms.ChoiceField(label=_("District"), required=False)
    start = forms.DateField(
        label=_("From"),
        widget=DATE,
        error_messages={
            "required": _("Enter the first date."),
            "invalid": _("Enter a date like 2026-03-14."),
        },
    )
    end = forms.DateField(
        label=_("To"),
        widget=DATE,
        error_messages={
            "required": _("Enter the last date."),
            "invalid": _("Enter a date like 2026-03-14."),
        },
    )

    def __init__(self, data: Any, *, districts: list[District], **kwargs: Any) -> None:
        super().__init__(data, **kwargs)
        self._districts = {str(d.public_id): d for d in districts}
        self.fields["district"].choices = [(key, d.name) for key, d in self._districts.items()]
        self.fields["district"].widget.attrs["class"] = "usa-select"
        if len(districts) == 1:
            self.fields["district"].widget = forms.HiddenInput()

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        chosen = data.get("district") or ""
        if not chosen and len(self._districts) == 1:
            chosen = next(iter(self._districts))
        if chosen not in self._districts:
            self.add_error("district", _("Choose one of your districts."))
        else:
            data["district"] = self._districts[chosen]
        start, end = data.get("start"), data.get("end")
        if start and end:
            if end < start:
                self.add_error("end", _("The last date is before the first."))
            elif end - start >= LONGEST_RANGE:
                self.add_error("end", _("Choose a range of at most 366 days."))
        return data
