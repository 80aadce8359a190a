"""The roster's first passes: orgs.csv (the district and its schools; departments stand for
their school) and academicSessions.csv (terms, read for the classes' dates; grading periods, or
else terms and semesters, as the district calendar's marking periods).

Schools are matched by ExternalId, else by their code (`identifier`), so existing ones are
adopted, not copied; a school is never ended by the import.
"""

from __future__ import annotations

from datetime import date

from tandem.interop.models import Kind
from tandem.interop.oneroster import RowError, parse_date, status_of
from tandem.interop.roster_run import NEW, Run, school_year, status_of_or_none
from tandem.people.models import MarkingPeriod, School, SchoolCalendar


def orgs(run: Run) -> None:
    """orgs.csv: adopt or add the schools; departments stand for their school."""
    run.schools = {}
    run.district_orgs = set()
    by_code = dict(School.objects.filter(district=run.district).values_list("code", "pk"))
    rows = list(run.rows("orgs"))  # a district has hundreds of orgs at most
    types = {r.get("sourcedId", ""): r.get("type", "").lower() for _n, r in rows}
    parents = {r.get("sourcedId", ""): r.get("parentSourcedId", "") for _n, r in rows}
    creates: list[tuple[str, School]] = []
    for number, row in rows:
        sid, kind = row.get("sourcedId", ""), types.get(row.get("sourcedId", ""), "")
        parent = row.get("parentSourcedId", "")
        if parent and parent not in types:
            run.problem("orgs", number, "parentSourcedId", parent,
                        "the parent org is not in orgs.csv", fatal=False)  # fmt: skip
        if kind == "district":
            run.district_orgs.add(sid)
            continue
        if kind not in ("school", "department"):
            continue  # local, state, national: above the district
        if kind == "department" and types.get(parents.get(sid, "")) == "school":
            continue  # resolved to its school below
        if kind == "department":
            run.problem("orgs", number, "type", row.get("type", ""),
                        "a department with no school above it in the file: read as a school",
                        fatal=False)  # fmt: skip
        run.seen[Kind.SCHOOL].add(sid)
        code = (row.get("identifier") or sid)[:20]
        pk = run.ext[Kind.SCHOOL].get(sid) or by_code.get(code)
        name = (row.get("name") or code)[:200]
        if pk is None:
            if status_of_or_none(row) == "tobedeleted":
                continue
            school = School(district=run.district, name=name, code=code,
                            lowest_grade="", highest_grade="")  # fmt: skip
            creates.append((sid, school))
            by_code[code] = NEW
            run.schools[sid] = NEW
            run.count(Kind.SCHOOL, "added")
            continue
        if sid not in run.ext[Kind.SCHOOL]:
            run.link(Kind.SCHOOL, sid, School(pk=pk))
        run.schools[sid] = pk
        run.count(Kind.SCHOOL, "unchanged")
    if run.apply and creates:
        School.objects.bulk_create([s for _sid, s in creates])
        for sid, school in creates:
            run.schools[sid] = school.pk
            run.link(Kind.SCHOOL, sid, school)
        run.flush_links()
    elif run.apply:
        run.flush_links()
    for sid, kind in types.items():  # departments of a school stand for their school
        parent = parents.get(sid, "")
        if kind == "department" and types.get(parent) == "school" and parent in run.schools:
            run.schools[sid] = run.schools[parent]
    for sid, pk in run.ext[Kind.SCHOOL].items():
        run.schools.setdefault(sid, pk)


def sessions(run: Run) -> None:
    """academicSessions.csv: the terms' dates for classes; marking periods in the calendar."""
    run.terms = {}
    rows: list[tuple[int, dict[str, str], date | None, date | None]] = []
    for number, row in run.rows("academicSessions"):
        try:
            start = parse_date(row.get("startDate", ""), "startDate")
            end = parse_date(row.get("endDate", ""), "endDate")
        except RowError as e:
            run.problem("academicSessions", number, e.column, e.value, e.reason,
                        kind=Kind.MARKING_PERIOD)  # fmt: skip
            continue
        year = row.get("schoolYear", "")
        label = f"{int(year) - 1}-{year}" if year.isdigit() else (
            school_year(start) if start else "")  # fmt: skip
        run.terms[row.get("sourcedId", "")] = (start, end, label)
        rows.append((number, row, start, end))
    types = {r.get("type", "").lower() for _n, r, _s, _e in rows
             if status_of_or_none(r) == "active"}  # fmt: skip
    wanted = {"gradingperiod"} if "gradingperiod" in types else {"term", "semester"}
    calendars = list(SchoolCalendar.objects.filter(district=run.district, school__isnull=True))
    existing = {p.pk: p for p in MarkingPeriod.objects.filter(calendar__district=run.district)}
    creates: list[tuple[str, MarkingPeriod]] = []
    updates: list[MarkingPeriod] = []
    for number, row, start, end in rows:
        if row.get("type", "").lower() not in wanted:
            continue
        sid = row.get("sourcedId", "")
        try:
            status = status_of(row)
        except RowError as e:
            run.problem("academicSessions", number, e.column, e.value, e.reason,
                        kind=Kind.MARKING_PERIOD)  # fmt: skip
            continue
        if status == "tobedeleted":
            continue  # marking periods carry reports: an ended period stays as it was
        if start is None or end is None or end < start:
            run.problem("academicSessions", number, "endDate", row.get("endDate", ""),
                        "a marking period needs a start and an end after it",
                        kind=Kind.MARKING_PERIOD)  # fmt: skip
            continue
        calendar = next((c for c in calendars if c.first_day <= start <= c.last_day), None)
        if calendar is None:
            run.problem("academicSessions", number, "startDate", row.get("startDate", ""),
                        "no school calendar in Tandem holds this date: set up the year's "
                        "calendar first", kind=Kind.MARKING_PERIOD)  # fmt: skip
            continue
        title = (row.get("title") or sid)[:50]
        pk = run.ext[Kind.MARKING_PERIOD].get(sid)
        if pk is None or pk not in existing:
            period = MarkingPeriod(calendar=calendar, name=title, start=start, end=end,
                                   report_card_date=end)  # fmt: skip
            creates.append((sid, period))
            run.count(Kind.MARKING_PERIOD, "added")
            continue
        period = existing[pk]
        if (period.name, period.start, period.end) != (title, start, end):
            period.name, period.start, period.end = title, start, end
            updates.append(period)
            run.count(Kind.MARKING_PERIOD, "changed")
        else:
            run.count(Kind.MARKING_PERIOD, "unchanged")
    if run.apply:
        MarkingPeriod.objects.bulk_create([p for _s, p in creates])
        MarkingPeriod.objects.bulk_update(updates, ["name", "start", "end"])
        for sid, period in creates:
            run.link(Kind.MARKING_PERIOD, sid, period)
        run.flush_links()
