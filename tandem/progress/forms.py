"""Forms for recording progress data: one small form per goal row, and a phase change."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from tandem.progress.measures import PROMPT_LABELS, GoalMetric, Metric
from tandem.rules.goals import PromptLevel

_NUMBER = {"class": "usa-input usa-input--small", "inputmode": "decimal"}
_WHOLE = {"class": "usa-input usa-input--small", "inputmode": "numeric"}


class SessionDateForm(forms.Form):
    taken_on = forms.DateField(
        label=_("Session date"),
        widget=forms.DateInput(attrs={"type": "date", "class": "usa-input"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Enter the date of the session."),
            "invalid": _("Enter a date like 2026-03-14."),
        },
    )


def _prompt_field(level: PromptLevel) -> str:
    return f"prompts_{level.value}"


class GoalEntryForm(forms.Form):
    """The measures of one goal's session; a blank row records nothing."""

    client_key = forms.UUIDField(widget=forms.HiddenInput, required=False)
    trials_correct = forms.IntegerField(
        label=_("Trials correct"),
        required=False,
        min_value=0,
        widget=forms.NumberInput(attrs=_WHOLE),
    )
    trials_total = forms.IntegerField(
        label=_("Trials given"),
        required=False,
        min_value=1,
        widget=forms.NumberInput(attrs=_WHOLE),
    )
    percent = forms.FloatField(
        label=_("Percent correct"),
        required=False,
        widget=forms.NumberInput(attrs={**_NUMBER, "step": "any"}),
    )
    rate_per_minute = forms.FloatField(
        label=_("Per minute"),
        required=False,
        widget=forms.NumberInput(attrs={**_NUMBER, "step": "any"}),
    )
    duration_seconds = forms.FloatField(
        label=_("Seconds"),
        required=False,
        widget=forms.NumberInput(attrs={**_NUMBER, "step": "any"}),
    )
    count = forms.IntegerField(
        label=_("Count"), required=False, widget=forms.NumberInput(attrs=_WHOLE)
    )
    rubric_level = forms.FloatField(
        label=_("Rubric level"),
        required=False,
        widget=forms.NumberInput(attrs={**_NUMBER, "step": "any"}),
    )
    score = forms.FloatField(
        label=_("Score"),
        required=False,
        widget=forms.NumberInput(attrs={**_NUMBER, "step": "any"}),
    )
    note = forms.CharField(
        label=_("Note"),
        required=False,
        max_length=2000,
        widget=forms.TextInput(attrs={"class": "usa-input"}),
    )

    def __init__(self, *args: Any, metric: GoalMetric, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {}).setdefault("client_key", uuid.uuid4())
        super().__init__(*args, **kwargs)
        self.metric = metric
        for level in PromptLevel:
            self.fields[_prompt_field(level)] = forms.IntegerField(
                label=_("Trials: %(level)s") % {"level": PROMPT_LABELS[level]},
                required=False,
                min_value=0,
                max_value=100,
                widget=forms.NumberInput(attrs=_WHOLE),
            )
        shown = set(metric.fields)
        if metric.metric == Metric.PROMPTS:
            shown |= {_prompt_field(level) for level in PromptLevel}
            shown -= {"prompts", "trials_correct", "trials_total"}
        self.shown = [name for name in self.fields if name in shown]

    def shown_fields(self) -> list[forms.BoundField]:
        return [self[name] for name in self.shown]

    def measures(self) -> dict[str, Any]:
        """The filled measures (cleaned data); {} when the row was left blank."""
        data = self.cleaned_data
        out: dict[str, Any] = {}
        for name in (
            "trials_correct",
            "trials_total",
            "percent",
            "rate_per_minute",
            "duration_seconds",
            "count",
            "rubric_level",
            "score",
        ):
            if name in self.shown and data.get(name) is not None:
                out[name] = data[name]
        prompts: list[str] = []
        for level in PromptLevel:
            n = data.get(_prompt_field(level))
            if n:
                prompts += [level.value] * n
        if prompts:
            out["prompts"] = prompts
        return out

    def field_for(self, error_field: str) -> str | None:
        """The form field to hang an action's error on."""
        if error_field == "prompts":
            return _prompt_field(PromptLevel.INDEPENDENT)
        if error_field in self.fields and error_field in self.shown:
            return error_field
        if error_field == "note":
            return "note"
        return None


class PhaseChangeForm(forms.Form):
    changed_on = forms.DateField(
        label=_("Date instruction changed"),
        widget=forms.DateInput(attrs={"type": "date", "class": "usa-input"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Enter the date instruction changed."),
            "invalid": _("Enter a date like 2026-03-14."),
        },
    )
    description = forms.CharField(
        label=_("What changed in instruction"),
        max_length=300,
        widget=forms.TextInput(attrs={"class": "usa-input"}),
        error_messages={"required": _("Say what changed in instruction.")},
    )
