"""Forms of the draft editor: the fields of each section, services, accommodations, finalizing.

Input parsing only; the rules live in `actions.py` and the models. Also the two readings the
editor shows beside the forms: the least restrictive environment computed from the services, and
a warning on vague accommodation wording ("as needed" without who or when), from the one
vagueness check the goal checker uses too (tandem.rules.vagueness).
"""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Any

from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from tandem.core import limits
from tandem.core.forms import DATE, UswdsMixin
from tandem.core.limits import use_plain_words
from tandem.plans.models import (
    AccommodationCategory,
    AccommodationKind,
    AppliesTo,
    DeliveryMode,
    GroupSize,
    Per,
    PlanKind,
    SectionKey,
    ServiceCategory,
    ServicesConsentAnswer,
)
from tandem.referrals.models import MAJOR_LIFE_ACTIVITIES
from tandem.rules import lre as lre_rules
from tandem.rules.accommodations import Kind as WordingKind
from tandem.rules.accommodations import classify_wording
from tandem.rules.vagueness import vague_condition

# --- sections -----------------------------------------------------------------------------------

IEP_SECTIONS: tuple[str, ...] = (
    SectionKey.PLAAFP,
    SectionKey.STRENGTHS,
    SectionKey.PARENT_CONCERNS,
    SectionKey.SPECIAL_FACTORS,
    SectionKey.PROGRESS_REPORTING,
    SectionKey.ASSESSMENTS,
    SectionKey.LRE,
    SectionKey.ESY,
    SectionKey.TRANSITION,
    SectionKey.TRANSFER_OF_RIGHTS,
    SectionKey.PARENT_PARTICIPATION,
)
SECTION_504_SECTIONS: tuple[str, ...] = (
    SectionKey.SECTION_504_IMPAIRMENT,
    SectionKey.STRENGTHS,
    SectionKey.PARENT_CONCERNS,
    SectionKey.SECTION_504_REVIEW,
    SectionKey.PARENT_PARTICIPATION,
)


def sections_for(kind: str) -> tuple[str, ...]:
    """The sections a plan of `kind` has, in the order the team usually writes them."""
    return IEP_SECTIONS if kind == PlanKind.IEP else SECTION_504_SECTIONS


YES_NO = (
    ("", gettext_lazy("Not answered")),
    ("yes", gettext_lazy("Yes")),
    ("no", gettext_lazy("No")),
)
PARTICIPATION = (
    ("", gettext_lazy("Not decided")),
    ("standard", gettext_lazy("Takes the assessment without accommodations")),
    ("accommodations", gettext_lazy("Takes the assessment with accommodations")),
    ("alternate", gettext_lazy("Takes the alternate assessment")),
)
PLACEMENT = (
    ("", gettext_lazy("From the services (time in general education)")),
    ("SS", gettext_lazy("Separate school")),
    ("RF", gettext_lazy("Residential facility")),
    ("HH", gettext_lazy("Homebound or hospital")),
    ("CF", gettext_lazy("Correctional facility")),
    ("PPPS", gettext_lazy("Parentally placed in a private school")),
)
SPECIAL_FACTORS = (
    ("behavior", gettext_lazy("Behavior that impedes learning (positive behavior supports)")),
    ("english", gettext_lazy("Limited English proficiency (language needs)")),
    ("braille", gettext_lazy("Blind or visually impaired (instruction in braille)")),
    ("communication", gettext_lazy("Communication needs")),
    ("deaf", gettext_lazy("Deaf or hard of hearing (language and communication)")),
    ("assistive_technology", gettext_lazy("Assistive technology devices and services")),
)


@dataclass(frozen=True, slots=True)
class Spec:
    """One field of a section: its name in the content, label, kind and help."""

    name: str
    label: Any
    kind: str = "text"  # text | line | yesno | choice | date | multi
    help: Any = ""
    choices: Sequence[tuple[str, Any]] = ()


NOTES = gettext_lazy("Other notes")


def _factor_specs() -> list[Spec]:
    specs: list[Spec] = []
    for code, label in SPECIAL_FACTORS:
        specs.append(
            Spec(
                code,
                label,
                "yesno",
                gettext_lazy("Considered by the team: does the student need it?"),
                YES_NO,
            )
        )
        specs.append(Spec(f"{code}_notes", gettext_lazy("What the team decided and why"), "line"))
    return specs


