"""LRE: minutes outside the regular class, percent inside, and the IDEA §618 category.

Worked by hand. A 390-minute day × 5 = 1,950 minutes a week; a 300-minute day × 5 = 1,500, where
80% is 1,200 minutes inside (300 outside) and 40% is 600 inside (900 outside). A month counts as
4.33 weeks: 60 min × 4 a month = 240 ÷ 4.33 = 24,000/433 ≈ 55.4 minutes a week.
"""

from __future__ import annotations

from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tandem.rules.calendar import InvalidInput
from tandem.rules.lre import (
    EarlyChildhoodEnvironment as EC,
)
from tandem.rules.lre import (
    EarlyChildhoodPlacement,
    InvalidLRE,
    Location,
    Period,
    SchoolAgeEnvironment,
    SchoolWeek,
    SeparatePlacement,
    ServiceLine,
    early_childhood_environment,
    school_age_environment,
    weekly_minutes,
)

IN, OUT = Location.INSIDE, Location.OUTSIDE
DAY, WEEK, MONTH = Period.DAY, Period.WEEK, Period.MONTH
RC80, RC79TO40, RC39 = (
    SchoolAgeEnvironment.RC80,
    SchoolAgeEnvironment.RC79TO40,
    SchoolAgeEnvironment.RC39,
)


def out(minutes: int, times: int = 1, per: Period = WEEK) -> ServiceLine:
    return ServiceLine(minutes=minutes, times=times, per=per, location=OUT)


def test_the_worked_example_reads_as_in_the_brief() -> None:
    speech = ServiceLine(
        minutes=30, times=4, per=WEEK, location=OUT, name="Speech-language therapy"
    )
    resource = ServiceLine(minutes=60, times=2, per=WEEK, location=OUT, name="Resource room")
    result = school_age_environment(SchoolWeek(390, 5), [speech, resource])
    assert result.outside_minutes == 240
    assert result.inside_minutes == 1710
    assert result.category is RC80
    assert result.reason == (
        "Inside the regular class 87% of the day (1,710 of 1,950 minutes a week): RC80 — "
        "inside regular class 80% or more of the day (IDEA §618; EDFacts FS002)."
    )
    assert result.outside_reason == (
        "Outside the regular class 240 minutes a week: Speech-language therapy: 30 min × 4 a "
        "week = 120 minutes a week; Resource room: 60 min × 2 a week = 120 minutes a week."
    )


# (day minutes, services, outside a week, whole percent inside, category)
TABLE = [
    pytest.param(300, [], 0, 100, RC80, id="no-services-100%"),
    pytest.param(300, [out(300)], 300, 80, RC80, id="exactly-80%-is-RC80"),
    pytest.param(300, [out(301)], 301, 79, RC79TO40, id="79.93%-is-RC79TO40"),
    pytest.param(300, [out(60, 5), out(1)], 301, 79, RC79TO40, id="one-minute-over-80-line"),
    pytest.param(300, [out(900)], 900, 40, RC79TO40, id="exactly-40%-is-RC79TO40"),
    pytest.param(300, [out(901)], 901, 39, RC39, id="39.93%-is-RC39"),
    pytest.param(300, [out(1500)], 1500, 0, RC39, id="all-day-outside-0%"),
    pytest.param(300, [out(60, 1, DAY)], 300, 80, RC80, id="60-a-day-x5-is-300"),
    pytest.param(300, [out(180, 1, DAY)], 900, 40, RC79TO40, id="180-a-day-x5-is-900"),
    pytest.param(
        300,
        [ServiceLine(minutes=60, times=5, per=WEEK, location=IN), out(30, 2)],
        60,
        96,
        RC80,
        id="inside-services-do-not-count",
    ),
    pytest.param(300, [out(100, 12, MONTH)], 277, 81, RC80, id="1200-a-month-is-277.1-a-week"),
]


@pytest.mark.parametrize(("day", "services", "outside", "percent", "category"), TABLE)
def test_percent_inside_and_category(
    day: int,
    services: list[ServiceLine],
    outside: int,
    percent: int,
    category: SchoolAgeEnvironment,
) -> None:
    result = school_age_environment(SchoolWeek(day, 5), services)
    assert round(result.outside_minutes) == outside
    assert result.whole_percent_inside == percent
    assert result.category is category
    assert result.reason.startswith(f"Inside the regular class {percent}% of the day")
    assert f": {category} — " in result.reason


