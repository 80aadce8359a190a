"""The users file (users.csv, with 1.2's demographics.csv): students, staff and guardians, planned
row by row; with `apply`, written together at the end of the file (`roster_writes`), then their
roles and guardian links (`roster_links`).

Students are matched by `Student.sis_id` (the OneRoster sourcedId; unique in a district, so a
match never duplicates a student), staff by ExternalId or else their email, guardians by
ExternalId. A student marked `tobedeleted`, or missing from a bulk users file, is ended: their
open enrolment closes; nothing is deleted.
"""

from __future__ import annotations

import contextlib
from typing import Any

from django.contrib.auth.hashers import make_password
from django.core.exceptions import ValidationError
from django.core.validators import validate_email

from tandem.accounts.models import User
from tandem.interop.models import Kind
from tandem.interop.oneroster import (
    RowError,
    boolean,
    multi,
    parse_date,
    parse_timestamp,
    status_of,
)
from tandem.interop.roster_links import (
    STAFF_ROLES,
    guardian_links,
    read_roles,
    roles_of,
    staff_roles,
)
from tandem.interop.roster_run import NEW, Run
from tandem.interop.roster_writes import PeopleWrites
from tandem.people.models import Enrollment, Grade, Guardian, Relationship, Staff, Student

STUDENT_ROLES = {"student"}
GUARDIAN_ROLES = {"guardian": Relationship.LEGAL_GUARDIAN, "parent": Relationship.PARENT,
                  "relative": Relationship.OTHER}  # fmt: skip

GRADES = {g.value: g.value for g in Grade}
GRADES.update({f"0{n}": str(n) for n in range(1, 10)})
GRADES.update({"KG": "K", "PR": "PK", "IT": "PK", "PS": "PS", "13": "PS", "UG": ""})

SEX = {"male": "M", "female": "F", "other": "X", "m": "M", "f": "F", "x": "X"}
RACES = (
    ("americanIndianOrAlaskaNative", "race_american_indian"),
    ("asian", "race_asian"),
    ("blackOrAfricanAmerican", "race_black"),
    ("nativeHawaiianOrOtherPacificIslander", "race_pacific_islander"),
    ("white", "race_white"),
    ("hispanicOrLatinoEthnicity", "hispanic_latino"),
)
STUDENT_FIELDS = (
    "school_id", "legal_first_name", "legal_middle_name", "legal_last_name",
    "preferred_first_name", "preferred_last_name", "grade", "date_of_birth", "sex",
    *(f for _c, f in RACES),
)  # fmt: skip


def _read_demographics(run: Run) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for number, row in run.rows("demographics"):
        sid = row.get("sourcedId", "")
        try:
            values: dict[str, Any] = {
                "date_of_birth": parse_date(row.get("birthDate", ""), "birthDate")
            }
            sex = row.get("sex", "").lower()
            if sex and sex != "unspecified" and sex not in SEX:
                raise RowError("sex", row.get("sex", ""), "expected male, female, other "
                               "or unspecified")  # fmt: skip
            values["sex"] = SEX.get(sex, "")
            for column, name in RACES:
                if row.get(column, "") != "":
                    values[name] = boolean(row[column], column)
        except RowError as e:
            run.problem("demographics", number, e.column, e.value, e.reason,
                        kind=Kind.STUDENT)  # fmt: skip
            continue
        out[sid] = values
    return out


