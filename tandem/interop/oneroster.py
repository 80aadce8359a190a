"""Reading OneRoster 1.1 and 1.2 CSV files as real districts send them: streamed, row by row.

No Django here: the reader turns a folder or a zip into rows (dicts keyed by the
standard column names) and problems (file, row number, column, value, reason). What the rows mean
for Tandem is `tandem.interop.roster`'s business.

Quirks it reads: a UTF-8 byte order mark, headers in any case and with known misspellings
(`prefferedGivenName`, `dataLastModified`), extra and trailing empty columns, dates as ISO
(2023-05-01, 2023-05-01T18:25:43.511Z) or M/D/YYYY, quoted multi-valued fields ("09,10").
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO

# The columns each file may carry (1.1 and 1.2 together); others are read but ignored.
COLUMNS: dict[str, tuple[str, ...]] = {
    "manifest": ("propertyName", "value"),
    "orgs": (
        "sourcedId", "status", "dateLastModified", "name", "type", "identifier", "parentSourcedId",
    ),
    "academicSessions": (
        "sourcedId", "status", "dateLastModified", "title", "type", "startDate", "endDate",
        "parentSourcedId", "schoolYear",
    ),
    "courses": ("sourcedId", "status", "dateLastModified", "title", "courseCode", "orgSourcedId"),
    "classes": (
        "sourcedId", "status", "dateLastModified", "title", "grades", "courseSourcedId",
        "classCode", "classType", "location", "schoolSourcedId", "termSourcedIds", "subjects",
        "subjectCodes", "periods",
    ),
    "users": (
        "sourcedId", "status", "dateLastModified", "enabledUser", "orgSourcedIds", "role",
        "username", "userIds", "givenName", "familyName", "middleName", "identifier", "email",
        "sms", "phone", "agentSourcedIds", "grades", "password", "userMasterIdentifier",
        "preferredGivenName", "preferredMiddleName", "preferredFamilyName",
        "primaryOrgSourcedId", "pronouns",
    ),
    "roles": (
        "sourcedId", "status", "dateLastModified", "userSourcedId", "roleType", "role",
        "beginDate", "endDate", "orgSourcedId", "userProfileSourcedId",
    ),
    "enrollments": (
        "sourcedId", "status", "dateLastModified", "classSourcedId", "schoolSourcedId",
        "userSourcedId", "role", "primary", "beginDate", "endDate",
    ),
    "demographics": (
        "sourcedId", "status", "dateLastModified", "birthDate", "sex",
        "americanIndianOrAlaskaNative", "asian", "blackOrAfricanAmerican",
        "nativeHawaiianOrOtherPacificIslander", "white", "demographicRaceTwoOrMoreRaces",
        "hispanicOrLatinoEthnicity", "countryOfBirthCode", "stateOfBirthAbbreviation",
        "cityOfBirth", "publicSchoolResidenceStatus",
    ),
}  # fmt: skip

# Misspellings seen in real files, by their lower-cased form.
ALIASES: dict[str, str] = {
    "prefferedgivenname": "preferredGivenName",
    "prefferedmiddlename": "preferredMiddleName",
    "prefferedfamilyname": "preferredFamilyName",
    "datalastmodified": "dateLastModified",
    "datelastmodifed": "dateLastModified",
    "sourceid": "sourcedId",
    "sourced_id": "sourcedId",
    "firstname": "givenName",
    "lastname": "familyName",
    "birthdate": "birthDate",
    "dateofbirth": "birthDate",
}

FILES = tuple(name for name in COLUMNS if name != "manifest")


@dataclass(frozen=True)
class Problem:
    """A row (or one value of it) that could not be read as it stands."""

    file: str
    row: int  # the line's number in the file, the header being row 1
    column: str
    value: str
    reason: str
    fatal_to_row: bool = True  # False: the value was ignored and the row read on

    @property
    def severity(self) -> str:
        return "refused" if self.fatal_to_row else "noted"

    def as_list(self) -> list[str]:
        return [self.severity, self.file, str(self.row), self.column, self.value, self.reason]


class RosterFileError(Exception):
    """The files cannot be read at all: not a zip or folder, no users.csv, a header missing."""


class RowError(Exception):
    def __init__(self, column: str, value: str, reason: str) -> None:
        super().__init__(reason)
        self.column, self.value, self.reason = column, value, reason


def _canonical_names(file: str) -> dict[str, str]:
    names = {c.lower(): c for c in COLUMNS[file]}
    names.update({k: v for k, v in ALIASES.items() if v in COLUMNS[file]})
    return names


def read_rows(file: str, stream: IO[str]) -> Iterator[tuple[int, dict[str, str]]]:
    """(row number, {standard column: stripped text}) for each non-empty row, streamed."""
    reader = csv.reader(stream)
    try:
        header = next(reader)
    except StopIteration:
        return
    names = _canonical_names(file)
    columns = [names.get(h.strip().lstrip("\ufeff").strip().lower(), "") for h in header]
    if "sourcedId" in COLUMNS[file] and "sourcedId" not in columns:
        raise RosterFileError(f"{file}.csv has no sourcedId column (its header: {header!r})")
    for number, cells in enumerate(reader, start=2):
        if not any(c.strip() for c in cells):
            continue
        row = {col: cell.strip() for col, cell in zip(columns, cells, strict=False) if col}
        yield number, row


class Source:
    """A folder or a zip of OneRoster CSV files; opens each file as text, BOM or not."""

    def __init__(self, path: str | Path | IO[bytes]) -> None:
        self._zip: zipfile.ZipFile | None = None
        self._folder: Path | None = None
        self._names: dict[str, str] = {}
        if isinstance(path, (str, Path)) and Path(path).is_dir():
            self._folder = Path(path)
            entries = [p.name for p in self._folder.iterdir() if p.is_file()]
        else:
            if isinstance(path, (str, Path)) and not Path(path).exists():
                raise RosterFileError(f"{path} is neither a folder nor a zip file that exists")
            try:
                self._zip = zipfile.ZipFile(path)
            except (zipfile.BadZipFile, OSError) as error:
                raise RosterFileError(f"not a zip file of OneRoster CSVs ({error})") from error
            entries = [n for n in self._zip.namelist() if not n.endswith("/")]
        for entry in entries:
            base = entry.rsplit("/", 1)[-1]
            if base.lower().endswith(".csv") and not base.startswith("."):
                stem = base[:-4].lower()
                for file in COLUMNS:
                    if file.lower() == stem:
                        self._names[file] = entry
        if "users" not in self._names:
            raise RosterFileError("users.csv is missing: this is not a OneRoster roster")

    def has(self, file: str) -> bool:
        return file in self._names

    def open(self, file: str) -> IO[str]:
        entry = self._names[file]
        if self._folder is not None:
            return open(self._folder / entry, encoding="utf-8-sig", newline="")
        assert self._zip is not None
        return io.TextIOWrapper(self._zip.open(entry), encoding="utf-8-sig", newline="")

    def rows(self, file: str) -> Iterator[tuple[int, dict[str, str]]]:
        if not self.has(file):
            return
        with self.open(file) as stream:
            try:
                yield from read_rows(file, stream)
            except UnicodeDecodeError as error:
                raise RosterFileError(f"{file}.csv is not UTF-8 text ({error})") from error
            except csv.Error as error:
                raise RosterFileError(f"{file}.csv cannot be read as CSV ({error})") from error

    def manifest(self) -> dict[str, str]:
        out: dict[str, str] = {}
        for _number, row in self.rows("manifest"):
            out[row.get("propertyName", "")] = row.get("value", "")
        return out

    def close(self) -> None:
        if self._zip is not None:
            self._zip.close()


_MDY = re.compile(r"^(\d{1,2})/(\d{1,2})/(\d{4})$")
_ISO = re.compile(r"^(\d{4})-(\d{2})-(\d{2})(?:[T ].*)?$")


def parse_date(value: str, column: str) -> date | None:
    """ISO (with or without a time) or M/D/YYYY; empty is None; anything else a RowError."""
    if not value:
        return None
    try:
        if m := _ISO.match(value):
            return date(int(m[1]), int(m[2]), int(m[3]))
        if m := _MDY.match(value):
            return date(int(m[3]), int(m[1]), int(m[2]))
    except ValueError:
        pass
    reason = "not a date: expected YYYY-MM-DD (or an ISO timestamp) or M/D/YYYY"
    raise RowError(column, value, reason)


def parse_timestamp(value: str, column: str) -> datetime | date | None:
    if "T" in value:
        try:
            return datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            pass
    return parse_date(value, column)


def multi(value: str) -> list[str]:
    """A multi-valued field ("09,10,11" or "{LDAP:12},{LTI:15}") as its parts."""
    return [part.strip() for part in value.split(",") if part.strip()]


def boolean(value: str, column: str) -> bool:
    v = value.strip().lower()
    if v in ("true", "t", "yes", "y", "1"):
        return True
    if v in ("false", "f", "no", "n", "0", ""):
        return False
    raise RowError(column, value, "expected true or false")


def status_of(row: dict[str, str]) -> str:
    """active, inactive or tobedeleted; blank (as bulk files leave it) reads as active."""
    status = row.get("status", "").strip().lower()
    if status in ("", "active"):
        return "active"
    if status in ("tobedeleted", "inactive"):
        return status
    raise RowError("status", row.get("status", ""), "expected active, tobedeleted or blank")


PROBLEM_HEADER = ["severity", "file", "row", "column", "value", "reason"]


def write_problems(stream: IO[str], problems: list[list[str]]) -> None:
    """The problems as CSV, for a spreadsheet (cells that look like formulas are quoted)."""
    writer = csv.writer(stream)
    writer.writerow(PROBLEM_HEADER)
    for row in problems:
        writer.writerow(["'" + c if c[:1] in ("=", "+", "-", "@") else c for c in row])
