"""Forms of the goal editor and the goal bank: input parsing only; the rules live in actions."""

from __future__ import annotations

from typing import Any

from django import forms
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tandem.core import limits
from tandem.core.forms import UswdsMixin
from tandem.goals.models import GoalArea, GoalTemplate, GradeBand
from tandem.rules.goals import MofNReading

# What a goal's `area` holds: the English name, as the plans and their documents use it.
GOAL_AREAS: tuple[tuple[str, Any], ...] = (
    ("Reading", _("Reading")),
    ("Writing", _("Writing")),
    ("Mathematics", _("Mathematics")),
    ("Articulation", _("Articulation")),
    ("Language", _("Language")),
    ("Social skills", _("Social skills")),
    ("Social-emotional", _("Social-emotional")),
    ("Behavior", _("Behavior")),
    ("Fine motor", _("Fine motor")),
    ("Self-care", _("Self-care")),
    ("Executive functioning", _("Executive functioning")),
    ("Transition", _("Transition")),
)
# The goal area a bank template fills in.
AREA_FOR_BANK = {
    GoalArea.READING: "Reading",
    GoalArea.WRITING: "Writing",
    GoalArea.MATH: "Mathematics",
    GoalArea.ARTICULATION: "Articulation",
    GoalArea.LANGUAGE: "Language",
    GoalArea.SOCIAL: "Social skills",
    GoalArea.BEHAVIOR: "Behavior",
    GoalArea.FINE_MOTOR: "Fine motor",
    GoalArea.SELF_CARE: "Self-care",
    GoalArea.EXECUTIVE_FUNCTION: "Executive functioning",
    GoalArea.TRANSITION: "Transition",
}
BANK_FOR_AREA = {v: k for k, v in AREA_FOR_BANK.items()} | {"Social-emotional": GoalArea.BEHAVIOR}


def describe_hints(form: forms.Form) -> None:
    """Point each input at the hint includes/field.html renders (id "<input id>-hint")."""
    for name, field in form.fields.items():
        if field.help_text:
            field.widget.attrs["aria-describedby"] = f"{form[name].auto_id}-hint"


def area_choices(current: str | None = None) -> list[tuple[str, Any]]:
    """The areas to choose from, keeping a goal's own area if it is not one of them."""
    choices: list[tuple[str, Any]] = [("", _("Choose an area"))]
    choices += list(GOAL_AREAS)
    if current and current not in dict(GOAL_AREAS):
        choices.append((current, current))
    return choices


