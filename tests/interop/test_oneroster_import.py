"""The OneRoster import on the sample with real-world quirks (../shared): read, dry run, apply."""

from __future__ import annotations

import io
from datetime import date
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from tandem.accounts.models import AuditEvent
from tandem.core import clock
from tandem.interop import actions, roster, roster_classes
from tandem.interop.models import ExternalId
from tandem.interop.oneroster import RowError, Source, multi, parse_date, read_rows
from tandem.interop.roster_run import Result
from tandem.people.models import (
    ClassEnrollment,
    ClassSection,
    Enrollment,
    Guardian,
    School,
    Staff,
    StaffRole,
    Student,
    StudentGuardian,
)

TODAY = date(2026, 12, 6)
MODELS = (School, Student, Enrollment, Staff, StaffRole, Guardian, StudentGuardian,
          ClassSection, ClassEnrollment, ExternalId, AuditEvent)  # fmt: skip


def snapshot() -> dict[str, int]:
    return {m.__name__: m.objects.count() for m in MODELS}


def dry(folder: Path, district) -> Result:  # type: ignore[no-untyped-def]
    return roster.plan(Source(folder), district, today=TODAY, apply=False)


def apply(folder: Path, district) -> Result:  # type: ignore[no-untyped-def]
    with clock.fixed(TODAY):
        return actions.import_roster(source=Source(folder), district=district, actor=None)


def changes(result: Result) -> dict[str, tuple[int, int, int]]:
    return {k: (t.added, t.changed, t.ended) for k, t in result.counts.items()
            if (t.added, t.changed, t.ended) != (0, 0, 0)}  # fmt: skip


def problem(result: Result, file: str, column: str, value: str):  # type: ignore[no-untyped-def]
    found = [p for p in result.problems
             if (p.file, p.column, p.value) == (file, column, value)]  # fmt: skip
    assert found, f"no problem {file}/{column}={value!r} in {result.problems}"
    return found[0]


# -- the reader's quirks -------------------------------------------------------------------


def test_dates_iso_timestamps_and_month_day_year():
    assert parse_date("2022-10-02", "d") == date(2022, 10, 2)
    assert parse_date("2023-05-01T18:25:43.511Z", "d") == date(2023, 5, 1)
    assert parse_date("1/05/2023", "d") == date(2023, 1, 5)
    assert parse_date("", "d") is None
    with pytest.raises(RowError):
        parse_date("15/06/2023", "d")  # day first: no month 15


def test_headers_any_case_misspelt_with_trailing_empty_columns_and_a_bom():
    text = ("\ufeffSOURCEDID,Status,dataLastModified,prefferedGivenName,givenName,,\n"
            'u1,active,2023-05-01,MJ,"Mary, Jane",,\n')  # fmt: skip
    [(number, row)] = list(read_rows("users", io.StringIO(text)))
    assert number == 2
    assert row == {"sourcedId": "u1", "status": "active", "dateLastModified": "2023-05-01",
                   "preferredGivenName": "MJ", "givenName": "Mary, Jane"}  # fmt: skip


def test_quoted_multi_valued_fields():
    assert multi("09,10,11") == ["09", "10", "11"]
    assert multi("{LDAP:12},{LTI:15},{Fed:23}") == ["{LDAP:12}", "{LTI:15}", "{Fed:23}"]


def test_the_sample_as_it_is_refuses_students_without_a_birth_date_and_says_why(quirks, world):
    result = dry(quirks, world.riverside)
    assert result.counts["student"].refused == 3
    p = problem(result, "users", "birthDate", "")
    assert p.row == 3 and "date of birth" in p.reason
    # A day-first date in dateLastModified is noted and ignored, not fatal to the row.
    p = problem(result, "users", "dateLastModified", "15/06/2023")
    assert p.row == 7 and not p.fatal_to_row


