"""State rule profiles: the timelines as data, read from tandem/rules/states/*.json and checked."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum
from functools import cache
from importlib.resources import files
from typing import TypedDict, TypeVar

from tandem.rules.calendar import CountStart, Exclusions, InvalidInput, Unit

FEDERAL = "US"
_STATE_CODE = re.compile(r"[A-Z]{2}")
_SCHOOL_YEAR = re.compile(r"(\d{4})-(\d{4})")
_MONTH_DAY = re.compile(r"(\d{2})-(\d{2})")


class ProfileError(ValueError):
    """A state data file is malformed; the message names the file and the key."""


class UnknownState(InvalidInput):
    """No profile exists for the state code given."""


class UnknownRule(InvalidInput):
    """No rule has the name given."""


class RuleNotInProfile(InvalidInput):
    """The state's law sets no such deadline (a rule only some states have)."""


class Rule(StrEnum):
    """The deadlines Tandem computes."""

    ASSESSMENT_PLAN = "assessment_plan"  # CA: the plan within 15 days of the referral
    INITIAL_EVALUATION = "initial_evaluation"
    INITIAL_IEP_MEETING = "initial_iep_meeting"
    ANNUAL_REVIEW = "annual_review"
    REEVALUATION = "reevaluation"
    REEVALUATION_NOT_BEFORE = "reevaluation_not_before"
    TRANSITION_SERVICES = "transition_services"
    TRANSFER_OF_RIGHTS = "transfer_of_rights"
    MEETING_NOTICE = "meeting_notice"
    PRIOR_WRITTEN_NOTICE = "prior_written_notice"
    RECORDS_INSPECTION = "records_inspection"
    PROGRESS_REPORT = "progress_report"
    SECTION_504_EVALUATION = "section_504_evaluation"  # district policy under 34 CFR 104.35
    SECTION_504_REEVALUATION = "section_504_reevaluation"
    SECTION_504_ANNUAL_REVIEW = "section_504_annual_review"


# Deadlines that exist only where a state's law sets one: a profile may leave them out, and the
# federal profile does (IDEA sets no day count for answering a referral).
OPTIONAL_RULES = frozenset({Rule.ASSESSMENT_PLAN})


class TollingMode(StrEnum):
    """What a stop-clock event (the parent does not produce the child) does to the timeline."""

    DOES_NOT_APPLY = "does_not_apply"  # 300.301(d)(1): the timeframe no longer applies
    EXTEND = "extend"  # the clock stops for the tolled days and the deadline moves out


class Anniversary(StrEnum):
    """Whether a yearly deadline is the anniversary itself or the day before it."""

    SAME_DAY = "same_day"
    DAY_BEFORE = "day_before"


class EndOfYearKey(StrEnum):
    """Which date an end-of-year rule's window is measured from."""

    TRIGGER = "trigger"  # the rule's own trigger (TX, MA, IL: consent)
    REFERRAL = "referral"  # the referral, which comes before consent (CA 56344(a))


class Anchor(StrEnum):
    """The date an end-of-year rule counts from."""

    NEXT_FIRST_DAY = "next_first_day"
    LAST_DAY = "last_day"
    FIXED = "fixed"  # a month and day in the year the school year ends (TX: June 30)


class Disability(StrEnum):
    """IDEA disability categories, 34 CFR 300.8(b)-(c)."""

    AUTISM = "autism"
    DEAF_BLINDNESS = "deaf_blindness"
    DEAFNESS = "deafness"
    DEVELOPMENTAL_DELAY = "developmental_delay"
    EMOTIONAL_DISTURBANCE = "emotional_disturbance"
    HEARING_IMPAIRMENT = "hearing_impairment"
    INTELLECTUAL_DISABILITY = "intellectual_disability"
    MULTIPLE_DISABILITIES = "multiple_disabilities"
    ORTHOPEDIC_IMPAIRMENT = "orthopedic_impairment"
    OTHER_HEALTH_IMPAIRMENT = "other_health_impairment"
    SPECIFIC_LEARNING_DISABILITY = "specific_learning_disability"
    SPEECH_OR_LANGUAGE_IMPAIRMENT = "speech_or_language_impairment"
    TRAUMATIC_BRAIN_INJURY = "traumatic_brain_injury"
    VISUAL_IMPAIRMENT = "visual_impairment"


