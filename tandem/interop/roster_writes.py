"""The people rows a roster run adds or changes (students with their enrolments, staff accounts,
guardians), collected while the users file is read and written together at its end, in batches,
with history; only an applying run gets here.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from tandem.accounts.models import User
from tandem.interop.models import Kind
from tandem.interop.roster_run import BATCH, Run
from tandem.people.models import Enrollment, Guardian, Staff, Student

ENDED_BY = "Ended by the roster import (the SIS no longer lists it)"


class PeopleWrites:
    """The people rows a run adds or changes, written together at the end of the users file."""

    def __init__(self) -> None:
        self.new_students: list[tuple[Student, date]] = []
        self.changed_students: dict[int, dict[str, Any]] = {}
        self.moves: list[tuple[int, int, str]] = []  # student pk, school pk, grade
        self.new_staff: list[tuple[str, User]] = []
        self.renamed_users: list[tuple[int, str, str]] = []
        self.new_guardians: list[tuple[str, Guardian]] = []
        self.changed_guardians: list[tuple[int, tuple[str, str, str, str]]] = []

    def flush_people(self, run: Run) -> None:
        result, today = run.result, run.today
        students = [s for s, _e in self.new_students]
        for i in range(0, len(students), BATCH):
            bulk_create_with_history(students[i : i + BATCH], Student, batch_size=BATCH)
        if students and students[0].pk is None:  # a database that does not return keys
            keys = dict(Student.objects.filter(district=run.district).values_list("sis_id", "pk"))
            for s in students:
                s.pk = keys[s.sis_id]
        Enrollment.objects.bulk_create(
            [Enrollment(student=s, school_id=s.school_id, grade=s.grade, entry_date=entry)  # type: ignore[attr-defined]
             for s, entry in self.new_students], batch_size=BATCH)  # fmt: skip
        for s in students:
            run.link(Kind.STUDENT, s.sis_id, s)
            run.students[s.sis_id] = (s.pk, *run.students[s.sis_id][1:])
            result.students_added.append(s.pk)
        pks = list(self.changed_students)
        for i in range(0, len(pks), BATCH):
            chunk = Student.objects.in_bulk(pks[i : i + BATCH])
            for pk, student in chunk.items():
                for name, value in self.changed_students[pk].items():
                    setattr(student, name, value)
                student.search_text = student.compute_search_text()
                result.students_changed.append((pk, sorted(self.changed_students[pk])))
            fields = sorted({f.removesuffix("_id") for c in self.changed_students.values()
                             for f in c} | {"search_text"})  # fmt: skip
            bulk_update_with_history(list(chunk.values()), Student, fields, batch_size=BATCH)
        # A school change (or a return) closes the open stay and opens one at the new school.
        closing = [run.open_enrollments[pk][0] for pk, _s, _g in self.moves
                   if pk in run.open_enrollments]  # fmt: skip
        closing += [run.open_enrollments[pk][0] for pk in run.ended_students
                    if pk in run.open_enrollments]  # fmt: skip
        for i in range(0, len(closing), BATCH):
            Enrollment.objects.filter(pk__in=closing[i : i + BATCH]).update(
                exit_date=today, exit_reason=ENDED_BY[:100]
            )
        Enrollment.objects.bulk_create(
            [Enrollment(student_id=pk, school_id=school, grade=grade, entry_date=today)
             for pk, school, grade in self.moves], batch_size=BATCH)  # fmt: skip
        result.students_ended.extend(run.ended_students)
        # Staff: an account (no password: they sign in by a reset link or single sign-on).
        users = [u for _sid, u in self.new_staff]
        User.objects.bulk_create(users, batch_size=BATCH)
        if users and users[0].pk is None:
            keys = dict(User.objects.filter(email__in=[u.email for u in users]).values_list(
                "email", "pk"))  # fmt: skip
            for u in users:
                u.pk = keys[u.email]
        staff = [Staff(user=u) for u in users]
        Staff.objects.bulk_create(staff, batch_size=BATCH)
        if staff and staff[0].pk is None:
            keys = dict(Staff.objects.filter(user__in=users).values_list("user_id", "pk"))
            for member in staff:
                member.pk = keys[member.user.pk]
        for (sid, _u), member in zip(self.new_staff, staff, strict=True):
            run.link(Kind.STAFF, sid, member)
            run.staff[sid] = member.pk
        for user_pk, first, last in self.renamed_users:
            User.objects.filter(pk=user_pk).update(first_name=first, last_name=last)
        guardians = [g for _sid, g in self.new_guardians]
        bulk_create_with_history(guardians, Guardian, batch_size=BATCH)
        if guardians and guardians[0].pk is None:
            raise RuntimeError("the database did not return the new guardians' keys")
        for sid, g in self.new_guardians:
            run.link(Kind.GUARDIAN, sid, g)
            run.guardians[sid] = (g.pk, run.guardians[sid][1])
        changed = Guardian.objects.in_bulk([pk for pk, _w in self.changed_guardians])
        for pk, wanted in self.changed_guardians:
            g = changed[pk]
            g.first_name, g.last_name, g.email, g.phone = wanted
        bulk_update_with_history(list(changed.values()), Guardian,
                                 ["first_name", "last_name", "email", "phone"])  # fmt: skip
        run.flush_links()
