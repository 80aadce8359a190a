"""Service minutes rules (tandem/rules/services.py), checked against hand counts.

The calendar: school from Wed 2026-08-19 to Thu 2027-06-10; Labor Day Mon 2026-09-07 off;
Thanksgiving break Mon 2026-11-23 to Fri 2026-11-27.
"""

from __future__ import annotations

from datetime import date

import pytest

from tandem.rules.calendar import Break, InvalidInput, SchoolCalendar
from tandem.rules.services import (
    Code,
    Mandate,
    MinuteRules,
    Per,
    Session,
    account,
    mandate_periods,
    totals,
)

CALENDAR = SchoolCalendar(
    first_day=date(2026, 8, 19),
    last_day=date(2027, 6, 10),
    non_school_days=frozenset({date(2026, 9, 7)}),
    breaks=(Break("Thanksgiving break", date(2026, 11, 23), date(2026, 11, 27)),),
)
# 30 minutes, 2 times a week = 60 minutes a week.
SPEECH = Mandate(minutes=30, times=2, per=Per.WEEK, start=date(2026, 8, 31), end=date(2026, 9, 13))


def test_a_full_week_owes_the_full_amount_and_a_holiday_week_four_fifths() -> None:
    weeks = mandate_periods(SPEECH, CALENDAR)
    # Mon 8/31 - Fri 9/4: five school days -> 60.
    # Mon 9/7 is Labor Day: four school days -> 60 x 4/5 = 48.
    assert [(w.start, w.school_days, w.mandated) for w in weeks] == [
        (date(2026, 8, 31), 5, 60),
        (date(2026, 9, 7), 4, 48),
    ]


def test_a_break_week_owes_nothing() -> None:
    mandate = Mandate(30, 2, Per.WEEK, date(2026, 11, 23), date(2026, 11, 29))
    # Thanksgiving break covers all five weekdays -> 0 school days -> 0 minutes.
    assert [w.mandated for w in mandate_periods(mandate, CALENDAR)] == [0]


def test_a_service_starting_midweek_is_prorated() -> None:
    # Starts Thu 9/3: Thu and Fri are school days -> 60 x 2/5 = 24.
    mandate = Mandate(30, 2, Per.WEEK, date(2026, 9, 3), date(2026, 9, 4))
    assert [w.mandated for w in mandate_periods(mandate, CALENDAR)] == [24]


def test_rounding_is_half_up() -> None:
    # 33 minutes a week for one school day (Fri 9/11): 33 x 1/5 = 6.6 -> 7.
    mandate = Mandate(33, 1, Per.WEEK, date(2026, 9, 11), date(2026, 9, 11))
    assert [w.mandated for w in mandate_periods(mandate, CALENDAR)] == [7]


def test_closures_can_owe_the_full_week_when_the_district_says_so() -> None:
    rules = MinuteRules(prorate_closed_days=False)
    assert [w.mandated for w in mandate_periods(SPEECH, CALENDAR, rules)] == [60, 60]


def test_per_day_owes_on_every_school_day() -> None:
    # 15 minutes once a day, week of Labor Day: 4 school days -> 60.
    mandate = Mandate(15, 1, Per.DAY, date(2026, 9, 7), date(2026, 9, 13))
    assert [w.mandated for w in mandate_periods(mandate, CALENDAR)] == [60]


def test_per_month_is_prorated_by_school_days_and_spread_over_its_weeks() -> None:
    # 60 minutes a month in September 2026: 22 weekdays, Labor Day off -> 21 school days,
    # 60 x 21/22 = 57.27 -> 57 minutes, spread over the school days by week:
    # Tue 9/1-Fri 9/4 (4 days), 9/8-9/11 (4), 9/14-18 (5), 9/21-25 (5), 9/28-30 (3).
    mandate = Mandate(60, 1, Per.MONTH, date(2026, 9, 1), date(2026, 9, 30))
    weeks = mandate_periods(mandate, CALENDAR)
    assert sum(w.mandated for w in weeks) == 57
    assert [w.school_days for w in weeks] == [4, 4, 5, 5, 3]
    # cumulative rounding: 57*4/21=10.86->11, 57*8/21=21.7->22, 13/21->35.3->35, 18->48.9->49, 57
    assert [w.mandated for w in weeks] == [11, 11, 13, 14, 8]


def test_per_year_is_one_period_not_split_into_weeks() -> None:
    mandate = Mandate(60, 10, Per.YEAR, date(2026, 9, 1), date(2027, 6, 10))
    periods = mandate_periods(mandate, CALENDAR)
    assert len(periods) == 1 and periods[0].mandated == 600


