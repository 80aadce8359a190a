"""The criterion patterns: how each kind of mastery criterion is written (PROGRESS.md 3)."""

from __future__ import annotations

from typing import Final

from tandem.rules.goals.lexicon import NUM, PCT, PER_UNITS, TIME_UNIT, num_group, rx, word_list

ACC_WORDS = (
    r"(?:\s+(?:accuracy|accurate(?:ly)?|correct(?:ly)?|success|successful|mastery|proficiency"
    r"|or\s+(?:higher|better|above|more|greater)|or\s+above))*"
)
PERCENT = (
    r"(?:(?:an?\s+)?(?:accuracy|success)\s+(?:rate\s+|level\s+)?of\s+(?:at\s+least\s+)?)?"
    rf"(?P<between>between\s+)?{num_group('p')}(?:{PCT})?(?:\s*(?:-|–|to|and)\s*{num_group('p2')})?{PCT}"
)
# "80% of intervals"; a ceiling may come between: "10% or fewer of intervals", "3% or fewer
# syllables" (then "of" may go: the whole must be one of the interval nouns).
INTERVAL = rx(
    rf"{PERCENT}(?:\s+or\s+(?P<cap>fewer|less|lower|more|greater|higher)(?:\s+of)?|\s+of)"
    rf"\s+(?P<of>(?:[0-9]+[- ](?:second|minute)[- ]?)?[a-z][\w'-]*"
    r"(?:\s+(?![0-9])(?!(?:by|in|on|with|for|during|across|over|as|when|while|and|to|at|from|"
    r"within|without|each|per)\b)[a-z][\w'-]*){0,3})"
)
INTERVAL_NOUNS: Final = frozenset(
    word_list(
        """
        intervals interval opportunities opportunity observations observation utterances
        utterance trials trial attempts attempt responses response sessions session assignments
        assignment tasks task days day contexts context periods period time syllables turns
        exchanges samples sample requests directions prompts occasions instances transitions
        lessons classes
        """
    )
)
ACCURACY = rx(rf"{PERCENT}{ACC_WORDS}")
ITEM_OF = frozenset(
    word_list(
        """
        words word problems questions items sounds letters facts answers responses sentences
        steps fields
        """
    )
)
OF_FILLERS: Final = frozenset(
    ["the", "his", "her", "their", "all", "observed", "total", "his", "available"]
)
UNDEFINED_OF = rx(
    r"^(?:the\s+)?(?:time|day|school\s+day|class|class\s+time|period|week|year|school\s+year)$"
)
WINDOW = rx(
    rf"\b(?:during|in|within|of|across|over)\s+(?:an?\s+|each\s+|any\s+|one\s+|the\s+)?(?:{NUM}[- ]"
    r"(?:second|minute|min|hour)[- ]?(?:\w+\s+)?(?:observations?|periods?|sessions?|intervals?|blocks?|samples?"
    r"|class(?:es)?|lessons?|activit(?:y|ies)|probes?|time\s+samples?))"
    r"|\b(?:momentary\s+time\s+sampling|partial[- ]interval|whole[- ]interval|interval\s+recording"
    r"|time[- ]sampling)\b"
)
MAX_LEAD = rx(
    r"(?:no\s+more\s+than|not\s+more\s+than|fewer\s+than|less\s+than|at\s+most|under|below|"
    r"a\s+maximum\s+of|maximum\s+of|up\s+to)\s+(?:an?\s+average\s+of\s+)?$"
)

RATE_ABBR = (
    r"(?:wcpm|cwpm|wpm|wrcm|wrc(?:pm|/min)?|wcm|clspm|cls/min|cls|lsf|lnf|nwf|dcpm|cdpm|lspm|"
    r"cwpm|digits\s+correct\s+per\s+minute|correct\s+words\s+per\s+minute|"
    r"words\s+(?:read\s+)?correct(?:ly)?\s+(?:read\s+)?per\s+minute)"
)
RATE_ABBR_RE = rx(
    rf"(?:(?:at|with)\s+(?:a\s+)?(?:rate|pace|speed|fluency)\s+of\s+)?(?P<between>between\s+)?"
    rf"{num_group('v')}(?:\s*(?:-|–|to|and)\s*{num_group('v2')})?\s*(?P<unit>{RATE_ABBR})\b"
)
RATE_PER_MIN = rx(
    rf"(?P<between>between\s+)?{num_group('v')}(?:\s*(?:-|–|to|and)\s*{num_group('v2')})?"
    r"\s+(?P<unit>(?:[a-z][\w'’-]*\s+){0,3}?[a-z][\w'’-]*)\s+(?:per|a|each|every|/|in\s+(?:one|1|a|a\s+single))"
    r"\s*(?:-\s*)?(?:minute|min)\b"
)
RATE_IN_MIN = rx(
    rf"{num_group('v')}\s+(?P<unit>(?:[a-z][\w'’-]*\s+){{0,3}}?[a-z][\w'’-]*)\s+in\s+{num_group('mins')}\s+minutes?\b"
)
RATE_UNIT_OK = rx(
    r"\b(?:words?|letters?|sounds?|digits?|problems?|facts?|syllables?|phonemes?|segments?|"
    r"sequences?|wpm|wcpm|cwpm|correct|items?|answers?|responses?|characters?|keystrokes?)\b"
)

