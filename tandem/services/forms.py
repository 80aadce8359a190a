"""Forms for service delivery: logging a session for one student or a group, and an addendum."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tandem.core import limits
from tandem.core.forms import DATE, TIME, UswdsMixin
from tandem.plans.models import Service
from tandem.services.models import AttendanceCode, Modality, StudentLocation


def code_field_name(service: Service) -> str:
    return f"code_{service.public_id}"


def goal_field_name(service: Service, goal: Any) -> str:
    return f"goal_{service.public_id}_{goal.public_id}"


def makeup_field_name(service: Service) -> str:
    return f"makeup_{service.public_id}"


def _missed_label(entry: Any) -> str:
    row = entry.missed
    return _("%(day)s, %(code)s: %(left)s of %(owed)s minutes still owed") % {
        "day": row.session.day.isoformat(),
        "code": row.get_code_display(),
        "left": entry.balance,
        "owed": entry.owed,
    }


class LogSessionForm(UswdsMixin, forms.Form):
    """One session: when, how long, how, and for each student chosen their attendance code.

    The field names are the action's (`day`, `start_time`, `minutes`, `modality`, `students`...),
    so a refusal from `actions.log_session` lands on the field it names.
    """

    day = forms.DateField(
        label=_("Session date"),
        widget=DATE,
        error_messages={
            "required": _("Enter the date of the session."),
            "invalid": _("Enter a date like 2026-03-14."),
        },
    )
    start_time = forms.TimeField(
        label=_("Start time"),
        widget=TIME,
        error_messages={
            "required": _("Enter the time the session started."),
            "invalid": _("Enter a time like 09:30."),
        },
    )
    minutes = forms.IntegerField(
        # A length: "Minutes" alone is also a meeting's record (Spanish "Acta").
        label=pgettext_lazy("length in minutes", "Minutes"),
        min_value=1,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
        error_messages={"required": _("Enter how many minutes the session lasted.")},
    )
    modality = forms.ChoiceField(
        label=_("Modality"), choices=Modality.choices, initial=Modality.IN_PERSON
    )
    platform = forms.CharField(label=_("Platform (teletherapy)"), max_length=100, required=False)
    minutes_lost = forms.IntegerField(
        label=_("Minutes lost to connection problems (teletherapy)"),
        min_value=0,
        required=False,
        initial=0,
        widget=forms.NumberInput(attrs={"inputmode": "numeric"}),
    )
    join_url = forms.CharField(
        label=_("Join link (teletherapy)"),
        max_length=limits.LINE,
        required=False,
        help_text=_("The https:// link the student's end joins by."),
        widget=forms.URLInput(),
    )
    facilitator = forms.CharField(
        label=_("On-site facilitator (teletherapy)"),
        max_length=limits.NAME,
        required=False,
        help_text=_("The adult with the student: their name."),
    )
    student_location = forms.ChoiceField(
        label=_("Where the student was (teletherapy)"),
        choices=StudentLocation.choices,
        initial=StudentLocation.SCHOOL,
        required=False,
        widget=forms.RadioSelect,
        help_text=_("At home is billed to Medicaid as telehealth in the patient's home."),
    )
    students = forms.MultipleChoiceField(
        label=_("Students"),
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one student.")},
    )
    note = forms.CharField(
        max_length=limits.NOTE,
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("What you worked on and how the student responded (SOAP or free text)."),
    )

    def __init__(
        self,
        *args: Any,
        services: Sequence[Service],
        open_misses: Mapping[tuple[int, Any], list[Any]] | None = None,
        goals: Mapping[int, list[Any]] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.goals: dict[str, list[Any]] = {}  # service id -> goals of its plan
        self.services = {str(s.public_id): s for s in services}
        self.misses: dict[str, dict[str, Any]] = {}  # service id -> missed session id -> row
        self.fields["students"].choices = [  # type: ignore[attr-defined]
            (str(s.public_id), f"{s.plan.student.display_name}: {s.name}") for s in services
        ]
        for service in services:
            self.fields[code_field_name(service)] = forms.ChoiceField(
                label=_("Attendance for %(name)s") % {"name": service.plan.student.display_name},
                choices=AttendanceCode.choices,
                initial=AttendanceCode.DELIVERED,
                required=False,
            )
            self.fields[code_field_name(service)].widget.attrs["class"] = "usa-select"
            owed = (open_misses or {}).get((service.plan.student_id, service.lineage), [])
            if owed:
                self._add_makeup_field(service, owed)
            self._add_goal_fields(service, (goals or {}).get(service.plan.pk, []))

    def _add_goal_fields(self, service: Service, goals: list[Any]) -> None:
        """One optional value per goal of the service's plan, labelled with its measure.

        Typed as text: the progress writer checks the number and its scale, not this form.
        """
        from tandem.progress.measures import metric_for

        self.goals[str(service.public_id)] = goals
        for goal in goals:
            metric = metric_for(goal)
            unit = f" ({metric.unit})" if metric.unit else ""
            self.fields[goal_field_name(service, goal)] = forms.CharField(
                label=f"{goal.area}: {metric.label}{unit}",
                required=False,
                max_length=20,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "class": "usa-input"}),
            )

    def _add_makeup_field(self, service: Service, owed: list[Any]) -> None:
        """The owed misses of this student and service the session may make up."""
        self.misses[str(service.public_id)] = {
            str(e.missed.session.public_id): e.missed for e in owed
        }
        field = forms.ChoiceField(
            label=_("Makes up for %(name)s") % {"name": service.plan.student.display_name},
            choices=[("", _("Not a makeup"))]
            + [(str(e.missed.session.public_id), _missed_label(e)) for e in owed],
            required=False,
        )
        field.widget.attrs["class"] = "usa-select"
        self.fields[makeup_field_name(service)] = field

    def rows(self) -> list[tuple[Any, Any, Service, Any, list[Any]]]:
        """(checkbox, attendance, service, makeup or None, goal fields) per student row."""
        boxes = list(self["students"])
        return [
            (
                box,
                self[code_field_name(service)],
                service,
                self[makeup_field_name(service)]
                if makeup_field_name(service) in self.fields
                else None,
                [self[goal_field_name(service, g)] for g in self.goals.get(key, [])],
            )
            for box, (key, service) in zip(boxes, self.services.items(), strict=True)
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for key in data.get("students") or []:
            name = code_field_name(self.services[key])
            if not data.get(name):
                self.add_error(
                    name,
                    _("Choose an attendance code for %(name)s.")
                    % {"name": self.services[key].plan.student.display_name},
                )
        return data

    def chosen(self) -> list[tuple[Service, str, Any]]:
        """The services ticked, each with its attendance code and the missed row it makes up.

        A makeup chosen with the default code (Delivered) is logged as Makeup.
        """
        data = self.cleaned_data
        result = []
        for key in data.get("students") or []:
            service = self.services[key]
            code = data[code_field_name(service)]
            missed = self.misses.get(key, {}).get(data.get(makeup_field_name(service)) or "")
            if missed is not None and code == AttendanceCode.DELIVERED:
                code = AttendanceCode.MAKEUP
            result.append((service, code, missed))
        return result

    def goal_data(self, service: Service) -> tuple[tuple[Any, str, str], ...]:
        """(goal, value typed, field name) for each goal given a value for this service's row."""
        out = []
        for goal in self.goals.get(str(service.public_id), []):
            name = goal_field_name(service, goal)
            value = (self.cleaned_data.get(name) or "").strip()
            if value:
                out.append((goal, value, name))
        return tuple(out)


class AddendumForm(UswdsMixin, forms.Form):
    """A correction to a signed log: the reason and the text, never an edit."""

    reason = forms.CharField(
        label=_("Reason for the correction"),
        max_length=300,
        error_messages={"required": _("Give the reason for the correction.")},
    )
    text = forms.CharField(
        max_length=limits.NOTE,
        label=_("Correction"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Write the correction.")},
    )
