"""The team page's three forms: assign the case manager, add a member, end a member's place.

Each has its own prefix (the three share one page) and field names that are the action's, so a
refusal from `tandem.people.team` lands on the field it names.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from tandem.core.forms import DATE, UswdsMixin
from tandem.people import team_queries
from tandem.people.models import Staff, Student, TeamMembership, TeamRole
from tandem.people.team import PLAN_AHEAD_DAYS, REASON_MAX


class StaffChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Staff) -> str:
        extra = obj.title or obj.employer
        return f"{obj.user.get_full_name() or obj.user.email}" + (f" ({extra})" if extra else "")


class MembershipChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: TeamMembership) -> str:
        return f"{obj.staff.user.get_full_name() or obj.staff.user.email}: {obj.get_role_display()}"


def _staff_field(label: Any) -> StaffChoice:
    return StaffChoice(
        queryset=Staff.objects.none(),
        label=label,
        empty_label=_("Choose a person"),
        error_messages={
            "required": _("Choose a person."),
            "invalid_choice": _("Choose a member of staff of this student's district."),
        },
    )


def _date_field(label: Any, required: Any, help_text: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        widget=DATE,
        help_text=help_text,
        error_messages={"required": required, "invalid": _("Enter a date like 2026-03-14.")},
    )


def _start_field() -> forms.DateField:
    return _date_field(_("Start date"), _("Enter the start date."), "")


def _start_hint(form: forms.Form) -> None:
    form.fields["start_date"].help_text = gettext(
        "Today, a past date, or a planned date up to %(days)s days ahead."
    ) % {"days": PLAN_AHEAD_DAYS}


class CaseManagerForm(UswdsMixin, forms.Form):
    prefix = "cm"
    staff = _staff_field(_("New case manager"))
    start_date = _start_field()

    def __init__(self, *args: Any, student: Student, today: date, **kwargs: Any) -> None:
        super().__init__(*args, initial={"start_date": today}, **kwargs)
        district = student.district
        self.fields["staff"].queryset = team_queries.case_manager_candidates(district, today=today)  # type: ignore[attr-defined]
        _start_hint(self)


class AddMemberForm(UswdsMixin, forms.Form):
    prefix = "add"
    staff = _staff_field(_("Person"))
    role = forms.ChoiceField(
        label=_("Role on the team"),
        choices=[("", _("Choose a role"))]
        + [(v, label) for v, label in TeamRole.choices if v != TeamRole.CASE_MANAGER],
        error_messages={"required": _("Choose a role.")},
    )
    start_date = _start_field()

    def __init__(self, *args: Any, student: Student, today: date, **kwargs: Any) -> None:
        super().__init__(*args, initial={"start_date": today}, **kwargs)
        district = student.district
        self.fields["staff"].queryset = team_queries.district_staff(district, today=today)  # type: ignore[attr-defined]
        _start_hint(self)


class EndMemberForm(UswdsMixin, forms.Form):
    prefix = "end"
    membership = MembershipChoice(
        queryset=TeamMembership.objects.none(),
        label=_("Team member"),
        empty_label=_("Choose a team member"),
        error_messages={
            "required": _("Choose a team member."),
            "invalid_choice": _("Choose a current member of this student's team."),
        },
    )
    end_date = _date_field(
        _("Last day on the team"),
        _("Enter their last day on the team."),
        _(
            "They keep access to the record through this day. To take it away now, choose yesterday."
        ),
    )
    reason = forms.CharField(
        label=_("Reason"),
        max_length=REASON_MAX,
        help_text=_("For the record, for example: moved to another school."),
        error_messages={"required": _("Say why their place on the team ends.")},
    )

    def __init__(self, *args: Any, student: Student, today: date, **kwargs: Any) -> None:
        super().__init__(*args, initial={"end_date": today}, **kwargs)
        self.fields["membership"].queryset = team_queries.open_memberships(student)  # type: ignore[attr-defined]