MOFN_RE = rx(
    rf"(?:(?:at\s+least|a\s+minimum\s+of)\s+)?{num_group('m')}\s*(?:out\s+of(?:\s+the)?|of(?:\s+the)?|/)\s*"
    rf"(?:(?:last|next|past)\s+)?{num_group('n')}"
)
CONSEC_RE = rx(
    rf"{num_group('k')}\s+(?:(?:consecutive|successive|straight|back[- ]to[- ]back)\b"
    r"|(?=(?:[\w-]+\s+){0,2}?(?:sessions?|days?|weeks?|probes?|trials?|times|opportunities)\s+in\s+a\s+row))"
)
CONSEC_TAIL = rx(r"\s+in\s+a\s+row\b")

CEILING_RE = rx(
    r"(?P<lead>no\s+more\s+than|not\s+more\s+than|fewer\s+than|less\s+than|at\s+most|"
    r"(?:a\s+)?maximum\s+of|a\s+max\s+of|up\s+to|no\s+greater\s+than|under|(?<=\bto\s)zero|"
    r"(?<=\bto\s)0(?=\s))\s*"
    rf"(?:(?:a\s+total\s+of|an\s+average\s+of)\s+)?(?P<n>{NUM}|(?<=zero)|(?<=0))"
    r"|(?P<n2>"
    + NUM
    + r")(?=\s+or\s+(?:fewer|less)\b|\s+(?:[\w-]+\s+){0,2}?[\w-]+\s+or\s+(?:fewer|less)\b)"
)
OR_FEWER = rx(r"\s*or\s+(?:fewer|less)\b")
NO_ERRORS = rx(
    r"\b(?:with\s+)?(?:no|zero|0)\s+(?!more\b|fewer\b|less\b)(?:[\w-]+\s+)?(?:errors?|mistakes)\b"
    r"|\bwithout\s+(?:any\s+|making\s+(?:any\s+)?)?(?:errors?|mistakes)\b|\berror[- ]free\b"
)
ERROR_PCT = rx(
    rf"\b(?:errors?|mistakes)\s+(?:on|in)\s+(?:no\s+more\s+than|fewer\s+than|less\s+than)\s+{num_group('p')}"
    rf"{PCT}(?:\s+of\s+(?:[\w-]+\s+){{0,2}}?[\w-]+)?"
    rf"|\b(?:fewer|less)\s+than\s+{num_group('q')}{PCT}\s+(?:[\w-]+\s+)?(?:errors?|mistakes)"
    rf"|\b{num_group('r')}{PCT}\s+or\s+(?:fewer|less)\s+(?:[\w-]+\s+)?(?:errors?|mistakes)"
)
PER_TAIL = rx(
    rf"\s+(?:per|a|an|each|every|in\s+(?:a|an|each|one)|during\s+(?:a|an|each|one|the)|across\s+(?:a|an|the))"
    rf"\s+(?:(?:[0-9]+[- ]\w+|[\w-]+)\s+)??(?P<per>{PER_UNITS})s?\b|\s+(?P<per2>daily|weekly|monthly|hourly)\b"
)
FREQ_RE = rx(
    r"(?:(?P<cmp>at\s+least|a\s+minimum\s+of|no\s+fewer\s+than|minimum\s+of|a\s+total\s+of)\s+)?"
    rf"(?P<c>{NUM}|once|twice)(?:\s+(?P<unit>(?:[\w-]+\s+){{0,3}}?[\w-]+))?"
    rf"(?=\s+(?:per|a|an|each|every|in\s+(?:a|an|each|one)|during\s+(?:a|an|each|one|the))\s+"
    rf"(?:(?:[0-9]+[- ]\w+|[\w-]+)\s+)??{PER_UNITS}s?\b|\s+(?:daily|weekly|monthly|hourly)\b)"
)
SEPARATE_RE = rx(
    rf"\bon\s+(?:at\s+least\s+)?{num_group('c')}\s+(?:separate|different|distinct)\s+(?P<unit>days|occasions|sessions"
    r"|weeks|dates)\b"
)
BASELINE_TAIL = (
    r"\s+(?:of|from)\s+(?:(?:the|his|her|their)\s+)?(?:baseline|current)"
    r"(?:\s+(?:mean|average|level|rate|median|levels?))?"
)
REDUCTION_PCT = rx(
    r"\b(?:decrease[sd]?|reduce[sd]?|reduction|lower(?:ed|s)?|decline)\b(?:\s+[\w-]+){0,8}?\s+"
    rf"(?:by\s+{num_group('p')}{PCT}(?:{BASELINE_TAIL})?|{num_group('p3')}{PCT}{BASELINE_TAIL})"
    rf"|{num_group('q')}{PCT}\s+(?:reduction|decrease)\b"
)
INCREASE_PCT = rx(
    r"\b(?:increase[sd]?|improve[sd]?|raise[sd]?)\b(?:\s+[\w-]+){0,8}?\s+by\s+"
    rf"{num_group('p')}{PCT}(?:\s+(?:of|from|over)\s+(?:(?:the|his|her|their)\s+)?(?:baseline|current)"
    r"(?:\s+(?:mean|average|level|rate|median))?)?"
)
UNIT_STOP = (
    r"(?!(?:with|in|on|across|by|as|for|over|during|when|and|at|given|while|using|within|"
    r"from|to|the|a)\b)"
)
FROM_TO = rx(
    r"\bfrom\s+(?:an?\s+)?(?:(?:current|present|initial)\s+)?(?:(?:baseline|level|rate|average|mean|"
    r"median|score)\s+)?(?:(?:level|score|rate|average)\s+)?(?:of\s+)?(?:an?\s+(?:average|mean|median)"
    rf"\s+of\s+)?{num_group('b')}(?:\s*(?P<bp>%|percent))?(?P<bu>(?:\s+{UNIT_STOP}[a-z][\w'/-]*){{0,4}}?)"
    r"\s+to\s+(?:an?\s+(?:target|goal|average|mean|median)\s+(?:level\s+)?of\s+)?"
    r"(?P<tl>(?:at\s+least|no\s+more\s+than|fewer\s+than|less\s+than|a\s+minimum\s+of|"
    rf"a\s+maximum\s+of)\s+)?{num_group('t')}(?:\s*(?P<tp>%|percent))?"
    rf"(?P<tu>(?:\s+{UNIT_STOP}[a-z][\w'/-]*){{0,4}})"
)
COUNTING = rx(r"\b(?:count(?:ing)?|numbers?|numerals?|rote)\s+(?:\w+\s+)?$")
BASELINE_ONLY = rx(
    r"(?:\b(?:up|down)\s+)?\bfrom\s+(?:an?\s+|the\s+|(?:his|her|their)\s+)?(?:(?:current|present|initial)\s+)?"
    rf"baseline\s+(?:(?:level|score|rate|average)\s+)?(?:of\s+)?{num_group('b')}\s*(?P<bp>%|percent)?"
    r"(?P<bu>(?:\s+(?!with\b|in\b|on\b|by\b|as\b|and\b|to\b)[a-z][\w'/-]*){0,4})"
    rf"|\(\s*(?:current\s+)?baseline\s*(?:[:=]|is|of)?\s*{num_group('b2')}[^)\n]{{0,40}}\)"
)
RUBRIC_RE = rx(
    r"(?:(?:a\s+|an\s+)?(?:rubric\s+|holistic\s+|average\s+)?(?:score|rating)\s+of\s+)?"
    r"(?:(?:at\s+least|a\s+minimum\s+of)\s+)?(?:an?\s+)?"
    rf"{num_group('s')}(?:\s*(?:out\s+of|/|of)\s*{num_group('o')})?"
    r"(?:\s+or\s+(?:higher|better|above|greater|more|lower|less|below|fewer))?"
    r"\s+(?:on|using|according\s+to|in)\s+(?:an?|the|each\s+(?:\w+\s+)?of\s+the)\s+"
    rf"(?:{num_group('o2')}[- ]point\s+)?(?:[\w-]+\s+){{0,3}}?(?:rubric|rating\s+scale|scale)\b"
    r"|(?:(?:a|an)\s+)?(?:rubric|holistic|writing|rubric-based)\s+(?:score|rating)\s+of\s+"
    rf"(?:(?:at\s+least|a\s+minimum\s+of)\s+)?(?:an?\s+)?{num_group('s2')}(?:\s*(?:out\s+of|/|of)\s*{num_group('o3')})?"
    r"(?:\s+or\s+(?:higher|better|above|greater|more|lower|less|below|fewer))?"
    rf"|\b(?:score|rating)\s+of\s+(?:(?:at\s+least|a\s+minimum\s+of)\s+)?(?:an?\s+)?{num_group('s3')}"
    rf"\s*(?:out\s+of|/|of)\s*{num_group('o4')}(?![\s-]*(?:%|percent|trials|opportunities|sessions))"
    r"(?:\s+or\s+(?:higher|better|above|greater|more|lower|less|below|fewer))?"
)
PROMPT_TYPE = (
    r"((?:indirect\s+|direct\s+)?verbal(?:\s+(?:and|or|/)\s+(?:visual|gestural|written))?|"
    r"gestural|gestures?|visual|written|model(?:ing|ed|s)?|partial[- ]physical|full[- ]physical|"
    r"physical|hand[- ]over[- ]hand|hand[- ]under[- ]hand|tactile)"
)
PROMPT_RE = rx(
    r"\b(?P<lead>with|given|using|needing|requiring|receiving|after|following|and)\s+"
    r"(?:(?P<cap>no\s+more\s+than|not\s+more\s+than|fewer\s+than|less\s+than|at\s+most|up\s+to|only|"
    r"a\s+maximum\s+of|a\s+max\s+of|a\s+single|no\s+greater\s+than)\s+)?"
    rf"(?:(?P<n>{NUM}|an?)\s+)?"
    r"(?:(?P<q>minimal|minimum|min\.?|moderate|mod\.?|maximal|maximum|max\.?|faded|fading|occasional|"
    r"intermittent|limited|light|reduced|decreasing|least[- ]to[- ]most|most[- ]to[- ]least|"
    r"individual|additional)\s+)?(?:(?:adult|teacher|staff|peer|clinician|therapist|slp|para"
    r"(?:professional)?|aide)\s+)?"
    rf"(?:(?P<type>{PROMPT_TYPE})\s*)?(?P<noun>prompts?|prompting|cues?|cueing|cuing|reminders?|redirections?|"
    r"redirects?|assistance|support|models?|help|check[- ]ins?)\b(?!\s+(?:cards?|boards?|strips?))"
    r"|\bat\s+(?:the|an?)\s+(?P<type2>independent|gestural|verbal|model(?:ing)?|partial[- ]physical|"
    r"full[- ]physical)\s+(?:prompt\s+)?level\b"
    rf"|\b(?P<cap2>no\s+more\s+than|fewer\s+than|at\s+most)\s+(?:(?:an?|one|{NUM})\s+)?(?P<type3>{PROMPT_TYPE})"
    r"\s+(?:prompts?|cues?|prompting|cueing|assistance)\b"
)
INDEPENDENT_RE = rx(
    r"(?<!\blive\s)(?<!\bliving\s)\bindependently\b(?!\s+living)"
    r"|\bwithout\s+(?:any\s+)?(?:adult\s+|teacher\s+|staff\s+|verbal\s+|physical\s+|visual\s+|"
    r"additional\s+)?(?:prompts?|prompting|cues?|cueing|assistance|help|support|reminders?|redirection)\b"
    r"|\bwith\s+(?:no|zero|0)\s+(?:adult\s+|teacher\s+|staff\s+)?(?:prompts?|prompting|cues?|cueing|"
    r"assistance|help|support|reminders?)\b|\bwith\s+independence\b|\bunprompted\b"
    r"|\bon\s+(?:his|her|their)\s+own\b"
)
PRECISION_RE = rx(
    r"\bwithin\s+(?:a\s+|an\s+|one\s+|plus\s+or\s+minus\s+|\+/-\s*)?"
    r"(?P<v>[0-9]{1,4}\s*/\s*[0-9]{1,4}|½|¼|¾|one[- ]half|one[- ]quarter|a\s+half|a\s+quarter|half|quarter|"
    + NUM
    + r")(?:\s+of)?(?:\s+(?:an?|one))?\s*"
    r"(?P<u>inch(?:es)?|\"|cm|centimeters?|millimeters?|mm|meters?|feet|foot|degrees?|°|pounds?|lbs?|"
    r"ounces?|oz|grams?|cents?|dollars?|units?|points?|lines?)(?!\w)"
    r"|\bwithin\s+\$\s*(?P<money>[0-9]{1,4}(?:\.[0-9]{1,2})?)"
    r"|\bto\s+the\s+nearest\s+(?P<v2>[0-9]{1,4}\s*/\s*[0-9]{1,4}|half|quarter|tenth|hundredth|"
    + NUM
    + r")?\s*(?P<u2>inch(?:es)?|centimeters?|cm|millimeters?|mm|minutes?|hour|dollar|cent|"
    r"whole\s+number|ten|hundred|thousand|degree|unit|pound|ounce)?(?:s)?\b"
)
LATENCY_RE = rx(
    rf"\bwithin\s+{num_group('n')}\s*(?P<u>seconds?|secs?|minutes?|mins?|s\b|min\b)"
    r"(?P<tail>\s+(?:of|after|from|following|when|once)\b"
    r"(?:\s+(?!(?:in|on|with|without|within|for|across|during|and|as|by|to|at)\b)[A-Za-z][\w'’-]*){0,4})?"
)
LATENCY_VERBS = rx(
    r"\b(?:begin|begins|start|starts|initiate|initiates|respond|responds|comply|complies|follow|"
    r"transition|return|line\s+up|sit\s+down|get\s+started|answer|react|indicate|request|ask|"
    r"signal|tell|greet|move)\b"
)
COMPLETION_VERBS = rx(
    r"\b(?:complete|completes|finish|finishes|copy|copies|write|writes|type|types|solve|solves|"
    r"assemble|clean|put\s+on|put\s+away|pack|dress|eat|button|zip|string|read|reads)\b"
)
DURATION_RE = rx(
    r"(?:\bfor\s+)?(?P<cmp>a\s+minimum\s+of|at\s+least|minimum\s+of|a\s+total\s+of)\s+"
    rf"{num_group('n')}\s*(?:(?:consecutive|continuous|full|uninterrupted)\s+)?(?P<u>{TIME_UNIT})"
    rf"|\bfor\s+(?:a\s+(?:period|total)\s+of\s+)?{num_group('n2')}\s*(?:(?:consecutive|continuous|full|"
    rf"uninterrupted)\s+)?(?P<u2>{TIME_UNIT})"
    rf"|{num_group('n3')}\s*(?P<u3>{TIME_UNIT})\s+or\s+(?P<more>more|longer|less|fewer|under|shorter)\b"
    rf"|\bin\s+(?:under|less\s+than)\s+{num_group('n4')}\s*(?P<u4>{TIME_UNIT})"
    rf"|\b(?:lasting|last)\s+(?:at\s+least\s+)?{num_group('n5')}\s*(?P<u5>{TIME_UNIT})"
    rf"|\bfor\s+(?:the|an?)\s+(?:full|entire|whole)\s+{num_group('n6')}[- ](?P<u6>second|minute|hour)s?\b"
    r"(?:\s+[a-z][\w-]*){0,2}?\s+(?:block|period|class|session|lesson|activity)\b"
)
CRITERION_CUE = rx(
    rf"{NUM}(?:{PCT}|\s*(?:out\s+of|/)\s*{NUM}"
    r"|\s+(?:\w+\s+){0,2}?(?:trials|opportunities|sessions|attempts|probes)\b|\s+(?:\w+\s+)?errors?\b)"
    r"|\bwith\s+(?:\w+\s+){0,2}accuracy\b|\bconsecutive\b"
    r"|\bper\s+minute\b|\b(?:wpm|wcpm|cwpm)\b|\bscore\s+of\b"
)


REDUCTION_NOUNS: Final = frozenset(
    word_list(
        """
        time times incident incidents instance instances occurrence occurrences episode episodes
        outburst outbursts tantrum tantrums refusal refusals behavior behaviors behaviour
        behaviours call-outs callouts interruption interruptions absence absences tardy tardies
        tardies act acts occasion occasions event events elopement elopements attempt attempts
        referral referrals disruption disruptions meltdown meltdowns aggression accident
        accidents spill spills tardy tardies
        """
    )
)
PER_WORD: Final[dict[str, str]] = {
    "daily": "day",
    "weekly": "week",
    "monthly": "month",
    "hourly": "hour",
}
