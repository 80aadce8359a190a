"""Forms of the living-document pages: input parsing only; the rules live in the actions."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from tandem.core import limits
from tandem.core.forms import DATE, UswdsMixin, text_limits
from tandem.people.models import Grade, School
from tandem.plans.actions_common import Changes
from tandem.plans.models import (
    Accommodation,
    AccommodationKind,
    AppliesTo,
    ExitReason,
    Goal,
    Plan,
    PlanKind,
    SectionKey,
    Service,
    fs009_code,
)
from tandem.plans.readiness import Problem
from tandem.rules.accommodations import Kind as WordingKind
from tandem.rules.accommodations import classify_wording

SERVICE_FORM_FIELDS = (
    "category",
    "name",
    "minutes",
    "times",
    "per",
    "setting",
    "start_date",
    "end_date",
    "provider_role",
    "delivery_mode",
    "group_size",
)
ACCOMMODATION_FORM_FIELDS = (
    "kind",
    "category",
    "text",
    "applies_to",
    "frequency_condition",
    "provider_role",
)
GOAL_FORM_FIELDS = ("area", "text", "baseline")

SECTIONS_504 = (
    SectionKey.SECTION_504_IMPAIRMENT,
    SectionKey.SECTION_504_REVIEW,
    SectionKey.STRENGTHS,
    SectionKey.PARENT_CONCERNS,
    SectionKey.PARENT_PARTICIPATION,
)


def section_keys_for(kind: str, present: Iterable[str]) -> list[str]:
    """The sections a plan of `kind` may have, in the document's order, with any it has."""
    have = set(present)
    if kind == PlanKind.SECTION_504:
        allowed = set(SECTIONS_504)
    else:
        allowed = {k for k in SectionKey.values if not k.startswith("section_504")}
    return [k for k in SectionKey.values if k in allowed or k in have]


def section_parts(content: Any) -> list[tuple[str, str]]:
    """The editable words of a section: ("text", words), or each text part of a structured one."""
    if isinstance(content, str):
        return [("text", content)]
    if isinstance(content, Mapping):
        parts = [(str(k), v) for k, v in content.items() if isinstance(v, str)]
        return parts or [("text", "")]
    return [("text", "")]


def rebuilt(content: Any, edits: Mapping[str, str]) -> Any:
    """The section's content with the edited text parts replaced; other parts kept."""
    if isinstance(content, str):
        return {"text": edits.get("text", content)}
    base = dict(content) if isinstance(content, Mapping) else {}
    base.update(edits)
    return base


def _norm(text: Any) -> str:
    return str(text or "").replace("\r\n", "\n").strip()


def part_label(key: str, part: str) -> str:
    title = str(SectionKey(key).label) if key in SectionKey.values else key
    if part == "text":
        return title
    return f"{title}: {part.replace('_', ' ')}"


def add_section_fields(form: forms.Form, sections: Mapping[str, Any], keys: Iterable[str]) -> None:
    """One textarea per text part of each section, named section__<key>__<part>."""
    for key in keys:
        for part, text in section_parts(sections.get(key)):
            name = f"section__{key}__{part}"
            form.fields[name] = forms.CharField(
                label=part_label(key, part),
                required=False,
                initial=text,
                widget=forms.Textarea(attrs={"rows": 4, "class": "usa-textarea"}),
            )


def changed_sections(form: forms.Form, sections: Mapping[str, Any]) -> dict[str, Any]:
    """{key: new content} for each section whose words changed."""
    edits: dict[str, dict[str, str]] = {}
    for name, value in form.cleaned_data.items():
        if not name.startswith("section__"):
            continue
        _prefix, key, part = name.split("__", 2)
        before = dict(section_parts(sections.get(key))).get(part, "")
        if _norm(value) != _norm(before):
            edits.setdefault(key, {})[part] = _norm(value)
    return {key: rebuilt(sections.get(key), parts) for key, parts in edits.items()}


