"""What the federal-count pages show: the counts as tables whose every number links to the students
behind it, the students who could not be counted, and the EDFacts-like CSV.

The views fetch the district through tandem.access.districts and answer; everything else is here.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import Any
from urllib.parse import urlencode

from django.http import QueryDict, StreamingHttpResponse
from django.urls import reverse
from django.utils.translation import gettext as _

from tandem import audit
from tandem.access.districts import DistrictReach
from tandem.accounts.models import User
from tandem.audit.catalogue import Action
from tandem.people.models import District, Student
from tandem.reports import child_count as cc
from tandem.reports import federal_labels as words

CHILD_COUNT, EXITING = "child_count", "exiting"
PAGE_SIZE = 100
# The breakdowns each file's page shows, as rows against its columns (environment, or basis).
BREAKDOWNS = ("disability", "age", "race", "sex", "english_learner")


@dataclass(frozen=True, slots=True)
class Cell:
    count: int
    url: str = ""


@dataclass
class TableRow:
    code: str
    label: str
    cells: list[Cell]
    total: Cell


@dataclass
class Table:
    caption: str
    row_name: str
    columns: list[tuple[str, str]]
    rows: list[TableRow] = field(default_factory=list)
    totals: list[Cell] = field(default_factory=list)
    grand: Cell = Cell(0)


@dataclass(frozen=True, slots=True)
class Report:
    """Which report, for which period: a count date, or a school year by its first year."""

    kind: str
    day: date | None = None
    year: int | None = None

    @property
    def period(self) -> str:
        if self.day is not None:
            return self.day.isoformat()
        return f"{self.year}-{(self.year or 0) + 1}"

    def query(self) -> dict[str, str]:
        if self.day is not None:
            return {"report": self.kind, "day": self.day.isoformat()}
        return {"report": self.kind, "year": str(self.year)}

    def files(self) -> tuple[str, ...]:
        return (cc.FS002, cc.FS089) if self.kind == CHILD_COUNT else (cc.FS009,)

    def column(self) -> str:
        return "environment" if self.kind == CHILD_COUNT else "basis"

    def run(self, reach: DistrictReach) -> cc.Result:
        if self.kind == CHILD_COUNT:
            assert self.day is not None
            return cc.child_count(reach.district, reach.students, self.day)
        assert self.year is not None
        return cc.exiting(reach.district, reach.students, self.year)


def students_url(district: District, report: Report, **wanted: str) -> str:
    base = reverse("federal_students", args=[district.public_id])
    return f"{base}?{urlencode({**report.query(), **wanted})}"


def _codes(dimension: str, file: str, present: set[str]) -> list[tuple[str, str]]:
    if dimension == "age":
        order = words.ages(file)
        return [(a, a) for a in order + sorted(present - set(order), key=int)]
    known = words.words_for(dimension, file)
    return [(c, str(label)) for c, label in known.items()] + [
        (c, c) for c in sorted(present - set(known))
    ]


def table(result: cc.Result, district: District, report: Report, file: str, dim: str) -> Table:
    """Counts of one file by `dim` (rows) and the report's column; empty rows are left out."""
    col = report.column()
    tally = result.tally(file, dim, col)
    columns = _codes(col, file, {c for _r, c in tally})
    row_codes = _codes(dim, file, {r for r, _c in tally})

    def link(**wanted: str) -> str:
        return students_url(district, report, file=file, **wanted)

    out = Table(
        caption=_("%(file)s by %(what)s")
        % {"file": file, "what": str(words.DIMENSION_NAMES[dim]).lower()},
        row_name=str(words.DIMENSION_NAMES[dim]),
        columns=columns,
    )
    for code, label in row_codes:
        cells = [tally[(code, c)] for c, _l in columns]
        if not any(cells):
            continue
        out.rows.append(
            TableRow(
                code,
                label,
                [
                    Cell(n, link(**{dim: code, col: c}) if n else "")
                    for n, (c, _l) in zip(cells, columns, strict=True)
                ],
                Cell(sum(cells), link(**{dim: code})),
            )
        )
    totals = [sum(tally[(r, c)] for r, _l in row_codes) for c, _l in columns]
    out.totals = [
        Cell(n, link(**{col: c}) if n else "") for n, (c, _l) in zip(totals, columns, strict=True)
    ]
    grand = sum(totals)
    out.grand = Cell(grand, link() if grand else "")
    return out


def report_context(reach: DistrictReach, report: Report, result: cc.Result) -> dict[str, Any]:
    """The page's files, each with its tables, and the students not counted by reason."""
    district = reach.district
    files = []
    for file in report.files():
        tables = [table(result, district, report, file, dim) for dim in BREAKDOWNS]
        files.append({"code": file, "title": words.FILES[file], "tables": tables,
                      "total": tables[0].grand})  # fmt: skip
    reasons: dict[str, int] = {}
    for item in result.uncounted:
        for reason in item.reasons:
            reasons[reason] = reasons.get(reason, 0) + 1
    uncounted = [
        {"reason": words.REASONS[r], "count": n, "url": students_url(district, report, reason=r)}
        for r, n in reasons.items()
    ]
    return {
        "district": district,
        "reach": reach,
        "report": report,
        "files": files,
        "uncounted": uncounted,
        "uncounted_total": len(result.uncounted),
        "uncounted_url": students_url(district, report, reason="any"),
    }


def record_view(user: User, district: District, report: Report, result: cc.Result) -> None:
    detail = {
        **report.query(),
        "counted": len(result.counted),
        "not_counted": len(result.uncounted),
    }
    audit.record(actor=user, action=Action.FEDERAL_REPORT__VIEWED, district=district, detail=detail)


