"""The goal checker's reading, made ready for a page: SMART verdicts, highlighted parts, flags.

The checker (tandem.rules.goals) writes its messages in English; in English the page shows them
as written, in other languages a translated explanation chosen by the flag's code.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.html import escape, format_html
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from tandem.plans.models import Goal
from tandem.rules.goals import (
    Fix,
    Flag,
    FlagCode,
    GoalAnalysis,
    MofNReading,
    check_accommodation,
    check_goal,
    from_record,
)

# The parts, in reading order, with a label (never colour alone) and a USWDS background.
PARTS: tuple[tuple[str, Any, str], ...] = (
    ("timeframe", gettext_lazy("Timeframe"), "bg-warning-lighter"),
    ("condition", gettext_lazy("Condition"), "bg-primary-lighter"),
    ("learner", gettext_lazy("Learner"), "bg-base-lighter"),
    ("behavior", gettext_lazy("Behavior"), "bg-success-lighter"),
    ("criterion", gettext_lazy("Criterion"), "bg-secondary-lighter"),
    ("measurement", gettext_lazy("Measurement"), "bg-accent-cool-lighter"),
)

FLAG_TEXT: dict[str, tuple[Any, Any]] = {
    FlagCode.EMPTY_GOAL: (
        gettext_lazy("The goal is empty."),
        gettext_lazy(
            "Write the goal: timeframe, condition, learner, behavior, criterion, measurement."
        ),
    ),
    FlagCode.NO_BEHAVIOR: (
        gettext_lazy("No observable behavior was found."),
        gettext_lazy('Say what the learner will do: "Maria will read aloud ...".'),
    ),
    FlagCode.VAGUE_VERB: (
        gettext_lazy('"%(part)s" is not an action a stranger could see and count.'),
        gettext_lazy("Use an action that can be seen and counted: read aloud, write, solve, name."),
    ),
    FlagCode.NO_CRITERION: (
        gettext_lazy("No criterion says how well or how often the behavior must occur."),
        gettext_lazy('Add a criterion, e.g. "with 90% accuracy in 4 of 5 opportunities".'),
    ),
    FlagCode.VAGUE_CRITERION: (
        gettext_lazy('"%(part)s" does not say how well or how often.'),
        gettext_lazy('Use a number: "with 90% accuracy in 4 of 5 sessions".'),
    ),
    FlagCode.CRITERION_UNPARSED: (
        gettext_lazy(
            '"%(part)s" looks like a criterion but could not be read. It is kept as written.'
        ),
        gettext_lazy('Write it in a standard form: "with 80% accuracy", "in 4 of 5 trials".'),
    ),
    FlagCode.UNDEFINED_DENOMINATOR: (
        gettext_lazy('"%(part)s" does not say what the whole is, so it cannot be counted.'),
        gettext_lazy('Name the whole: "of 1-minute intervals in a 20-minute observation".'),
    ),
    FlagCode.RANGE_CRITERION: (
        gettext_lazy("A range (%(part)s) leaves mastery unclear; its lower bound is used."),
        gettext_lazy("State one target value."),
    ),
    FlagCode.INCONSISTENT_CRITERIA: (
        gettext_lazy("The criteria contradict each other (%(part)s)."),
        gettext_lazy("Keep one criterion for each measure."),
    ),
    FlagCode.AMBIGUOUS_M_OF_N: (
        gettext_lazy('"%(part)s" can be read two ways.'),
        gettext_lazy("Confirm the reading below, or write it out."),
    ),
    FlagCode.BELOW_MASTERY_THRESHOLD: (
        gettext_lazy(
            "%(part)s is below 90%% for a discrete skill; research finds mastery at 80%% tends "
            "not to last."
        ),
        gettext_lazy("Use 90% or higher for discrete skills."),
    ),
    FlagCode.PLACEHOLDER: (
        gettext_lazy("A template placeholder was left in: %(part)s."),
        gettext_lazy("Replace it with the real name, date or number."),
    ),
    FlagCode.POSTSECONDARY_INTENT: (
        gettext_lazy('"%(part)s" states a wish, not an outcome that can be observed.'),
        gettext_lazy('Write the outcome itself: "will enroll in ...", "will work ...".'),
    ),
    FlagCode.NO_TIMEFRAME: (
        gettext_lazy("No timeframe says by when the goal will be met."),
        gettext_lazy('Start with a date, e.g. "By the annual IEP review, ...".'),
    ),
    FlagCode.NO_MEASUREMENT_METHOD: (
        gettext_lazy("The goal does not say how progress will be measured (34 CFR 300.320(a)(3))."),
        gettext_lazy('Add the method and schedule, e.g. "as measured by weekly probes".'),
    ),
    FlagCode.NOT_RELEVANT_TO_NEED: (
        gettext_lazy(
            "The goal does not seem to answer the need from present levels it is linked to."
        ),
        gettext_lazy("Write the goal for the need the present levels name, or link another need."),
    ),
    FlagCode.ACTIVITY_NOT_OUTCOME: (
        gettext_lazy(
            '"%(part)s" names an activity or a service, not what the student will be able to do.'
        ),
        gettext_lazy("Write what the student will do by the end of the year."),
    ),
    FlagCode.VAGUE_ACCOMMODATION: (
        gettext_lazy('"%(part)s" does not say who decides or when, so it cannot be checked.'),
        gettext_lazy('Say who decides and when, e.g. "when the student requests it".'),
    ),
}

SEVERITY_LABEL = {
    "error": gettext_lazy("Must fix"),
    "warning": gettext_lazy("Should fix"),
    "info": gettext_lazy("Please confirm"),
}

SMART_ELEMENTS: tuple[tuple[str, Any, Any, Any], ...] = (
    # element, label, why when yes, why when no
    (
        "specific",
        gettext_lazy("Specific"),
        gettext_lazy("It names an observable behavior."),
        gettext_lazy("It needs an observable behavior with defined content."),
    ),
    (
        "measurable",
        gettext_lazy("Measurable"),
        gettext_lazy("The criterion is a number with a defined whole."),
        gettext_lazy("It needs a quantified criterion with a defined whole."),
    ),
    (
        "time_bound",
        gettext_lazy("Time-bound"),
        gettext_lazy("It says by when."),
        gettext_lazy("It needs an explicit timeframe."),
    ),
)


@dataclass(frozen=True)
class FlagView:
    code: str
    severity: str
    severity_label: str
    message: str
    suggestion: str
    fixed_text: str | None  # the whole goal with the suggested fix applied
    index: int


@dataclass(frozen=True)
class SmartRow:
    key: str
    label: str
    verdict: str  # "yes", "no", "unknown"
    verdict_label: str
    reason: str


def stored_analysis(goal: Goal) -> GoalAnalysis:
    """The analysis saved with the goal; one saved by another checker version is checked again.

    The check is not saved here: a page only reads. Saving the goal stores a new record.
    """
    record = goal.analysis or {}
    analysis = from_record(record)
    if (
        analysis is not None
        and analysis.text == goal.text
        and (analysis.plaafp_need or "") == goal.plaafp_need
    ):
        return analysis
    confirmed = record.get("reading") if record.get("reading_confirmed") else None
    reading = next((r for r in MofNReading if r.value == confirmed), None)
    return check_goal(goal.text, plaafp_need=goal.plaafp_need or None, reading=reading)


def _english() -> bool:
    return (get_language() or "en").split("-")[0] == "en"


def apply_fix(text: str, fix: Fix) -> str:
    """The goal with one suggested fix applied."""
    return text[: fix.start] + fix.replacement + text[fix.end :]


def flag_views(text: str, flags: tuple[Flag, ...] | list[Flag]) -> list[FlagView]:
    out = []
    for i, flag in enumerate(flags):
        code = str(flag.code)
        if _english() or code not in FLAG_TEXT:
            message, suggestion = flag.message, flag.suggestion
        else:
            message_t, suggestion_t = FLAG_TEXT[code]
            part = flag.span.text if flag.span is not None else ""
            message = (
                str(message_t) % {"part": part} if "%(part)s" in str(message_t) else str(message_t)
            )
            suggestion = str(suggestion_t)
        fixed = apply_fix(text, flag.fix) if flag.fix is not None else None
        if fixed is not None and fixed == text:
            fixed = None
        out.append(
            FlagView(
                code=code,
                severity=str(flag.severity),
                severity_label=str(SEVERITY_LABEL.get(str(flag.severity), "")),
                message=message,
                suggestion=suggestion,
                fixed_text=fixed,
                index=i,
            )
        )
    return out


def smart_rows(analysis: GoalAnalysis, *, linked_need: bool) -> list[SmartRow]:
    s = analysis.smart
    rows = []
    for key, label, why_yes, why_no in SMART_ELEMENTS:
        value = bool(getattr(s, key))
        rows.append(
            SmartRow(
                key,
                str(label),
                "yes" if value else "no",
                _("Yes") if value else _("No"),
                str(why_yes if value else why_no),
            )
        )
    rows.append(
        SmartRow(
            "achievable",
            _("Achievable"),
            "unknown",
            _("Can't be judged from the text"),
            _("The team judges it from the baseline and the student's rate of progress."),
        )
    )
    if s.relevant is True:
        relevant = ("yes", _("Yes"), _("It speaks to the linked need from present levels."))
    elif s.relevant is False:
        relevant = ("no", _("No"), _("It does not seem to answer the linked need."))
    elif linked_need:
        relevant = (
            "unknown",
            _("Can't be judged from the text"),
            _("The linked need and the goal share too few words to compare."),
        )
    else:
        relevant = (
            "unknown",
            _("Can't be judged from the text"),
            _("Link the need from present levels that the goal answers to check this."),
        )
    rows.append(SmartRow("relevant", _("Relevant"), *relevant))
    return rows


def _spans(analysis: GoalAnalysis) -> list[tuple[int, int, str]]:
    spans: list[tuple[int, int, str]] = []
    for key in ("timeframe", "condition", "learner", "behavior", "measurement"):
        span = getattr(analysis, key)
        if span is not None and span.end > span.start:
            spans.append((span.start, span.end, key))
    for atom in analysis.criteria:
        if atom.end > atom.start:
            spans.append((atom.start, atom.end, "criterion"))
    # Earliest first; a longer span wins a tie; overlapping later spans are dropped.
    spans.sort(key=lambda s: (s[0], -(s[1] - s[0])))
    kept: list[tuple[int, int, str]] = []
    end = -1
    for start, stop, key in spans:
        if start >= end:
            kept.append((start, stop, key))
            end = stop
    return kept


def highlighted(analysis: GoalAnalysis) -> SafeString:
    """The goal as HTML with each part in a <mark> that starts with its name."""
    text = analysis.text
    labels = {key: (label, css) for key, label, css in PARTS}
    pieces: list[str] = []
    at = 0
    for start, stop, key in _spans(analysis):
        pieces.append(escape(text[at:start]))
        label, css = labels[key]
        pieces.append(
            format_html(
                '<mark class="{} padding-x-05" data-part="{}">'
                '<span class="text-bold font-body-3xs">{}:</span> {}</mark>',
                css,
                key,
                label,
                text[start:stop],
            )
        )
        at = stop
    pieces.append(escape(text[at:]))
    return mark_safe("".join(pieces))  # noqa: S308 - every piece is escaped above


def found_parts(analysis: GoalAnalysis) -> set[str]:
    found = {
        k
        for k in ("timeframe", "condition", "learner", "behavior", "measurement")
        if getattr(analysis, k) is not None
    }
    if analysis.criteria:
        found.add("criterion")
    return found


def legend(analysis: GoalAnalysis) -> list[dict[str, Any]]:
    found = found_parts(analysis)
    return [
        {"key": key, "label": label, "css": css, "found": key in found} for key, label, css in PARTS
    ]


def reading_options(analysis: GoalAnalysis) -> dict[str, Any] | None:
    """The two readings the author chooses between, when the criterion has two."""
    if not analysis.ambiguities:
        return None
    amb = analysis.ambiguities[0]
    atom = next((a for a in analysis.criteria if a.kind == "m_of_n"), None)
    acc = next((a for a in analysis.criteria if a.kind == "accuracy"), None)
    m = getattr(atom, "m", "?")
    n = getattr(atom, "n", "?")
    p = getattr(acc, "percent", "?")
    if isinstance(p, float) and p == int(p):
        p = int(p)
    return {
        "span": amb.span.text,
        "chosen": str(amb.chosen) if amb.confirmed else "",
        "options": [
            {
                "value": str(MofNReading.SESSIONS),
                "label": _(
                    "In %(m)s of the last %(n)s sessions, the session's accuracy is at least "
                    "%(p)s%%"
                )
                % {"m": m, "n": n, "p": p},
            },
            {
                "value": str(MofNReading.ITEMS),
                "label": _("%(m)s correct out of %(n)s items") % {"m": m, "n": n},
            },
        ],
    }


def context_for(analysis: GoalAnalysis, *, linked_need: bool) -> dict[str, Any]:
    """Everything the checker fragment shows."""
    flags = flag_views(analysis.text, analysis.flags)
    return {
        "analysis": analysis,
        "empty": not analysis.text.strip(),
        "smart": smart_rows(analysis, linked_need=linked_need),
        "highlighted": highlighted(analysis),
        "legend": legend(analysis),
        "flags": [f for f in flags if f.code != FlagCode.AMBIGUOUS_M_OF_N],
        "ambiguity_flag": next((f for f in flags if f.code == FlagCode.AMBIGUOUS_M_OF_N), None),
        "reading": reading_options(analysis),
    }


def accommodation_warnings(text: str) -> list[FlagView]:
    """The vagueness check of an accommodation's wording, ready for a page."""
    return flag_views(text, check_accommodation(text))