SECTION_SPECS: dict[str, list[Spec]] = {
    SectionKey.PLAAFP: [
        Spec(
            "text",
            gettext_lazy("Present levels of academic achievement and functional performance"),
            help=gettext_lazy("What the student knows and can do now, with data."),
        ),
        Spec(
            "effect",
            gettext_lazy(
                "How the disability affects involvement and progress in the general curriculum"
            ),
        ),
    ],
    SectionKey.STRENGTHS: [Spec("text", gettext_lazy("The student's strengths"))],
    SectionKey.PARENT_CONCERNS: [
        Spec("text", gettext_lazy("The parent's concerns for the student's education"))
    ],
    SectionKey.SPECIAL_FACTORS: [*_factor_specs(), Spec("text", NOTES)],
    SectionKey.PROGRESS_REPORTING: [
        Spec(
            "text",
            gettext_lazy("How and when progress toward the goals is reported to the parent"),
        )
    ],
    SectionKey.ASSESSMENTS: [
        Spec("state", gettext_lazy("State assessments"), "choice", choices=PARTICIPATION),
        Spec(
            "state_why",
            gettext_lazy(
                "If alternate: why the student cannot take the regular state assessment, and why the alternate is appropriate"
            ),
        ),
        Spec("district", gettext_lazy("District assessments"), "choice", choices=PARTICIPATION),
        Spec(
            "district_why",
            gettext_lazy("If alternate: why, and which assessment instead"),
        ),
        Spec("text", NOTES),
    ],
    SectionKey.LRE: [
        Spec(
            "removal_explanation",
            gettext_lazy("Explanation of removal"),
            help=gettext_lazy(
                "The extent, if any, to which the student will not take part with nondisabled "
                "peers in the regular class and in other activities, and why."
            ),
        ),
        Spec(
            "placement",
            gettext_lazy("Placement reported instead of the minutes"),
            "choice",
            choices=PLACEMENT,
        ),
        Spec("text", NOTES),
    ],
    SectionKey.ESY: [
        Spec(
            "needed", gettext_lazy("Extended school year services needed"), "yesno", choices=YES_NO
        ),
        Spec("reason", gettext_lazy("Why, based on the data reviewed")),
        Spec("services", gettext_lazy("Extended school year services, if needed"), "line"),
        Spec("text", NOTES),
    ],
    SectionKey.TRANSITION: [
        Spec("education", gettext_lazy("Postsecondary goal: education or training")),
        Spec("employment", gettext_lazy("Postsecondary goal: employment")),
        Spec(
            "independent_living",
            gettext_lazy("Postsecondary goal: independent living (where appropriate)"),
        ),
        Spec("services", gettext_lazy("Transition services")),
        Spec("course_of_study", gettext_lazy("Course of study")),
        Spec("assessments", gettext_lazy("Age-appropriate transition assessments used"), "line"),
        Spec("text", NOTES),
    ],
    SectionKey.TRANSFER_OF_RIGHTS: [
        Spec("informed_on", gettext_lazy("Student and parent informed on"), "date"),
        Spec(
            "text",
            gettext_lazy("Statement on the transfer of rights at the age of majority"),
        ),
    ],
    SectionKey.SECTION_504_IMPAIRMENT: [
        Spec("impairment", gettext_lazy("Physical or mental impairment")),
        Spec(
            "major_life_activities",
            gettext_lazy("Major life activities it substantially limits"),
            "multi",
        ),
        Spec("text", NOTES),
    ],
    SectionKey.SECTION_504_REVIEW: [
        Spec("review_date", gettext_lazy("Review date"), "date"),
        Spec("text", NOTES),
    ],
    SectionKey.PARENT_PARTICIPATION: [
        Spec("participated", gettext_lazy("The parent took part"), "yesno", choices=YES_NO),
        Spec("how", gettext_lazy("How (in person, by phone, by video, in writing)"), "line"),
        Spec("text", NOTES),
    ],
}


def specs_for(key: str) -> list[Spec]:
    return SECTION_SPECS.get(key, [Spec("text", NOTES)])


def _activity_choices(extra: Iterable[str] = ()) -> list[tuple[str, Any]]:
    choices = list(MAJOR_LIFE_ACTIVITIES.items())
    # Words written before the list existed are kept, never dropped by a save.
    choices += [(value, value) for value in extra if value not in MAJOR_LIFE_ACTIVITIES]
    return choices