class _ItemForm(UswdsMixin, forms.ModelForm):
    """A row of services, accommodations or goals; the model checks its own fields."""

    def item_data(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self._meta.fields}  # type: ignore[attr-defined]

    def changed_item_data(self) -> dict[str, Any]:
        return {
            name: self.cleaned_data[name]
            for name in self.changed_data
            if name in self._meta.fields  # type: ignore[attr-defined]
        }


class ServiceForm(_ItemForm):
    class Meta:
        model = Service
        fields = SERVICE_FORM_FIELDS
        widgets = {"start_date": DATE, "end_date": DATE}


class AccommodationForm(_ItemForm):
    applies_to = forms.MultipleChoiceField(
        label=_("Applies to"),
        choices=AppliesTo.choices,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Accommodation
        fields = ACCOMMODATION_FORM_FIELDS
        widgets = {"text": forms.Textarea(attrs={"rows": 2})}
        formfield_callback = text_limits(text=limits.NOTE)

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        text = data.get("text") or ""
        if data.get("kind") == AccommodationKind.ACCOMMODATION and text:
            verdict = classify_wording(text)
            if verdict.kind is WordingKind.MODIFICATION:
                self.add_error(
                    "kind",
                    _(
                        "“%(words)s” changes what is taught or expected: file it as a "
                        "modification, which has consequences for tests."
                    )
                    % {"words": verdict.cue or text},
                )
        return data


class GoalForm(_ItemForm):
    class Meta:
        model = Goal
        fields = GOAL_FORM_FIELDS
        widgets = {
            "text": forms.Textarea(attrs={"rows": 3}),
            "baseline": forms.Textarea(attrs={"rows": 2}),
        }
        formfield_callback = text_limits(text=limits.GOAL_TEXT, baseline=limits.NOTE)


class _ItemFormSet(forms.BaseModelFormSet):
    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove from the plan")


def item_formset(model: type[Any], form: type[Any], extra: int) -> Any:
    return forms.modelformset_factory(
        model, form=form, formset=_ItemFormSet, extra=extra, can_delete=True
    )


ServiceFormSet = item_formset(Service, ServiceForm, 1)
AccommodationFormSet = item_formset(Accommodation, AccommodationForm, 1)
GoalFormSet = item_formset(Goal, GoalForm, 1)


class AnnualReviewForm(UswdsMixin, forms.Form):
    meeting_date = forms.DateField(
        label=_("Date of the annual review meeting"),
        required=False,
        widget=DATE,
        help_text=_("You can set or change it later in the draft."),
    )


class AmendForm(UswdsMixin, forms.Form):
    with_meeting = forms.ChoiceField(
        label=_("How was the amendment agreed?"),
        choices=[
            ("yes", _("At an IEP team meeting")),
            ("no", _("Without a meeting: the parent and the district agreed in writing")),
        ],
        widget=forms.RadioSelect,
        initial="yes",
    )
    parent_agreement_date = forms.DateField(
        label=_("Date of the parent's written agreement"),
        required=False,
        widget=DATE,
        help_text=_("Needed when there is no meeting (34 CFR 300.324(a)(4))."),
    )
    reason = forms.CharField(
        max_length=limits.NOTE,
        label=_("What changes and why"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(
        self, *args: Any, sections: Mapping[str, Any], keys: Iterable[str], **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        add_section_fields(self, sections, keys)


class CorrectionForm(UswdsMixin, forms.Form):
    reason = forms.CharField(
        max_length=limits.NOTE,
        label=_("What the correction fixes"),
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_("For example: a typo in the reading goal, or the wrong meeting date."),
        error_messages={"required": _("Say what the correction fixes.")},
    )


class CorrectDatesForm(UswdsMixin, forms.Form):
    meeting_date = forms.DateField(label=_("Meeting date"), required=False, widget=DATE)
    effective_from = forms.DateField(label=_("Effective from"), required=False, widget=DATE)
    effective_to = forms.DateField(label=_("Effective to"), required=False, widget=DATE)


class CorrectSectionForm(UswdsMixin, forms.Form):
    def __init__(self, *args: Any, sections: Mapping[str, Any], key: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        add_section_fields(self, sections, [key])


def exit_choices() -> list[tuple[str, str]]:
    return [(value, f"{label} (FS009: {fs009_code(value)})") for value, label in ExitReason.choices]


class ExitForm(UswdsMixin, forms.Form):
    reason = forms.ChoiceField(
        label=_("Basis of exit"),
        error_messages={"required": _("Choose the basis of exit.")},
    )
    exit_date = forms.DateField(
        label=_("Exit date"),
        widget=DATE,
        error_messages={"required": _("Give the date the student exited.")},
    )
    note = forms.CharField(
        max_length=limits.NOTE,
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["reason"].choices = [("", _("Choose…")), *exit_choices()]


class SchoolChangeForm(UswdsMixin, forms.Form):
    school = forms.ModelChoiceField(label=_("School"), queryset=School.objects.none())
    grade = forms.ChoiceField(label=_("Grade"), choices=Grade.choices)
    on_date = forms.DateField(
        label=_("Date of the change"),
        widget=DATE,
        error_messages={"required": _("Give the date of the change.")},
    )
    note = forms.CharField(
        max_length=limits.NOTE,
        label=_("Note"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, district: Any, **kwargs: Any) -> None:
        super().__init__(*args, prefix="move", **kwargs)
        self.fields["school"].queryset = School.objects.filter(district=district).order_by("name")


class To504Form(UswdsMixin, forms.Form):
    exit_date = forms.DateField(
        label=_("Date the IEP ends"),
        widget=DATE,
        error_messages={"required": _("Give the date the student exited.")},
    )
    note = forms.CharField(
        max_length=limits.NOTE,
        label=_("Why (the team's decision)"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, prefix="to504", **kwargs)


# --- an amendment: the whole plan in one form -------------------------------------------------


def _collect(formset: Any) -> tuple[list[dict[str, Any]], dict[Any, dict[str, Any]], list[Any]]:
    """What the rows add, change (by public id) and remove."""
    adds: list[dict[str, Any]] = []
    updates: dict[Any, dict[str, Any]] = {}
    removes: list[Any] = []
    for form in formset.forms:
        instance = form.instance
        if instance.pk is None:
            if form.has_changed() and not form.cleaned_data.get("DELETE"):
                adds.append(form.item_data())
        elif form.cleaned_data.get("DELETE"):
            removes.append(instance.public_id)
        elif changed := form.changed_item_data():
            updates[instance.public_id] = changed
    return adds, updates, removes


class Amendment:
    """The amendment page's form and its three formsets (services, accommodations, goals)."""

    def __init__(self, plan: Plan, data: Any) -> None:
        self.sections = {s.key: s.content for s in plan.sections.all()}
        keys = section_keys_for(plan.kind, self.sections)
        self.form = AmendForm(data, sections=self.sections, keys=keys)
        self.formsets = {
            "service": ServiceFormSet(
                data,
                prefix="services",
                queryset=Service.objects.filter(plan=plan).order_by("category", "name", "id"),
            ),
            "accommodation": AccommodationFormSet(
                data,
                prefix="accommodations",
                queryset=Accommodation.objects.filter(plan=plan).order_by("kind", "category", "id"),
            ),
            "goal": GoalFormSet(
                data, prefix="goals", queryset=Goal.objects.filter(plan=plan).order_by("id")
            ),
        }
        # Problems of the pre-finalize check on a row: shown on the row and in the summary.
        self.row_problems: dict[str, list[str]] = {}
        self.placed: list[dict[str, str]] = []

    def changes(self) -> Changes | None:
        """Everything the valid forms change; None when nothing is."""
        s_adds, s_updates, s_removes = _collect(self.formsets["service"])
        a_adds, a_updates, a_removes = _collect(self.formsets["accommodation"])
        g_adds, g_updates, g_removes = _collect(self.formsets["goal"])
        changes = Changes(
            sections=changed_sections(self.form, self.sections),
            add_services=s_adds,
            update_services=s_updates,
            remove_services=s_removes,
            add_accommodations=a_adds,
            update_accommodations=a_updates,
            remove_accommodations=a_removes,
            add_goals=g_adds,
            update_goals=g_updates,
            remove_goals=g_removes,
        )
        parts = [changes.sections, s_adds, s_updates, s_removes, a_adds, a_updates, a_removes]
        return changes if any([*parts, g_adds, g_updates, g_removes]) else None

    def place(self, problems: Iterable[Problem]) -> ValidationError:
        """Each pre-finalize problem on its row or section field; what fits neither, returned."""
        rows: dict[str, str] = {}
        for kind, formset in self.formsets.items():
            for row in formset.forms:
                if row.instance.pk is not None:
                    rows[f"{kind}:{row.instance.public_id}"] = f"{formset.prefix}-{row.prefix}"
        rest: list[str] = []
        for problem in problems:
            key = problem.field.removeprefix("section:")
            field = next((n for n in self.form.fields if n.startswith(f"section__{key}__")), None)
            if problem.field in rows:
                anchor = rows[problem.field]
                self.row_problems.setdefault(anchor, []).append(problem.message)
                self.placed.append({"anchor": anchor, "label": "", "message": problem.message})
            elif problem.field.startswith("section:") and field:
                self.form.add_error(field, problem.message)
            else:
                rest.append(problem.message)
        return ValidationError(rest)


# --- a correction: one thing fixed ------------------------------------------------------------

_ITEM_FORMS: dict[str, tuple[type[Any], type[Any]]] = {
    "service": (Service, ServiceForm),
    "accommodation": (Accommodation, AccommodationForm),
    "goal": (Goal, GoalForm),
}


def target_form(plan: Plan, target: str, data: Any) -> tuple[Any, Any]:
    """The form for the thing being corrected (`dates`, `section:<key>`, `<kind>:<id>`), its item."""
    if target == "dates":
        initial = {
            "meeting_date": plan.meeting_date,
            "effective_from": plan.effective_from,
            "effective_to": plan.effective_to,
        }
        return CorrectDatesForm(data, initial=initial, prefix="fix"), None
    kind, _sep, ident = target.partition(":")
    if kind == "section" and ident in SectionKey.values:
        sections = {s.key: s.content for s in plan.sections.all()}
        if ident not in sections:
            raise Http404
        return CorrectSectionForm(data, sections=sections, key=ident, prefix="fix"), None
    if kind not in _ITEM_FORMS:
        raise Http404
    model, form_class = _ITEM_FORMS[kind]
    try:
        item = model.objects.filter(plan=plan, public_id=ident).first()
    except ValidationError:  # not a UUID
        item = None
    if item is None:
        raise Http404
    return form_class(data, instance=item, prefix="fix"), item


def correction_changes(plan: Plan, target: str, fix: Any, item: Any) -> Changes | None:
    """What the valid correction form changes; None when nothing is."""
    if target == "dates":
        fields = {n: fix.cleaned_data[n] for n in fix.changed_data}
        return Changes(plan_fields=fields) if fields else None
    if target.startswith("section:"):
        sections = changed_sections(fix, {s.key: s.content for s in plan.sections.all()})
        return Changes(sections=sections) if sections else None
    data = fix.changed_item_data()
    if not data:
        return None
    if isinstance(item, Service):
        return Changes(update_services={item.public_id: data})
    if isinstance(item, Accommodation):
        return Changes(update_accommodations={item.public_id: data})
    return Changes(update_goals={item.public_id: data})
