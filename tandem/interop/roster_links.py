"""What the users file links once its people are known: staff roles at schools (1.2's roles.csv,
or 1.1's role and orgs on users.csv) and guardians to their students (agentSourcedIds).

Only the teacher role is granted by a file; leadership is granted in Tandem by a person. A role
marked `tobedeleted`, or missing from a bulk file, is ended (an end date), never deleted.
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from tandem.interop.models import Kind
from tandem.interop.oneroster import RowError, multi, parse_date, status_of
from tandem.interop.roster_run import BATCH, NEW, Run, status_of_or_none
from tandem.people.models import Relationship, Role, StaffRole, StudentGuardian

STAFF_ROLES = {"teacher", "aide", "administrator", "principal", "siteadministrator",
               "districtadministrator", "counselor", "proctor", "systemadministrator"}  # fmt: skip
# Roles the file may grant. Leadership (principal, administrators) opens every record of a school
# or district, so it is granted in Tandem by a person, never by a file: those roles are noted.
GRANTED_ROLES = {"teacher": Role.TEACHER}


def read_roles(run: Run) -> dict[str, list[dict[str, str]]]:
    """1.2's roles.csv by user (a user may hold several roles at several orgs)."""
    roles: dict[str, list[dict[str, str]]] = defaultdict(list)
    for number, row in run.rows("roles"):
        row["_row"] = str(number)
        roles[row.get("userSourcedId", "")].append(row)
    return roles


def roles_of(run: Run, sid: str, row: dict[str, str]) -> tuple[set[str], list[dict[str, str]]]:
    """A user's live roles and role rows: roles.csv's, or one per org made from users.csv (1.1)."""
    if run.source.has("roles"):
        rows = [r for r in run.roles.get(sid, []) if status_of_or_none(r) != "tobedeleted"]
        return {r.get("role", "").lower() for r in rows}, run.roles.get(sid, [])
    role = row.get("role", "").lower()
    orgs = multi(row.get("orgSourcedIds", "")) or [row.get("primaryOrgSourcedId", "")]
    synthesized = [
        {"sourcedId": f"{sid}/{role}/{org}", "role": role, "orgSourcedId": org,
         "status": row.get("status", ""), "_row": "", "userSourcedId": sid}
        for org in orgs
    ]  # fmt: skip
    return ({role} if role else set()), synthesized


def staff_roles(run: Run) -> None:
    """The staff's teacher roles at their schools; those the SIS dropped are ended."""
    current = {
        r[0]: r[1:]
        for r in StaffRole.objects.filter(
            pk__in=list(run.ext[Kind.STAFF_ROLE].values())
        ).values_list("pk", "school_id", "role", "start_date", "end_date")
    }
    creates: list[tuple[str, StaffRole]] = []
    updates: list[StaffRole] = []
    if run.source.has("roles"):
        for sid, role_rows in run.roles.items():
            if sid in run.staff:
                for role_row in role_rows:
                    _one_role(run, run.staff[sid], role_row, current, creates, updates)
    else:
        for number, row in run.rows("users"):
            sid = row.get("sourcedId", "")
            if sid in run.staff:
                for role_row in roles_of(run, sid, row)[1]:
                    role_row["_row"] = str(number)
                    _one_role(run, run.staff[sid], role_row, current, creates, updates)
    if "roles" in run.bulk or ("users" in run.bulk and not run.source.has("roles")):
        for sid, pk in run.ext[Kind.STAFF_ROLE].items():
            if sid not in run.seen[Kind.STAFF_ROLE] and pk in current:
                _end_role(run, pk, current, updates)
    if run.apply:
        StaffRole.objects.bulk_create([r for _s, r in creates], batch_size=BATCH)
        StaffRole.objects.bulk_update(updates, ["school", "role", "start_date", "end_date"],
                                      batch_size=BATCH)  # fmt: skip
        for sid, role in creates:
            run.link(Kind.STAFF_ROLE, sid, role)


