"""The accommodations and modifications library, and a check that the words match the kind.

An accommodation changes how a student learns or shows learning; a modification changes what is
taught or expected (DOMAIN.md). A modification filed as an accommodation misstates what a test
score means, so `classify_wording` reads the words and says which kind they describe.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from enum import StrEnum
from functools import cache
from importlib.resources import files

from tandem.rules.calendar import InvalidInput

__all__ = [
    "Category",
    "Entry",
    "Kind",
    "LibraryError",
    "Setting",
    "Verdict",
    "classify_wording",
    "get",
    "load_library",
    "search",
]

_SOURCE = "tandem/rules/data/accommodations.json"
_CODE = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


class LibraryError(InvalidInput):
    """The library data file is malformed; the message names the entry and the field."""


class Kind(StrEnum):
    ACCOMMODATION = "accommodation"  # changes how
    MODIFICATION = "modification"  # changes what


class Category(StrEnum):
    PRESENTATION = "presentation"
    RESPONSE = "response"
    SETTING = "setting"
    TIMING_SCHEDULING = "timing_scheduling"
    CONTENT = "content"
    EXPECTATIONS = "expectations"


class Setting(StrEnum):
    """Where an entry applies by default; a plan can narrow it."""

    CLASSROOM = "classroom"
    TESTS = "tests"
    STATE_ASSESSMENTS = "state_assessments"


CATEGORIES: dict[Kind, frozenset[Category]] = {
    Kind.ACCOMMODATION: frozenset(
        {Category.PRESENTATION, Category.RESPONSE, Category.SETTING, Category.TIMING_SCHEDULING}
    ),
    Kind.MODIFICATION: frozenset({Category.CONTENT, Category.EXPECTATIONS}),
}


@dataclass(frozen=True, slots=True)
class Entry:
    """One accommodation or modification in the starting library."""

    code: str
    kind: Kind
    category: Category
    title: str
    description: str
    applies_to: frozenset[Setting]
    test_validity_note: str | None = None
    # The same words in Spanish, for families who read Spanish (an entry a district adds may
    # not have them yet: then the plan's text goes to the translation workflow like any other).
    title_es: str = ""
    description_es: str = ""
    test_validity_note_es: str = ""


@dataclass(frozen=True, slots=True)
class Verdict:
    """Which kind the words describe, the words that decided it, and why."""

    kind: Kind
    reason: str
    cue: str | None = None

    def contradicts(self, filed_as: Kind) -> bool:
        """True when an item filed as `filed_as` reads as the other kind."""
        return self.kind is not filed_as


def _field(raw: dict[str, object], name: str, where: str) -> str:
    value = raw.get(name)
    if not isinstance(value, str) or not value.strip():
        raise LibraryError(f"{_SOURCE}: {where}: {name} must be a non-empty string")
    return value


def _parse_entry(raw: object, index: int) -> Entry:
    where = f"items[{index}]"
    if not isinstance(raw, dict):
        raise LibraryError(f"{_SOURCE}: {where} must be an object")
    code = _field(raw, "code", where)
    where = f"{where} ({code})"
    if not _CODE.fullmatch(code):
        raise LibraryError(f"{_SOURCE}: {where}: code must be a lowercase slug")
    try:
        kind = Kind(_field(raw, "kind", where))
        category = Category(_field(raw, "category", where))
    except ValueError as error:
        raise LibraryError(f"{_SOURCE}: {where}: {error}") from None
    if category not in CATEGORIES[kind]:
        raise LibraryError(f"{_SOURCE}: {where}: category {category} is not one for a {kind}")
    applies = raw.get("applies_to")
    if not isinstance(applies, list) or not applies:
        raise LibraryError(f"{_SOURCE}: {where}: applies_to must be a non-empty list")
    try:
        settings = frozenset(Setting(str(value)) for value in applies)
    except ValueError as error:
        raise LibraryError(f"{_SOURCE}: {where}: applies_to: {error}") from None
    if kind is Kind.MODIFICATION and Setting.STATE_ASSESSMENTS in settings:
        # A modified state test is not a valid state test score (34 CFR 300.160(b)).
        raise LibraryError(f"{_SOURCE}: {where}: a modification cannot apply to state assessments")
    note = raw.get("test_validity_note")
    if note is not None and (not isinstance(note, str) or not note.strip()):
        raise LibraryError(f"{_SOURCE}: {where}: test_validity_note must be text when given")
    spanish = {
        name: raw.get(f"{name}_es") for name in ("title", "description", "test_validity_note")
    }
    for name, value in spanish.items():
        if value is not None and (not isinstance(value, str) or not value.strip()):
            raise LibraryError(f"{_SOURCE}: {where}: {name}_es must be text when given")
    return Entry(
        code=code,
        kind=kind,
        category=category,
        title=_field(raw, "title", where),
        description=_field(raw, "description", where),
        applies_to=settings,
        test_validity_note=note,
        title_es=spanish["title"] or "",
        description_es=spanish["description"] or "",
        test_validity_note_es=spanish["test_validity_note"] or "",
    )


def parse_library(text: str) -> tuple[Entry, ...]:
    """Entries from the library's JSON text, refusing malformed or duplicate entries."""
    try:
        data: object = json.loads(text)
    except json.JSONDecodeError as error:
        raise LibraryError(
            f"{_SOURCE}: not valid JSON (line {error.lineno}: {error.msg})"
        ) from None
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise LibraryError(f"{_SOURCE}: expected an object with an items list")
    entries = tuple(_parse_entry(raw, index) for index, raw in enumerate(data["items"]))
    seen: set[str] = set()
    for entry in entries:
        if entry.code in seen:
            raise LibraryError(f"{_SOURCE}: code {entry.code!r} appears more than once")
        seen.add(entry.code)
    return entries