def test_1300_minutes_a_month_lands_just_above_the_80_line() -> None:
    # 1,300 ÷ 4.33 = 300.23 outside, 1,199.77 of 1,500 inside = 79.98%: not RC80 after all.
    result = school_age_environment(SchoolWeek(300), [out(100, 13, MONTH)])
    assert result.outside_minutes == Fraction(130000, 433)
    assert result.category is RC79TO40
    assert result.whole_percent_inside == 79


def test_months_count_as_4_33_weeks_and_the_reason_says_so() -> None:
    line = weekly_minutes(out(60, 4, MONTH), SchoolWeek(360))
    assert line.minutes_per_week == Fraction(24000, 433)
    assert "÷ 4.33 weeks a month" in line.reason
    assert line.reason.endswith("= 55.4 minutes a week")


@pytest.mark.parametrize(
    ("week", "expected"),
    [(SchoolWeek(360, 5), 150), (SchoolWeek(360, 4), 120), (SchoolWeek(420, 6), 180)],
)
def test_daily_services_count_school_days_per_week(week: SchoolWeek, expected: int) -> None:
    line = weekly_minutes(out(30, 1, DAY), week)
    assert line.minutes_per_week == expected
    assert f"× {week.days_per_week} school days a week = {expected} minutes" in line.reason


def test_a_week_given_as_a_total() -> None:
    assert SchoolWeek.from_week(1950) == SchoolWeek(390, 5)
    assert SchoolWeek.from_week(1600, days_per_week=4) == SchoolWeek(400, 4)
    with pytest.raises(InvalidLRE, match="does not split evenly"):
        SchoolWeek.from_week(1951)


@pytest.mark.parametrize("placement", list(SeparatePlacement))
def test_explicit_placements_override_the_percent(placement: SeparatePlacement) -> None:
    result = school_age_environment(SchoolWeek(390), [out(30)], placement=placement)
    assert result.category == placement.value
    assert result.reason.startswith(f"Explicit placement: {placement.value} — ")
    assert "Inside the regular class 98% of the day" in result.reason


def test_homebound_reason_in_full() -> None:
    result = school_age_environment(
        SchoolWeek(300), [], placement=SeparatePlacement.HOMEBOUND_HOSPITAL
    )
    assert result.reason == (
        "Explicit placement: HH — homebound/hospital (IDEA §618; EDFacts FS002); it is reported "
        "instead of the percent of the day. Inside the regular class 100% of the day "
        "(1,500 of 1,500 minutes a week)."
    )


@pytest.mark.parametrize(
    ("week", "services", "message"),
    [
        (SchoolWeek(300), [out(-30)], "minutes cannot be negative"),
        (SchoolWeek(300), [out(0)], "more than 0 minutes"),
        (SchoolWeek(300), [out(30, 0)], "at least once"),
        (SchoolWeek(300), [out(30, -2)], "at least once"),
        (SchoolWeek(300), [out(1501)], "more than the 1,500-minute school week"),
        (SchoolWeek(300), [out(301, 1, DAY)], "more than the 1,500-minute school week"),
        (SchoolWeek(300), [out(800), out(800)], "add up to 1,600 minutes a week"),
        (SchoolWeek(0), [], "longer than 0 minutes"),
        (SchoolWeek(-390), [], "longer than 0 minutes"),
        (SchoolWeek(300, 0), [], "between 1 and 7"),
        (SchoolWeek(300, 8), [], "between 1 and 7"),
    ],
)
def test_bad_input_is_refused_with_a_message(
    week: SchoolWeek, services: list[ServiceLine], message: str
) -> None:
    with pytest.raises(InvalidLRE, match=message):
        school_age_environment(week, services)


def test_the_error_is_an_invalid_input() -> None:
    assert issubclass(InvalidLRE, InvalidInput)


