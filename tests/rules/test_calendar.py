"""School calendars and day counting, checked against hand counts on the 2026-27 calendar.

The fixture district (tests/rules/fixtures/district_2026_27.json): school from Wed 2026-08-19 to
Thu 2027-06-10, next year from Wed 2027-08-18. Days off: Labor Day Mon 9/7, Veterans Day Wed
11/11, Thanksgiving break Mon 11/23 - Fri 11/27 (5 school days), winter break Mon 12/21 - Fri
1/1 (10), MLK Mon 1/18, Presidents' Day Mon 2/15, spring break Mon 3/22 - Fri 3/26 (5), Memorial
Day Mon 5/31, and next year's Labor Day Mon 2027-09-06.
"""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tandem.rules.calendar import (
    CalendarError,
    CalendarTooShort,
    CountStart,
    Exclusions,
    InvalidInput,
    SchoolCalendar,
    Unit,
    add_business_days,
    add_calendar_days,
    add_calendar_days_excluding,
    add_school_days,
    calendar_from_mapping,
    excluded_by,
    excluded_periods,
    federal_holidays,
    is_business_day,
    is_school_day,
    load_calendar,
    school_days_between,
    subtract_days,
)

FIXTURE = Path(__file__).parent / "fixtures" / "district_2026_27.json"
CAL = load_calendar(FIXTURE)
D = date.fromisoformat


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2026-08-18", False),  # Tuesday before the first day: still summer
        ("2026-08-19", True),  # first day (Wednesday)
        ("2026-08-22", False),  # Saturday
        ("2026-09-07", False),  # Labor Day
        ("2026-11-25", False),  # inside Thanksgiving break
        ("2026-12-18", True),  # Friday before winter break
        ("2027-01-04", True),  # Monday back from winter break
        ("2027-06-10", True),  # last day
        ("2027-06-11", False),  # Friday after the last day: summer
        ("2027-08-17", False),  # day before next year starts
        ("2027-08-18", True),  # next first day
        ("2027-09-06", False),  # next year's Labor Day, listed
        ("2028-03-01", True),  # a Wednesday far into next year: weekdays count
    ],
)
def test_which_days_are_school_days(day: str, expected: bool) -> None:
    assert is_school_day(CAL, D(day)) is expected


def test_vacations_are_found_and_named_with_their_school_days() -> None:
    found = [(v.name, v.start.isoformat(), v.end.isoformat(), v.school_days) for v in CAL.vacations]
    assert found == [
        ("holiday", "2026-09-07", "2026-09-07", 1),
        ("holiday", "2026-11-11", "2026-11-11", 1),
        ("Thanksgiving break", "2026-11-23", "2026-11-27", 5),
        ("winter break", "2026-12-21", "2027-01-01", 10),
        ("holiday", "2027-01-18", "2027-01-18", 1),
        ("holiday", "2027-02-15", "2027-02-15", 1),
        ("spring break", "2027-03-22", "2027-03-26", 5),
        ("holiday", "2027-05-31", "2027-05-31", 1),
        ("holiday", "2027-09-06", "2027-09-06", 1),
    ]


def test_a_long_weekend_is_one_vacation_across_the_weekend() -> None:
    # Friday 10/9 and Monday 10/12 off: one run of 2 school days, Friday to Monday.
    calendar = SchoolCalendar(
        D("2026-08-19"),
        D("2027-06-10"),
        non_school_days=frozenset({D("2026-10-09"), D("2026-10-12")}),
    )
    assert [(v.start, v.end, v.school_days) for v in calendar.vacations] == [
        (D("2026-10-09"), D("2026-10-12"), 2)
    ]