@dataclass(frozen=True, slots=True)
class AbsenceExtension:
    """A state rule that extends the timeline by the student's absences (TX, FL)."""

    more_than: int  # absences above this number extend the deadline
    unit: Unit  # the unit the extension is counted in
    citation: str
    note: str = ""
    verify: bool = False


@dataclass(frozen=True, slots=True)
class EndOfYear:
    """A state rule for consent that arrives near the end of the school year."""

    window_unit: Unit  # how "days before the last day" are counted: calendar or school
    window_min: int  # the rule applies when the days left are within [min, max]
    window_max: int
    anchor: Anchor
    offset_days: int  # calendar days after the anchor (negative: before)
    month_day: tuple[int, int] | None
    absences_cancel: bool  # TX: an absence extension replaces the end-of-year date
    summary: str  # plain words: "the report is due by June 30"
    citation: str
    note: str = ""
    verify: bool = False
    keyed_on: EndOfYearKey = EndOfYearKey.TRIGGER


@dataclass(frozen=True, slots=True, kw_only=True)
class RuleSpec:
    """What every rule in a profile holds: its citation, notes and the date it takes effect."""

    rule: Rule
    citation: str
    effective_from: date
    trigger_label: str
    note: str = ""
    verify: bool = False  # the citation is marked K? in COMPLIANCE.md: check before relying on it
    policy_only: bool = False  # district policy, not law


@dataclass(frozen=True, slots=True, kw_only=True)
class CountRule(RuleSpec):
    """A timeline that runs forward from a trigger: N units after it."""

    days: int
    unit: Unit
    count_start: CountStart
    exclusions: Exclusions
    tolling: TollingMode | None = None  # None: the rule takes no stop-clock events
    tolling_citation: str = ""
    absence_extension: AbsenceExtension | None = None
    end_of_year: EndOfYear | None = None
    summer_moves_to_first_day: bool = False  # TX ARD: a summer 30th day moves to the first day


@dataclass(frozen=True, slots=True, kw_only=True)
class LeadTimeRule(RuleSpec):
    """A notice that must go out N units before an event: the answer is the last day to send."""

    days: int
    unit: Unit


@dataclass(frozen=True, slots=True, kw_only=True)
class CycleRule(RuleSpec):
    """A deadline some years after the last event (annual review, reevaluation)."""

    years: int
    anniversary: Anniversary
    waivable: bool = False
    years_by_disability: tuple[tuple[Disability, int], ...] = ()


@dataclass(frozen=True, slots=True, kw_only=True)
class AgeRule(RuleSpec):
    """A deadline at an age, counted from the date of birth."""

    age_months: int
    before_birthday: bool = False  # FL: "before the student attains the age of 14"
    age_of_majority: int | None = None  # set for transfer of rights: due one year before it


@dataclass(frozen=True, slots=True, kw_only=True)
class RecordsRule(RuleSpec):
    """A response to a records request: N units, or before the next meeting if sooner."""

    days: int
    unit: Unit
    before_next_meeting: bool


@dataclass(frozen=True, slots=True, kw_only=True)
class ScheduleRule(RuleSpec):
    """A deadline read from a schedule of dates (progress reports)."""


AnyRule = CountRule | LeadTimeRule | CycleRule | AgeRule | RecordsRule | ScheduleRule


