"""The accommodations library, the how-or-what wording check, and the shared vagueness check."""

from __future__ import annotations

import json
import re
from collections import Counter

import pytest

from tandem.rules.accommodations import (
    CATEGORIES,
    Category,
    Entry,
    Kind,
    LibraryError,
    Setting,
    classify_wording,
    get,
    load_library,
    parse_library,
    search,
)
from tandem.rules.goals import check_accommodation
from tandem.rules.vagueness import LeadKind, vague_condition, vague_criterion_words, vague_lead

A, M = Kind.ACCOMMODATION, Kind.MODIFICATION
LIBRARY = load_library()


def test_the_library_is_big_enough() -> None:
    kinds = Counter(entry.kind for entry in LIBRARY)
    assert kinds[A] >= 60
    assert kinds[M] >= 12


def test_every_category_is_used_and_fits_its_kind() -> None:
    used = Counter(entry.category for entry in LIBRARY)
    assert set(used) == set(Category)
    for entry in LIBRARY:
        assert entry.category in CATEGORIES[entry.kind], entry.code
    for category in (Category.PRESENTATION, Category.RESPONSE, Category.SETTING):
        assert used[category] >= 10


def test_codes_are_unique_slugs() -> None:
    codes = [entry.code for entry in LIBRARY]
    assert len(codes) == len(set(codes))
    assert all(re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", code) for code in codes)
    assert len({entry.title.lower() for entry in LIBRARY}) == len(LIBRARY)


@pytest.mark.parametrize("entry", LIBRARY, ids=lambda entry: entry.code)
def test_every_description_is_one_plain_sentence(entry: Entry) -> None:
    text = entry.description
    assert text[0].isupper() and text.endswith(".")
    assert ". " not in text and ";" not in text, "one sentence"
    assert len(text.split()) <= 22, "short enough for a parent to read at a glance"
    assert not re.search(r"\b(IEP|504|IDEA|CFR|AAC|FM|e\.g)\b", text), "no jargon"


def test_a_modification_never_defaults_to_state_assessments() -> None:
    for entry in LIBRARY:
        assert entry.applies_to
        if entry.kind is M:
            assert Setting.STATE_ASSESSMENTS not in entry.applies_to, entry.code
            assert entry.test_validity_note, f"{entry.code}: a modification changes what is tested"


@pytest.mark.parametrize(
    "code",
    ["read-aloud-test-items", "text-to-speech", "scribe", "spell-checker", "calculator"],
)
def test_entries_that_change_what_a_test_measures_say_so(code: str) -> None:
    assert get(code).test_validity_note


def test_entries_are_frozen_and_the_library_is_cached() -> None:
    entry = get("extended-time")
    assert entry.applies_to == frozenset(Setting)
    with pytest.raises(AttributeError):
        entry.title = "Unlimited time"  # type: ignore[misc]
    assert load_library() is LIBRARY
    with pytest.raises(KeyError, match="no library entry"):
        get("no-such-entry")


@pytest.mark.parametrize("entry", LIBRARY, ids=lambda entry: entry.code)
def test_the_library_words_agree_with_the_wording_check(entry: Entry) -> None:
    verdict = classify_wording(f"{entry.title}. {entry.description}")
    assert verdict.kind is entry.kind, verdict.reason


def _item(**changes: object) -> dict[str, object]:
    item: dict[str, object] = {
        "code": "extended-time",
        "kind": "accommodation",
        "category": "timing_scheduling",
        "title": "Extended time",
        "description": "More time.",
        "applies_to": ["classroom"],
    }
    item.update(changes)
    return item


@pytest.mark.parametrize(
    ("items", "message"),
    [
        ([_item(), _item()], "appears more than once"),
        (
            [_item(kind="modification", category="content", applies_to=["state_assessments"])],
            "state assessments",
        ),
        ([_item(category="content")], "not one for a accommodation"),
        ([_item(category="seating")], "'seating' is not a valid Category"),
        ([_item(code="Extended Time")], "lowercase slug"),
        ([_item(applies_to=[])], "non-empty list"),
        ([_item(applies_to=["home"])], "applies_to"),
        ([_item(description="  ")], "description must be a non-empty string"),
        ([_item(test_validity_note="")], "test_validity_note"),
    ],
)
def test_a_malformed_library_is_refused(items: list[dict[str, object]], message: str) -> None:
    with pytest.raises(LibraryError, match=message):
        parse_library(json.dumps({"items": items}))


def test_invalid_json_is_refused() -> None:
    with pytest.raises(LibraryError, match="not valid JSON"):
        parse_library("{")


def _codes(entries: tuple[Entry, ...]) -> list[str]:
    return [entry.code for entry in entries]


def test_search_matches_every_word_title_hits_first() -> None:
    found = _codes(search("read aloud"))
    assert found[:2] == ["read-aloud-directions", "read-aloud-test-items"]
    assert "text-to-speech" in found  # "reads ... aloud" in the description
    assert _codes(search("  Braille ")) == ["braille", "braille-writer"]


def test_search_filters_by_kind_and_category() -> None:
    assert _codes(search("fewer", kind=M)) == [
        "fewer-concepts",
        "fewer-answer-choices",
        "fewer-problems-to-complete",
    ]
    assert _codes(search("fewer", kind=A)) == [
        "fewer-items-per-page",
        "reduced-distractions",
        "separate-room",
    ]
    assert _codes(search("", category=Category.CONTENT)) == [
        entry.code for entry in LIBRARY if entry.category is Category.CONTENT
    ]
    assert len(search("")) == len(LIBRARY)
    assert search("zebra") == ()


# (wording, suggested kind)
WORDING = [
    # plainly how
    ("Extended time (time and a half) on tests", A),
    ("Test questions read aloud", A),
    ("Preferential seating near the teacher", A),
    ("Breaks as needed", A),
    ("Large print materials", A),
    ("Use of a calculator", A),
    ("Speech-to-text for written responses", A),
    ("Alternate format: braille", A),
    ("Test given in an alternate format (large print)", A),
    ("Answer choices read aloud", A),
    ("Read aloud on reading comprehension tests", M),
    ("Spell-checker allowed on spelling tests", M),
    ("Calculator for math facts fluency probes", M),
    ("Read aloud on math tests", A),
    ("Word bank for writing", A),
    ("Prompts to stay on task", A),
    ("Copy of class notes", A),
    # how, despite a word that often means what
    ("Fewer problems per page", A),
    ("Reduced number of items per page, same content", A),
    ("Show one question at a time; fewer questions on each page", A),
    ("Shorter test sessions with breaks", A),
    ("Shortened tests given in several sessions covering all the same questions", A),
    ("Simplified directions", A),
    ("Simplified vocabulary in directions", A),
    ("Not required to copy notes from the board", A),
    ("Excused from reading aloud in front of the class", A),
    ("Long assignments broken into smaller parts", A),
    # plainly what
    ("Reduced number of answer choices", M),
    ("Two answer choices instead of four", M),
    ("Remove one incorrect answer choice", M),
    ("Alternate grade-level standards", M),
    ("Works toward alternate academic achievement standards", M),
    ("Shortened spelling list", M),
    ("Fewer spelling words (10 instead of 20)", M),
    ("Modified grading", M),
    ("Pass/fail grading in science", M),
    ("Fewer problems", M),
    ("Fewer problems to complete", M),
    ("Reduce the number of questions she must answer", M),
    ("Shortened assignments", M),
    ("Simplified reading passages", M),
    ("Instruction below grade level in math", M),
    ("Alternate assignment in place of the research paper", M),
    ("Open-book tests", M),
    ("Hints on test items", M),
    ("Lower passing score for mastery", M),
    ("Exempt from the written portion of the test", M),
    ("Word bank on tests that ask students to recall terms", M),
    ("Functional curriculum", M),
]


@pytest.mark.parametrize(("wording", "kind"), WORDING, ids=[row[0] for row in WORDING])
def test_classify_wording(wording: str, kind: Kind) -> None:
    verdict = classify_wording(wording)
    assert verdict.kind is kind, verdict.reason
    if kind is M:
        assert verdict.cue and verdict.cue.lower() in " ".join(wording.split()).lower()
        assert "modification" in verdict.reason


def test_the_reasons_read_plainly() -> None:
    assert classify_wording("Fewer problems to complete").reason == (
        "'Fewer problems' reduces how much work is expected: a change in what is taught or "
        "expected, so a modification (an accommodation changes only how)."
    )
    assert classify_wording("Fewer problems per page").reason == (
        "'Fewer problems' with 'per page' spreads the same work out or shows it a part at a "
        "time: a change in how, so an accommodation."
    )
    assert classify_wording("Extended time").cue is None


def test_a_verdict_flags_the_wrong_filing() -> None:
    assert classify_wording("Modified grading").contradicts(A)
    assert not classify_wording("Modified grading").contradicts(M)
    assert not classify_wording("Extended time").contradicts(A)


# --------------------------------------------------------------------------- vague wording


@pytest.mark.parametrize(
    ("text", "words"),
    [
        # the plan editor's words and the goal checker's, in one list
        ("Breaks as needed", ["as needed"]),
        ("Read aloud as necessary", ["as necessary"]),
        ("Use of a calculator if needed", ["if needed"]),
        ("Preferential seating when appropriate", ["when appropriate"]),
        ("Notes provided as requested", ["as requested"]),
        ("Copy of notes when requested", ["when requested"]),
        ("Extra time at the teacher's discretion", ["at the teacher's discretion"]),
        ("Scribe upon request", ["upon request"]),
        ("Frequent breaks where warranted", ["where warranted"]),
        # the wording says who decides or when: not vague
        ("Breaks as needed when the student shows the break card", []),
        ("Extended time as needed on tests and quizzes", []),
        ("Breaks as needed, requested by the student", []),
        # nothing vague
        ("Extended time (1.5x) on tests", []),
    ],
)
def test_vague_condition_finds_the_words_that_leave_who_and_when_open(
    text: str, words: list[str]
) -> None:
    found = vague_condition(text)
    assert [v.text for v in found] == words
    for v in found:
        assert text[v.start : v.end] == v.text and v.field == "text"
    assert [f.span.text for f in check_accommodation(text) if f.span] == words


def test_who_and_when_in_their_own_fields_clear_the_vague_words() -> None:
    # The plan editor keeps "how often / under which condition" and "who provides it" apart.
    assert vague_condition("Breaks as needed")
    assert not vague_condition(
        "Breaks as needed",
        when="When the student shows the break card, up to 3 a day",
        who="Classroom teacher",
    )
    # one field is not enough
    assert vague_condition("Breaks as needed", when="up to 3 a day")
    assert vague_condition("Breaks as needed", who="Classroom teacher")
    # vague words in the condition field itself are found there
    found = vague_condition("Breaks", when="as needed")
    assert [(v.field, v.text) for v in found] == [("when", "as needed")]


@pytest.mark.parametrize(
    ("behavior", "kind", "defined"),
    [
        ("improve reading skills", LeadKind.VERB, False),
        ("improve reading fluency by reading aloud daily", LeadKind.VERB, True),
        ("understand fractions", LeadKind.VERB, False),
        ("increase reading skills", LeadKind.CONSTRUCT, False),
        ("play appropriately with peers", LeadKind.VERB, False),
        ("write neater sentences", LeadKind.OBJECT, False),
        ("read aloud a grade-level passage", None, False),
        ("increase the number of words read correctly", None, False),
    ],
)
def test_vague_lead_names_what_makes_a_behavior_unobservable(
    behavior: str, kind: LeadKind | None, defined: bool
) -> None:
    lead = vague_lead(behavior)
    if kind is None:
        assert lead is None
    else:
        assert lead is not None and lead.kind is kind and lead.defined is defined
        assert behavior.startswith(lead.text)


def test_vague_criterion_words_are_words_where_a_number_should_be() -> None:
    text = "Sam will write legibly with mastery, consistently."
    assert [v.text for v in vague_criterion_words(text)] == [
        "legibly",
        "with mastery",
        "consistently",
    ]
