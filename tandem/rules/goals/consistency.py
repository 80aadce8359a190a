"""Checks that the criteria can be met together, and that discrete skills aim at mastery."""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Iterator

from tandem.rules.goals.checks import GoalCheck
from tandem.rules.goals.lexicon import NUM, counted, parse_int, parse_number, rx, span_of
from tandem.rules.goals.model import (
    Accuracy,
    BaselineToTarget,
    Comparator,
    Criterion,
    ErrorLimit,
    Fix,
    Flag,
    FlagCode,
    IntervalPercent,
    ItemCount,
    MOfN,
    MofNReading,
    Reduction,
    Severity,
    Span,
    _,
    fmt,
)
from tandem.rules.goals.sentence import Sentence

# --------------------------------------------------------------------------- inconsistent criteria


class _Inconsistent(GoalCheck):
    code = FlagCode.INCONSISTENT_CRITERIA
    severity = Severity.ERROR
    citation = "PROGRESS.md 2: internally inconsistent criteria"


class CountAboveTotal(_Inconsistent):
    """ "6 of 5 trials", "120% accuracy": a criterion nobody can reach."""

    message = _('"{text}": {m} cannot be more than {n}.')
    suggestion = _("Swap or correct the numbers.")
    percent_message = _('"{text}": a percent above 100 cannot be reached.')
    percent_suggestion = _("Use a percent from 0 to 100.")

    def check(self, goal: Sentence) -> Iterable[Flag]:
        for a in goal.criteria:
            span = span_of(goal.text, a.start, a.end)
            if isinstance(a, MOfN) and a.m > a.n:
                yield self.flag(span, message=self.message.format(text=a.text, m=a.m, n=a.n))
            if isinstance(a, ItemCount) and a.of is not None and a.count > a.of:
                yield self.flag(span, message=self.message.format(text=a.text, m=a.count, n=a.of))
            if isinstance(a, Accuracy | IntervalPercent) and a.percent > 100:
                yield self.flag(
                    span,
                    message=self.percent_message.format(text=a.text),
                    suggestion=self.percent_suggestion,
                )


_N_ITEMS = rx(
    rf"\b(?P<n>{NUM})[- ](?:item|problem|question|word)s?\b|\bof\s+(?P<n2>{NUM})\s+"
    r"(?:items|problems|questions|words)\b"
)
_N_ITEMS_IN_BEHAVIOR = rx(
    rf"(?<!\bof\s)\b(?P<n>{NUM})\s+(?:[\w-]+\s+){{0,2}}?(?:items|problems|questions|words|facts)\b"
)


def _number_of_items(goal: Sentence, items: ItemCount | None) -> int | None:
    """How many items a probe has: "of 20", "a 20-item probe", "solve 20 problems"."""
    if items is not None:
        return items.of
    if (m := _N_ITEMS.search(goal.text)) is not None:
        return parse_int(m.group("n") or m.group("n2"))
    if goal.behavior is not None and (m := _N_ITEMS_IN_BEHAVIOR.search(goal.behavior.text)):
        return parse_int(m.group("n"))
    return None


def _first_items(goal: Sentence) -> ItemCount | None:
    return next((a for a in goal.criteria if isinstance(a, ItemCount) and a.of is not None), None)


