"""The director's mandates as CSV and XLSX: one row per mandate, the same figures as the page.

`record()` is the one list of fields: the downloads and the API (`tandem.api.services`) read it,
so a figure cannot differ between them. A download is recorded in the audit log, once per
district whose records left the building.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _

from tandem import audit
from tandem.accounts.models import User
from tandem.audit.catalogue import Action
from tandem.documents import spreadsheets
from tandem.people.models import District
from tandem.services.director import Filters, MandateRow

XLSX = spreadsheets.XLSX


def _columns() -> list[tuple[str, str]]:
    return [
        ("student", _("Student")),
        ("sis_id", _("SIS id")),
        ("school", _("School")),
        ("service", _("Service")),
        ("discipline", _("Discipline")),
        ("provider", _("Provider")),
        ("status", _("Status")),
        ("reason", _("Why")),
        ("mandated_4w", _("Mandated, last 4 weeks")),
        ("delivered_4w", _("Delivered, last 4 weeks")),
        ("made_up_4w", _("Made up, last 4 weeks")),
        ("missed_4w", _("Missed, last 4 weeks")),
        ("owed_4w", _("Owed, last 4 weeks")),
        ("percent_4w", _("Percent served, last 4 weeks")),
        ("mandated_year", _("Mandated, year to date")),
        ("delivered_year", _("Delivered, year to date")),
        ("made_up_year", _("Made up, year to date")),
        ("missed_year", _("Missed, year to date")),
        ("owed_year", _("Owed (compensatory), year to date")),
    ]


def record(row: MandateRow) -> dict[str, Any]:
    """The mandate's fields, by the keys of `_columns()` (numbers stay numbers)."""
    four, year = row.tally.four, row.tally.year
    return {
        "student": row.student_name,
        "sis_id": row.line.sis_id,
        "school": row.school.name,
        "service": row.service_name,
        "discipline": row.discipline_label,
        "provider": row.provider,
        "status": row.status_label,
        "reason": row.reason_label,
        "mandated_4w": four.mandated,
        "delivered_4w": four.delivered,
        "made_up_4w": four.made_up,
        "missed_4w": sum(four.missed.values()),
        "owed_4w": four.owed,
        "percent_4w": four.percent,
        "mandated_year": year.mandated,
        "delivered_year": year.delivered,
        "made_up_year": year.made_up,
        "missed_year": sum(year.missed.values()),
        "owed_year": year.owed,
    }


def _sheet(rows: Sequence[MandateRow]) -> spreadsheets.Sheet:
    columns = _columns()
    keys = [key for key, _label in columns]
    body = ([fields[key] for key in keys] for fields in map(record, rows))
    return spreadsheets.Sheet(_("Mandates"), [label for _key, label in columns], body)


def csv_response(rows: Sequence[MandateRow], name: str) -> HttpResponse:
    return spreadsheets.response(_sheet(rows), "csv", name.removesuffix(".csv"))


def xlsx_response(rows: Sequence[MandateRow], name: str) -> HttpResponse:
    return spreadsheets.response(_sheet(rows), "xlsx", name.removesuffix(".xlsx"))


def record_export(user: User, rows: Sequence[MandateRow], *, fmt: str, filters: Filters) -> None:
    """One audit event per district whose mandates were given out, naming each student."""
    detail = {"rows": len(rows), "format": fmt, "filters": filters.as_params()}
    record_listed(user, rows, action=Action.SERVICE_MINUTES__EXPORTED, detail=detail)


def record_listed(
    user: User, rows: Sequence[MandateRow], *, action: str, detail: dict[str, Any]
) -> None:
    """One audit event per district whose students `rows` name, naming each of them."""
    by_district: dict[int | None, list[int]] = {}
    for row in rows:
        by_district.setdefault(row.line.district_id, []).append(row.line.student_id)
    for district_id, students in sorted(by_district.items()) or [(None, [])]:
        audit.record(
            actor=user,
            action=action,
            district=District(pk=district_id) if district_id else None,
            detail=detail,
            students=students,
        )
