"""Reads of the roster pages: a district administrator's imports, and a dry run's tables."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from tandem.interop.models import RosterImport
from tandem.people.models import District

SHOWN_PROBLEMS = 500

KINDS: dict[str, Promise] = {
    "school": _("Schools"),
    "marking_period": _("Marking periods"),
    "staff": _("Staff"),
    "staff_role": _("Staff roles"),
    "student": _("Students"),
    "guardian": _("Parents and guardians"),
    "guardian_link": _("Links between students and guardians"),
    "section": _("Class sections"),
    "class_enrollment": _("Class enrolments"),
    "user": _("Users of no known role"),
    "program": _("Plans (special-education and 504 programs)"),
}


@dataclass(frozen=True)
class CountRow:
    label: str
    added: int
    changed: int
    ended: int
    unchanged: int
    refused: int


def imports_for(
    districts: QuerySet[District], standard: str | None = None
) -> QuerySet[RosterImport]:
    """The imports of the districts a person administers (of one standard, if given), without
    their files."""
    found = RosterImport.objects.filter(district__in=districts)
    if standard is not None:
        found = found.filter(standard=standard)
    return found.select_related("district", "uploaded_by").defer("archive", "problems")


def count_rows(record: RosterImport) -> list[CountRow]:
    return [
        CountRow(str(label), **record.counts[kind]) for kind, label in KINDS.items()
        if kind in record.counts
    ]  # fmt: skip


def shown_problems(record: RosterImport) -> list[list[str]]:
    return list(record.problems[:SHOWN_PROBLEMS])