@dataclass(frozen=True, slots=True)
class StateProfile:
    """One state's rule set (or the federal default), each rule with its citation."""

    code: str
    name: str
    effective_from: date
    source: str
    rules: Mapping[Rule, AnyRule] = field(compare=False)
    inherits: str | None = None
    inherited: frozenset[Rule] = frozenset()

    def spec(self, rule: Rule) -> AnyRule:
        """The rule's data in this profile; RuleNotInProfile where the law sets no such rule."""
        try:
            return self.rules[rule]
        except KeyError:
            where = "federal law" if self.code == FEDERAL else f"{self.name} law"
            raise RuleNotInProfile(
                f"{self.code} has no {rule.value} rule: {where} sets no such deadline in "
                "Tandem's data"
            ) from None

    def has(self, rule: Rule) -> bool:
        """True when this profile holds `rule` (every rule but the optional ones always is)."""
        return rule in self.rules


_KIND: dict[Rule, type[AnyRule]] = {
    Rule.ASSESSMENT_PLAN: CountRule,
    Rule.INITIAL_EVALUATION: CountRule,
    Rule.INITIAL_IEP_MEETING: CountRule,
    Rule.ANNUAL_REVIEW: CycleRule,
    Rule.REEVALUATION: CycleRule,
    Rule.REEVALUATION_NOT_BEFORE: CycleRule,
    Rule.TRANSITION_SERVICES: AgeRule,
    Rule.TRANSFER_OF_RIGHTS: AgeRule,
    Rule.MEETING_NOTICE: LeadTimeRule,
    Rule.PRIOR_WRITTEN_NOTICE: LeadTimeRule,
    Rule.RECORDS_INSPECTION: RecordsRule,
    Rule.PROGRESS_REPORT: ScheduleRule,
    Rule.SECTION_504_EVALUATION: CountRule,
    Rule.SECTION_504_REEVALUATION: CycleRule,
    Rule.SECTION_504_ANNUAL_REVIEW: CycleRule,
}

# The words an explanation uses for each rule's trigger; a state may say it its own way.
_TRIGGER_LABEL: dict[Rule, str] = {
    Rule.ASSESSMENT_PLAN: "the referral received",
    Rule.INITIAL_EVALUATION: "consent received",
    Rule.INITIAL_IEP_MEETING: "eligibility determined",
    Rule.ANNUAL_REVIEW: "the IEP meeting",
    Rule.REEVALUATION: "the last evaluation",
    Rule.REEVALUATION_NOT_BEFORE: "the last evaluation",
    Rule.TRANSITION_SERVICES: "birth",
    Rule.TRANSFER_OF_RIGHTS: "birth",
    Rule.MEETING_NOTICE: "the meeting",
    Rule.PRIOR_WRITTEN_NOTICE: "the proposed action",
    Rule.RECORDS_INSPECTION: "the request",
    Rule.PROGRESS_REPORT: "today",
    Rule.SECTION_504_EVALUATION: "consent to the 504 evaluation received",
    Rule.SECTION_504_REEVALUATION: "the last 504 evaluation",
    Rule.SECTION_504_ANNUAL_REVIEW: "the 504 plan meeting",
}


def parse_rule(name: str) -> Rule:
    """The Rule named `name`, or UnknownRule listing the choices."""
    try:
        return Rule(name.strip().lower())
    except ValueError:
        choices = ", ".join(rule.value for rule in Rule)
        raise UnknownRule(f"unknown rule {name!r}; choose one of: {choices}") from None


# --- reading the data files -----------------------------------------------------------------

_E = TypeVar("_E", bound=StrEnum)


