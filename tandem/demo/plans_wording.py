"""What the demo plans say: present levels, goals, accommodations, 504 impairments, amendments.

Fixed text, chosen from by `plans_content.py`, by `plans.py` (the 504 impairments, the
amendments) and by `plans_writer.py` (the exit note). Accommodation codes are the accommodations
library's (`tandem.rules.accommodations`).
"""

from __future__ import annotations

ACADEMIC_PROFILES = (
    ("reading", "writing"),
    ("reading",),
    ("math",),
    ("reading", "math"),
    ("writing", "executive"),
    ("behavior",),
)

PLAAFP = {
    "reading": (
        "{n} reads {wcpm} words correct per minute on grade-level passages (the grade-level "
        "benchmark is {bench}) and answers literal questions well, but loses meaning in longer "
        "texts. Decoding of multisyllable words is still effortful."
    ),
    "writing": (
        "{n} writes two or three related sentences about a prompt; ideas are good when spoken "
        "aloud, but organizing them on paper and spelling unfamiliar words slow the work down."
    ),
    "math": (
        "{n} adds and subtracts within 100 without regrouping with about 60% accuracy and is "
        "still building fluency with regrouping and with word problems."
    ),
    "executive": (
        "{n} starts tasks when an adult checks in but often loses track of multi-step "
        "assignments; about half of the work is turned in on time."
    ),
    "behavior": (
        "{n} joins class activities and has good friendships, but when frustrated may leave "
        "the group or put their head down; staff logs show three to four such moments a week."
    ),
    "language": (
        "{n} follows one-step directions reliably; two-step directions and new vocabulary "
        "need repetition. Speech is understood by familiar listeners."
    ),
    "articulation": (
        "{n} produces the /r/ sound correctly in about 45% of words in conversation, which "
        "sometimes makes speech hard for unfamiliar listeners to understand."
    ),
    "fine_motor": (
        "{n}'s handwriting is hard to read when writing for more than a few minutes; letters "
        "vary in size and spacing, and {n} tires quickly."
    ),
    "transition": (
        "{n} is starting to think about work and study after high school but has not yet "
        "explored careers in a structured way."
    ),
    "social": (
        "{n} is kind with peers but finds it hard to join a group or to handle disagreement "
        "without adult help."
    ),
}

GOALS = {
    "reading": (
        "Reading",
        "By {by}, when given a grade-level passage, {n} will read aloud at least {target} words "
        "correct per minute on 3 of 4 consecutive weekly probes, as measured by "
        "curriculum-based reading probes.",
        "{wcpm} words correct per minute on grade-level passages",
    ),
    "writing": (
        "Writing",
        "By {by}, when given a story prompt and a graphic organizer, {n} will write a paragraph "
        "of at least 5 sentences with a topic sentence and 2 supporting details, scoring 3 of 4 "
        "on the district writing rubric in 4 of 5 samples, as measured by work samples "
        "collected monthly.",
        "2 to 3 related sentences; rubric score 1 of 4",
    ),
    "math": (
        "Mathematics",
        "By {by}, when given 20 two-digit addition and subtraction problems with regrouping, "
        "{n} will solve them with 80% accuracy on 4 of 5 biweekly probes, as measured by "
        "teacher-made probes.",
        "About 60% accuracy without regrouping",
    ),
    "executive": (
        "Executive functioning",
        "By {by}, when given a multi-step assignment, {n} will break it into steps with a "
        "checklist and turn in the completed work on time for 80% of assignments over a "
        "4-week period, as measured by the planner and gradebook review.",
        "About half of assignments turned in on time",
    ),
    "behavior": (
        "Social-emotional",
        "By {by}, when frustrated during class, {n} will use a taught calming strategy or ask "
        "for a break within 2 minutes in 4 of 5 observed instances each week for 6 consecutive "
        "weeks, as measured by staff behavior logs.",
        "3 to 4 times a week leaves the group or disengages",
    ),
    "language": (
        "Language",
        "By {by}, when given two-step oral directions in class, {n} will follow them "
        "independently in 8 of 10 opportunities across 3 consecutive weeks, as measured by "
        "teacher observation checklists.",
        "Follows one-step directions; two-step directions need repetition",
    ),
    "articulation": (
        "Articulation",
        "By {by}, during structured conversation, {n} will produce the /r/ sound correctly in "
        "words and sentences with 90% accuracy in 3 consecutive sessions, as measured by "
        "speech-language pathologist data.",
        "/r/ correct in about 45% of words in conversation",
    ),
    "fine_motor": (
        "Fine motor",
        "By {by}, when given a written task, {n} will form legible letters sized within the "
        "lines with 90% accuracy in 4 of 5 writing samples, as measured by occupational "
        "therapist work-sample review.",
        "Letters vary in size and spacing after a few minutes of writing",
    ),
    "social": (
        "Social skills",
        "By {by}, during small-group activities, {n} will join the group and take turns "
        "without adult prompting in 4 of 5 observed sessions for 4 consecutive weeks, as "
        "measured by counselor observation notes.",
        "Needs adult help to join a group in most observed sessions",
    ),
    "transition": (
        "Transition",
        "By {by}, when given career interest inventories and work-based activities, {n} will "
        "complete at least 3 career exploration activities and name at least 2 jobs that match "
        "personal interests, as measured by a transition portfolio reviewed quarterly.",
        "Has not yet explored career interests in a structured way",
    ),
}

