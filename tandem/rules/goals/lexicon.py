"""The goal checker's lexicon: numbers in words and digits, unit words, and small text helpers."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Final

from tandem.rules.goals.model import PromptLevel, Span

# --------------------------------------------------------------------------- numbers


def word_list(text: str) -> list[str]:
    return text.split()


SMALL: Final[dict[str, int]] = {
    w: i
    for i, w in enumerate(
        word_list(
            """
            zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen
            fifteen sixteen seventeen eighteen nineteen
            """
        )
    )
}
TENS: Final[dict[str, int]] = {
    w: 10 * i
    for i, w in enumerate(word_list("twenty thirty forty fifty sixty seventy eighty ninety"), 2)
}
ONES_RE = "one|two|three|four|five|six|seven|eight|nine"
NUM_WORD = (
    r"(?:(?:one|a)[\s-]+hundred|hundred"
    rf"|(?:twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety)(?:[\s-](?:{ONES_RE})\b)?"
    r"|eleven|twelve|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen"
    rf"|zero|{ONES_RE}|ten)"
)
# The lookahead on first letters lets the regex engine skip most positions quickly.
NUM: Final = (
    rf"(?:(?<![0-9.,])[0-9]{{1,6}}(?:\.[0-9]{{1,3}})?(?![0-9]|\.[0-9])"
    rf"|\b(?=[zotfsenha]){NUM_WORD}\b)"
)


def num_group(name: str) -> str:
    return rf"(?P<{name}>{NUM})"


def parse_number(raw: str) -> float:
    """The value of a NUM match: "80", "4.5", "five", "twenty-five", "one hundred"."""
    s = raw.strip().lower()
    if s[:1].isdigit():
        return float(s)
    total = 0
    for word in re.split(r"[\s-]+", s):
        if word == "hundred":
            total = max(total, 1) * 100
        elif word in TENS:
            total += TENS[word]
        elif word in SMALL:
            total += SMALL[word]
    return float(total)


def parse_int(raw: str) -> int:
    return int(parse_number(raw))


FRACTIONS: Final[dict[str, float]] = {
    "½": 0.5,
    "¼": 0.25,
    "¾": 0.75,
    "half": 0.5,
    "a half": 0.5,
    "one half": 0.5,
    "one-half": 0.5,
    "quarter": 0.25,
    "a quarter": 0.25,
    "one quarter": 0.25,
    "one-quarter": 0.25,
    "tenth": 0.1,
    "hundredth": 0.01,
}


def parse_amount(raw: str) -> float | None:
    """A number, a fraction ("1/4") or a fraction word ("half")."""
    s = raw.strip().lower()
    if s in FRACTIONS:
        return FRACTIONS[s]
    if m := re.fullmatch(r"([0-9]{1,4})\s*/\s*([0-9]{1,4})", s):
        den = int(m.group(2))
        return int(m.group(1)) / den if den else None
    if re.fullmatch(NUM, s, re.IGNORECASE):
        return parse_number(s)
    return None


def counted(n: int, one: str, many: str) -> str:
    """ "1 error", "2 errors": a number with its noun in the right form."""
    return f"{n} {one if n == 1 else many}"


def rx(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern, re.IGNORECASE)


# --------------------------------------------------------------------------- vocabularies


PCT = r"(?:%|\s?percent\b|\s?per\s+cent\b)"
TIME_UNIT = r"(?:seconds?|secs?|minutes?|mins?|hours?|hrs?)\b"
SECONDS: Final[dict[str, float]] = {"s": 1, "m": 60, "h": 3600}

MOFN_UNITS: Final = frozenset(
    word_list(
        """
        trial trials opportunity opportunities session sessions attempt attempts probe probes
        sample samples day days week weeks occasion occasions observation observations period
        periods assignment assignments task tasks time times instance instances lesson lessons
        class classes activity activities measure measures assessment assessments quiz quizzes
        test tests check checks month months meeting meetings situation situations setting
        settings interaction interactions exchange exchanges routine routines transition
        transitions conversation conversations request requests direction directions point
        points data incident incidents conflict conflicts project projects interview interviews
        checkpoint checkpoints worksheet worksheets budget budgets passage passages
        """
    )
)
ITEM_UNITS: Final = frozenset(
    word_list(
        """
        word words problem problems question questions item items sound sounds letter letters
        step steps sentence sentences fact facts strategy strategies detail details example
        examples idea ideas synonym synonyms antonym antonyms coin coins object objects picture
        pictures color colors shape shapes number numbers numeral numerals paragraph paragraphs
        syllable syllables phoneme phonemes blend blends digraph digraphs line lines card cards
        piece pieces component components part parts action actions turn turns adjective
        adjectives noun nouns verb verbs event events character characters feeling feelings
        emotion emotions response responses answer answers equation equations fraction fractions
        target targets task-steps word-problems errors comments questions topics peers exchanges
        statements requests choices options solutions reasons facts words
        """
    )
)
CONSEC_UNITS: Final = frozenset(
    word_list(
        """
        session sessions day days week weeks probe probes trial trials point points period
        periods lunches meals budgets worksheets month months assignment assignments sample
        samples opportunity opportunities observation observations quarter quarters occasion
        occasions attempt attempts lesson lessons measure measures class classes
        """
    )
)
PER_UNITS = (
    r"(?:school\s+day|class\s+period|day|week|month|hour|session|class|period|lesson|activity|"
    r"observation|recess|lunch|block|meal|routine|transition|shift|visit|game|semester|quarter|"
    r"morning|afternoon|project|assignment|conversation)"
)
ERROR_NOUNS: Final = frozenset(["error", "errors", "mistake", "mistakes", "miscue", "miscues"])
PROMPT_NOUNS: Final = frozenset(
    word_list(
        """
        prompt prompts prompting cue cues cueing cuing reminder reminders redirection
        redirections redirect redirects correction corrections assist assists
        """
    )
)
TIME_NOUNS: Final = frozenset(
    word_list(
        """
        second seconds sec secs minute minutes min mins hour hours hr hrs
        """
    )
)

# Skills taught and checked as discrete trials (PROGRESS.md 1.7: criteria below 90% maintain worse).


# --------------------------------------------------------------------------- helpers


def span_of(text: str, start: int, end: int) -> Span:
    return Span(start, end, text[start:end])


def overlaps(a0: int, a1: int, b0: int, b1: int) -> bool:
    return a0 < b1 and b0 < a1


class Claims:
    """Spans already read as something, so a phrase is never read twice."""

    def __init__(self) -> None:
        self.spans: list[tuple[int, int]] = []

    def free(self, start: int, end: int) -> bool:
        return not any(overlaps(start, end, s, e) for s, e in self.spans)

    def take(self, start: int, end: int) -> None:
        self.spans.append((start, end))


def words_after(text: str, pos: int, limit: int) -> Iterator[re.Match[str]]:
    """Up to `limit` words after `pos`, stopping at punctuation that ends a phrase."""
    i = pos
    for _count in range(limit):
        m = re.compile(r"[ \t]+([A-Za-z][\w'’/-]*)").match(text, i)
        if m is None:
            return
        yield m
        i = m.end()


def scan_noun(text: str, pos: int, nouns: frozenset[str], limit: int = 4) -> tuple[str, int] | None:
    """The first word in `nouns` within `limit` words after `pos`: (phrase from pos, end)."""
    for m in words_after(text, pos, limit):
        word = m.group(1).lower().rstrip("'’")
        if word in nouns or word.replace("-", " ").split(" ")[-1] in nouns:
            return text[pos : m.end()].strip(), m.end()
    return None


def lead_before(text: str, start: int, pattern: re.Pattern[str]) -> bool:
    return pattern.search(text[max(0, start - 40) : start]) is not None


# --------------------------------------------------------------------------- placeholders

PLACEHOLDER = re.compile(
    r"\[[^\]\n]{0,40}\]"
    r"|\((?i:date|name|student|student'?s\s+name|month|year|number|num|#|x+|n|tbd|insert[^)\n]{0,30}"
    r"|skill|criteria|criterion|goal|behavior|target|\s*)\)"
    r"|<[A-Za-z][^<>\n]{0,39}>|\{[^{}\n]{0,40}\}|_{2,}"
    r"|\b(?i:xx+)\b|\bX\b(?=\s*(?:%|percent|out\s+of|of\b|/|trials|times|words|weeks|days))"
    r"|\b[XN]\b(?=\s*(?:out\s+of|/)\s*[XNY]\b)|(?:(?<=of\s)|(?<=/\s)|(?<=/))[XY]\b|(?<![\w#])#(?![\w#])"
    r"|\?{2,}|\b(?:TBD|TBA)\b|\b(?i:insert\s+(?:name|date|student|criteria|goal))\b"
    r"|\b(?:STUDENT\s+NAME|NAME|STUDENT|DATE)\b"
)


def find_placeholders(text: str) -> list[Span]:
    return [span_of(text, m.start(), m.end()) for m in PLACEHOLDER.finditer(text)]


def unit_text(raw: str | None) -> str | None:
    if raw is None:
        return None
    cleaned = " ".join(raw.lower().split())
    return cleaned or None


def to_seconds(value: float, unit: str) -> float:
    return value * SECONDS.get(unit.strip().lower()[:1], 1)


def prompt_level_of(raw: str) -> PromptLevel | None:
    s = raw.lower()
    if "independent" in s:
        return PromptLevel.INDEPENDENT
    if "hand-over" in s or "hand over" in s or "full" in s:
        return PromptLevel.FULL_PHYSICAL
    if "partial" in s or "hand-under" in s or "hand under" in s or "tactile" in s:
        return PromptLevel.PARTIAL_PHYSICAL
    if "physical" in s:
        return PromptLevel.FULL_PHYSICAL
    if "model" in s:
        return PromptLevel.MODEL
    if "verbal" in s or "remind" in s or "redirect" in s:
        return PromptLevel.VERBAL
    if "gest" in s or "visual" in s or "written" in s or "picture" in s:
        return PromptLevel.GESTURAL
    return None


def per_in(unit: str | None) -> str | None:
    if unit is None:
        return None
    m = re.search(rf"\b(?:per|a|each)\s+({PER_UNITS})\b", unit, re.IGNORECASE)
    return None if m is None else m.group(1).lower()


TRAILING_WORDS: Final = frozenset(
    word_list(
        """
        with at in on for across over by and or of to from the a an during while when using
        scoring achieving reaching earning obtaining maintaining as within given after until per
        each
        """
    )
)


def trim_span(text: str, start: int, end: int) -> Span | None:
    """The span without trailing punctuation and dangling words ("... passage, with")."""
    while end > start:
        while end > start and text[end - 1] in " \t\n,;:.-–—":
            end -= 1
        i = end
        while i > start and (text[i - 1].isalnum() or text[i - 1] == "_"):
            i -= 1
        if i < end and text[i:end].lower() in TRAILING_WORDS:
            end = i
            continue
        break
    while start < end and text[start] in " ,;:\t":
        start += 1
    if end <= start:
        return None
    return span_of(text, start, end)


ING_E: Final = frozenset(
    word_list(
        """
        write use make state name complete produce solve describe compare locate decode
        calculate compute create arrange organize recognize sequence summarize paraphrase
        estimate measure manage share take give type trace practice circle choose rate prepare
        retrieve combine separate divide multiply subtract vote save serve shave phrase
        pronounce locate place illustrate indicate categorize generate initiate participate
        demonstrate explore analyze schedule relate translate tie
        """
    )
)


def base_form(word: str) -> str | None:
    """Base form of an -ing verb ("solving" -> "solve", "running" -> "run"), or None."""
    w = word.lower()
    if not w.endswith("ing") or len(w) < 5:
        return None
    stem = w[:-3]
    vowels = "aeiou"
    if stem + "e" in ING_E:
        return stem + "e"
    doubled = len(stem) >= 4 and stem[-1] == stem[-2] and stem[-1] not in "lsz"
    if doubled and stem[-3] in vowels and stem[-4] not in vowels:
        return stem[:-1]  # running -> run, beginning -> begin
    short_cvc = (
        len(stem) <= 4
        and stem[0] not in vowels
        and stem[-1] not in vowels + "wxy"
        and stem[-2] in vowels
        and stem[-3] not in vowels
    )
    return stem + "e" if short_cvc else stem  # shading -> shade; reading -> read