def choice_label(spec: Spec, value: Any) -> str:
    """A stored value in words for the page, the PDF and the conflict view."""
    if spec.kind == "multi":
        labels = dict(_activity_choices())
        return ", ".join(str(labels.get(v, v)) for v in value or [])
    if spec.kind in ("yesno", "choice"):
        return str(dict(spec.choices).get(value, value or ""))
    return str(value or "")


class SectionForm(UswdsMixin, forms.Form):
    """The fields of one section, built from its specs; `revision` is the optimistic check."""

    revision = forms.IntegerField(min_value=0, widget=forms.HiddenInput)

    def __init__(
        self, *args: Any, key: str, content: Mapping[str, Any] | None = None, **kwargs: Any
    ):
        self.key = key
        self.specs = specs_for(key)
        super().__init__(*args, **kwargs)
        content = content or {}
        for spec in self.specs:
            self.fields[spec.name] = self._field(spec, content)
            use_plain_words(self.fields[spec.name])  # made after UswdsMixin's own pass

    def _field(self, spec: Spec, content: Mapping[str, Any]) -> forms.Field:
        common = {"label": spec.label, "required": False, "help_text": spec.help}
        if spec.kind == "line":
            return forms.CharField(max_length=limits.SHORT_NOTE, **common)
        if spec.kind in ("yesno", "choice"):
            return forms.ChoiceField(choices=spec.choices, **common)
        if spec.kind == "date":
            return forms.DateField(widget=DATE, **common)
        if spec.kind == "multi":
            existing = content.get(spec.name) or []
            existing = existing if isinstance(existing, list) else []
            return forms.MultipleChoiceField(
                choices=_activity_choices(str(v) for v in existing),
                widget=forms.CheckboxSelectMultiple,
                **common,
            )
        return forms.CharField(
            max_length=limits.SECTION_TEXT, widget=forms.Textarea(attrs={"rows": 5}), **common
        )

    def content(self) -> dict[str, Any]:
        """The cleaned fields as the section's stored content (blank values left out)."""
        data: dict[str, Any] = {}
        for spec in self.specs:
            value = self.cleaned_data.get(spec.name)
            if isinstance(value, date):
                value = value.isoformat()
            if value in (None, "", []):
                continue
            data[spec.name] = value
        return data


def initial_from_content(key: str, content: Any) -> dict[str, Any]:
    """Form initial values from stored content; plain-text content lands in the notes."""
    if isinstance(content, str):
        content = {"text": content}
    if not isinstance(content, Mapping):
        return {}
    names = {spec.name for spec in specs_for(key)}
    initial = {name: value for name, value in content.items() if name in names}
    extra = [f"{k}: {v}" for k, v in content.items() if k not in names and v not in ("", None)]
    if extra:
        initial["text"] = "\n".join([*([initial["text"]] if initial.get("text") else []), *extra])
    return initial


def section_rows(key: str, content: Any) -> list[dict[str, str]]:
    """A section's content as labelled rows in words (for the document and the conflict view)."""
    if isinstance(content, str):
        content = {"text": content}
    if not isinstance(content, Mapping):
        return []
    rows = []
    known = {spec.name: spec for spec in specs_for(key)}
    for spec in specs_for(key):
        value = content.get(spec.name)
        if value in (None, "", []):
            continue
        rows.append(
            {"name": spec.name, "label": str(spec.label), "text": choice_label(spec, value)}
        )
    for name, value in content.items():
        if name not in known and value not in (None, "", []):
            rows.append(
                {"name": name, "label": name.replace("_", " ").capitalize(), "text": str(value)}
            )
    return rows


# --- conflicts ----------------------------------------------------------------------------------


def merge_text(base_mine: str, theirs: str) -> str:
    """A simple merge: when one side only added text to the other, the longer one; else both."""
    mine = base_mine or ""
    theirs = theirs or ""
    if mine == theirs or not theirs.strip():
        return mine
    if not mine.strip():
        return theirs
    matcher = difflib.SequenceMatcher(a=theirs, b=mine, autojunk=False)
    if all(op in ("equal", "insert") for op, *_rest in matcher.get_opcodes()):
        return mine  # mine = theirs plus additions
    matcher = difflib.SequenceMatcher(a=mine, b=theirs, autojunk=False)
    if all(op in ("equal", "insert") for op, *_rest in matcher.get_opcodes()):
        return theirs  # theirs = mine plus additions
    return f"{theirs.rstrip()}\n\n{mine.strip()}"


