"""The list of the types and locations of education records a district keeps, which parents
may ask for (34 CFR 300.616): read from the district's retention schedule and the places its
administrator lists, never written by hand twice."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from tandem.people.models import District
from tandem.records.retention import (
    SCHEDULED,
    RecordType,
    other_locations,
    schedule_for,
)


@dataclass(frozen=True)
class Kind:
    label: str
    where: str
    kept: str


def kinds(district: District) -> list[Kind]:
    """Each type Tandem keeps, where, and for how long after the student leaves."""
    schedule = schedule_for(district.settings)
    where = _(
        "In Tandem, the district's special education system; uploaded files in its "
        "private file storage"
    )
    out = [
        Kind(
            label=str(RecordType(kind).label),
            where=where,
            kept=_("%(n)s years after the student leaves") % {"n": schedule.years[kind]},
        )
        for kind in SCHEDULED
    ]
    out.append(
        Kind(
            label=str(RecordType.RECORDS_LOG.label),
            where=where,
            kept=_("As long as the records it covers"),
        )
    )
    return out


def elsewhere(district: District) -> list[tuple[str, str]]:
    """The other places the district listed, as (what, where) when a line reads "what: where"."""
    pairs = []
    for line in other_locations(district.settings):
        what, sep, place = line.partition(":")
        pairs.append((what.strip(), place.strip()) if sep else (line, ""))
    return pairs
