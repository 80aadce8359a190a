"""Forms of the progress-report pages: input parsing only; the rules live in the actions."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.core.forms import UswdsMixin
from tandem.people.models import MarkingPeriod, School
from tandem.reports.actions import field_name
from tandem.reports.models import BatchMode, GoalStatus, ProgressReportGoal
from tandem.reports.schedule import Period


def _period_label(mp: MarkingPeriod) -> str:
    return f"{mp.name} ({mp.calendar.school_year}: {mp.start:%Y-%m-%d} – {mp.end:%Y-%m-%d})"


def default_period(periods: Sequence[MarkingPeriod], today: date) -> MarkingPeriod | None:
    """The marking period under way today, else the latest that has ended, else the first."""
    current = next((p for p in periods if p.start <= today <= p.end), None)
    if current is not None:
        return current
    ended = [p for p in periods if p.end < today]
    return ended[-1] if ended else (periods[0] if periods else None)


class SchoolPeriodForm(UswdsMixin, forms.Form):
    school = forms.ChoiceField(label=_("School"))
    period = forms.ChoiceField(label=_("Reporting period"))

    def __init__(
        self,
        *args: Any,
        schools: Sequence[School],
        periods: Sequence[MarkingPeriod],
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["school"].choices = [(str(s.public_id), s.name) for s in schools]
        self.fields["period"].choices = [(str(p.pk), _period_label(p)) for p in periods]
        for name, message in (
            ("school", _("Choose one of your schools.")),
            ("period", _("Choose a reporting period of this school.")),
        ):
            self.fields[name].error_messages["invalid_choice"] = message
            self.fields[name].error_messages["required"] = message


class BatchForm(SchoolPeriodForm):
    mode = forms.ChoiceField(
        label=_("What to do"),
        choices=BatchMode.choices,
        initial=BatchMode.DRAFT,
        widget=forms.RadioSelect,
        help_text=_(
            "Drafting writes each report from the data for the providers to edit. Issuing also "
            "freezes each report and sends it to the parents; only do that after review."
        ),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["mode"].error_messages["required"] = _(
            "Choose whether to draft or to issue the reports."
        )
        self.fields["mode"].error_messages["invalid_choice"] = _(
            "Choose whether to draft or to issue the reports."
        )


class DraftForm(UswdsMixin, forms.Form):
    prefix = "report"
    period = forms.ChoiceField(label=_("Reporting period"))

    def __init__(self, *args: Any, periods: Sequence[Period], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["period"].choices = [
            (p.key, f"{p.label} ({p.start:%Y-%m-%d} – {p.end:%Y-%m-%d})") for p in periods
        ]
        message = _("Choose a reporting period of the student's IEP.")
        self.fields["period"].error_messages["invalid_choice"] = message
        self.fields["period"].error_messages["required"] = message


class ReportEditForm(UswdsMixin, forms.Form):
    """One status and one narrative per goal on the report."""

    def __init__(self, *args: Any, rows: Sequence[ProgressReportGoal], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = list(rows)
        for row in self.rows:
            number = row.position
            status = forms.ChoiceField(
                label=_("Progress on goal %(number)s") % {"number": number},
                choices=GoalStatus.choices,
                initial=row.status,
                widget=forms.Select(attrs={"class": "usa-select"}),
            )
            status.error_messages["invalid_choice"] = _("Choose a status from the list.")
            status.error_messages["required"] = _("Choose a status from the list.")
            text = forms.CharField(
                label=_("What to tell the family about goal %(number)s") % {"number": number},
                initial=row.narrative,
                widget=forms.Textarea(attrs={"rows": 5, "class": "usa-textarea"}),
                required=False,
            )
            self.fields[field_name(row, "status")] = status
            self.fields[field_name(row, "narrative")] = text

    def entries(self) -> dict[int, dict[str, str]]:
        data = self.cleaned_data
        return {
            row.pk: {
                "status": data.get(field_name(row, "status"), row.status),
                "narrative": data.get(field_name(row, "narrative"), ""),
            }
            for row in self.rows
        }

    def bound_rows(self) -> list[dict[str, Any]]:
        return [
            {
                "row": row,
                "status": self[field_name(row, "status")],
                "narrative": self[field_name(row, "narrative")],
            }
            for row in self.rows
        ]
