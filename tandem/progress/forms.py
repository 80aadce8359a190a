"""Forms for recording progress data: one small form per goal row, and a phase change."""

from __future__ import annotations

import uuid
from typing import Any

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext_lazy as _

from tandem.core import limits
from tandem.progress.measures import PROMPT_LABELS, GoalMetric, Metric
from tandem.rules.goals import PromptLevel

_NUMBER = {"class": "usa-input usa-input--small", "inputmode": "decimal"}
_WHOLE = {"class": "usa-input usa-input--small", "inputmode": "numeric"}


def _session_date() -> forms.DateField:
    return forms.DateField(
        label=_("Session date"),
        widget=forms.DateInput(attrs={"type": "date", "class": "usa-input"}, format="%Y-%m-%d"),
        error_messages={
            "required": _("Enter the date of the session."),
            "invalid": _("Enter a date like 2026-03-14."),
        },
    )


def rekeyed(error: ValidationError, rename: Any) -> ValidationError:
    """An action's refusal with each key renamed by `rename(key)` (None: the whole form)."""
    if not hasattr(error, "error_dict"):
        return error
    out: dict[str, list[str]] = {}
    for key, messages in error.message_dict.items():
        out.setdefault(rename(key) or NON_FIELD_ERRORS, []).extend(messages)
    return ValidationError(out)


class SessionDateForm(forms.Form):
    """The one date of a session, for every goal row of the collection page."""

    taken_on = _session_date()


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
        max_length=limits.SHORT_NOTE,
        widget=forms.TextInput(attrs={"class": "usa-input"}),
    )
    # Shown only when a point is already recorded for the goal on the day (the action asks).
    confirm_duplicate = forms.BooleanField(
        label=_("Yes, record a second point for this day"), required=False
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
        if error_field in ("note", "confirm_duplicate"):
            return error_field
        return None

    @property
    def asks_to_confirm(self) -> bool:
        """Whether to show the confirm box: the day already has a point, or it was ticked."""
        box = self["confirm_duplicate"]
        return bool(box.errors) or (self.is_bound and bool(box.value()))

    def keyed(self, error: ValidationError) -> ValidationError:
        """The action's refusal keyed by this form's fields."""
        return rekeyed(error, self.field_for)


class GoalPointForm(GoalEntryForm):
    """One result for one goal with its date: the goal page's form."""

    taken_on = _session_date()

    def field_for(self, error_field: str) -> str | None:
        return "taken_on" if error_field == "taken_on" else super().field_for(error_field)


def _reason_field(label: Any) -> forms.CharField:
    return forms.CharField(
        label=label,
        max_length=limits.LINE,
        help_text=_("Kept with the record and shown beside the point."),
        widget=forms.Textarea(attrs={"class": "usa-textarea", "rows": 3}),
        error_messages={"required": _("Say why: the reason is kept with the record.")},
    )


class VoidPointForm(forms.Form):
    """Void a point recorded by mistake: the reason is required."""

    reason = _reason_field(_("Why is this point void?"))


class CorrectPointForm(GoalPointForm):
    """A point's corrected date, result and note, and why: the original is kept."""

    reason = _reason_field(_("Why is it corrected?"))

    @staticmethod
    def initial_for(point: Any) -> dict[str, Any]:
        """The form filled with the point as recorded."""
        initial: dict[str, Any] = {"taken_on": point.taken_on, "note": point.note}
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
            initial[name] = getattr(point, name)
        for level in PromptLevel:
            n = sum(1 for p in point.prompts or [] if p == level.value)
            initial[_prompt_field(level)] = n or None
        return initial

    def field_for(self, error_field: str) -> str | None:
        return "reason" if error_field == "reason" else super().field_for(error_field)


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

    def keyed(self, error: ValidationError) -> ValidationError:
        """The action's refusal keyed by this form's fields (the action says `taken_on`)."""
        names = {"taken_on": "changed_on", "description": "description"}
        return rekeyed(error, names.get)