def _one_role(run: Run, staff: int, row: dict[str, str], current: dict[int, tuple[Any, ...]],
             creates: list[tuple[str, StaffRole]], updates: list[StaffRole]) -> None:  # fmt: skip
    file = "roles" if run.source.has("roles") else "users"
    number = int(row.get("_row") or 0)
    sid, name = row.get("sourcedId", ""), row.get("role", "").lower()
    if name not in STAFF_ROLES:
        return
    run.seen[Kind.STAFF_ROLE].add(sid)
    pk = run.ext[Kind.STAFF_ROLE].get(sid)
    try:
        status = status_of(row)
        start = parse_date(row.get("beginDate", ""), "beginDate")
        end = parse_date(row.get("endDate", ""), "endDate")
    except RowError as e:
        run.problem(file, number, e.column, e.value, e.reason, kind=Kind.STAFF_ROLE)
        return
    if status == "tobedeleted":
        if pk in current:
            _end_role(run, pk, current, updates)
        return
    role = GRANTED_ROLES.get(name)
    if role is None:
        run.problem(file, number, "role", row.get("role", ""), "not granted by an import: "
                    "leadership and other roles are given in Tandem", fatal=False)  # fmt: skip
        return
    org = row.get("orgSourcedId", "")
    school = run.school_of(org)
    if school is None and org not in run.district_orgs:
        run.problem(file, number, "orgSourcedId", org, "no school or district with this "
                    "sourcedId: the role is held district-wide", fatal=False)  # fmt: skip
    wanted = (school or None, role, start or run.today, end)
    if pk is None or pk not in current:
        run.count(Kind.STAFF_ROLE, "added")
        if run.apply:
            creates.append((sid, StaffRole(staff_id=staff, district=run.district,
                                           school_id=wanted[0], role=role,
                                           start_date=wanted[2], end_date=end)))  # fmt: skip
        return
    if current[pk] != wanted:
        run.count(Kind.STAFF_ROLE, "changed")
        updates.append(StaffRole(pk=pk, school_id=wanted[0], role=role,
                                 start_date=wanted[2], end_date=end))  # fmt: skip
    else:
        run.count(Kind.STAFF_ROLE, "unchanged")


def _end_role(run: Run, pk: int, current: dict[int, tuple[Any, ...]],
             updates: list[StaffRole]) -> None:  # fmt: skip
    school, role, start, end = current[pk]
    if end is not None and end <= run.today:
        return
    run.count(Kind.STAFF_ROLE, "ended")
    updates.append(StaffRole(pk=pk, school_id=school, role=role, start_date=start,
                             end_date=max(run.today, start)))  # fmt: skip


def guardian_links(run: Run, agents: list[tuple[str, str, int]]) -> None:
    """Link each student to the guardians their agentSourcedIds name."""
    links = set(
        StudentGuardian.objects.filter(student__district=run.district).values_list(
            "student_id", "guardian_id"
        )
    )
    creates: list[StudentGuardian] = []
    for student_sid, agent, number in agents:
        guardian = run.guardians.get(agent)
        student = run.students.get(student_sid)
        if student is None:
            continue
        if guardian is None:
            if agent in run.user_roles:
                reason = "this agent is not a guardian, parent or relative: not linked"
            else:
                reason = "this agent is not in users.csv: not linked"
            run.problem("users", number, "agentSourcedIds", agent, reason, fatal=False)
            continue
        if student[0] != NEW and guardian[0] != NEW and (student[0], guardian[0]) in links:
            run.count("guardian_link", "unchanged")
            continue
        run.count("guardian_link", "added")
        links.add((student[0], guardian[0]))
        if run.apply:
            creates.append(StudentGuardian(
                student_id=student[0], guardian_id=guardian[0], relationship=guardian[1],
                educational_rights_holder=guardian[1] != Relationship.OTHER,
            ))  # fmt: skip
    if run.apply:
        StudentGuardian.objects.bulk_create(creates, batch_size=BATCH)