class GoalForm(UswdsMixin, forms.Form):
    area = forms.ChoiceField(
        label=_("Area"),
        error_messages={
            "required": _("Choose an area."),
            "invalid_choice": _("Choose an area from the list."),
        },
    )
    need_pick = forms.ChoiceField(
        label=_("Pick the need from present levels"),
        required=False,
        help_text=_("Choosing a sentence copies it into the need below."),
        error_messages={"invalid_choice": _("Choose a sentence from present levels.")},
    )
    plaafp_need = forms.CharField(
        label=_("Need from present levels that this goal answers"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=limits.SHORT_NOTE,
    )
    baseline = forms.CharField(
        label=_("Baseline"),
        required=False,
        help_text=_("Where the student is now, in the same measure as the goal."),
        widget=forms.Textarea(attrs={"rows": 2}),
        max_length=limits.SHORT_NOTE,
    )
    text = forms.CharField(
        label=_("Goal"),
        help_text=_(
            "Timeframe, condition, learner, observable behavior, criterion, and how progress "
            "is measured. The checker reads it as you type."
        ),
        widget=forms.Textarea(attrs={"rows": 5}),
        max_length=limits.GOAL_TEXT,
        error_messages={"required": _("Write the goal.")},
    )
    reading = forms.ChoiceField(
        label=_("How the criterion is read"),
        required=False,
        choices=[("", "-")] + [(r.value, r.value) for r in MofNReading],
        error_messages={"invalid_choice": _("Choose one of the two readings.")},
    )
    objectives = forms.CharField(
        label=_("Short-term objectives or benchmarks"),
        required=False,
        help_text=_("One per line. Required for a student who takes an alternate assessment."),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=limits.OBJECTIVES,
    )
    # The draft's version when the page was opened: a save after someone else's is refused.
    lock_version = forms.IntegerField(min_value=0, required=False, widget=forms.HiddenInput)

    def __init__(
        self, *args: Any, needs: list[str], current_area: str | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        self.fields["area"].choices = area_choices(current_area)
        live = {
            "hx-post": reverse("goal_check"),
            "hx-target": "#goal-check",
            "hx-swap": "innerHTML",
            "hx-sync": "closest form:replace",
        }
        self.fields["text"].widget.attrs.update(
            live, **{"hx-trigger": "input changed delay:400ms", "aria-controls": "goal-check"}
        )
        self.fields["plaafp_need"].widget.attrs.update(
            live, **{"hx-trigger": "input changed delay:400ms, change"}
        )
        self.fields["need_pick"].widget.attrs["data-need-pick"] = "id_plaafp_need"
        self.fields["need_pick"].choices = [("", _("None chosen"))] + [
            (str(i), s) for i, s in enumerate(needs, 1)
        ]
        self.needs = needs
        if not needs:
            del self.fields["need_pick"]
        describe_hints(self)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        pick = data.get("need_pick")
        if pick and not (data.get("plaafp_need") or "").strip():
            data["plaafp_need"] = self.needs[int(pick) - 1]
        return data

    def objective_lines(self) -> list[str]:
        raw = self.cleaned_data.get("objectives") or ""
        return [line.strip() for line in raw.splitlines() if line.strip()]

    def areas(self) -> list[str]:
        """The areas this form offers (a goal's own old area among them)."""
        return [value for value, _label in self.fields["area"].choices if value]


class BankSearchForm(UswdsMixin, forms.Form):
    q = forms.CharField(label=_("Words"), required=False, max_length=limits.NAME)
    area = forms.ChoiceField(
        label=_("Area"),
        required=False,
        choices=[("", _("Any area"))] + list(GoalArea.choices),
        error_messages={"invalid_choice": _("Choose an area from the list.")},
    )
    grade = forms.ChoiceField(
        label=_("Grade"),
        required=False,
        choices=[("", _("Any grade"))] + [c for c in GradeBand.choices if c[0] != GradeBand.ANY],
        error_messages={"invalid_choice": _("Choose a grade band from the list.")},
    )


# Names and hints of the slots the shipped bank uses; other slots show their own words.
SLOT_TEXT: dict[str, tuple[Any, Any]] = {
    "timeframe": (_("Timeframe"), _("When the goal is met: a date or the end of the IEP year")),
    "condition": (_("Condition"), _("What the student is given, or where and when")),
    "criterion": (_("Criterion"), _("How well and how consistently")),
    "target": (_("Target"), _("The level to reach (a number)")),
    "behavior": (_("Behavior"), _("The observable skill, in words a stranger could check")),
    "measurement": (_("Measurement"), _("How progress is measured and how often")),
    "text_level": (_("Text level"), _("The reading or text level of the material")),
    "sound": (_("Speech sound"), _("The speech sound, e.g. /r/ or /s/")),
    "position": (_("Position in the word"), _("Initial, medial, final, or blends")),
    "prompt": (_("Most help allowed"), _("Independently, with one verbal reminder, ...")),
    "count": (_("How many"), _("A number")),
    "minutes": (_("Minutes"), _("How many minutes")),
    "job": (_("Job or program"), _("The job or training program")),
}


class SlotsForm(UswdsMixin, forms.Form):
    """One field per slot of a template, each with its hint and an example."""

    def __init__(self, *args: Any, template: GoalTemplate, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for name in template.slot_names():
            info = template.slots.get(name) or {}
            label, hint = SLOT_TEXT.get(name, (name.replace("_", " ").capitalize(), ""))
            hint = hint or info.get("hint", "")
            sample = info.get("sample", "")
            help_text = hint
            if sample:
                help_text = _("%(hint)s. For example: %(sample)s") % {
                    "hint": hint,
                    "sample": sample,
                }
            self.fields[f"slot_{name}"] = forms.CharField(
                label=label,
                required=False,
                max_length=limits.LINE,
                help_text=help_text,
            )
        describe_hints(self)

    def values(self) -> dict[str, str]:
        data = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return {k.removeprefix("slot_"): v for k, v in data.items() if k.startswith("slot_")}


class SaveTemplateForm(UswdsMixin, forms.Form):
    title = forms.CharField(
        label=_("Template title"),
        max_length=limits.NAME,
        error_messages={"required": _("Give the template a title.")},
    )
    grade_band = forms.ChoiceField(
        label=_("Grade band"),
        choices=GradeBand.choices,
        initial=GradeBand.ANY,
        error_messages={"invalid_choice": _("Choose a grade band from the list.")},
    )
