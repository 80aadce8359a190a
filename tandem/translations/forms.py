"""Forms for translations: who translates, and the side-by-side editor's Spanish paragraphs."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django import forms
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tandem.core.forms import UswdsMixin
from tandem.people.models import Staff
from tandem.translations.actions import PARAGRAPH_LIMIT, field_name, paragraph_name
from tandem.translations.models import TranslatedParagraph


class StaffChoice(forms.ModelChoiceField):  # type: ignore[type-arg]
    def label_from_instance(self, obj: Staff) -> str:
        name = obj.user.get_full_name() or obj.user.email
        return f"{name} · {obj.title}" if obj.title else name


class AssignForm(UswdsMixin, forms.Form):
    translator = StaffChoice(
        queryset=Staff.objects.none(),
        label=gettext_lazy("Translator or interpreter"),
        help_text=gettext_lazy("Anyone who works for the district today."),
        to_field_name="public_id",
        empty_label=gettext_lazy("Choose a person"),
    )

    def __init__(self, *args: Any, staff: QuerySet[Staff], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["translator"]
        field.queryset = staff  # type: ignore[attr-defined]
        field.error_messages["required"] = _("Choose the translator or interpreter.")
        field.error_messages["invalid_choice"] = _(
            "Choose someone who works for the district today."
        )


class EditorForm(UswdsMixin, forms.Form):
    """One Spanish textarea per English paragraph, named by its position (`p3`)."""

    def __init__(self, *args: Any, rows: list[TranslatedParagraph], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.rows = rows
        for row in rows:
            self.fields[field_name(row)] = forms.CharField(
                label=_("Spanish: %(paragraph)s") % {"paragraph": paragraph_name(row)},
                required=False,
                max_length=PARAGRAPH_LIMIT,
                initial=row.text,
                strip=True,
                widget=forms.Textarea(attrs={"rows": 3, "lang": "es"}),
            )

    def texts(self) -> dict[int, str]:
        """The Spanish by paragraph position, as `actions.save_translation` takes it: only the
        paragraphs the form sent, so a partial post never blanks the others."""
        return {
            row.position: self.cleaned_data.get(field_name(row), "")
            for row in self.rows
            if field_name(row) in self.data
        }

    def pairs(self) -> list[Pair]:
        """Each English paragraph with its Spanish field: the editor's rows."""
        out = []
        for row in self.rows:
            bound = self[field_name(row)]
            described = [f"en-{row.position}"]
            if row.from_memory:
                described.append(f"{bound.auto_id}-hint")
            if bound.errors:
                described.append(f"{bound.auto_id}-error")
            widget = bound.as_widget(attrs={"aria-describedby": " ".join(described)})
            out.append(Pair(row, bound, widget))
        return out


@dataclass
class Pair:
    """An English paragraph, its Spanish field, and the field's widget described by both."""

    row: TranslatedParagraph
    field: Any
    widget: str
