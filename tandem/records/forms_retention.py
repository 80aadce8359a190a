"""Forms of the retention schedule: the district's periods, a hold, a proposal, the answer."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.core.forms import UswdsMixin
from tandem.records.models import TEXT_LIMIT, HoldKind, ParentAnswer
from tandem.records.retention import (
    DEFAULTS,
    MAX_LOCATION_CHARS,
    MAX_LOCATIONS,
    MAX_WAIT_DAYS,
    MAX_YEARS,
    MIN_WAIT_DAYS,
    MIN_YEARS,
    SCHEDULED,
    RecordType,
)


class RetentionSettingsForm(UswdsMixin, forms.Form):
    """One number of years per type of record, and the parents' time to ask for a copy."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for kind in SCHEDULED:
            name = RecordType(kind).label
            self.fields[f"years_{kind}"] = forms.IntegerField(
                label=_("%(type)s: years kept after the student leaves") % {"type": name},
                min_value=MIN_YEARS,
                max_value=MAX_YEARS,
                help_text=DEFAULTS[kind].citation,
                error_messages={
                    "required": _("Give a number of years."),
                    "invalid": _("Give a whole number of years."),
                    "min_value": _(
                        "Keep them at least %(min)s years: records behind federal grant "
                        "reports are kept 3 years (2 CFR 200.334)."
                    )
                    % {"min": MIN_YEARS},
                    "max_value": _("At most %(max)s years.") % {"max": MAX_YEARS},
                },
            )
        self.fields["other_locations"] = forms.CharField(
            label=_("Other places the district keeps education records"),
            required=False,
            widget=forms.Textarea(attrs={"rows": 5}),
            max_length=MAX_LOCATIONS * (MAX_LOCATION_CHARS + 1),
            help_text=_(
                "One per line, for example: Cumulative folder: the school office. Parents read "
                "this list with the records Tandem keeps (34 CFR 300.616)."
            ),
        )
        if isinstance(self.initial.get("other_locations"), list):  # stored as a list of lines
            self.initial["other_locations"] = "\n".join(self.initial["other_locations"])
        self.fields["notice_wait_days"] = forms.IntegerField(
            label=_("Days the parents have to ask for a copy before records are destroyed"),
            min_value=MIN_WAIT_DAYS,
            max_value=MAX_WAIT_DAYS,
            help_text=_(
                "Policy default 45: as long as the district may take to show records "
                "(34 CFR 300.613(a))."
            ),
            error_messages={
                "required": _("Give a number of days."),
                "invalid": _("Give a whole number of days."),
                "min_value": _("Give the parents at least %(min)s days.") % {"min": MIN_WAIT_DAYS},
                "max_value": _("At most %(max)s days.") % {"max": MAX_WAIT_DAYS},
            },
        )
        for field in self.fields.values():
            field.widget.attrs["class"] = "usa-input usa-input--small"

    def clean_other_locations(self) -> list[str]:
        lines = [line.strip() for line in self.cleaned_data["other_locations"].splitlines()]
        lines = [line for line in lines if line]
        if len(lines) > MAX_LOCATIONS:
            raise forms.ValidationError(
                _("At most %(n)s places, one per line.") % {"n": MAX_LOCATIONS}
            )
        for number, line in enumerate(lines, start=1):
            if len(line) > MAX_LOCATION_CHARS:
                raise forms.ValidationError(
                    _("Line %(line)s is longer than %(n)s characters.")
                    % {"line": number, "n": MAX_LOCATION_CHARS}
                )
        return lines


class ProposeForm(UswdsMixin, forms.Form):
    record_types = forms.MultipleChoiceField(
        label=_("Records to destroy"),
        choices=RecordType.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one type of record.")},
    )

    def __init__(self, *args: Any, due: list[str] | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if due is not None:
            # Only the types due are offered; any other posted is refused by the action with
            # the date the schedule keeps it until, not with a bare "not a valid choice".
            widget = self.fields["record_types"].widget
            widget.choices = [c for c in RecordType.choices if c[0] in due]


class HoldForm(UswdsMixin, forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of hold"),
        choices=HoldKind.choices,
        error_messages={"required": _("Choose the kind of hold.")},
    )
    reason = forms.CharField(
        label=_("Reason"),
        help_text=_("For example the case number, or the audit and its period."),
        max_length=TEXT_LIMIT,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say why the records must be kept.")},
    )


class NoticeAnswerForm(UswdsMixin, forms.Form):
    answer = forms.ChoiceField(
        label=_("Your answer"),
        choices=[
            (ParentAnswer.COPY, _("Send me a copy first")),
            (ParentAnswer.DESTROY, _("Destroy them now")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a copy first, or destruction now.")},
    )


class PaperAnswerForm(UswdsMixin, forms.Form):
    """The answer a parent served on paper sent back, as the district received it."""

    guardian = forms.ChoiceField(label=_("The parent who answered"))
    answer = forms.ChoiceField(
        label=_("Their answer"),
        choices=[
            (ParentAnswer.COPY, _("Send me a copy first")),
            (ParentAnswer.DESTROY, _("Destroy them now")),
        ],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a copy first, or destruction now.")},
    )
    received_on = forms.DateField(
        label=_("Day the answer was received"),
        widget=forms.DateInput(attrs={"type": "date"}),
        error_messages={
            "required": _("Give the day the answer was received."),
            "invalid": _("Give a date, for example 2026-10-01."),
        },
    )

    def __init__(self, *args: Any, guardians: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.guardians = {str(g.public_id): g for g in guardians}
        self.fields["guardian"].choices = [(key, str(g)) for key, g in self.guardians.items()]
        errors = self.fields["guardian"].error_messages
        errors["required"] = _("Choose the parent who answered.")
        errors["invalid_choice"] = _("Choose one of the parents the notice was sent to.")

    def clean_guardian(self) -> Any:
        return self.guardians[self.cleaned_data["guardian"]]