@cache
def load_library() -> tuple[Entry, ...]:
    """The starting library, read once and cached."""
    text = files("tandem.rules").joinpath("data", "accommodations.json").read_text("utf-8")
    return parse_library(text)


def get(code: str) -> Entry:
    """The entry with `code`; KeyError names it when absent."""
    for entry in load_library():
        if entry.code == code:
            return entry
    raise KeyError(f"no library entry {code!r}")


def search(
    query: str, kind: Kind | None = None, category: Category | None = None
) -> tuple[Entry, ...]:
    """Entries whose code, title or description hold every word of `query`; title hits first."""
    words = re.findall(r"[a-z0-9]+", query.lower())
    found: list[tuple[int, int, Entry]] = []
    for position, entry in enumerate(load_library()):
        if kind is not None and entry.kind is not kind:
            continue
        if category is not None and entry.category is not category:
            continue
        title = f"{entry.code} {entry.title}".lower()
        text = f"{title} {entry.description}".lower()
        if all(word in text for word in words):
            in_title = sum(word in title for word in words)
            found.append((-in_title, position, entry))
    return tuple(entry for _, _, entry in sorted(found, key=lambda item: item[:2]))


@dataclass(frozen=True, slots=True)
class _Cue:
    pattern: re.Pattern[str]
    why: str
    unless: re.Pattern[str] | None = None
    unless_why: str = ""