@pytest.mark.parametrize(
    ("start", "n", "count_start", "expected"),
    [
        # Thu 10/22: Fri 10/23 is day 1, Mon-Fri 10/26-30 days 2-6.
        ("2026-10-22", 1, CountStart.DAY_AFTER_TRIGGER, "2026-10-23"),
        ("2026-10-22", 6, CountStart.DAY_AFTER_TRIGGER, "2026-10-30"),
        # Counting the trigger day: 10/22 is day 1, so day 6 is Thu 10/29.
        ("2026-10-22", 6, CountStart.TRIGGER_DAY, "2026-10-29"),
        # 45 days: Oct 23-30 = 6; Nov 2-20 less Veterans Day = 14 (20); Nov 30 = 21; Dec 1-18 =
        # 14 (35); winter break; Jan 4-8 = 40, Jan 11-15 = 45.
        ("2026-10-22", 45, CountStart.DAY_AFTER_TRIGGER, "2027-01-15"),
        # Fri 12/18 + 1: the break is skipped, Mon 1/4 is the next school day.
        ("2026-12-18", 1, CountStart.DAY_AFTER_TRIGGER, "2027-01-04"),
        # From inside the break, the trigger day itself is no school day: Mon 1/4 again.
        ("2026-12-23", 1, CountStart.TRIGGER_DAY, "2027-01-04"),
        # Across summer: Wed 6/9 + 2 = Thu 6/10, then Wed 8/18.
        ("2027-06-09", 2, CountStart.DAY_AFTER_TRIGGER, "2027-08-18"),
        # From the summer before: Mon 8/3/2026 + 1 = the first day.
        ("2026-08-03", 1, CountStart.DAY_AFTER_TRIGGER, "2026-08-19"),
        # Far beyond the precomputed index (400 days past 8/18/2027) the walk takes over:
        # Mon 2028-10-02 + 5 = Mon 2028-10-09.
        ("2028-10-02", 5, CountStart.DAY_AFTER_TRIGGER, "2028-10-09"),
        ("2026-10-22", 0, CountStart.DAY_AFTER_TRIGGER, "2026-10-22"),
    ],
)
def test_add_school_days(start: str, n: int, count_start: CountStart, expected: str) -> None:
    assert add_school_days(CAL, D(start), n, count_start=count_start) == D(expected)


def test_add_school_days_without_next_year_stops_at_the_calendar_end() -> None:
    short = SchoolCalendar(D("2026-08-19"), D("2027-06-10"))
    with pytest.raises(CalendarTooShort, match="next_first_day"):
        add_school_days(short, D("2027-06-01"), 20)


@pytest.mark.parametrize(
    ("start", "n", "count_start", "expected"),
    [
        ("2026-10-22", 60, CountStart.DAY_AFTER_TRIGGER, "2026-12-21"),  # 9 + 30 + 21
        ("2026-10-22", 60, CountStart.TRIGGER_DAY, "2026-12-20"),  # one day sooner
        ("2026-10-22", 0, CountStart.DAY_AFTER_TRIGGER, "2026-10-22"),
    ],
)
def test_add_calendar_days(start: str, n: int, count_start: CountStart, expected: str) -> None:
    assert add_calendar_days(D(start), n, count_start=count_start) == D(expected)


def test_negative_counts_are_refused() -> None:
    with pytest.raises(InvalidInput, match="negative"):
        add_calendar_days(D("2026-10-22"), -1)


@pytest.mark.parametrize(
    ("exclusions", "start", "expected"),
    [
        # California: only breaks of more than 5 school days. Day 59 is Sun 12/20; 12/21-1/1 (the
        # 10-school-day winter break) are skipped; Sat 1/2 is day 60.
        (Exclusions(summer=True, breaks_longer_than=5), "2026-10-22", "2027-01-02"),
        # Florida: every holiday and break. Skipped: 11/11, 11/23-27 (5), 12/21-1/1 (12).
        # Oct 23-31 = 9, Nov = 30 - 6 = 24 (33), Dec 1-20 = 20 (53), Jan 2-8 = 7 (60).
        (Exclusions(summer=True, breaks_longer_than=0), "2026-10-22", "2027-01-08"),
        # Pennsylvania: only summer. May 12 - Jun 10 = 30 days, summer 6/11-8/17 skipped, then
        # Aug 18 is day 31 and day 60 is Aug 18 + 29 = Thu 9/16.
        (Exclusions(summer=True), "2027-05-11", "2027-09-16"),
    ],
)
def test_calendar_days_with_exclusions(exclusions: Exclusions, start: str, expected: str) -> None:
    got = add_calendar_days_excluding(D(start), 60, excluded_by(CAL, exclusions))
    assert got == D(expected)


def test_excluded_periods_name_what_was_skipped() -> None:
    periods = excluded_periods(
        CAL, Exclusions(summer=True, breaks_longer_than=5), D("2026-10-23"), D("2027-01-02")
    )
    assert [p.describe() for p in periods] == [
        "winter break (2026-12-21 to 2027-01-01, 10 school days)"
    ]


