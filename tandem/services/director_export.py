"""The director's mandates as CSV and XLSX: one row per mandate, the same figures as the page.

`record()` is the one list of fields: the downloads and the API (`tandem.api.services`) read it,
so a figure cannot differ between them. A download is recorded in the audit log, once per
district whose records left the building.
"""

from __future__ import annotations

import csv
import io
import warnings
from collections.abc import Sequence
from typing import Any

from django.http import HttpResponse
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table, TableStyleInfo

from tandem import audit
from tandem.accounts.models import User
from tandem.audit.catalogue import Action
from tandem.people.models import District
from tandem.services.director import Filters, MandateRow

_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


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


def _cell(value: object) -> object:
    # A spreadsheet runs a cell that starts like a formula; quote it (CSV injection).
    if value is None:
        return ""
    if isinstance(value, int):
        return value
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


def _table(rows: Sequence[MandateRow]) -> tuple[list[str], list[list[object]]]:
    columns = _columns()
    keys = [key for key, _label in columns]
    body = [[_cell(fields[key]) for key in keys] for fields in map(record, rows)]
    return [label for _key, label in columns], body


def _attachment(response: HttpResponse, name: str) -> HttpResponse:
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def csv_response(rows: Sequence[MandateRow], name: str) -> HttpResponse:
    header, body = _table(rows)
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    writer = csv.writer(response)
    writer.writerow(header)
    writer.writerows(body)
    return _attachment(response, name)


def xlsx_response(rows: Sequence[MandateRow], name: str) -> HttpResponse:
    header, body = _table(rows)
    # Write-only: rows go straight to the file (a district's tens of thousands of mandates
    # took half a minute through the in-memory sheet).
    book = Workbook(write_only=True)
    sheet = book.create_sheet(_("Mandates")[:31])
    sheet.freeze_panes = "A2"
    if body:
        last = f"{get_column_letter(len(header))}{len(body) + 1}"
        table = Table(displayName="Mandates", ref=f"A1:{last}")
        table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
        # A write-only sheet cannot read the headings back: the table is told them.
        table._initialise_columns()
        for column, heading in zip(table.tableColumns, header, strict=True):
            column.name = heading
        with warnings.catch_warnings():  # openpyxl warns in write-only mode even when told
            warnings.filterwarnings("ignore", "In write-only mode", UserWarning)
            sheet.add_table(table)
    sheet.append(header)
    for line in body:
        sheet.append(line)
    out = io.BytesIO()
    book.save(out)
    return _attachment(HttpResponse(out.getvalue(), content_type=XLSX), name)


def record_export(user: User, rows: Sequence[MandateRow], *, fmt: str, filters: Filters) -> None:
    """One audit event per district whose mandates were given out."""
    districts = sorted({row.line.district_id for row in rows})
    detail = {"rows": len(rows), "format": fmt, "filters": filters.as_params()}
    for district_id in districts or [None]:
        audit.record(
            actor=user,
            action=Action.SERVICE_MINUTES__EXPORTED,
            district=District(pk=district_id) if district_id else None,
            detail=detail,
        )
