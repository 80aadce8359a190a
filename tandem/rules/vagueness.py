"""Vague wording, one check for goals and accommodations: words a stranger could not observe.

Goals: a behavior must be an action a stranger could see and count (the "stranger test", Bateman &
Herr; Hedin & DeSpain 2018), not a verb of understanding ("improve", "know", "be aware"), not a
construct ("increase reading skills"), not an adverb of quality ("appropriately"), and the
criterion must be a number, not a word ("consistently", "with mastery"; Wisconsin DPI memo, all in
PROGRESS.md 2). Accommodations: "as needed" must say who decides and when (34 CFR 300.320(a)(4)
requires the team to state the supports; a condition nobody can check is not one).

Pure Python; the goal checker (tandem.rules.goals) and the plan editor both call this module.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

__all__ = [
    "Activity",
    "LeadKind",
    "Vague",
    "VagueLead",
    "activity_lead",
    "process_words",
    "vague_condition",
    "vague_criterion_words",
    "vague_lead",
]


def _rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


# --------------------------------------------------------------------------- behaviors (goals)

# Verbs and phrases that name no observable action.
VAGUE_VERB = _rx(
    r"^(?:improve[sd]?|enhance|develop|strengthen|understand|know|learn(?!\s+to)|appreciate|grasp|"
    r"comprehend|realize|gain|build|foster|grow|progress|explore|experience|feel|believe|value|think|"
    r"try|master|internalize|cooperate|respect|self-regulate|cope|behave|get\s+better|get\s+along|"
    r"self-advocate|advocate\s+for\s+(?:himself|herself|themselves|oneself|his|her|their)|"
    r"recognize\s+the\s+(?:importance|value|need|benefits?)\s+of|"
    r"stay\s+(?:organized|focused|calm|motivated|engaged|on\s+track|out\s+of\s+trouble)|"
    r"stop\s+(?:being|misbehaving|acting\s+out)|"
    r"make\s+(?:new\s+|more\s+)?friends|do\s+(?:math|better|well|his|her|their|work|reading|writing)|"
    r"communicate\s+(?:(?:his|her|their)\s+)?(?:wants|needs)|"
    r"manage\s+(?:his|her|their|emotions|behaviou?rs?|feelings|anger|frustration|stress)|"
    r"control\s+(?:his|her|their)|act\s+appropriately|"
    r"make\s+(?:progress|gains|improvements?|good\s+choices|better\s+choices|appropriate\s+choices|"
    r"positive\s+choices)|show\s+(?:improvement|improved|growth|progress|understanding|an\s+understanding|"
    r"knowledge|awareness|interest|respect|appropriate|more|increased|better)|"
    r"demonstrate\s+(?:an?\s+)?(?:understanding|better|basic\s+understanding|knowledge|awareness|"
    r"improvement|improved|growth|progress|mastery|proficiency|competence|competency|skills?|"
    r"appropriate|age[- ]appropriate|increased|comprehension|grade[- ]level\s+skills|readiness)|"
    r"display\s+(?:appropriate|improved|better|positive)|exhibit\s+(?:appropriate|improved|better|"
    r"positive)|have\s+(?:better|improved|fewer|more|a\s+better|positive)|"
    r"be\s+(?:aware|familiar|more|better|exposed|respectful|responsible|polite|kind|nice|good|successful|"
    r"appropriate|cooperative|prepared|ready|organized|focused|attentive|exposed|a\s+better|"
    r"intelligible|understood|motivated|engaged|independent|confident|safe|calm|"
    r"able\s+to\s+(?:understand|know|appreciate))|become\s+(?:more|better|aware|familiar|"
    r"independent|proficient|successful|a\s+better)|work\s+on|work\s+towards?|"
    r"participate\s+appropriately|interact\s+appropriately|respond\s+appropriately|"
    r"play\s+appropriately|communicate\s+(?:effectively|appropriately|better)|"
    r"use\s+(?:[\w-]+\s+){0,2}?strategies\b(?!\s*(?:\(|:|such\s+as|including|e\.g\.))|"
    r"use\s+(?:(?:appropriate|good|better|age[- ]appropriate|his|her|their|social|coping|"
    r"self-regulation|organizational|study|communication)\s+)+(?:skills|strategies|behaviou?rs?|"
    r"manners|language)\b(?!\s*(?:\(|:|such\s+as|including|e\.g\.))|use\s+appropriate)\b"
)
# "increase", "reduce" ...: vague only when what changes is a construct nobody can count.
CHANGE_VERB = _rx(
    r"^(?P<verb>increase[sd]?|decrease[sd]?|reduce[sd]?|raise[sd]?|lower|minimize|limit|eliminate|"
    r"maximize|expand|extend|lengthen|shorten|improve[sd]?)\b"
)
CONSTRUCT = _rx(
    r"\b(?:skills?|abilit(?:y|ies)|performance|understanding|knowledge|awareness|confidence|"
    r"self[- ]esteem|independence|functioning|proficiency|competence|achievement|fluency|"
    r"comprehension|vocabulary|intelligibility|attention|focus|compliance|self[- ]control|"
    r"communication|behaviou?rs?|participation|engagement|motivation|effort|organization|work\s+habits|"
    r"social\s+interactions?|interactions|relationships|expressive\s+language|receptive\s+language|"
    r"language|expression|articulation|speech|pragmatics|self[- ]regulation|coping|"
    r"self[- ]advocacy|study\s+habits|attendance|productivity|accuracy)\b"
)
# Words that define a construct or a vague verb right away.
DEFINED = _rx(
    r"\(|:\s|\bsuch\s+as\b|\bincluding\b|\bdefined\s+as\b|\be\.g\.|\bi\.e\.|\bas\s+evidenced\s+by\b|"
    r"\bspecifically\b|\bthe\s+number\s+of\b|\bnumber\s+of\b|\bby\s+[a-z]+ing\b"
)
VAGUE_BEHAVIOR = _rx(
    r"\b(?:aggressive|disruptive|inappropriate|off[- ]task|negative|problem|challenging|maladaptive|"
    r"unsafe|noncompliant|non-compliant|self-injurious|appropriate|positive|undesired|unexpected|"
    r"target|interfering)\s+behaviou?rs?\b|\bbehaviou?rs?\b|\bbehaviou?r\s+problems\b"
)
VAGUE_OBJECT = _rx(
    r"^(?:\S+\s+){0,3}?(?:appropriately|appropriate|age[- ]appropriate|better|improved|effectively)\b"
    r"|^\S+\s+(?:more|better|neater|faster|harder|clearer|louder|quieter|nicer)\b(?!\s+than\s+[0-9])"
)
_BY_CLAUSE = _rx(r"\bby\s+(?P<adv>[a-z]+ly\s+)?(?P<ger>[a-z]+ing)\b")
_STRATEGIES_LISTED = _rx(
    r"use\s+(?:[\w-]+\s+){0,3}?(?:skills|strategies)\s*(?:\(|:|such\s+as|including|e\.g\.)"
)


class LeadKind(StrEnum):
    VERB = "verb"  # "improve", "understand", "be more responsible"
    CONSTRUCT = "construct"  # "increase reading skills"
    OBJECT = "object"  # "play appropriately", "write neater"


@dataclass(frozen=True, slots=True)
class VagueLead:
    """The vague words a behavior starts with, and what may still make it observable."""

    text: str  # the vague words, from the start of the behavior
    kind: LeadKind
    defined: bool  # VERB, OBJECT: the words that follow say what is done ("by reading ...")
    names_behavior: bool  # CONSTRUCT: a class of behavior ("off-task behavior"), not a skill
    by_clause: tuple[str, str, int] | None  # (adverb, gerund, end): "by reading" -> "read"


def vague_lead(words: str) -> VagueLead | None:
    """The vague lead of a behavior ("improve", "increase reading skills"), or None."""
    by = _BY_CLAUSE.search(words)
    by_clause = None if by is None else (by.group("adv") or "", by.group("ger"), by.end("ger"))
    if (head := VAGUE_VERB.match(words)) is not None:
        defined = by is not None or _STRATEGIES_LISTED.match(words) is not None
        return VagueLead(head.group(0), LeadKind.VERB, defined, False, by_clause)
    if (change := CHANGE_VERB.match(words)) is not None:
        obj = words[change.end() :]
        if CONSTRUCT.search(obj[:80]) is None or DEFINED.search(obj) is not None:
            return None
        behavior = VAGUE_BEHAVIOR.search(obj[:80]) is not None
        return VagueLead(change.group(0), LeadKind.CONSTRUCT, False, behavior, by_clause)
    if (near := VAGUE_OBJECT.match(words)) is not None:
        defined = DEFINED.search(words) is not None
        return VagueLead(near.group(0), LeadKind.OBJECT, defined, False, by_clause)
    return None


# --------------------------------------------------------------------------- activities (goals)

# Taking part in a service is what the school provides, not what the student will be able to do
# (Bateman & Herr; Wrightslaw, SMART IEPs): "participate in speech therapy", "attend counseling".
_SERVICE = (
    r"(?:[\w-]+\s+){0,4}(?:therapy|therapies|sessions?|counseling|interventions?|instruction|"
    r"services?|tutoring|programs?|physical\s+education|P\.?E\.?|shadowing|field\s+trips?|speech|"
    r"social\s+skills\s+groups?|lunch\s+bunch)\b"
)
_STAFF = (
    r"(?:the\s+|his\s+|her\s+|their\s+|an?\s+)?(?:[\w-]+\s+){0,2}?(?:teacher|therapist|SLP|OT|PT|"
    r"counselor|psychologist|aide|para(?:professional)?|specialist|interventionist|tutor|staff)\b"
)
ACTIVITY = _rx(
    rf"^(?:(?:participate|take\s+part|engage)\s+in|attend(?!\s+to\b)|receive|go\s+to)\s+{_SERVICE}"
    rf"|^work\s+with\s+{_STAFF}|^learn\s+about\b|^be\s+(?:provided|exposed\s+to|taught\s+about)\b"
)
# Words of learning before the action: the process, not the outcome ("learn to tie his shoes").
PROCESS = _rx(r"(?:^|\b)(?:learn|be\s+taught)\s+(?:how\s+)?to\s+")


@dataclass(frozen=True, slots=True)
class Activity:
    """A behavior that names an activity, or the process of learning, instead of an outcome."""

    start: int
    end: int
    text: str
    process: bool  # "learn to ...": the outcome follows and may be observable


def activity_lead(words: str) -> Activity | None:
    """The activity a behavior opens with ("participate in speech therapy"), or None."""
    if (m := ACTIVITY.match(words)) is not None:
        return Activity(m.start(), m.end(), m.group(0), process=False)
    return None


def process_words(words: str) -> Activity | None:
    """Words of learning in the lead of a behavior ("learn to", "be taught how to"), or None."""
    if (m := PROCESS.search(words)) is not None:
        return Activity(m.start(), m.end(), m.group(0), process=True)
    return None


# --------------------------------------------------------------------------- findings


@dataclass(frozen=True, slots=True)
class Vague:
    """Vague words found in a text: `text == source[start:end]`."""

    start: int
    end: int
    text: str
    field: str = "text"  # which of the caller's fields holds them ("text" or "when")


def _found(source: str, m: re.Match[str], field: str = "text") -> Vague:
    return Vague(m.start(), m.end(), source[m.start() : m.end()], field)


# --------------------------------------------------------------------------- criteria (goals)

# Words that sound like a criterion but give no number (Wisconsin DPI; TEA guidance).
VAGUE_CRITERION = _rx(
    r"\bwith\s+(?:mastery|proficiency|success|competence|fluency)\b|\bto\s+mastery\b|\bmastery\b|"
    r"\bto\s+(?:the\s+)?(?:teacher'?s?|staff'?s?|therapist'?s?|adult'?s?)\s+satisfaction\b|"
    r"\bsatisfactor(?:y|ily)\b|\bpassing\s+(?:grade|score|mark)\b|\ba\s+grade\s+of\s+[A-D][+-]?"
    r"(?:\s+or\s+(?:better|higher|above))?|\bacceptable\s+level\b|\badequate(?:ly)?\b|"
    r"\bconsistently\b|\bmost\s+of\s+the\s+time\b|\bthe\s+majority\s+of\s+the\s+time\b|\busually\b|"
    r"\bregularly\b|\bfrequently\b|\boften\b|\bsuccessfully\b|\bas\s+appropriate\b|\bproficient(?:ly)?\b|"
    r"\bfluently\b|\blegibl[ey]\b|\bneatly\b|\bappropriate(?:ly)?\b|\bmaster\b"
)


def vague_criterion_words(text: str) -> list[Vague]:
    """Every word in `text` that stands where a number of the criterion should."""
    return [_found(text, m) for m in VAGUE_CRITERION.finditer(text)]


# --------------------------------------------------------------------------- conditions

# "as needed" and its kin: the words of the goal checker and of the plan editor, together.
VAGUE_CONDITION = _rx(
    r"\b(?:as|when|if|where)\s+(?:needed|necessary|appropriate|required|possible|warranted|"
    r"requested|deemed\s+(?:necessary|appropriate|needed))\b|\bas\s+deemed\s+(?:necessary|appropriate)\b|"
    r"\bat\s+(?:the\s+)?(?:teacher'?s?|staff'?s?)\s+discretion\b|\bwhen\s+available\b|"
    r"\bupon\s+request\b|\bon\s+request\b"
)
# Wording that says who decides ("Sam asks", "at the student's request") ...
WHO = _rx(
    r"\b(?:student|he|she|they|(?-i:[A-Z][a-z]+))\s+(?:requests?|asks?|signals?|indicates?|chooses?|"
    r"initiates?|shows\s+(?:the|a)\s+(?:\w+\s+)?card|uses?\s+(?:a|the|his|her|their)\s+(?:\w+\s+)?"
    r"(?:card|signal|pass))\b|\b(?:at|upon|on)\s+(?:the\s+)?(?:student'?s|his|her|their)\s+(?:own\s+)?"
    r"request\b|\brequested\s+by\b|\b(?:determined|decided|judged|chosen|initiated|offered|prompted|"
    r"approved)\s+by\s+(?:the\s+)?\w+|\b(?:student|teacher|staff)[- ]initiated\b|\bupon\s+student\s+request\b"
)
# ... or when.
WHEN = _rx(
    r"\b(?:during|for|on)\s+(?:all\s+|any\s+|each\s+|every\s+)?(?:[\w-]+\s+){0,2}?(?:tests?|quizzes|"
    r"assessments?|exams?|assignments?|independent\s+work|writing\s+tasks?|projects?|homework|"
    r"classwork|lectures?|transitions?|fire\s+drills?|assemblies|lunch|recess|state\s+testing)\b|"
    r"\bwhen\s+(?:the\s+)?(?:student|he|she|they)\s+(?:shows?|displays?|exhibits?|becomes?|appears?|is|"
    r"feels?|reports?|has|puts|gets)\b|\b(?:more|longer|greater|fewer)\s+than\s+[0-9]+\b|"
    r"\bevery\s+[0-9]+\b|\bafter\s+(?:every|each)\b|\b[0-9]+\s+(?:minutes?|pages?|items?|problems?)\b"
)


def vague_condition(text: str, *, when: str = "", who: str = "") -> list[Vague]:
    """ "as needed" and its kin in an accommodation, unless who decides and when is said.

    `text` is the wording; `when` and `who` are the fields a form may hold apart (how often or
    under which condition; who provides it). The words are vague unless both fields are filled
    or the wording itself says who decides or when ("when the student shows the break card",
    "during tests").
    """
    if when.strip() and who.strip():
        return []
    if WHO.search(text) or WHEN.search(text):
        return []
    found = [_found(text, m) for m in VAGUE_CONDITION.finditer(text)]
    return found + [_found(when, m, "when") for m in VAGUE_CONDITION.finditer(when)]
