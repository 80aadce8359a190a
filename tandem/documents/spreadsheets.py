"""A list as a CSV or XLSX download: one writer for every list page that gives its rows out.

Cells are made safe once here (a spreadsheet runs a cell that starts like a formula: CSV
injection), and an XLSX is written in write-only mode, so tens of thousands of rows go straight
to the file. The caller records the download in the audit log with the students it named.
"""

from __future__ import annotations

import csv
import io
import warnings
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.http import HttpResponse
from openpyxl import Workbook
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.table import Table as XlsxTable
from openpyxl.worksheet.table import TableStyleInfo

FORMATS = ("csv", "xlsx")
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def cell(value: object) -> object:
    """A value a spreadsheet shows as written: numbers as numbers, text never run as a formula."""
    if value is None:
        return ""
    if isinstance(value, int | float) and not isinstance(value, bool):
        return value
    text = str(value)
    return "'" + text if text.startswith(_FORMULA_STARTS) else text


@dataclass(frozen=True)
class Sheet:
    title: str  # the sheet's name (31 characters at most in XLSX) and the table's
    header: Sequence[str]
    rows: Iterable[Sequence[object]]


def response(sheet: Sheet, fmt: str, filename: str) -> HttpResponse:
    """The sheet as a download in `fmt` ("csv" or "xlsx"), named `filename` plus the extension."""
    made = _xlsx(sheet) if fmt == "xlsx" else _csv(sheet)
    made["Content-Disposition"] = f'attachment; filename="{filename}.{fmt}"'
    return made


def _csv(sheet: Sheet) -> HttpResponse:
    out = HttpResponse(content_type="text/csv; charset=utf-8")
    writer = csv.writer(out)
    writer.writerow([str(h) for h in sheet.header])
    writer.writerows([cell(value) for value in row] for row in sheet.rows)
    return out


def _xlsx(sheet: Sheet) -> HttpResponse:
    header = [str(h) for h in sheet.header]
    body = [[cell(value) for value in row] for row in sheet.rows]
    book = Workbook(write_only=True)
    page = book.create_sheet(str(sheet.title)[:31])
    page.freeze_panes = "A2"
    if body:
        last = f"{get_column_letter(len(header))}{len(body) + 1}"
        name = "".join(ch for ch in str(sheet.title).title() if ch.isalnum()) or "List"
        table = XlsxTable(displayName=name[:200], ref=f"A1:{last}")
        table.tableStyleInfo = TableStyleInfo(name="TableStyleLight9", showRowStripes=True)
        # A write-only sheet cannot read the headings back: the table is told them.
        table._initialise_columns()
        for column, heading in zip(table.tableColumns, header, strict=True):
            column.name = heading
        with warnings.catch_warnings():  # openpyxl warns in write-only mode even when told
            warnings.filterwarnings("ignore", "In write-only mode", UserWarning)
            page.add_table(table)
    page.append(header)
    for line in body:
        page.append(line)
    out = io.BytesIO()
    book.save(out)
    return HttpResponse(out.getvalue(), content_type=XLSX)
