"""Ed-Fi schools and students for a district: EducationOrganization's schools, the school year
from EducationOrgCalendar, StudentSchoolAssociation (StudentEnrollment) where the export has it,
and Student.

Matching: schools by `ExternalId(edfi, school, SchoolId)`, else by the school code = SchoolId;
students by `Student.sis_id` = StudentUniqueId (unique in a district), so a second run, or a
student the roster import already brought, is found and never duplicated. A student Tandem has
is adopted as it stands (the SIS keeps names current; a legacy export does not overwrite them).

Tandem needs a school, a grade and an enrolment date for a new student. StudentSchoolAssociation
gives them; an export without it (the Grand Bend sample has none) gets the grade by age on the
first day of the records' school year (5 on that day: kindergarten) and the school whose grades
hold it, and the run says so once.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from simple_history.utils import bulk_create_with_history

from tandem.interop import edfi_codes as codes
from tandem.interop.edfi_run import NEW, EdfiRun
from tandem.interop.edfi_xml import children, code_value, parse_date, text
from tandem.interop.models import ExternalId, Kind
from tandem.interop.oneroster import RowError
from tandem.people.models import Enrollment, School, Student

EDORG = "InterchangeEducationOrganization"
SOURCE = "edfi"
BATCH = 1000


def schools(run: EdfiRun) -> None:
    known = dict(ExternalId.objects.filter(district=run.district, source=SOURCE, kind=Kind.SCHOOL)
                 .values_list("sis_id", "object_id"))  # fmt: skip
    by_code = dict(School.objects.filter(district=run.district).values_list("code", "pk"))
    for file, number, el in run.source.elements(EDORG):
        name = el.tag.rsplit("}", 1)[-1]
        for id_path in ("SchoolId", "LocalEducationAgencyId", "EducationServiceCenterId",
                        "StateEducationAgencyId", "EducationOrganizationId"):  # fmt: skip
            if value := text(el, id_path):
                run.education_orgs.add(value)
        if name != "School":
            continue
        school_id = text(el, "SchoolId")
        grades = sorted({g for g in (codes.lookup(codes.GRADE, code_value(c.text or ""))
                                     for c in children(el, "GradeLevel")) if g},
                        key=codes.GRADE_ORDER.index)  # fmt: skip
        if not school_id:
            run.problem(file, number, "School/SchoolId", "", "a school needs its SchoolId",
                        kind=Kind.SCHOOL)  # fmt: skip
            continue
        run.school_grades[school_id] = grades
        pk = known.get(school_id) or by_code.get(school_id[:20])
        if pk is not None:
            run.schools[school_id] = pk
            run.count(Kind.SCHOOL, "unchanged")
            if school_id not in known and run.apply:
                _link(run, Kind.SCHOOL, school_id, pk)
            continue
        school = School(district=run.district, code=school_id[:20],
                        name=(text(el, "NameOfInstitution") or school_id)[:200],
                        lowest_grade=grades[0] if grades else "K",
                        highest_grade=grades[-1] if grades else "12")  # fmt: skip
        if run.apply:
            school.save()
            _link(run, Kind.SCHOOL, school_id, school.pk)
        run.schools[school_id] = run.pk_of(school)
        run.count(Kind.SCHOOL, "added")


def _link(run: EdfiRun, kind: str, sis_id: str, pk: int) -> None:
    ExternalId.objects.create(district=run.district, source=SOURCE, kind=kind, sis_id=sis_id,
                              object_id=pk)  # fmt: skip


def school_year(run: EdfiRun) -> None:
    """The first day of the records' school year: the earliest Session of the calendar, else
    the first of August of today's school year."""
    starts = []
    for _file, _n, el in run.source.elements("InterchangeEducationOrgCalendar"):
        if el.tag.endswith("}Session"):
            try:
                if begin := parse_date(text(el, "BeginDate"), "Session/BeginDate"):
                    starts.append(begin)
            except RowError:
                continue
    first = run.today.year if run.today.month >= 8 else run.today.year - 1
    run.year_start = min(starts) if starts else date(first, 8, 1)


def enrolments(run: EdfiRun) -> None:
    """StudentSchoolAssociation: the latest entry of each student not withdrawn since."""
    for file, number, el in run.source.elements("InterchangeStudentEnrollment"):
        if not el.tag.endswith("}StudentSchoolAssociation"):
            continue
        uid = text(el, "StudentReference/StudentIdentity/StudentUniqueId")
        school = text(el, "SchoolReference/SchoolIdentity/SchoolId")
        try:
            entry = parse_date(text(el, "EntryDate"), "EntryDate")
            left = parse_date(text(el, "ExitWithdrawDate"), "ExitWithdrawDate")
        except RowError as error:
            run.problem(file, number, error.column, error.value, error.reason, fatal=False)
            continue
        grade = codes.lookup(codes.GRADE, code_value(text(el, "EntryGradeLevel"))) or ""
        if uid and school and left is None:
            previous = run.enrolments.get(uid)
            if previous is None or (entry or date.min) >= (previous[2] or date.min):
                run.enrolments[uid] = (school, grade, entry)