@given(
    day=st.integers(min_value=60, max_value=480),
    lines=st.lists(
        st.tuples(
            st.integers(min_value=1, max_value=60),
            st.integers(min_value=1, max_value=3),
            st.sampled_from(list(Period)),
        ),
        max_size=4,
    ),
)
def test_the_category_always_matches_the_exact_percent(
    day: int, lines: list[tuple[int, int, Period]]
) -> None:
    services = [out(minutes, times, per) for minutes, times, per in lines]
    try:
        result = school_age_environment(SchoolWeek(day), services)
    except InvalidLRE:
        return
    assert 0 <= result.percent_inside <= 100
    assert result.inside_minutes + result.outside_minutes == result.week_minutes
    expected = (
        RC80 if result.percent_inside >= 80 else RC79TO40 if result.percent_inside >= 40 else RC39
    )
    assert result.category is expected
    assert result.category is (
        RC80
        if result.whole_percent_inside >= 80
        else RC79TO40
        if result.whole_percent_inside >= 40
        else RC39
    )


# (hours in a regular early childhood program, majority of services there, placement, category)
EC_TABLE = [
    pytest.param(12, True, None, EC.REC10YSVCS, id="12h-services-there"),
    pytest.param(10, True, None, EC.REC10YSVCS, id="exactly-10h-counts-as-10-or-more"),
    pytest.param(10, False, None, EC.REC10YOTHLOC, id="10h-services-elsewhere"),
    pytest.param(9.5, True, None, EC.REC09YSVCS, id="9.5h-services-there"),
    pytest.param(2, False, None, EC.REC09YOTHLOC, id="2h-services-elsewhere"),
    pytest.param(
        15, False, EarlyChildhoodPlacement.SEPARATE_CLASS, EC.REC10YOTHLOC, id="regular-comes-first"
    ),
    pytest.param(0, False, EarlyChildhoodPlacement.SEPARATE_CLASS, EC.SC, id="separate-class"),
    pytest.param(0, False, EarlyChildhoodPlacement.SEPARATE_SCHOOL, EC.SS, id="separate-school"),
    pytest.param(0, False, EarlyChildhoodPlacement.RESIDENTIAL_FACILITY, EC.RF, id="residential"),
    pytest.param(0, False, EarlyChildhoodPlacement.HOME, EC.H, id="home"),
    pytest.param(
        0, False, EarlyChildhoodPlacement.SERVICE_PROVIDER_LOCATION, EC.SPL, id="provider-location"
    ),
]


@pytest.mark.parametrize(("hours", "majority", "placement", "category"), EC_TABLE)
def test_early_childhood_categories(
    hours: float,
    majority: bool,
    placement: EarlyChildhoodPlacement | None,
    category: EC,
) -> None:
    result = early_childhood_environment(
        age=4,
        in_kindergarten=False,
        regular_program_hours_per_week=hours,
        majority_of_services_in_regular_program=majority,
        placement=placement,
    )
    assert result.category is category
    assert f"{category} — " in result.reason
    assert "EDFacts FS089" in result.reason


def test_early_childhood_reason_in_full() -> None:
    result = early_childhood_environment(
        age=3,
        in_kindergarten=False,
        regular_program_hours_per_week=9.5,
        majority_of_services_in_regular_program=False,
    )
    assert result.reason == (
        "Attends a regular early childhood program 9.5 hours a week (less than 10), most special "
        "education services elsewhere: REC09YOTHLOC — regular early childhood program less than "
        "10 hours a week, majority of special education services received in some other location "
        "(IDEA §618; EDFacts FS089)."
    )


@pytest.mark.parametrize(
    ("age", "kindergarten", "hours", "placement", "message"),
    [
        (6, False, 12, None, "ages 3 to 5"),
        (2, False, 12, None, "ages 3 to 5"),
        (5, True, 12, None, "in kindergarten"),
        (4, False, -1, None, "cannot be negative"),
        (4, False, 0, None, "attends no regular early childhood program"),
    ],
)
def test_early_childhood_bad_input(
    age: int,
    kindergarten: bool,
    hours: float,
    placement: EarlyChildhoodPlacement | None,
    message: str,
) -> None:
    with pytest.raises(InvalidLRE, match=message):
        early_childhood_environment(
            age=age,
            in_kindergarten=kindergarten,
            regular_program_hours_per_week=hours,
            majority_of_services_in_regular_program=True,
            placement=placement,
        )
