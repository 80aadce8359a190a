"""Part extractors for the frame of a goal: its timeframe and how progress is measured."""

from __future__ import annotations

import re

from tandem.rules.goals.lexicon import NUM, rx, span_of, trim_span
from tandem.rules.goals.model import Consecutive, Criterion, Frequency, Span
from tandem.rules.goals.reader import Reader

# --------------------------------------------------------------------------- timeframe

MONTH = (
    r"(?:jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|"
    r"sept?(?:ember)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?)\.?"
)
DATE = (
    rf"(?:{MONTH}\s+[0-9]{{1,2}}(?:st|nd|rd|th)?\b(?:,?\s*[0-9]{{4}}\b)?"
    rf"|{MONTH}(?:,?\s*(?:of\s+)?[0-9]{{4}})?"
    r"|[0-9]{1,2}/[0-9]{1,2}/[0-9]{2,4}|[0-9]{1,2}/[0-9]{4}|[0-9]{4}-[0-9]{2}-[0-9]{2}"
    r"|(?:the\s+)?(?:spring|fall|winter|summer|autumn)(?:\s+(?:of\s+)?[0-9]{4}|\s+break"
    r"|\s+semester|\s+term)?|(?:the\s+)?(?:thanksgiving|winter|spring|holiday)\s+break)"
)
PERIOD_WORDS = (
    r"(?:(?:(?:current|next|upcoming|this|first|second|third|fourth|final|last|1st|2nd|3rd|4th|"
    r"[0-9]{4}[-–/][0-9]{2,4}|fall|spring|winter)\s+)*"
    r"(?:(?:school|academic|calendar|annual\s+IEP|IEP|plan)\s+)?"
    r"(?:(?:quarter|semester|trimester|term|grading\s+period|marking\s+period|reporting\s+period)"
    r"(?:\s+(?:[1-4]|one|two|three|four)\b)?|year|"
    r"IEP(?:\s+(?:period|term|cycle|year))?|plan|unit|kindergarten)"
    # "Q3": the school's quarters, as report cards write them
    r"|Q[1-4]\b"
    r"|(?:[a-z]+|[0-9]{1,2}(?:st|nd|rd|th))\s+grade|grade\s+[0-9]{1,2}|(?:middle|high|elementary)\s+school"
    r"|(?:his|her|their)\s+(?:\w+\s+)?(?:year|IEP))"
)
TIMEFRAME = rx(
    # "By the end of the second quarter", "by the close of the 2025-2026 school year", "by the
    # end of Q3", "by the start of fifth grade", "by the middle of the school year"
    rf"\b(?:by|before|at|until|prior\s+to)\s+(?:the\s+)?(?:end|close|conclusion|completion|start|"
    rf"beginning|middle)\s+of\s+(?:the\s+)?{PERIOD_WORDS}"
    # "by mid-year", "by midyear 2027"
    r"|\b(?:by|before|at)\s+(?:the\s+)?mid-?(?:year|semester|term)\b(?:\s+[0-9]{4}\b)?"
    # "by the annual review", "by the next IEP meeting"
    r"|\b(?:by|before|on\s+or\s+before|prior\s+to)\s+(?:the\s+|(?:his|her|their)\s+)?"
    r"(?:(?:next|annual|upcoming|following|[0-9]{4}|triennial)\s+)*(?:IEP\s+)?"
    r"(?:annual\s+)?(?:review|re-?evaluation|meeting|IEP|case\s+conference|ARD)(?:\s+(?:date|meeting))?"
    # ... and its date when the author wrote it: "by the annual review in February 2027"
    rf"(?:\s+(?:in|on|of)\s+{DATE})?"
    # "By May 2026", "by 5/15/2026", "by spring break"
    rf"|\b(?:by|before|on\s+or\s+before|no\s+later\s+than)\s+(?:the\s+end\s+of\s+)?{DATE}"
    # "within 36 instructional weeks", "in one year", "over the next 12 months"
    rf"|\b(?:within|in|over|during|throughout|after)\s+(?:the\s+)?(?:next\s+|following\s+|coming\s+)?"
    rf"(?:{NUM}|a|an)\s+(?:(?:instructional|school|calendar|academic)\s+)?"
    r"(?:weeks?|months?|years?)\b(?!\s+(?:of\b|in\s+a\s+row|period))"
    # "during the 2025-2026 school year", "within this IEP period"
    rf"|\b(?:during|throughout|within|over|for|in)\s+(?:the\s+)?"
    r"(?:(?:current|next|upcoming|this|coming|remainder\s+of\s+the|[0-9]{4}[-–/][0-9]{2,4})\s+)+"
    r"(?:(?:school|academic|IEP|calendar)\s+)?(?:year|IEP(?:\s+(?:period|year|term|cycle))?|semester"
    r"|quarter|trimester)\b"
    r"|\b(?:within|during|over|throughout)\s+the\s+(?:IEP|school|academic)\s+(?:year|period|term|cycle)\b"
    r"|\b(?:by|before)\s+(?:the\s+)?age\s+(?:of\s+)?[0-9]{1,2}\b"
    # postsecondary: "After graduation", "within one year of graduating from high school"
    rf"|\b(?:after|upon|following|within\s+(?:{NUM}|a|an|six)\s+(?:years?|months?)\s+(?:of|after|following)"
    r"|by\s+the\s+time\s+(?:\w+\s+){0,2}(?:graduates|exits|leaves))\s+(?:(?:his|her|their)\s+)?"
    r"(?:high\s+school\s+)?(?:graduation|graduating|exiting(?:\s+high\s+school|\s+school)?|exit"
    r"|leaving(?:\s+high\s+school|\s+school)?|completion\s+of\s+high\s+school|completing\s+high\s+school"
    r"|high\s+school|the\s+completion\s+of\s+high\s+school|secondary\s+school)(?:\s+from\s+high\s+school)?"
    # a placeholder where the date should be: "By (date)", "by ____"
    r"|\b(?:by|before|within|in)\s+(?:\((?:date|month|year|[^)\n]{0,12}date[^)\n]{0,12})\)|\[[^\]\n]{0,30}\]"
    r"|_{2,}|xx+(?:/xx+)*|<[^<>\n]{1,30}>)"
)