def conflict_rows(key: str, mine: Mapping[str, Any], theirs: Any) -> list[dict[str, Any]]:
    """Each field of the section with both versions, whether they differ, and a merged text."""
    theirs = theirs if isinstance(theirs, Mapping) else {"text": theirs or ""}
    rows = []
    for spec in specs_for(key):
        a, b = mine.get(spec.name), theirs.get(spec.name)
        a = "" if a in (None, []) else a
        b = "" if b in (None, []) else b
        textual = spec.kind in ("text", "line")
        rows.append(
            {
                "spec": spec,
                "name": spec.name,
                "label": spec.label,
                "mine": choice_label(spec, a),
                "theirs": choice_label(spec, b),
                "mine_json": json.dumps(a),
                "theirs_json": json.dumps(b),
                "differs": a != b,
                "textual": textual,
                "merged": merge_text(str(a), str(b)) if textual else "",
            }
        )
    return rows


def resolved_content(key: str, post: Mapping[str, Any]) -> dict[str, Any]:
    """The content chosen in the conflict form: per field mine, theirs or the merged text."""
    everything = post.get("all", "")
    content: dict[str, Any] = {}
    for spec in specs_for(key):
        choice = (
            everything
            if everything in ("mine", "theirs")
            else post.get(f"choice-{spec.name}", "mine")
        )
        if choice == "merged" and spec.kind in ("text", "line"):
            value: Any = post.get(f"merged-{spec.name}", "")
        else:
            raw = post.get(f"{'theirs' if choice == 'theirs' else 'mine'}-{spec.name}", '""')
            try:
                value = json.loads(raw)
            except (TypeError, ValueError):
                value = ""
        if value not in (None, "", []):
            content[spec.name] = value
    return content


# --- the draft's facts ------------------------------------------------------------------------


class NewPlanForm(UswdsMixin, forms.Form):
    kind = forms.ChoiceField(
        label=gettext_lazy("Kind of plan"),
        choices=PlanKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose an IEP or a 504 Plan.")},
    )
    meeting_date = forms.DateField(label=gettext_lazy("Meeting date"), required=False, widget=DATE)


class DatesForm(UswdsMixin, forms.Form):
    meeting_date = forms.DateField(label=gettext_lazy("Meeting date"), required=False, widget=DATE)
    effective_to = forms.DateField(
        label=gettext_lazy("Planned end date"), required=False, widget=DATE
    )


class FinalizeForm(UswdsMixin, forms.Form):
    effective_from = forms.DateField(
        label=gettext_lazy("Effective from"),
        widget=DATE,
        error_messages={"required": gettext_lazy("Give the date the plan takes effect.")},
    )


