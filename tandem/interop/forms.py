"""The upload form of the roster page: input parsing only; the import itself is in actions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext_lazy as _

from tandem.core.forms import UswdsMixin
from tandem.people.models import District


class UploadForm(UswdsMixin, forms.Form):
    district = forms.ModelChoiceField(label=_("District"), queryset=District.objects.none())
    archive = forms.FileField(
        label=_("OneRoster file"),
        help_text=_(
            "A zip of the OneRoster 1.1 or 1.2 CSV files from your student information "
            "system, up to 200 MB. Nothing changes until you apply it."
        ),  # fmt: skip
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}),
    )

    def __init__(self, *args: Any, districts: QuerySet[District], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["district"]
        field.queryset = districts  # type: ignore[attr-defined]
        if len(districts) == 1:
            field.initial = districts[0]
            field.widget = forms.HiddenInput()

    def clean_archive(self) -> Any:
        archive = self.cleaned_data["archive"]
        if not archive.name.lower().endswith(".zip"):
            raise forms.ValidationError(_("Choose a .zip file of the OneRoster CSV files."))
        return archive


class ApplyForm(forms.Form):
    """Nothing to fill in: applying is one button."""


class EdfiUploadForm(UploadForm):
    archive = forms.FileField(
        label=_("Ed-Fi export"),
        help_text=_(
            "A zip of the Ed-Fi XML interchanges (Data Standard 5.2): Student, "
            "EducationOrganization, StudentProgram and the descriptors, up to 200 MB. Nothing "
            "changes until you apply it."
        ),  # fmt: skip
        widget=forms.ClearableFileInput(attrs={"accept": ".zip,application/zip"}),
    )

    def clean_archive(self) -> Any:
        archive = self.cleaned_data["archive"]
        if not archive.name.lower().endswith(".zip"):
            raise forms.ValidationError(_("Choose a .zip file of the Ed-Fi XML files."))
        return archive