def find_timeframe(text: str) -> Span | None:
    m = TIMEFRAME.search(text)
    return None if m is None else span_of(text, m.start(), m.end())


POSTSECONDARY = rx(
    r"\b(?:after|upon|following|within\s+\S+\s+(?:years?|months?)\s+(?:of|after))\s+(?:(?:his|her|their)\s+)?"
    r"(?:high\s+school\s+)?(?:graduation|graduating|exiting|leaving\s+(?:high\s+)?school|high\s+school"
    r"|completion\s+of\s+high\s+school|completing\s+high\s+school|secondary\s+school)"
    r"|\bpost-?secondary\b|\bafter\s+(?:he|she|they)\s+graduates?\b"
)


# --------------------------------------------------------------------------- measurement

MEASURE_NOUNS = (
    r"(?:data|probes?|checklists?|rubrics?|observations?|records?|logs?|charts?|charting|samples?|"
    r"assessments?|tests?|quizzes|cbm|curriculum[- ]based|running\s+records?|tally|counts?|"
    r"recording|reports?|inventor(?:y|ies)|screeners?|benchmarks?|progress\s+monitoring|"
    r"work\s+samples?|data\s+sheets?|point\s+sheets?|scoring|measures?|dibels|aimsweb|easycbm|"
    r"mclass|i-?ready|fastbridge)"
)
MEASUREMENT_STRONG = rx(
    r"\b(?:as\s+)?(?:measured|documented|recorded|evidenced|determined|assessed|monitored|shown|"
    r"indicated|observed|tracked|charted|graphed|verified|reported|demonstrated|collected|judged|scored)"
    r"\s+(?:by|through|on|in|using|via|with|from|during)\b"
    r"|\bas\s+(?:measured|documented|recorded|evidenced|determined|assessed|monitored)\b"
)
MEASUREMENT_WEAK = rx(
    r"\baccording\s+to\b"
    rf"|\bbased\s+on\s+(?:\S+\s+){{0,4}}?{MEASURE_NOUNS}"
    rf"|\b(?:via|through)\s+(?:\S+\s+){{0,3}}?{MEASURE_NOUNS}"
    rf"|\bper\s+(?:teacher|therapist|slp|ot|pt|staff|clinician|case\s+manager)\s+(?:\S+\s+){{0,2}}?"
    rf"{MEASURE_NOUNS}"
    rf"|\busing\s+(?:an?\s+|the\s+)?(?:\S+\s+){{0,3}}?(?:probes?|data\s+sheets?|data\s+collection"
    r"|running\s+records?|tally\s+sheets?|frequency\s+counts?|interval\s+recording|cbm|"
    r"curriculum[- ]based\s+(?:measures?|measurement|probes?)|progress\s+monitoring)\b"
    r"|\b(?:on|in)\s+(?:(?:a|an|the|his|her|their)\s+)?(?:(?!consecutive\b)(?![0-9])[a-z][\w-]*\s+){0,3}?"
    r"(?:probes|data\s+sheets?|running\s+records?|tally\s+sheets?|point\s+sheets?|behaviou?r\s+logs?|"
    r"data\s+logs?|progress\s+monitoring\s+(?:probes|graphs?|data))\b"
)
MEASURE_NOUN_RE = rx(MEASURE_NOUNS + r"|collected|administered|given|conducted|taken|completed")
SCHEDULE = rx(
    r"\b(?:daily|weekly|bi-?weekly|bi-?monthly|monthly|quarterly|every\s+(?:other\s+)?(?:day|week|month"
    rf"|(?:{NUM})\s+(?:days|weeks))|once\s+(?:a|per|each)\s+(?:week|month)|twice\s+(?:a|per|each)\s+"
    rf"(?:week|month)|{NUM}\s+times\s+(?:a|per|each)\s+(?:week|month|quarter|grading\s+period))\b"
)
SENTENCE_END = re.compile(r"[.;!?](?=\s|$)|\n")


