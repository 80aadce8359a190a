"""Forms for providers' pages: the profile, a contract, teletherapy consent, the day's date."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.dates import WEEKDAYS as DAY_NAMES
from django.utils.translation import gettext_lazy as _

from tandem.core import limits
from tandem.core.forms import DATE, TIME, UswdsMixin
from tandem.people.models import Staff
from tandem.services.actions_providers import ProfileInput
from tandem.services.models import (
    Discipline,
    ProviderModality,
    ProviderProfile,
    validate_npi,
    validate_time_zone,
)

# Django's own day names: a msgid "Monday" of ours would override its catalogue in every date.
WEEKDAYS = [(str(day), name) for day, name in DAY_NAMES.items()]


class ProfileForm(UswdsMixin, forms.Form):
    """The profile's fields; the discipline and supervisor only for a leader (or a first save)."""

    discipline = forms.ChoiceField(label=_("Discipline"), choices=Discipline.choices)
    credentials = forms.CharField(
        label=_("Credentials"),
        max_length=100,
        required=False,
        help_text=_("For example CCC-SLP."),
    )
    npi = forms.CharField(
        label=_("National Provider Identifier (NPI)"),
        max_length=10,
        required=False,
        validators=[validate_npi],
        help_text=_("Ten digits. Needed to bill Medicaid for your sessions."),
    )
    supervisor = forms.ModelChoiceField(
        label=_("Supervisor"),
        queryset=Staff.objects.none(),
        required=False,
        to_field_name="public_id",
        help_text=_("Required for an assistant: the licensed therapist who supervises."),
    )
    supervised_since = forms.DateField(
        label=_("Supervised since"),
        widget=DATE,
        required=False,
        help_text=_(
            "An assistant's first day under supervision: state rules ask for more supervision "
            "in the first weeks."
        ),
    )
    modality = forms.ChoiceField(
        label=_("How the provider works"),
        choices=ProviderModality.choices,
        widget=forms.RadioSelect,
    )
    weekly_capacity = forms.IntegerField(
        label=_("Weekly capacity in minutes"), min_value=0, max_value=7 * 24 * 60
    )
    time_zone = forms.CharField(
        label=_("Time zone"),
        max_length=64,
        validators=[validate_time_zone],
        help_text=_("Your own time zone, such as America/Chicago."),
    )
    working_days = forms.MultipleChoiceField(
        label=_("Working days"),
        choices=WEEKDAYS,
        widget=forms.CheckboxSelectMultiple,
        required=False,
    )
    day_starts = forms.TimeField(label=_("Working day starts"), widget=TIME, required=False)
    day_ends = forms.TimeField(label=_("Working day ends"), widget=TIME, required=False)
    languages = forms.CharField(
        label=_("Languages"),
        max_length=limits.NAME,
        required=False,
        help_text=_("The languages you serve students in, separated by commas."),
    )

    def __init__(
        self,
        *args: Any,
        supervisors: Any,
        profile: ProviderProfile | None,
        is_leader: bool,
        **kwargs: Any,
    ) -> None:
        if profile is not None and "initial" not in kwargs:
            kwargs["initial"] = {
                "discipline": profile.discipline,
                "credentials": profile.credentials,
                "npi": profile.npi,
                "supervisor": profile.supervisor.public_id if profile.supervisor else None,
                "supervised_since": profile.supervised_since,
                "modality": profile.modality,
                "weekly_capacity": profile.weekly_capacity,
                "time_zone": profile.time_zone,
                "working_days": profile.working_days.split(","),
                "day_starts": profile.day_starts,
                "day_ends": profile.day_ends,
                "languages": profile.languages,
            }
        elif "initial" not in kwargs:
            kwargs["initial"] = {
                "modality": ProviderModality.IN_PERSON,
                "weekly_capacity": 0,
                "time_zone": "America/Chicago",
                "working_days": ["0", "1", "2", "3", "4"],
            }
        super().__init__(*args, **kwargs)
        self.fields["supervisor"].queryset = supervisors  # type: ignore[attr-defined]
        if not is_leader:
            # Only a leader changes the discipline or names the supervisor once set.
            if profile is not None:
                del self.fields["discipline"]
            del self.fields["supervisor"]
            del self.fields["supervised_since"]

    def to_input(self, profile: ProviderProfile | None) -> ProfileInput:
        data = self.cleaned_data
        keep = profile
        return ProfileInput(
            discipline=data.get("discipline") or (keep.discipline if keep else ""),
            credentials=data.get("credentials", ""),
            npi=data.get("npi", ""),
            supervisor=data["supervisor"]
            if "supervisor" in self.fields
            else (keep.supervisor if keep else None),
            supervised_since=data.get("supervised_since")
            if "supervised_since" in self.fields
            else (keep.supervised_since if keep else None),
            modality=data["modality"],
            weekly_capacity=data["weekly_capacity"],
            time_zone=data["time_zone"],
            working_days=",".join(sorted(data.get("working_days") or [])),
            day_starts=data.get("day_starts"),
            day_ends=data.get("day_ends"),
            languages=data.get("languages", "").strip(),
        )


class ContractForm(UswdsMixin, forms.Form):
    district = forms.ModelChoiceField(
        label=_("District"), queryset=Staff.objects.none(), to_field_name="public_id"
    )
    agency = forms.CharField(label=_("Agency"), max_length=limits.NAME)
    start_date = forms.DateField(label=_("Start date"), widget=DATE)
    end_date = forms.DateField(
        label=_("End date"),
        widget=DATE,
        required=False,
        help_text=_("The contract's last day. After it the provider sees nothing of the district."),
    )

    def __init__(self, *args: Any, districts: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["district"].queryset = districts  # type: ignore[attr-defined]


class EndContractForm(UswdsMixin, forms.Form):
    end_date = forms.DateField(label=_("Last day of the contract"), widget=DATE)


class TeletherapyConsentForm(UswdsMixin, forms.Form):
    given = forms.TypedChoiceField(
        label=_("The parent's answer"),
        choices=[
            ("yes", _("The parent consents to teletherapy")),
            ("no", _("The parent does not consent, or withdrew consent")),
        ],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
    )
    on = forms.DateField(label=_("Date of the parent's answer"), widget=DATE)


class DayForm(forms.Form):
    day = forms.DateField(label=_("Day"), widget=DATE, required=False)