class _Node:
    """One JSON object in a data file; every read names its path, and unknown keys are errors."""

    def __init__(self, value: object, *, source: str, path: str) -> None:
        if not isinstance(value, dict):
            raise ProfileError(f"{source}: {path}: expected a JSON object")
        self.value: dict[str, object] = {str(k): v for k, v in value.items()}
        self.source, self.path = source, path
        self.seen: set[str] = set()

    def error(self, key: str, message: str) -> ProfileError:
        where = f"{self.path}.{key}" if self.path else key
        return ProfileError(f"{self.source}: {where}: {message}")

    def get(self, key: str) -> object:
        self.seen.add(key)
        return self.value.get(key)

    def has(self, key: str) -> bool:
        return key in self.value

    def string(self, key: str, default: str | None = None) -> str:
        value = self.get(key)
        if value is None and default is not None:
            return default
        if not isinstance(value, str) or not value.strip():
            raise self.error(key, "expected a non-empty string")
        return value

    def integer(self, key: str, *, minimum: int = 0, default: int | None = None) -> int:
        value = self.get(key)
        if value is None and default is not None:
            return default
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.error(key, "expected a whole number")
        if value < minimum:
            raise self.error(key, f"must be at least {minimum}")
        return value

    def optional_integer(self, key: str, *, minimum: int = 0) -> int | None:
        return None if self.get(key) is None else self.integer(key, minimum=minimum)

    def boolean(self, key: str, default: bool = False) -> bool:
        value = self.get(key)
        if value is None:
            return default
        if not isinstance(value, bool):
            raise self.error(key, "expected true or false")
        return value

    def choice(self, key: str, kind: type[_E], default: _E | None = None) -> _E:
        value = self.get(key)
        if value is None and default is not None:
            return default
        try:
            if not isinstance(value, str):
                raise ValueError
            return kind(value)
        except ValueError:
            choices = ", ".join(member.value for member in kind)
            raise self.error(key, f"expected one of {choices}; got {value!r}") from None

    def day(self, key: str, default: date | None = None) -> date:
        value = self.get(key)
        if value is None and default is not None:
            return default
        if isinstance(value, str):
            if school_year := _SCHOOL_YEAR.fullmatch(value):
                start, end = int(school_year[1]), int(school_year[2])
                if end == start + 1:
                    return date(start, 7, 1)  # a school year "2013-2014" starts on July 1
            else:
                try:
                    return date.fromisoformat(value)
                except ValueError:
                    pass
        raise self.error(key, "expected a date YYYY-MM-DD or a school year YYYY-YYYY")

    def child(self, key: str) -> _Node | None:
        value = self.get(key)
        if value is None:
            return None
        return _Node(value, source=self.source, path=f"{self.path}.{key}" if self.path else key)

    def done(self) -> None:
        unknown = sorted(set(self.value) - self.seen)
        if unknown:
            raise self.error(unknown[0], "unknown key")


class _Common(TypedDict):
    rule: Rule
    citation: str
    effective_from: date
    trigger_label: str
    note: str
    verify: bool
    policy_only: bool


def _common(node: _Node, rule: Rule, effective_from: date) -> _Common:
    return {
        "rule": rule,
        "citation": node.string("citation"),
        "effective_from": node.day("effective_from", effective_from),
        "trigger_label": node.string("trigger_label", _TRIGGER_LABEL[rule]),
        "note": node.string("note", ""),
        "verify": node.boolean("verify"),
        "policy_only": node.boolean("policy_only"),
    }


def _exclusions(node: _Node) -> Exclusions:
    raw = node.child("exclusions")
    if raw is None:
        raise node.error("exclusions", "required (use {} for none)")
    result = Exclusions(
        summer=raw.boolean("summer"),
        breaks_longer_than=raw.optional_integer("breaks_longer_than"),
    )
    raw.done()
    return result


def _absence_extension(node: _Node) -> AbsenceExtension | None:
    raw = node.child("absence_extension")
    if raw is None:
        return None
    result = AbsenceExtension(
        more_than=raw.integer("more_than"),
        unit=raw.choice("unit", Unit),
        citation=raw.string("citation"),
        note=raw.string("note", ""),
        verify=raw.boolean("verify"),
    )
    raw.done()
    return result


