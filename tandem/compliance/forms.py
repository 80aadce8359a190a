"""The filters of the deadlines page and its CSV export."""

from __future__ import annotations

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.accounts.models import User
from tandem.compliance.models import DeadlineKind
from tandem.compliance.queries import (
    ALL,
    OPEN,
    DeadlineFilters,
    DeadlineStatus,
    Sort,
    case_managers_for_filter,
    schools_for_filter,
)

# The case manager filter's value for "students with no case manager today".
NO_CASE_MANAGER = "none"

STATUS_CHOICES = [
    (OPEN, _("Open (not yet met)")),
    (DeadlineStatus.OVERDUE, DeadlineStatus.OVERDUE.label),
    (DeadlineStatus.DUE_14, DeadlineStatus.DUE_14.label),
    (DeadlineStatus.DUE_30, DeadlineStatus.DUE_30.label),
    (DeadlineStatus.ON_TRACK, DeadlineStatus.ON_TRACK.label),
    (DeadlineStatus.MET_LATE, DeadlineStatus.MET_LATE.label),
    (DeadlineStatus.MET, DeadlineStatus.MET.label),
    (ALL, _("All")),
]
SORT_CHOICES = [
    (Sort.DUE, _("Due date, soonest first")),
    (Sort.DUE_DESC, _("Due date, latest first")),
    (Sort.STUDENT, _("Student name")),
]


def _select() -> forms.Select:
    return forms.Select(attrs={"class": "usa-select"})


class DeadlineFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=STATUS_CHOICES, required=False, widget=_select()
    )
    school = forms.ChoiceField(label=_("School"), required=False, widget=_select())
    kind = forms.ChoiceField(label=_("Type"), required=False, widget=_select())
    case_manager = forms.ChoiceField(label=_("Case manager"), required=False, widget=_select())
    sort = forms.ChoiceField(
        label=_("Sort by"), choices=SORT_CHOICES, required=False, widget=_select()
    )

    def __init__(self, data, *, user: User, today: date) -> None:  # type: ignore[no-untyped-def]
        super().__init__(data)
        self._schools = {str(s.public_id): s for s in schools_for_filter(user, today=today)}
        self._staff = {str(s.public_id): s for s in case_managers_for_filter(user, today=today)}
        everyone = [("", _("All"))]
        self.fields["school"].choices = everyone + [
            (key, school.name)
            for key, school in sorted(self._schools.items(), key=lambda i: i[1].name)
        ]
        self.fields["kind"].choices = everyone + list(DeadlineKind.choices)
        self.fields["case_manager"].choices = (
            everyone
            + [(NO_CASE_MANAGER, _("No case manager"))]
            + [
                (key, staff.user.get_full_name() or staff.user.email)
                for key, staff in self._staff.items()
            ]
        )

    def filters(self) -> DeadlineFilters:
        """The chosen filters; call after is_valid()."""
        data = self.cleaned_data
        return DeadlineFilters(
            status=data.get("status") or OPEN,
            school=self._schools.get(data.get("school") or ""),
            kind=data.get("kind") or None,
            case_manager=self._staff.get(data.get("case_manager") or ""),
            no_case_manager=data.get("case_manager") == NO_CASE_MANAGER,
            sort=data.get("sort") or Sort.DUE,
        )