def users(run: Run) -> None:
    """users.csv: students, staff and guardians; then their roles and guardian links."""
    run.roles = read_roles(run)
    demographics = _read_demographics(run)
    run.user_roles = {}
    run.students = {
        r[0]: r[1:]
        for r in Student.objects.filter(district=run.district).values_list(
            "sis_id", "pk", *STUDENT_FIELDS
        )
    }
    run.open_enrollments = {
        student: (pk, school)
        for pk, student, school in Enrollment.objects.filter(
            student__district=run.district, exit_date__isnull=True
        ).values_list("pk", "student_id", "school_id")
    }
    run.staff = dict(run.ext[Kind.STAFF])
    staff_names = {
        pk: (user, first, last)
        for pk, user, first, last in Staff.objects.filter(
            pk__in=list(run.staff.values())
        ).values_list("pk", "user_id", "user__first_name", "user__last_name")
    }
    guardians = {
        g[0]: g[1:]
        for g in Guardian.objects.filter(district=run.district).values_list(
            "pk", "first_name", "last_name", "email", "phone"
        )
    }
    run.guardians = {}
    agents: list[tuple[str, str, int]] = []
    w = PeopleWrites()
    for number, row in run.rows("users"):
        sid = row.get("sourcedId", "")
        if not sid:
            run.problem("users", number, "sourcedId", "", "no sourcedId", kind="user")
            continue
        if sid in run.seen["user"]:
            run.problem("users", number, "sourcedId", sid, "the same sourcedId again in "
                        "users.csv: only its first row is read", kind="user")  # fmt: skip
            continue
        run.seen["user"].add(sid)
        try:
            status = status_of(row)
            if row.get("dateLastModified"):
                try:
                    parse_timestamp(row["dateLastModified"], "dateLastModified")
                except RowError as e:
                    run.problem("users", number, e.column, e.value,
                                e.reason + " (ignored)", fatal=False)  # fmt: skip
            roles, role_rows = roles_of(run, sid, row)
        except RowError as e:
            run.problem("users", number, e.column, e.value, e.reason, kind="user")
            continue
        run.user_roles[sid] = roles
        if not roles:
            run.problem("users", number, "role", row.get("role", ""),
                        "no role for this user (users.csv role or roles.csv)", kind="user")  # fmt: skip
            continue
        if roles & STUDENT_ROLES:
            run.seen[Kind.STUDENT].add(sid)
            if status == "tobedeleted":
                _end_student(run, sid)
            else:
                _student(run, number, sid, row, role_rows, demographics.get(sid), w)
                agents += [(sid, a, number) for a in multi(row.get("agentSourcedIds", ""))]
        if roles & STAFF_ROLES:
            run.seen[Kind.STAFF].add(sid)
            if status != "tobedeleted":
                _staff_member(run, number, sid, row, staff_names, w)
        if roles & set(GUARDIAN_ROLES) and status != "tobedeleted":
            _guardian(run, number, sid, row, roles, guardians, w)
    _end_missing_students(run)
    if run.apply:
        w.flush_people(run)
    staff_roles(run)
    guardian_links(run, agents)
    if run.apply:
        run.flush_links()


def _student(run: Run, number: int, sid: str, row: dict[str, str], role_rows: list[dict[str, str]],
            demo: dict[str, Any] | None, w: PeopleWrites) -> None:  # fmt: skip
    existing = run.students.get(sid)
    org = row.get("primaryOrgSourcedId", "")
    student_roles = [r for r in role_rows if r.get("role", "").lower() == "student"]
    student_roles.sort(key=lambda r: r.get("roleType", "").lower() != "primary")
    if not org and student_roles:
        org = student_roles[0].get("orgSourcedId", "")
    if not org:
        org = next(iter(multi(row.get("orgSourcedIds", ""))), "")
    school = run.school_of(org)
    if school is None:
        column = "primaryOrgSourcedId" if row.get("primaryOrgSourcedId") else "orgSourcedIds"
        run.problem("users", number, column, org,
                    "no school with this sourcedId in orgs.csv or in Tandem",
                    kind=Kind.STUDENT)  # fmt: skip
        return
    grades = multi(row.get("grades", ""))
    grade = GRADES.get(grades[0].upper()) if grades else ""
    if grade is None:
        run.problem("users", number, "grades", row.get("grades", ""),
                    "not a grade (PK, KG, 01-12, 13, PS)", kind=Kind.STUDENT)  # fmt: skip
        return
    wanted: dict[str, Any] = {
        "school_id": school,
        "legal_first_name": row.get("givenName", "")[:100],
        "legal_middle_name": row.get("middleName", "")[:100],
        "legal_last_name": row.get("familyName", "")[:100],
        "preferred_first_name": row.get("preferredGivenName", "")[:100],
        "preferred_last_name": row.get("preferredFamilyName", "")[:100],
    }
    if grade:
        wanted["grade"] = grade
    wanted.update({k: v for k, v in (demo or {}).items() if v not in (None, "")})
    if existing is None:
        problem = _missing_for_new_student(wanted, demo)
        if problem:
            run.problem("users", number, problem[0], problem[1], problem[2],
                        kind=Kind.STUDENT)  # fmt: skip
            return
        begin = None
        for r in student_roles:
            with contextlib.suppress(RowError):
                begin = parse_date(r.get("beginDate", ""), "beginDate") or begin
        entry = begin or run.today
        if entry <= wanted["date_of_birth"]:
            entry = run.today
        run.count(Kind.STUDENT, "added")
        run.students[sid] = (NEW, *[wanted.get(f) for f in STUDENT_FIELDS])
        if run.apply:
            student = Student(district=run.district, sis_id=sid, enrollment_date=entry,
                              **wanted)  # fmt: skip
            student.search_text = student.compute_search_text()
            w.new_students.append((student, entry))
        return
    pk, *current = existing
    if run.apply and pk != NEW and sid not in run.ext[Kind.STUDENT]:
        run.link(Kind.STUDENT, sid, Student(pk=pk))  # the SIS now answers for this student
    now = dict(zip(STUDENT_FIELDS, current, strict=True))
    changed = [f for f, v in wanted.items() if now.get(f) != v]
    moved = school != now["school_id"] or pk not in run.open_enrollments
    if moved:
        w.moves.append((pk, school, wanted.get("grade") or now["grade"]))
    if not changed and not moved:
        run.count(Kind.STUDENT, "unchanged")
        return
    run.count(Kind.STUDENT, "changed")
    if changed:
        w.changed_students[pk] = {f: wanted[f] for f in changed}