def _end_of_year(node: _Node) -> EndOfYear | None:
    raw = node.child("end_of_year")
    if raw is None:
        return None
    window_unit = raw.choice("window_unit", Unit)
    if window_unit is Unit.BUSINESS:
        raise raw.error("window_unit", "expected calendar or school")
    window_min, window_max = raw.integer("window_min"), raw.integer("window_max")
    if window_max < window_min:
        raise raw.error("window_max", "must not be less than window_min")
    anchor = raw.choice("anchor", Anchor)
    month_day: tuple[int, int] | None = None
    if anchor is Anchor.FIXED:
        text = raw.string("month_day")
        match = _MONTH_DAY.fullmatch(text)
        try:
            if match is None:
                raise ValueError
            date(2001, int(match[1]), int(match[2]))
        except ValueError:
            raise raw.error("month_day", "expected MM-DD, e.g. 06-30") from None
        month_day = (int(match[1]), int(match[2]))
    keyed_on = raw.choice("keyed_on", EndOfYearKey, EndOfYearKey.TRIGGER)
    if keyed_on is EndOfYearKey.REFERRAL and window_unit is not Unit.CALENDAR:
        raise raw.error("keyed_on", "a window keyed on the referral counts calendar days")
    if keyed_on is EndOfYearKey.REFERRAL and anchor is not Anchor.NEXT_FIRST_DAY:
        raise raw.error("keyed_on", "a window keyed on the referral counts from next_first_day")
    result = EndOfYear(
        keyed_on=keyed_on,
        window_unit=window_unit,
        window_min=window_min,
        window_max=window_max,
        anchor=anchor,
        offset_days=raw.integer("offset_days", minimum=-366, default=0),
        month_day=month_day,
        absences_cancel=raw.boolean("absences_cancel"),
        summary=raw.string("summary"),
        citation=raw.string("citation"),
        note=raw.string("note", ""),
        verify=raw.boolean("verify"),
    )
    raw.done()
    return result


def _parse_rule(node: _Node, rule: Rule, effective_from: date) -> AnyRule:
    common = _common(node, rule, effective_from)
    kind = _KIND[rule]
    spec: AnyRule
    if kind is CountRule:
        tolling = node.choice("tolling", TollingMode) if node.has("tolling") else None
        spec = CountRule(
            **common,
            days=node.integer("days", minimum=1),
            unit=node.choice("unit", Unit),
            count_start=node.choice("count_start", CountStart),
            exclusions=_exclusions(node),
            tolling=tolling,
            tolling_citation=node.string("tolling_citation") if tolling else "",
            absence_extension=_absence_extension(node),
            end_of_year=_end_of_year(node),
            summer_moves_to_first_day=node.boolean("summer_moves_to_first_day"),
        )
    elif kind is LeadTimeRule:
        spec = LeadTimeRule(
            **common,
            days=node.integer("days"),
            unit=node.choice("unit", Unit),
        )
    elif kind is CycleRule:
        by_disability: list[tuple[Disability, int]] = []
        raw = node.child("years_by_disability")
        if raw is not None:
            for key in sorted(raw.value):
                try:
                    disability = Disability(key)
                except ValueError:
                    choices = ", ".join(member.value for member in Disability)
                    raise raw.error(key, f"unknown disability; use one of {choices}") from None
                by_disability.append((disability, raw.integer(key, minimum=1)))
            raw.done()
        spec = CycleRule(
            **common,
            years=node.integer("years", minimum=1),
            anniversary=node.choice("anniversary", Anniversary),
            waivable=node.boolean("waivable"),
            years_by_disability=tuple(by_disability),
        )
    elif kind is AgeRule:
        majority = node.optional_integer("age_of_majority", minimum=2)
        if rule is Rule.TRANSFER_OF_RIGHTS:
            if majority is None:
                raise node.error("age_of_majority", "required for transfer_of_rights")
            months = (majority - 1) * 12  # 300.320(c): one year before the age of majority
        elif node.has("age_months") == node.has("age_years"):
            raise node.error("age_years", "give exactly one of age_years or age_months")
        elif node.has("age_months"):
            months = node.integer("age_months", minimum=1)
        else:
            months = node.integer("age_years", minimum=1) * 12
        spec = AgeRule(
            **common,
            age_months=months,
            before_birthday=node.boolean("before_birthday"),
            age_of_majority=majority,
        )
    elif kind is RecordsRule:
        spec = RecordsRule(
            **common,
            days=node.integer("days", minimum=1),
            unit=node.choice("unit", Unit),
            before_next_meeting=node.boolean("before_next_meeting"),
        )
    else:
        spec = ScheduleRule(**common)
    node.done()
    return spec


