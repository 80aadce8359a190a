"""The checks a goal must pass, as small pluggable classes (after Django's password validators).

Each check has a `code`, a `message` (a template), a `suggestion`, a `severity` and a `citation`
(where the law or the research says so), and returns its findings for a read `Sentence`. The
checker runs a list of them (`DEFAULT_CHECKS`, in tandem.rules.goals.checker); a district or a
test may run another list.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import ClassVar, Final

from tandem.rules.goals.areas import goal_areas
from tandem.rules.goals.lexicon import overlaps, rx, span_of
from tandem.rules.goals.model import (
    Area,
    CriterionKind,
    Fix,
    Flag,
    FlagCode,
    MofNReading,
    ReadingOption,
    Severity,
    Span,
    _,
    fmt,
)
from tandem.rules.goals.sentence import Sentence, unparsed_cue
from tandem.rules.vagueness import vague_criterion_words


class GoalCheck:
    """One rule a goal should meet; `check` returns a flag for each way the goal breaks it."""

    code: ClassVar[FlagCode]
    severity: ClassVar[Severity]
    message: ClassVar[str]  # a template: "{text}" is the words flagged
    suggestion: ClassVar[str]
    citation: ClassVar[str] = ""

    def check(self, goal: Sentence) -> Iterable[Flag]:
        raise NotImplementedError

    def flag(
        self,
        span: Span | None = None,
        fix: Fix | None = None,
        *,
        message: str | None = None,
        suggestion: str | None = None,
        severity: Severity | None = None,
        readings: tuple[ReadingOption, ...] = (),
    ) -> Flag:
        return Flag(
            self.code,
            self.message if message is None else message,
            self.severity if severity is None else severity,
            self.suggestion if suggestion is None else suggestion,
            span,
            fix,
            readings,
            self.citation,
        )

    def __repr__(self) -> str:
        return f"{type(self).__name__}()"


# --------------------------------------------------------------------------- the parts


class AmbiguousMOfN(GoalCheck):
    code = FlagCode.AMBIGUOUS_M_OF_N
    severity = Severity.INFO
    message = _(
        '"{text}" has two readings: (a) in {m} of the last {n} sessions the session accuracy is '
        "at least {p}% (used by default), or (b) {m} correct out of {n} items."
    )
    suggestion = _("Confirm the reading, or write it out.")
    citation = "PROGRESS.md 1.7 (two readings of M of N)"

    def check(self, goal: Sentence) -> Iterable[Flag]:
        for c in goal.choices:
            if c.confirmed:
                continue
            m, n, p = c.atom.m, c.atom.n, fmt(c.accuracy.percent)
            sessions = Fix(c.atom.start, c.atom.end, f"{m} of {n} sessions")
            items = Fix(c.span.start, c.span.end, f"{m} of {n} items correct")
            options = (
                ReadingOption(
                    MofNReading.SESSIONS,
                    _("in {m} of the last {n} sessions, session accuracy >= {p}%").format(
                        m=m, n=n, p=p
                    ),
                    sessions,
                ),
                ReadingOption(
                    MofNReading.ITEMS, _("{m} correct out of {n} items").format(m=m, n=n), items
                ),
            )
            message = self.message.format(text=c.span.text, m=m, n=n, p=p)
            yield self.flag(c.span, sessions, message=message, readings=options)


class Placeholder(GoalCheck):
    code = FlagCode.PLACEHOLDER
    severity = Severity.ERROR
    message = _("A template placeholder was left in: {text}.")
    suggestion = _("Replace it with the real name, date or number.")

    def check(self, goal: Sentence) -> Iterable[Flag]:
        for p in goal.placeholders:
            yield self.flag(p, message=self.message.format(text=p.text))


class PostsecondaryIntent(GoalCheck):
    code = FlagCode.POSTSECONDARY_INTENT
    severity = Severity.ERROR
    message = _('"{text}" states a wish, not an outcome that can be observed.')
    suggestion = _('Write the outcome itself: "will enroll in ...", "will work ...".')
    citation = "34 CFR 300.320(b)(1); NSTTAC Indicator 13 (PROGRESS.md 2)"

    def check(self, goal: Sentence) -> Iterable[Flag]:
        span = goal.clause.intent
        if span is not None:
            fix = Fix(span.start, span.end, "will")
            yield self.flag(span, fix, message=self.message.format(text=span.text))


class RangeCriterion(GoalCheck):
    code = FlagCode.RANGE_CRITERION
    severity = Severity.WARNING
    message = _("A range ({text}) leaves mastery unclear; its lower bound is used.")
    suggestion = _("State one target value.")
    citation = "Texas TEA, IEP goals guidance: no range criteria (PROGRESS.md 2)"

    def check(self, goal: Sentence) -> Iterable[Flag]:
        for rng in goal.ranges:
            yield self.flag(rng, message=self.message.format(text=rng.text))


_EXAMPLES: Final[dict[Area | None, str]] = {
    Area.READING: "read aloud a grade-level passage at 90 words correct per minute",
    Area.WRITING: "write a five-sentence paragraph with a topic sentence and three details",
    Area.MATH: "solve two-digit addition problems with regrouping",
    Area.ARTICULATION: "produce /r/ in the initial position of words",
    Area.LANGUAGE: "answer who, what and where questions about a story read aloud",
    Area.SOCIAL: "greet a peer by name and ask one follow-up question",
    Area.BEHAVIOR: "remain in the assigned area with hands to self",
    Area.FINE_MOTOR: "cut along a straight line within 1/4 inch",
    Area.SELF_CARE: "wash hands following the five steps of a visual checklist",
    Area.EXECUTIVE_FUNCTION: "record each assignment in the planner before leaving class",
    Area.TRANSITION: "complete two job applications",
    None: "identify the main idea of a paragraph",
}


class VagueVerb(GoalCheck):
    code = FlagCode.VAGUE_VERB
    severity = Severity.ERROR
    message = _('"{text}" is not an action a stranger could see and count.')
    rescued_message = _(
        '"{text}" is vague; the goal is saved by what follows, but lead with the action.'
    )
    suggestion = _('Name the observable action, e.g. "{example}".')
    citation = "Bateman & Herr, the stranger test; Hedin & DeSpain 2018 (PROGRESS.md 2)"

    def check(self, goal: Sentence) -> Iterable[Flag]:
        verb = goal.vague_verb
        if verb is None:
            return
        area = next(iter(goal_areas(goal.text)), None)
        example = _EXAMPLES.get(area, _EXAMPLES[None])
        template = self.rescued_message if verb.rescued else self.message
        yield self.flag(
            verb.span,
            verb.fix,
            message=template.format(text=verb.span.text.strip()),
            suggestion=self.suggestion.format(example=example),
            severity=Severity.WARNING if verb.rescued else Severity.ERROR,
        )


class ActivityNotOutcome(GoalCheck):
    code = FlagCode.ACTIVITY_NOT_OUTCOME
    severity = Severity.ERROR
    message = _('"{text}" names an activity or a service, not what the student will be able to do.')
    process_message = _(
        '"{text}" names the learning, not the outcome; the goal is the action that follows.'
    )
    suggestion = _(
        'Write what the student will do by the end of the year, e.g. "will produce /l/ in '
        'words with 90% accuracy", and list the service under services.'
    )
    citation = "Bateman & Herr; Wrightslaw, SMART IEPs: goals state outcomes (PROGRESS.md 2)"

    def check(self, goal: Sentence) -> Iterable[Flag]:
        found = goal.activity
        if found is None:
            return
        span = span_of(goal.text, found.start, found.end)
        if found.process:
            yield self.flag(
                span_of(goal.text, found.start, found.end),
                Fix(found.start, found.end, ""),
                message=self.process_message.format(text=span.text.strip()),
                severity=Severity.WARNING,
            )
        else:
            yield self.flag(span, message=self.message.format(text=span.text.strip()))


class NoBehavior(GoalCheck):
    code = FlagCode.NO_BEHAVIOR
    severity = Severity.ERROR
    message = _('No observable behavior was found (expected "<learner> will <action> ...").')
    suggestion = _('Say what the learner will do: "Maria will read aloud ...".')
    citation = "34 CFR 300.320(a)(2)(i) (measurable annual goals); Bateman & Herr"

    def check(self, goal: Sentence) -> Iterable[Flag]:
        if goal.behavior is None:
            yield self.flag()


class NoTimeframe(GoalCheck):
    code = FlagCode.NO_TIMEFRAME
    severity = Severity.ERROR
    message = _("No timeframe says by when the goal will be met.")
    suggestion = _('Start with a date, e.g. "By the annual IEP review, ...".')
    citation = "34 CFR 300.320(a)(2)(i) (annual goals)"

    def check(self, goal: Sentence) -> Iterable[Flag]:
        if goal.timeframe is None:
            yield self.flag(fix=_timeframe_fix(goal.text))


_LOWERABLE = rx(r"^(?:the|given|when|during|in|with|after|using|while|upon|following|at|a|an)\b")


def _timeframe_fix(text: str) -> Fix:
    lead = len(text) - len(text.lstrip())
    if _LOWERABLE.match(text[lead:]):
        return Fix(lead, lead + 1, "By the annual IEP review, " + text[lead].lower())
    return Fix(lead, lead, "By the annual IEP review, ")


class NoMeasurementMethod(GoalCheck):
    code = FlagCode.NO_MEASUREMENT_METHOD
    severity = Severity.WARNING
    message = _("The goal does not say how progress will be measured (34 CFR 300.320(a)(3)).")
    suggestion = _(
        'Add the method and schedule, e.g. "as measured by weekly curriculum-based probes".'
    )
    citation = "34 CFR 300.320(a)(3)"

    def check(self, goal: Sentence) -> Iterable[Flag]:
        outcome_only = all(
            a.kind in (CriterionKind.BINARY_OUTCOME, CriterionKind.PROMPT_LEVEL)
            for a in goal.criteria
        )
        if goal.measurement is None and not (goal.clause.postsecondary and outcome_only):
            yield self.flag()


class NotRelevantToNeed(GoalCheck):
    code = FlagCode.NOT_RELEVANT_TO_NEED
    severity = Severity.WARNING
    message = _("The goal does not seem to answer the need from present levels it is linked to.")
    suggestion = _("Write the goal for the need the PLAAFP names, or name that need.")
    citation = "34 CFR 300.320(a)(2)(i)(A) (goals meet the needs that result from the disability)"

    def check(self, goal: Sentence) -> Iterable[Flag]:
        if goal.relevance.relevant is False:
            yield self.flag(message=goal.relevance.reason)


# --------------------------------------------------------------------------- the criterion


class UndefinedDenominator(GoalCheck):
    code = FlagCode.UNDEFINED_DENOMINATOR
    severity = Severity.ERROR
    message = _('"{text}" does not say what the whole is, so it cannot be counted.')
    suggestion = _(  # xgettext:no-python-format
        'Name the whole: "{p}% of 1-minute intervals during a 20-minute observation" '
        'or "in {m} of 10 opportunities".'
    )
    citation = "Wisconsin DPI memo: specify the whole part (PROGRESS.md 2)"

    def check(self, goal: Sentence) -> Iterable[Flag]:
        text = goal.text
        for a in goal.undefined:
            of_at = text.lower().find(" of ", a.start, a.end)
            fix = None if of_at == -1 else Fix(of_at + 4, a.end, "observed intervals")
            yield self.flag(
                span_of(text, a.start, a.end),
                fix,
                message=self.message.format(text=a.text),
                suggestion=self.suggestion.format(p=fmt(a.percent), m=round(a.percent / 10)),
            )


class CriterionUnparsed(GoalCheck):
    code = FlagCode.CRITERION_UNPARSED
    severity = Severity.ERROR  # a warning when another criterion was read
    message = _('"{text}" looks like a criterion but could not be read.')
    suggestion = _(
        'Write it in a standard form: "with 80% accuracy", "in 4 of 5 trials", '
        '"across 3 consecutive sessions", "90 words correct per minute".'
    )

    def check(self, goal: Sentence) -> Iterable[Flag]:
        span = unparsed_cue(goal)
        if span is not None:
            severity = Severity.WARNING if goal.quantified else Severity.ERROR
            yield self.flag(span, message=self.message.format(text=span.text), severity=severity)


def _wants_criterion(goal: Sentence) -> bool:
    """Nothing quantified, nothing undefined, no placeholder, and not a postsecondary goal."""
    return not (
        goal.quantified or goal.undefined or goal.criterion_placeholder or goal.clause.postsecondary
    )


def _vague_criterion_spans(goal: Sentence) -> list[Span]:
    """Words like "consistently" that stand where the number should, outside other parts."""
    verb = goal.vague_verb.span if goal.vague_verb is not None else None
    tf = goal.timeframe
    return [
        span_of(goal.text, v.start, v.end)
        for v in vague_criterion_words(goal.text)
        if all(not overlaps(v.start, v.end, a.start, a.end) for a in goal.criteria)
        and not (goal.behavior is not None and v.start == goal.verb_at)
        and not (verb is not None and overlaps(v.start, v.end, verb.start, verb.end + 1))
        and not overlaps(v.start, v.end, *(tf.start, tf.end) if tf else (0, 0))
    ]


class VagueCriterion(GoalCheck):
    code = FlagCode.VAGUE_CRITERION
    severity = Severity.ERROR
    message = _('"{text}" does not say how well or how often.')
    suggestion = _('Use a number: "with 90% accuracy in 4 of 5 sessions".')
    citation = "Wisconsin DPI memo; Texas TEA guidance (PROGRESS.md 2)"

    def check(self, goal: Sentence) -> Iterable[Flag]:
        if _wants_criterion(goal) and (spans := _vague_criterion_spans(goal)):
            yield self.flag(spans[0], message=self.message.format(text=spans[0].text))


class NoCriterion(GoalCheck):
    code = FlagCode.NO_CRITERION
    severity = Severity.ERROR
    message = _("No criterion says how well or how often the behavior must occur.")
    suggestion = _('Add a criterion, e.g. "with 90% accuracy in 4 of 5 opportunities".')
    citation = "34 CFR 300.320(a)(2)(i) (measurable annual goals)"

    def check(self, goal: Sentence) -> Iterable[Flag]:
        if (
            _wants_criterion(goal)
            and goal.behavior is not None
            and not _vague_criterion_spans(goal)
            and unparsed_cue(goal) is None
        ):
            yield self.flag(fix=_insert_before_end(goal, " in 4 of 5 opportunities"))


def _insert_before_end(goal: Sentence, insert: str) -> Fix:
    text = goal.text
    positions = [len(text.rstrip().rstrip("."))]
    for span in (goal.measurement, goal.timeframe):
        if span is not None and span.start > len(text) // 2:
            positions.append(span.start)
    at = min(positions)
    while at > 0 and text[at - 1] in " ,":
        at -= 1
    return Fix(at, at, insert)
