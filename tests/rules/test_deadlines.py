"""Deadlines for every state and rule, each worked out by hand on the 2026-27 fixture calendar.

Calendar (tests/rules/fixtures/district_2026_27.json): school Wed 2026-08-19 to Thu 2027-06-10,
next year from Wed 2027-08-18. Off: Mon 9/7, Wed 11/11, Thanksgiving break 11/23-27 (5 school
days), winter break 12/21-1/1 (10), Mon 1/18, Mon 2/15, spring break 3/22-26 (5), Mon 5/31, and
Mon 2027-09-06.

School days counted back from the last day, Thu 6/10 = 1: Jun 10,9,8,7 (1-4), Jun 4,3,2,1 (5-8),
May 28-24 (9-13), May 21-17 (14-18), May 14-10 (19-23), May 7-3 (24-28), Apr 30-26 (29-33),
Apr 23-19 (34-38), Apr 16-12 (39-43), Apr 9-5 (44-48), Apr 2-1 (49-50), Mar 31-29 (51-53),
Mar 19-15 (54-58), Mar 12-8 (59-63). A school day numbered k leaves k - 1 school days after it.

Forward from Thu 2026-10-22: Oct 23 = 1, Oct 26-30 = 2-6, Nov 2-6 = 7-11, Nov 9-10 = 12-13,
Nov 12-13 = 14-15, Nov 16-20 = 16-20, Nov 30 = 21, Dec 1-4 = 22-25, Dec 7-11 = 26-30,
Dec 14-18 = 31-35, Jan 4-8 = 36-40, Jan 11-15 = 41-45, Jan 19-22 = 46-49, Jan 25-29 = 50-54,
Feb 1-5 = 55-59, Feb 8 = 60.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.rules.calendar import CalendarTooShort, SchoolCalendar, load_calendar
from tandem.rules.deadlines import (
    Basis,
    Disability,
    Extension,
    ExtensionReason,
    InvalidInput,
    NeedsCalendar,
    ProfileError,
    Rule,
    RuleNotInEffect,
    Status,
    Tolling,
    UnknownRule,
    UnknownState,
    available_states,
    compute,
    load_profile,
    next_progress_report,
    parse_rule,
)
from tandem.rules.profiles import parse_profile

FIXTURE = Path(__file__).parent / "fixtures" / "district_2026_27.json"
CAL = load_calendar(FIXTURE)
D = date.fromisoformat
STATES = ("US", "CA", "NY", "TX", "IL", "FL", "PA", "NJ", "MA")
DOB = "2010-05-03"  # a Monday; the cases below count birthdays from it
SCHEDULE = (D("2026-11-06"), D("2027-01-29"), D("2027-04-09"), D("2027-06-10"))


def _due(state: str, rule: Rule, trigger: str, **kwargs: Any) -> date:
    return compute(rule, load_profile(state), D(trigger), calendar=CAL, **kwargs).due


# --- every state, every rule ----------------------------------------------------------------

# initial_evaluation from consent on Thu 2026-10-22.
INITIAL_EVALUATION = [
    ("US", "2026-12-21"),  # 60 calendar days: Oct 23-31 = 9, Nov = 30 (39), Dec 1-21 = 21
    ("NY", "2026-12-21"),  # the same 60 calendar days
    ("PA", "2026-12-21"),  # 60 days; no summer inside the window
    ("NJ", "2027-01-20"),  # 90 days: 39 to Nov 30, Dec = 31 (70), Jan 1-20 = 20
    # CA: day 59 is Sun 12/20; winter break Mon 12/21 - Fri 1/1 (10 school days > 5) is not
    # counted; Thanksgiving (5, not in excess of five) is; day 60 is Sat 1/2.
    ("CA", "2027-01-02"),
    # FL: all holidays and breaks skipped: 11/11, 11/23-27, 12/21-1/1. Oct 23-31 = 9,
    # Nov 30 - 6 = 24 (33), Dec 1-20 = 20 (53), Jan 2-8 = 7 (60).
    ("FL", "2027-01-08"),
    ("TX", "2027-01-15"),  # 45 school days (table above)
    ("MA", "2027-01-15"),  # 45 school working days, the same count
    ("IL", "2027-02-08"),  # 60 school days: Mon 1/18 off, Feb 8 is day 60
]

# initial_iep_meeting from eligibility (TX: from the FIIE report) on Thu 2026-10-22: 30 days.
INITIAL_IEP_MEETING = [(state, "2026-11-21") for state in STATES]

# Yearly and three-yearly rules from Thu 2026-10-22: the anniversary itself.
ANNUAL_REVIEW = [(state, "2027-10-22") for state in STATES]
REEVALUATION = [(state, "2029-10-22") for state in STATES]
REEVALUATION_NOT_BEFORE = [(state, "2027-10-22") for state in STATES]
SECTION_504_REEVALUATION = [(state, "2029-10-22") for state in STATES]
SECTION_504_ANNUAL_REVIEW = [(state, "2027-10-22") for state in STATES]

# transition_services from birth on 2010-05-03.
TRANSITION_SERVICES = [
    ("US", "2026-05-03"),  # 16th birthday
    ("CA", "2026-05-03"),  # follows federal: 16
    ("NY", "2025-05-03"),  # 15
    ("IL", "2024-11-03"),  # 14 and a half: 174 months, 2024-05-03 + 6 months
    ("TX", "2024-05-03"),  # 14
    ("PA", "2024-05-03"),  # 14
    ("NJ", "2024-05-03"),  # 14
    ("MA", "2024-05-03"),  # 14
    ("FL", "2024-05-02"),  # "before the student attains the age of 14": the day before
]

# transfer_of_rights: one year before 18, i.e. the 17th birthday, in every profile.
TRANSFER_OF_RIGHTS = [(state, "2027-05-03") for state in STATES]

# meeting_notice for a meeting on Mon 2026-11-02.
MEETING_NOTICE = [
    ("US", "2026-10-23"),  # 10 calendar days: Tandem's default, not law
    ("CA", "2026-10-23"),  # inherits the federal default
    ("FL", "2026-10-23"),
    ("PA", "2026-10-23"),
    ("NJ", "2026-10-23"),
    ("MA", "2026-10-23"),
    ("NY", "2026-10-28"),  # 5 calendar days (received)
    ("IL", "2026-10-23"),  # 10 calendar days by rule
    ("TX", "2026-10-26"),  # 5 school days back from Mon 11/2: Oct 30, 29, 28, 27, 26
]

# prior_written_notice before an action on Tue 2027-01-05.
PRIOR_WRITTEN_NOTICE = [
    *[(state, "2026-12-26") for state in ("US", "CA", "NY", "IL", "FL", "PA", "NJ", "MA")],
    # TX 5 school days: Mon 1/4 = 1, winter break, Dec 18 = 2, 17 = 3, 16 = 4, 15 = 5.
    ("TX", "2026-12-15"),
]

# records_inspection from a request on Thu 2026-10-22 with no meeting set.
RECORDS_INSPECTION = [
    *[(state, "2026-12-06") for state in ("US", "NY", "TX", "IL", "FL", "PA", "NJ", "MA")],
    ("CA", "2026-10-29"),  # 5 business days: Fri 23, Mon-Thu 26-29
]

# progress_report: today is Tue 2026-12-01; the next schedule date is 2027-01-29.
PROGRESS_REPORT = [(state, "2027-01-29") for state in STATES]

# assessment_plan (California only): 15 days from a referral on Thu 2026-10-22: Fri 11/6.
ASSESSMENT_PLAN_DUE = [("CA", "2026-11-06")]

# section_504_evaluation: 60 calendar days from consent (district policy default): Mon 12/21.
SECTION_504_EVALUATION = [(state, "2026-12-21") for state in STATES]

TABLE = [
    *[(Rule.ASSESSMENT_PLAN, s, "2026-10-22", due) for s, due in ASSESSMENT_PLAN_DUE],
    *[(Rule.SECTION_504_EVALUATION, s, "2026-10-22", due) for s, due in SECTION_504_EVALUATION],
    *[(Rule.INITIAL_EVALUATION, s, "2026-10-22", due) for s, due in INITIAL_EVALUATION],
    *[(Rule.INITIAL_IEP_MEETING, s, "2026-10-22", due) for s, due in INITIAL_IEP_MEETING],
    *[(Rule.ANNUAL_REVIEW, s, "2026-10-22", due) for s, due in ANNUAL_REVIEW],
    *[(Rule.REEVALUATION, s, "2026-10-22", due) for s, due in REEVALUATION],
    *[(Rule.REEVALUATION_NOT_BEFORE, s, "2026-10-22", due) for s, due in REEVALUATION_NOT_BEFORE],
    *[(Rule.TRANSITION_SERVICES, s, DOB, due) for s, due in TRANSITION_SERVICES],
    *[(Rule.TRANSFER_OF_RIGHTS, s, DOB, due) for s, due in TRANSFER_OF_RIGHTS],
    *[(Rule.MEETING_NOTICE, s, "2026-11-02", due) for s, due in MEETING_NOTICE],
    *[(Rule.PRIOR_WRITTEN_NOTICE, s, "2027-01-05", due) for s, due in PRIOR_WRITTEN_NOTICE],
    *[(Rule.RECORDS_INSPECTION, s, "2026-10-22", due) for s, due in RECORDS_INSPECTION],
    *[(Rule.PROGRESS_REPORT, s, "2026-12-01", due) for s, due in PROGRESS_REPORT],
    *[(Rule.SECTION_504_REEVALUATION, s, "2026-10-22", due) for s, due in SECTION_504_REEVALUATION],
    *[
        (Rule.SECTION_504_ANNUAL_REVIEW, s, "2026-10-22", due)
        for s, due in SECTION_504_ANNUAL_REVIEW
    ],
]


def test_the_table_covers_every_state_and_rule() -> None:
    # Every rule a state's profile holds (assessment_plan only where the law sets one).
    assert {(rule, state) for rule, state, _, _ in TABLE} == {
        (rule, state) for rule in Rule for state in STATES if load_profile(state).has(rule)
    }
    assert set(available_states()) == set(STATES)


@pytest.mark.parametrize(("rule", "state", "trigger", "expected"), TABLE)
def test_hand_computed_deadline(rule: Rule, state: str, trigger: str, expected: str) -> None:
    kwargs: dict[str, Any] = {"schedule": SCHEDULE} if rule is Rule.PROGRESS_REPORT else {}
    deadline = compute(rule, load_profile(state), D(trigger), calendar=CAL, **kwargs)
    assert deadline.due == D(expected)
    assert deadline.rule is rule and deadline.state == state
    assert deadline.citation and deadline.citation in deadline.explanation
    assert expected in deadline.explanation


# --- summer, year end and other special cases -----------------------------------------------

SPECIAL = [
    # CA, consent Tue 5/11/2027, 30 days before the last day (6/10): the end-of-year rule gives
    # 30 days after Wed 8/18 = Fri 9/17. The count: May 12 - Jun 10 = 30, summer skipped, Aug 18
    # is day 31, day 60 = Aug 18 + 29 = Thu 9/16 (the 1-day Labor Day holiday counts). Tandem
    # keeps the earlier date, 9/16.
    ("CA", Rule.INITIAL_EVALUATION, "2027-05-11", {}, "2027-09-16", Basis.COUNT),
    # CA, consent Tue 6/1/2027 (9 days before the end): count = Jun 2-10 (9), then 51 more from
    # Aug 18 = Oct 7; the end-of-year rule's Fri 9/17 is earlier.
    ("CA", Rule.INITIAL_EVALUATION, "2027-06-01", {}, "2027-09-17", Basis.END_OF_YEAR),
    # CA, consent in summer (Thu 7/1/2027), no referral date. The count: the clock starts
    # Aug 18 (day 1), day 60 = Aug 18 + 59 = Sat 10/16. The referral may have come in the last
    # 30 days of the year (56344(a) keys on the referral), so the earlier reading: 9/17.
    # (Expectation changed: it was 10/16, the year-end rule silently skipped.)
    ("CA", Rule.INITIAL_EVALUATION, "2027-07-01", {}, "2027-09-17", Basis.END_OF_YEAR),
    # The same consent with a summer referral (7/1, after the end of the year): the count.
    (
        "CA",
        Rule.INITIAL_EVALUATION,
        "2027-07-01",
        {"referral": D("2027-07-01")},
        "2027-10-16",
        Basis.COUNT,
    ),
    # PA, consent Tue 5/11/2027: 30 days to Jun 10, summer skipped, Aug 18 + 29 = Thu 9/16.
    ("PA", Rule.INITIAL_EVALUATION, "2027-05-11", {}, "2027-09-16", Basis.COUNT),
    # FL, consent Tue 5/11/2027: May 12 - Jun 10 less Memorial Day = 29; summer skipped; from
    # Aug 18 (30) to Sep 5 (48); Labor Day 9/6 skipped; Sep 7 (49) ... Sat 9/18 (60).
    ("FL", Rule.INITIAL_EVALUATION, "2027-05-11", {}, "2027-09-18", Basis.COUNT),
    # TX, consent Thu 4/8/2027 (school day 45 from the end: 44 school days left, within 35-44):
    # report by June 30. The plain count would reach Wed 8/18.
    ("TX", Rule.INITIAL_EVALUATION, "2027-04-08", {}, "2027-06-30", Basis.END_OF_YEAR),
    # TX, consent Wed 4/21/2027 (day 36: 35 left, the low end of the window): June 30.
    ("TX", Rule.INITIAL_EVALUATION, "2027-04-21", {}, "2027-06-30", Basis.END_OF_YEAR),
    # TX, consent Wed 4/7/2027 (day 46: 45 left): the count fits the year and ends on 6/10.
    ("TX", Rule.INITIAL_EVALUATION, "2027-04-07", {}, "2027-06-10", Basis.COUNT),
    # TX, consent Thu 4/22/2027 (day 35: 34 left, below the window): 34 school days to 6/10,
    # then 11 more next year: Aug 18-20 (3), Aug 23-27 (8), Aug 30-31 (10), Wed 9/1 (11).
    ("TX", Rule.INITIAL_EVALUATION, "2027-04-22", {}, "2027-09-01", Basis.COUNT),
    # TX, 3 absences: 45 + 3 school days from 10/22: Jan 15, (Jan 18 off), 19, 20, 21.
    ("TX", Rule.INITIAL_EVALUATION, "2026-10-22", {"absences": 3}, "2027-01-21", Basis.COUNT),
    # TX, 2 absences: no extension.
    ("TX", Rule.INITIAL_EVALUATION, "2026-10-22", {"absences": 2}, "2027-01-15", Basis.COUNT),
    # TX, in the June 30 window with 3 absences: June 30 gives way to 45 + 3 school days:
    # 44 to 6/10, then Aug 18 (45), 19, 20, Mon 8/23 (48).
    ("TX", Rule.INITIAL_EVALUATION, "2027-04-08", {"absences": 3}, "2027-08-23", Basis.COUNT),
    # FL, 9 absences (more than 8): Fri 1/8 + 9 school days: Jan 11-15 (5), 19-22 (9) = Fri 1/22.
    ("FL", Rule.INITIAL_EVALUATION, "2026-10-22", {"absences": 9}, "2027-01-22", Basis.COUNT),
    ("FL", Rule.INITIAL_EVALUATION, "2026-10-22", {"absences": 8}, "2027-01-08", Basis.COUNT),
    # IL, consent Thu 3/11/2027 (day 60 from the end: 59 left, fewer than 60): due before the
    # first day of next year, Tue 8/17. (The count would reach Wed 8/18.)
    ("IL", Rule.INITIAL_EVALUATION, "2027-03-11", {}, "2027-08-17", Basis.END_OF_YEAR),
    ("IL", Rule.INITIAL_EVALUATION, "2027-05-03", {}, "2027-08-17", Basis.END_OF_YEAR),
    # IL, consent Wed 3/10/2027 (60 left): the count ends on the last day, 6/10.
    ("IL", Rule.INITIAL_EVALUATION, "2027-03-10", {}, "2027-06-10", Basis.COUNT),
    # MA, consent Thu 4/8/2027 (44 left, within 30-45): 14 days after 6/10 = Thu 6/24.
    ("MA", Rule.INITIAL_EVALUATION, "2027-04-08", {}, "2027-06-24", Basis.END_OF_YEAR),
    # MA, consent Wed 4/28/2027 (day 31: 30 left, the low end): 6/24.
    ("MA", Rule.INITIAL_EVALUATION, "2027-04-28", {}, "2027-06-24", Basis.END_OF_YEAR),
    # MA, consent Wed 4/7/2027 (45 left): the count ends 6/10, earlier than 6/24, and stands.
    ("MA", Rule.INITIAL_EVALUATION, "2027-04-07", {}, "2027-06-10", Basis.COUNT),
    # MA, consent Thu 4/29/2027 (29 left): 29 to 6/10, then 16 more: Aug 18-20 (3), 23-27 (8),
    # 30-31 (10), Sep 1-3 (13), (Sep 6 off), Sep 7-9 (16) = Thu 9/9.
    ("MA", Rule.INITIAL_EVALUATION, "2027-04-29", {}, "2027-09-09", Basis.COUNT),
    # TX ARD: FIIE report Wed 6/30/2027 + 30 = Fri 7/30, in the summer: the first day, 8/18.
    ("TX", Rule.INITIAL_IEP_MEETING, "2027-06-30", {}, "2027-08-18", Basis.FIRST_DAY),
    # TX ARD: report Mon 5/3/2027 + 30 = Wed 6/2, a school day: stands.
    ("TX", Rule.INITIAL_IEP_MEETING, "2027-05-03", {}, "2027-06-02", Basis.COUNT),
    # TX ARD: report Tue 7/20/2027 + 30 = Thu 8/19, after school starts: stands.
    ("TX", Rule.INITIAL_IEP_MEETING, "2027-07-20", {}, "2027-08-19", Basis.COUNT),
    # TX notice for a meeting Mon 11/30/2026: back over Thanksgiving: Nov 20, 19, 18, 17, 16.
    ("TX", Rule.MEETING_NOTICE, "2026-11-30", {}, "2026-11-16", Basis.LEAD_TIME),
    # CA copies for a meeting on Thu 11/12: the last business day before it is Tue 11/10
    # (Wed 11/11 is Veterans Day), sooner than 5 business days (11/17).
    (
        "CA",
        Rule.RECORDS_INSPECTION,
        "2026-11-09",
        {"next_meeting": D("2026-11-12")},
        "2026-11-10",
        Basis.NEXT_MEETING,
    ),
    # A meeting on Mon 11/2: the last business day before it is Fri 10/30.
    (
        "US",
        Rule.RECORDS_INSPECTION,
        "2026-10-22",
        {"next_meeting": D("2026-11-02")},
        "2026-10-30",
        Basis.NEXT_MEETING,
    ),
    # Records: 45 days would be 12/6, but the meeting on Tue 11/10 comes first: Mon 11/9.
    (
        "US",
        Rule.RECORDS_INSPECTION,
        "2026-10-22",
        {"next_meeting": D("2026-11-10")},
        "2026-11-09",
        Basis.NEXT_MEETING,
    ),
    # A meeting after 12/6 changes nothing.
    (
        "US",
        Rule.RECORDS_INSPECTION,
        "2026-10-22",
        {"next_meeting": D("2027-01-10")},
        "2026-12-06",
        Basis.COUNT,
    ),
    # CA copies over Veterans Day: Mon 11/9 request: 10, (11 off), 12, 13, 16, 17.
    ("CA", Rule.RECORDS_INSPECTION, "2026-11-09", {}, "2026-11-17", Basis.COUNT),
    # PA: intellectual disability reevaluates every 2 years.
    (
        "PA",
        Rule.REEVALUATION,
        "2026-10-22",
        {"disability": Disability.INTELLECTUAL_DISABILITY},
        "2028-10-22",
        Basis.ANNIVERSARY,
    ),
    # PA, another disability: 3 years.
    (
        "PA",
        Rule.REEVALUATION,
        "2026-10-22",
        {"disability": Disability.AUTISM},
        "2029-10-22",
        Basis.ANNIVERSARY,
    ),
    # Leap day: a review on 2028-02-29 is due on 2029-02-28, the earlier of the two readings.
    ("US", Rule.ANNUAL_REVIEW, "2028-02-29", {}, "2029-02-28", Basis.ANNIVERSARY),
    # IL 14 and a half from a birthday on the 31st: Aug 31 + 174 months = Feb 28, 2025.
    ("IL", Rule.TRANSITION_SERVICES, "2010-08-31", {}, "2025-02-28", Basis.BIRTHDAY),
    # Progress report on a report date itself is due that day.
    (
        "US",
        Rule.PROGRESS_REPORT,
        "2027-01-29",
        {"schedule": SCHEDULE},
        "2027-01-29",
        Basis.SCHEDULE,
    ),
]


@pytest.mark.parametrize(("state", "rule", "trigger", "kwargs", "expected", "basis"), SPECIAL)
def test_hand_computed_special_case(
    state: str, rule: Rule, trigger: str, kwargs: dict[str, Any], expected: str, basis: Basis
) -> None:
    deadline = compute(rule, load_profile(state), D(trigger), calendar=CAL, **kwargs)
    assert (deadline.due, deadline.basis) == (D(expected), basis)


def test_explanation_names_the_break_and_the_citation() -> None:
    deadline = compute(Rule.INITIAL_EVALUATION, load_profile("CA"), D("2026-10-22"), calendar=CAL)
    assert deadline.explanation.startswith(
        "Due 2027-01-02: 60 days after consent received on 2026-10-22, not counting winter "
        "break (2026-12-21 to 2027-01-01, 10 school days); Cal. Educ. Code 56344(a)"
    )


def test_end_of_year_explanation_gives_both_dates() -> None:
    deadline = compute(Rule.INITIAL_EVALUATION, load_profile("TX"), D("2027-04-08"), calendar=CAL)
    assert "44 school days before the last day" in deadline.explanation
    assert "June 30" in deadline.explanation and "2027-08-18" in deadline.explanation
    assert "29.004(a-1)" in deadline.explanation


def test_policy_rules_are_labelled() -> None:
    review = compute(Rule.SECTION_504_ANNUAL_REVIEW, load_profile("US"), D("2026-10-22"))
    assert review.policy_only
    assert "district policy, not law" in review.explanation.lower()
    notice = compute(Rule.MEETING_NOTICE, load_profile("US"), D("2026-11-02"))
    assert notice.policy_only and "default, not law" in notice.explanation
    assert not compute(Rule.MEETING_NOTICE, load_profile("NY"), D("2026-11-02")).policy_only
    assert not compute(
        Rule.SECTION_504_REEVALUATION, load_profile("US"), D("2026-10-22")
    ).policy_only


def test_uncertain_citations_say_verify() -> None:
    deadline = compute(Rule.TRANSITION_SERVICES, load_profile("IL"), D(DOB))
    assert deadline.verify and "verify" in deadline.explanation.lower()
    florida = compute(
        Rule.INITIAL_EVALUATION, load_profile("FL"), D("2026-10-22"), calendar=CAL, absences=9
    )
    assert florida.verify  # the absence rule is marked K?
    assert not compute(Rule.INITIAL_EVALUATION, load_profile("US"), D("2026-10-22")).verify


# --- exceptions: tolling, transfer, SLD extension, waiver -----------------------------------


def test_federal_tolling_means_the_timeline_does_not_apply() -> None:
    deadline = compute(
        Rule.INITIAL_EVALUATION,
        load_profile("US"),
        D("2026-10-22"),
        tolling=[Tolling(D("2026-11-02"), D("2026-11-13"))],
    )
    assert deadline.status is Status.DOES_NOT_APPLY
    assert deadline.due == D("2026-12-21")  # shown for reference, never later
    assert deadline.explanation.startswith("The timeline does not apply")
    assert "300.301(d)(1)" in deadline.explanation


def test_tolling_after_the_deadline_changes_nothing() -> None:
    deadline = compute(
        Rule.INITIAL_EVALUATION,
        load_profile("US"),
        D("2026-10-22"),
        tolling=[Tolling(D("2026-12-22"), D("2026-12-30"))],
    )
    assert (deadline.status, deadline.due) == (Status.DUE, D("2026-12-21"))


def _profile_that_tolls(unit: str = "calendar", days: int = 60) -> Any:
    # A state whose data stops the clock instead of dropping the timeline: only data changes.
    data = {
        "state": "ZZ",
        "name": "Tolling test state",
        "inherits": "US",
        "effective_from": "2013-2014",
        "rules": {
            "initial_evaluation": {
                "days": days,
                "unit": unit,
                "count_start": "day_after_trigger",
                "exclusions": {},
                "citation": "Test Code 1",
                "tolling": "extend",
                "tolling_citation": "Test Code 2",
            }
        },
    }
    return parse_profile(data, source="ZZ.json", base=load_profile("US"))


def test_a_tolling_state_extends_by_the_stopped_days() -> None:
    # 12 calendar days stopped (Nov 2-13): Dec 21 + 12 = Jan 2.
    deadline = compute(
        Rule.INITIAL_EVALUATION,
        _profile_that_tolls(),
        D("2026-10-22"),
        tolling=[Tolling(D("2026-11-02"), D("2026-11-13"))],
    )
    assert deadline.due == D("2027-01-02")
    assert "plus 12 days the clock was stopped" in deadline.explanation


def test_a_tolling_state_counting_school_days_extends_by_school_days() -> None:
    # 45 school days = Jan 15; Nov 2-6 stopped (5 school days): Jan 19, 20, 21, 22, 25.
    deadline = compute(
        Rule.INITIAL_EVALUATION,
        _profile_that_tolls("school", 45),
        D("2026-10-22"),
        calendar=CAL,
        tolling=[Tolling(D("2026-11-02"), D("2026-11-06"))],
    )
    assert deadline.due == D("2027-01-25")
    assert "plus 5 school days" in deadline.explanation


def test_transfer_with_an_agreed_date_replaces_the_deadline() -> None:
    deadline = compute(
        Rule.INITIAL_EVALUATION,
        load_profile("NY"),
        D("2026-10-22"),
        extension=Extension(D("2027-02-15"), ExtensionReason.TRANSFER),
    )
    assert (deadline.due, deadline.basis) == (D("2027-02-15"), Basis.AGREED_DATE)
    assert "300.301(d)(2)" in deadline.explanation


def test_sld_extension_moves_the_deadline_to_the_agreed_date() -> None:
    deadline = compute(
        Rule.INITIAL_EVALUATION,
        load_profile("US"),
        D("2026-10-22"),
        extension=Extension(D("2027-01-15"), ExtensionReason.SLD_WRITTEN_AGREEMENT),
    )
    assert deadline.due == D("2027-01-15")
    assert "300.309(c)" in deadline.explanation


def test_sld_extension_cannot_shorten() -> None:
    with pytest.raises(InvalidInput, match="can only add time"):
        compute(
            Rule.INITIAL_EVALUATION,
            load_profile("US"),
            D("2026-10-22"),
            extension=Extension(D("2026-12-01"), ExtensionReason.SLD_WRITTEN_AGREEMENT),
        )


def test_reevaluation_waiver_is_accepted_and_explained() -> None:
    deadline = compute(
        Rule.REEVALUATION, load_profile("US"), D("2026-10-22"), waiver=D("2029-09-01")
    )
    assert deadline.status is Status.WAIVED
    assert deadline.due == D("2032-09-01")  # the next one, 3 years from the agreement
    assert "2029-10-22" in deadline.explanation and "written agreement" in deadline.explanation


def test_annual_review_cannot_be_waived() -> None:
    with pytest.raises(InvalidInput, match="waiver does not apply"):
        compute(Rule.ANNUAL_REVIEW, load_profile("US"), D("2026-10-22"), waiver=D("2027-09-01"))


def test_next_progress_report_helper() -> None:
    assert next_progress_report(SCHEDULE, D("2027-02-01")).due == D("2027-04-09")
    with pytest.raises(InvalidInput, match="on or after"):
        next_progress_report(SCHEDULE, D("2027-06-11"))
    with pytest.raises(InvalidInput, match="schedule"):
        next_progress_report((), D("2027-06-11"))


# --- errors ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("state", "rule"),
    [
        ("TX", Rule.INITIAL_EVALUATION),
        ("IL", Rule.INITIAL_EVALUATION),
        ("MA", Rule.INITIAL_EVALUATION),
        ("CA", Rule.INITIAL_EVALUATION),  # calendar days, but summer and breaks are skipped
        ("FL", Rule.INITIAL_EVALUATION),
        ("PA", Rule.INITIAL_EVALUATION),
        ("TX", Rule.MEETING_NOTICE),
        ("TX", Rule.PRIOR_WRITTEN_NOTICE),
    ],
)
def test_rules_that_need_the_school_calendar_say_so(state: str, rule: Rule) -> None:
    with pytest.raises(NeedsCalendar, match="calendar"):
        compute(rule, load_profile(state), D("2026-10-22"))


def test_calendar_day_rules_answer_without_a_calendar() -> None:
    for state in ("US", "NY", "NJ"):
        assert compute(Rule.INITIAL_EVALUATION, load_profile(state), D("2026-10-22")).due
    # TX's ARD rule answers with the unmoved (earlier) date and says what a calendar would add.
    ard = compute(Rule.INITIAL_IEP_MEETING, load_profile("TX"), D("2027-06-30"))
    assert ard.due == D("2027-07-30") and "first day of classes" in ard.explanation


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"absences": -1}, "negative"),
        ({"next_meeting": D("2026-11-01")}, "next_meeting does not apply"),
        ({"dob": D(DOB)}, "dob does not apply"),
        ({"schedule": SCHEDULE}, "schedule does not apply"),
        ({"tolling": [Tolling(D("2026-10-01"), D("2026-10-30"))]}, "before the trigger"),
        ({"tolling": [Tolling(D("2026-11-05"), D("2026-11-01"))]}, "is before"),
    ],
)
def test_invalid_arguments_are_named(kwargs: dict[str, Any], message: str) -> None:
    with pytest.raises(InvalidInput, match=message):
        compute(Rule.INITIAL_EVALUATION, load_profile("US"), D("2026-10-22"), **kwargs)


def test_records_meeting_before_the_request_is_refused() -> None:
    with pytest.raises(InvalidInput, match="not after the request"):
        compute(
            Rule.RECORDS_INSPECTION,
            load_profile("US"),
            D("2026-10-22"),
            next_meeting=D("2026-10-22"),
        )


def test_a_lead_time_reaching_before_the_calendar_is_refused() -> None:
    # 5 school days before the first day of school fall in a year the calendar does not hold.
    with pytest.raises(CalendarTooShort, match="first_day"):
        compute(Rule.MEETING_NOTICE, load_profile("TX"), D("2026-08-19"), calendar=CAL)


@pytest.mark.parametrize("trigger", ["2025-10-22", "2028-09-01"])
def test_a_trigger_outside_the_calendar_year_is_refused(trigger: str) -> None:
    # Counting a 2025 consent against the 2026-27 calendar would skip a whole year as "summer".
    with pytest.raises(CalendarTooShort, match="outside the school year"):
        compute(Rule.INITIAL_EVALUATION, load_profile("CA"), D(trigger), calendar=CAL)


def test_a_trigger_older_than_the_data_is_refused() -> None:
    # TX data starts with SB 816 on 2013-09-01; the 60-day rule before it is not in the data.
    with pytest.raises(RuleNotInEffect, match="2013-09-01"):
        compute(Rule.MEETING_NOTICE, load_profile("TX"), D("2013-08-01"), calendar=CAL)


def test_unknown_state_and_rule() -> None:
    with pytest.raises(UnknownState, match="'ZZ'"):
        load_profile("ZZ")
    with pytest.raises(UnknownState):
        load_profile("../US")
    with pytest.raises(UnknownRule, match="choose one of"):
        parse_rule("iep_party")
    assert load_profile("tx") is load_profile("tx")  # cached: no file read after the first
    assert load_profile("tx").code == "TX"


# --- profile data ---------------------------------------------------------------------------


def test_state_files_inherit_from_the_federal_profile() -> None:
    texas = load_profile("TX")
    assert Rule.ANNUAL_REVIEW in texas.inherited
    assert texas.spec(Rule.ANNUAL_REVIEW) is load_profile("US").spec(Rule.ANNUAL_REVIEW)
    assert Rule.INITIAL_EVALUATION not in texas.inherited


def test_every_rule_cites_something() -> None:
    for state in STATES:
        profile = load_profile(state)
        for rule in Rule:
            if profile.has(rule):
                assert profile.spec(rule).citation.strip()


def _minimal(**rule: Any) -> dict[str, Any]:
    return {
        "state": "ZZ",
        "name": "Test",
        "inherits": "US",
        "effective_from": "2013-2014",
        "rules": {"meeting_notice": {"days": 5, "unit": "calendar", "citation": "X", **rule}},
    }


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (_minimal(unit="days"), "rules.meeting_notice.unit: expected one of calendar"),
        (_minimal(days="five"), "rules.meeting_notice.days: expected a whole number"),
        (_minimal(dayz=3), "rules.meeting_notice.dayz: unknown key"),
        (_minimal(citation=""), "rules.meeting_notice.citation: expected a non-empty string"),
        ({**_minimal(), "effective_from": "2013"}, "effective_from: expected a date"),
        ({**_minimal(), "state": "zz"}, "state: expected a two-letter code"),
        ({**_minimal(), "inherits": "CA"}, "inherits: can only name 'US'"),
        ({**_minimal(), "rules": {"party": {}}}, "rules.party: unknown rule"),
    ],
)
def test_malformed_profile_names_the_file_and_key(data: dict[str, Any], message: str) -> None:
    with pytest.raises(ProfileError, match=message) as caught:
        parse_profile(data, source="ZZ.json", base=load_profile("US"))
    assert str(caught.value).startswith("ZZ.json: ")


def test_a_profile_without_inheritance_must_hold_every_rule() -> None:
    data = {**_minimal()}
    del data["inherits"]
    with pytest.raises(ProfileError, match="missing"):
        parse_profile(data, source="ZZ.json", base=load_profile("US"))


def test_a_new_state_is_data_only() -> None:
    # Five school-day notice and nothing else: everything else comes from the federal profile.
    profile = parse_profile(_minimal(unit="school"), source="ZZ.json", base=load_profile("US"))
    notice = compute(Rule.MEETING_NOTICE, profile, D("2026-10-22"), calendar=CAL)
    assert notice.due == D("2026-10-15")
    assert compute(Rule.ANNUAL_REVIEW, profile, D("2026-10-22")).due == D("2027-10-22")


# --- properties -----------------------------------------------------------------------------

# Progress reports read a schedule, not a count; every other rule takes part.
COUNTED_RULES = [
    (state, rule)
    for state in STATES
    for rule in Rule
    if rule is not Rule.PROGRESS_REPORT and load_profile(state).has(rule)
]
# From the first day of school through next summer. Lead times need a week of school before
# the event (the calendar does not know the year before), so those start a little later.
triggers = st.dates(D("2026-08-19"), D("2027-08-10"))
lead_safe_triggers = st.dates(D("2026-09-01"), D("2027-08-10"))


def _at(state: str, rule: Rule, trigger: date, **kwargs: Any) -> Any:
    return compute(rule, load_profile(state), trigger, calendar=CAL, **kwargs)


SCHOOL_DAY_RULES = [
    (state, rule)
    for state, rule in COUNTED_RULES
    if getattr(load_profile(state).spec(rule), "unit", None) == "school"
]


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(SCHOOL_DAY_RULES), lead_safe_triggers, st.integers(0, 12))
def test_school_day_counts_land_on_school_days(
    state_rule: tuple[str, Rule], trigger: date, absences: int
) -> None:
    state, rule = state_rule
    kwargs = {"absences": absences} if rule is Rule.INITIAL_EVALUATION else {}
    deadline = _at(state, rule, trigger, **kwargs)
    if deadline.basis in (Basis.COUNT, Basis.LEAD_TIME):
        assert CAL.is_school_day(deadline.due), deadline.explanation


@settings(max_examples=400, deadline=None)
@given(st.sampled_from(COUNTED_RULES), lead_safe_triggers, st.integers(1, 40))
def test_a_later_trigger_never_gives_an_earlier_due_date(
    state_rule: tuple[str, Rule], trigger: date, later: int
) -> None:
    state, rule = state_rule
    first = _at(state, rule, trigger).due
    second = _at(state, rule, trigger + timedelta(days=later)).due
    assert second >= first


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(STATES),
    triggers,
    st.lists(st.tuples(st.integers(0, 120), st.integers(0, 20)), max_size=3),
    st.integers(0, 15),
)
def test_tolling_and_absences_never_shorten(
    state: str, trigger: date, periods: list[tuple[int, int]], absences: int
) -> None:
    tolling = [
        Tolling(trigger + timedelta(days=start), trigger + timedelta(days=start + length))
        for start, length in periods
    ]
    plain = _at(state, Rule.INITIAL_EVALUATION, trigger).due
    tolled = _at(state, Rule.INITIAL_EVALUATION, trigger, tolling=tolling, absences=absences).due
    assert tolled >= plain


@settings(max_examples=200, deadline=None)
@given(
    st.sampled_from(["calendar", "school"]),
    triggers,
    st.lists(st.tuples(st.integers(0, 120), st.integers(0, 20)), min_size=1, max_size=3),
)
def test_stopping_the_clock_never_shortens(
    unit: str, trigger: date, periods: list[tuple[int, int]]
) -> None:
    profile = _profile_that_tolls(unit, 45)
    tolling = [
        Tolling(trigger + timedelta(days=start), trigger + timedelta(days=start + length))
        for start, length in periods
    ]
    plain = compute(Rule.INITIAL_EVALUATION, profile, trigger, calendar=CAL).due
    tolled = compute(Rule.INITIAL_EVALUATION, profile, trigger, calendar=CAL, tolling=tolling)
    assert tolled.due >= plain


def test_school_day_rules_are_covered_by_the_property() -> None:
    assert ("TX", Rule.MEETING_NOTICE) in SCHOOL_DAY_RULES
    assert {state for state, _ in SCHOOL_DAY_RULES} == {"TX", "IL", "MA"}
    assert isinstance(CAL, SchoolCalendar) and CAL.next_first_day == D("2027-08-18")


def test_every_trigger_in_the_fixture_year_is_monotone_and_lands_on_school_days() -> None:
    # Exhaustive over one real school year (about 40,000 computations, about a second).
    for state in STATES:
        profile = load_profile(state)
        for rule in Rule:
            if rule is Rule.PROGRESS_REPORT or not profile.has(rule):
                continue
            school = getattr(profile.spec(rule), "unit", None) == "school"
            previous = None
            day = D("2026-09-01")
            while day <= D("2027-08-31"):
                deadline = compute(rule, profile, day, calendar=CAL)
                if school and deadline.basis in (Basis.COUNT, Basis.LEAD_TIME):
                    assert CAL.is_school_day(deadline.due), (state, rule, day)
                if previous is not None:
                    assert deadline.due >= previous, (state, rule, day)
                previous = deadline.due
                day += timedelta(days=1)


# --- California's year-end rule keys on the referral (Cal. Educ. Code 56344(a)) ------------
# 56344(a): the IEP is due within 30 days after the next regular school year starts "for each
# pupil for whom a referral has been made 30 days or less prior to the end of the regular school
# year". On the fixture the last day is Thu 2027-06-10, the next first day Wed 2027-08-18, so the
# year-end date is 8/18 + 30 = Fri 2027-09-17. The window opens 30 days before: Tue 2027-05-11.

REFERRAL_CASES = [
    # Referral Thu 5/20 (21 days before 6/10: in the window), consent Mon 6/14, after the last
    # day. The count starts after summer: 8/18 is day 1, day 60 = 8/18 + 59 = Sat 10/16. The
    # year-end rule gives 9/17, earlier. (Keyed on the consent, the rule was skipped: 10/16,
    # a month late, without a word.)
    ("2027-06-14", "2027-05-20", "2027-09-17", Basis.END_OF_YEAR),
    # The same consent, no referral date: the referral may have been in the window; the earlier
    # reading, 9/17, with the missing date named in the explanation.
    ("2027-06-14", None, "2027-09-17", Basis.END_OF_YEAR),
    # Referral Thu 4/1 (70 days before the end: outside), consent Thu 5/20 (inside). The count:
    # May 21 - Jun 10 = 21, 8/18 = 22, day 60 = 8/18 + 38 = Sat 9/25. Keyed on the consent the
    # rule gave 9/17, eight days early; keyed on the referral it does not apply.
    ("2027-05-20", "2027-04-01", "2027-09-25", Basis.COUNT),
    # A referral in the summer (7/1, after the end of the year) is not "prior to the end": the
    # count, 8/18 + 59 = Sat 10/16.
    ("2027-07-01", "2027-07-01", "2027-10-16", Basis.COUNT),
    # Referral Thu 2026-05-20, before this calendar's year (first day Wed 2026-08-19), consent
    # Tue 2026-09-01. The count: Sep 2 + 59 = Sat 10/31 (no break over 5 school days on the way).
    # The calendar does not hold the last day of 2025-26, so the window cannot be checked: the
    # earlier reading, 30 days after 8/19 = Fri 2026-09-18, saying why.
    ("2026-09-01", "2026-05-20", "2026-09-18", Basis.END_OF_YEAR),
    # Referral Thu 2026-01-15: more than 150 days (a summer of at most 120 plus the 30-day
    # window) before 8/19, so outside any window: the count, 10/31.
    ("2026-09-01", "2026-01-15", "2026-10-31", Basis.COUNT),
]


@pytest.mark.parametrize(("consent", "referral", "due", "basis"), REFERRAL_CASES)
def test_california_year_end_rule_keys_on_the_referral(
    consent: str, referral: str | None, due: str, basis: Basis
) -> None:
    deadline = compute(
        Rule.INITIAL_EVALUATION,
        load_profile("CA"),
        D(consent),
        calendar=CAL,
        referral=None if referral is None else D(referral),
    )
    assert (deadline.due, deadline.basis) == (D(due), basis), deadline.explanation
    assert deadline.explanation.startswith(f"Due {due}: ")


def test_a_missing_referral_is_named_and_the_earlier_reading_taken() -> None:
    deadline = compute(Rule.INITIAL_EVALUATION, load_profile("CA"), D("2027-06-14"), calendar=CAL)
    assert "The referral date was not given" in deadline.explanation
    assert "Tandem takes the earlier reading" in deadline.explanation
    assert "2027-10-16" in deadline.explanation  # the count it replaced
    known = compute(
        Rule.INITIAL_EVALUATION,
        load_profile("CA"),
        D("2027-06-14"),
        calendar=CAL,
        referral=D("2027-05-20"),
    )
    assert "not given" not in known.explanation


def test_a_referral_the_calendar_cannot_place_is_named() -> None:
    deadline = compute(
        Rule.INITIAL_EVALUATION,
        load_profile("CA"),
        D("2026-09-01"),
        calendar=CAL,
        referral=D("2026-05-20"),
    )
    assert "does not hold the last day of the school year before" in deadline.explanation


def test_states_whose_year_end_rule_keys_on_consent_ignore_the_referral() -> None:
    # Texas keys its June 30 rule on consent (TEC 29.004(a-1)): the referral changes nothing.
    plain = compute(Rule.INITIAL_EVALUATION, load_profile("TX"), D("2027-04-08"), calendar=CAL)
    with_referral = compute(
        Rule.INITIAL_EVALUATION,
        load_profile("TX"),
        D("2027-04-08"),
        calendar=CAL,
        referral=D("2027-03-01"),
    )
    assert with_referral == plain


@pytest.mark.parametrize(
    ("rule", "trigger", "referral", "message"),
    [
        (Rule.INITIAL_EVALUATION, "2027-05-20", "2027-05-21", "after the trigger"),
        (Rule.ANNUAL_REVIEW, "2027-05-20", "2027-05-01", "referral does not apply"),
    ],
)
def test_a_referral_that_cannot_be_right_is_refused(
    rule: Rule, trigger: str, referral: str, message: str
) -> None:
    with pytest.raises(InvalidInput, match=message):
        compute(rule, load_profile("CA"), D(trigger), calendar=CAL, referral=D(referral))


# --- explanations lead with the rule that decided the date ---------------------------------


def test_a_year_end_date_leads_with_the_year_end_rule_then_the_count_it_replaced() -> None:
    deadline = compute(
        Rule.INITIAL_EVALUATION,
        load_profile("CA"),
        D("2027-06-14"),
        calendar=CAL,
        referral=D("2027-05-20"),
    )
    assert deadline.explanation.startswith(
        "Due 2027-09-17: the referral on 2027-05-20 came 21 days before the last day of the "
        "school year (2027-06-10), so the IEP is due within 30 days after the next regular "
        "school year starts (Cal. Educ. Code 56344(a)). It replaces the count: 60 days after "
        "consent received on 2027-06-14, not counting summer (2027-06-11 to 2027-08-17), would "
        "end 2027-10-16; Cal. Educ. Code 56344(a); 56043."
    )


def test_texas_june_30_leads_with_the_june_30_rule() -> None:
    # Consent Thu 4/8/2027, 44 school days before the last day (the table at the top).
    deadline = compute(Rule.INITIAL_EVALUATION, load_profile("TX"), D("2027-04-08"), calendar=CAL)
    assert deadline.explanation.startswith(
        "Due 2027-06-30: written consent received on 2027-04-08 came 44 school days before the "
        "last day of the school year (2027-06-10), so the report is due by June 30 "
        "(Tex. Educ. Code 29.004(a-1)). It replaces the count: 45 school days after written "
        "consent received on 2027-04-08"
    )
    assert "would end 2027-08-18" in deadline.explanation


def test_a_summer_date_moved_to_the_first_day_leads_with_that_rule() -> None:
    # FIIE report Wed 6/30/2027 + 30 days = Fri 7/30, in the summer: the first day, 8/18.
    deadline = compute(Rule.INITIAL_IEP_MEETING, load_profile("TX"), D("2027-06-30"), calendar=CAL)
    assert deadline.explanation.startswith(
        "Due 2027-08-18: the first day of classes, because the count ends in the summer. "
        "It replaces the count: 30 days after the FIIE report was completed on 2027-06-30 "
        "would end 2027-07-30; 19 TAC 89.1011(d)."
    )


def test_an_agreed_date_leads_with_the_agreement() -> None:
    deadline = compute(
        Rule.INITIAL_EVALUATION,
        load_profile("NY"),
        D("2026-10-22"),
        extension=Extension(D("2027-02-15"), ExtensionReason.TRANSFER),
    )
    assert deadline.explanation.startswith(
        "Due 2027-02-15: the date the parent and the new district agreed to finish the "
        "evaluation after the child moved (34 CFR 300.301(d)(2), (e)). It replaces the count: "
        "60 days after consent received on 2026-10-22 would end 2026-12-21;"
    )


SCHOOL_DAY_SKIPS = [
    # TX notice before an action on Tue 2027-01-05: 5 school days back are Mon 1/4, then over
    # winter break to Dec 18, 17, 16, 15.
    (
        Rule.PRIOR_WRITTEN_NOTICE,
        "2027-01-05",
        "2026-12-15",
        "not counting days without school: winter break (2026-12-21 to 2027-01-01, 10 school days)",
    ),
    # TX notice for a meeting on Mon 2026-11-30: Nov 20, 19, 18, 17, 16, over Thanksgiving.
    (
        Rule.MEETING_NOTICE,
        "2026-11-30",
        "2026-11-16",
        "not counting days without school: Thanksgiving break (2026-11-23 to 2026-11-27, "
        "5 school days)",
    ),
    # TX evaluation, 45 school days from Thu 2026-10-22 to Fri 2027-01-15 (the table at the
    # top): the count passes Veterans Day, Thanksgiving and winter break.
    (
        Rule.INITIAL_EVALUATION,
        "2026-10-22",
        "2027-01-15",
        "not counting days without school: holiday (2026-11-11), Thanksgiving break "
        "(2026-11-23 to 2026-11-27, 5 school days) and winter break (2026-12-21 to 2027-01-01, "
        "10 school days)",
    ),
]


@pytest.mark.parametrize(("rule", "trigger", "due", "words"), SCHOOL_DAY_SKIPS)
def test_school_day_counts_show_the_days_skipped(
    rule: Rule, trigger: str, due: str, words: str
) -> None:
    deadline = compute(rule, load_profile("TX"), D(trigger), calendar=CAL)
    assert deadline.due == D(due)
    assert words in deadline.explanation


# --- California's assessment plan and the 504 evaluation -----------------------------------

ASSESSMENT_PLAN = [
    # 15 days from a referral on Thu 2026-10-22: Oct 23-31 = 9, Nov 1-6 = 15: Fri 11/6.
    ("2026-10-22", "2026-11-06", Basis.COUNT),
    # Referral Fri 2026-12-11: Dec 12-20 = 9; winter break (10 school days, over five) is not
    # counted; Sat 1/2 = 10, Sun 1/3 = 11, Mon 1/4 - Thu 1/7 = 12-15.
    ("2026-12-11", "2027-01-07", Basis.COUNT),
    # Referral Thu 2027-06-03, 7 days before the last day (10 or less): the plan is due 10 days
    # after the next year starts, 8/18 + 10 = Sat 8/28. The count: Jun 4-10 = 7, summer not
    # counted, 8/18 = 8, day 15 = Wed 8/25: earlier, and kept.
    ("2027-06-03", "2027-08-25", Basis.COUNT),
    # Referral Wed 2027-06-09, 1 day before: the count, Jun 10 = 1, 8/18 = 2, day 15 = Tue 8/31;
    # the year-end date, 8/28, is earlier.
    ("2027-06-09", "2027-08-28", Basis.END_OF_YEAR),
]


@pytest.mark.parametrize(("referral", "due", "basis"), ASSESSMENT_PLAN)
def test_california_assessment_plan_within_15_days_of_the_referral(
    referral: str, due: str, basis: Basis
) -> None:
    deadline = compute(Rule.ASSESSMENT_PLAN, load_profile("CA"), D(referral), calendar=CAL)
    assert (deadline.due, deadline.basis) == (D(due), basis), deadline.explanation
    assert "Cal. Educ. Code 56321(a)" in deadline.explanation
    assert deadline.explanation.startswith(f"Due {due}: ")


def test_assessment_plan_is_californias_and_absent_where_the_law_sets_no_day_count() -> None:
    assert parse_rule("assessment_plan") is Rule.ASSESSMENT_PLAN
    assert load_profile("CA").has(Rule.ASSESSMENT_PLAN)
    assert not load_profile("US").has(Rule.ASSESSMENT_PLAN)
    assert not load_profile("TX").has(Rule.ASSESSMENT_PLAN)
    with pytest.raises(InvalidInput, match="no assessment_plan rule"):
        compute(Rule.ASSESSMENT_PLAN, load_profile("US"), D("2026-10-22"))


@pytest.mark.parametrize("state", STATES)
def test_a_504_evaluation_is_district_policy_under_104_35(state: str) -> None:
    # 60 calendar days from consent on Thu 2026-10-22 (Tandem's default) = Mon 12/21.
    deadline = compute(Rule.SECTION_504_EVALUATION, load_profile(state), D("2026-10-22"))
    assert deadline.due == D("2026-12-21")
    assert deadline.policy_only
    assert "34 CFR 104.35" in deadline.citation
    assert "300.301" not in deadline.explanation
    assert "reasonable" in deadline.explanation
    assert "district policy, not law" in deadline.explanation.lower()