def test_dry_run_names_each_quirk_and_writes_nothing(roster_dir, world):
    before = snapshot()
    result = dry(roster_dir, world.riverside)
    assert snapshot() == before
    assert changes(result) == {
        "school": (1, 0, 0), "staff": (3, 0, 0), "guardian": (1, 0, 0), "student": (3, 0, 0),
        "guardian_link": (2, 0, 0), "staff_role": (2, 0, 0), "section": (1, 0, 0),
        "class_enrollment": (1, 0, 0),
    }  # fmt: skip
    # An org whose parent is not in the file: reported, not fatal.
    assert not problem(result, "orgs", "parentSourcedId", "org-sch-222-3456").fatal_to_row
    # An enrolment of a user who is a teacher, not a student: the row is refused and named.
    p = problem(result, "enrollments", "userSourcedId", "usr-222-987654")
    assert (p.row, p.fatal_to_row) == (3, True) and "not a student" in p.reason
    # Enrolments in a class marked tobedeleted are not added.
    assert not problem(result, "enrollments", "classSourcedId", "cls-222-123478").fatal_to_row
    # A leadership role from the file is not granted.
    assert not problem(result, "roles", "role", "siteAdministrator").fatal_to_row
    # An agent who is not a guardian is not linked.
    assert problem(result, "users", "agentSourcedIds", "usr-222-987654")


def test_apply_writes_the_roster_and_applying_it_again_changes_nothing(roster_dir, world):
    result = apply(roster_dir, world.riverside)
    mary = Student.objects.get(district=world.riverside, sis_id="usr-222-66778899")
    assert (mary.legal_first_name, mary.preferred_first_name, mary.grade) == ("Mary", "MJ", "12")
    assert (mary.date_of_birth, mary.sex, mary.race_white) == (date(2008, 4, 2), "F", True)
    assert mary.school.name == "History Department"
    assert mary.guardian_links.get().guardian.last_name == "Doe"
    michel = Student.objects.get(sis_id="usr-222-1234561232")
    assert michel.date_of_birth == date(2008, 3, 14)  # M/D/YYYY
    assert michel.hispanic_latino and michel.federal_race_ethnicity == "HI7"
    section = ClassSection.objects.get(name="Introduction to Physics")
    assert section.teacher.user.email == "john.doe@myschool.com"
    assert (section.start_date, section.school_year) == (date(2022, 9, 1), "2022-2023")
    assert list(section.enrollments.values_list("student__sis_id", flat=True)) == [
        "usr-222-1234561232"
    ]
    assert not ClassSection.objects.filter(name="History - 2").exists()  # tobedeleted
    assert result.counts["student"].added == 3
    imported = AuditEvent.objects.filter(action="roster.imported").get()
    assert imported.detail["counts"]["student"]["added"] == 3
    assert AuditEvent.objects.filter(action="student.imported").count() == 3

    before = snapshot()
    again = apply(roster_dir, world.riverside)
    assert changes(again) == {}
    assert again.counts["student"].unchanged == 3
    after = snapshot()
    assert after.pop("AuditEvent") == before.pop("AuditEvent") + 1  # the import's own event
    assert after == before


def test_the_same_sis_id_never_makes_a_second_student(roster_dir, world):
    apply(roster_dir, world.riverside)
    users = roster_dir / "users.csv"
    users.write_text(users.read_text(encoding="utf-8-sig").replace("Mary,Jones", "Maria,Jones"))
    result = apply(roster_dir, world.riverside)
    assert changes(result) == {"student": (0, 1, 0)}
    assert Student.objects.filter(sis_id="usr-222-66778899").get().legal_first_name == "Maria"