class ServicesConsentForm(UswdsMixin, forms.Form):
    """The parent's answer to consent to the initial provision of services (300.300(b))."""

    answer = forms.ChoiceField(
        label=gettext_lazy("The parent's answer"),
        choices=ServicesConsentAnswer.choices,
        widget=forms.RadioSelect,
        error_messages={"required": gettext_lazy("Choose the parent's answer.")},
    )
    answered_on = forms.DateField(
        label=gettext_lazy("Date of the answer"),
        widget=DATE,
        error_messages={"required": gettext_lazy("Give the date the parent answered.")},
    )
    note = forms.CharField(
        label=gettext_lazy("Note (how it was given, a signed form)"),
        required=False,
        max_length=limits.SHORT_NOTE,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


# --- services -----------------------------------------------------------------------------------


class ServiceForm(UswdsMixin, forms.Form):
    lock_version = forms.IntegerField(min_value=0, widget=forms.HiddenInput, required=False)
    category = forms.ChoiceField(
        label=gettext_lazy("Type of service"), choices=ServiceCategory.choices
    )
    name = forms.CharField(label=gettext_lazy("Service"), max_length=limits.NAME)
    minutes = forms.IntegerField(label=gettext_lazy("Minutes each time"), min_value=1)
    times = forms.IntegerField(label=gettext_lazy("How many times"), min_value=1)
    per = forms.ChoiceField(label=gettext_lazy("Per"), choices=[("", "—"), *Per.choices])
    setting = forms.CharField(
        label=gettext_lazy("Setting or location"),
        max_length=limits.NAME,
        required=False,
        help_text=gettext_lazy(
            "Say “general education classroom” when the service is given in the regular class; "
            "anywhere else counts as time out of it."
        ),
    )
    start_date = forms.DateField(label=gettext_lazy("Start date"), required=False, widget=DATE)
    end_date = forms.DateField(label=gettext_lazy("End date"), required=False, widget=DATE)
    provider_role = forms.CharField(
        label=gettext_lazy("Provider role"), max_length=limits.NAME, required=False
    )
    delivery_mode = forms.ChoiceField(
        label=gettext_lazy("Delivery mode"), choices=DeliveryMode.choices
    )
    group_size = forms.ChoiceField(
        label=gettext_lazy("Individual or group"), choices=GroupSize.choices
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        messages = {
            "minutes": _("Give how many minutes each time (the duration)."),
            "times": _("Give how many times (the frequency)."),
            "per": _("Choose per day, week or month."),
            "name": _("Name the service."),
        }
        for name, message in messages.items():
            self.fields[name].error_messages["required"] = message

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        start, end = data.get("start_date"), data.get("end_date")
        if start and end and end < start:
            self.add_error("end_date", _("The service ends before it starts."))
        return data

    def data_for_action(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "lock_version"}


# --- accommodations -----------------------------------------------------------------------------

APPLIES_504 = ("health_medical", "behavioral", "transportation", "extracurricular")


class AccommodationForm(UswdsMixin, forms.Form):
    lock_version = forms.IntegerField(min_value=0, widget=forms.HiddenInput, required=False)
    kind = forms.ChoiceField(
        label=gettext_lazy("Accommodation or modification"),
        choices=AccommodationKind.choices,
        widget=forms.RadioSelect,
        help_text=gettext_lazy(
            "An accommodation changes how the student learns or shows learning; a modification "
            "changes what the student learns or is expected to do."
        ),
    )
    category = forms.ChoiceField(
        label=gettext_lazy("Category"), choices=AccommodationCategory.choices
    )
    text = forms.CharField(
        max_length=limits.NOTE,
        label=gettext_lazy("What it is, in the plan's words"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    applies_to = forms.MultipleChoiceField(
        label=gettext_lazy("Where it applies"),
        choices=AppliesTo.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": gettext_lazy("Choose where it applies.")},
    )
    frequency_condition = forms.CharField(
        label=gettext_lazy("How often and when"), max_length=300, required=False
    )
    provider_role = forms.CharField(
        label=gettext_lazy("Who provides it"), max_length=limits.NAME, required=False
    )

    def __init__(self, *args: Any, plan_kind: str = PlanKind.IEP, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["text"].error_messages["required"] = _("Write the accommodation.")
        if plan_kind != PlanKind.SECTION_504:
            # The 504 settings are for 504 Plans; an IEP keeps them only if already chosen.
            chosen = set(self.initial.get("applies_to") or [])
            self.fields["applies_to"].choices = [
                (v, label) for v, label in AppliesTo.choices if v not in APPLIES_504 or v in chosen
            ]

    def data_for_action(self) -> dict[str, Any]:
        return {k: v for k, v in self.cleaned_data.items() if k != "lock_version"}


class LibrarySearchForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("Search the district library"),
        required=False,
        max_length=limits.SEARCH,
    )
    category = forms.ChoiceField(
        label=gettext_lazy("Category"),
        required=False,
        choices=[("", gettext_lazy("All categories")), *AccommodationCategory.choices],
    )


class DiscardForm(UswdsMixin, forms.Form):
    """Why a draft is discarded (kept in the plan's history and the audit log)."""

    reason = forms.CharField(
        label=gettext_lazy("Why is this draft discarded?"),
        help_text=gettext_lazy(
            "For example: started by mistake, started as the wrong kind of plan, replaced by "
            "another draft. The draft stays in the record; it leaves the student's plans."
        ),
        max_length=limits.SHORT_NOTE,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": gettext_lazy("Say why the draft is discarded.")},
    )


class RemoveForm(forms.Form):
    lock_version = forms.IntegerField(min_value=0, required=False, widget=forms.HiddenInput)


def wording_warnings(
    *, kind: str, text: str, frequency_condition: str, provider_role: str
) -> list[str]:
    """Warnings (never refusals) on how an accommodation is worded."""
    warnings: list[str] = []
    vague = vague_condition(text, when=frequency_condition, who=provider_role)
    if vague:
        warnings.append(
            _(
                "“%(words)s” is vague without who provides it and when: say how often, under "
                "which conditions, and who is responsible."
            )
            % {"words": vague[0].text}
        )
    if kind == AccommodationKind.ACCOMMODATION and text.strip():
        verdict = classify_wording(text)
        if verdict.kind is WordingKind.MODIFICATION:
            warnings.append(
                _(
                    "“%(words)s” changes what is taught or expected: file it as a modification, "
                    "which has consequences for tests."
                )
                % {"words": verdict.cue or text}
            )
    return warnings


# --- least restrictive environment -----------------------------------------------------------

_INSIDE = re.compile(
    r"general[- ]ed(?:ucation)?|gen[- ]ed\b|regular (?:education )?class|push[- ]in|co-?taught|"
    r"inclusion|educación general",
    re.IGNORECASE,
)
# Supports given to or through the regular class do not remove the student from it.
_NEVER_REMOVES = {
    ServiceCategory.SUPPLEMENTARY_AID,
    ServiceCategory.PROGRAM_MODIFICATION,
    ServiceCategory.PERSONNEL_SUPPORT,
}
CATEGORY_LABELS = {
    "RC80": gettext_lazy("Inside the regular class 80% or more of the day"),
    "RC79TO40": gettext_lazy("Inside the regular class 40% through 79% of the day"),
    "RC39": gettext_lazy("Inside the regular class less than 40% of the day"),
    "SS": gettext_lazy("Separate school"),
    "RF": gettext_lazy("Residential facility"),
    "HH": gettext_lazy("Homebound or hospital"),
    "CF": gettext_lazy("Correctional facility"),
    "PPPS": gettext_lazy("Parentally placed in a private school"),
}
DEFAULT_DAY_MINUTES = 360


@dataclass(frozen=True, slots=True)
class LreReading:
    ok: bool
    percent: int | None = None
    category: str = ""
    category_label: str = ""
    outside_minutes: int = 0
    week_minutes: int = 0
    not_counted: tuple[str, ...] = ()
    error: str = ""


def school_day_minutes(district: Any) -> int:
    settings = getattr(district, "settings", None) or {}
    try:
        value = int(settings.get("school_day_minutes", DEFAULT_DAY_MINUTES))
    except (TypeError, ValueError):
        value = DEFAULT_DAY_MINUTES
    return value if value > 0 else DEFAULT_DAY_MINUTES


def compute_lre(services: Iterable[Any], *, district: Any, placement: str = "") -> LreReading:
    """Percent of the school day in general education and the federal category, from services.

    `services` are Service rows or snapshot dicts. A service counts as time out of the regular
    class unless its setting says general education (or it is a supplementary aid, program
    modification or support for personnel).
    """
    lines, not_counted = [], []
    for s in services:
        get = s.get if isinstance(s, Mapping) else (lambda name, _s=s: getattr(_s, name, None))
        name = str(get("name") or "")
        minutes, times, per = get("minutes"), get("times"), get("per")
        if not (minutes and times and per):
            not_counted.append(name)
            continue
        inside = get("category") in _NEVER_REMOVES or bool(
            _INSIDE.search(str(get("setting") or ""))
        )
        lines.append(
            lre_rules.ServiceLine(
                minutes=int(minutes),
                times=int(times),
                per=lre_rules.Period(per),
                location=lre_rules.Location.INSIDE if inside else lre_rules.Location.OUTSIDE,
                name=name,
            )
        )
    week = lre_rules.SchoolWeek(minutes_per_day=school_day_minutes(district))
    chosen = None
    if placement:
        try:
            chosen = lre_rules.SeparatePlacement(placement)
        except ValueError:
            chosen = None
    try:
        result = lre_rules.school_age_environment(week, lines, placement=chosen)
    except lre_rules.InvalidLRE as error:
        return LreReading(ok=False, error=str(error), not_counted=tuple(not_counted))
    return LreReading(
        ok=True,
        percent=result.whole_percent_inside,
        category=str(result.category),
        category_label=str(CATEGORY_LABELS.get(str(result.category), result.category)),
        outside_minutes=int(round(float(result.outside_minutes))),
        week_minutes=result.week_minutes,
        not_counted=tuple(not_counted),
    )
