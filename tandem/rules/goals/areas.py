"""The areas of need a goal speaks to, and whether it answers the need it is linked to."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Final

from tandem.rules.goals.lexicon import rx, word_list
from tandem.rules.goals.model import UNKNOWN, Area, Unknown, _

AREA_WORDS: Final[tuple[tuple[Area, re.Pattern[str]], ...]] = (
    (
        Area.READING,
        rx(
            r"\b(?:read\w*|decod\w*|fluen\w*|comprehen\w*|phonic\w*|phonolog\w*|phonem\w*|sight\s+words?|"
            r"passages?|wcpm|cwpm|orf|texts?|stor(?:y|ies)|main\s+idea|inferenc\w*|syllab\w*|vowels?|"
            r"letter[- ]sounds?|literacy|books?|retell\w*)\b"
        ),
    ),
    (
        Area.WRITING,
        rx(
            r"\b(?:writ\w*|wrote|sentences?|paragraphs?|essays?|spell\w*|capitaliz\w*|punctuat\w*|"
            r"composition|journal|grammar|narratives?|conventions|editing|revis\w*|typ(?:e|ing))\b"
        ),
    ),
    (
        Area.MATH,
        rx(
            r"\b(?:math\w*|add\w*|subtract\w*|multipl\w*|divi\w*|fractions?|decimals?|equations?|"
            r"numbers?|numerals?|comput\w*|calculat\w*|problems?|money|coins?|counts?|counting|"
            r"place\s+value|geometry|measure\w*|regroup\w*|digits?|arithmetic|algebra\w*|time\s+to)\b"
        ),
    ),
    (
        Area.ARTICULATION,
        rx(
            r"\b(?:articulat\w*|/[a-z]{1,3}/|speech\s+sounds?|sounds?|intelligib\w*|phonolog\w*|"
            r"lisp|fluency\s+shaping|stutter\w*|blends?|production)\b"
        ),
    ),
    (
        Area.LANGUAGE,
        rx(
            r"\b(?:language|vocabular\w*|wh-?\s*questions?|describ\w*|express\w*|receptive|"
            r"follow\w*\s+(?:\w+\s+)?directions?|narrat\w*|utterances?|categor\w*|synonyms?|antonyms?|"
            r"grammar|pronouns?|verbs?|nouns?|concepts?|word\s+finding|communicat\w*|AAC|device)\b"
        ),
    ),
    (
        Area.SOCIAL,
        rx(
            r"\b(?:peers?|social\w*|conversation\w*|turns?|greet\w*|friend\w*|play\w*|interact\w*|"
            r"perspective|pragmatic\w*|eye\s+contact|share|sharing|compliments?|cooperat\w*|group)\b"
        ),
    ),
    (
        Area.BEHAVIOR,
        rx(
            r"\b(?:behavio\w*|on[- ]task|off[- ]task|tantrum\w*|aggress\w*|hit\w*|kick\w*|elop\w*|"
            r"complian\w*|comply|outbursts?|disrupt\w*|self[- ]regulat\w*|coping|calm\w*|break\s+card|"
            r"seated|hands\s+to\s+(?:self|himself|herself)|refus\w*|frustrat\w*|anger|emotion\w*|"
            r"redirect\w*|work\s+completion|attention|impuls\w*)\b"
        ),
    ),
    (
        Area.FINE_MOTOR,
        rx(
            r"\b(?:fine\s+motor|scissors|cut\w*|grasp\w*|pencil|handwriting|legib\w*|trac\w*|copy\w*|"
            r"button\w*|zip\w*|snap\w*|manipulat\w*|letter\s+formation|form\s+letters|keyboard\w*|"
            r"margins?|spacing|utensils?|tie|tying|beads?|pegs?)\b"
        ),
    ),
    (
        Area.SELF_CARE,
        rx(
            r"\b(?:toilet\w*|bathroom|dress\w*|wash\w*|brush\w*|hygiene|eat\w*|feed\w*|utensils?|"
            r"grooming|shoes?|coat|jacket|lunch|self[- ]care|daily\s+living|shower\w*|deodorant)\b"
        ),
    ),
    (
        Area.EXECUTIVE_FUNCTION,
        rx(
            r"\b(?:organiz\w*|planner|agenda|assignments?|homework|materials|checklists?|"
            r"time\s+management|initiat\w*|prioritiz\w*|binder|schedule|deadlines?|task\s+completion|"
            r"executive|steps?\s+of\s+a\s+task|long-term|calendar|self[- ]monitor\w*|turn\s+in)\b"
        ),
    ),
    (
        Area.TRANSITION,
        rx(
            r"\b(?:employ\w*|jobs?|careers?|college|universit\w*|enroll\w*|vocational|postsecondary|"
            r"post-secondary|independent\s+living|apartment|budget\w*|resum[eé]s?|interview\w*|"
            r"work(?:ing)?\s+as|training\s+program|graduat\w*|transportation|bus\s+route|banking|"
            r"apprenticeship|community\s+college|certificate)\b"
        ),
    ),
)


def goal_areas(text: str) -> tuple[Area, ...]:
    """The areas of need a text speaks to, by keywords (a goal, or a PLAAFP need statement)."""
    return tuple(area for area, pattern in AREA_WORDS if pattern.search(text))


STOP: Final = frozenset(
    word_list(
        """
        student students will with that this from have been their they there when which about
        into during given after before while using within their other than more most less least
        each every grade level year years school class teacher currently skills skill ability
        abilities needs needed improve working performance present levels goal goals
        """
    )
)


def content_stems(text: str) -> set[str]:
    return {w.lower()[:5] for w in re.findall(r"[A-Za-z]{5,}", text) if w.lower() not in STOP}


# --------------------------------------------------------------------------- the checker


@dataclass(frozen=True, slots=True)
class Relevance:
    """Whether the goal answers the PLAAFP need (unknown without one), and why."""

    relevant: bool | Unknown
    reason: str


def relevance(text: str, plaafp_need: str | None) -> Relevance:
    """A goal is relevant when it shares an area or two content words with the need."""
    if plaafp_need is None or not plaafp_need.strip():
        return Relevance(UNKNOWN, _("Relevance needs the PLAAFP need; none was given."))
    areas = goal_areas(text)
    need_areas = goal_areas(plaafp_need)
    shared = [a for a in areas if a in need_areas]
    if shared:
        return Relevance(
            True,
            _("The goal and the need share the area(s): {areas}.").format(
                areas=", ".join(str(a) for a in shared)
            ),
        )
    overlap = content_stems(text) & content_stems(plaafp_need)
    if len(overlap) >= 2:
        return Relevance(
            True,
            _("The goal and the need share the words: {words}.").format(
                words=", ".join(sorted(overlap))
            ),
        )
    return Relevance(
        False,
        _("The goal addresses {goal}; the need is about {need}.").format(
            goal=", ".join(str(a) for a in areas) or _("no known area"),
            need=", ".join(str(a) for a in need_areas) or _("no known area"),
        ),
    )