def measurement_region(text: str, timeframe: Span | None) -> tuple[int, int] | None:
    m = MEASUREMENT_STRONG.search(text) or MEASUREMENT_WEAK.search(text)
    if m is None:
        return None
    start = m.start()
    end = len(text)
    if (s := SENTENCE_END.search(text, m.end())) is not None:
        end = s.start()
    if timeframe is not None and start < timeframe.start < end:
        end = timeframe.start
    return start, end


def read_measurement(r: Reader, region: tuple[int, int] | None) -> tuple[Span | None, Span | None]:
    if region is None:
        return None, None
    start, end = region
    text = r.text
    kept: list[Criterion] = []
    for atom in r.atoms:
        inside = start <= atom.start < end
        schedule_like = (
            isinstance(atom, Frequency | Consecutive)
            and MEASURE_NOUN_RE.search(text, start, atom.start) is not None
        ) or (isinstance(atom, Frequency) and atom.per in ("week", "month", "quarter"))
        if inside and schedule_like:
            r.covered.append((atom.start, atom.end))
            continue
        kept.append(atom)
        if inside:
            end = min(end, atom.start)
    r.atoms = kept
    span = trim_span(text, start, end)
    if span is None:
        return None, None
    schedule = None
    if (s := SCHEDULE.search(text, span.start, span.end)) is not None:
        schedule = span_of(text, s.start(), s.end())
    r.claims.take(span.start, span.end)
    return span, schedule