def students(run: EdfiRun) -> None:
    existing = dict(Student.objects.filter(district=run.district).values_list("sis_id", "pk"))
    run.students.update(existing)
    new: list[Student] = []
    estimated = 0
    for file, number, el in run.source.elements("InterchangeStudent"):
        if not el.tag.endswith("}Student"):
            continue
        uid = text(el, "StudentUniqueId")
        if not uid:
            run.problem(file, number, "Student/StudentUniqueId", "", "a student needs a "
                        "StudentUniqueId", kind=Kind.STUDENT)  # fmt: skip
            continue
        if uid in existing:
            run.count(Kind.STUDENT, "unchanged")
            continue
        if uid in run.students:
            run.problem(file, number, "Student/StudentUniqueId", uid, "this StudentUniqueId "
                        "was read earlier in the file: the second is left out", kind=Kind.STUDENT)  # fmt: skip
            continue
        student, guessed = _new_student(run, file, number, el, uid)
        if student is None:
            run.refused_students.add(uid)
            continue
        estimated += guessed
        new.append(student)
        run.students[uid] = NEW
        run.count(Kind.STUDENT, "added")
    if estimated:
        run.problem("Student.xml", 0, "StudentSchoolAssociation", str(estimated),
                    f"no school enrolment in the export for {estimated} new students: each is "
                    "placed by age on the first day of the school year "
                    f"({run.year_start}) in the school that has that grade; check and correct "
                    "them in Tandem", fatal=False)  # fmt: skip
    if run.apply and new:
        _write(run, new)


def _new_student(
    run: EdfiRun, file: str, number: int, el: Any, uid: str
) -> tuple[Student | None, int]:
    first, last = text(el, "Name/FirstName"), text(el, "Name/LastSurname")
    if not first or not last:
        run.problem(file, number, "Student/Name/" + ("FirstName" if not first else "LastSurname"),
                    "", "a student needs a first name and a last surname", kind=Kind.STUDENT)  # fmt: skip
        return None, 0
    try:
        born = parse_date(text(el, "BirthData/BirthDate"), "Student/BirthData/BirthDate")
    except RowError as error:
        run.problem(file, number, error.column, error.value, error.reason, kind=Kind.STUDENT)
        return None, 0
    if born is None:
        run.problem(file, number, "Student/BirthData/BirthDate", "", "a new student needs a "
                    "birth date (deadlines by age, child count)", kind=Kind.STUDENT)  # fmt: skip
        return None, 0
    placed = _placement(run, uid, born)
    if isinstance(placed, str):
        run.problem(file, number, "Student/BirthData/BirthDate", str(born), placed,
                    kind=Kind.STUDENT)  # fmt: skip
        return None, 0
    school, grade, entry, guessed = placed
    sex = codes.lookup(codes.SEX, code_value(text(el, "BirthData/BirthSex"))) or ""
    student = Student(
        district=run.district, school_id=school, sis_id=uid[:40],
        legal_first_name=first[:100], legal_middle_name=text(el, "Name/MiddleName")[:100],
        legal_last_name=last[:100],
        preferred_first_name=text(el, "Name/PreferredFirstName")[:100],
        preferred_last_name=text(el, "Name/PreferredLastSurname")[:100],
        date_of_birth=born, grade=grade, enrollment_date=entry, sex=sex,
    )  # fmt: skip
    student.search_text = student.compute_search_text()
    return student, int(guessed)


def _placement(run: EdfiRun, uid: str, born: date) -> tuple[int, str, date, bool] | str:
    """(school pk, grade, entry date, estimated?) or the reason there is none."""
    assert run.year_start is not None
    if uid in run.enrolments:
        school_id, grade, entry = run.enrolments[uid]
        if school_id in run.schools and grade:
            return run.schools[school_id], grade, entry or run.year_start, False
    start = run.year_start
    age = start.year - born.year - ((start.month, start.day) < (born.month, born.day))
    if age < 3:
        return f"younger than 3 on {start}: not a school-age or preschool student"
    if age > 21:
        return f"older than 21 on {start}: past the age of IDEA services"
    grade = "PK" if age < 5 else "PS" if age >= 18 else codes.GRADE_ORDER[age - 4]
    if not run.school_grades:
        return "no school in the export (EducationOrganization) to place the student in"
    rank = codes.GRADE_ORDER.index(grade)

    def distance(school_id: str) -> int:
        ranks = [codes.GRADE_ORDER.index(g) for g in run.school_grades[school_id]] or [1, 13]
        return 0 if min(ranks) <= rank <= max(ranks) else min(abs(r - rank) for r in ranks)

    school_id = min(sorted(run.school_grades), key=distance)
    return run.schools[school_id], grade, start, True


def _write(run: EdfiRun, new: list[Student]) -> None:
    for i in range(0, len(new), BATCH):
        bulk_create_with_history(new[i : i + BATCH], Student, batch_size=BATCH)
    if new[0].pk is None:  # a database that does not return keys
        keys = dict(Student.objects.filter(district=run.district).values_list("sis_id", "pk"))
        for s in new:
            s.pk = keys[s.sis_id]
    Enrollment.objects.bulk_create(
        [Enrollment(student=s, school_id=s.school_id, grade=s.grade, entry_date=s.enrollment_date)
         for s in new], batch_size=BATCH)  # fmt: skip
    for s in new:
        run.students[s.sis_id] = s.pk
        run.result.students_added.append(s.pk)