def test_tobedeleted_and_missing_rows_end_enrolments_never_delete(roster_dir, world):
    enrollments = roster_dir / "enrollments.csv"
    open_ended = enrollments.read_text().replace("2022-03-15,2022-06-15", "2022-03-15,")
    enrollments.write_text(open_ended)
    apply(roster_dir, world.riverside)
    tobedeleted = "enr-s-222-12345-987655,tobedeleted"
    enrollments.write_text(open_ended.replace("enr-s-222-12345-987655,active", tobedeleted))
    users = roster_dir / "users.csv"
    lines = users.read_text(encoding="utf-8-sig").splitlines(keepends=True)
    users.write_text("".join(line for line in lines if not line.startswith("usr-222-567891")))
    result = apply(roster_dir, world.riverside)
    assert changes(result) == {"class_enrollment": (0, 0, 1), "student": (0, 0, 1)}
    ended = ClassEnrollment.objects.get(student__sis_id="usr-222-1234561232")
    assert ended.end_date == TODAY
    anna = Student.objects.get(sis_id="usr-222-567891")  # missing from a bulk users.csv
    assert anna.enrollments.get().exit_date == TODAY
    assert AuditEvent.objects.filter(action="student.enrollment_ended", student=anna).exists()
    assert changes(apply(roster_dir, world.riverside)) == {}


def test_an_enrolment_naming_a_user_not_in_the_file_is_refused_not_fatal(roster_dir, world):
    with (roster_dir / "enrollments.csv").open("a") as f:
        f.write("\r\nenr-x,active,,cls-222-123456,org-sch-222-456,usr-nobody,student,false,,\r\n")
    result = apply(roster_dir, world.riverside)
    p = problem(result, "enrollments", "userSourcedId", "usr-nobody")
    assert p.row == 8 and "not in users.csv" in p.reason
    assert result.counts["class_enrollment"].added == 1


