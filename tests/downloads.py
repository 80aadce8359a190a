"""Reading a list download back, as a user's spreadsheet would."""

from __future__ import annotations

import csv
import io

import openpyxl


def read_download(response, fmt: str) -> list[list[str]]:  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.status_code
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Content-Disposition"].endswith(f'.{fmt}"')
    if fmt == "csv":
        return list(csv.reader(io.StringIO(response.content.decode())))
    sheet = openpyxl.load_workbook(io.BytesIO(response.content)).active
    return [
        ["" if value is None else str(value) for value in row]
        for row in sheet.iter_rows(values_only=True)
    ]
