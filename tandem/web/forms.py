from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.core import limits
from tandem.core.forms import DATE, UswdsMixin
from tandem.people.actions import GUARDIAN_EDITABLE_FIELDS, STUDENT_EDITABLE_FIELDS
from tandem.people.models import Guardian, Student


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
