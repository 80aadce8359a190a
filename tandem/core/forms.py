"""Form foundations: USWDS classes on every widget, and an action's refusal put where it belongs."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TIME = forms.TimeInput(attrs={"type": "time"}, format="%H:%M")
_CSS = {
    forms.Textarea: "usa-textarea",
    forms.Select: "usa-select",
    forms.SelectMultiple: "usa-select",
}


def put_errors(form: Any, error: ValidationError) -> None:
    """Put an action's refusal on the field it names, or on the form as a whole."""
    fields = form.fields
    if hasattr(error, "error_dict"):
        for name, messages in error.message_dict.items():
            for message in messages:
                form.add_error(name if name in fields else None, message)
    else:
        for message in error.messages:
            form.add_error(None, message)


class UswdsMixin:
    """USWDS classes on every widget, so the pages look like the rest of Tandem."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for field in self.fields.values():  # type: ignore[attr-defined]
            widget = field.widget
            if isinstance(widget, forms.CheckboxSelectMultiple):
                widget.attrs["class"] = "usa-checkbox__input"
                continue
            if isinstance(widget, forms.RadioSelect):
                widget.attrs["class"] = "usa-radio__input"
                continue
            if isinstance(widget, forms.CheckboxInput | forms.FileInput):
                continue
            css = next((c for kind, c in _CSS.items() if isinstance(widget, kind)), "usa-input")
            widget.attrs["class"] = css

    def add_action_errors(self, error: ValidationError) -> None:
        put_errors(self, error)