def _missing_for_new_student(wanted: dict[str, Any],
                            demo: dict[str, Any] | None) -> tuple[str, str, str] | None:  # fmt: skip
    if not wanted["legal_first_name"] or not wanted["legal_last_name"]:
        return ("givenName", wanted["legal_first_name"], "a new student needs a given and a "
                "family name")  # fmt: skip
    if "grade" not in wanted:
        return ("grades", "", "a new student needs a grade")
    if not wanted.get("date_of_birth"):
        reason = (
            "a new student needs a date of birth (deadlines by age, child count): "
            + ("demographics.csv has none for this user" if demo is not None
               else "there is no demographics.csv row for this user")
        )  # fmt: skip
        return ("birthDate", "", reason)
    return None


def _end_student(run: Run, sid: str) -> None:
    existing = run.students.get(sid)
    if existing is None or existing[0] == NEW or existing[0] not in run.open_enrollments:
        return
    run.count(Kind.STUDENT, "ended")
    run.ended_students.add(existing[0])


def _end_missing_students(run: Run) -> None:
    if "users" not in run.bulk:
        return
    for sid in run.ext[Kind.STUDENT]:
        if sid not in run.seen[Kind.STUDENT] and sid not in run.seen["user"]:
            _end_student(run, sid)


def _staff_member(run: Run, number: int, sid: str, row: dict[str, str],
                 names: dict[int, tuple[int, str, str]], w: PeopleWrites) -> None:  # fmt: skip
    first, last = row.get("givenName", "")[:150], row.get("familyName", "")[:150]
    pk = run.staff.get(sid)
    if pk is not None:
        if pk != NEW and pk in names and names[pk][1:] != (first, last) and first and last:
            w.renamed_users.append((names[pk][0], first, last))
            run.count(Kind.STAFF, "changed")
        else:
            run.count(Kind.STAFF, "unchanged")
        return
    email = row.get("email", "").lower()
    try:
        validate_email(email)
    except ValidationError:
        run.problem("users", number, "email", row.get("email", ""),
                    "staff sign in with their email: a valid one is needed",
                    kind=Kind.STAFF)  # fmt: skip
        return
    user = User.objects.filter(email__iexact=email).values_list("pk", "staff__pk").first()
    if user is not None and user[1] is None:
        run.problem("users", number, "email", email, "this email belongs to an account "
                    "that is not staff (a parent's?): not linked", kind=Kind.STAFF)  # fmt: skip
        return
    if user is not None:
        run.staff[sid] = user[1]
        run.count(Kind.STAFF, "unchanged")
        if run.apply:
            run.link(Kind.STAFF, sid, Staff(pk=user[1]))
        return
    run.staff[sid] = NEW
    run.count(Kind.STAFF, "added")
    if run.apply:
        w.new_staff.append((sid, User(email=email, username=email, first_name=first,
                                      last_name=last, password=make_password(None))))  # fmt: skip


def _guardian(run: Run, number: int, sid: str, row: dict[str, str], roles: set[str],
             existing: dict[int, tuple[str, str, str, str]], w: PeopleWrites) -> None:  # fmt: skip
    relationship = next(GUARDIAN_ROLES[r] for r in ("guardian", "parent", "relative")
                        if r in roles)  # fmt: skip
    wanted = (row.get("givenName", "")[:100], row.get("familyName", "")[:100],
              row.get("email", "")[:254], (row.get("phone") or row.get("sms", ""))[:30])  # fmt: skip
    if not wanted[0] or not wanted[1]:
        run.problem("users", number, "givenName", wanted[0],
                    "a guardian needs a given and a family name", kind=Kind.GUARDIAN)  # fmt: skip
        return
    pk = run.ext[Kind.GUARDIAN].get(sid)
    if pk is None or pk not in existing:
        run.count(Kind.GUARDIAN, "added")
        run.guardians[sid] = (NEW, relationship)
        if run.apply:
            w.new_guardians.append((sid, Guardian(district=run.district, first_name=wanted[0],
                                                  last_name=wanted[1], email=wanted[2],
                                                  phone=wanted[3])))  # fmt: skip
        return
    run.guardians[sid] = (pk, relationship)
    if existing[pk] != wanted:
        run.count(Kind.GUARDIAN, "changed")
        w.changed_guardians.append((pk, wanted))
    else:
        run.count(Kind.GUARDIAN, "unchanged")