def test_summer_exclusion_without_next_year_is_an_error_not_a_hang() -> None:
    short = SchoolCalendar(D("2026-08-19"), D("2027-06-10"))
    with pytest.raises(CalendarTooShort):
        add_calendar_days_excluding(
            D("2027-06-01"), 60, excluded_by(short, Exclusions(summer=True))
        )


@pytest.mark.parametrize(
    ("year", "expected"),
    [
        # 2026: July 4 is a Saturday, observed Friday 7/3.
        (
            2026,
            "01-01 01-19 02-16 05-25 06-19 07-03 09-07 10-12 11-11 11-26 12-25",
        ),
        # 2027: Juneteenth (Sat) on Fri 6/18, July 4 (Sun) on Mon 7/5, Christmas (Sat) on Fri
        # 12/24, and New Year's Day 2028 (Sat) on Fri 12/31/2027.
        (
            2027,
            "01-01 01-18 02-15 05-31 06-18 07-05 09-06 10-11 11-11 11-25 12-24 12-31",
        ),
        # 2020: before Juneteenth became a federal holiday.
        (2020, "01-01 01-20 02-17 05-25 07-03 09-07 10-12 11-11 11-26 12-25"),
    ],
)
def test_federal_holidays(year: int, expected: str) -> None:
    assert sorted(d.strftime("%m-%d") for d in federal_holidays(year)) == expected.split()


@pytest.mark.parametrize(
    ("start", "n", "holidays", "expected"),
    [
        ("2026-10-22", 5, (), "2026-10-29"),  # Fri 23, Mon-Thu 26-29
        ("2026-11-09", 5, (), "2026-11-17"),  # 10, (11 Veterans Day), 12, 13, 16, 17
        ("2026-11-24", 5, (), "2026-12-02"),  # 25, (26 Thanksgiving), 27, 30, 1, 2
        ("2026-11-24", 5, ("2026-11-27",), "2026-12-03"),  # a state holiday on 11/27 too
    ],
)
def test_add_business_days(start: str, n: int, holidays: tuple[str, ...], expected: str) -> None:
    extra = frozenset(D(day) for day in holidays)
    assert add_business_days(D(start), n, holidays=extra) == D(expected)


def test_is_business_day() -> None:
    assert is_business_day(D("2026-11-12"))
    assert not is_business_day(D("2026-11-11"))  # Veterans Day
    assert not is_business_day(D("2026-11-14"))  # Saturday
    assert not is_business_day(D("2026-11-27"), frozenset({D("2026-11-27")}))


@pytest.mark.parametrize(
    ("end", "n", "unit", "expected"),
    [
        ("2026-10-22", 5, Unit.CALENDAR, "2026-10-17"),
        # Thu 10/22 back 5 school days: 21, 20, 19, 16, 15.
        ("2026-10-22", 5, Unit.SCHOOL, "2026-10-15"),
        # Mon 11/30 back over Thanksgiving break: 20, 19, 18, 17, 16.
        ("2026-11-30", 5, Unit.SCHOOL, "2026-11-16"),
        # Fri 11/13 back 3 business days: 12, (11 Veterans Day), 10, 9.
        ("2026-11-13", 3, Unit.BUSINESS, "2026-11-09"),
    ],
)
def test_subtract_days(end: str, n: int, unit: Unit, expected: str) -> None:
    assert subtract_days(D(end), n, unit, calendar=CAL) == D(expected)


def test_subtract_school_days_before_the_calendar_is_an_error() -> None:
    with pytest.raises(CalendarTooShort, match="first_day"):
        subtract_days(D("2026-08-21"), 5, Unit.SCHOOL, calendar=CAL)


@pytest.mark.parametrize(
    ("after", "through", "expected"),
    [
        ("2027-04-08", "2027-06-10", 44),  # Apr 9 .. Jun 10 (Memorial Day off)
        ("2027-04-07", "2027-06-10", 45),
        ("2027-03-11", "2027-06-10", 59),
        ("2027-06-10", "2027-06-10", 0),
        ("2027-06-01", "2028-12-01", None),  # beyond the index: same answer as a walk
    ],
)
def test_school_days_between(after: str, through: str, expected: int | None) -> None:
    got = school_days_between(CAL, D(after), D(through))
    walk = sum(
        1
        for i in range(1, (D(through) - D(after)).days + 1)
        if CAL.is_school_day(D(after) + timedelta(days=i))
    )
    assert got == walk
    if expected is not None:
        assert got == expected


# --- calendar files -------------------------------------------------------------------------