def test_delivered_missed_and_owed() -> None:
    sessions = [
        # Week 1 (60 owed): one session delivered (30), one missed by the provider (30 owed).
        Session(date(2026, 9, 1), Code.DELIVERED, 30),
        Session(date(2026, 9, 3), Code.PROVIDER_ABSENT, 0),
        # Week 2 (48 owed): one delivered (30), the student absent (30 missed, not owed).
        Session(date(2026, 9, 8), Code.DELIVERED, 30),
        Session(date(2026, 9, 10), Code.STUDENT_ABSENT, 0),
    ]
    week1, week2 = account(SPEECH, CALENDAR, sessions)
    assert (week1.delivered, week1.missed, week1.shortfall, week1.owed) == (
        30,
        {Code.PROVIDER_ABSENT: 30},
        30,
        30,
    )
    # Week 2: shortfall 48 - 30 = 18, but the miss was the student's: nothing owed back.
    assert (week2.delivered, week2.missed, week2.shortfall, week2.owed) == (
        30,
        {Code.STUDENT_ABSENT: 30},
        18,
        0,
    )
    total = totals([week1, week2])
    # 60 + 48 = 108 mandated, 60 delivered -> 60/108 = 55.6% -> 56.
    assert (total.mandated, total.delivered, total.owed, total.percent) == (108, 60, 30, 56)


def test_a_makeup_counts_toward_the_week_it_replaces_and_settles_the_debt() -> None:
    sessions = [
        Session(date(2026, 9, 1), Code.DELIVERED, 30),
        Session(date(2026, 9, 3), Code.PROVIDER_ABSENT, 0),
        # Made up in week 2, for Thu 9/3 of week 1.
        Session(date(2026, 9, 9), Code.MAKEUP, 30, makeup_for=date(2026, 9, 3)),
    ]
    week1, week2 = account(SPEECH, CALENDAR, sessions)
    assert (week1.made_up, week1.shortfall, week1.owed) == (30, 0, 0)
    assert (week2.delivered, week2.made_up) == (0, 0)


def test_a_partial_session_and_a_tech_failure() -> None:
    sessions = [
        # Late start by the student: 20 of 30, remainder not owed.
        Session(date(2026, 9, 1), Code.DELIVERED_PARTIAL, 20),
        # Connection dropped after 18 of 30: 18 delivered, 12 owed back.
        Session(date(2026, 9, 3), Code.TECH_FAILURE, 18),
    ]
    (week1,) = account(SPEECH, CALENDAR, sessions)[:1]
    # delivered 38, shortfall 22, owed only the 12 tech minutes.
    assert (week1.delivered, week1.shortfall, week1.owed) == (38, 22, 12)
    assert week1.missed == {Code.DELIVERED_PARTIAL: 10, Code.TECH_FAILURE: 12}


def test_a_provider_caused_partial_is_owed() -> None:
    sessions = [Session(date(2026, 9, 1), Code.DELIVERED_PARTIAL, 20, provider_caused=True)]
    assert account(SPEECH, CALENDAR, sessions)[0].owed == 10


def test_extra_minutes_do_not_carry_over_and_a_met_week_owes_nothing() -> None:
    sessions = [
        # Week 1: 90 delivered against 60: the extra 30 do not fill week 2.
        Session(date(2026, 9, 1), Code.DELIVERED, 45),
        Session(date(2026, 9, 2), Code.DELIVERED, 45),
        Session(date(2026, 9, 3), Code.PROVIDER_ABSENT, 0),
    ]
    week1, week2 = account(SPEECH, CALENDAR, sessions)
    assert (week1.shortfall, week1.owed) == (0, 0)  # met despite the miss
    assert (week2.shortfall, week2.owed) == (48, 0)  # no sessions logged: short, nothing owed yet
    assert totals([week1, week2]).delivered == 60  # capped per week


def test_the_district_can_choose_which_codes_are_owed() -> None:
    rules = MinuteRules(owed_codes=frozenset({Code.PROVIDER_ABSENT}))
    sessions = [Session(date(2026, 9, 3), Code.STUDENT_UNAVAILABLE, 0)]
    assert account(SPEECH, CALENDAR, sessions, rules)[0].owed == 0
    assert account(SPEECH, CALENDAR, sessions)[0].owed == 30  # default: owed (section 3)


def test_bad_mandates_name_the_field() -> None:
    with pytest.raises(InvalidInput, match="minutes"):
        Mandate(0, 1, Per.WEEK, date(2026, 9, 1), date(2026, 9, 2))
    with pytest.raises(InvalidInput, match="end"):
        Mandate(30, 1, Per.WEEK, date(2026, 9, 2), date(2026, 9, 1))
