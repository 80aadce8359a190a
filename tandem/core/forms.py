"""Form foundations: USWDS classes on every widget, and an action's refusal put where it belongs."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError

from tandem.core.limits import use_plain_words

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
    """USWDS classes on every widget, so the pages look like the rest of Tandem, and a text
    over its length limit refused in plain words (tandem.core.limits)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)  # type: ignore[call-arg]
        for field in self.fields.values():  # type: ignore[attr-defined]
            if isinstance(field, forms.CharField):
                use_plain_words(field)  # "At most 5,000 characters (you typed 5,210)."
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


def text_limits(**limits: int) -> Any:
    """A ModelForm's `Meta.formfield_callback` giving the named model TextFields a max_length.

    The columns stay unbounded TextFields (no migration); the form is where the limit is kept.
    """

    def formfield(db_field: Any, **kwargs: Any) -> Any:
        if db_field.name in limits:
            kwargs["max_length"] = limits[db_field.name]
        return db_field.formfield(**kwargs)

    return formfield
