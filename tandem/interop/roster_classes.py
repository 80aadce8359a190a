"""The classes file and its rosters: classes.csv as class sections (one teacher each, the
primary or first teacher in enrollments.csv; dates from their terms), then enrollments.csv's
students as class enrolments.

Both are matched by ExternalId; an enrolment entered by hand (same student, class and start) is
adopted. A class or enrolment marked `tobedeleted`, or missing from a bulk file, is ended (an end
date); so are the enrolments of an ended student or class. Nothing is deleted.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from tandem.interop.models import Kind
from tandem.interop.oneroster import RowError, multi, parse_date, status_of
from tandem.interop.roster_run import BATCH, NEW, Run, school_year, status_of_or_none
from tandem.people.models import ClassEnrollment, ClassSection

SECTION_FIELDS = ("school_id", "teacher_id", "name", "subject", "period", "school_year",
                  "start_date", "end_date")  # fmt: skip


def _teachers_by_class(run: Run) -> dict[str, str]:
    teachers: dict[str, tuple[bool, str]] = {}
    for number, row in run.rows("enrollments"):
        if row.get("role", "").lower() != "teacher" or status_of_or_none(row) == "tobedeleted":
            continue
        cls, primary = row.get("classSourcedId", ""), row.get("primary", "").lower() == "true"
        user = row.get("userSourcedId", "")
        if cls in teachers and teachers[cls][1] != user:
            run.problem("enrollments", number, "userSourcedId", user, "a second teacher of "
                        "the class: a class section has one teacher in Tandem; the primary "
                        "(or the first) is kept", fatal=False)  # fmt: skip
        if cls not in teachers or (primary and not teachers[cls][0]):
            teachers[cls] = (primary, user)
    return {cls: user for cls, (_p, user) in teachers.items()}


def classes(run: Run) -> None:
    """classes.csv as class sections; those the SIS dropped are ended."""
    teachers = _teachers_by_class(run)
    run.sections = {}
    ids = list(run.ext[Kind.SECTION].values())
    current = {
        r[0]: r[1:]
        for r in ClassSection.objects.filter(pk__in=ids).values_list("pk", *SECTION_FIELDS)
    }
    creates: list[tuple[str, ClassSection]] = []
    updates: list[ClassSection] = []
    for number, row in run.rows("classes"):
        sid = row.get("sourcedId", "")
        if sid in run.seen[Kind.SECTION]:
            run.problem("classes", number, "sourcedId", sid, "the same sourcedId again in "
                        "classes.csv: only its first row is read", kind=Kind.SECTION)  # fmt: skip
            continue
        run.seen[Kind.SECTION].add(sid)
        pk = run.ext[Kind.SECTION].get(sid)
        try:
            status = status_of(row)
        except RowError as e:
            run.problem("classes", number, e.column, e.value, e.reason, kind=Kind.SECTION)
            continue
        if pk is not None and pk in current:
            run.sections[sid] = (pk, current[pk][6])
        if status == "tobedeleted":
            run.deleted_classes.add(sid)
            if pk is not None and pk in current:
                _end_section(run, pk, current, updates)
                run.ended_sections.add(pk)
            continue
        school = run.school_of(row.get("schoolSourcedId", ""))
        if school is None:
            run.problem("classes", number, "schoolSourcedId", row.get("schoolSourcedId", ""),
                        "no school with this sourcedId in orgs.csv or in Tandem",
                        kind=Kind.SECTION)  # fmt: skip
            continue
        teacher_sid = teachers.get(sid, "")
        teacher = run.staff.get(teacher_sid)
        if teacher is None:
            reason = ("no teacher enrolled in this class" if not teacher_sid else
                      f"its teacher {teacher_sid} is not staff in users.csv or in Tandem")  # fmt: skip
            run.problem("classes", number, "sourcedId", sid, reason, kind=Kind.SECTION)
            continue
        terms = [t for t in multi(row.get("termSourcedIds", "")) if t]
        known = [run.terms[t] for t in terms if t in run.terms]
        for t in terms:
            if t not in run.terms:
                run.problem("classes", number, "termSourcedIds", t,
                            "the term is not in academicSessions.csv", fatal=False)  # fmt: skip
        starts = [s for s, _e, _y in known if s]
        ends = [e for _s, e, _y in known if e]
        start = min(starts) if starts else run.today
        end = max(ends) if ends else None
        year = next((y for _s, _e, y in known if y), school_year(start))
        wanted = (school, teacher, (row.get("title") or sid)[:100],
                  next(iter(multi(row.get("subjects", ""))), "")[:100],
                  row.get("periods", "")[:20], year[:9], start, end)  # fmt: skip
        if pk is None or pk not in current:
            run.count(Kind.SECTION, "added")
            run.sections[sid] = (NEW, start)
            if run.apply:
                creates.append((sid, ClassSection(**dict(zip(SECTION_FIELDS, wanted,
                                                             strict=True)))))  # fmt: skip
            continue
        if tuple(current[pk]) != wanted:
            run.count(Kind.SECTION, "changed")
            updates.append(ClassSection(pk=pk, **dict(zip(SECTION_FIELDS, wanted,
                                                          strict=True))))  # fmt: skip
        else:
            run.count(Kind.SECTION, "unchanged")
    if "classes" in run.bulk:
        for sid, pk in run.ext[Kind.SECTION].items():
            if sid not in run.seen[Kind.SECTION] and pk in current:
                _end_section(run, pk, current, updates)
                run.ended_sections.add(pk)
    if run.apply:
        ClassSection.objects.bulk_create([s for _sid, s in creates], batch_size=BATCH)
        fields = [f.removesuffix("_id") for f in SECTION_FIELDS]
        ClassSection.objects.bulk_update(updates, fields, batch_size=BATCH)
        for sid, section in creates:
            run.link(Kind.SECTION, sid, section)
            run.sections[sid] = (section.pk, section.start_date)
        run.flush_links()


def _end_section(run: Run, pk: int, current: dict[int, tuple[Any, ...]],
                updates: list[ClassSection]) -> None:  # fmt: skip
    values = dict(zip(SECTION_FIELDS, current[pk], strict=True))
    if values["end_date"] is not None and values["end_date"] <= run.today:
        return
    values["end_date"] = max(run.today, values["start_date"])
    run.count(Kind.SECTION, "ended")
    updates.append(ClassSection(pk=pk, **values))


def enrollments(run: Run) -> None:
    """enrollments.csv's students as class enrolments; those the SIS dropped are ended."""
    ids = list(run.ext[Kind.CLASS_ENROLLMENT].values())
    current: dict[int, tuple[int, int, date, date | None]] = {}
    for i in range(0, len(ids), 20_000):
        for r in ClassEnrollment.objects.filter(pk__in=ids[i : i + 20_000]).values_list(
            "pk", "section_id", "student_id", "start_date", "end_date"
        ):
            current[r[0]] = r[1:]
    triples = {(s, st, d): pk for pk, (s, st, d, _e) in current.items()}
    creates: list[tuple[str, ClassEnrollment]] = []
    updates: list[ClassEnrollment] = []
    for number, row in run.rows("enrollments"):
        sid = row.get("sourcedId", "")
        if row.get("role", "").lower() != "student":
            continue
        if sid in run.seen[Kind.CLASS_ENROLLMENT]:
            run.problem("enrollments", number, "sourcedId", sid, "the same sourcedId again "
                        "in enrollments.csv: only its first row is read",
                        kind=Kind.CLASS_ENROLLMENT)  # fmt: skip
            continue
        run.seen[Kind.CLASS_ENROLLMENT].add(sid)
        pk = run.ext[Kind.CLASS_ENROLLMENT].get(sid)
        try:
            status = status_of(row)
            begin = parse_date(row.get("beginDate", ""), "beginDate")
            end = parse_date(row.get("endDate", ""), "endDate")
        except RowError as e:
            run.problem("enrollments", number, e.column, e.value, e.reason,
                        kind=Kind.CLASS_ENROLLMENT)  # fmt: skip
            continue
        user = row.get("userSourcedId", "")
        student = run.students.get(user)
        ending = (
            status == "tobedeleted"
            or (student is not None and student[0] in run.ended_students)
            or (pk in current and current[pk][0] in run.ended_sections)
        )
        if ending:
            if pk in current:
                _end_enrollment(run, pk, current, updates)
            continue
        section = run.sections.get(row.get("classSourcedId", ""))
        if section is None and row.get("classSourcedId", "") in run.deleted_classes:
            run.problem("enrollments", number, "classSourcedId", row["classSourcedId"],
                        "the class is to be deleted: the enrolment is not added", fatal=False)  # fmt: skip
            continue
        if section is None:
            run.problem("enrollments", number, "classSourcedId", row.get("classSourcedId", ""),
                        "the class is not in classes.csv or in Tandem (or was refused)",
                        kind=Kind.CLASS_ENROLLMENT)  # fmt: skip
            continue
        if student is None:
            if user in run.user_roles:
                roles = ", ".join(sorted(run.user_roles[user]))
                reason = (f"this user is not a student ({roles})" if "student" not in
                          run.user_roles[user] else "the student was refused (see users.csv)")  # fmt: skip
            else:
                reason = "the user is not in users.csv nor a student in Tandem"
            run.problem("enrollments", number, "userSourcedId", user, reason,
                        kind=Kind.CLASS_ENROLLMENT)  # fmt: skip
            continue
        wanted = (section[0], student[0], begin or section[1], end)
        if pk is None or pk not in current:
            key = wanted[:3]
            if NEW not in key and key in triples:
                pk = triples[key]  # enrolled by hand already: adopt it
                current[pk] = ClassEnrollment.objects.filter(pk=pk).values_list(
                    "section_id", "student_id", "start_date", "end_date").get()  # fmt: skip
                if run.apply:
                    run.link(Kind.CLASS_ENROLLMENT, sid, ClassEnrollment(pk=pk))
            elif NEW not in key and key in run.added_triples:
                run.problem("enrollments", number, "sourcedId", sid, "the same student in "
                            "the same class from the same day twice",
                            kind=Kind.CLASS_ENROLLMENT)  # fmt: skip
                continue
            else:
                run.count(Kind.CLASS_ENROLLMENT, "added")
                run.added_triples.add(key)
                if run.apply:
                    creates.append((sid, ClassEnrollment(section_id=wanted[0],
                                                         student_id=wanted[1],
                                                         start_date=wanted[2], end_date=end)))  # fmt: skip
                    if len(creates) >= BATCH * 10:
                        _flush_enrollments(run, creates)
                continue
        if current[pk] != wanted:
            run.count(Kind.CLASS_ENROLLMENT, "changed")
            updates.append(ClassEnrollment(pk=pk, section_id=wanted[0], student_id=wanted[1],
                                           start_date=wanted[2], end_date=end))  # fmt: skip
        else:
            run.count(Kind.CLASS_ENROLLMENT, "unchanged")
    if "enrollments" in run.bulk:
        for sid, pk in run.ext[Kind.CLASS_ENROLLMENT].items():
            if sid not in run.seen[Kind.CLASS_ENROLLMENT] and pk in current:
                _end_enrollment(run, pk, current, updates)
    if run.apply:
        _flush_enrollments(run, creates)
        ClassEnrollment.objects.bulk_update(updates, ["section", "student", "start_date",
                                                      "end_date"], batch_size=BATCH)  # fmt: skip


def _flush_enrollments(run: Run, creates: list[tuple[str, ClassEnrollment]]) -> None:
    ClassEnrollment.objects.bulk_create([c for _s, c in creates], batch_size=BATCH)
    for sid, enrollment in creates:
        run.link(Kind.CLASS_ENROLLMENT, sid, enrollment)
    run.flush_links()
    creates.clear()


def _end_enrollment(run: Run, pk: int, current: dict[int, tuple[Any, ...]],
                   updates: list[ClassEnrollment]) -> None:  # fmt: skip
    section, student, start, end = current[pk]
    if end is not None and end <= run.today:
        return
    run.count(Kind.CLASS_ENROLLMENT, "ended")
    current[pk] = (section, student, start, max(run.today, start))
    updates.append(ClassEnrollment(pk=pk, section_id=section, student_id=student,
                                   start_date=start, end_date=current[pk][3]))  # fmt: skip
