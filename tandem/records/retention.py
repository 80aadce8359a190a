"""How long a district keeps each type of special-education and 504 record after the student
leaves, and when each type falls due for review (IDEA 34 CFR 300.624; COMPLIANCE.md REC-11).

The law sets no number: 300.624(a) asks the district to tell the parents when the records "are
no longer needed to provide educational services to the child", and the state's records
schedule says how long they are kept first (`records_retention_years`, COMPLIANCE.md §2). The
defaults below are policy, marked as such, for a district to replace with its state's schedule:

- five years after the student exits, the figure many state schedules use for special
  education records;
- six years for service session logs, the records Medicaid billing rests on (state Medicaid
  programs commonly ask for 5 to 6 years; 42 CFR 431.17 and the state plan);
- never under three years: records that back federal grant reports are kept at least three
  years after the final expenditure report (2 CFR 200.334), and IDEA Part B is such a grant.

The record of requests and disclosures has no period of its own: it is kept as long as the
records it covers (FERPA 34 CFR 99.32(a)(2); COMPLIANCE.md REC-05), so it falls due with the
last of them. The settings live in `District.settings["records"]`; `actions_retention` is their
one writer.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from django.db import models
from django.utils.translation import gettext_lazy as _

from tandem.rules.deadline_common import add_years

SETTINGS_KEY = "records"


class RecordType(models.TextChoices):
    REFERRALS = "referrals", _("Referrals, evaluations, eligibility, consents and signatures")
    PLANS = "plans", _("IEPs and 504 Plans, with their versions and requests to revise them")
    PROGRESS = "progress", _("Progress data and progress reports")
    SERVICE_LOGS = "service_logs", _("Service session logs (Medicaid billing records)")
    MEETINGS = "meetings", _("Meeting records and notices")
    COMMUNICATION = "communication", _("Communication logs and messages")
    RECORDS_LOG = (
        "records_log",
        _("Requests to see or amend records, and the record of disclosures"),
    )


# The types with a period of their own (the record of disclosures follows the others).
SCHEDULED = [t for t in RecordType if t != RecordType.RECORDS_LOG]


@dataclass(frozen=True, slots=True)
class Default:
    years: int
    citation: Any  # words, translated where shown


_POLICY = _("Policy default: many state records schedules keep these 5 years after exit.")
DEFAULTS: dict[str, Default] = {
    RecordType.REFERRALS: Default(5, _POLICY),
    RecordType.PLANS: Default(5, _POLICY),
    RecordType.PROGRESS: Default(5, _POLICY),
    RecordType.SERVICE_LOGS: Default(
        6,
        _(
            "Policy default: state Medicaid rules commonly keep billing records 5 to 6 years "
            "(42 CFR 431.17 and the state plan)."
        ),
    ),
    RecordType.MEETINGS: Default(5, _POLICY),
    RecordType.COMMUNICATION: Default(5, _POLICY),
}
RECORDS_LOG_CITATION = _(
    "Kept as long as the records it covers (34 CFR 99.32(a)(2)): due with the last of them."
)

# Bounds a district may choose: at least 3 years (2 CFR 200.334); at most 75, which no state
# schedule exceeds short of "permanent" (and a permanent record is what 300.624(b) keeps anyway).
MIN_YEARS, MAX_YEARS = 3, 75
# The parent's time to ask for a copy before the records are destroyed. Policy: the law sets no
# number; 45 days is the longest the district may take to show records (300.613(a), 99.10(b)),
# so the parent has as long to ask as the district would take to answer.
DEFAULT_WAIT_DAYS = 45
MIN_WAIT_DAYS, MAX_WAIT_DAYS = 30, 180


@dataclass(frozen=True, slots=True)
class Schedule:
    years: dict[str, int]
    wait_days: int


def schedule_for(district_settings: dict[str, Any] | None) -> Schedule:
    """The district's periods, defaults filled in (a stored value out of bounds is ignored)."""
    chosen = (district_settings or {}).get(SETTINGS_KEY) or {}
    stored = chosen.get("retention_years") or {}
    years = {}
    for kind in SCHEDULED:
        value = stored.get(kind)
        ok = isinstance(value, int) and MIN_YEARS <= value <= MAX_YEARS
        years[str(kind)] = value if ok else DEFAULTS[kind].years
    wait = chosen.get("notice_wait_days")
    if not (isinstance(wait, int) and MIN_WAIT_DAYS <= wait <= MAX_WAIT_DAYS):
        wait = DEFAULT_WAIT_DAYS
    return Schedule(years=years, wait_days=wait)


# Where else the district keeps education records (300.616): lines of "what: where", written
# by the district administrator, shown on the list of types and locations of records.
MAX_LOCATIONS, MAX_LOCATION_CHARS = 30, 300


def other_locations(district_settings: dict[str, Any] | None) -> list[str]:
    chosen = (district_settings or {}).get(SETTINGS_KEY) or {}
    lines = chosen.get("other_locations") or []
    return [str(line) for line in lines if isinstance(line, str)][:MAX_LOCATIONS]


def due_dates(exited_on: date, schedule: Schedule) -> dict[str, date]:
    """When each type falls due for review: the exit plus its period; the record of
    disclosures with the last of the others (99.32(a)(2))."""
    due = {kind: add_years(exited_on, years) for kind, years in schedule.years.items()}
    due[str(RecordType.RECORDS_LOG)] = max(due.values())
    return due


def label(kind: str) -> str:
    return str(RecordType(kind).label)