ACCOMMODATIONS = {
    "reading": ("read-aloud-directions", "text-to-speech", "audio-recorded-text", "line-reader"),
    "writing": ("speech-to-text", "word-processor", "graphic-organizer", "word-prediction"),
    "math": ("math-facts-chart", "graph-paper", "math-manipulatives", "calculator"),
    "executive": ("task-checklist", "chunked-assignments", "visual-timer", "copy-of-notes"),
    "behavior": ("calm-down-space", "frequent-breaks", "transition-warnings", "flexible-seating"),
    "language": ("repeated-directions", "visual-supports", "vocabulary-preview"),
    "articulation": ("check-in-on-understanding",),
    "fine_motor": ("adapted-writing-tools", "word-processor"),
    "social": ("preferential-seating",),
    "general": ("extended-time", "small-group", "reduced-distractions", "preferential-seating"),
}
MODIFICATIONS = {
    "reading": "simplified-passages",
    "writing": "shortened-assignments",
    "math": "fewer-problems-to-complete",
    "executive": "shortened-assignments",
    "behavior": "excused-from-parts",
}
WHEN = {
    "presentation": "During instruction and on classroom tests",
    "response": "For written work longer than a few sentences",
    "setting": "During tests and independent work",
    "timing_scheduling": "On tests and timed assignments",
    "content": "In English language arts and mathematics",
    "expectations": "On homework and classwork",
}
PROVIDED_BY = {
    "presentation": "General education teacher",
    "response": "General education teacher",
    "setting": "General education teacher and case manager",
    "timing_scheduling": "General education teacher",
    "content": "Case manager with the general education teacher",
    "expectations": "Case manager with the general education teacher",
}

# 504 Plans: impairment, the life activities it limits, and accommodations by setting.
IMPAIRMENTS_504 = (
    (
        "Attention-deficit/hyperactivity disorder (ADHD), diagnosed by the family's physician",
        ("learning", "concentrating", "thinking"),
        ("preferential-seating", "frequent-breaks", "extended-time", "separate-room"),
    ),
    (
        "Type 1 diabetes",
        ("the endocrine system", "eating", "concentrating"),
        ("health-routine-timing", "scheduled-breaks", "best-time-of-day", "multiple-sessions"),
    ),
    (
        "Anxiety disorder, documented by a licensed therapist",
        ("concentrating", "thinking", "communicating"),
        ("advance-notice-of-tests", "small-group", "calm-down-space", "familiar-adult"),
    ),
    (
        "Dyslexia, identified through a private evaluation the team reviewed",
        ("reading", "learning"),
        ("text-to-speech", "audio-recorded-text", "extended-time", "digital-text"),
    ),
    (
        "Severe food allergy (peanuts and tree nuts)",
        ("breathing", "eating"),
        ("health-routine-timing", "accessible-room", "scheduled-breaks"),
    ),
    (
        "Hearing loss in one ear",
        ("hearing", "learning"),
        ("preferential-seating", "captions", "sound-amplification", "repeated-directions"),
    ),
)

AMENDMENTS = (
    (
        "noise-reducing-headphones",
        "Added headphones for independent work after the family and teacher noticed that "
        "classroom noise was getting in the way.",
    ),
    (
        "visual-timer",
        "Added a visual timer so transitions during small-group time go more smoothly.",
    ),
    (
        "study-carrel",
        "Added a study carrel for tests, which the student asked to try.",
    ),
)

EXITS = (
    "A reevaluation found that {n} no longer needs specialized instruction to make progress "
    "in the general curriculum; the team and the family agreed to exit special education. "
    "Classroom supports continue informally."
)