def parse_profile(data: object, *, source: str, base: StateProfile | None = None) -> StateProfile:
    """A StateProfile from parsed JSON; rules the data omits come from `base` (the federal one)."""
    top = _Node(data, source=source, path="")
    code = top.string("state")
    if not _STATE_CODE.fullmatch(code):
        raise top.error("state", f"expected a two-letter code in capitals; got {code!r}")
    name = top.string("name")
    effective_from = top.day("effective_from")
    inherits = top.get("inherits")
    if inherits is not None and (base is None or inherits != base.code):
        raise top.error("inherits", f"can only name {FEDERAL!r}; got {inherits!r}")
    top.string("description", "")  # free text for people reading the file
    raw_rules = top.child("rules")
    if raw_rules is None:
        raise top.error("rules", "required")
    rules: dict[Rule, AnyRule] = {}
    for key in raw_rules.value:
        try:
            rule = Rule(key)
        except ValueError:
            raise raw_rules.error(key, "unknown rule") from None
        child = raw_rules.child(key)
        assert child is not None
        rules[rule] = _parse_rule(child, rule, effective_from)
    raw_rules.done()
    top.done()
    inherited: set[Rule] = set()
    for rule in Rule:
        if rule in rules:
            continue
        if rule in OPTIONAL_RULES and (base is None or rule not in base.rules):
            continue  # the state's law sets no such deadline
        if inherits is None or base is None:
            raise raw_rules.error(rule.value, "missing (a profile that inherits nothing needs it)")
        rules[rule] = base.rules[rule]
        inherited.add(rule)
    return StateProfile(
        code=code,
        name=name,
        effective_from=effective_from,
        source=source,
        rules=rules,
        inherits=base.code if inherits is not None and base is not None else None,
        inherited=frozenset(inherited),
    )


def _read(code: str) -> object:
    resource = files("tandem.rules").joinpath("states", f"{code}.json")
    source = f"tandem/rules/states/{code}.json"
    try:
        text = resource.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise UnknownState(
            f"unknown state {code!r}; profiles exist for: {', '.join(available_states())}"
        ) from None
    try:
        data: object = json.loads(text)
    except json.JSONDecodeError as error:
        raise ProfileError(f"{source}: not valid JSON (line {error.lineno}: {error.msg})") from None
    return data


@cache
def available_states() -> tuple[str, ...]:
    """The state codes that have a data file, federal first."""
    codes = sorted(
        entry.name.removesuffix(".json")
        for entry in files("tandem.rules").joinpath("states").iterdir()
        if entry.name.endswith(".json")
    )
    return tuple(sorted(codes, key=lambda code: (code != FEDERAL, code)))


@cache
def load_profile(code: str) -> StateProfile:
    """The profile for a two-letter state code ('US' is federal), read once and cached."""
    wanted = code.strip().upper()
    if not _STATE_CODE.fullmatch(wanted):
        raise UnknownState(f"unknown state {code!r}: use a two-letter code such as US, CA or TX")
    source = f"tandem/rules/states/{wanted}.json"
    base = None if wanted == FEDERAL else load_profile(FEDERAL)
    profile = parse_profile(_read(wanted), source=source, base=base)
    if profile.code != wanted:
        raise ProfileError(f"{source}: state: says {profile.code!r}, but the file is {wanted}")
    return profile