class ErrorsAgainstAccuracy(_Inconsistent):
    """ "90% accuracy with no more than 4 errors": do the two limits agree?"""

    # {errors} and {items} are counted words ("1 error", "2 errors"), never "1 errors".
    message = _("{errors} on {items} is {acc}% accuracy, below the {p}% also required.")
    suggestion = _("Keep one criterion, or make them agree: at most {most}.")
    none_allowed = _("{p}% accuracy allows no errors, but the goal also allows {errors}.")
    unknown_items = _(
        "Two limits on the same items: {errors} and {p}% accuracy agree only on "
        "probes of at least {items}, and the number of items is not stated."
    )

    def check(self, goal: Sentence) -> Iterable[Flag]:
        accuracy = next((a for a in goal.criteria if isinstance(a, Accuracy)), None)
        errors = next(
            (a for a in goal.criteria if isinstance(a, ErrorLimit) and a.max_errors is not None),
            None,
        )
        if accuracy is None or errors is None or errors.max_errors is None:
            return
        n_items = _number_of_items(goal, _first_items(goal))
        span = span_of(goal.text, min(accuracy.start, errors.start), max(accuracy.end, errors.end))
        yield from self._judge(accuracy.percent, errors, errors.max_errors, n_items, span)

    def _judge(
        self, p: float, errors: ErrorLimit, e: int, n_items: int | None, span: Span
    ) -> Iterator[Flag]:
        allowed_share = max(0.0, 100.0 - p)
        if n_items:
            implied = math.floor(n_items * allowed_share / 100 + 1e-9)
            if e > implied:
                acc = fmt(round(100 * (n_items - e) / n_items, 1))
                most = counted(implied, "error", "errors")
                yield self.flag(
                    span,
                    Fix(errors.start, errors.end, f"no more than {most}"),
                    message=self.message.format(
                        errors=counted(e, "error", "errors"),
                        items=counted(n_items, "item", "items"),
                        acc=acc,
                        p=fmt(p),
                    ),
                    suggestion=self.suggestion.format(most=most),
                )
        elif allowed_share == 0 and e > 0:
            yield self.flag(
                span,
                message=self.none_allowed.format(p=fmt(p), errors=counted(e, "error", "errors")),
                suggestion=_("Keep one criterion."),
            )
        elif e > 0:
            need = math.ceil(e * 100 / allowed_share - 1e-9)
            yield self.flag(
                span,
                message=self.unknown_items.format(
                    errors=counted(e, "error", "errors"),
                    p=fmt(p),
                    items=counted(need, "item", "items"),
                ),
                suggestion=_("State the number of items, or keep one criterion."),
                severity=Severity.WARNING,
            )


class CountAgainstPercent(_Inconsistent):
    """ "with 90% accuracy" and "8 of 10 problems" (80%) cannot both be the criterion."""

    message = _('"{a}" and "{b}" ({r}%) disagree.')
    suggestion = _("Make the percent and the count agree.")

    def check(self, goal: Sentence) -> Iterable[Flag]:
        accuracy = next((a for a in goal.criteria if isinstance(a, Accuracy)), None)
        items = _first_items(goal)
        if accuracy is None or items is None or not items.of:
            return
        ratio = 100 * items.count / items.of
        if abs(ratio - accuracy.percent) > 0.5 and items.start > accuracy.start - 80:
            yield self.flag(
                span_of(goal.text, min(accuracy.start, items.start), max(accuracy.end, items.end)),
                message=self.message.format(a=accuracy.text, b=items.text, r=fmt(round(ratio, 1))),
            )


_DECREASE_VERB = rx(r"^(?:decrease|reduce|lower|minimize|limit|eliminate|shorten)")
_INCREASE_VERB = rx(r"^(?:increase|improve|raise|expand|extend|lengthen)")


class VerbAgainstTarget(_Inconsistent):
    """ "reduce call-outs from 4 to 8": the verb and the numbers go opposite ways."""

    message = _('The verb says {v} but "{t}" goes the other way.')
    suggestion = _("Check the baseline and the target, or the verb.")

    def check(self, goal: Sentence) -> Iterable[Flag]:
        if goal.behavior is None:
            return
        head = goal.text[goal.verb_at : goal.behavior.end]
        down = _DECREASE_VERB.match(head) is not None
        up = _INCREASE_VERB.match(head) is not None
        for a in goal.criteria:
            rises = (
                isinstance(a, BaselineToTarget) and a.baseline is not None and a.target is not None
            )
            falls = isinstance(a, Reduction) and a.baseline is not None
            if (down and rises) or (up and falls):
                yield self.flag(
                    span_of(goal.text, a.start, a.end),
                    message=self.message.format(
                        v=_("decrease") if down else _("increase"), t=a.text
                    ),
                )


