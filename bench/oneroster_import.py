"""OneRoster import of a generated district: dry run, apply, and a second unchanged run.

    .venv/bin/python bench/oneroster_import.py                    # 100,000 students
    .venv/bin/python bench/oneroster_import.py --students 5000    # quicker

Writes a OneRoster 1.2 CSV set (orgs, academicSessions, classes, users, roles, demographics,
enrollments, manifest: every file bulk) for a district of N students (one school per 500, one
teacher per 20 students teaching six classes, each student in six classes, one guardian per
student) into a temporary folder, migrates a throwaway SQLite database, and times:
the dry run, the apply, and the same file applied again (which must change nothing). Prints
minutes and the peak resident memory of the process after each step (resource.getrusage);
with --tracemalloc, also Python's peak allocation per step (slower).
"""

from __future__ import annotations

import argparse
import csv
import os
import random
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SCHOOL_SIZE = 500
STUDENTS_PER_TEACHER = 20
CLASSES_PER_TEACHER = 6
CLASSES_PER_STUDENT = 6


def write(folder: Path, name: str, header: list[str], rows) -> int:  # type: ignore[no-untyped-def]
    count = 0
    with open(folder / f"{name}.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(header)
        for row in rows:
            w.writerow(row)
            count += 1
    return count


def generate(folder: Path, students: int, seed: int = 7) -> dict[str, int]:
    rnd = random.Random(seed)
    schools = max(1, students // SCHOOL_SIZE)
    teachers = max(1, students // STUDENTS_PER_TEACHER)
    sizes: dict[str, int] = {}
    write(folder, "manifest", ["propertyName", "value"], [
        ("manifest.version", "1.0"), ("oneroster.version", "1.2"),
        *[(f"file.{f}", "bulk") for f in ("orgs", "academicSessions", "classes", "users",
                                          "roles", "demographics", "enrollments")],
    ])  # fmt: skip
    sizes["orgs"] = write(
        folder, "orgs", ["sourcedId", "status", "dateLastModified", "name", "type", "identifier",
                         "parentSourcedId"],
        [("dist-1", "", "", "Bench Unified", "district", "BU", "")]
        + [(f"sch-{s}", "", "", f"School {s}", "school", f"S{s:04d}", "dist-1")
           for s in range(schools)],
    )  # fmt: skip
    sizes["academicSessions"] = write(
        folder, "academicSessions", ["sourcedId", "status", "dateLastModified", "title", "type",
                                     "startDate", "endDate", "parentSourcedId", "schoolYear"],
        [("sy-2027", "", "", "2026-2027", "schoolYear", "2026-08-17", "2027-06-11", "", "2027"),
         ("t-1", "", "", "Fall", "semester", "2026-08-17", "2027-01-15", "sy-2027", "2027"),
         ("t-2", "", "", "Spring", "semester", "1/19/2027", "6/11/2027", "sy-2027", "2027")],
    )  # fmt: skip
    classes = teachers * CLASSES_PER_TEACHER
    school_of_teacher = [t * schools // teachers for t in range(teachers)]
    sizes["classes"] = write(
        folder, "classes", ["sourcedId", "status", "dateLastModified", "title", "grades",
                            "courseSourcedId", "classCode", "classType", "location",
                            "schoolSourcedId", "termSourcedIds", "subjects", "subjectCodes",
                            "periods"],
        ((f"cls-{c}", "", "", f"Class {c}", "09,10", "", f"C{c}", "scheduled", "",
          f"sch-{school_of_teacher[c // CLASSES_PER_TEACHER]}", "t-1,t-2", "Math, Algebra", "",
          str(c % CLASSES_PER_TEACHER + 1)) for c in range(classes)),
    )  # fmt: skip
    user_header = ["sourcedId", "status", "dateLastModified", "enabledUser", "username", "userIds",
                   "givenName", "familyName", "middleName", "identifier", "email", "sms", "phone",
                   "agentSourcedIds", "grades", "password", "userMasterIdentifier",
                   "preferredGivenName", "preferredMiddleName", "preferredFamilyName",
                   "primaryOrgSourcedId", "pronouns"]  # fmt: skip
    grades = ["K", "01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12"]

    def users():  # type: ignore[no-untyped-def]
        for t in range(teachers):
            yield (f"tch-{t}", "", "", "true", f"t{t}", "", "Tea", f"Cher{t}", "", f"T{t}",
                   f"t{t}@bench.example", "", "", "", "", "", "", "", "", "",
                   f"sch-{school_of_teacher[t]}", "")  # fmt: skip
        for s in range(students):
            yield (f"stu-{s}", "", "", "true", f"s{s}", "", rnd.choice(["Ana", "Ben", "Cy"]),
                   f"Student{s}", "", f"S{s}", "", "", "", f"gdn-{s}", grades[s % 13], "", "",
                   "", "", "", f"sch-{s * schools // students}", "")  # fmt: skip
        for s in range(students):
            yield (f"gdn-{s}", "", "", "true", f"g{s}", "", "Pat", f"Parent{s}", "", "",
                   f"g{s}@home.example", "", "555-0100", "", "", "", "", "", "", "", "", "")  # fmt: skip

    sizes["users"] = write(folder, "users", user_header, users())

    def roles():  # type: ignore[no-untyped-def]
        for t in range(teachers):
            yield (f"r-t{t}", "", "", f"tch-{t}", "primary", "teacher", "2020-08-01", "",
                   f"sch-{school_of_teacher[t]}", "")  # fmt: skip
        for s in range(students):
            yield (f"r-s{s}", "", "", f"stu-{s}", "primary", "student", "2026-08-17", "",
                   f"sch-{s * schools // students}", "")  # fmt: skip
            yield (f"r-g{s}", "", "", f"gdn-{s}", "primary", "guardian", "", "",
                   f"sch-{s * schools // students}", "")  # fmt: skip

    sizes["roles"] = write(folder, "roles", ["sourcedId", "status", "dateLastModified",
                                             "userSourcedId", "roleType", "role", "beginDate",
                                             "endDate", "orgSourcedId", "userProfileSourcedId"],
                           roles())  # fmt: skip
    sizes["demographics"] = write(
        folder, "demographics", ["sourcedId", "status", "dateLastModified", "birthDate", "sex",
                                 "americanIndianOrAlaskaNative", "asian", "blackOrAfricanAmerican",
                                 "nativeHawaiianOrOtherPacificIslander", "white",
                                 "demographicRaceTwoOrMoreRaces", "hispanicOrLatinoEthnicity"],
        ((f"stu-{s}", "", "", f"{2008 + s % 13}-0{1 + s % 9}-1{s % 9}", rnd.choice(["male", "female"]),
          "false", "false", "false", "false", "true", "false", rnd.choice(["true", "false"]))
         for s in range(students)),
    )  # fmt: skip

    def enrollments():  # type: ignore[no-untyped-def]
        for c in range(classes):
            t = c // CLASSES_PER_TEACHER
            yield (f"e-t{c}", "", "", f"cls-{c}", f"sch-{school_of_teacher[t]}", f"tch-{t}",
                   "teacher", "true", "", "")  # fmt: skip
        per_school = max(1, classes // schools)
        for s in range(students):
            school = s * schools // students
            first = min(school * per_school, classes - 1)
            for k in range(CLASSES_PER_STUDENT):
                c = first + (s + k * 7) % per_school
                yield (f"e-{s}-{k}", "", "", f"cls-{c}", f"sch-{school}", f"stu-{s}", "student",
                       "false", "2026-08-17", "")  # fmt: skip

    sizes["enrollments"] = write(folder, "enrollments", ["sourcedId", "status", "dateLastModified",
                                                         "classSourcedId", "schoolSourcedId",
                                                         "userSourcedId", "role", "primary",
                                                         "beginDate", "endDate"], enrollments())  # fmt: skip
    return sizes


def peak_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--students", type=int, default=100_000)
    parser.add_argument("--tracemalloc", action="store_true")
    parser.add_argument("--keep", action="store_true", help="keep the folder and database")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="tandem-oneroster-"))
    folder = work / "roster"
    folder.mkdir()
    began = time.perf_counter()
    sizes = generate(folder, args.students)
    print(f"generated in {time.perf_counter() - began:.1f} s: "
          + ", ".join(f"{k} {v:,}" for k, v in sizes.items()))  # fmt: skip
    megabytes = sum(p.stat().st_size for p in folder.iterdir()) / 1e6
    print(f"{megabytes:.0f} MB of CSV in {folder}")

    db = work / "bench.sqlite3"
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}", "DEBUG": "true"}
    subprocess.run([sys.executable, "manage.py", "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    os.environ.update({"DATABASE_URL": f"sqlite:///{db}", "DEBUG": "true"})
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    from tandem.core import clock
    from tandem.interop import actions, roster
    from tandem.interop.oneroster import Source
    from tandem.people.models import ClassEnrollment, District, SchoolCalendar, Student

    district = District.objects.create(name="Bench Unified", slug="bench", state="CA")
    SchoolCalendar.objects.create(district=district, school_year="2026-2027",
                                  first_day="2026-08-17", last_day="2027-06-11")  # fmt: skip

    def step(label: str, fn):  # type: ignore[no-untyped-def]
        if args.tracemalloc:
            tracemalloc.start()
        start = time.perf_counter()
        result = fn()
        seconds = time.perf_counter() - start
        traced = ""
        if args.tracemalloc:
            traced = f", Python peak {tracemalloc.get_traced_memory()[1] / 1e6:.0f} MB"
            tracemalloc.stop()
        changes = {k: (t.added, t.changed, t.ended) for k, t in result.counts.items()
                   if (t.added, t.changed, t.ended) != (0, 0, 0)}  # fmt: skip
        print(f"{label}: {seconds / 60:.2f} min ({seconds:.0f} s), process peak "
              f"{peak_mb():.0f} MB{traced}; problems {result.problem_count}; "
              f"(added, changed, ended) {changes or 'none'}")  # fmt: skip
        return result

    with clock.fixed(clock.today()):
        step("dry run", lambda: roster.plan(Source(folder), district, today=clock.today()))
        step("apply", lambda: actions.import_roster(source=Source(folder), district=district,
                                                    actor=None))  # fmt: skip
        step("apply again (unchanged)",
             lambda: actions.import_roster(source=Source(folder), district=district, actor=None))  # fmt: skip
    print(f"students {Student.objects.count():,}, class enrolments "
          f"{ClassEnrollment.objects.count():,}; database {db.stat().st_size / 1e6:.0f} MB")  # fmt: skip
    if args.keep:
        print(f"kept {work}")
    else:
        shutil.rmtree(work)


if __name__ == "__main__":
    main()