def _re(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


# Layout words: the same work spread out or shown a bit at a time is a change in how.
_LAYOUT = (
    r"\bper\s+(?:page|sheet|screen|line|row)\b|\bon each (?:page|sheet)\b|\bat a time\b"
    r"|\bspread (?:over|across)\b|\bmore pages\b|\b(?:broken|split|chunked) into\b"
)
_SAME_WORK = r"\b(?:same|all)\s+(?:the\s+)?(?:content|skills|standards|concepts|questions)\b"
_SCHEDULE = r"\bsessions?\b|\bsittings?\b|\bbreaks?\b"

# Conservative: a cue names a change in what is taught or expected in so many words. Anything
# else reads as an accommodation, and the reason says only that no such wording was found.
_CUES: tuple[_Cue, ...] = (
    _Cue(
        _re(r"\balternat(?:e|ive)\b[\w\s-]{0,30}?\bstandards?\b"),
        "holds the student to alternate standards",
    ),
    _Cue(
        _re(r"\b(?:below|off|under|lower)[- ]grade[- ]level\b"),
        "teaches or tests content below grade level",
    ),
    _Cue(
        _re(
            r"\b(?:modified|adapted|adjusted|individuali[sz]ed|alternate|alternative|different)\s+grad(?:ing|es?)\b"
            r"|\bpass\s*(?:/|or)\s*fail\b|\bgraded against\b[^.]*\bgoals\b"
        ),
        "changes how the work is graded, so the grade means something different",
    ),
    _Cue(
        _re(
            r"\bread\s+aloud\b[^.]{0,40}\breading\s+(?:comprehension\s+|fluency\s+|decoding\s+)?"
            r"(?:tests?|assessments?|passages?)\b"
            r"|\bspell[- ]?check\w*\b[^.]{0,30}\bspelling\s+(?:tests?|assessments?)\b"
            r"|\bcalculator\b[^.]{0,30}\b(?:computation|math\s+facts?|calculation)\b"
        ),
        "does for the student the very skill the test measures, so the score means something "
        "different",
    ),
    _Cue(
        _re(
            r"\b(?:fewer|reduced|limited|less)\s+(?:number\s+of\s+)?(?:answer\s+)?(?:choices|options)\b"
            r"|\b(?:remov|eliminat|cross)\w*\s+(?:out\s+)?(?:one|two|some|an?|\d+)?\s*(?:wrong\s+|incorrect\s+)?answer\s+(?:choices?|options?)"
            r"|\b(?:two|three|2|3)\s+(?:answer\s+)?choices\s+instead\b"
        ),
        "takes away answer choices, which makes the question itself easier",
    ),
    _Cue(
        _re(
            r"\b(?:shortened|shorter|reduced|modified|fewer|abbreviated)\b[\w\s-]{0,20}?\b(?:spelling|vocabulary|word)\s+(?:lists?|words)\b"
        ),
        "reduces the words the student must learn",
    ),
    _Cue(
        _re(
            r"\bsimplif(?:ied|y|ying)\s+(?:the\s+)?(?:content|texts?|passages?|reading|questions?|concepts?|vocabulary|test items?|curriculum)\b"
            r"|\bsimpler\s+(?:content|texts?|passages?|questions?|concepts?|words and ideas)\b"
        ),
        "simplifies the content itself",
        unless=_re(r"\b(?:directions|instructions)\b"),
        unless_why="simplifies the directions, not the task",
    ),
    _Cue(
        _re(
            r"\balternat(?:e|ive)\s+(?:assignments?|curriculum|assessments?|tests?|activit(?:y|ies)|tasks?)\b"
        ),
        "replaces the class's work with different work",
        unless=_re(r"\bformats?\b"),
        unless_why="gives the same test in another format",
    ),
    _Cue(
        _re(
            r"\b(?:fewer|reduced|smaller set of|less)\s+(?:key\s+)?(?:concepts|content|objectives|skills|standards|topics)\b"
            r"|\bcovers? less\b|\bless is expected\b|\bdifferent\s+(?:content|standards?|expectations|curriculum|learning goals)\b"
        ),
        "reduces or changes the content the student is responsible for",
    ),
    _Cue(
        _re(r"\bfunctional (?:skills )?curriculum\b|\blife skills in place of\b"),
        "replaces grade-level content",
    ),
    _Cue(
        _re(
            r"\blower(?:ed)?\s+(?:mastery|passing|scores?|criteria|standards?|expectations?|levels? of mastery)\b"
            r"|\breduced\s+(?:mastery|criteria|expectations?|passing)\b"
        ),
        "lowers the level the student must reach",
    ),
    _Cue(
        _re(r"\bword bank\b[^.]*\brecall\b|\brecall\b[^.]*\bword bank\b"),
        "turns a recall question into a recognition question",
    ),
    _Cue(
        _re(
            r"\bopen[- ](?:book|notes?)\s+(?:tests?|quiz(?:zes)?|exams?)\b"
            r"|\b(?:notes|the book|textbook)\s+(?:on|during)\s+(?:tests?|quiz(?:zes)?|exams?)\b|\bfrom memory\b"
        ),
        "lets the student look up what the test asks them to know",
    ),
    _Cue(
        _re(
            r"\bhints?\b|\b(?:prompts?|cues?|clues?)\b[^.]{0,40}\btoward(?:s)? the (?:correct )?answer\b"
        ),
        "gives help toward the answer itself",
    ),
    _Cue(
        _re(
            r"\b(?:fewer|reduced number of|reduce(?:d)? the number of|less)\s+(?:math\s+)?"
            r"(?:problems|questions|items|exercises|sentences|pages|assignments|tasks)\b"
        ),
        "reduces how much work is expected",
        unless=_re(_LAYOUT),
        unless_why="spreads the same work out or shows it a part at a time",
    ),
    _Cue(
        _re(
            r"\b(?:shortened|shorter|reduced|abbreviated|modified)\s+(?:version of the\s+)?(?:class\s+)?"
            r"(?:assignments?|tests?|quiz(?:zes)?|work|homework|tasks?|worksheets?)\b"
        ),
        "reduces how much work is expected",
        unless=_re(f"{_LAYOUT}|{_SAME_WORK}|{_SCHEDULE}"),
        unless_why="keeps the same work, split up or scheduled differently",
    ),
    _Cue(
        _re(
            r"\b(?:exempt(?:ed)?|excused)\s+from\b|\bnot (?:be )?required to (?:do|complete|answer|learn|take)\b"
        ),
        "removes work classmates are expected to do",
        unless=_re(
            r"\bcopy(?:ing)?\b|\bread(?:ing)? aloud\b|\bin front of\b|\btim(?:ed|e limits?)\b"
        ),
        unless_why="excuses a way of working, not the learning itself",
    ),
)


def classify_wording(text: str) -> Verdict:
    """Whether the words describe an accommodation (how) or a modification (what), and why."""
    quoted = " ".join(text.split())
    protected: Verdict | None = None
    for cue in _CUES:
        match = cue.pattern.search(quoted)
        if match is None:
            continue
        words = match.group(0)
        if cue.unless is not None and (guard := cue.unless.search(quoted)):
            protected = protected or Verdict(
                kind=Kind.ACCOMMODATION,
                cue=words,
                reason=(
                    f"{words!r} with {guard.group(0)!r} {cue.unless_why}: a change in how, "
                    "so an accommodation."
                ),
            )
            continue
        return Verdict(
            kind=Kind.MODIFICATION,
            cue=words,
            reason=(
                f"{words!r} {cue.why}: a change in what is taught or expected, so a "
                "modification (an accommodation changes only how)."
            ),
        )
    if protected is not None:
        return protected
    return Verdict(
        kind=Kind.ACCOMMODATION,
        reason=(
            "No wording that changes what is taught or expected: it reads as a change in how, "
            "so an accommodation."
        ),
    )