# --- the drill-down --------------------------------------------------------------------------


def chosen_filters(data: QueryDict) -> dict[str, str]:
    return {d: str(data[d]) for d in cc.DIMENSIONS if data.get(d)}


def _page(data: QueryDict, total: int) -> int:
    try:
        asked = int(data.get("page", "1"))
    except ValueError:
        asked = 1
    last = max(1, -(-total // PAGE_SIZE))
    return min(max(asked, 1), last)


def students_context(
    user: User, reach: DistrictReach, report: Report, result: cc.Result, data: QueryDict
) -> dict[str, Any]:
    """The students behind one count (or not counted, with why), a page at a time; each listed
    student is written to the audit log (FERPA 99.32: who saw whose record)."""
    wanted, reason = chosen_filters(data), str(data.get("reason", ""))
    file = str(data.get("file", ""))
    if reason:
        items = [u for u in result.uncounted if reason == "any" or reason in u.reasons]
        lines = [(u.student_id, [str(words.REASONS[r]) for r in u.reasons]) for u in items]
    else:
        picked = result.matching(file, wanted) if file else []
        lines = [(c.student_id, []) for c in picked]
    students = result.students
    lines.sort(key=lambda line: (students[line[0]].last_name, students[line[0]].first_name, line[0]))  # fmt: skip
    page = _page(data, len(lines))
    shown = lines[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
    # Only the page's students are read as records (the counts read plain values).
    records = Student.objects.select_related("school").in_bulk([s for s, _w in shown])
    detail = {**report.query(), **wanted, "file": file, "reason": reason}
    for student_id, _why in shown:
        audit.record(actor=user, action=Action.FEDERAL_REPORT__STUDENT_VIEWED,
                     student=records[student_id], target=records[student_id], detail=detail)  # fmt: skip
    described = [
        f"{words.DIMENSION_NAMES[d]}: {words.words_for(d, file).get(v, v) if d != 'age' else v}"
        for d, v in wanted.items()
    ]
    more = {
        **report.query(),
        **wanted,
        **({"file": file} if file else {}),
        **({"reason": reason} if reason else {}),
    }
    return {
        "district": reach.district,
        "report": report,
        "file": words.FILES.get(file, ""),
        "described": described,
        "reason": words.REASONS.get(reason, "") if reason != "any" else _("Any reason"),
        "rows": [{"student": records[s], "why": why} for s, why in shown],
        "total": len(lines),
        "page": page,
        "pages": max(1, -(-len(lines) // PAGE_SIZE)),
        "query": urlencode(more),
        "back": reverse(
            "federal_child_count" if report.kind == CHILD_COUNT else "federal_exiting",
            args=[reach.district.public_id],
        )
        + "?"
        + urlencode({k: v for k, v in report.query().items() if k != "report"}),
    }


# --- the CSV ---------------------------------------------------------------------------------

# EDFacts-like category sets: each a combination of dimensions counted together.
CATEGORY_SETS: Mapping[str, tuple[str, ...]] = {
    "CSA": ("disability", "age"),
    "CSB": ("race",),
    "CSC": ("sex",),
    "CSD": ("english_learner",),
    "ST1": ("age",),
    "ST2": ("disability",),
    "ST3": (),
}
CSV_COLUMNS = ("file", "reporting_period", "state_district_id", "category_set", "disability",
               "age", "race_ethnicity", "sex", "english_learner", "environment", "basis_of_exit",
               "count")  # fmt: skip
_CSV_NAMES = {"race": "race_ethnicity", "basis": "basis_of_exit"}


class _Echo:
    def write(self, value: str) -> str:
        return value


def csv_lines(district: District, report: Report, result: cc.Result) -> Iterator[str]:
    """One line per combination of a category set's values (and the column) with its count."""
    writer = csv.writer(_Echo())
    yield writer.writerow(CSV_COLUMNS)
    col = report.column()
    for file in report.files():
        for name, dims in CATEGORY_SETS.items():
            for combo, n in sorted(result.tally(file, *dims, col).items()):
                row = dict.fromkeys(CSV_COLUMNS, "")
                row.update(file=file, reporting_period=report.period, category_set=name,
                           state_district_id=district.nces_id or district.slug, count=str(n))  # fmt: skip
                for dim, value in zip((*dims, col), combo, strict=True):
                    row[_CSV_NAMES.get(dim, dim)] = value
                yield writer.writerow([row[c] for c in CSV_COLUMNS])
        total = len(result.for_file(file))
        row = dict.fromkeys(CSV_COLUMNS, "")
        row.update(file=file, reporting_period=report.period, category_set="TOT",
                   state_district_id=district.nces_id or district.slug, count=str(total))  # fmt: skip
        yield writer.writerow([row[c] for c in CSV_COLUMNS])


def csv_response(user: User, reach: DistrictReach, report: Report) -> StreamingHttpResponse:
    """The download, recorded in the audit log first (counts only: no student is named)."""
    result = report.run(reach)
    lines = list(csv_lines(reach.district, report, result))
    audit.record(actor=user, action=Action.FEDERAL_REPORT__EXPORTED, district=reach.district,
                 detail={**report.query(), "lines": len(lines) - 1})  # fmt: skip
    name = f"idea-618-{report.kind.replace('_', '-')}-{reach.district.slug}-{report.period}.csv"
    response = StreamingHttpResponse(iter(lines), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


def read_csv(text: str) -> list[dict[str, str]]:
    """The CSV back as dictionaries (tests and the benchmark compare it with the tables)."""
    return list(csv.DictReader(io.StringIO(text)))