def _write(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "calendar.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


GOOD = {"first_day": "2026-08-19", "last_day": "2027-06-10", "next_first_day": "2027-08-18"}


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"last_day": "2027-06-10"}, "missing key 'first_day'"),
        ({**GOOD, "first_day": "19/08/2026"}, "first_day: '19/08/2026' is not a date"),
        ({**GOOD, "last_day": "2027-02-30"}, "last_day: '2027-02-30' is not a real date"),
        ({**GOOD, "non_school_days": "2026-09-07"}, "non_school_days: expected a list"),
        ({**GOOD, "non_school_days": ["2026-09-07", 7]}, r"non_school_days\[1\]"),
        ({**GOOD, "holiday": []}, "unknown key 'holiday'"),
        ({**GOOD, "last_day": "2026-08-01"}, "last_day 2026-08-01 is before first_day"),
        ({**GOOD, "next_first_day": "2027-06-01"}, "next_first_day 2027-06-01 is not after"),
        ({**GOOD, "breaks": [{"name": "x"}]}, r"breaks\[0\]"),
        ([1, 2], "expected a JSON object"),
    ],
)
def test_malformed_calendar_names_the_key(tmp_path: Path, data: object, message: str) -> None:
    path = _write(tmp_path, data)
    with pytest.raises(CalendarError, match=message) as caught:
        load_calendar(path)
    assert str(path) in str(caught.value)


def test_calendar_that_is_not_json(tmp_path: Path) -> None:
    path = tmp_path / "calendar.json"
    path.write_text("{not json", encoding="utf-8")
    with pytest.raises(CalendarError, match="not valid JSON"):
        load_calendar(path)


def test_missing_calendar_file(tmp_path: Path) -> None:
    with pytest.raises(CalendarError, match="cannot read"):
        load_calendar(tmp_path / "absent.json")


def test_calendar_from_mapping_accepts_the_minimal_form() -> None:
    calendar = calendar_from_mapping({"first_day": "2026-08-19", "last_day": "2027-06-10"})
    assert calendar.next_first_day is None
    assert calendar.is_school_day(D("2026-08-19"))


# --- properties -----------------------------------------------------------------------------


@st.composite
def calendars(draw: st.DrawFn) -> SchoolCalendar:
    first = draw(st.dates(date(2020, 7, 1), date(2030, 9, 30)))
    last = first + timedelta(days=draw(st.integers(150, 300)))
    following = last + timedelta(days=draw(st.integers(20, 100)))
    offsets = draw(st.sets(st.integers(0, (following - first).days + 200), max_size=60))
    closed = frozenset(first + timedelta(days=offset) for offset in offsets)
    return SchoolCalendar(first, last, following, non_school_days=closed)


@settings(max_examples=200, deadline=None)
@given(calendars(), st.integers(-60, 700), st.integers(1, 120), st.sampled_from(list(CountStart)))
def test_school_day_count_always_lands_on_a_school_day(
    calendar: SchoolCalendar, offset: int, n: int, count_start: CountStart
) -> None:
    start = calendar.first_day + timedelta(days=offset)
    due = add_school_days(calendar, start, n, count_start=count_start)
    assert calendar.is_school_day(due)
    # And exactly n school days are counted up to it.
    before = start - timedelta(days=1) if count_start is CountStart.TRIGGER_DAY else start
    assert school_days_between(calendar, before, due) == n


@settings(max_examples=200, deadline=None)
@given(calendars(), st.integers(-60, 700), st.integers(0, 60), st.integers(1, 90))
def test_a_later_start_never_gives_an_earlier_school_day(
    calendar: SchoolCalendar, offset: int, later: int, n: int
) -> None:
    start = calendar.first_day + timedelta(days=offset)
    assert add_school_days(calendar, start + timedelta(days=later), n) >= add_school_days(
        calendar, start, n
    )


@settings(max_examples=100, deadline=None)
@given(calendars(), st.integers(0, 200), st.integers(1, 30))
def test_school_lead_time_lands_on_a_school_day_before_the_event(
    calendar: SchoolCalendar, offset: int, n: int
) -> None:
    event = calendar.first_day + timedelta(days=offset + 60)
    try:
        send_by = subtract_days(event, n, Unit.SCHOOL, calendar=calendar)
    except CalendarTooShort:
        return
    assert send_by < event
    assert calendar.is_school_day(send_by)
    assert (
        school_days_between(calendar, send_by - timedelta(days=1), event - timedelta(days=1)) == n
    )
