"""The two demo districts, Riverside Unified (CA) and Oak Valley School District (TX): their
schools, the grades each serves, their 2026-2027 calendars (closures and marking periods), and
the make-up of their families and staff. Fixed data; `seed_demo` plans and writes from it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

SCHOOL_YEAR = "2026-2027"
GRADE_CODES = ("K", "1", "2", "3", "4", "5", "6", "7", "8", "9", "10", "11", "12")


RIVERSIDE = 0  # district indexes in Plan.districts
OAK_VALLEY = 1
RIVERSIDE_ELEMENTARY = 0  # school indexes in Plan.schools
SYCAMORE_ELEMENTARY = 1


@dataclass(frozen=True)
class SchoolSpec:
    name: str
    code: str
    low: int  # 0 = kindergarten
    high: int
    street: str
    phone: str
    share: float = 1.0  # share of the grade's students when two schools serve the same grades


@dataclass(frozen=True)
class DistrictSpec:
    name: str
    slug: str
    state: str
    time_zone: str
    domain: str
    city: str
    area_code: str
    first_day: date
    last_day: date
    next_first_day: date
    first_day_week: int  # school starts on the nth Wednesday of August
    closures: tuple[tuple[str, str, date, date], ...]
    marking_periods: tuple[tuple[str, date, date, date], ...]
    schools: tuple[SchoolSpec, ...]
    spanish_share: float  # families speaking Spanish at home
    hispanic_share: float  # of the other families, Hispanic or Latino
    races: tuple[tuple[str, float], ...]  # of non-Hispanic families
    staff_spanish_share: float

    def first_day_in(self, year: int) -> date:
        """The first day of the school year starting in `year` (past years are estimated)."""
        if year == self.first_day.year:
            return self.first_day
        first = date(year, 8, 1)
        wednesday = first + timedelta(days=(2 - first.weekday()) % 7)
        return wednesday + timedelta(weeks=self.first_day_week - 1)


def _d(text: str) -> date:
    return date.fromisoformat(text)


RIVERSIDE_SPEC = DistrictSpec(
    name="Riverside Unified",
    slug="riverside",
    state="CA",
    time_zone="America/Los_Angeles",
    domain="riverside.example",
    city="Riverside, CA 92507",
    area_code="951",
    first_day=_d("2026-08-19"),
    last_day=_d("2027-06-10"),
    next_first_day=_d("2027-08-18"),
    first_day_week=3,
    closures=(
        ("holiday", "Labor Day", _d("2026-09-07"), _d("2026-09-07")),
        ("non_instructional", "Staff development day", _d("2026-10-12"), _d("2026-10-12")),
        ("holiday", "Veterans Day", _d("2026-11-11"), _d("2026-11-11")),
        ("break", "Thanksgiving break", _d("2026-11-23"), _d("2026-11-27")),
        ("break", "Winter break", _d("2026-12-21"), _d("2027-01-01")),
        ("holiday", "Martin Luther King Jr. Day", _d("2027-01-18"), _d("2027-01-18")),
        ("holiday", "Presidents' Day", _d("2027-02-15"), _d("2027-02-15")),
        ("break", "Spring break", _d("2027-03-29"), _d("2027-04-02")),
        ("holiday", "Memorial Day", _d("2027-05-31"), _d("2027-05-31")),
    ),
    marking_periods=(
        ("Quarter 1", _d("2026-08-19"), _d("2026-10-16"), _d("2026-10-23")),
        ("Quarter 2", _d("2026-10-19"), _d("2027-01-15"), _d("2027-01-22")),
        ("Quarter 3", _d("2027-01-19"), _d("2027-03-26"), _d("2027-04-09")),
        ("Quarter 4", _d("2027-04-05"), _d("2027-06-10"), _d("2027-06-10")),
    ),
    schools=(
        SchoolSpec(
            "Riverside Elementary School", "RES", 0, 5, "1450 Orchard Lane", "(951) 555-0110", 0.55
        ),
        SchoolSpec(
            "Sycamore Elementary School", "SES", 0, 5, "820 Sycamore Avenue", "(951) 555-0120", 0.45
        ),
        SchoolSpec("Riverside Middle School", "RMS", 6, 8, "300 Canyon Drive", "(951) 555-0130"),
        SchoolSpec(
            "Riverside High School", "RHS", 9, 12, "5000 Mission Boulevard", "(951) 555-0140"
        ),
    ),
    spanish_share=0.30,
    hispanic_share=0.30,
    races=(
        ("white", 0.46),
        ("asian", 0.27),
        ("black", 0.15),
        ("two", 0.08),
        ("pacific", 0.02),
        ("american_indian", 0.02),
    ),
    staff_spanish_share=0.25,
)

OAK_VALLEY_SPEC = DistrictSpec(
    name="Oak Valley School District",
    slug="oak-valley",
    state="TX",
    time_zone="America/Chicago",
    domain="oakvalley.example",
    city="Oak Valley, TX 76574",
    area_code="254",
    first_day=_d("2026-08-12"),
    last_day=_d("2027-05-28"),
    next_first_day=_d("2027-08-11"),
    first_day_week=2,
    closures=(
        ("holiday", "Labor Day", _d("2026-09-07"), _d("2026-09-07")),
        ("non_instructional", "Staff development day", _d("2026-10-12"), _d("2026-10-12")),
        ("holiday", "Veterans Day", _d("2026-11-11"), _d("2026-11-11")),
        ("break", "Thanksgiving break", _d("2026-11-23"), _d("2026-11-27")),
        ("break", "Winter break", _d("2026-12-21"), _d("2027-01-01")),
        ("non_instructional", "Staff development day", _d("2027-01-04"), _d("2027-01-04")),
        ("holiday", "Martin Luther King Jr. Day", _d("2027-01-18"), _d("2027-01-18")),
        ("holiday", "Presidents' Day", _d("2027-02-15"), _d("2027-02-15")),
        ("break", "Spring break", _d("2027-03-15"), _d("2027-03-19")),
        ("holiday", "Good Friday", _d("2027-03-26"), _d("2027-03-26")),
    ),
    marking_periods=(
        ("Quarter 1", _d("2026-08-12"), _d("2026-10-09"), _d("2026-10-16")),
        ("Quarter 2", _d("2026-10-13"), _d("2026-12-18"), _d("2027-01-08")),
        ("Quarter 3", _d("2027-01-05"), _d("2027-03-12"), _d("2027-03-26")),
        ("Quarter 4", _d("2027-03-22"), _d("2027-05-28"), _d("2027-06-04")),
    ),
    schools=(
        SchoolSpec(
            "Oak Valley Elementary School", "OVE", 0, 5, "210 Live Oak Street", "(254) 555-0150"
        ),
        SchoolSpec(
            "Oak Valley Junior-Senior High School", "OVH", 6, 12, "1 Bobcat Way", "(254) 555-0160"
        ),
    ),
    spanish_share=0.40,
    hispanic_share=0.20,
    races=(
        ("white", 0.60),
        ("black", 0.25),
        ("asian", 0.08),
        ("two", 0.05),
        ("american_indian", 0.01),
        ("pacific", 0.01),
    ),
    staff_spanish_share=0.35,
)

DISTRICT_SPECS = (RIVERSIDE_SPEC, OAK_VALLEY_SPEC)
DEMO_SLUGS = tuple(spec.slug for spec in DISTRICT_SPECS)
