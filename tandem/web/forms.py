from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.core import limits
from tandem.core.forms import DATE, UswdsMixin
from tandem.people.actions import GUARDIAN_EDITABLE_FIELDS, STUDENT_EDITABLE_FIELDS
from tandem.people.models import Guardian, School, Staff, Student


class StudentProfileForm(UswdsMixin, forms.ModelForm):
    class Meta:
        model = Student
        fields = STUDENT_EDITABLE_FIELDS


class GuardianContactForm(UswdsMixin, forms.ModelForm):
    class Meta:
        model = Guardian
        fields = GUARDIAN_EDITABLE_FIELDS


class StudentSearchForm(UswdsMixin, forms.Form):
    q = forms.CharField(label=_("Name or student id"), required=False, max_length=limits.SEARCH)
    school = forms.UUIDField(required=False, widget=forms.HiddenInput)
    # Only students with a plan or an open legal date who have no case manager today.
    no_case_manager = forms.BooleanField(required=False, widget=forms.HiddenInput)


class AuditSearchForm(UswdsMixin, forms.Form):
    actor = forms.CharField(
        label=_("Who (name or email)"), required=False, max_length=limits.SEARCH
    )
    student = forms.CharField(
        label=_("Student (name or id)"), required=False, max_length=limits.SEARCH
    )
    action = forms.CharField(label=_("Action"), required=False, max_length=64)
    date_from = forms.DateField(label=_("From"), required=False, widget=DATE)
    date_to = forms.DateField(label=_("To"), required=False, widget=DATE)

    def clean(self):  # type: ignore[no-untyped-def]
        data = super().clean()
        start, end = data.get("date_from"), data.get("date_to")
        if start and end and end < start:
            self.add_error("date_to", _("The end date cannot be before the start date."))
        return data


def _everyone() -> list[tuple[str, str]]:
    return [("", str(_("All")))]


class CaseloadFilterForm(UswdsMixin, forms.Form):
    """The caseloads page's filters; a school or person not offered is refused by name."""

    school = forms.ChoiceField(label=_("School"), required=False)
    case_manager = forms.ChoiceField(label=_("Case manager"), required=False)

    def __init__(self, data: Any, *, schools: list[School], staff: list[Staff]) -> None:
        super().__init__(data)
        self._schools = {str(s.public_id): s for s in schools}
        self._staff = {str(s.public_id): s for s in staff}
        self.fields["school"].choices = _everyone() + [
            (key, s.name) for key, s in self._schools.items()
        ]
        self.fields["case_manager"].choices = _everyone() + [
            (key, s.user.get_full_name() or s.user.email) for key, s in self._staff.items()
        ]

    def chosen(self) -> tuple[School | None, Staff | None]:
        """The school and case manager chosen (none before is_valid(), or when unbound)."""
        data = getattr(self, "cleaned_data", {})
        return self._schools.get(data.get("school", "")), self._staff.get(
            data.get("case_manager", "")
        )
