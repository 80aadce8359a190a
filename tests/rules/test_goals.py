"""The SMART goal checker: the guide's example, each criterion kind, each flag, and properties."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.rules.goals import (
    CHECKER_VERSION,
    DEFAULT_CHECKS,
    DEFAULT_PROMPT_HIERARCHY,
    Accuracy,
    Area,
    CriterionKind,
    Direction,
    Flag,
    FlagCode,
    GoalAnalysis,
    GoalCheck,
    MOfN,
    MofNReading,
    PromptLevel,
    Sentence,
    Severity,
    check_accommodation,
    check_goal,
    criterion_json,
    from_record,
    goal_areas,
    prompt_within,
    read_sentence,
    to_record,
)

GUIDE = (
    "By the end of the second quarter, the student will read a grade-level passage of 100 words "
    "and correctly answer five comprehension questions, demonstrating understanding of the main "
    "idea and key details, with 80% accuracy in 4 out of 5 trials, as measured by weekly teacher "
    "assessments and progress monitoring."
)


# --------------------------------------------------------------------------- the guide's example


def test_guide_example_finds_every_smart_part() -> None:
    a = check_goal(GUIDE)
    assert a.timeframe is not None and a.timeframe.text == "By the end of the second quarter"
    assert a.learner is not None and a.learner.text == "the student"
    assert a.behavior is not None
    assert (
        "read a grade-level passage of 100 words and correctly answer five comprehension questions"
        in a.behavior.text
    )
    assert a.condition is None
    assert a.measurement is not None
    assert a.measurement.text == (
        "as measured by weekly teacher assessments and progress monitoring"
    )
    assert a.schedule is not None and a.schedule.text == "weekly"
    assert a.direction is Direction.INCREASE
    assert (a.smart.specific, a.smart.measurable, a.smart.time_bound) == (True, True, True)
    assert a.smart.achievable == "unknown"
    assert a.smart.relevant == "unknown"


def test_guide_example_criteria_are_typed_atoms_sliced_from_the_text() -> None:
    a = check_goal(GUIDE)
    accuracy, m_of_n = a.criteria
    assert isinstance(accuracy, Accuracy) and accuracy.percent == 80
    assert isinstance(m_of_n, MOfN)
    assert (m_of_n.m, m_of_n.n, m_of_n.unit) == (4, 5, "trials")
    assert m_of_n.reading is MofNReading.SESSIONS  # the default reading
    for atom in a.criteria:
        assert GUIDE[atom.start : atom.end] == atom.text
    assert [c.text for c in a.criteria] == ["80% accuracy", "4 out of 5 trials"]


def test_guide_example_flags_the_ambiguous_m_of_n_with_both_readings() -> None:
    a = check_goal(GUIDE)
    assert a.flag_codes == (FlagCode.AMBIGUOUS_M_OF_N,)
    flag = a.flags[0]
    assert flag.severity is Severity.INFO
    assert flag.span is not None and flag.span.text == "80% accuracy in 4 out of 5 trials"
    assert [r.reading for r in flag.readings] == [MofNReading.SESSIONS, MofNReading.ITEMS]
    (ambiguity,) = a.ambiguities
    assert ambiguity.chosen is MofNReading.SESSIONS and not ambiguity.confirmed


def test_guide_example_json_has_exactly_the_documented_shape() -> None:
    out = check_goal(GUIDE).to_json()
    assert list(out) == ["smart", "components", "criteria", "direction", "flags"]
    assert out["smart"] == {
        "specific": True,
        "measurable": True,
        "achievable": "unknown",
        "relevant": "unknown",
        "time_bound": True,
    }
    assert out["components"] == {
        "timeframe": "By the end of the second quarter",
        "condition": None,
        "learner": "the student",
        "behavior": (
            "read a grade-level passage of 100 words and correctly answer five comprehension "
            "questions, demonstrating understanding of the main idea and key details"
        ),
        "measurement": "as measured by weekly teacher assessments and progress monitoring",
    }
    assert out["criteria"] == [
        {"kind": "accuracy", "percent": 80, "text": "80% accuracy", "start": 209, "end": 221},
        {
            "kind": "m_of_n",
            "m": 4,
            "n": 5,
            "unit": "trials",
            "reading": "sessions",
            "text": "4 out of 5 trials",
            "start": 225,
            "end": 242,
        },
    ]
    assert out["direction"] == "increase"
    flags = out["flags"]
    assert isinstance(flags, list) and len(flags) == 1
    flag = flags[0]
    assert isinstance(flag, dict)
    assert {"code", "message", "severity", "suggestion", "span", "fix"} <= set(flag)
    assert flag["code"] == "ambiguous_m_of_n"
    json.dumps(out)  # serialisable as is


def test_choosing_the_reading_confirms_it_and_drops_the_flag() -> None:
    a = check_goal(GUIDE, reading=MofNReading.ITEMS)
    m_of_n = next(c for c in a.criteria if isinstance(c, MOfN))
    assert m_of_n.reading is MofNReading.ITEMS
    assert FlagCode.AMBIGUOUS_M_OF_N not in a.flag_codes
    assert a.ambiguities[0].confirmed and a.ambiguities[0].chosen is MofNReading.ITEMS
    assert check_goal(GUIDE).choose_reading(MofNReading.ITEMS) == a


def test_a_reading_settles_only_an_ambiguous_criterion() -> None:
    # No accuracy: each of the 5 trials passes or fails, so "4 of 5" can only count items. A
    # reading left over from an earlier version of the text must not turn it into sessions.
    text = "By June 2026, Sam will greet a peer in 4 of 5 trials, as measured by staff data."
    for reading in (None, MofNReading.SESSIONS, MofNReading.ITEMS):
        a = check_goal(text, reading=reading)
        m_of_n = next(c for c in a.criteria if isinstance(c, MOfN))
        assert m_of_n.reading is MofNReading.ITEMS and a.ambiguities == ()


def test_explicit_session_unit_is_not_ambiguous() -> None:
    a = check_goal(
        "By June 2026, Mateo will produce /r/ in words with 90% accuracy in 4 out of 5 sessions, "
        "as measured by SLP data."
    )
    assert FlagCode.AMBIGUOUS_M_OF_N not in a.flag_codes
    assert next(c for c in a.criteria if isinstance(c, MOfN)).reading is MofNReading.SESSIONS


# --------------------------------------------------------------------------- criterion kinds

KINDS = [
    ("Sam will solve problems with 85% accuracy by May 2026.", "accuracy", {"percent": 85}),
    (
        "Sam will tie his shoes in 4 out of 5 opportunities by May 2026.",
        "m_of_n",
        {"m": 4, "n": 5, "unit": "opportunities", "reading": "items"},
    ),
    ("Sam will name 5 colors for 3 consecutive days by May 2026.", "consecutive", {"k": 3}),
    (
        "Sam will read 90 words correct per minute by May 2026.",
        "rate",
        {"value": 90, "per": "minute", "unit": "words correct"},
    ),
    ("Sam will read 90 wcpm by May 2026.", "rate", {"value": 90, "unit": "wcpm"}),
    (
        "Sam will add 40 digits correct in 2 minutes by May 2026.",
        "rate",
        {"value": 40, "per": "2 minutes"},
    ),
    (
        "Sam will read 90 wcpm with 2 or fewer errors by May 2026.",
        "error_limit",
        {"max_errors": 2},
    ),
    (
        "Sam will spell words with fewer than 3 errors by May 2026.",
        "error_limit",
        {"max_errors": 2},
    ),
    (
        "Sam will remain seated for a minimum of 10 minutes by May 2026.",
        "duration",
        {"seconds": 600, "comparator": "min"},
    ),
    (
        "Sam will pack his bag in under 5 minutes by May 2026.",
        "duration",
        {"seconds": 300, "comparator": "max"},
    ),
    (
        "Sam will begin work within 2 minutes of the direction by May 2026.",
        "latency",
        {"seconds": 120},
    ),
    (
        "Sam will greet a peer at least 3 times per day by May 2026.",
        "frequency",
        {"count": 3, "per": "day", "comparator": "min"},
    ),
    (
        "Sam will reduce tantrums from 5 per day to 1 per day by May 2026.",
        "reduction",
        {"baseline": 5, "target": 1},
    ),
    (
        "Sam will call out no more than 2 times per class period by May 2026.",
        "reduction",
        {"baseline": None, "target": 2, "per": "class period"},
    ),
    (
        "Sam will decrease hitting by 50% from baseline by May 2026.",
        "reduction",
        {"percent": 50},
    ),
    (
        "Sam will stay on task for 80% of 1-minute intervals during a 20-minute observation "
        "by May 2026.",
        "interval_percent",
        {"percent": 80, "of": "1-minute intervals", "comparator": "min"},
    ),
    (
        "Sam will write a paragraph scoring 3 out of 4 on a writing rubric by May 2026.",
        "rubric",
        {"score": 3, "out_of": 4},
    ),
    (
        "Sam will follow directions with no more than 2 verbal prompts by May 2026.",
        "prompt_level",
        {"level": "verbal", "max_prompts": 2, "comparator": "max"},
    ),
    (
        "Sam will button his coat with hand-over-hand assistance by May 2026.",
        "prompt_level",
        {"level": "full_physical"},
    ),
    (
        "Sam will cut on a line within 1/4 inch by May 2026.",
        "precision",
        {"tolerance": 0.25, "unit": "inch"},
    ),
    (
        "Sam will read 18 of 20 sight words by May 2026.",
        "item_count",
        {"count": 18, "of": 20, "unit": "sight words"},
    ),
    (
        "Sam will state at least 3 coping strategies by May 2026.",
        "item_count",
        {"count": 3, "of": None},
    ),
    (
        "Sam will increase reading fluency from 45 to 90 wcpm by May 2026.",
        "baseline_to_target",
        {"baseline": 45, "target": 90, "unit": "wcpm"},
    ),
    (
        "After graduation, Sam will enroll in a community college welding program.",
        "binary_outcome",
        {},
    ),
    (
        "By May 2026, Sam will score at or above the 25th percentile on the STAR Reading test.",
        "scale_score",
        {"value": 25, "scale": "percentile", "comparator": "min"},
    ),
]


@pytest.mark.parametrize(("text", "kind", "fields"), KINDS)
def test_each_criterion_kind_is_read_with_typed_fields(
    text: str, kind: str, fields: dict[str, object]
) -> None:
    a = check_goal(text)
    atoms = [c for c in a.criteria if c.kind == kind]
    assert atoms, [criterion_json(c) for c in a.criteria]
    got = criterion_json(atoms[0])
    for name, value in fields.items():
        assert got[name] == value, (name, got)
    assert text[atoms[0].start : atoms[0].end] == atoms[0].text


def test_every_criterion_kind_has_a_table_row() -> None:
    assert {k for _, k, _ in KINDS} == {str(k) for k in CriterionKind}


def test_prompt_hierarchy_is_ordinal_and_configurable() -> None:
    assert DEFAULT_PROMPT_HIERARCHY[0] is PromptLevel.INDEPENDENT
    assert DEFAULT_PROMPT_HIERARCHY[-1] is PromptLevel.FULL_PHYSICAL
    assert prompt_within(PromptLevel.GESTURAL, PromptLevel.VERBAL)
    assert not prompt_within(PromptLevel.MODEL, PromptLevel.VERBAL)
    district = (
        PromptLevel.INDEPENDENT,
        PromptLevel.VERBAL,
        PromptLevel.GESTURAL,
        PromptLevel.MODEL,
        PromptLevel.PARTIAL_PHYSICAL,
        PromptLevel.FULL_PHYSICAL,
    )
    assert not prompt_within(PromptLevel.GESTURAL, PromptLevel.VERBAL, district)


# --------------------------------------------------------------------------- flags

FLAGS = [
    ("Student will improve reading skills by May 2026.", FlagCode.VAGUE_VERB),
    ("By May 2026, reading: 80% accuracy.", FlagCode.NO_BEHAVIOR),
    ("By May 2026, Sam will brush his teeth.", FlagCode.NO_CRITERION),
    ("By May 2026, Sam will solve word problems with mastery.", FlagCode.VAGUE_CRITERION),
    ("Sam will stay on task 80% of the time by May 2026.", FlagCode.UNDEFINED_DENOMINATOR),
    ("By May 2026, Sam will read between 60-65 wcpm.", FlagCode.RANGE_CRITERION),
    (
        "By May 2026, Ana will solve 5 equations with 70% accuracy and no more than 3 errors "
        "on a 5-item quiz.",
        FlagCode.INCONSISTENT_CRITERIA,
    ),
    (
        "By May 2026, Sam will decrease the number of words read correctly from 40 to 60.",
        FlagCode.INCONSISTENT_CRITERIA,
    ),
    ("By May 2026, Jo will read 100 wcpm in 6 out of 5 trials.", FlagCode.INCONSISTENT_CRITERIA),
    (GUIDE, FlagCode.AMBIGUOUS_M_OF_N),
    (
        "By May 2026, Liam will read sight words with 80% accuracy.",
        FlagCode.BELOW_MASTERY_THRESHOLD,
    ),
    ("By (date), [Student] will read ____ words.", FlagCode.PLACEHOLDER),
    ("By June 2026, Sam will read with xx% accuracy.", FlagCode.PLACEHOLDER),
    ("After high school, Jenna plans to attend college.", FlagCode.POSTSECONDARY_INTENT),
    ("After graduation, Sam hopes to work at a store.", FlagCode.POSTSECONDARY_INTENT),
    ("Kayla wants to become a veterinarian.", FlagCode.POSTSECONDARY_INTENT),
    ("Sam will read 90 wcpm.", FlagCode.NO_TIMEFRAME),
    ("Sam will read 90 wcpm by May 2026.", FlagCode.NO_MEASUREMENT_METHOD),
    (
        "By May 2026, Sam will cut out a circle with 80% accuracy across 3 sessions, "
        "as measured by OT data.",
        FlagCode.CRITERION_UNPARSED,
    ),
    ("", FlagCode.EMPTY_GOAL),
    ("   ", FlagCode.EMPTY_GOAL),
    ("By May 2026, Sam will attend counseling sessions weekly.", FlagCode.ACTIVITY_NOT_OUTCOME),
]


@pytest.mark.parametrize(("text", "code"), FLAGS)
def test_each_flag_is_raised_with_a_message_and_a_suggestion(text: str, code: FlagCode) -> None:
    a = check_goal(text)
    flags = [f for f in a.flags if f.code is code]
    assert flags, a.flag_codes
    for f in flags:
        assert f.message and f.suggestion
        assert f.severity in (Severity.ERROR, Severity.WARNING, Severity.INFO)


def test_every_goal_flag_code_has_a_table_row() -> None:
    covered = {code for _, code in FLAGS} | {
        FlagCode.NOT_RELEVANT_TO_NEED,
        FlagCode.VAGUE_ACCOMMODATION,
    }
    assert covered == set(FlagCode)


def test_flag_codes_are_stable_snake_case() -> None:
    for code in FlagCode:
        assert code.value == code.value.lower() and " " not in code.value


@pytest.mark.parametrize(
    ("text", "code", "replaced", "replacement"),
    [
        (
            "After high school, Jenna plans to attend college.",
            "postsecondary_intent",
            "plans to",
            "will",
        ),
        (
            "By May 2026, Liam will read sight words with 80% accuracy.",
            "below_mastery_threshold",
            "80",
            "90",
        ),
        (
            "Sam will stay on task 80% of the time by May 2026.",
            "undefined_denominator",
            "the time",
            "observed intervals",
        ),
        (
            "By May 2026, Layla will demonstrate an understanding of fractions by correctly "
            "shading fractional parts of a whole with 90% accuracy.",
            "vague_verb",
            "demonstrate an understanding of fractions by correctly shading",
            "correctly shade",
        ),
        (
            "By May 2026, Ana will solve 5 equations with 70% accuracy and no more than 3 errors "
            "on a 5-item quiz.",
            "inconsistent_criteria",
            "no more than 3 errors",
            "no more than 1 error",
        ),
    ],
)
def test_fixes_are_one_click_edits(text: str, code: str, replaced: str, replacement: str) -> None:
    flag = next(f for f in check_goal(text).flags if f.code == code)
    assert flag.fix is not None
    assert text[flag.fix.start : flag.fix.end] == replaced
    assert flag.fix.replacement == replacement


def test_no_timeframe_fix_prepends_a_default_timeframe() -> None:
    text = "The student will read 90 wcpm, as measured by weekly probes."
    flag = next(f for f in check_goal(text).flags if f.code is FlagCode.NO_TIMEFRAME)
    assert flag.fix is not None
    fixed = text[: flag.fix.start] + flag.fix.replacement + text[flag.fix.end :]
    assert fixed.startswith("By the annual IEP review, the student will")
    assert check_goal(fixed).smart.time_bound


def test_below_mastery_is_only_for_discrete_skills() -> None:
    essay = "By May 2026, Lily will answer inferential questions with 75% accuracy."
    assert FlagCode.BELOW_MASTERY_THRESHOLD not in check_goal(essay).flag_codes


def test_errors_and_accuracy_without_item_count_warn_not_fail() -> None:
    a = check_goal("By May 2026, Sam will subtract with 80% accuracy and no more than 3 errors.")
    flag = next(f for f in a.flags if f.code is FlagCode.INCONSISTENT_CRITERIA)
    assert flag.severity is Severity.WARNING and "15 items" in flag.message
    assert a.smart.measurable


def test_impossible_criterion_is_not_measurable() -> None:
    assert not check_goal(
        "By May 2026, Jo will read 100 wcpm in 6 out of 5 trials."
    ).smart.measurable


def test_vague_verb_rescued_by_a_measure_stays_specific_with_a_warning() -> None:
    a = check_goal("By May 2026, Mia will increase her reading fluency from 42 to 75 wcpm.")
    flag = next(f for f in a.flags if f.code is FlagCode.VAGUE_VERB)
    assert flag.severity is Severity.WARNING
    assert a.smart.specific and a.smart.measurable


def test_undefined_behavior_construct_is_not_specific() -> None:
    a = check_goal("By May 2026, Mia will decrease off-task behavior to 2 per day.")
    assert not a.smart.specific
    assert check_goal(
        "By May 2026, Mia will decrease off-task behavior (leaving her seat, talking to peers) "
        "to 2 per day."
    ).smart.specific


def test_decreasing_goals_read_direction_decrease() -> None:
    a = check_goal(
        "By June 2026, Tyler will decrease physical aggression (hitting, kicking) from 6 incidents "
        "per day to no more than 1 incident per day, as measured by a behavior log."
    )
    assert a.direction is Direction.DECREASE


def test_postsecondary_outcome_is_measurable_without_direction() -> None:
    a = check_goal("After graduation, Priya will live independently in an apartment.")
    assert (a.smart.specific, a.smart.measurable, a.smart.time_bound) == (True, True, True)
    assert a.direction is None
    assert CriterionKind.BINARY_OUTCOME in a.criterion_kinds
    assert FlagCode.NO_MEASUREMENT_METHOD not in a.flag_codes


# --------------------------------------------------------------------------- relevance

NEED_READING = "Maria reads 42 words correct per minute on second-grade passages; peers read 90."


def test_relevance_is_unknown_without_a_need() -> None:
    assert check_goal(GUIDE).smart.relevant == "unknown"


def test_relevance_is_judged_against_the_plaafp_need() -> None:
    assert check_goal(GUIDE, plaafp_need=NEED_READING).smart.relevant is True
    a = check_goal(
        "By May 2026, Maria will cut along a line within 1/4 inch in 4 of 5 trials.",
        plaafp_need=NEED_READING,
    )
    assert a.smart.relevant is False
    assert FlagCode.NOT_RELEVANT_TO_NEED in a.flag_codes
    assert a.to_json()["smart"]["relevant"] is False  # type: ignore[index,call-overload]


def test_goal_areas() -> None:
    assert Area.READING in goal_areas(GUIDE)
    assert Area.BEHAVIOR in goal_areas("reduce tantrums and aggression")


# --------------------------------------------------------------------------- accommodations


@pytest.mark.parametrize(
    ("text", "vague"),
    [
        ("Breaks as needed.", True),
        ("Extended time when appropriate.", True),
        ("Use of a calculator as appropriate.", True),
        ("Preferential seating if necessary.", True),
        ("Breaks as needed when the student requests one with a break card.", False),
        ("Extended time (1.5x) as needed during tests and quizzes.", False),
        ("Read-aloud of test items at the student's request.", False),
        ("Extended time of 50% on tests.", False),
    ],
)
def test_check_accommodation_flags_vague_wording(text: str, vague: bool) -> None:
    flags = check_accommodation(text)
    assert bool(flags) is vague
    for f in flags:
        assert f.code is FlagCode.VAGUE_ACCOMMODATION
        assert f.span is not None and text[f.span.start : f.span.end] == f.span.text
        assert f.fix is not None and f.fix.replacement


# --------------------------------------------------------------------------- properties


def _assert_slices(text: str, a: GoalAnalysis) -> None:
    for name in ("timeframe", "condition", "learner", "behavior", "measurement", "schedule"):
        span = getattr(a, name)
        if span is not None:
            assert 0 <= span.start <= span.end <= len(text)
            assert text[span.start : span.end] == span.text
            assert span.text in text
    for atom in a.criteria:
        assert 0 <= atom.start <= atom.end <= len(text)
        assert text[atom.start : atom.end] == atom.text
    for f in a.flags:
        if f.span is not None:
            assert text[f.span.start : f.span.end] == f.span.text
        if f.fix is not None:
            assert 0 <= f.fix.start <= f.fix.end <= len(text)


GOAL_WORDS = st.sampled_from(
    [
        "By",
        "May",
        "2026,",
        "the",
        "student",
        "Sam",
        "will",
        "read",
        "solve",
        "with",
        "80%",
        "accuracy",
        "in",
        "4",
        "out",
        "of",
        "5",
        "trials",
        "sessions",
        "consecutive",
        "3",
        "days",
        "as",
        "measured",
        "by",
        "weekly",
        "probes",
        "no",
        "more",
        "than",
        "2",
        "errors",
        "per",
        "minute",
        "words",
        "correct",
        "within",
        "1/4",
        "inch",
        "independently",
        "verbal",
        "prompts",
        "from",
        "to",
        "baseline",
        "[Student]",
        "(date)",
        "____",
        "xx",
        "plans",
        "improve",
        "skills",
        "the",
        "end",
        "second",
        "quarter",
        "rubric",
        "score",
        "times",
        "day",
        "decrease",
        "tantrums",
        "of",
        "time",
        "between",
        "60-65",
        ".",
        ",",
        "when",
        "given",
    ]
)
GOALISH = st.lists(GOAL_WORDS, min_size=0, max_size=40).map(" ".join)


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=300))
def test_arbitrary_unicode_never_crashes_and_parts_are_slices(text: str) -> None:
    a = check_goal(text)
    _assert_slices(text, a)
    json.dumps(a.to_json())


@settings(max_examples=400, deadline=None)
@given(GOALISH)
def test_goal_like_text_parts_are_exact_slices(text: str) -> None:
    a = check_goal(text)
    _assert_slices(text, a)
    assert a.smart.measurable <= a.smart.specific  # measurable implies specific


@settings(max_examples=100, deadline=None)
@given(GOALISH)
def test_checking_is_deterministic(text: str) -> None:
    assert check_goal(text) == check_goal(text)
    assert check_goal(text).to_json() == check_goal(text).to_json()


def test_determinism_across_processes_with_hash_randomisation() -> None:
    code = (
        "import json,sys; from tandem.rules.goals import check_goal; "
        f"print(json.dumps(check_goal({GUIDE!r}).to_json(), sort_keys=True))"
    )
    outs = {
        subprocess.run(
            [sys.executable, "-c", code],
            capture_output=True,
            text=True,
            check=True,
            env={"PYTHONHASHSEED": seed, "PATH": ""},
        ).stdout
        for seed in ("1", "2", "3")
    }
    assert len(outs) == 1


def test_rules_module_does_not_import_django() -> None:
    code = "import sys, tandem.rules.goals, tandem.cli_check_goal; print('django' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_very_long_input_is_fast_enough() -> None:
    text = (GUIDE + " ") * 50
    a = check_goal(text)
    _assert_slices(text, a)


# --------------------------------------------------------------------------- the checks as a list


def test_every_default_check_has_a_code_a_message_and_a_suggestion() -> None:
    codes = set()
    for check in DEFAULT_CHECKS:
        assert isinstance(check, GoalCheck)
        assert check.code in FlagCode
        assert check.message.strip() and check.suggestion.strip()
        codes.add(check.code)
    # every flag code except the empty goal and the accommodation wording has a check
    assert codes == set(FlagCode) - {FlagCode.EMPTY_GOAL, FlagCode.VAGUE_ACCOMMODATION}


@pytest.mark.parametrize(
    ("code", "cited"),
    [
        (FlagCode.NO_MEASUREMENT_METHOD, "34 CFR 300.320(a)(3)"),
        (FlagCode.NO_TIMEFRAME, "34 CFR 300.320(a)(2)"),
        (FlagCode.NO_CRITERION, "34 CFR 300.320(a)(2)"),
        (FlagCode.POSTSECONDARY_INTENT, "34 CFR 300.320(b)"),
        (FlagCode.BELOW_MASTERY_THRESHOLD, "Longino"),
        (FlagCode.UNDEFINED_DENOMINATOR, "Wisconsin DPI"),
        (FlagCode.VAGUE_VERB, "Bateman & Herr"),
    ],
)
def test_checks_cite_the_law_or_the_research(code: FlagCode, cited: str) -> None:
    assert any(cited in c.citation for c in DEFAULT_CHECKS if c.code is code)


def test_a_finding_carries_the_citation_of_its_check() -> None:
    a = check_goal("By June 2026, Sam will read 90 wcpm.")
    flag = next(f for f in a.flags if f.code is FlagCode.NO_MEASUREMENT_METHOD)
    assert flag.citation == "34 CFR 300.320(a)(3)"
    assert flag.to_json()["citation"] == "34 CFR 300.320(a)(3)"


def test_the_checker_runs_the_list_it_is_given() -> None:
    text = "Sam will read 90 wcpm."
    assert {FlagCode.NO_TIMEFRAME, FlagCode.NO_MEASUREMENT_METHOD} <= set(
        check_goal(text).flag_codes
    )
    without = tuple(c for c in DEFAULT_CHECKS if c.code is not FlagCode.NO_MEASUREMENT_METHOD)
    a = check_goal(text, checks=without)
    assert FlagCode.NO_MEASUREMENT_METHOD not in a.flag_codes
    assert FlagCode.NO_TIMEFRAME in a.flag_codes
    assert check_goal(text, checks=()).flags == ()


def test_a_district_can_add_its_own_check() -> None:
    class NoBaseline(GoalCheck):
        code = FlagCode.NO_CRITERION
        severity = Severity.INFO
        message = "The goal does not say where the student starts."
        suggestion = "Add the baseline from present levels."
        citation = "District guidance"

        def check(self, goal: Sentence) -> list[Flag]:
            if "baseline" not in goal.text.lower():
                return [self.flag()]
            return []

    a = check_goal(GUIDE, checks=(*DEFAULT_CHECKS, NoBaseline()))
    extra = [f for f in a.flags if f.citation == "District guidance"]
    assert len(extra) == 1 and extra[0].severity is Severity.INFO
    assert check_goal(GUIDE).smart == a.smart  # a note does not change the verdict


def test_the_sentence_is_read_once_and_judged_by_each_check() -> None:
    goal = read_sentence(GUIDE)
    assert goal.timeframe is not None and goal.timeframe.text == "By the end of the second quarter"
    assert [c.kind for c in goal.criteria] == [CriterionKind.ACCURACY, CriterionKind.M_OF_N]
    findings = [f for check in DEFAULT_CHECKS for f in check.check(goal)]
    assert [f.code for f in findings] == [FlagCode.AMBIGUOUS_M_OF_N]


# --------------------------------------------------------------------------- the stored record


def _corpus_texts() -> list[str]:
    path = Path(__file__).with_name("goal_corpus.json")
    return [g["text"] for g in json.loads(path.read_text(encoding="utf-8"))["goals"]]


def test_the_record_rebuilds_every_analysis_of_the_corpus_exactly() -> None:
    for text in [*_corpus_texts(), "", GUIDE]:
        for reading in (None, MofNReading.ITEMS):
            a = check_goal(text, plaafp_need="reading fluency", reading=reading)
            stored = json.loads(json.dumps(to_record(a)))  # as a JSON column keeps it
            assert from_record(stored) == a
            assert {k: stored[k] for k in a.to_json()} == json.loads(json.dumps(a.to_json()))


def test_the_record_keeps_the_confirmed_reading() -> None:
    stored = to_record(check_goal(GUIDE, reading=MofNReading.ITEMS))
    assert (stored["reading"], stored["reading_confirmed"]) == ("items", True)
    assert to_record(check_goal(GUIDE))["reading_confirmed"] is False


@pytest.mark.parametrize(
    "stored",
    [
        None,
        {},
        {"criteria": [], "direction": None},  # written before records had a version
        {**to_record(check_goal(GUIDE)), "version": CHECKER_VERSION - 1},
        {**to_record(check_goal(GUIDE)), "criteria": [{"kind": "nonsense"}]},
        {**to_record(check_goal(GUIDE)), "spans": None},
    ],
)
def test_an_old_or_broken_record_asks_for_a_new_check(stored: dict[str, object] | None) -> None:
    assert from_record(stored) is None


# --------------------------------------------------------------------------- the rules tell the truth
# Hand-labelled cases for issue "The rules tell the truth", items 1 and 5. Each says why.


def _atom(a: GoalAnalysis, kind: str) -> dict[str, object]:
    found = [criterion_json(c) for c in a.criteria if c.kind == kind]
    assert found, [criterion_json(c) for c in a.criteria]
    return found[0]


CEILINGS = [
    # (goal, kind of the ceiling atom, its fields): each is a level to stay under, so the measure
    # goes down and mastery is "at most" (PROGRESS.md 1.7, frequency / reduction goals).
    (
        # a percent of a defined whole with "or fewer" after it
        "By June 2027, during reading group, Ray will blurt out answers in 15% or fewer of "
        "observed intervals, as measured by partial-interval recording.",
        "interval_percent",
        {"percent": 15, "comparator": "max"},
    ),
    (
        # the whole written without "of": percent syllables stuttered (%SS), a fluency ceiling
        "By May 2027, Ellie will stutter on 3% or fewer syllables during oral reading, as "
        "measured by SLP counts of stuttered syllables.",
        "interval_percent",
        {"percent": 3, "of": "syllables", "comparator": "max"},
    ),
    (
        # a ceiling on a rating scale: lower is better
        "By May 2027, Ori will rate his frustration at 2 or lower on a 5-point scale after "
        "transitions in 4 of 5 opportunities, as measured by his self-rating card.",
        "rubric",
        {"score": 2, "out_of": 5, "comparator": "max"},
    ),
    (
        "By May 2027, Pam will report a self-rating of 3 or lower on the 1-10 worry scale "
        "before tests, as measured by her check-in log.",
        "rubric",
        {"score": 3, "comparator": "max"},
    ),
    (
        # a count of prompts with a ceiling word is the criterion itself
        "By May 2027, Cy will complete his morning routine with no more than 2 verbal prompts, "
        "as measured by a staff checklist.",
        "prompt_level",
        {"max_prompts": 2, "comparator": "max"},
    ),
    (
        # "fewer than 5% errors" is an error ceiling, not 5% accuracy
        "By May 2027, Bo will write journal entries with fewer than 5% spelling errors, as "
        "measured by monthly writing samples.",
        "error_limit",
        {"max_percent": 5},
    ),
    (
        # a consecutive run says how often; it does not turn the ceiling into a floor
        "By May 2027, Lea will call out in 10% or fewer of 1-minute intervals across 4 "
        "consecutive weeks, as measured by momentary time sampling.",
        "interval_percent",
        {"percent": 10, "comparator": "max"},
    ),
]


@pytest.mark.parametrize(("text", "kind", "fields"), CEILINGS)
def test_a_ceiling_is_read_as_at_most_and_the_goal_aims_down(
    text: str, kind: str, fields: dict[str, object]
) -> None:
    a = check_goal(text)
    got = _atom(a, kind)
    for name, value in fields.items():
        assert got[name] == value, (name, got)
    assert a.direction is Direction.DECREASE
    assert CriterionKind.ACCURACY not in a.criterion_kinds  # never an accuracy floor
    assert a.smart.measurable


@pytest.mark.parametrize(
    "text",
    [
        # The level is the accuracy (or trials correct); the prompt ceiling defines a correct
        # trial, so the measure still goes up.
        "By May 2027, Dom will name coins with 90% accuracy in 4 of 5 trials with no more than "
        "1 verbal prompt, as measured by teacher data.",
        "By May 2027, Dom will follow two-step directions with no more than one verbal prompt "
        "in 4 out of 5 opportunities, as measured by teacher data.",
        # A rate with an error ceiling beside it: the rate is the level.
        "By May 2027, Dom will read 90 words correct per minute with no more than 3 errors, as "
        "measured by weekly probes.",
        # A rating floor is not a ceiling.
        "By May 2027, Dom will score 3 or higher on the 4-point writing rubric, as measured by "
        "scored work samples.",
    ],
)
def test_a_floor_or_a_success_count_still_aims_up(text: str) -> None:
    assert check_goal(text).direction is Direction.INCREASE


def test_a_session_count_gives_no_direction_of_its_own() -> None:
    # Latency is the level (at most 2 minutes); "on 4 of 5 days" says how often.
    a = check_goal(
        "By May 2027, Kay will begin her work within 2 minutes of the direction on 4 of 5 days, "
        "as measured by teacher data."
    )
    assert a.direction is Direction.DECREASE
    m_of_n = next(c for c in a.criteria if isinstance(c, MOfN))
    assert m_of_n.reading is MofNReading.SESSIONS


TIMEFRAMES = [
    # Real IEPs use school-calendar words; each is kept whole.
    ("By mid-year, Sam will read 80 wcpm.", "By mid-year"),
    ("By midyear, Sam will read 80 wcpm.", "By midyear"),
    (
        "By the middle of the school year, Sam will read 80 wcpm.",
        "By the middle of the school year",
    ),
    ("By the end of Q3, Sam will read 80 wcpm.", "By the end of Q3"),
    ("By the end of quarter 2, Sam will read 80 wcpm.", "By the end of quarter 2"),
    ("By the end of trimester 2, Sam will read 80 wcpm.", "By the end of trimester 2"),
    ("By the end of semester 1, Sam will read 80 wcpm.", "By the end of semester 1"),
    ("By the end of grading period 3, Sam will read 80 wcpm.", "By the end of grading period 3"),
    # the review's date belongs to the time frame: cut off, it says less than the author wrote
    (
        "By the annual review in February 2027, Sam will read 80 wcpm.",
        "By the annual review in February 2027",
    ),
    (
        "By his annual IEP review on 3/15/2027, Sam will read 80 wcpm.",
        "By his annual IEP review on 3/15/2027",
    ),
    ("By the start of fifth grade, Sam will read 80 wcpm.", "By the start of fifth grade"),
    (
        "By the beginning of the 2027-28 school year, Sam will read 80 wcpm.",
        "By the beginning of the 2027-28 school year",
    ),
    ("Sam will read 80 wcpm by the end of Q4, as measured by probes.", "by the end of Q4"),
]


@pytest.mark.parametrize(("text", "timeframe"), TIMEFRAMES)
def test_school_calendar_timeframes_are_read_whole(text: str, timeframe: str) -> None:
    a = check_goal(text)
    assert a.timeframe is not None and a.timeframe.text == timeframe
    assert a.smart.time_bound
    assert FlagCode.NO_TIMEFRAME not in a.flag_codes


SCALES = [
    # A score or a level on a named test is a measurable criterion (it says how well).
    (
        "By June 2027, Jo will score at or above the 40th percentile on the i-Ready Reading "
        "Diagnostic, as measured by the spring diagnostic.",
        {"value": 40, "scale": "percentile", "comparator": "min"},
    ),
    (
        "By June 2027, Jo will achieve a Lexile measure of 700L or higher on the Scholastic "
        "Reading Inventory, as measured by the SRI.",
        {"value": 700, "level": "700L", "scale": "lexile", "comparator": "min"},
    ),
    (
        "By June 2027, Jo will read independently at DRA level 24, as measured by DRA2 "
        "benchmark assessments.",
        {"value": 24, "scale": "dra", "comparator": "min"},
    ),
    (
        # a letter level has no number: its value is None, its level the letter
        "By June 2027, Jo will read at Fountas and Pinnell level K with 95% accuracy, as "
        "measured by benchmark assessments.",
        {"value": None, "level": "K", "scale": "fountas_pinnell"},
    ),
    (
        "By June 2027, Jo will earn a scaled score of 210 or higher on the NWEA MAP Growth "
        "reading test, as measured by the spring administration.",
        {"value": 210, "scale": "scaled_score"},
    ),
    (
        "By June 2027, Jo will earn a standard score of at least 85 on the WIAT-4 Math Problem "
        "Solving subtest, as measured by the annual reevaluation.",
        {"value": 85, "scale": "standard_score", "comparator": "min"},
    ),
]


@pytest.mark.parametrize(("text", "fields"), SCALES)
def test_named_scales_are_measurable_criteria(text: str, fields: dict[str, object]) -> None:
    a = check_goal(text)
    got = _atom(a, "scale_score")
    for name, value in fields.items():
        assert got[name] == value, (name, got)
    assert a.smart.measurable and a.direction is Direction.INCREASE
    assert FlagCode.NO_CRITERION not in a.flag_codes


def test_a_named_scale_keeps_the_test_it_is_on() -> None:
    a = check_goal(SCALES[0][0])
    assert _atom(a, "scale_score")["test"] == "i-Ready Reading Diagnostic"


ACTIVITIES = [
    # An activity or a service the student takes part in is not what the student will be able
    # to do (Bateman & Herr; Wrightslaw SMART goals): flagged, and not specific.
    "By June 2027, Sam will participate in speech therapy sessions.",
    "By June 2027, Sam will attend counseling twice a month.",
    "By June 2027, Sam will receive reading intervention four times a week.",
    "By June 2027, Sam will learn about money.",
    "By June 2027, Sam will work with the occupational therapist on handwriting.",
]


@pytest.mark.parametrize("text", ACTIVITIES)
def test_a_goal_that_names_an_activity_is_flagged(text: str) -> None:
    a = check_goal(text)
    assert FlagCode.ACTIVITY_NOT_OUTCOME in a.flag_codes
    assert not a.smart.specific and not a.smart.measurable


@pytest.mark.parametrize(
    "text",
    [
        # "learn to self-advocate": the process and a construct; both are flagged
        "By June 2027, Sam will learn to self-advocate.",
        # a belief, not an action
        "By June 2027, Sam will recognize the importance of completing homework.",
    ],
)
def test_vague_outcomes_behind_process_words_are_flagged(text: str) -> None:
    a = check_goal(text)
    assert FlagCode.VAGUE_VERB in a.flag_codes
    assert not a.smart.specific


def test_learn_to_before_an_observable_action_is_a_warning_with_a_fix() -> None:
    text = "By June 2027, Sam will learn to tie his shoes in 4 of 5 trials, as measured by OT data."
    a = check_goal(text)
    flag = next(f for f in a.flags if f.code is FlagCode.ACTIVITY_NOT_OUTCOME)
    assert flag.severity is Severity.WARNING and flag.fix is not None
    fixed = text[: flag.fix.start] + flag.fix.replacement + text[flag.fix.end :]
    assert "will tie his shoes" in fixed
    assert a.smart.specific and a.smart.measurable


@pytest.mark.parametrize(
    "text",
    [
        # taking part in a discussion is observable when the contribution is counted
        "By June 2027, Sam will participate in class discussions by making at least 2 relevant "
        "comments per lesson, as measured by teacher tally.",
        # "attend to" is paying attention, not attending a session
        "By June 2027, Sam will attend to the speaker for 5 minutes, as measured by observation.",
        # a postsecondary outcome can be taking part in a program
        "After graduation, Sam will participate in a supported employment program.",
    ],
)
def test_taking_part_in_something_observable_is_not_flagged(text: str) -> None:
    assert FlagCode.ACTIVITY_NOT_OUTCOME not in check_goal(text).flag_codes


def test_a_count_of_things_to_produce_is_part_of_the_behavior() -> None:
    # "two supporting details" says what Keisha writes; "4 of 5 samples" is the criterion.
    a = check_goal(
        "By June 2027, Keisha will write a paragraph with a topic sentence and two supporting "
        "details in 4 of 5 writing samples, as measured by a teacher checklist."
    )
    assert a.criterion_kinds == (CriterionKind.M_OF_N,)
    assert a.behavior is not None and "two supporting details" in a.behavior.text
    # Alone, such a count says nothing about how well or how often.
    b = check_goal("By June 2027, Zane will state 3 coping strategies, as measured by staff data.")
    assert b.criteria == () and FlagCode.NO_CRITERION in b.flag_codes
    assert not b.smart.measurable


@pytest.mark.parametrize(
    ("text", "count"),
    [
        # a minimum is a criterion
        ("By June 2027, Zane will state at least 3 coping strategies, as measured by data.", 3),
        ("By June 2027, Zane will name a minimum of 5 animals, as measured by data.", 5),
        # a part of a whole is a criterion
        ("By June 2027, Zane will read 18 of 20 sight words, as measured by probes.", 18),
    ],
)
def test_a_minimum_or_a_part_of_a_whole_is_still_a_count_criterion(text: str, count: int) -> None:
    assert _atom(check_goal(text), "item_count")["count"] == count


def test_a_leading_accuracy_is_a_criterion_not_a_condition() -> None:
    a = check_goal(
        "With 80% accuracy, Marcus will use end punctuation in his journal entries by June "
        "2027, as measured by weekly journal checks."
    )
    assert a.condition is None
    assert _atom(a, "accuracy")["percent"] == 80
    # a real condition beside it is still found
    b = check_goal(
        "Given a word bank, with 80% accuracy, Marcus will complete cloze sentences by June "
        "2027, as measured by weekly probes."
    )
    assert b.condition is not None and b.condition.text == "Given a word bank"


@pytest.mark.parametrize(
    ("text", "condition"),
    [
        # the condition follows the criterion
        (
            "Marta will answer comprehension questions with 80% accuracy when given a passage "
            "at her instructional level, by June 2027, as measured by weekly probes.",
            "when given a passage at her instructional level",
        ),
        (
            "By June 2027, Sam will solve two-step equations with 90% accuracy on 3 "
            "consecutive probes, given a calculator and a formula sheet, as measured by quizzes.",
            "given a calculator and a formula sheet",
        ),
    ],
)
def test_a_condition_late_in_the_sentence_is_found(text: str, condition: str) -> None:
    a = check_goal(text)
    assert a.condition is not None and a.condition.text == condition
    assert a.behavior is not None and condition not in a.behavior.text


def test_generated_text_says_1_error_not_1_errors() -> None:
    # 90% of 10 items allows 1 error, not the 2 the goal also allows.
    a = check_goal(
        "By June 2027, Nell will spell 10 spelling words with 90% accuracy and no more "
        "than 2 errors, as measured by Friday tests."
    )
    flag = next(f for f in a.flags if f.code is FlagCode.INCONSISTENT_CRITERIA)
    assert flag.fix is not None and flag.fix.replacement == "no more than 1 error"
    words = " ".join([flag.message, flag.suggestion, flag.fix.replacement])
    assert "1 errors" not in words and "at most 1 error" in words
    one = check_goal(
        "By June 2027, Nell will solve 10 problems with 80% accuracy and no more than 1 error."
    )
    for f in one.flags:
        assert "1 errors" not in f.message + f.suggestion