# --------------------------------------------------------------------------- mastery level

# Skills taught and checked as discrete trials (PROGRESS.md 1.7: criteria below 90% maintain worse).
DISCRETE = rx(
    r"(?<!\w)/[a-z]{1,3}/|\b(?:sight\s+words?|high[- ]frequency\s+words?|dolch|fry\s+(?:list|words?)|letter\s+names?|"
    r"letter[- ]sounds?|letter\s+sound|letters?\s+of\s+the\s+alphabet|alphabet|cvc\s+words?|"
    r"(?:math|addition|subtraction|multiplication|division|basic)\s+facts?|"
    r"number\s+(?:identification|recognition)|numerals?|coins?|colou?rs|shapes|"
    r"spelling\s+words?|vocabulary\s+words?|consonant\s+blends?|digraphs?|"
    r"phonemes?|rhym(?:e|es|ing)\s+words?|consonants?|vowels?|"
    r"(?:identify|name|label)\s+(?:\w+\s+){0,2}(?:letters|numbers|colors|shapes|pictures|objects))"
)

_DISCRETE_UNITS = ("opportunities", "trials", "attempts", "responses", "productions")


class BelowMasteryThreshold(GoalCheck):
    """A discrete skill (sight words, math facts, letter sounds) mastered below 90%."""

    code = FlagCode.BELOW_MASTERY_THRESHOLD
    severity = Severity.WARNING
    message = _(
        "{p}% is below 90% for a discrete skill; mastery at 80% tends not to last "
        "(Longino, Richling et al. 2021; Bangor 2021; PROGRESS.md 1.7)."
    )
    count_message = _(
        "{m} of {n} is below 90% for a discrete skill; mastery at 80% tends not to "
        "last (Longino, Richling et al. 2021; Bangor 2021; PROGRESS.md 1.7)."
    )
    suggestion = _("Use 90% or higher for discrete skills.")
    citation = "Longino, Richling et al. 2021; Bangor 2021 (PROGRESS.md 1.7)"

    def check(self, goal: Sentence) -> Iterable[Flag]:
        parts = (goal.behavior, goal.clause.condition)
        scope = " ".join(s.text for s in parts if s is not None) or goal.text
        if not DISCRETE.search(scope):
            return
        for a in goal.criteria:
            if (flag := self._below(goal.text, a)) is not None:
                yield flag
                return

    def _below(self, text: str, a: Criterion) -> Flag | None:
        span = span_of(text, a.start, a.end)
        if isinstance(a, Accuracy) and a.percent < 90:
            num = re.search(NUM, a.text, re.IGNORECASE)
            fix = None
            if num is not None and a.percent == parse_number(num.group(0)):
                fix = Fix(a.start + num.start(), a.start + num.end(), "90")
            return self.flag(span, fix, message=self.message.format(p=fmt(a.percent)))
        if (
            isinstance(a, IntervalPercent)
            and a.comparator is Comparator.MIN
            and a.percent < 90
            and a.of.split()[-1] in _DISCRETE_UNITS
        ):
            return self.flag(span, message=self.message.format(p=fmt(a.percent)))
        if isinstance(a, ItemCount) and a.of:
            count, of, unit = a.count, a.of, a.unit
        elif isinstance(a, MOfN) and a.reading is MofNReading.ITEMS and a.n:
            count, of, unit = a.m, a.n, a.unit
        else:
            return None
        if 100 * count / of >= 90:
            return None
        better = f"{math.ceil(0.9 * of)} of {of}" + (f" {unit}" if unit else "")
        return self.flag(
            span, Fix(a.start, a.end, better), message=self.count_message.format(m=count, n=of)
        )
