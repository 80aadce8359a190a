"""Forms for the supervision of assistants: co-signing sessions, and recording supervision."""

from __future__ import annotations

from typing import Any

from django import forms
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from tandem.core import limits
from tandem.core.forms import DATE, UswdsMixin
from tandem.people.models import Staff
from tandem.services.actions import SCHOOL_DAY_MINUTES
from tandem.services.models import ServiceSession, SupervisionKind


def posted_ids(data: QueryDict) -> list[str]:
    """The sessions a co-signature form names: the row's own button, else the boxes ticked."""
    one = data.get("one", "")
    return [one] if one else data.getlist("sessions")


class CosignForm(UswdsMixin, forms.Form):
    """Which sessions to co-sign: checked by the view (reach) and the action (everything else)."""

    sessions = forms.Field(
        label=_("Sessions to co-sign"), required=False, widget=forms.CheckboxSelectMultiple
    )


class ObservedField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        count = getattr(obj, "group", None) or obj.attendance.count()
        return ngettext(
            "%(name)s: %(day)s at %(start)s, %(minutes)s minutes, %(n)s student",
            "%(name)s: %(day)s at %(start)s, %(minutes)s minutes, %(n)s students",
            count,
        ) % {
            "name": obj.provider.user.get_full_name(),
            "day": obj.day.isoformat(),
            "start": obj.start_time.strftime("%H:%M"),
            "minutes": obj.minutes,
            "n": count,
        }


class SupervisionForm(UswdsMixin, forms.Form):
    """One entry of supervision; the field names are the action's, so refusals land on them."""

    assistant = forms.ModelChoiceField(
        label=_("Assistant"),
        queryset=Staff.objects.none(),
        to_field_name="public_id",
        error_messages={"required": _("Choose the assistant you supervised.")},
    )
    day = forms.DateField(
        label=_("Date"),
        widget=DATE,
        error_messages={
            "required": _("Enter the date of the supervision."),
            "invalid": _("Enter a date like 2026-03-14."),
        },
    )
    minutes = forms.IntegerField(
        # A length: "Minutes" alone is also a meeting's record (Spanish "Acta").
        label=pgettext_lazy("length in minutes", "Minutes"),
        min_value=1,
        max_value=SCHOOL_DAY_MINUTES,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={"required": _("Enter how many minutes of supervision.")},
    )
    kind = forms.ChoiceField(
        label=_("Kind of supervision"),
        choices=SupervisionKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose direct or indirect supervision.")},
    )
    observed = ObservedField(
        label=_("Sessions observed"),
        queryset=ServiceSession.objects.none(),
        to_field_name="public_id",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("The assistant's sessions of that date you observed, if any."),
    )
    note = forms.CharField(
        label=_("Note"),
        max_length=limits.LINE,
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, assistants: Any, sessions: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["assistant"].queryset = assistants  # type: ignore[attr-defined]
        self.fields["observed"].queryset = sessions  # type: ignore[attr-defined]


class VoidSupervisionForm(UswdsMixin, forms.Form):
    """Why a supervision entry is set aside."""

    reason = forms.CharField(
        label=_("Why is this entry set aside?"),
        max_length=300,
        help_text=_("For example: recorded for the wrong assistant, or the wrong date."),
        error_messages={"required": _("Say why the entry is set aside.")},
    )