def test_a_failure_part_way_writes_nothing(roster_dir, world, monkeypatch):
    def boom(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("disk full")

    monkeypatch.setattr(roster_classes, "enrollments", boom)
    before = snapshot()
    with pytest.raises(RuntimeError):
        apply(roster_dir, world.riverside)
    assert snapshot() == before


def test_command_dry_run_prints_counts_and_refusals(roster_dir, world):
    out = io.StringIO()
    call_command("import_oneroster", str(roster_dir), "--district", "riverside", stdout=out)
    text = out.getvalue()
    assert "Dry run (nothing written)" in text
    assert "enrollments.csv row 3, userSourcedId='usr-222-987654'" in text
    assert not Student.objects.filter(sis_id="usr-222-66778899").exists()
    call_command("import_oneroster", str(roster_dir), "--district", str(world.riverside.public_id),
                 "--apply", stdout=io.StringIO())  # fmt: skip
    assert Student.objects.filter(sis_id="usr-222-66778899").exists()


def test_command_refuses_what_it_cannot_read(tmp_path, world):
    with pytest.raises(CommandError, match="users.csv is missing"):
        call_command("import_oneroster", str(tmp_path), "--district", "riverside")
    with pytest.raises(CommandError, match="no district"):
        call_command("import_oneroster", str(tmp_path), "--district", "nowhere")


def write_v11(folder: Path) -> Path:
    """A small OneRoster 1.1 roster: the role in users.csv, no roles.csv, a manifest."""
    folder.mkdir()
    files = {
        "manifest": "propertyName,value\noneroster.version,1.1\nfile.users,bulk\n"
        "file.enrollments,bulk\nfile.classes,bulk\nfile.orgs,bulk\n",
        "orgs": "sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId\n"
        "d1,,,Riverside,district,R,\ns1,,,Lakeside Middle,school,LMS,d1\n"
        "dept1,,,Science,department,SCI,s1\n",
        "academicSessions": "sourcedId,status,dateLastModified,title,type,startDate,endDate,"
        "parentSourcedId,schoolYear\nt1,,,Fall,term,8/17/2026,1/15/2027,,2027\n",
        "classes": "sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,"
        "classType,location,schoolSourcedId,termSourcedIds,subjects,subjectCodes,periods\n"
        'c1,,,Science 7,07,,S7,scheduled,,dept1,t1,"Science, Biology",,3\n'
        "c1,,,Science 7 again,07,,S7,scheduled,,dept1,t1,Science,,3\n",
        "users": "sourcedId,status,dateLastModified,enabledUser,orgSourcedIds,role,username,"
        "userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,"
        "grades,password\n"
        "t1,,,true,s1,teacher,tt,,Terry,Teach,,T1,terry@lakeside.example,,,,,\n"
        "t2,,,true,s1,teacher,t2,,Co,Teacher,,T2,co@lakeside.example,,,,,\n"
        "p1,,,true,s1,parent,pp,,Pat,Parent,,,pat@home.example,,555-0101,,,\n"
        "st1,,,true,s1,student,ss,,Sol,Student,,S1,,,,p1,07,\n",
        "demographics": "sourcedId,birthDate,sex,hispanicOrLatinoEthnicity,white\n"
        "st1,2013-05-06,male,false,true\n",
        "enrollments": "sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,"
        "userSourcedId,role,primary,beginDate,endDate\n"
        "e1,,,c1,s1,t1,teacher,true,,\ne2,,,c1,s1,t2,teacher,false,,\n"
        "e3,,,c1,s1,st1,student,false,2026-08-17,\n",
    }
    for name, text in files.items():
        (folder / f"{name}.csv").write_text(text, encoding="utf-8")
    return folder


def test_a_one_point_one_roster_with_a_department_a_co_teacher_and_a_repeated_class(
    tmp_path, world
):
    folder = write_v11(tmp_path / "v11")
    result = apply(folder, world.riverside)
    assert changes(result) == {
        "school": (1, 0, 0), "staff": (2, 0, 0), "staff_role": (2, 0, 0), "guardian": (1, 0, 0),
        "student": (1, 0, 0), "guardian_link": (1, 0, 0), "section": (1, 0, 0),
        "class_enrollment": (1, 0, 0),
    }  # fmt: skip
    sol = Student.objects.get(sis_id="st1")
    assert sol.school.code == "LMS" and sol.grade == "7"  # the department is its school's
    section = ClassSection.objects.get(school=sol.school)
    assert (section.name, section.subject, section.period) == ("Science 7", "Science", "3")
    assert section.teacher.user.email == "terry@lakeside.example"  # the primary teacher
    assert section.start_date == date(2026, 8, 17) and section.school_year == "2026-2027"
    assert not problem(result, "enrollments", "userSourcedId", "t2").fatal_to_row
    assert problem(result, "classes", "sourcedId", "c1").row == 3
    link = sol.guardian_links.get()
    assert (link.guardian.first_name, link.relationship) == ("Pat", "parent")
    assert StaffRole.objects.filter(staff__user__email="co@lakeside.example", role="teacher",
                                    school=sol.school).exists()  # fmt: skip
    assert changes(apply(folder, world.riverside)) == {}
    # The teacher leaves: missing from a bulk users.csv, their role is ended, not deleted.
    users = folder / "users.csv"
    users.write_text("".join(line for line in users.read_text().splitlines(keepends=True)
                             if not line.startswith("t2,")))  # fmt: skip
    assert changes(apply(folder, world.riverside)) == {"staff_role": (0, 0, 1)}
    role = StaffRole.objects.get(staff__user__email="co@lakeside.example")
    assert role.end_date == TODAY


def test_a_file_that_is_not_utf8_is_fatal_and_writes_nothing(roster_dir, world):
    users = roster_dir / "users.csv"
    users.write_bytes(users.read_bytes().replace(b"Mary", "Marí".encode("latin-1")))
    before = snapshot()
    with pytest.raises(CommandError, match="users.csv is not UTF-8"):
        call_command("import_oneroster", str(roster_dir), "--district", "riverside", "--apply",
                     stdout=io.StringIO())  # fmt: skip
    assert snapshot() == before


def test_an_error_part_way_through_the_command_is_fatal_and_rolled_back(
    roster_dir, world, monkeypatch
):
    def boom(run):  # type: ignore[no-untyped-def]
        raise RuntimeError("disk full")

    monkeypatch.setattr(roster_classes, "classes", boom)
    before = snapshot()
    with pytest.raises(CommandError, match="everything was rolled back.*disk full"):
        call_command("import_oneroster", str(roster_dir), "--district", "riverside", "--apply",
                     stdout=io.StringIO())  # fmt: skip
    assert snapshot() == before
